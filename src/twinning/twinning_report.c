/* twinning_report: the progress report forms — file the report of a quarter, edit it —
 * for the group's members and facilitators: achievements, challenges, next steps and a
 * self-assessment scored 1 to 5 per criterion. One report per group and quarter, none
 * for a quarter that has not begun or before the group was formed; a message beside
 * each wrong field (422), a stale form refused (409), nothing partially written. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_md.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define PERIODS_MAX 400		/* quarters offered in the list */

struct form {
	const char *period, *text_lang, *achievements, *challenges, *next_steps, *version;
	const char *scores[TWINNING_CRITERIA_MAX];
	json_t *errors;
};

static void
error(struct form *f, const char *field, const char *msg)
{
	if (json_object_get(f->errors, field) == NULL)
		json_object_set_new(f->errors, field, json_string(msg));
}

static const char *
field(struct request *req, const char *name)
{
	const char *s = http_form_get(req, name);
	return s != NULL ? s : "";
}

static const char *
score_field(struct request *req, const struct tw_criterion *c)
{
	return arena_printf(req->arena, "score_%s", c->slug);
}

static void
form_from_request(struct request *req, struct form *f, const struct tw_criterion *crit,
		  size_t n_crit)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	f->period = field(req, "period");
	f->text_lang = field(req, "text_lang");
	f->achievements = field(req, "achievements");
	f->challenges = field(req, "challenges");
	f->next_steps = field(req, "next_steps");
	f->version = field(req, "version");
	for (size_t k = 0; k < n_crit; k++)
		f->scores[k] = field(req, score_field(req, &crit[k]));
}

static void
form_from_report(struct request *req, struct form *f, const struct tw_report *r, size_t n_crit)
{
	struct arena *a = req->arena;
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	f->period = r->period;
	f->text_lang = lang_code(r->lang);
	f->achievements = r->achievements;
	f->challenges = r->challenges != NULL ? r->challenges : "";
	f->next_steps = r->next_steps;
	f->version = arena_printf(a, "%lld", (long long)r->version);
	for (size_t k = 0; k < n_crit; k++)
		f->scores[k] = r->scores[k] ? arena_printf(a, "%d", r->scores[k]) : "";
}

/* The quarter to suggest for a new report: the last one that has ended. */
static void
form_blank(struct request *req, struct form *f, size_t n_crit)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	int y, q;
	tw_period_of(time_now(), &y, &q);
	if (--q == 0) {
		q = 4;
		y--;
	}
	char p[8];
	tw_period_format(y, q, p);
	f->period = arena_strdup(req->arena, p);
	f->text_lang = lang_code(req->lang);
	f->achievements = f->challenges = f->next_steps = f->version = "";
	for (size_t k = 0; k < n_crit; k++)
		f->scores[k] = "";
}

/* Checks f into r for group g (period only when is_new), noting a message beside each
 * wrong field. Returns the number of problems. */
static size_t
form_check(struct request *req, struct form *f, const struct tw_group *g,
	   const struct tw_criterion *crit, size_t n_crit, int is_new, struct tw_report *r)
{
	struct arena *a = req->arena;
	memset(r, 0, sizeof(*r));
	r->group_id = g->id;
	if (is_new) {
		int y, q;
		if (*f->period == '\0') {
			error(f, "period", _("Choose the quarter the report covers."));
		} else if (tw_period_parse(f->period, &y, &q) < 0) {
			error(f, "period", _("Choose a quarter such as 2026-Q3."));
		} else {
			unsigned broken = tw_report_rules(y, q, g->created, time_now());
			if (broken & TW_RULE_PERIOD_FUTURE)
				error(f, "period", _("This quarter has not begun yet: report on it "
						     "once it has."));
			if (broken & TW_RULE_PERIOD_BEFORE_GROUP) {
				int gy, gq;
				char gp[8];
				tw_period_of(g->created, &gy, &gq);
				tw_period_format(gy, gq, gp);
				error(f, "period", arena_printf(a, _("The group was formed in %s: "
								     "choose that quarter or a "
								     "later one."),
								tw_period_label(a, req->lang, gp)));
			}
			tw_period_format(y, q, r->period);
		}
	} else {
		snprintf(r->period, sizeof r->period, "%s", f->period);
	}
	int y, q;
	if (tw_period_parse(r->period, &y, &q) == 0) {
		int64_t first, last;
		char d0[11], d1[11];
		tw_period_days(y, q, &first, &last);
		tw_date_format(first, d0);
		tw_date_format(last, d1);
		r->starts = arena_strdup(a, d0);
		r->ends = arena_strdup(a, d1);
	}
	r->lang = lang_from_code(f->text_lang);
	if (r->lang == LANG_NONE)
		error(f, "text_lang", _("Choose a language from the list."));
	const char *msg;
	msg = tw_text_problem(req, tw_text_check(a, f->achievements, 1, TW_TEXT_MAX, &r->achievements),
			      TW_TEXT_MAX, _("Write what the group achieved in this quarter."));
	if (msg != NULL)
		error(f, "achievements", msg);
	enum tw_text rc = tw_text_check(a, f->challenges, 1, TW_TEXT_MAX, &r->challenges);
	if (rc == TW_TEXT_EMPTY)
		r->challenges = NULL;
	else if ((msg = tw_text_problem(req, rc, TW_TEXT_MAX, NULL)) != NULL)
		error(f, "challenges", msg);
	msg = tw_text_problem(req, tw_text_check(a, f->next_steps, 1, TW_TEXT_MAX, &r->next_steps),
			      TW_TEXT_MAX, _("Write the group's next steps."));
	if (msg != NULL)
		error(f, "next_steps", msg);
	for (size_t k = 0; k < n_crit; k++) {
		if (*f->scores[k] != '\0' && tw_score_parse(f->scores[k], &r->scores[k]) < 0)
			error(f, score_field(req, &crit[k]),
			      _("Choose a score from 1 to 5, or leave it unassessed."));
	}
	return json_object_size(f->errors);
}

/* ---- the page -------------------------------------------------------------------- */

/* The quarters a new report may cover, newest first: from the group's to today's,
 * without those that have a report. */
static json_t *
period_options(struct request *req, const struct tw_group *g, const struct tw_report *rep,
	       size_t n_rep, const char *selected)
{
	struct arena *a = req->arena;
	int y0, q0, y1, q1;
	tw_period_of(g->created, &y0, &q0);
	tw_period_of(time_now(), &y1, &q1);
	long from = (long)y0 * 4 + q0 - 1, to = (long)y1 * 4 + q1 - 1;
	if (to - from >= PERIODS_MAX)
		from = to - PERIODS_MAX + 1;
	struct tw_option *o = arena_alloc(a, (size_t)(to >= from ? to - from + 1 : 1) * sizeof(*o));
	size_t n = 0;
	for (long k = to; k >= from; k--) {
		char p[8];
		tw_period_format((int)(k / 4), (int)(k % 4) + 1, p);
		int taken = 0;
		for (size_t i = 0; i < n_rep; i++)
			taken |= strcmp(rep[i].period, p) == 0;
		if (!taken)
			o[n++] = (struct tw_option){arena_strdup(a, p), tw_period_label(a, req->lang, p)};
	}
	return tw_options(o, n, selected);
}

static enum http_error
form_page(struct request *req, struct response *res, const struct tw_group *g, struct form *f,
	  const struct tw_criterion *crit, size_t n_crit, const struct tw_report *old,
	  const struct tw_report *theirs, int status)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	struct tw_report *rep = NULL;
	size_t n_rep = 0;
	if (old == NULL && tw_reports(db, a, g->id, crit, n_crit, &rep, &n_rep) < 0) {
		json_decref(f->errors);
		return HTTP_ERR_INTERNAL;
	}
	json_t *ctx = json_object();
	const char *title = old ? _("Edit the progress report") : _("New progress report");
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "description", json_string(title));
	json_object_set_new(ctx, "is_new", json_boolean(old == NULL));
	json_object_set_new(ctx, "group", tw_group_brief(req, g));
	char lower[8];
	snprintf(lower, sizeof lower, "%s", old ? old->period : "");
	if (old != NULL)
		lower[5] = 'q';
	json_object_set_new(ctx, "action",
			    json_string(old ? arena_printf(a, "/%s/groups/%s/reports/%s/edit", lang,
							   g->slug, lower)
					    : arena_printf(a, "/%s/groups/%s/reports/new", lang, g->slug)));
	if (old != NULL)
		json_object_set_new(ctx, "period_label",
				    json_string(tw_period_label(a, req->lang, old->period)));
	else
		json_object_set_new(ctx, "periods", period_options(req, g, rep, n_rep, f->period));
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "period", f->period, "text_lang",
			      f->text_lang, "achievements", f->achievements, "challenges",
			      f->challenges, "next_steps", f->next_steps, "version", f->version);
	json_object_set_new(ctx, "f", v);
	struct tw_option langs[LANG_COUNT];
	for (int l = 0; l < LANG_COUNT; l++)
		langs[l] = (struct tw_option){lang_code((enum lang)l), lang_native_name((enum lang)l)};
	json_object_set_new(ctx, "text_langs", tw_options(langs, LANG_COUNT, f->text_lang));
	struct tw_option scores[5];
	for (int s = 1; s <= 5; s++)
		scores[s - 1] = (struct tw_option){arena_printf(a, "%d", s),
						   arena_printf(a, _("%s out of 5"),
								i18n_number_plain(a, req->lang, s))};
	json_t *crits = json_array();
	for (size_t k = 0; k < n_crit; k++) {
		const char *name = score_field(req, &crit[k]);
		const char *err = json_string_value(json_object_get(f->errors, name));
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "field", name, "slug", crit[k].slug,
				      "name", crit[k].name, "hint", crit[k].hint, "options",
				      tw_options(scores, 5, f->scores[k]));
		if (err != NULL)
			json_object_set_new(o, "error", json_string(err));
		json_array_append_new(crits, o);
	}
	json_object_set_new(ctx, "criteria", crits);
	json_object_set_new(ctx, "text_max", json_string(i18n_number(a, req->lang, TW_TEXT_MAX)));
	json_object_set_new(ctx, "errors", f->errors);
	f->errors = NULL;
	if (theirs != NULL) {
		json_t *t = json_object();
		json_object_set_new(t, "text_lang", json_string(lang_code(theirs->lang)));
		json_object_set_new(t, "text_dir", json_string(lang_dir(theirs->lang)));
		json_object_set_new(t, "achievements", json_string(md_block(a, theirs->achievements)));
		if (theirs->challenges != NULL)
			json_object_set_new(t, "challenges", json_string(md_block(a, theirs->challenges)));
		json_object_set_new(t, "next_steps", json_string(md_block(a, theirs->next_steps)));
		json_object_set_new(t, "by", json_string(theirs->updated_by ? theirs->updated_by
									     : _("The network team")));
		json_object_set_new(t, "when", json_string(i18n_datetime(a, req->lang, theirs->updated,
									 tw_reader_tz(req))));
		json_object_set_new(ctx, "theirs", t);
	}
	json_object_set_new(ctx, "conflict", json_boolean(status == 409));
	return accounts_form_page(req, res, "twinning/report_form", ctx, status);
}

/* The report named by the route's second {slug} ("2026-q3"). 0, 1 (none), -1. */
static int
load_report(struct request *req, const struct tw_group *g, const struct tw_criterion *crit,
	    size_t n_crit, struct tw_report *r)
{
	int y, q;
	char period[8];
	if (tw_period_parse(req->captures[2], &y, &q) < 0)
		return 1;
	tw_period_format(y, q, period);
	return tw_report_get(db_thread(), req->arena, g->id, period, crit, n_crit, r);
}

static enum http_error
saved(struct request *req, struct response *res, const struct tw_group *g, const char *period)
{
	char lower[8];
	snprintf(lower, sizeof lower, "%s", period);
	lower[5] = 'q';
	http_redirect(res, 303, arena_printf(req->arena, "/%s/groups/%s?saved=report#report-%s",
					     lang_code(req->lang), g->slug, lower));
	return HTTP_OK;
}

/* The group (for act) and the criteria. */
static enum http_error
prepare(struct request *req, struct tw_group *g, struct tw_criterion **crit, size_t *n_crit)
{
	enum http_error e = tw_load(req, ACT_GROUP_EDIT, g);
	if (e != HTTP_OK)
		return e;
	return tw_criteria(db_thread(), req->arena, req->lang, crit, n_crit) < 0 ? HTTP_ERR_INTERNAL
										 : HTTP_OK;
}

/* GET /{lang}/groups/{slug}/reports/new */
enum http_error
twinning_report_new_form(struct request *req, struct response *res)
{
	struct tw_group g;
	struct tw_criterion *crit;
	size_t n_crit;
	struct form f;
	enum http_error e = prepare(req, &g, &crit, &n_crit);
	if (e != HTTP_OK)
		return e;
	form_blank(req, &f, n_crit);
	return form_page(req, res, &g, &f, crit, n_crit, NULL, NULL, 200);
}

/* POST /{lang}/groups/{slug}/reports/new */
enum http_error
twinning_report_create(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct tw_group g;
	struct tw_criterion *crit;
	size_t n_crit;
	struct form f;
	struct tw_report r;
	enum http_error e = prepare(req, &g, &crit, &n_crit);
	if (e != HTTP_OK)
		return e;
	form_from_request(req, &f, crit, n_crit);
	if (form_check(req, &f, &g, crit, n_crit, 1, &r) > 0)
		return form_page(req, res, &g, &f, crit, n_crit, NULL, NULL, 422);
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	enum tw_rc rc = tw_report_add(db, &r, crit, n_crit, me->id, time_now());
	if (rc == TW_DUPLICATE) {
		db_rollback(db);
		error(&f, "period", arena_printf(req->arena, _("There is already a report for %s: "
							       "edit it instead."),
						 tw_period_label(req->arena, req->lang, r.period)));
		return form_page(req, res, &g, &f, crit, n_crit, NULL, NULL, 422);
	}
	json_decref(f.errors);
	if (rc != TW_OK || db_commit(db) < 0) {
		db_rollback(db);
		log_error("twinning: filing the %s report of %s failed", r.period, g.slug);
		return HTTP_ERR_INTERNAL;
	}
	log_info("twinning: report.create %s in %s by user %lld", r.period, g.slug,
		 (long long)me->id);
	return saved(req, res, &g, r.period);
}

/* GET /{lang}/groups/{slug}/reports/{period}/edit */
enum http_error
twinning_report_edit_form(struct request *req, struct response *res)
{
	struct tw_group g;
	struct tw_criterion *crit;
	size_t n_crit;
	struct form f;
	struct tw_report old;
	enum http_error e = prepare(req, &g, &crit, &n_crit);
	if (e != HTTP_OK)
		return e;
	int rc = load_report(req, &g, crit, n_crit, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	form_from_report(req, &f, &old, n_crit);
	return form_page(req, res, &g, &f, crit, n_crit, &old, NULL, 200);
}

/* POST /{lang}/groups/{slug}/reports/{period}/edit */
enum http_error
twinning_report_update(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct tw_group g;
	struct tw_criterion *crit;
	size_t n_crit;
	struct form f;
	struct tw_report old, r;
	enum http_error e = prepare(req, &g, &crit, &n_crit);
	if (e != HTTP_OK)
		return e;
	int rc = load_report(req, &g, crit, n_crit, &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	form_from_request(req, &f, crit, n_crit);
	f.period = old.period;
	char *end;
	long long version = strtoll(f.version, &end, 10);
	if (*f.version == '\0' || *end != '\0' || version < 1) {
		json_decref(f.errors);
		return HTTP_ERR_BAD_PARAM;
	}
	if (form_check(req, &f, &g, crit, n_crit, 0, &r) > 0)
		return form_page(req, res, &g, &f, crit, n_crit, &old, NULL, 422);
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	enum tw_rc u = tw_report_update(db, req->arena, &r, crit, n_crit, version, me->id, time_now());
	if (u == TW_CONFLICT || u == TW_NOT_FOUND) {
		db_rollback(db);
		struct tw_report theirs;
		if (u == TW_NOT_FOUND ||
		    tw_report_get(db, req->arena, g.id, old.period, crit, n_crit, &theirs) != 0) {
			json_decref(f.errors);
			return u == TW_NOT_FOUND ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
		}
		f.version = arena_printf(req->arena, "%lld", (long long)theirs.version);
		log_info("twinning: stale edit of the %s report of %s by user %lld refused", old.period,
			 g.slug, (long long)me->id);
		return form_page(req, res, &g, &f, crit, n_crit, &theirs, &theirs, 409);
	}
	json_decref(f.errors);
	if (u != TW_OK || db_commit(db) < 0) {
		db_rollback(db);
		log_error("twinning: updating the %s report of %s failed", old.period, g.slug);
		return HTTP_ERR_INTERNAL;
	}
	log_info("twinning: report.update %s in %s by user %lld", r.period, g.slug, (long long)me->id);
	return saved(req, res, &g, r.period);
}
