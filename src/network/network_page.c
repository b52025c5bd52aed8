/* network_page: the public directory of member municipalities (/{lang}/members: names
 * search in three languages, country and theme criteria with counts, pages) and the
 * page of one municipality (its facts, twinning groups, the events it took part in and,
 * for signed-in readers, its representatives). */
#include <string.h>

#include "auth/auth.h"
#include "core/core_time.h"
#include "events/events.h"
#include "network/network_internal.h"
#include "render/render_cache.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define REPRESENTATIVES_SHOWN 50
#define EVENTS_SHOWN 100

static const char *const status_labels[GROUP_STATUS_COUNT] = {
	[GROUP_FORMING] = N_("Forming"),
	[GROUP_ACTIVE] = N_("Active"),
	[GROUP_PAUSED] = N_("Paused"),
	[GROUP_COMPLETED] = N_("Completed"),
};

const char *
network_status_label(enum group_status s)
{
	return _(status_labels[(unsigned)s < GROUP_STATUS_COUNT ? s : GROUP_FORMING]);
}

enum http_error
network_member_of(struct request *req, struct member *out)
{
	struct member *m;
	size_t n;
	const char *slug = req->captures[req->n_captures - 1];
	if (network_members(db_thread(), req->arena, slug, &m, &n) < 0)
		return HTTP_ERR_INTERNAL;
	if (n == 0)
		return HTTP_ERR_NOT_FOUND;
	*out = m[0];
	return HTTP_OK;
}

/* Sets key to the record's name in the reader's language, and key_lang / key_dir when
 * it is shown in another language (for lang and dir attributes). */
static void
set_name(struct request *req, json_t *o, const char *key, const char *const name[LANG_COUNT],
	 const char *fallback)
{
	enum lang shown;
	const char *s = network_name_for(name, req->lang, &shown);
	json_object_set_new(o, key, json_string(s != NULL ? s : fallback));
	if (s != NULL && shown != req->lang) {
		json_object_set_new(o, arena_printf(req->arena, "%s_lang", key),
				    json_string(lang_code(shown)));
		json_object_set_new(o, arena_printf(req->arena, "%s_dir", key),
				    json_string(lang_dir(shown)));
	}
}

static const char *
country_label(struct request *req, const char *code)
{
	const char *s = code != NULL ? i18n_country_name(req->arena, req->lang, code) : NULL;
	return s != NULL ? s : (code != NULL ? code : "");
}

static const char *
member_url(struct request *req, const char *slug)
{
	return arena_printf(req->arena, "/%s/members/%s", lang_code(req->lang), slug);
}

/* The facts every view of a municipality shows (directory cards and its page). */
static json_t *
member_json(struct request *req, const struct member *m)
{
	struct arena *a = req->arena;
	enum lang l = req->lang;
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(m->m.slug));
	json_object_set_new(o, "url", json_string(member_url(req, m->m.slug)));
	set_name(req, o, "name", m->m.name, m->m.slug);
	json_object_set_new(o, "country", json_string(country_label(req, m->m.country)));
	if (m->m.governorate != NULL)
		json_object_set_new(o, "governorate", json_string(m->m.governorate));
	if (m->m.population >= 0)
		json_object_set_new(o, "population", json_string(i18n_number(a, l, m->m.population)));
	if (m->m.displaced >= 0)
		json_object_set_new(o, "displaced", json_string(i18n_number(a, l, m->m.displaced)));
	if (m->m.displaced_year > 0)
		json_object_set_new(o, "displaced_year",
				    json_string(i18n_number_plain(a, l, m->m.displaced_year)));
	json_t *groups = json_array();
	for (size_t i = 0; i < m->n_groups; i++) {
		const struct member_group *g = &m->groups[i];
		/* group names and status are public (no group is private yet) */
		json_t *go = json_object();
		json_object_set_new(go, "slug", json_string(g->slug));
		set_name(req, go, "name", g->name, g->slug);
		json_object_set_new(go, "status", json_string(group_status_code(g->status)));
		json_object_set_new(go, "status_label", json_string(network_status_label(g->status)));
		set_name(req, go, "partner", g->partner_name, g->partner_slug);
		json_object_set_new(go, "partner_url", json_string(member_url(req, g->partner_slug)));
		json_object_set_new(go, "partner_country",
				    json_string(country_label(req, g->partner_country)));
		json_t *themes = json_array();
		for (size_t k = 0; k < g->n_themes; k++) {
			const char *t = network_name_for(g->themes[k]->name, l, NULL);
			json_array_append_new(themes, json_string(t != NULL ? t : g->themes[k]->slug));
		}
		json_object_set_new(go, "themes", themes);
		json_array_append_new(groups, go);
	}
	json_object_set_new(o, "groups", groups);
	return o;
}

/* ---- the directory ------------------------------------------------------------- */

static const struct {
	enum dir_dim dim;
	const char *name;	/* parameter */
	const char *label;
} facet_order[] = {
	{DD_COUNTRY, "country", N_("Country")},
	{DD_THEME, "theme", N_("Theme")},
};

#define N_FACETS (sizeof(facet_order) / sizeof(facet_order[0]))

static json_t *
facets_json(struct request *req, const char *base, const struct directory_params *p,
	    const struct directory_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		if (r->n_facets[d] == 0)
			continue;
		json_t *values = json_array();
		for (size_t k = 0; k < r->n_facets[d]; k++) {
			const struct directory_facet *v = &r->facets[d][k];
			const char *q = network_directory_query(req->arena, p, d, v->code, 0);
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

/* Hidden inputs that carry the criteria through the names form. */
static json_t *
hidden_json(const struct directory_params *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		for (size_t k = 0; k < p->n_values[d]; k++)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", facet_order[i].name,
							     "value", p->values[d][k]));
	}
	return arr;
}

/* For "none found": one link per selected criterion that drops it. */
static json_t *
drop_json(struct request *req, const char *base, const struct directory_params *p,
	  const struct directory_result *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < N_FACETS; i++) {
		int d = facet_order[i].dim;
		for (size_t k = 0; k < r->n_facets[d]; k++) {
			const struct directory_facet *v = &r->facets[d][k];
			if (v->selected)
				json_array_append_new(
					arr, json_pack("{s:s, s:s}", "label", v->label, "url",
						       arena_printf(req->arena, "%s%s", base,
								    network_directory_query(
									    req->arena, p, d, v->code, 0))));
		}
	}
	return arr;
}

/* GET /{lang}/members?q=&country=&theme=&page= */
enum http_error
network_directory_page(struct request *req, struct response *res)
{
	struct directory_params p;
	enum http_error e = network_directory_params(req, &p);
	if (e != HTTP_OK)
		return e;
	struct member *all;
	size_t n;
	struct directory_result r;
	if (network_members(db_thread(), req->arena, NULL, &all, &n) < 0 ||
	    network_directory(req->arena, all, n, &p, req->lang, &r) < 0)
		return HTTP_ERR_INTERNAL;
	size_t pages = (r.total + DIRECTORY_PAGE_SIZE - 1) / DIRECTORY_PAGE_SIZE;
	if (p.page > 1 && (size_t)p.page > pages)
		return HTTP_ERR_NOT_FOUND;

	struct arena *a = req->arena;
	const char *base = arena_printf(a, "/%s/members", lang_code(req->lang));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Member municipalities")));
	json_object_set_new(ctx, "description",
			    json_string(_("The municipalities of the network: where they are, whom "
					  "they host, and their twinning groups.")));
	json_object_set_new(ctx, "action", json_string(base));
	json_object_set_new(ctx, "q", json_string(p.q != NULL ? p.q : ""));
	json_object_set_new(ctx, "hidden", hidden_json(&p));
	json_object_set_new(ctx, "facets", facets_json(req, base, &p, &r));
	json_t *items = json_array();
	for (size_t i = 0; i < r.n; i++)
		json_array_append_new(items, member_json(req, r.items[i]));
	json_object_set_new(ctx, "members", items);
	json_object_set_new(ctx, "total", json_string(i18n_number(a, req->lang, (int64_t)r.total)));
	json_object_set_new(ctx, "none", json_boolean(r.total == 0));
	if (r.total == 0)
		json_object_set_new(ctx, "drop", drop_json(req, base, &p, &r));
	json_object_set_new(ctx, "query", json_string(network_directory_query(a, &p, -1, NULL, p.page)));
	json_object_set_new(ctx, "clear_url", json_string(base));
	if (pages > 1)
		json_object_set_new(ctx, "page_label",
				    json_string(arena_printf(a, _("Page %s of %s"),
							     i18n_number(a, req->lang, p.page),
							     i18n_number(a, req->lang, (int64_t)pages))));
	if (p.page > 1)
		json_object_set_new(ctx, "prev_url",
				    json_string(arena_printf(a, "%s%s", base,
							     network_directory_query(a, &p, -1, NULL,
										     p.page - 1))));
	if ((size_t)p.page < pages)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_printf(a, "%s%s", base,
							     network_directory_query(a, &p, -1, NULL,
										     p.page + 1))));
	e = render_page(req, res, "network/directory", ctx);
	json_decref(ctx);
	return e;
}

/* ---- one municipality ------------------------------------------------------------ */

static json_t *
events_json(struct request *req, const struct event *ev, size_t n)
{
	static const enum lang fallback[LANG_COUNT] = {LANG_EN, LANG_FR, LANG_AR};
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct event *e = &ev[i];
		enum lang shown = req->lang;
		for (int k = 0; e->text[shown].title == NULL && k < LANG_COUNT; k++)
			shown = fallback[k];
		const char *title = e->text[shown].title != NULL ? e->text[shown].title : e->slug;
		char iso[32];
		time_format_rfc3339(e->starts, iso);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "title", title, "url",
				      arena_printf(req->arena, "/%s/events/%s", lang_code(req->lang),
						   e->slug),
				      "starts_iso", iso, "starts_date",
				      i18n_date(req->arena, req->lang, e->starts, e->timezone));
		if (shown != req->lang) {
			json_object_set_new(o, "title_lang", json_string(lang_code(shown)));
			json_object_set_new(o, "title_dir", json_string(lang_dir(shown)));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

/* GET /{lang}/members/{slug} */
enum http_error
network_member_page(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	uint64_t version = db_data_version(db);
	const char *key = arena_printf(req->arena, "member/%s/%s", lang_code(req->lang),
				       req->captures[1]);
	if (render_cache_get(req, key, version, res))
		return HTTP_OK;
	struct member m;
	enum http_error e = network_member_of(req, &m);
	if (e != HTTP_OK)
		return e;
	struct event *ev;
	size_t n_ev;
	if (events_taken_part(db, req->arena, m.id, EVENTS_SHOWN, &ev, &n_ev) < 0)
		return HTTP_ERR_INTERNAL;

	const struct auth_user *me = auth_user_of(req);
	json_t *mo = member_json(req, &m);
	json_t *ctx = json_object();
	json_object_set(ctx, "title", json_object_get(mo, "name"));
	json_object_set_new(ctx, "description",
			    json_string(arena_printf(req->arena, _("%s, a member municipality of the network."),
						     json_string_value(json_object_get(mo, "name")))));
	json_object_set_new(ctx, "member", mo);
	json_object_set_new(ctx, "events", events_json(req, ev, n_ev));
	json_object_set_new(ctx, "members_url",
			    json_string(arena_printf(req->arena, "/%s/members", lang_code(req->lang))));
	if (auth_can(me, ACT_MUNICIPALITY_PEOPLE, NULL)) {
		/* names for the network's own people; never addresses */
		struct auth_user *u;
		size_t n;
		if (auth_users_of_municipality(db, req->arena, m.id, REPRESENTATIVES_SHOWN, &u, &n) < 0) {
			json_decref(ctx);
			return HTTP_ERR_INTERNAL;
		}
		json_t *reps = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(reps, json_string(u[i].name));
		json_object_set_new(ctx, "representatives", reps);
		json_object_set_new(ctx, "people_visible", json_true());
	} else {
		json_object_set_new(ctx, "login_url",
				    json_string(arena_printf(req->arena, "/%s/login?next=%s",
							     lang_code(req->lang),
							     member_url(req, m.m.slug))));
	}
	if (auth_can(me, ACT_MUNICIPALITY_EDIT, NULL)) {
		json_object_set_new(ctx, "edit_url",
				    json_string(arena_printf(req->arena, "%s/edit",
							     member_url(req, m.m.slug))));
		json_object_set_new(ctx, "saved", json_boolean(http_query_get(req, "saved") != NULL));
	}
	e = render_page(req, res, "network/member", ctx);
	json_decref(ctx);
	if (e == HTTP_OK)
		render_cache_put(req, key, version, res);
	return e;
}
