/* twinning_api: the JSON of twinning groups, /api/v1/groups and /api/v1/groups/{slug},
 * with the pages' rules: everyone sees a published group's name, cities and status;
 * the group's members and facilitators also see its themes, members, plan, reports,
 * comments, evaluations, timeline and figures. */
#include <string.h>

#include "core/core_config.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

/* The lang parameter (English when absent): 0, or -1 when it is not ar, en or fr. */
static int
api_lang(const struct request *req, enum lang *l)
{
	const char *s = http_query_get(req, "lang");
	*l = s == NULL ? LANG_EN : lang_from_code(s);
	return *l == LANG_NONE ? -1 : 0;
}

static json_t *
time_json(int64_t t)
{
	char s[32];
	time_format_rfc3339(t, s);
	return json_string(s);
}

/* What everyone may see of a published group. */
static json_t *
brief_json(struct arena *a, const struct tw_group *g, enum lang l)
{
	json_t *cities = json_array();
	for (int k = 0; k < 2; k++)
		json_array_append_new(cities, json_pack("{s:s, s:s, s:s}", "slug", g->city[k].slug,
							"name", g->city[k].name, "country",
							g->city[k].country));
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(g->slug));
	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "status", json_string(group_status_code(g->status)));
	json_object_set_new(o, "cities", cities);
	json_object_set_new(o, "url", json_string(arena_printf(a, "%s/%s/groups/%s", config_base_url(),
							       lang_code(l), g->slug)));
	return o;
}

/* GET /api/v1/groups?lang= : {"groups": [...], "total"} — the published groups, and
 * those whose workspace the asker may see (then with "published" and "workspace"). */
enum http_error
twinning_api_list(struct request *req, struct response *res)
{
	enum lang l;
	struct tw_group *g;
	size_t n;
	if (api_lang(req, &l) < 0)
		return HTTP_ERR_BAD_PARAM;
	if (tw_group_list(db_thread(), req->arena, l, &g, &n) < 0)
		return HTTP_ERR_INTERNAL;
	const struct auth_user *me = auth_user_of(req);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct auth_object obj = tw_auth_object(me, &g[i]);
		int workspace = auth_can(me, ACT_GROUP_VIEW, &obj);
		if (!g[i].published && !workspace)
			continue;
		json_t *o = brief_json(req->arena, &g[i], l);
		if (workspace) {
			json_object_set_new(o, "published", json_boolean(g[i].published));
			json_object_set_new(o, "workspace", json_true());
		}
		json_array_append_new(arr, o);
	}
	json_t *root = json_object();
	json_object_set_new(root, "total", json_integer((json_int_t)json_array_size(arr)));
	json_object_set_new(root, "groups", arr);
	return render_json(req, res, root);
}

static json_t *
stats_json(const struct twinning_stats *s)
{
	json_t *by = json_object();
	for (int k = 0; k < MILESTONE_STATUS_COUNT; k++)
		json_object_set_new(by, milestone_status_code((enum milestone_status)k),
				    json_integer(s->by_status[k]));
	json_t *o = json_object();
	json_object_set_new(o, "milestones", json_integer(s->milestones));
	json_object_set_new(o, "by_status", by);
	json_object_set_new(o, "overdue", json_integer(s->overdue));
	json_object_set_new(o, "completion", json_real(s->completion));
	json_object_set_new(o, "weighted_completion", json_real(s->weighted_completion));
	json_object_set_new(o, "reports", json_integer(s->reports));
	json_object_set_new(o, "last_period", json_str_or_null(s->last_period));
	json_object_set_new(o, "evaluations", json_integer(s->evaluations));
	json_object_set_new(o, "evaluation_mean", s->evaluations ? json_real(s->evaluation_mean)
								 : json_null());
	json_object_set_new(o, "last_activity", s->last_activity ? time_json(s->last_activity)
								 : json_null());
	return o;
}

/* The workspace's parts. -1 on a database error. */
static int
workspace_json(struct request *req, const struct tw_group *g, enum lang l, json_t *o)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	struct tw_named *th;
	struct tw_person *people;
	struct tw_milestone *ms;
	struct tw_criterion *crit;
	struct tw_report *rep;
	struct tw_comment *com;
	struct tw_activity *act;
	struct twinning_stats st;
	size_t n_th, n_people, n_ms, n_crit, n_rep, n_com, n_act;
	if (tw_group_themes(db, a, g->id, l, &th, &n_th) < 0 ||
	    tw_group_people(db, a, g, &people, &n_people) < 0 ||
	    tw_milestones(db, a, g->id, &ms, &n_ms) < 0 ||
	    tw_criteria(db, a, l, &crit, &n_crit) < 0 ||
	    tw_reports(db, a, g->id, crit, n_crit, &rep, &n_rep) < 0 ||
	    tw_comments(db, a, g->id, &com, &n_com) < 0 ||
	    tw_activity(db, a, g->id, TW_TIMELINE_MAX, &act, &n_act) < 0 ||
	    twinning_stats_one(db, a, g->slug, time_now(), &st) != 0)
		return -1;
	json_object_set_new(o, "published", json_boolean(g->published));
	json_object_set_new(o, "version", json_integer(g->version));
	json_object_set_new(o, "created", time_json(g->created));
	json_object_set_new(o, "formed_at", g->event_slug == NULL ? json_null()
		: json_pack("{s:s, s:s}", "slug", g->event_slug, "title",
			    g->event_title ? g->event_title : g->event_slug));
	json_t *themes = json_array();
	for (size_t i = 0; i < n_th; i++)
		json_array_append_new(themes, json_pack("{s:s, s:s}", "slug", th[i].slug, "name",
							th[i].name));
	json_object_set_new(o, "themes", themes);
	json_t *members = json_array();
	for (size_t i = 0; i < n_people; i++)
		json_array_append_new(members, json_pack("{s:s, s:s}", "name", people[i].name,
							 "municipality",
							 people[i].municipality_id == g->city[0].id
								 ? g->city[0].slug
								 : g->city[1].slug));
	json_object_set_new(o, "members", members);
	json_t *plan = json_array();
	for (size_t i = 0; i < n_ms; i++)
		json_array_append_new(plan, json_pack(
			"{s:I, s:s, s:s, s:o, s:s, s:s, s:i, s:I, s:o}", "id", (json_int_t)ms[i].id,
			"title", ms[i].title, "lang", lang_code(ms[i].lang), "owner",
			json_str_or_null(ms[i].owner_name), "due", ms[i].due, "status",
			milestone_status_code(ms[i].status), "progress", ms[i].progress, "version",
			(json_int_t)ms[i].version, "updated", time_json(ms[i].updated)));
	json_object_set_new(o, "milestones", plan);
	json_t *reports = json_array();
	for (size_t i = 0; i < n_rep; i++) {
		json_t *scores = json_object();
		for (size_t k = 0; k < n_crit; k++)
			json_object_set_new(scores, crit[k].slug, rep[i].scores[k]
								   ? json_integer(rep[i].scores[k])
								   : json_null());
		json_array_append_new(reports, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:I}", "period",
			rep[i].period, "starts", rep[i].starts, "ends", rep[i].ends, "lang",
			lang_code(rep[i].lang), "achievements", rep[i].achievements, "challenges",
			json_str_or_null(rep[i].challenges), "next_steps", rep[i].next_steps, "scores",
			scores, "author", json_str_or_null(rep[i].author_name), "created",
			time_json(rep[i].created), "updated", time_json(rep[i].updated), "version",
			(json_int_t)rep[i].version));
	}
	json_object_set_new(o, "reports", reports);
	json_t *comments = json_array();
	for (size_t i = 0; i < n_com; i++)
		json_array_append_new(comments, json_pack(
			"{s:o, s:s, s:o, s:o, s:o}", "report", json_str_or_null(com[i].report_period),
			"body", com[i].body, "score", com[i].score ? json_integer(com[i].score) : json_null(),
			"author", json_str_or_null(com[i].author_name), "created",
			time_json(com[i].created)));
	json_object_set_new(o, "comments", comments);
	json_t *tl = json_array();
	for (size_t i = 0; i < n_act; i++)
		json_array_append_new(tl, tw_activity_json(a, l, "UTC", &act[i], crit, n_crit));
	json_object_set_new(o, "timeline", tl);
	json_object_set_new(o, "stats", stats_json(&st));
	return 0;
}

/* GET /api/v1/groups/{slug}?lang= : a published group's name, cities and status; its
 * whole workspace for its members and facilitators; 404 when the asker may not see
 * it at all. */
enum http_error
twinning_api_one(struct request *req, struct response *res)
{
	enum lang l;
	struct tw_group g;
	if (api_lang(req, &l) < 0)
		return HTTP_ERR_BAD_PARAM;
	int rc = tw_group_get(db_thread(), req->arena, req->captures[0], l, &g);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	const struct auth_user *me = auth_user_of(req);
	struct auth_object obj = tw_auth_object(me, &g);
	int workspace = auth_can(me, ACT_GROUP_VIEW, &obj);
	if (!g.published && !workspace)
		return HTTP_ERR_NOT_FOUND;
	i18n_use(l);	/* the timeline's sentences in the asked language */
	json_t *o = brief_json(req->arena, &g, l);
	json_object_set_new(o, "workspace", json_boolean(workspace));
	if (workspace && workspace_json(req, &g, l, o) < 0) {
		json_decref(o);
		return HTTP_ERR_INTERNAL;
	}
	return render_json(req, res, o);
}
