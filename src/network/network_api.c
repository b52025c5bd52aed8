/* network_api: the JSON API of member municipalities, /api/v1/municipalities (the
 * directory's search, criteria, facets and pages) and /api/v1/municipalities/{slug}
 * (one municipality with its groups and events). The same rules as the pages: the
 * representatives' names only for a signed-in reader (the session cookie counts), never
 * an e-mail address. */
#include <string.h>

#include "auth/auth.h"
#include "core/core_config.h"
#include "core/core_time.h"
#include "events/events.h"
#include "network/network_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define API_MAX_AGE 60
#define REPRESENTATIVES_SHOWN 50
#define EVENTS_SHOWN 100

/* The lang parameter (ar, en, fr; English when absent). 0, or -1 when invalid. */
static int
api_lang(const struct request *req, enum lang *l)
{
	const char *s = http_query_get(req, "lang");
	*l = s == NULL ? LANG_EN : lang_from_code(s);
	return *l == LANG_NONE ? -1 : 0;
}

static json_t *
names_json(const char *const name[LANG_COUNT])
{
	json_t *o = json_object();
	for (int l = 0; l < LANG_COUNT; l++)
		json_object_set_new(o, lang_code((enum lang)l), json_str_or_null(name[l]));
	return o;
}

static json_t *
int_or_null(int64_t v)
{
	return v >= 0 ? json_integer((json_int_t)v) : json_null();
}

static json_t *
theme_json(const struct network_theme *t, enum lang l)
{
	return json_pack("{s:s, s:o}", "slug", t->slug, "name",
			 json_str_or_null(network_name_for(t->name, l, NULL)));
}

/* The API object of municipality m, names in l (with a fallback). */
static json_t *
member_item(struct arena *a, const struct member *m, enum lang l)
{
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(m->m.slug));
	json_object_set_new(o, "url", json_string(arena_printf(a, "%s/%s/members/%s", config_base_url(),
							       lang_code(l), m->m.slug)));
	enum lang shown;
	const char *name = network_name_for(m->m.name, l, &shown);
	json_object_set_new(o, "name", json_str_or_null(name));
	json_object_set_new(o, "lang", json_string(lang_code(shown)));
	json_object_set_new(o, "names", names_json(m->m.name));
	json_object_set_new(o, "country", json_str_or_null(m->m.country));
	json_object_set_new(o, "country_name",
			    json_str_or_null(m->m.country ? i18n_country_name(a, l, m->m.country) : NULL));
	json_object_set_new(o, "governorate", json_str_or_null(m->m.governorate));
	json_object_set_new(o, "population", int_or_null(m->m.population));
	json_object_set_new(o, "displaced", int_or_null(m->m.displaced));
	json_object_set_new(o, "displaced_year", int_or_null(m->m.displaced_year > 0 ? m->m.displaced_year : -1));
	json_t *groups = json_array();
	for (size_t i = 0; i < m->n_groups; i++) {
		const struct member_group *g = &m->groups[i];
		json_t *themes = json_array();
		for (size_t k = 0; k < g->n_themes; k++)
			json_array_append_new(themes, theme_json(g->themes[k], l));
		json_t *partner = json_pack("{s:s, s:o, s:o}", "slug", g->partner_slug, "name",
					    json_str_or_null(network_name_for(g->partner_name, l, NULL)),
					    "country", json_str_or_null(g->partner_country));
		json_array_append_new(groups, json_pack("{s:s, s:o, s:s, s:o, s:o}", "slug", g->slug,
							"name",
							json_str_or_null(network_name_for(g->name, l, NULL)),
							"status", group_status_code(g->status),
							"partner", partner, "themes", themes));
	}
	json_object_set_new(o, "groups", groups);
	json_t *themes = json_array();
	for (size_t k = 0; k < m->n_themes; k++)
		json_array_append_new(themes, theme_json(m->themes[k], l));
	json_object_set_new(o, "themes", themes);
	return o;
}

/*
 * GET /api/v1/municipalities?q=&country=&theme=&page=&lang= : the directory,
 * {"items":[...], "total", "page", "per_page", "facets":{"country":[...],
 * "theme":[...]}, "next"}. Each facet value: {"value","label","count","selected"}.
 */
enum http_error
network_api_list(struct request *req, struct response *res)
{
	struct directory_params p;
	enum lang l;
	if (network_directory_params(req, &p) != HTTP_OK || api_lang(req, &l) < 0)
		return HTTP_ERR_BAD_PARAM;
	struct member *all;
	size_t n;
	struct directory_result r;
	if (network_members(db_thread(), req->arena, NULL, &all, &n) < 0 ||
	    network_directory(req->arena, all, n, &p, l, &r) < 0)
		return HTTP_ERR_INTERNAL;
	json_t *items = json_array();
	for (size_t i = 0; i < r.n; i++)
		json_array_append_new(items, member_item(req->arena, r.items[i], l));
	json_t *facets = json_object();
	static const char *const names[DD_COUNT] = {[DD_COUNTRY] = "country", [DD_THEME] = "theme"};
	for (int d = 0; d < DD_COUNT; d++) {
		json_t *values = json_array();
		for (size_t k = 0; k < r.n_facets[d]; k++)
			json_array_append_new(values, json_pack("{s:s, s:s, s:I, s:b}", "value",
								r.facets[d][k].code, "label",
								r.facets[d][k].label, "count",
								(json_int_t)r.facets[d][k].count,
								"selected", r.facets[d][k].selected));
		json_object_set_new(facets, names[d], values);
	}
	const char *next = NULL;
	if ((size_t)p.page * DIRECTORY_PAGE_SIZE < r.total && p.page < DIRECTORY_MAX_PAGE) {
		const char *q = network_directory_query(req->arena, &p, -1, NULL, p.page + 1);
		next = arena_printf(req->arena, "/api/v1/municipalities%s%slang=%s", q, *q ? "&" : "?",
				    lang_code(l));
	}
	json_t *root = json_pack("{s:o, s:I, s:i, s:i, s:o, s:o}", "items", items, "total",
				 (json_int_t)r.total, "page", p.page, "per_page", DIRECTORY_PAGE_SIZE,
				 "facets", facets, "next", json_str_or_null(next));
	res->max_age = API_MAX_AGE;
	return render_json(req, res, root);
}

/*
 * GET /api/v1/municipalities/{slug}?lang= : one municipality with its groups, the
 * published events it took part in ("events", newest first) and, for a signed-in
 * reader only, "representatives" ([{"name"}]); 404 when there is none.
 */
enum http_error
network_api_one(struct request *req, struct response *res)
{
	enum lang l;
	if (api_lang(req, &l) < 0)
		return HTTP_ERR_BAD_PARAM;
	struct member m;
	enum http_error e = network_member_of(req, &m);
	if (e != HTTP_OK)
		return e;
	struct db *db = db_thread();
	struct event *ev;
	size_t n_ev;
	if (events_taken_part(db, req->arena, m.id, EVENTS_SHOWN, &ev, &n_ev) < 0)
		return HTTP_ERR_INTERNAL;
	json_t *o = member_item(req->arena, &m, l);
	static const enum lang fallback[LANG_COUNT] = {LANG_EN, LANG_FR, LANG_AR};
	json_t *events = json_array();
	for (size_t i = 0; i < n_ev; i++) {
		enum lang shown = l;
		for (int k = 0; ev[i].text[shown].title == NULL && k < LANG_COUNT; k++)
			shown = fallback[k];
		char starts[32];
		time_format_rfc3339(ev[i].starts, starts);
		json_array_append_new(
			events, json_pack("{s:s, s:o, s:s, s:s, s:s}", "slug", ev[i].slug, "title",
					  json_str_or_null(ev[i].text[shown].title), "lang",
					  lang_code(shown), "starts", starts, "url",
					  arena_printf(req->arena, "%s/%s/events/%s", config_base_url(),
						       lang_code(l), ev[i].slug)));
	}
	json_object_set_new(o, "events", events);
	if (auth_can(auth_user_of(req), ACT_MUNICIPALITY_PEOPLE, NULL)) {
		struct auth_user *u;
		size_t n;
		if (auth_users_of_municipality(db, req->arena, m.id, REPRESENTATIVES_SHOWN, &u, &n) < 0) {
			json_decref(o);
			return HTTP_ERR_INTERNAL;
		}
		json_t *reps = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(reps, json_pack("{s:s}", "name", u[i].name));
		json_object_set_new(o, "representatives", reps);
	}
	res->max_age = API_MAX_AGE;
	return render_json(req, res, o);
}
