/* twinning_page: the list of twinning groups, a group's page — the workspace for its
 * members and facilitators (members, plan, reports, comments and evaluations,
 * timeline), or only its name, cities and status for everyone else once it is
 * published — and the facilitators' comment form on it. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_md.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define ATTENTION_DAYS 120	/* the staff list flags groups quiet for this long */

struct auth_object
tw_auth_object(const struct auth_user *u, const struct tw_group *g)
{
	struct auth_object o = {.published = g->published};
	if (u != NULL && u->municipality_id > 0 &&
	    (u->municipality_id == g->city[0].id || u->municipality_id == g->city[1].id))
		o.relation |= REL_GROUP_MEMBER;
	return o;
}

enum http_error
tw_load(struct request *req, enum auth_action act, struct tw_group *g)
{
	int rc = tw_group_get(db_thread(), req->arena, req->captures[1], req->lang, g);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	const struct auth_user *me = auth_user_of(req);
	struct auth_object obj = tw_auth_object(me, g);
	if (auth_can(me, act, &obj))
		return HTTP_OK;
	/* whoever may not even see the workspace of an unpublished group is not told
	 * that it exists */
	if (!g->published && !auth_can(me, ACT_GROUP_VIEW, &obj))
		return HTTP_ERR_NOT_FOUND;
	return HTTP_ERR_FORBIDDEN;
}

const char *
tw_reader_tz(const struct request *req)
{
	const struct auth_user *me = auth_user_of(req);
	return me != NULL && me->timezone != NULL && i18n_tz_valid(me->timezone) ? me->timezone
										 : "UTC";
}

const char *
tw_text_problem(struct request *req, enum tw_text rc, size_t max, const char *empty)
{
	switch (rc) {
	case TW_TEXT_OK:
		return NULL;
	case TW_TEXT_EMPTY:
		return empty;
	case TW_TEXT_CONTROL:
		return _("Remove the control characters (such as tabs) from this text.");
	case TW_TEXT_TOO_LONG:
		return arena_printf(req->arena, _("Write at most %s characters."),
				    i18n_number(req->arena, req->lang, (int64_t)max));
	}
	return NULL;
}

json_t *
tw_options(const struct tw_option *o, size_t n, const char *selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", o[i].value, "label",
						     o[i].label, "selected",
						     selected != NULL && strcmp(o[i].value, selected) == 0));
	return arr;
}

json_t *
tw_group_brief(struct request *req, const struct tw_group *g)
{
	struct arena *a = req->arena;
	json_t *cities = json_array();
	for (int k = 0; k < 2; k++) {
		const char *country = i18n_country_name(a, req->lang, g->city[k].country);
		json_array_append_new(cities, json_pack("{s:s, s:s, s:s}", "slug", g->city[k].slug,
							"name", g->city[k].name, "country",
							country != NULL ? country : g->city[k].country));
	}
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(g->slug));
	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "url", json_string(arena_printf(a, "/%s/groups/%s",
							       lang_code(req->lang), g->slug)));
	json_object_set_new(o, "cities", cities);
	json_object_set_new(o, "status", json_string(group_status_code(g->status)));
	json_object_set_new(o, "status_label", json_string(tw_group_status_label(g->status)));
	return o;
}

/* ---- the list ---------------------------------------------------------------------- */

static json_t *
stats_json(struct request *req, const struct twinning_stats *s, unsigned attention)
{
	struct arena *a = req->arena;
	int completion = (int)(s->completion + 0.5);
	json_t *o = json_object();
	json_object_set_new(o, "milestones", json_string(i18n_number(a, req->lang, s->milestones)));
	json_object_set_new(o, "done", json_string(i18n_number(a, req->lang,
								 s->by_status[MILESTONE_DONE])));
	json_object_set_new(o, "progress_label", json_string(tw_percent_label(a, req->lang, completion)));
	json_object_set_new(o, "reports", json_string(i18n_number(a, req->lang, s->reports)));
	if (s->last_period != NULL)
		json_object_set_new(o, "last_period",
				    json_string(tw_period_label(a, req->lang, s->last_period)));
	if (s->last_activity > 0)
		json_object_set_new(o, "last_activity",
				    json_string(i18n_date(a, req->lang, s->last_activity,
							  tw_reader_tz(req))));
	json_object_set_new(o, "quiet", json_boolean(attention & ATTENTION_QUIET));
	json_object_set_new(o, "no_report", json_boolean(attention & ATTENTION_NO_REPORT));
	json_object_set_new(o, "blocked", json_boolean(attention & ATTENTION_BLOCKED));
	json_object_set_new(o, "attention", json_boolean(attention != 0));
	return o;
}

/* GET /{lang}/groups: the published groups; a member's own groups; every group with
 * its progress for facilitators. */
enum http_error
twinning_list_page(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	const struct auth_user *me = auth_user_of(req);
	int staff = auth_can(me, ACT_GROUP_MANAGE, NULL);
	struct tw_group *g;
	size_t n;
	if (tw_group_list(db, a, req->lang, &g, &n) < 0)
		return HTTP_ERR_INTERNAL;
	struct twinning_stats *st = NULL;
	struct twinning_attention *att = NULL;
	size_t n_st = 0, n_att = 0;
	int64_t now = time_now();
	int days = ATTENTION_DAYS;
	const char *dv = http_query_get(req, "days");
	if (dv != NULL) {
		char *end;
		long v = strtol(dv, &end, 10);
		if (*end != '\0' || v < 7 || v > 730)
			return HTTP_ERR_BAD_PARAM;
		days = (int)v;
	}
	if (staff && (twinning_stats_all(db, a, now, &st, &n_st) < 0 ||
		      twinning_needing_attention(db, a, now, days, &att, &n_att) < 0))
		return HTTP_ERR_INTERNAL;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		struct auth_object obj = tw_auth_object(me, &g[i]);
		int workspace = auth_can(me, ACT_GROUP_VIEW, &obj);
		if (!g[i].published && !workspace)
			continue;
		json_t *o = tw_group_brief(req, &g[i]);
		json_object_set_new(o, "mine", json_boolean(obj.relation & REL_GROUP_MEMBER));
		json_object_set_new(o, "draft", json_boolean(!g[i].published));
		if (staff) {
			unsigned reasons = 0;
			json_object_set_new(o, "bar_kind", json_string("all"));
			for (size_t k = 0; k < n_att; k++)
				if (att[k].stats.group_id == g[i].id)
					reasons = att[k].reasons;
			for (size_t k = 0; k < n_st; k++) {
				if (st[k].group_id != g[i].id)
					continue;
				json_object_set_new(o, "stats", stats_json(req, &st[k], reasons));
				json_object_set_new(o, "bar", json_integer((int)(st[k].completion + 0.5)));
			}
			json_object_set_new(o, "edit_url",
					    json_string(arena_printf(a, "/%s/manage/groups/%s/edit",
								     lang_code(req->lang), g[i].slug)));
		}
		json_array_append_new(rows, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Twinning groups")));
	json_object_set_new(ctx, "description",
			    json_string(_("Cross-country twinning groups of two cities working on "
					  "their local economic development strategy.")));
	json_object_set_new(ctx, "groups", rows);
	json_object_set_new(ctx, "staff", json_boolean(staff));
	json_object_set_new(ctx, "attention_note",
			    json_string(arena_printf(a, _("Flagged: a forming or active group with "
							  "no change or no report in the last %s "
							  "days, or with a blocked milestone."),
						     i18n_number(a, req->lang, days))));
	if (staff && twinning_dashboard_ctx(req, ctx, g, n, st, n_st, att, n_att, days) < 0) {
		json_decref(ctx);
		return HTTP_ERR_INTERNAL;
	}
	if (me != NULL)
		return accounts_form_page(req, res, "twinning/list", ctx, 200);
	enum http_error e = render_page(req, res, "twinning/list", ctx);
	json_decref(ctx);
	return e;
}

/* ---- the workspace ----------------------------------------------------------------- */

/* The facilitators' comment form as sent (kept on a refusal) with its messages. */
struct comment_form {
	const char *body, *score, *report;
	json_t *errors;
};

static json_t *
milestones_json(struct request *req, const struct tw_group *g, const struct tw_milestone *m,
		size_t n, int can_edit, double *completion)
{
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	char today[11];
	tw_date_format(time_now() / 86400, today);
	json_t *arr = json_array();
	long sum = 0;
	for (size_t i = 0; i < n; i++) {
		sum += m[i].progress;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(m[i].id));
		json_object_set_new(o, "anchor", json_string(arena_printf(a, "milestone-%lld",
									  (long long)m[i].id)));
		json_object_set_new(o, "title", json_string(m[i].title));
		json_object_set_new(o, "text_lang", json_string(lang_code(m[i].lang)));
		json_object_set_new(o, "text_dir", json_string(lang_dir(m[i].lang)));
		json_object_set_new(o, "owner", json_str_or_null(m[i].owner_name));
		json_object_set_new(o, "due", json_string(m[i].due));
		json_object_set_new(o, "due_label", json_string(tw_date_label(a, req->lang, m[i].due)));
		json_object_set_new(o, "overdue", json_boolean(m[i].status != MILESTONE_DONE &&
								strcmp(m[i].due, today) < 0));
		json_object_set_new(o, "status", json_string(milestone_status_code(m[i].status)));
		json_object_set_new(o, "status_label", json_string(tw_milestone_status_label(m[i].status)));
		json_object_set_new(o, "bar", json_integer(m[i].progress));
		json_object_set_new(o, "bar_kind", json_string(milestone_status_code(m[i].status)));
		json_object_set_new(o, "progress_label",
				    json_string(tw_percent_label(a, req->lang, m[i].progress)));
		if (can_edit)
			json_object_set_new(o, "edit_url",
					    json_string(arena_printf(a, "/%s/groups/%s/milestones/%lld/edit",
								     lang, g->slug, (long long)m[i].id)));
		json_array_append_new(arr, o);
	}
	*completion = n > 0 ? (double)sum / (double)n : 0;
	return arr;
}

static json_t *
scores_json(struct request *req, const int *scores, const struct tw_criterion *crit, size_t n_crit)
{
	json_t *arr = json_array();
	for (size_t k = 0; k < n_crit; k++) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "slug", crit[k].slug, "name", crit[k].name,
				      "hint", crit[k].hint);
		if (scores[k] > 0) {
			json_object_set_new(o, "score", json_integer(scores[k]));
			json_object_set_new(o, "bar", json_integer(scores[k] * 20));
			json_object_set_new(o, "bar_kind", json_string("score"));
			json_object_set_new(o, "score_label",
					    json_string(arena_printf(req->arena, _("%s out of 5"),
								     i18n_number_plain(req->arena, req->lang,
										       scores[k]))));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
reports_json(struct request *req, const struct tw_group *g, const struct tw_report *r, size_t n,
	     const struct tw_criterion *crit, size_t n_crit, int can_edit)
{
	struct arena *a = req->arena;
	const char *tz = tw_reader_tz(req);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char lower[8];
		memcpy(lower, r[i].period, sizeof lower);
		lower[5] = 'q';
		json_t *o = json_object();
		json_object_set_new(o, "period", json_string(r[i].period));
		json_object_set_new(o, "anchor", json_string(arena_printf(a, "report-%s", lower)));
		json_object_set_new(o, "period_label", json_string(tw_period_label(a, req->lang, r[i].period)));
		json_object_set_new(o, "starts_label", json_string(tw_date_label(a, req->lang, r[i].starts)));
		json_object_set_new(o, "ends_label", json_string(tw_date_label(a, req->lang, r[i].ends)));
		json_object_set_new(o, "text_lang", json_string(lang_code(r[i].lang)));
		json_object_set_new(o, "text_dir", json_string(lang_dir(r[i].lang)));
		json_object_set_new(o, "achievements", json_string(md_block(a, r[i].achievements)));
		if (r[i].challenges != NULL)
			json_object_set_new(o, "challenges", json_string(md_block(a, r[i].challenges)));
		json_object_set_new(o, "next_steps", json_string(md_block(a, r[i].next_steps)));
		json_object_set_new(o, "scores", scores_json(req, r[i].scores, crit, n_crit));
		json_object_set_new(o, "author", json_string(r[i].author_name != NULL
								     ? r[i].author_name
								     : _("The network team")));
		json_object_set_new(o, "updated", json_string(i18n_date(a, req->lang, r[i].updated, tz)));
		json_object_set_new(o, "edited", json_boolean(r[i].version > 1));
		if (can_edit)
			json_object_set_new(o, "edit_url",
					    json_string(arena_printf(a, "/%s/groups/%s/reports/%s/edit",
								     lang_code(req->lang), g->slug, lower)));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
comments_json(struct request *req, const struct tw_comment *c, size_t n)
{
	struct arena *a = req->arena;
	const char *tz = tw_reader_tz(req);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char at[32];
		time_format_rfc3339(c[i].created, at);
		json_t *o = json_object();
		json_object_set_new(o, "body", json_string(md_block(a, c[i].body)));
		json_object_set_new(o, "author", json_string(c[i].author_name != NULL
								     ? c[i].author_name
								     : _("The network team")));
		json_object_set_new(o, "at", json_string(at));
		json_object_set_new(o, "when", json_string(i18n_datetime(a, req->lang, c[i].created, tz)));
		if (c[i].score > 0) {
			json_object_set_new(o, "score", json_integer(c[i].score));
			json_object_set_new(o, "score_label",
					    json_string(arena_printf(a, _("%s out of 5"),
								     i18n_number_plain(a, req->lang, c[i].score))));
		}
		if (c[i].report_period != NULL) {
			char lower[8];
			snprintf(lower, sizeof lower, "%s", c[i].report_period);
			lower[5] = 'q';
			json_object_set_new(o, "report_label",
					    json_string(tw_period_label(a, req->lang, c[i].report_period)));
			json_object_set_new(o, "report_anchor",
					    json_string(arena_printf(a, "report-%s", lower)));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
people_json(struct request *req, const struct tw_group *g, const struct tw_person *p, size_t n)
{
	json_t *cities = json_array();
	for (int k = 0; k < 2; k++) {
		json_t *people = json_array();
		for (size_t i = 0; i < n; i++)
			if (p[i].municipality_id == g->city[k].id)
				json_array_append_new(people, json_pack("{s:s, s:b}", "name", p[i].name,
									"staff", p[i].role != ROLE_MEMBER));
		const char *country = i18n_country_name(req->arena, req->lang, g->city[k].country);
		json_array_append_new(cities, json_pack("{s:s, s:s, s:o}", "name", g->city[k].name,
							"country", country ? country : g->city[k].country,
							"people", people));
	}
	return cities;
}

static const char *
saved_notice(struct request *req)
{
	const char *s = http_query_get(req, "saved");
	if (s == NULL)
		return NULL;
	if (strcmp(s, "milestone") == 0)
		return _("The milestone is saved.");
	if (strcmp(s, "report") == 0)
		return _("The progress report is saved.");
	if (strcmp(s, "comment") == 0)
		return _("Your comment is saved.");
	if (strcmp(s, "group") == 0)
		return _("The group is saved.");
	return NULL;
}

/* Renders the workspace of g with status; cf is the comment form (NULL: empty). */
static enum http_error
workspace(struct request *req, struct response *res, const struct tw_group *g,
	  struct comment_form *cf, int status)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	const struct auth_user *me = auth_user_of(req);
	const char *lang = lang_code(req->lang);
	struct auth_object obj = tw_auth_object(me, g);
	int can_edit = auth_can(me, ACT_GROUP_EDIT, &obj);
	int can_evaluate = auth_can(me, ACT_GROUP_EVALUATE, &obj);
	struct tw_named *th;
	struct tw_person *people;
	struct tw_milestone *ms;
	struct tw_criterion *crit;
	struct tw_report *rep;
	struct tw_comment *com;
	struct tw_activity *act;
	size_t n_th, n_people, n_ms, n_crit, n_rep, n_com, n_act;
	if (tw_group_themes(db, a, g->id, req->lang, &th, &n_th) < 0 ||
	    tw_group_people(db, a, g, &people, &n_people) < 0 ||
	    tw_milestones(db, a, g->id, &ms, &n_ms) < 0 ||
	    tw_criteria(db, a, req->lang, &crit, &n_crit) < 0 ||
	    tw_reports(db, a, g->id, crit, n_crit, &rep, &n_rep) < 0 ||
	    tw_comments(db, a, g->id, &com, &n_com) < 0 ||
	    tw_activity(db, a, g->id, TW_TIMELINE_MAX, &act, &n_act) < 0) {
		if (cf != NULL)
			json_decref(cf->errors);
		return HTTP_ERR_INTERNAL;
	}
	json_t *grp = tw_group_brief(req, g);
	json_t *themes = json_array();
	for (size_t i = 0; i < n_th; i++)
		json_array_append_new(themes, json_string(th[i].name));
	json_object_set_new(grp, "themes", themes);
	if (g->event_slug != NULL)
		json_object_set_new(grp, "event", json_pack("{s:s, s:s}", "title",
							    g->event_title ? g->event_title : g->event_slug,
							    "url", arena_printf(a, "/%s/events/%s", lang,
										g->event_slug)));
	json_object_set_new(grp, "formed", json_string(i18n_date(a, req->lang, g->created,
								 tw_reader_tz(req))));
	json_object_set_new(grp, "published", json_boolean(g->published));

	double completion;
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(g->name));
	json_object_set_new(ctx, "description", json_string(_("The workspace of a twinning group.")));
	json_object_set_new(ctx, "group", grp);
	json_object_set_new(ctx, "workspace", json_true());
	json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
	json_object_set_new(ctx, "can_evaluate", json_boolean(can_evaluate));
	json_object_set_new(ctx, "cities", people_json(req, g, people, n_people));
	json_object_set_new(ctx, "milestones", milestones_json(req, g, ms, n_ms, can_edit, &completion));
	int pct = (int)(completion + 0.5);
	json_object_set_new(ctx, "plan", json_pack("{s:s, s:s}", "count",
						   i18n_number(a, req->lang, (int64_t)n_ms),
						   "progress_label", tw_percent_label(a, req->lang, pct)));
	json_object_set_new(ctx, "bar", json_integer(pct));
	json_object_set_new(ctx, "bar_kind", json_string("all"));
	json_object_set_new(ctx, "reports", reports_json(req, g, rep, n_rep, crit, n_crit, can_edit));
	json_object_set_new(ctx, "comments", comments_json(req, com, n_com));
	json_t *tl = json_array();
	for (size_t i = 0; i < n_act; i++)
		json_array_append_new(tl, tw_activity_json(a, req->lang, tw_reader_tz(req), &act[i],
							   crit, n_crit));
	json_object_set_new(ctx, "timeline", tl);
	json_object_set_new(ctx, "timeline_full", json_boolean(n_act == TW_TIMELINE_MAX));
	json_object_set_new(ctx, "timeline_max", json_string(i18n_number(a, req->lang, TW_TIMELINE_MAX)));
	if (can_edit) {
		json_object_set_new(ctx, "new_milestone_url",
				    json_string(arena_printf(a, "/%s/groups/%s/milestones/new", lang, g->slug)));
		json_object_set_new(ctx, "new_report_url",
				    json_string(arena_printf(a, "/%s/groups/%s/reports/new", lang, g->slug)));
	}
	if (auth_can(me, ACT_GROUP_MANAGE, NULL))
		json_object_set_new(ctx, "manage_url",
				    json_string(arena_printf(a, "/%s/manage/groups/%s/edit", lang, g->slug)));
	if (can_evaluate) {
		struct tw_option *o = arena_alloc(a, (n_rep + 1) * sizeof(*o));
		for (size_t i = 0; i < n_rep; i++)
			o[i] = (struct tw_option){rep[i].period, tw_period_label(a, req->lang, rep[i].period)};
		struct tw_option scores[5];
		for (int s = 1; s <= 5; s++)
			scores[s - 1] = (struct tw_option){arena_printf(a, "%d", s),
							   arena_printf(a, _("%s out of 5"),
									i18n_number_plain(a, req->lang, s))};
		json_t *f = json_object();
		json_object_set_new(f, "action", json_string(arena_printf(a, "/%s/groups/%s/comments",
									  lang, g->slug)));
		json_object_set_new(f, "body", json_string(cf != NULL ? cf->body : ""));
		json_object_set_new(f, "reports", tw_options(o, n_rep, cf != NULL ? cf->report : NULL));
		json_object_set_new(f, "scores", tw_options(scores, 5, cf != NULL ? cf->score : NULL));
		json_object_set_new(f, "errors", cf != NULL && cf->errors != NULL ? cf->errors : json_object());
		if (cf != NULL)
			cf->errors = NULL;
		json_object_set_new(ctx, "comment_form", f);
	}
	const char *notice = saved_notice(req);
	if (notice != NULL && status == 200)
		json_object_set_new(ctx, "saved", json_string(notice));
	json_object_set_new(ctx, "refused", json_boolean(status == 422));
	return accounts_form_page(req, res, "twinning/group", ctx, status);
}

/* The public's view: name, cities and status. */
static enum http_error
public_view(struct request *req, struct response *res, const struct tw_group *g)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(g->name));
	json_object_set_new(ctx, "description",
			    json_string(_("A twinning group of the network: two cities from two "
					  "countries working together.")));
	json_object_set_new(ctx, "group", tw_group_brief(req, g));
	json_object_set_new(ctx, "workspace", json_false());
	json_object_set_new(ctx, "signed_in", json_boolean(auth_user_of(req) != NULL));
	json_object_set_new(ctx, "login_url",
			    json_string(arena_printf(req->arena, "/%s/login?next=/%s/groups/%s",
						     lang_code(req->lang), lang_code(req->lang), g->slug)));
	enum http_error e = render_page(req, res, "twinning/group", ctx);
	json_decref(ctx);
	return e;
}

/* GET /{lang}/groups/{slug} */
enum http_error
twinning_group_page(struct request *req, struct response *res)
{
	struct tw_group g;
	enum http_error e = tw_load(req, ACT_GROUP_VIEW, &g);
	if (e == HTTP_ERR_FORBIDDEN)
		return public_view(req, res, &g);	/* published, not theirs */
	if (e != HTTP_OK)
		return e;
	return workspace(req, res, &g, NULL, 200);
}

/* POST /{lang}/groups/{slug}/comments: a facilitator's comment, on the group or on one
 * of its reports, with an optional score (then an evaluation). */
enum http_error
twinning_comment(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct tw_group g;
	enum http_error e = tw_load(req, ACT_GROUP_EVALUATE, &g);
	if (e != HTTP_OK)
		return e;
	struct comment_form cf = {.errors = json_object()};
	cf.body = http_form_get(req, "body");
	cf.score = http_form_get(req, "score");
	cf.report = http_form_get(req, "report");
	cf.body = cf.body ? cf.body : "";
	cf.score = cf.score ? cf.score : "";
	cf.report = cf.report ? cf.report : "";
	struct tw_comment c = {.group_id = g.id, .author_id = me->id};
	const char *msg = tw_text_problem(req, tw_text_check(req->arena, cf.body, 1, TW_TEXT_MAX,
							    &c.body),
					  TW_TEXT_MAX, _("Write your comment."));
	if (msg != NULL)
		json_object_set_new(cf.errors, "body", json_string(msg));
	if (*cf.score != '\0' && tw_score_parse(cf.score, &c.score) < 0)
		json_object_set_new(cf.errors, "score",
				    json_string(_("Choose a score from 1 to 5, or none for a comment.")));
	struct tw_report r;
	if (*cf.report != '\0') {
		int y, q;
		char period[8];
		int rc = -2;
		if (tw_period_parse(cf.report, &y, &q) == 0) {
			tw_period_format(y, q, period);
			rc = tw_report_get(db, req->arena, g.id, period, NULL, 0, &r);
		}
		if (rc < -1 || rc > 0)
			json_object_set_new(cf.errors, "report",
					    json_string(_("Choose one of the group's reports, or none.")));
		else if (rc < 0) {
			json_decref(cf.errors);
			return HTTP_ERR_INTERNAL;
		} else {
			c.report_id = r.id;
		}
	}
	if (json_object_size(cf.errors) > 0)
		return workspace(req, res, &g, &cf, 422);
	json_decref(cf.errors);
	if (db_begin(db) < 0)
		return HTTP_ERR_UNAVAILABLE;
	enum tw_rc rc = tw_comment_add(db, &c, time_now());
	if (rc != TW_OK || db_commit(db) < 0) {
		db_rollback(db);
		if (rc == TW_NOT_FOUND) {
			/* the report went away meanwhile */
			cf.errors = json_pack("{s:s}", "report",
					      _("Choose one of the group's reports, or none."));
			return workspace(req, res, &g, &cf, 422);
		}
		log_error("twinning: comment on %s failed", g.slug);
		return HTTP_ERR_INTERNAL;
	}
	log_info("twinning: %s on %s by user %lld", c.score ? "evaluation" : "comment", g.slug,
		 (long long)me->id);
	http_redirect(res, 303, arena_printf(req->arena, "/%s/groups/%s?saved=comment#comments",
					     lang_code(req->lang), g.slug));
	return HTTP_OK;
}
