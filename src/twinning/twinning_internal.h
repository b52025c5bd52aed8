/* twinning_internal: what the files of the twinning module share (not for other
 * modules): the rules (twinning_check.c), the store (twinning_store.c), the timeline
 * (twinning_timeline.c) and the pages' common parts (twinning_page.c). */
#ifndef TWINNING_INTERNAL_H
#define TWINNING_INTERNAL_H
#include <jansson.h>

#include "auth/auth.h"
#include "twinning/twinning.h"

#define TW_TITLE_MAX 300	/* characters of a milestone title */
#define TW_NAME_MAX 300		/* characters of a group's name in one language */
#define TW_TEXT_MAX 5000	/* characters of a report section or a comment */
#define TW_DUE_YEARS 10		/* a due date at most this many years from today */
#define TW_TIMELINE_MAX 100	/* timeline rows shown on a page or in the API */
#define TW_THEMES_MAX 8

/* What a store call that changes something returns. */
enum tw_rc {
	TW_ERROR = -1,
	TW_OK = 0,
	TW_NOT_FOUND = 1,
	TW_CONFLICT = 2,	/* the row is no longer the version the form was made from */
	TW_DUPLICATE = 3,	/* a report for this period exists already */
};

/* ---- the rules (twinning_check.c): pure functions, unit-tested ------------------ */

/* A progress percentage: "0" to "100", digits only. 0 and *out, or -1. */
int tw_percent_parse(const char *s, int *out);
/* A score: "1" to "5". 0 and *out, or -1. */
int tw_score_parse(const char *s, int *out);
/* A quarter "2026-Q3" ("q" also accepted, as in addresses), years 1900 to 2199.
 * 0 with *year and *quarter (1..4), or -1. */
int tw_period_parse(const char *s, int *year, int *quarter);
/* "2026-Q3" (out holds 8 bytes). */
void tw_period_format(int year, int quarter, char out[8]);
/* The first and last day (days since 1970-01-01) of a quarter. */
void tw_period_days(int year, int quarter, int64_t *first, int64_t *last);
/* The quarter that instant t (UTC seconds) falls in. */
void tw_period_of(int64_t t, int *year, int *quarter);
/* A calendar date "YYYY-MM-DD" (1900 to 2199) as days since 1970-01-01. 0 or -1. */
int tw_date_parse(const char *s, int64_t *day);
/* "YYYY-MM-DD" of a day number (out holds 11 bytes). */
void tw_date_format(int64_t day, char out[11]);

/* Rules across fields, as bits (0: none broken). */
enum tw_rule {
	TW_RULE_DUE_BEFORE_GROUP = 1,	/* a milestone due before the group was formed */
	TW_RULE_DUE_TOO_LATE = 2,	/* due more than TW_DUE_YEARS years from today */
	TW_RULE_DONE_NOT_FULL = 4,	/* "done" with less than 100% */
	TW_RULE_PERIOD_FUTURE = 8,	/* a report for a quarter that has not begun */
	TW_RULE_PERIOD_BEFORE_GROUP = 16, /* a report for a quarter before the group */
};
/* The rules a milestone (due day, status, progress) breaks for a group formed at
 * group_created, today being now (UTC seconds). */
unsigned tw_milestone_rules(int64_t due_day, enum milestone_status status, int progress,
			    int64_t group_created, int64_t now);
/* The rules a report for quarter year-Qquarter breaks. */
unsigned tw_report_rules(int year, int quarter, int64_t group_created, int64_t now);

/* A text field: one line (multiline 0) or several, checked as the forms need. */
enum tw_text { TW_TEXT_OK, TW_TEXT_EMPTY, TW_TEXT_CONTROL, TW_TEXT_TOO_LONG };
/* Trims s, refuses control characters (newlines and tabs allowed when multiline),
 * counts at most max characters. On TW_TEXT_OK, *out is the trimmed copy in a with
 * "\r\n" made "\n". s must be valid UTF-8 (as every form value is). */
enum tw_text tw_text_check(struct arena *a, const char *s, int multiline, size_t max,
			   const char **out);

/* Whether two municipalities may form a group: 0 when they may, 1 when they are the
 * same one, 2 when they are in the same country. */
int tw_pair_problem(int64_t id_a, const char *country_a, int64_t id_b, const char *country_b);

/* ---- the store (twinning_store.c, twinning_store_plan.c) ------------------------ */

/* Helpers of the two store files. tw_grow: room for one more element in an arena array
 * of *cap elements holding n (a new array when full). tw_dup: a copy in a, NULL for
 * NULL. tw_pick: the name in l, else English, French, Arabic ("" when none).
 * tw_lang_or_en: a stored language code. tw_run: steps a statement that returns
 * nothing and releases it (0 or -1). tw_user_name: an account's name, NULL when none.
 * tw_change: adds {"from", "to"} under key to sum when they differ (both taken). */
void *tw_grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size);
const char *tw_dup(struct arena *a, const char *s);
const char *tw_pick(const char *const names[LANG_COUNT], enum lang l);
enum lang tw_lang_or_en(const char *code);
int tw_run(struct db_stmt *st);
const char *tw_user_name(struct db *db, struct arena *a, int64_t id);
void tw_change(json_t *sum, const char *key, json_t *from, json_t *to);

struct tw_city {
	int64_t id;
	const char *slug, *name, *country;	/* name in the language asked for */
};

struct tw_group {
	int64_t id;
	const char *slug;
	const char *name;			/* in the language asked for, or another */
	const char *names[LANG_COUNT];		/* as stored, NULL where missing */
	struct tw_city city[2];
	const char *event_slug, *event_title;	/* where it was formed, NULL: not said */
	enum group_status status;
	int published;
	int64_t version, created;
};

struct tw_named {
	const char *slug, *name;
};

/* An account of one of the group's two municipalities. */
struct tw_person {
	int64_t id;
	const char *name;
	int64_t municipality_id;
	const char *municipality;
	enum role role;
};

struct tw_milestone {
	int64_t id, group_id;
	const char *title;
	enum lang lang;				/* of the title */
	int64_t owner_id;			/* 0: nobody */
	const char *owner_name;			/* NULL: nobody */
	const char *due;			/* "YYYY-MM-DD" */
	enum milestone_status status;
	int progress;				/* 0..100 */
	int64_t version, created, updated;
	const char *updated_by;			/* the name, NULL: the network team */
};

struct tw_criterion {
	int64_t id;
	const char *slug, *name, *hint;		/* in the language asked for */
};

struct tw_report {
	int64_t id, group_id;
	char period[8];				/* "2026-Q3" */
	const char *starts, *ends;		/* "YYYY-MM-DD" */
	enum lang lang;				/* of its texts */
	const char *achievements, *challenges, *next_steps;	/* Markdown; challenges
								 * may be NULL */
	int scores[TWINNING_CRITERIA_MAX];	/* by criterion, in the order of
						 * tw_criteria; 0: not assessed */
	int64_t author_id;			/* 0: none */
	const char *author_name, *updated_by;	/* NULL: the network team */
	int64_t created, updated, version;
};

struct tw_comment {
	int64_t id, group_id;
	int64_t report_id;			/* 0: on the group */
	const char *report_period;		/* its period, NULL */
	const char *body;			/* Markdown */
	int score;				/* 0: a comment, 1..5: an evaluation */
	int64_t author_id;
	const char *author_name;		/* NULL: the network team */
	int64_t created;
};

struct tw_activity {
	int64_t id, at;
	int64_t user_id;
	const char *user_name;			/* NULL: the network team */
	const char *action;			/* "milestone.update" */
	const char *object_kind;		/* "milestone" */
	int64_t object_id;
	const char *label;			/* title or period then, may be NULL */
	const char *summary;			/* JSON object of the changes */
};

/* Loads a group by slug with its names and cities in l. 0, 1 (none), -1. */
int tw_group_get(struct db *db, struct arena *a, const char *slug, enum lang l,
		 struct tw_group *out);
/* Every group, by name in l (ICU collation). 0 or -1. */
int tw_group_list(struct db *db, struct arena *a, enum lang l, struct tw_group **out,
		  size_t *n);
/* A group's focus themes, names in l. 0 or -1. */
int tw_group_themes(struct db *db, struct arena *a, int64_t group_id, enum lang l,
		    struct tw_named **out, size_t *n);
/* The active accounts of the group's two municipalities, by municipality then name.
 * 0 or -1. */
int tw_group_people(struct db *db, struct arena *a, const struct tw_group *g,
		    struct tw_person **out, size_t *n);

/* Every theme, names in l, by name. 0 or -1. */
int tw_themes_all(struct db *db, struct arena *a, enum lang l, struct tw_named **out, size_t *n);
/* The latest max workshops, trainings, conferences and virtual meetings (drafts too),
 * newest first, as slug and title in l: where a group may have been formed. 0 or -1. */
int tw_recent_events(struct db *db, struct arena *a, enum lang l, size_t max,
		     struct tw_named **out, size_t *n);
/* 1 when an event has this slug, 0 when none, -1 on error. */
int tw_event_exists(struct db *db, const char *slug);
/* 1 (and *slug) when a group other than except pairs these two municipalities already
 * (in either order), 0 when none does, -1 on error. */
int tw_pair_taken(struct db *db, struct arena *a, int64_t id_a, int64_t id_b, const char *except,
		  const char **slug);

/* Creates (expected_version 0) or updates (expected_version: the version the form was
 * made from) a group with network_save_group, sets its published flag and version, and
 * writes its timeline row — inside the caller's transaction. created is kept on an
 * update. Returns TW_OK, TW_CONFLICT (changed meanwhile), TW_NOT_FOUND (an update of
 * a group that is gone), TW_DUPLICATE (a new group's slug is taken), TW_ERROR (err
 * says why, in English, for the log). */
enum tw_rc tw_group_save(struct db *db, struct arena *a, const struct twinning_group *g,
			 int published, int64_t expected_version, int64_t user_id, int64_t now,
			 char *err, size_t errlen);

/* The group's milestones by due date. 0 or -1. */
int tw_milestones(struct db *db, struct arena *a, int64_t group_id, struct tw_milestone **out,
		  size_t *n);
/* One milestone of the group. 0, 1 (none), -1. */
int tw_milestone_get(struct db *db, struct arena *a, int64_t group_id, int64_t id,
		     struct tw_milestone *out);
/* Adds m (its id set) with its timeline row, by user_id (0: the network team) at now,
 * inside the caller's transaction. TW_OK or TW_ERROR. */
enum tw_rc tw_milestone_add(struct db *db, struct tw_milestone *m, int64_t user_id,
			    int64_t now);
/* Saves m over the stored milestone when that is still at version expected, with a
 * timeline row naming what changed (none when nothing did). TW_OK (m->version is the
 * new version), TW_CONFLICT, TW_NOT_FOUND, TW_ERROR. */
enum tw_rc tw_milestone_update(struct db *db, struct arena *a, struct tw_milestone *m,
			       int64_t expected, int64_t user_id, int64_t now);

/* The criteria of a self-assessment in their order, names in l. 0 or -1. */
int tw_criteria(struct db *db, struct arena *a, enum lang l, struct tw_criterion **out,
		size_t *n);
/* The group's reports, newest period first, with their scores (by the order of
 * crit). 0 or -1. */
int tw_reports(struct db *db, struct arena *a, int64_t group_id, const struct tw_criterion *crit,
	       size_t n_crit, struct tw_report **out, size_t *n);
/* One report by period ("2026-Q3"). 0, 1, -1. */
int tw_report_get(struct db *db, struct arena *a, int64_t group_id, const char *period,
		  const struct tw_criterion *crit, size_t n_crit, struct tw_report *out);
/* Files r (its id set) with its scores and timeline row. TW_OK, TW_DUPLICATE (the
 * group has a report for this period), TW_ERROR. */
enum tw_rc tw_report_add(struct db *db, struct tw_report *r, const struct tw_criterion *crit,
			 size_t n_crit, int64_t user_id, int64_t now);
/* Saves r over the stored report of its period when that is still at version
 * expected. TW_OK, TW_CONFLICT, TW_NOT_FOUND, TW_ERROR. */
enum tw_rc tw_report_update(struct db *db, struct arena *a, struct tw_report *r,
			    const struct tw_criterion *crit, size_t n_crit, int64_t expected,
			    int64_t user_id, int64_t now);

/* The group's comments and evaluations, newest first. 0 or -1. */
int tw_comments(struct db *db, struct arena *a, int64_t group_id, struct tw_comment **out,
		size_t *n);
/* Adds c (report_id, if any, must be one of the group's reports: else TW_NOT_FOUND)
 * with its timeline row. TW_OK, TW_NOT_FOUND, TW_ERROR. */
enum tw_rc tw_comment_add(struct db *db, struct tw_comment *c, int64_t now);

/* The group's timeline, newest first, at most max rows. 0 or -1. */
int tw_activity(struct db *db, struct arena *a, int64_t group_id, size_t max,
		struct tw_activity **out, size_t *n);
/* Appends a timeline row (summary borrowed; NULL: {}). 0 or -1. */
int tw_activity_add(struct db *db, int64_t group_id, int64_t user_id, int64_t at,
		    const char *action, const char *kind, int64_t object_id, const char *label,
		    json_t *summary);

/* ---- labels and the timeline (twinning_timeline.c) ------------------------------- */

/* Labels in the calling thread's language. */
const char *tw_group_status_label(enum group_status s);
const char *tw_milestone_status_label(enum milestone_status s);
/* "Q3 2026" in l. */
const char *tw_period_label(struct arena *a, enum lang l, const char *period);
/* "40%" in l. */
const char *tw_percent_label(struct arena *a, enum lang l, int percent);
/* A date "YYYY-MM-DD" in l (medium style). */
const char *tw_date_label(struct arena *a, enum lang l, const char *date);
/* A timeline row as {"action", "object", "by", "sentence", "changes": [{"label",
 * "from", "to"} or {"label", "changed": true}], "at" (RFC 3339), "when" (in l and
 * zone tz)} for pages and the API; crit names the self-assessment's criteria. A new
 * reference. */
json_t *tw_activity_json(struct arena *a, enum lang l, const char *tz,
			 const struct tw_activity *act, const struct tw_criterion *crit,
			 size_t n_crit);

/* ---- the pages' common parts (twinning_page.c) ------------------------------------ */

/* The facts auth_can needs about g for the signed-in reader (NULL: a visitor):
 * published, and REL_GROUP_MEMBER when the reader's municipality is one of the two. */
struct auth_object tw_auth_object(const struct auth_user *u, const struct tw_group *g);

/* Loads the group named by the route's first {slug} (captures[1]) for a route that
 * needs act: HTTP_OK with *g; HTTP_ERR_NOT_FOUND when there is no such group, or when
 * the reader may not do act and the group is not published (its existence is not
 * told); HTTP_ERR_FORBIDDEN when the reader may not do act to a published group. */
enum http_error tw_load(struct request *req, enum auth_action act, struct tw_group *g);

/* {"slug", "name", "url", "cities": [{"slug", "name", "country"}], "status",
 * "status_label"}: all the public may see of a group, in the reader's language. */
json_t *tw_group_brief(struct request *req, const struct tw_group *g);

/* The reader's time zone for times on pages (UTC for visitors). */
const char *tw_reader_tz(const struct request *req);

/* The message beside a text field that tw_text_check refused (NULL when rc is
 * TW_TEXT_OK; empty is the message for a field left empty, NULL when it may be). */
const char *tw_text_problem(struct request *req, enum tw_text rc, size_t max, const char *empty);

/* Options for a form's <select>: [{"value","label","selected"}]. */
struct tw_option {
	const char *value, *label;
};
json_t *tw_options(const struct tw_option *o, size_t n, const char *selected);

/* Handlers. */
enum http_error twinning_list_page(struct request *req, struct response *res);
/* The facilitators' dashboard (twinning_dashboard.c): adds "dashboard" to ctx — the SVG
 * charts, the groups needing attention within days — for the staff's group list. 0 or
 * -1. And GET /{lang}/groups.csv: every group's figures as CSV (staff only). */
int twinning_dashboard_ctx(struct request *req, json_t *ctx, const struct tw_group *g, size_t n,
			   const struct twinning_stats *st, size_t n_st,
			   const struct twinning_attention *att, size_t n_att, int days);
enum http_error twinning_dashboard_csv(struct request *req, struct response *res);
enum http_error twinning_group_page(struct request *req, struct response *res);
enum http_error twinning_comment(struct request *req, struct response *res);
enum http_error twinning_milestone_new_form(struct request *req, struct response *res);
enum http_error twinning_milestone_create(struct request *req, struct response *res);
enum http_error twinning_milestone_edit_form(struct request *req, struct response *res);
enum http_error twinning_milestone_update(struct request *req, struct response *res);
enum http_error twinning_report_new_form(struct request *req, struct response *res);
enum http_error twinning_report_create(struct request *req, struct response *res);
enum http_error twinning_report_edit_form(struct request *req, struct response *res);
enum http_error twinning_report_update(struct request *req, struct response *res);
enum http_error twinning_group_new_form(struct request *req, struct response *res);
enum http_error twinning_group_create(struct request *req, struct response *res);
enum http_error twinning_group_edit_form(struct request *req, struct response *res);
enum http_error twinning_group_update(struct request *req, struct response *res);
enum http_error twinning_api_list(struct request *req, struct response *res);
enum http_error twinning_api_one(struct request *req, struct response *res);

#endif
