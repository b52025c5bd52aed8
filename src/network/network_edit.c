/* network_edit: the form in which staff edit a municipality's record — names in three
 * languages, country, governorate, population, displaced people hosted and the year of
 * the figures — checked by network_check.c with a message beside each wrong field
 * (422, nothing saved). */
#include <stddef.h>
#include <string.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "network/network_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

/* The year it is now (UTC). */
static int
this_year(void)
{
	int64_t y;
	unsigned mo, d;
	time_civil_from_days(time_now() / 86400, &y, &mo, &d);
	return (int)y;
}

/* The message beside a wrong field, in the reader's language. */
static const char *
problem_text(struct request *req, enum muni_field f, enum muni_problem p)
{
	struct arena *a = req->arena;
	switch (p) {
	case MP_NO_NAME:
		return _("Give the name in at least one language.");
	case MP_TOO_LONG:
		return arena_printf(a, _("Write at most %s characters."),
				    i18n_number(a, req->lang, NETWORK_NAME_MAX));
	case MP_CONTROL:
		return _("Remove the control characters (such as line breaks or tabs) from this field.");
	case MP_COUNTRY:
		return _("Choose a country from the list.");
	case MP_NUMBER:
		return _("Write a whole number, such as 25000, or leave the field empty.");
	case MP_TOO_BIG:
		return arena_printf(a, _("Write a number from 0 to %s."),
				    i18n_number(a, req->lang, NETWORK_FIGURE_MAX));
	case MP_YEAR:
		return arena_printf(a, _("Write a year from %s to %s."),
				    i18n_number_plain(a, req->lang, NETWORK_YEAR_MIN),
				    i18n_number_plain(a, req->lang, this_year() + 1));
	case MP_YEAR_NEEDED:
		return _("Give the year of the figures.");
	case MP_NONE:
		break;
	}
	(void)f;
	return "";
}

struct option {
	const char *value, *label;
};

static json_t *
country_options(struct request *req, const char *selected)
{
	const char **codes;
	size_t n;
	if (network_country_codes(db_thread(), req->arena, &codes, &n) < 0)
		return NULL;
	struct option *o = arena_alloc(req->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		const char *name = i18n_country_name(req->arena, req->lang, codes[i]);
		o[i] = (struct option){codes[i], name != NULL ? name : codes[i]};
	}
	i18n_sort(req->lang, o, n, sizeof(*o), offsetof(struct option, label));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", o[i].value, "label",
						     o[i].label, "selected",
						     selected != NULL && strcmp(o[i].value, selected) == 0));
	return arr;
}

/* The form's values from the stored record. */
static void
values_of(struct request *req, const struct municipality *m, const char *v[MF_COUNT])
{
	struct arena *a = req->arena;
	for (int l = 0; l < LANG_COUNT; l++)
		v[MF_NAME_AR + l] = m->name[l] != NULL ? m->name[l] : "";
	v[MF_COUNTRY] = m->country != NULL ? m->country : "";
	v[MF_GOVERNORATE] = m->governorate != NULL ? m->governorate : "";
	v[MF_POPULATION] = m->population >= 0 ? arena_printf(a, "%lld", (long long)m->population) : "";
	v[MF_DISPLACED] = m->displaced >= 0 ? arena_printf(a, "%lld", (long long)m->displaced) : "";
	v[MF_YEAR] = m->displaced_year > 0 ? arena_printf(a, "%d", m->displaced_year) : "";
}

/* Renders the form with values v (shown again as given) and the problems noted. */
static enum http_error
form_page(struct request *req, struct response *res, const struct member *m,
	  const char *const v[MF_COUNT], const enum muni_problem *problems, int status)
{
	struct arena *a = req->arena;
	json_t *ctx = json_object();
	const char *name = network_name_for(m->m.name, req->lang, NULL);
	const char *title = arena_printf(a, _("Edit the record: %s"), name != NULL ? name : m->m.slug);
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "description", json_string(title));
	json_object_set_new(ctx, "action",
			    json_string(arena_printf(a, "/%s/members/%s/edit", lang_code(req->lang),
						     m->m.slug)));
	json_object_set_new(ctx, "view_url",
			    json_string(arena_printf(a, "/%s/members/%s", lang_code(req->lang),
						     m->m.slug)));
	json_t *f = json_object(), *errors = json_object();
	for (int i = 0; i < MF_COUNT; i++) {
		json_object_set_new(f, network_field_name((enum muni_field)i), json_string(v[i]));
		if (problems != NULL && problems[i] != MP_NONE)
			json_object_set_new(errors, network_field_name((enum muni_field)i),
					    json_string(problem_text(req, (enum muni_field)i, problems[i])));
	}
	json_object_set_new(ctx, "f", f);
	json_object_set_new(ctx, "errors", errors);
	json_t *countries = country_options(req, v[MF_COUNTRY]);
	if (countries == NULL) {
		json_decref(ctx);
		return HTTP_ERR_INTERNAL;
	}
	json_object_set_new(ctx, "countries", countries);
	json_object_set_new(ctx, "year_max", json_integer(this_year() + 1));
	json_object_set_new(ctx, "figure_max", json_integer(NETWORK_FIGURE_MAX));
	json_object_set_new(ctx, "name_max", json_integer(NETWORK_NAME_MAX));
	return accounts_form_page(req, res, "network/edit", ctx, status);
}

/* GET /{lang}/members/{slug}/edit */
enum http_error
network_edit_form(struct request *req, struct response *res)
{
	if (!auth_can(auth_user_of(req), ACT_MUNICIPALITY_EDIT, NULL))
		return HTTP_ERR_FORBIDDEN;
	struct member m;
	enum http_error e = network_member_of(req, &m);
	if (e != HTTP_OK)
		return e;
	const char *v[MF_COUNT];
	values_of(req, &m.m, v);
	return form_page(req, res, &m, v, NULL, 200);
}

/* POST /{lang}/members/{slug}/edit: saved whole, or not at all (422 with a message
 * beside each wrong field). */
enum http_error
network_edit(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	struct db *db = db_thread();
	if (!auth_can(me, ACT_MUNICIPALITY_EDIT, NULL))
		return HTTP_ERR_FORBIDDEN;
	struct member m;
	enum http_error e = network_member_of(req, &m);
	if (e != HTTP_OK)
		return e;
	const char *v[MF_COUNT];
	for (int i = 0; i < MF_COUNT; i++) {
		const char *s = http_form_get(req, network_field_name((enum muni_field)i));
		v[i] = s != NULL ? s : "";
	}
	struct municipality rec = {.slug = m.m.slug};
	enum muni_problem problems[MF_COUNT];
	size_t wrong = network_municipality_check(req->arena, v, this_year(), &rec, problems);
	if (problems[MF_COUNTRY] == MP_NONE) {
		int rc = network_country_exists(db, rec.country);
		if (rc < 0)
			return HTTP_ERR_INTERNAL;
		if (rc == 0) {
			problems[MF_COUNTRY] = MP_COUNTRY;
			wrong++;
		}
	}
	if (wrong > 0)
		return form_page(req, res, &m, v, problems, 422);
	char err[300] = "";
	if (db_begin(db) < 0)
		return HTTP_ERR_UNAVAILABLE;
	if (network_save_municipality(db, &rec, err, sizeof(err)) < 0 || db_commit(db) < 0) {
		log_error("network: update %s: %s", rec.slug, err);
		db_rollback(db);
		return HTTP_ERR_INTERNAL;
	}
	log_info("network: municipality.update %s by user %lld", rec.slug, (long long)me->id);
	http_redirect(res, 303, arena_printf(req->arena, "/%s/members/%s?saved=1",
					     lang_code(req->lang), rec.slug));
	return HTTP_OK;
}
