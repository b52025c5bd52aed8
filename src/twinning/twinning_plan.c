/* twinning_plan: the work plan's forms — add a milestone, edit one — for the group's
 * members and facilitators: a message beside each wrong field (422, nothing saved),
 * and a form made from an older version refused (409) with the reader's values kept
 * and the newer ones shown, so that a later save never silently erases an earlier. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define PLAN_MAX 200	/* milestones a work plan holds */

enum field { F_TITLE, F_LANG, F_OWNER, F_DUE, F_STATUS, F_PROGRESS, F_VERSION, F_COUNT };

static const char *const field_names[F_COUNT] = {
	[F_TITLE] = "title",
	[F_LANG] = "text_lang",
	[F_OWNER] = "owner",
	[F_DUE] = "due",
	[F_STATUS] = "status",
	[F_PROGRESS] = "progress",
	[F_VERSION] = "version",
};

struct form {
	const char *v[F_COUNT];		/* as sent or stored, shown again */
	json_t *errors;			/* field name -> message */
};

static void
error(struct form *f, enum field fld, const char *msg)
{
	if (json_object_get(f->errors, field_names[fld]) == NULL)
		json_object_set_new(f->errors, field_names[fld], json_string(msg));
}

static void
form_from_request(struct request *req, struct form *f)
{
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++) {
		const char *s = http_form_get(req, field_names[i]);
		f->v[i] = s != NULL ? s : "";
	}
}

static void
form_from_milestone(struct request *req, struct form *f, const struct tw_milestone *m)
{
	struct arena *a = req->arena;
	f->errors = json_object();
	f->v[F_TITLE] = m->title;
	f->v[F_LANG] = lang_code(m->lang);
	f->v[F_OWNER] = m->owner_id > 0 ? arena_printf(a, "%lld", (long long)m->owner_id) : "";
	f->v[F_DUE] = m->due;
	f->v[F_STATUS] = milestone_status_code(m->status);
	f->v[F_PROGRESS] = arena_printf(a, "%d", m->progress);
	f->v[F_VERSION] = arena_printf(a, "%lld", (long long)m->version);
}

static void
form_blank(struct request *req, struct form *f)
{
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++)
		f->v[i] = "";
	f->v[F_LANG] = lang_code(req->lang);
	f->v[F_STATUS] = milestone_status_code(MILESTONE_PLANNED);
	f->v[F_PROGRESS] = "0";
}

/* Checks f into m for group g, noting a message beside each wrong field. Returns the
 * number of problems. */
static size_t
form_check(struct request *req, struct form *f, const struct tw_group *g,
	   const struct tw_person *people, size_t n_people, struct tw_milestone *m)
{
	struct arena *a = req->arena;
	const char *msg;
	int64_t now = time_now();
	memset(m, 0, sizeof(*m));
	m->group_id = g->id;

	msg = tw_text_problem(req, tw_text_check(a, f->v[F_TITLE], 0, TW_TITLE_MAX, &m->title),
			      TW_TITLE_MAX, _("Give the milestone a title."));
	if (msg != NULL)
		error(f, F_TITLE, msg);
	m->lang = lang_from_code(f->v[F_LANG]);
	if (m->lang == LANG_NONE)
		error(f, F_LANG, _("Choose a language from the list."));

	if (*f->v[F_OWNER] != '\0') {
		for (size_t i = 0; i < n_people; i++)
			if (strcmp(f->v[F_OWNER], arena_printf(a, "%lld", (long long)people[i].id)) == 0)
				m->owner_id = people[i].id;
		if (m->owner_id == 0)
			error(f, F_OWNER, _("Choose someone from the two municipalities, or nobody."));
	}

	int64_t due_day = 0;
	int due_ok = 0;
	if (*f->v[F_DUE] == '\0')
		error(f, F_DUE, _("Give a due date."));
	else if (tw_date_parse(f->v[F_DUE], &due_day) < 0)
		error(f, F_DUE, _("Give a date such as 2026-09-30."));
	else
		due_ok = 1;
	char due[11];
	tw_date_format(due_day, due);
	m->due = arena_strdup(a, due);

	int status = milestone_status_from_code(f->v[F_STATUS]);
	if (status < 0)
		error(f, F_STATUS, _("Choose a status from the list."));
	else
		m->status = (enum milestone_status)status;
	int progress_ok = tw_percent_parse(f->v[F_PROGRESS], &m->progress) == 0;
	if (!progress_ok)
		error(f, F_PROGRESS, _("Write a whole number from 0 to 100."));

	unsigned broken = tw_milestone_rules(due_day, m->status, m->progress, g->created, now);
	if (due_ok && (broken & TW_RULE_DUE_BEFORE_GROUP))
		error(f, F_DUE, arena_printf(a, _("The group was formed on %s: a milestone cannot be "
						  "due before that."),
					     i18n_date(a, req->lang, g->created, "UTC")));
	if (due_ok && (broken & TW_RULE_DUE_TOO_LATE))
		error(f, F_DUE, _("Choose a due date within the next ten years."));
	if (status >= 0 && progress_ok && (broken & TW_RULE_DONE_NOT_FULL))
		error(f, F_PROGRESS, _("A milestone that is done is complete: set the progress to "
				       "100, or choose another status."));
	return json_object_size(f->errors);
}

/* ---- the page -------------------------------------------------------------------- */

/* Renders the form (f's errors taken). old: the stored milestone when editing; theirs:
 * the newer version that made a save conflict. */
static enum http_error
form_page(struct request *req, struct response *res, const struct tw_group *g, struct form *f,
	  const struct tw_person *people, size_t n_people, const struct tw_milestone *old,
	  const struct tw_milestone *theirs, int status)
{
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	json_t *ctx = json_object();
	const char *title = old ? _("Edit the milestone") : _("New milestone");
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "description", json_string(title));
	json_object_set_new(ctx, "is_new", json_boolean(old == NULL));
	json_object_set_new(ctx, "group", tw_group_brief(req, g));
	json_object_set_new(ctx, "action",
			    json_string(old ? arena_printf(a, "/%s/groups/%s/milestones/%lld/edit", lang,
							   g->slug, (long long)old->id)
					    : arena_printf(a, "/%s/groups/%s/milestones/new", lang,
							   g->slug)));
	json_t *v = json_object();
	for (int i = 0; i < F_COUNT; i++)
		json_object_set_new(v, field_names[i], json_string(f->v[i]));
	json_object_set_new(ctx, "f", v);

	struct tw_option langs[LANG_COUNT], statuses[MILESTONE_STATUS_COUNT];
	for (int l = 0; l < LANG_COUNT; l++)
		langs[l] = (struct tw_option){lang_code((enum lang)l), lang_native_name((enum lang)l)};
	for (int s = 0; s < MILESTONE_STATUS_COUNT; s++)
		statuses[s] = (struct tw_option){milestone_status_code((enum milestone_status)s),
						 tw_milestone_status_label((enum milestone_status)s)};
	struct tw_option *owners = arena_alloc(a, (n_people + 1) * sizeof(*owners));
	for (size_t i = 0; i < n_people; i++)
		owners[i] = (struct tw_option){arena_printf(a, "%lld", (long long)people[i].id),
					       arena_printf(a, "%s (%s)", people[i].name,
							    people[i].municipality)};
	json_object_set_new(ctx, "text_langs", tw_options(langs, LANG_COUNT, f->v[F_LANG]));
	json_object_set_new(ctx, "statuses", tw_options(statuses, MILESTONE_STATUS_COUNT,
							f->v[F_STATUS]));
	json_object_set_new(ctx, "owners", tw_options(owners, n_people, f->v[F_OWNER]));
	char formed[11];
	tw_date_format(g->created / 86400, formed);
	json_object_set_new(ctx, "formed", json_string(formed));
	json_object_set_new(ctx, "errors", f->errors);
	f->errors = NULL;
	if (theirs != NULL) {
		json_t *t = json_object();
		json_object_set_new(t, "title", json_string(theirs->title));
		json_object_set_new(t, "text_lang", json_string(lang_code(theirs->lang)));
		json_object_set_new(t, "text_dir", json_string(lang_dir(theirs->lang)));
		json_object_set_new(t, "owner", json_str_or_null(theirs->owner_name));
		json_object_set_new(t, "due", json_string(tw_date_label(a, req->lang, theirs->due)));
		json_object_set_new(t, "status", json_string(tw_milestone_status_label(theirs->status)));
		json_object_set_new(t, "progress", json_string(tw_percent_label(a, req->lang,
										 theirs->progress)));
		json_object_set_new(t, "by", json_string(theirs->updated_by ? theirs->updated_by
									     : _("The network team")));
		json_object_set_new(t, "when", json_string(i18n_datetime(a, req->lang, theirs->updated,
									 tw_reader_tz(req))));
		json_object_set_new(ctx, "theirs", t);
	}
	json_object_set_new(ctx, "conflict", json_boolean(status == 409));
	return accounts_form_page(req, res, "twinning/milestone_form", ctx, status);
}

/* The milestone named by the route's second {slug} (digits). 0, 1 (none), -1. */
static int
load_milestone(struct request *req, const struct tw_group *g, struct tw_milestone *m)
{
	const char *s = req->captures[2];
	size_t n = strlen(s);
	if (n == 0 || n > 15 || s[0] == '0')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 1;
	return tw_milestone_get(db_thread(), req->arena, g->id, strtoll(s, NULL, 10), m);
}

static enum http_error
saved(struct request *req, struct response *res, const struct tw_group *g, int64_t id)
{
	http_redirect(res, 303, arena_printf(req->arena, "/%s/groups/%s?saved=milestone#milestone-%lld",
					     lang_code(req->lang), g->slug, (long long)id));
	return HTTP_OK;
}

/* GET /{lang}/groups/{slug}/milestones/new */
enum http_error
twinning_milestone_new_form(struct request *req, struct response *res)
{
	struct tw_group g;
	struct tw_person *people;
	size_t n_people;
	struct form f;
	enum http_error e = tw_load(req, ACT_GROUP_EDIT, &g);
	if (e != HTTP_OK)
		return e;
	if (tw_group_people(db_thread(), req->arena, &g, &people, &n_people) < 0)
		return HTTP_ERR_INTERNAL;
	form_blank(req, &f);
	return form_page(req, res, &g, &f, people, n_people, NULL, NULL, 200);
}

/* How many milestones the group has; -1 on error. */
static long
plan_size(struct request *req, const struct tw_group *g)
{
	struct tw_milestone *ms;
	size_t n;
	return tw_milestones(db_thread(), req->arena, g->id, &ms, &n) < 0 ? -1 : (long)n;
}

/* POST /{lang}/groups/{slug}/milestones/new */
enum http_error
twinning_milestone_create(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct tw_group g;
	struct tw_person *people;
	size_t n_people;
	struct form f;
	struct tw_milestone m;
	enum http_error e = tw_load(req, ACT_GROUP_EDIT, &g);
	if (e != HTTP_OK)
		return e;
	if (tw_group_people(db, req->arena, &g, &people, &n_people) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	if (form_check(req, &f, &g, people, n_people, &m) > 0)
		return form_page(req, res, &g, &f, people, n_people, NULL, NULL, 422);
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	long size = plan_size(req, &g);
	if (size >= PLAN_MAX) {
		db_rollback(db);
		error(&f, F_TITLE, arena_printf(req->arena, _("The work plan holds at most %s "
							      "milestones."),
						i18n_number(req->arena, req->lang, PLAN_MAX)));
		return form_page(req, res, &g, &f, people, n_people, NULL, NULL, 422);
	}
	json_decref(f.errors);
	if (size < 0 || tw_milestone_add(db, &m, me->id, time_now()) != TW_OK || db_commit(db) < 0) {
		db_rollback(db);
		log_error("twinning: adding a milestone to %s failed", g.slug);
		return HTTP_ERR_INTERNAL;
	}
	log_info("twinning: milestone.create %lld in %s by user %lld", (long long)m.id, g.slug,
		 (long long)me->id);
	return saved(req, res, &g, m.id);
}

/* GET /{lang}/groups/{slug}/milestones/{id}/edit */
enum http_error
twinning_milestone_edit_form(struct request *req, struct response *res)
{
	struct tw_group g;
	struct tw_person *people;
	size_t n_people;
	struct form f;
	struct tw_milestone old;
	enum http_error e = tw_load(req, ACT_GROUP_EDIT, &g);
	if (e != HTTP_OK)
		return e;
	int rc = load_milestone(req, &g, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (tw_group_people(db_thread(), req->arena, &g, &people, &n_people) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_milestone(req, &f, &old);
	return form_page(req, res, &g, &f, people, n_people, &old, NULL, 200);
}

/* POST /{lang}/groups/{slug}/milestones/{id}/edit: saved only when the milestone is
 * still the version the form was made from; else 409 with the reader's values. */
enum http_error
twinning_milestone_update(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct tw_group g;
	struct tw_person *people;
	size_t n_people;
	struct form f;
	struct tw_milestone old, m;
	enum http_error e = tw_load(req, ACT_GROUP_EDIT, &g);
	if (e != HTTP_OK)
		return e;
	int rc = load_milestone(req, &g, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (tw_group_people(db, req->arena, &g, &people, &n_people) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	char *end;
	long long version = strtoll(f.v[F_VERSION], &end, 10);
	if (*f.v[F_VERSION] == '\0' || *end != '\0' || version < 1) {
		json_decref(f.errors);
		return HTTP_ERR_BAD_PARAM;
	}
	if (form_check(req, &f, &g, people, n_people, &m) > 0)
		return form_page(req, res, &g, &f, people, n_people, &old, NULL, 422);
	m.id = old.id;
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	enum tw_rc r = tw_milestone_update(db, req->arena, &m, version, me->id, time_now());
	if (r == TW_CONFLICT || r == TW_NOT_FOUND) {
		db_rollback(db);
		if (r == TW_NOT_FOUND) {
			json_decref(f.errors);
			return HTTP_ERR_NOT_FOUND;
		}
		/* show theirs beside the reader's values; saving again is a deliberate choice */
		struct tw_milestone theirs;
		if (tw_milestone_get(db, req->arena, g.id, old.id, &theirs) != 0) {
			json_decref(f.errors);
			return HTTP_ERR_INTERNAL;
		}
		f.v[F_VERSION] = arena_printf(req->arena, "%lld", (long long)theirs.version);
		log_info("twinning: stale edit of milestone %lld in %s by user %lld refused",
			 (long long)old.id, g.slug, (long long)me->id);
		return form_page(req, res, &g, &f, people, n_people, &theirs, &theirs, 409);
	}
	json_decref(f.errors);
	if (r != TW_OK || db_commit(db) < 0) {
		db_rollback(db);
		log_error("twinning: updating milestone %lld of %s failed", (long long)old.id, g.slug);
		return HTTP_ERR_INTERNAL;
	}
	log_info("twinning: milestone.update %lld in %s by user %lld", (long long)m.id, g.slug,
		 (long long)me->id);
	return saved(req, res, &g, m.id);
}
