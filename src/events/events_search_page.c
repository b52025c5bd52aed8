/* events_search_page: /{lang}/search, /{lang}/events (the same search without text,
 * upcoming by default) and /api/v1/search. */
#include <string.h>

#include "core/core_time.h"
#include "events/events_search.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

/* The order facets are shown in, and their headings. */
static const struct {
	enum search_dim dim;
	const char *name;	/* parameter */
	const char *label;
} facet_order[] = {
	{DIM_WHEN, "when", N_("When")},
	{DIM_TYPE, "type", N_("Type")},
	{DIM_THEME, "theme", N_("Theme")},
	{DIM_COUNTRY, "country", N_("Country")},
	{DIM_ORGANISER, "organiser", N_("Organiser")},
	{DIM_YEAR, "year", N_("Year")},
	{DIM_LANGUAGE, "language", N_("Language of the text")},
	{DIM_MODE, "mode", N_("Format")},
	{DIM_PARTICIPATION, "participation", N_("Participation")},
};

#define N_FACETS (sizeof(facet_order) / sizeof(facet_order[0]))

static json_t *
facets_json(struct request *req, const char *base, const struct search_params *p,
	    const struct search_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		if (r->n_facets[d] == 0)
			continue;
		json_t *values = json_array();
		for (size_t k = 0; k < r->n_facets[d]; k++) {
			const struct facet_value *v = &r->facets[d][k];
			const char *q = search_params_query(req->arena, p, d, v->code, 0);
			json_array_append_new(
				values, json_pack("{s:s, s:s, s:s, s:b}", "label", v->label, "count",
						  i18n_number(req->arena, req->lang, (int64_t)v->count),
						  "url", arena_printf(req->arena, "%s%s", base, q),
						  "selected", v->selected));
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "name", facet_order[i].name,
						     "label", _(facet_order[i].label), "values",
						     values));
	}
	return arr;
}

/* Hidden inputs that carry the criteria through the text form. */
static json_t *
hidden_json(const struct search_params *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		for (size_t k = 0; k < p->n_values[d]; k++)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", facet_order[i].name,
							     "value", p->values[d][k]));
	}
	if (p->from_s)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "name", "from", "value", p->from_s));
	if (p->to_s)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "name", "to", "value", p->to_s));
	return arr;
}

/* For "no results": one link per selected criterion that drops it. */
static json_t *
drop_json(struct request *req, const char *base, const struct search_params *p,
	  const struct search_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		for (size_t k = 0; k < r->n_facets[d]; k++) {
			const struct facet_value *v = &r->facets[d][k];
			if (!v->selected)
				continue;
			const char *q = search_params_query(req->arena, p, d, v->code, 0);
			json_array_append_new(arr, json_pack("{s:s, s:s}", "label", v->label, "url",
							     arena_printf(req->arena, "%s%s", base, q)));
		}
	}
	return arr;
}

static json_t *
results_json(struct request *req, const struct search_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct event *e = &r->events[i];
		enum lang shown;
		const struct event_text *t = events_text_for(e, req->lang, &shown);
		char iso[32];
		time_format_rfc3339(e->starts, iso);
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "url",
			arena_printf(req->arena, "/%s/events/%s", lang_code(req->lang), e->slug), "title",
			t->title ? t->title : e->slug, "text_lang", lang_code(shown), "text_dir",
			lang_dir(shown), "missing", shown != req->lang, "starts_iso", iso, "starts_date",
			i18n_date(req->arena, req->lang, e->starts, e->timezone), "location",
			e->is_virtual ? _("Virtual")
				      : (e->city ? e->city : (e->venue ? e->venue : "")));
		json_object_set_new(o, "organiser", json_string(events_name_for(&e->organiser, req->lang)));
		if (r->snippets[i] != NULL)
			json_object_set_new(o, "snippet", json_string(r->snippets[i]));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Renders a search (the search page or the events list) into res. */
static enum http_error
search_render(struct request *req, struct response *res, struct search_params *p,
	      const char *tmpl, const char *base, const char *title, json_t *tabs)
{
	struct search_result r;
	int64_t now = time_now();
	if (events_search(db_thread(), req->arena, p, req->lang, now, &r) < 0) {
		json_decref(tabs);
		return HTTP_ERR_INTERNAL;
	}
	size_t pages = (r.total + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE;
	if (p->page > 1 && (size_t)p->page > pages) {
		json_decref(tabs);
		return HTTP_ERR_NOT_FOUND;
	}

	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(title));
	if (tabs != NULL)
		json_object_set_new(ctx, "tabs", tabs);
	json_object_set_new(ctx, "description",
			    json_string(_("Search the workshops, webinars, meetings and study visits "
					  "of the network.")));
	json_object_set_new(ctx, "action", json_string(base));
	json_object_set_new(ctx, "q", json_string(p->q ? p->q : ""));
	json_object_set_new(ctx, "sort_date", json_boolean(p->sort_date));
	json_object_set_new(ctx, "text_searched", json_boolean(r.text_searched));
	json_object_set_new(ctx, "hidden", hidden_json(p));
	json_object_set_new(ctx, "facets", facets_json(req, base, p, &r));
	json_object_set_new(ctx, "results", results_json(req, &r));
	json_object_set_new(ctx, "total", json_string(i18n_number(req->arena, req->lang, (int64_t)r.total)));
	json_object_set_new(ctx, "none", json_boolean(r.total == 0));
	json_object_set_new(ctx, "query", json_string(search_params_query(req->arena, p, -1, NULL,
									  p->page)));
	json_object_set_new(ctx, "clear_url", json_string(base));
	if (r.total == 0) {
		json_object_set_new(ctx, "drop", drop_json(req, base, p, &r));
		json_t *sugg = json_array();
		for (size_t i = 0; i < r.n_suggestions; i++) {
			struct search_params s = *p;
			s.q = r.suggestions[i];
			s.page = 1;
			json_array_append_new(sugg, json_pack("{s:s, s:s}", "word", r.suggestions[i], "url",
							      arena_printf(req->arena, "%s%s", base,
									   search_params_query(req->arena, &s, -1, NULL, 0))));
		}
		json_object_set_new(ctx, "suggestions", sugg);
	}
	if (pages > 1)
		json_object_set_new(ctx, "page_label",
				    json_string(arena_printf(req->arena, _("Page %s of %s"),
							     i18n_number(req->arena, req->lang, p->page),
							     i18n_number(req->arena, req->lang, (int64_t)pages))));
	if (p->page > 1)
		json_object_set_new(ctx, "prev_url", json_string(arena_printf(
						      req->arena, "%s%s", base,
						      search_params_query(req->arena, p, -1, NULL, p->page - 1))));
	if ((size_t)p->page < pages)
		json_object_set_new(ctx, "next_url", json_string(arena_printf(
						      req->arena, "%s%s", base,
						      search_params_query(req->arena, p, -1, NULL, p->page + 1))));
	enum http_error e = render_page(req, res, tmpl, ctx);
	json_decref(ctx);
	return e;
}

enum http_error
events_search_page(struct request *req, struct response *res)
{
	struct search_params p;
	enum http_error e = search_params_read(req, &p);
	if (e != HTTP_OK)
		return e;
	const char *base = arena_printf(req->arena, "/%s/search", lang_code(req->lang));
	return search_render(req, res, &p, "events/search", base, _("Search"), NULL);
}

enum http_error
events_list_page(struct request *req, struct response *res)
{
	struct search_params p;
	enum http_error e = search_params_read(req, &p);
	if (e != HTTP_OK)
		return e;
	/* the list is the search without text; upcoming unless asked otherwise */
	p.q = NULL;
	int any = 0;
	for (int d = 0; d < DIM_COUNT; d++)
		any |= p.n_values[d] > 0;
	if (p.n_values[DIM_WHEN] == 0 && !p.when_all && !any && !p.from && !p.to) {
		p.values[DIM_WHEN][0] = "upcoming";
		p.n_values[DIM_WHEN] = 1;
		p.when_default = 1;
	}
	/* on the list, no when criterion is written when=all (no parameter: upcoming) */
	p.when_all = 1;
	const char *tab = p.n_values[DIM_WHEN] == 1 ? p.values[DIM_WHEN][0] : "all";
	const char *base = arena_printf(req->arena, "/%s/events", lang_code(req->lang));
	json_t *tabs = json_array();
	static const char *const tab_codes[] = {"upcoming", "past", "all"};
	static const char *const tab_labels[] = {N_("Upcoming events"), N_("Past events"),
						 N_("All events")};
	for (int i = 0; i < 3; i++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:b}", "label", _(tab_labels[i]), "url",
						      i == 0 ? base
							     : arena_printf(req->arena, "%s?when=%s", base,
									    tab_codes[i]),
						      "current", strcmp(tab, tab_codes[i]) == 0 &&
								 !any));
	return search_render(req, res, &p, "events/list", base, _("Events"), tabs);
}

enum http_error
events_api_search(struct request *req, struct response *res)
{
	struct search_params p;
	enum http_error e = search_params_read(req, &p);
	if (e != HTTP_OK)
		return e;
	struct search_result r;
	if (events_search(db_thread(), req->arena, &p, req->lang, time_now(), &r) < 0)
		return HTTP_ERR_INTERNAL;
	json_t *items = json_array();
	for (size_t i = 0; i < r.n; i++) {
		json_t *o = events_api_item(req->arena, &r.events[i], req->lang);
		json_object_set_new(o, "snippet", r.snippets[i] ? json_string(r.snippets[i]) : json_null());
		json_array_append_new(items, o);
	}
	json_t *facets = json_object();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		json_t *values = json_array();
		for (size_t k = 0; k < r.n_facets[d]; k++)
			json_array_append_new(values, json_pack("{s:s, s:s, s:I, s:b}", "value",
								r.facets[d][k].code, "label",
								r.facets[d][k].label, "count",
								(json_int_t)r.facets[d][k].count,
								"selected", r.facets[d][k].selected));
		json_object_set_new(facets, facet_order[i].name, values);
	}
	json_t *sugg = json_array();
	for (size_t i = 0; i < r.n_suggestions; i++)
		json_array_append_new(sugg, json_string(r.suggestions[i]));
	json_t *root = json_pack("{s:o, s:I, s:i, s:i, s:o, s:o}", "items", items, "total",
				 (json_int_t)r.total, "page", p.page, "per_page", SEARCH_PAGE_SIZE,
				 "facets", facets, "suggestions", sugg);
	return render_json(req, res, root);
}
