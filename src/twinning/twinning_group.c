/* twinning_group: the facilitators' form that forms a twinning group and edits it —
 * two municipalities of two different countries, where it was formed, its focus
 * themes, its status, its names in three languages, published or not — with a message
 * beside each wrong field (422), 409 on a stale form, and its timeline row written
 * with the change. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define EVENTS_OFFERED 60	/* events suggested for "formed at" */
#define SLUG_MAX 100

enum field {
	F_SLUG, F_MUNI_A, F_MUNI_B, F_EVENT, F_STATUS, F_PUBLISHED, F_VERSION, F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_SLUG] = "slug",
	[F_MUNI_A] = "municipality_a",
	[F_MUNI_B] = "municipality_b",
	[F_EVENT] = "event",
	[F_STATUS] = "status",
	[F_PUBLISHED] = "published",
	[F_VERSION] = "version",
};

struct form {
	const char *v[F_COUNT];
	const char *name[LANG_COUNT];
	const char **themes;
	size_t n_themes;
	json_t *errors;
};

/* What the form chooses from. */
struct choices {
	struct municipality_name *muni;
	size_t n_muni;
	struct tw_named *themes, *events;
	size_t n_themes, n_events;
};

static int
load_choices(struct request *req, struct choices *c)
{
	struct db *db = db_thread();
	return network_municipality_names(db, req->arena, req->lang, &c->muni, &c->n_muni) < 0 ||
			       tw_themes_all(db, req->arena, req->lang, &c->themes, &c->n_themes) < 0 ||
			       tw_recent_events(db, req->arena, req->lang, EVENTS_OFFERED, &c->events,
						&c->n_events) < 0
		       ? -1
		       : 0;
}

static void
error(struct form *f, const char *field, const char *msg)
{
	if (json_object_get(f->errors, field) == NULL)
		json_object_set_new(f->errors, field, json_string(msg));
}

static const char *
name_field(struct request *req, enum lang l)
{
	return arena_printf(req->arena, "name_%s", lang_code(l));
}

static void
form_from_request(struct request *req, struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++) {
		const char *s = http_form_get(req, field_names[i]);
		f->v[i] = s != NULL ? s : "";
	}
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *s = http_form_get(req, name_field(req, (enum lang)l));
		f->name[l] = s != NULL ? s : "";
	}
	f->themes = arena_alloc(req->arena, (req->n_form + 1) * sizeof(*f->themes));
	for (size_t i = 0; i < req->n_form; i++)
		if (strcmp(req->form[i].name, "theme") == 0)
			f->themes[f->n_themes++] = req->form[i].value;
}

static void
form_from_group(struct request *req, struct form *f, const struct tw_group *g)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	f->v[F_SLUG] = g->slug;
	f->v[F_MUNI_A] = g->city[0].slug;
	f->v[F_MUNI_B] = g->city[1].slug;
	f->v[F_EVENT] = g->event_slug != NULL ? g->event_slug : "";
	f->v[F_STATUS] = group_status_code(g->status);
	f->v[F_PUBLISHED] = g->published ? "1" : "";
	f->v[F_VERSION] = arena_printf(req->arena, "%lld", (long long)g->version);
	for (int l = 0; l < LANG_COUNT; l++)
		f->name[l] = g->names[l] != NULL ? g->names[l] : "";
	struct tw_named *th;
	size_t n;
	if (tw_group_themes(db_thread(), req->arena, g->id, req->lang, &th, &n) == 0) {
		f->themes = arena_alloc(req->arena, (n + 1) * sizeof(*f->themes));
		for (size_t i = 0; i < n; i++)
			f->themes[f->n_themes++] = th[i].slug;
	}
}

static void
form_blank(struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++)
		f->v[i] = "";
	for (int l = 0; l < LANG_COUNT; l++)
		f->name[l] = "";
	f->v[F_STATUS] = group_status_code(GROUP_FORMING);
}

/* [a-z0-9]+(-[a-z0-9]+)*, at most SLUG_MAX characters. */
static int
slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			 (s[i] == '-' && s[i + 1] != '-');
		if (!ok)
			return 0;
	}
	return 1;
}

static const struct municipality_name *
find_muni(const struct choices *c, const char *slug)
{
	for (size_t i = 0; i < c->n_muni; i++)
		if (strcmp(c->muni[i].slug, slug) == 0)
			return &c->muni[i];
	return NULL;
}

/* The name of municipality slug in l (for a group's default names). */
static const char *
muni_name_in(struct request *req, const char *slug, enum lang l)
{
	struct municipality_name *m;
	size_t n;
	if (network_municipality_names(db_thread(), req->arena, l, &m, &n) < 0)
		return slug;
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].slug, slug) == 0)
			return m[i].name;
	return slug;
}

/* Checks f into g (and *published) noting a message beside each wrong field. old: the
 * stored group when editing. Returns the number of problems. */
static size_t
form_check(struct request *req, struct form *f, const struct choices *c, const struct tw_group *old,
	   struct twinning_group *g, int *published)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	memset(g, 0, sizeof(*g));

	const struct municipality_name *ma = find_muni(c, f->v[F_MUNI_A]);
	const struct municipality_name *mb = find_muni(c, f->v[F_MUNI_B]);
	if (ma == NULL)
		error(f, "municipality_a", _("Choose a municipality from the list."));
	if (mb == NULL)
		error(f, "municipality_b", _("Choose a municipality from the list."));
	if (ma != NULL && mb != NULL) {
		int p = tw_pair_problem(ma->id, ma->country, mb->id, mb->country);
		if (p == 1)
			error(f, "municipality_b", _("Choose two different municipalities."));
		else if (p == 2)
			error(f, "municipality_b",
			      arena_printf(a, _("%1$s and %2$s are both in %3$s: a twinning group "
						"pairs municipalities from two different countries."),
					   ma->name, mb->name,
					   i18n_country_name(a, req->lang, ma->country)
						   ? i18n_country_name(a, req->lang, ma->country)
						   : ma->country));
		const char *other = NULL;
		int taken = p == 0 ? tw_pair_taken(db, a, ma->id, mb->id, old ? old->slug : NULL, &other)
				   : 0;
		if (taken < 0)
			return (size_t)-1;
		if (taken > 0)
			error(f, "municipality_b",
			      arena_printf(a, _("These two municipalities already form the group %s."),
					   other));
		g->municipality_a = ma->slug;
		g->municipality_b = mb->slug;
	}

	if (old != NULL) {
		g->slug = old->slug;
	} else if (*f->v[F_SLUG] == '\0' && ma != NULL && mb != NULL) {
		g->slug = arena_printf(a, "%s-%s", ma->slug, mb->slug);
		if (strlen(g->slug) > SLUG_MAX)
			error(f, "slug", _("Choose an address for the group."));
	} else if (!slug_valid(f->v[F_SLUG])) {
		error(f, "slug", _("Use lowercase letters a-z and digits, words joined by single "
				   "hyphens (such as irbid-gaziantep)."));
	} else {
		g->slug = f->v[F_SLUG];
	}

	if (*f->v[F_EVENT] != '\0') {
		int rc = tw_event_exists(db, f->v[F_EVENT]);
		if (rc < 0)
			return (size_t)-1;
		if (rc == 0)
			error(f, "event", _("There is no event at this address: choose one from the "
					    "list, or leave it empty."));
		else
			g->formed_event = f->v[F_EVENT];
	}

	int status = group_status_from_code(f->v[F_STATUS]);
	if (status < 0)
		error(f, "status", _("Choose a status from the list."));
	else
		g->status = (enum group_status)status;
	*published = strcmp(f->v[F_PUBLISHED], "1") == 0;
	if (!*published && *f->v[F_PUBLISHED] != '\0')
		error(f, "published", _("Tick the box or leave it empty."));

	const char **themes = arena_alloc(a, (f->n_themes + 1) * sizeof(*themes));
	for (size_t i = 0; i < f->n_themes; i++) {
		const struct tw_named *t = NULL;
		for (size_t k = 0; k < c->n_themes; k++)
			if (strcmp(c->themes[k].slug, f->themes[i]) == 0)
				t = &c->themes[k];
		int seen = 0;
		for (size_t k = 0; t != NULL && k < g->n_themes; k++)
			seen |= strcmp(themes[k], t->slug) == 0;
		if (t == NULL)
			error(f, "themes", _("Choose themes from the list."));
		else if (!seen)
			themes[g->n_themes++] = t->slug;
	}
	if (g->n_themes > TW_THEMES_MAX)
		error(f, "themes", arena_printf(a, _("Choose at most %s themes."),
						i18n_number(a, req->lang, TW_THEMES_MAX)));
	g->themes = themes;

	int any = 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *name = NULL;
		const char *msg = tw_text_problem(req, tw_text_check(a, f->name[l], 0, TW_NAME_MAX, &name),
						  TW_NAME_MAX, NULL);
		if (msg != NULL)
			error(f, name_field(req, (enum lang)l), msg);
		g->name[l] = name;
		any |= name != NULL;
	}
	if (!any && ma != NULL && mb != NULL) {
		/* "Irbid – Gaziantep" in each language */
		for (int l = 0; l < LANG_COUNT; l++)
			g->name[l] = arena_printf(a, "%s \u2013 %s",
						  muni_name_in(req, ma->slug, (enum lang)l),
						  muni_name_in(req, mb->slug, (enum lang)l));
	}
	g->created = old != NULL ? old->created : time_now();
	return json_object_size(f->errors);
}

/* ---- the page -------------------------------------------------------------------- */

static enum http_error
form_page(struct request *req, struct response *res, struct form *f, const struct choices *c,
	  const struct tw_group *old, int status)
{
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	json_t *ctx = json_object();
	const char *title = old ? _("Edit the twinning group") : _("New twinning group");
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "description", json_string(title));
	json_object_set_new(ctx, "is_new", json_boolean(old == NULL));
	json_object_set_new(ctx, "action",
			    json_string(old ? arena_printf(a, "/%s/manage/groups/%s/edit", lang, old->slug)
					    : arena_printf(a, "/%s/manage/groups/new", lang)));
	if (old != NULL)
		json_object_set_new(ctx, "group", tw_group_brief(req, old));
	json_t *v = json_object();
	for (int i = 0; i < F_COUNT; i++)
		json_object_set_new(v, field_names[i], json_string(f->v[i]));
	json_object_set_new(v, "is_published", json_boolean(*f->v[F_PUBLISHED] != '\0'));
	json_object_set_new(ctx, "f", v);

	struct tw_option *mo = arena_alloc(a, (c->n_muni + 1) * sizeof(*mo));
	for (size_t i = 0; i < c->n_muni; i++) {
		const char *country = i18n_country_name(a, req->lang, c->muni[i].country);
		mo[i] = (struct tw_option){c->muni[i].slug,
					   arena_printf(a, "%s (%s)", c->muni[i].name,
							country ? country : c->muni[i].country)};
	}
	i18n_sort(req->lang, mo, c->n_muni, sizeof(*mo), offsetof(struct tw_option, label));
	json_object_set_new(ctx, "municipalities_a", tw_options(mo, c->n_muni, f->v[F_MUNI_A]));
	json_object_set_new(ctx, "municipalities_b", tw_options(mo, c->n_muni, f->v[F_MUNI_B]));
	json_t *events = json_array();
	for (size_t i = 0; i < c->n_events; i++)
		json_array_append_new(events, json_pack("{s:s, s:s}", "slug", c->events[i].slug,
							"title", c->events[i].name));
	json_object_set_new(ctx, "events", events);
	struct tw_option statuses[GROUP_STATUS_COUNT];
	for (int s = 0; s < GROUP_STATUS_COUNT; s++)
		statuses[s] = (struct tw_option){group_status_code((enum group_status)s),
						 tw_group_status_label((enum group_status)s)};
	json_object_set_new(ctx, "statuses", tw_options(statuses, GROUP_STATUS_COUNT, f->v[F_STATUS]));
	json_t *themes = json_array();
	for (size_t i = 0; i < c->n_themes; i++) {
		int on = 0;
		for (size_t k = 0; k < f->n_themes; k++)
			on |= strcmp(f->themes[k], c->themes[i].slug) == 0;
		json_array_append_new(themes, json_pack("{s:s, s:s, s:b}", "value", c->themes[i].slug,
							"label", c->themes[i].name, "checked", on));
	}
	json_object_set_new(ctx, "themes", themes);
	json_t *names = json_array();
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *field = name_field(req, (enum lang)l);
		const char *err = json_string_value(json_object_get(f->errors, field));
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "field", field, "code",
				      lang_code((enum lang)l), "name", lang_native_name((enum lang)l),
				      "dir", lang_dir((enum lang)l), "value", f->name[l]);
		if (err != NULL)
			json_object_set_new(o, "error", json_string(err));
		json_array_append_new(names, o);
	}
	json_object_set_new(ctx, "names", names);
	json_object_set_new(ctx, "errors", f->errors);
	f->errors = NULL;
	json_object_set_new(ctx, "conflict", json_boolean(status == 409));
	return accounts_form_page(req, res, "twinning/group_form", ctx, status);
}

static enum http_error
saved(struct request *req, struct response *res, const char *slug)
{
	http_redirect(res, 303, arena_printf(req->arena, "/%s/groups/%s?saved=group",
					     lang_code(req->lang), slug));
	return HTTP_OK;
}

/* Saves g in one transaction: 303 to the group, or the form again (409 when the
 * group changed meanwhile, 422 when its address was taken meanwhile). */
static enum http_error
save(struct request *req, struct response *res, struct form *f, const struct choices *c,
     const struct tw_group *old, const struct twinning_group *g, int published, int64_t version)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	char err[400] = "";
	if (db_begin(db) < 0) {
		json_decref(f->errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	enum tw_rc rc = tw_group_save(db, req->arena, g, published, version, me->id, time_now(), err,
				      sizeof err);
	if (rc == TW_OK && db_commit(db) == 0) {
		json_decref(f->errors);
		log_info("twinning: group.%s %s by user %lld", old ? "update" : "create", g->slug,
			 (long long)me->id);
		return saved(req, res, g->slug);
	}
	db_rollback(db);
	if (rc == TW_DUPLICATE) {
		error(f, "slug", _("Another group already has this address: choose another."));
		return form_page(req, res, f, c, old, 422);
	}
	if (rc == TW_CONFLICT && old != NULL) {
		struct tw_group now;
		if (tw_group_get(db, req->arena, old->slug, req->lang, &now) == 0)
			f->v[F_VERSION] = arena_printf(req->arena, "%lld", (long long)now.version);
		return form_page(req, res, f, c, old, 409);
	}
	json_decref(f->errors);
	if (rc == TW_NOT_FOUND)
		return HTTP_ERR_NOT_FOUND;
	log_error("twinning: saving group %s: %s", g->slug, err[0] ? err : "database error");
	return HTTP_ERR_INTERNAL;
}

/* GET /{lang}/manage/groups/new */
enum http_error
twinning_group_new_form(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	if (!auth_can(auth_user_of(req), ACT_GROUP_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_blank(&f);
	return form_page(req, res, &f, &c, NULL, 200);
}

/* POST /{lang}/manage/groups/new */
enum http_error
twinning_group_create(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	struct twinning_group g;
	int published;
	if (!auth_can(auth_user_of(req), ACT_GROUP_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	size_t problems = form_check(req, &f, &c, NULL, &g, &published);
	if (problems == (size_t)-1) {
		json_decref(f.errors);
		return HTTP_ERR_INTERNAL;
	}
	if (problems > 0)
		return form_page(req, res, &f, &c, NULL, 422);
	return save(req, res, &f, &c, NULL, &g, published, 0);
}

/* GET /{lang}/manage/groups/{slug}/edit */
enum http_error
twinning_group_edit_form(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	struct tw_group old;
	if (!auth_can(auth_user_of(req), ACT_GROUP_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int rc = tw_group_get(db_thread(), req->arena, req->captures[1], req->lang, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_group(req, &f, &old);
	return form_page(req, res, &f, &c, &old, 200);
}

/* POST /{lang}/manage/groups/{slug}/edit */
enum http_error
twinning_group_update(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	struct tw_group old;
	struct twinning_group g;
	int published;
	if (!auth_can(auth_user_of(req), ACT_GROUP_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int rc = tw_group_get(db_thread(), req->arena, req->captures[1], req->lang, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	f.v[F_SLUG] = old.slug;
	char *end;
	long long version = strtoll(f.v[F_VERSION], &end, 10);
	if (*f.v[F_VERSION] == '\0' || *end != '\0' || version < 1) {
		json_decref(f.errors);
		return HTTP_ERR_BAD_PARAM;
	}
	size_t problems = form_check(req, &f, &c, &old, &g, &published);
	if (problems == (size_t)-1) {
		json_decref(f.errors);
		return HTTP_ERR_INTERNAL;
	}
	if (problems > 0)
		return form_page(req, res, &f, &c, &old, 422);
	return save(req, res, &f, &c, &old, &g, published, version);
}
