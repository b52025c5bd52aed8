/* twinning_store_plan: the SQL of a group's work — milestones, reports with their
 * self-assessment scores, facilitators' comments and evaluations (portable dialect).
 * Every change is written with its timeline row, inside the caller's transaction; a
 * save from an older version than the stored one changes nothing. */
#include <stdio.h>
#include <string.h>

#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define MILESTONES_MAX 500	/* rows read per group (the forms allow 200) */
#define COMMENTS_MAX 500
#define REPORTS_MAX 800		/* two centuries of quarters */

/* ---- milestones -------------------------------------------------------------------- */

#define MILESTONE_COLUMNS                                                                \
	"SELECT m.id, m.group_id, m.title, m.lang, coalesce(m.owner_id, 0), o.name, m.due," \
	" m.status, m.progress, m.version, m.created, m.updated, ub.name"                 \
	" FROM group_milestones m LEFT JOIN users o ON o.id = m.owner_id"                 \
	" LEFT JOIN users ub ON ub.id = m.updated_by"

static void
read_milestone(struct db_stmt *st, struct arena *a, struct tw_milestone *m)
{
	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, 0);
	m->group_id = db_col_int(st, 1);
	m->title = arena_strdup(a, db_col_text(st, 2));
	m->lang = tw_lang_or_en(db_col_text(st, 3));
	m->owner_id = db_col_int(st, 4);
	m->owner_name = tw_dup(a, db_col_text(st, 5));
	m->due = arena_strdup(a, db_col_text(st, 6));
	int s = milestone_status_from_code(db_col_text(st, 7));
	m->status = s < 0 ? MILESTONE_PLANNED : (enum milestone_status)s;
	m->progress = (int)db_col_int(st, 8);
	m->version = db_col_int(st, 9);
	m->created = db_col_int(st, 10);
	m->updated = db_col_int(st, 11);
	m->updated_by = tw_dup(a, db_col_text(st, 12));
}

int
tw_milestones(struct db *db, struct arena *a, int64_t group_id, struct tw_milestone **out,
	      size_t *n)
{
	struct db_stmt *st = db_prepare(db, MILESTONE_COLUMNS
					" WHERE m.group_id = ?1 ORDER BY m.due, m.id LIMIT ?2");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, MILESTONES_MAX) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		read_milestone(st, a, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_milestone_get(struct db *db, struct arena *a, int64_t group_id, int64_t id,
		 struct tw_milestone *out)
{
	struct db_stmt *st = db_prepare(db, MILESTONE_COLUMNS " WHERE m.group_id = ?1 AND m.id = ?2");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, id) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_milestone(st, a, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The fields of a milestone as the timeline names them. */
static json_t *
milestone_fields(struct db *db, struct arena *a, const struct tw_milestone *m)
{
	const char *owner = m->owner_name != NULL ? m->owner_name : tw_user_name(db, a, m->owner_id);
	return json_pack("{s:s, s:o, s:s, s:s, s:i}", "title", m->title, "owner",
			 json_str_or_null(owner), "due", m->due, "status",
			 milestone_status_code(m->status), "progress", m->progress);
}

/* {"key": {"to": value}} of every non-null field (what a new object starts with). */
static json_t *
initial(json_t *fields, const char *skip)
{
	json_t *sum = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(fields, key, v) {
		if (json_is_null(v) || (skip != NULL && strcmp(key, skip) == 0))
			continue;
		json_object_set_new(sum, key, json_pack("{s:O}", "to", v));
	}
	return sum;
}

/* The differences between two field objects, as {"key": {"from", "to"}}. */
static json_t *
diff(json_t *before, json_t *after)
{
	json_t *sum = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(after, key, v) {
		json_t *old = json_object_get(before, key);
		tw_change(sum, key, old != NULL ? json_incref(old) : NULL, json_incref(v));
	}
	return sum;
}

enum tw_rc
tw_milestone_add(struct db *db, struct tw_milestone *m, int64_t user_id, int64_t now)
{
	struct arena *a = arena_new();
	enum tw_rc rc = TW_ERROR;
	json_t *sum = NULL;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO group_milestones (group_id, title, lang, owner_id, due, status,"
		" progress, version, created, created_by, updated, updated_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?8, ?9) RETURNING id");
	if (st == NULL)
		goto out;
	if (db_bind_int(st, 1, m->group_id) < 0 || db_bind_text(st, 2, m->title) < 0 ||
	    db_bind_text(st, 3, lang_code(m->lang)) < 0 ||
	    (m->owner_id > 0 ? db_bind_int(st, 4, m->owner_id) : db_bind_null(st, 4)) < 0 ||
	    db_bind_text(st, 5, m->due) < 0 ||
	    db_bind_text(st, 6, milestone_status_code(m->status)) < 0 ||
	    db_bind_int(st, 7, m->progress) < 0 || db_bind_int(st, 8, now) < 0 ||
	    (user_id > 0 ? db_bind_int(st, 9, user_id) : db_bind_null(st, 9)) < 0 ||
	    db_step(st) != DB_ROW) {
		db_done(st);
		goto out;
	}
	m->id = db_col_int(st, 0);
	db_done(st);
	m->version = 1;
	m->created = m->updated = now;
	json_t *fields = milestone_fields(db, a, m);
	sum = initial(fields, "title");
	json_decref(fields);
	if (tw_activity_add(db, m->group_id, user_id, now, "milestone.create", "milestone", m->id,
			    m->title, sum) < 0)
		goto out;
	rc = TW_OK;
out:
	json_decref(sum);
	arena_free(a);
	return rc;
}

enum tw_rc
tw_milestone_update(struct db *db, struct arena *a, struct tw_milestone *m, int64_t expected,
		    int64_t user_id, int64_t now)
{
	struct tw_milestone old;
	int got = tw_milestone_get(db, a, m->group_id, m->id, &old);
	if (got != 0)
		return got > 0 ? TW_NOT_FOUND : TW_ERROR;
	if (old.version != expected)
		return TW_CONFLICT;
	json_t *before = milestone_fields(db, a, &old);
	m->owner_name = NULL;
	json_t *after = milestone_fields(db, a, m);
	json_t *sum = diff(before, after);
	json_decref(before);
	json_decref(after);
	if (old.lang != m->lang && json_object_get(sum, "title") == NULL)
		json_object_set_new(sum, "lang", json_pack("{s:s, s:s}", "from", lang_code(old.lang),
							   "to", lang_code(m->lang)));
	enum tw_rc rc = TW_ERROR;
	if (json_object_size(sum) == 0) {
		m->version = old.version;
		rc = TW_OK;
		goto out;
	}
	struct db_stmt *st = db_prepare(db,
		"UPDATE group_milestones SET title = ?3, lang = ?4, owner_id = ?5, due = ?6,"
		" status = ?7, progress = ?8, version = version + 1, updated = ?9, updated_by = ?10"
		" WHERE id = ?1 AND version = ?2 RETURNING version");
	if (st == NULL)
		goto out;
	if (db_bind_int(st, 1, m->id) < 0 || db_bind_int(st, 2, expected) < 0 ||
	    db_bind_text(st, 3, m->title) < 0 || db_bind_text(st, 4, lang_code(m->lang)) < 0 ||
	    (m->owner_id > 0 ? db_bind_int(st, 5, m->owner_id) : db_bind_null(st, 5)) < 0 ||
	    db_bind_text(st, 6, m->due) < 0 ||
	    db_bind_text(st, 7, milestone_status_code(m->status)) < 0 ||
	    db_bind_int(st, 8, m->progress) < 0 || db_bind_int(st, 9, now) < 0 ||
	    (user_id > 0 ? db_bind_int(st, 10, user_id) : db_bind_null(st, 10)) < 0) {
		db_done(st);
		goto out;
	}
	int step = db_step(st);
	if (step != DB_ROW) {
		db_done(st);
		rc = step == DB_DONE ? TW_CONFLICT : TW_ERROR;
		goto out;
	}
	m->version = db_col_int(st, 0);
	db_done(st);
	m->updated = now;
	if (tw_activity_add(db, m->group_id, user_id, now, "milestone.update", "milestone", m->id,
			    m->title, sum) < 0)
		goto out;
	rc = TW_OK;
out:
	json_decref(sum);
	return rc;
}

/* ---- criteria and reports ---------------------------------------------------------- */

int
tw_criteria(struct db *db, struct arena *a, enum lang l, struct tw_criterion **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, slug, name_ar, name_en, name_fr, hint_ar, hint_en, hint_fr"
		" FROM report_criteria ORDER BY position, id");
	*out = arena_alloc(a, TWINNING_CRITERIA_MAX * sizeof(**out));
	*n = 0;
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < TWINNING_CRITERIA_MAX) {
		const char *names[LANG_COUNT], *hints[LANG_COUNT];
		for (int i = 0; i < LANG_COUNT; i++) {
			names[i] = db_col_text(st, 2 + i);
			hints[i] = db_col_text(st, 5 + i);
		}
		struct tw_criterion *c = &(*out)[(*n)++];
		c->id = db_col_int(st, 0);
		c->slug = arena_strdup(a, db_col_text(st, 1));
		c->name = arena_strdup(a, tw_pick(names, l));
		c->hint = arena_strdup(a, tw_pick(hints, l));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

#define REPORT_COLUMNS                                                                   \
	"SELECT r.id, r.group_id, r.period, r.starts, r.ends, r.lang, r.achievements,"   \
	" r.challenges, r.next_steps, coalesce(r.author_id, 0), au.name, ub.name,"       \
	" r.created, r.updated, r.version"                                               \
	" FROM group_reports r LEFT JOIN users au ON au.id = r.author_id"                \
	" LEFT JOIN users ub ON ub.id = r.updated_by"

static void
read_report(struct db_stmt *st, struct arena *a, struct tw_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int(st, 0);
	r->group_id = db_col_int(st, 1);
	snprintf(r->period, sizeof r->period, "%s", db_col_text(st, 2));
	r->starts = arena_strdup(a, db_col_text(st, 3));
	r->ends = arena_strdup(a, db_col_text(st, 4));
	r->lang = tw_lang_or_en(db_col_text(st, 5));
	r->achievements = arena_strdup(a, db_col_text(st, 6));
	r->challenges = tw_dup(a, db_col_text(st, 7));
	r->next_steps = arena_strdup(a, db_col_text(st, 8));
	r->author_id = db_col_int(st, 9);
	r->author_name = tw_dup(a, db_col_text(st, 10));
	r->updated_by = tw_dup(a, db_col_text(st, 11));
	r->created = db_col_int(st, 12);
	r->updated = db_col_int(st, 13);
	r->version = db_col_int(st, 14);
}

/* Fills the scores of reports[0..n) (sorted by id ascending in ids) from one query. */
static int
read_scores(struct db *db, int64_t group_id, int64_t report_id, struct tw_report *r, size_t n,
	    const struct tw_criterion *crit, size_t n_crit)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT s.report_id, s.criterion_id, s.score FROM report_scores s"
		" JOIN group_reports r ON r.id = s.report_id"
		" WHERE r.group_id = ?1 AND (?2 = 0 OR r.id = ?2)");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, report_id) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t rid = db_col_int(st, 0), cid = db_col_int(st, 1);
		int score = (int)db_col_int(st, 2);
		for (size_t i = 0; i < n; i++) {
			if (r[i].id != rid)
				continue;
			for (size_t k = 0; k < n_crit; k++)
				if (crit[k].id == cid)
					r[i].scores[k] = score;
			break;
		}
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_reports(struct db *db, struct arena *a, int64_t group_id, const struct tw_criterion *crit,
	   size_t n_crit, struct tw_report **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, REPORT_COLUMNS
					" WHERE r.group_id = ?1 ORDER BY r.period DESC LIMIT ?2");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, REPORTS_MAX) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		read_report(st, a, &(*out)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	return *n > 0 ? read_scores(db, group_id, 0, *out, *n, crit, n_crit) : 0;
}

int
tw_report_get(struct db *db, struct arena *a, int64_t group_id, const char *period,
	      const struct tw_criterion *crit, size_t n_crit, struct tw_report *out)
{
	struct db_stmt *st = db_prepare(db, REPORT_COLUMNS " WHERE r.group_id = ?1 AND r.period = ?2");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_text(st, 2, period) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_report(st, a, out);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	return read_scores(db, group_id, out->id, out, 1, crit, n_crit);
}

static int
save_scores(struct db *db, const struct tw_report *r, const struct tw_criterion *crit,
	    size_t n_crit)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM report_scores WHERE report_id = ?1");
	if (st == NULL || db_bind_int(st, 1, r->id) < 0 || tw_run(st) < 0)
		return -1;
	for (size_t k = 0; k < n_crit; k++) {
		if (r->scores[k] == 0)
			continue;
		st = db_prepare(db, "INSERT INTO report_scores (report_id, criterion_id, score)"
				    " VALUES (?1, ?2, ?3)");
		if (st == NULL || db_bind_int(st, 1, r->id) < 0 ||
		    db_bind_int(st, 2, crit[k].id) < 0 || db_bind_int(st, 3, r->scores[k]) < 0 ||
		    tw_run(st) < 0)
			return -1;
	}
	return 0;
}

/* The fields of a report as the timeline names them: long texts only as "changed". */
static json_t *
report_fields(const struct tw_report *r, const struct tw_criterion *crit, size_t n_crit)
{
	json_t *o = json_object();
	json_object_set_new(o, "achievements", json_string(r->achievements));
	json_object_set_new(o, "challenges", json_str_or_null(r->challenges));
	json_object_set_new(o, "next_steps", json_string(r->next_steps));
	for (size_t k = 0; k < n_crit; k++) {
		char key[80];
		snprintf(key, sizeof key, "score.%s", crit[k].slug);
		json_object_set_new(o, key, r->scores[k] ? json_integer(r->scores[k]) : json_null());
	}
	return o;
}

/* Long texts recorded as {"changed": true}; scores as they are. */
static json_t *
report_summary(json_t *sum)
{
	static const char *const texts[] = {"achievements", "challenges", "next_steps"};
	for (size_t i = 0; i < 3; i++)
		if (json_object_get(sum, texts[i]) != NULL)
			json_object_set_new(sum, texts[i], json_pack("{s:b}", "changed", 1));
	return sum;
}

enum tw_rc
tw_report_add(struct db *db, struct tw_report *r, const struct tw_criterion *crit, size_t n_crit,
	      int64_t user_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM group_reports WHERE group_id = ?1 AND period = ?2");
	if (st == NULL || db_bind_int(st, 1, r->group_id) < 0 || db_bind_text(st, 2, r->period) < 0) {
		if (st != NULL)
			db_done(st);
		return TW_ERROR;
	}
	int step = db_step(st);
	db_done(st);
	if (step == DB_ERROR)
		return TW_ERROR;
	if (step == DB_ROW)
		return TW_DUPLICATE;
	st = db_prepare(db,
		"INSERT INTO group_reports (group_id, period, starts, ends, lang, achievements,"
		" challenges, next_steps, author_id, created, updated, updated_by, version)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?9, 1) RETURNING id");
	if (st == NULL)
		return TW_ERROR;
	if (db_bind_int(st, 1, r->group_id) < 0 || db_bind_text(st, 2, r->period) < 0 ||
	    db_bind_text(st, 3, r->starts) < 0 || db_bind_text(st, 4, r->ends) < 0 ||
	    db_bind_text(st, 5, lang_code(r->lang)) < 0 || db_bind_text(st, 6, r->achievements) < 0 ||
	    db_bind_text(st, 7, r->challenges) < 0 || db_bind_text(st, 8, r->next_steps) < 0 ||
	    (user_id > 0 ? db_bind_int(st, 9, user_id) : db_bind_null(st, 9)) < 0 ||
	    db_bind_int(st, 10, now) < 0 || db_step(st) != DB_ROW) {
		db_done(st);
		return TW_ERROR;
	}
	r->id = db_col_int(st, 0);
	db_done(st);
	r->version = 1;
	r->created = r->updated = now;
	r->author_id = user_id;
	if (save_scores(db, r, crit, n_crit) < 0)
		return TW_ERROR;
	json_t *fields = report_fields(r, crit, n_crit);
	json_t *sum = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(fields, key, v) {
		if (strncmp(key, "score.", 6) == 0 && !json_is_null(v))
			json_object_set_new(sum, key, json_pack("{s:O}", "to", v));
	}
	json_decref(fields);
	int ok = tw_activity_add(db, r->group_id, user_id, now, "report.create", "report", r->id,
				 r->period, sum) == 0;
	json_decref(sum);
	return ok ? TW_OK : TW_ERROR;
}

enum tw_rc
tw_report_update(struct db *db, struct arena *a, struct tw_report *r,
		 const struct tw_criterion *crit, size_t n_crit, int64_t expected, int64_t user_id,
		 int64_t now)
{
	struct tw_report old;
	int got = tw_report_get(db, a, r->group_id, r->period, crit, n_crit, &old);
	if (got != 0)
		return got > 0 ? TW_NOT_FOUND : TW_ERROR;
	if (old.version != expected)
		return TW_CONFLICT;
	r->id = old.id;
	json_t *before = report_fields(&old, crit, n_crit);
	json_t *after = report_fields(r, crit, n_crit);
	json_t *sum = report_summary(diff(before, after));
	json_decref(before);
	json_decref(after);
	if (old.lang != r->lang)
		json_object_set_new(sum, "lang", json_pack("{s:s, s:s}", "from", lang_code(old.lang),
							   "to", lang_code(r->lang)));
	enum tw_rc rc = TW_ERROR;
	if (json_object_size(sum) == 0) {
		r->version = old.version;
		rc = TW_OK;
		goto out;
	}
	struct db_stmt *st = db_prepare(db,
		"UPDATE group_reports SET lang = ?3, achievements = ?4, challenges = ?5,"
		" next_steps = ?6, updated = ?7, updated_by = ?8, version = version + 1"
		" WHERE id = ?1 AND version = ?2 RETURNING version");
	if (st == NULL)
		goto out;
	if (db_bind_int(st, 1, r->id) < 0 || db_bind_int(st, 2, expected) < 0 ||
	    db_bind_text(st, 3, lang_code(r->lang)) < 0 || db_bind_text(st, 4, r->achievements) < 0 ||
	    db_bind_text(st, 5, r->challenges) < 0 || db_bind_text(st, 6, r->next_steps) < 0 ||
	    db_bind_int(st, 7, now) < 0 ||
	    (user_id > 0 ? db_bind_int(st, 8, user_id) : db_bind_null(st, 8)) < 0) {
		db_done(st);
		goto out;
	}
	int step = db_step(st);
	if (step != DB_ROW) {
		db_done(st);
		rc = step == DB_DONE ? TW_CONFLICT : TW_ERROR;
		goto out;
	}
	r->version = db_col_int(st, 0);
	db_done(st);
	r->updated = now;
	if (save_scores(db, r, crit, n_crit) < 0 ||
	    tw_activity_add(db, r->group_id, user_id, now, "report.update", "report", r->id,
			    r->period, sum) < 0)
		goto out;
	rc = TW_OK;
out:
	json_decref(sum);
	return rc;
}

/* ---- comments and evaluations ------------------------------------------------------ */

int
tw_comments(struct db *db, struct arena *a, int64_t group_id, struct tw_comment **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT c.id, c.group_id, coalesce(c.report_id, 0), r.period, c.body,"
		" coalesce(c.score, 0), coalesce(c.author_id, 0), u.name, c.created"
		" FROM group_comments c LEFT JOIN group_reports r ON r.id = c.report_id"
		" LEFT JOIN users u ON u.id = c.author_id"
		" WHERE c.group_id = ?1 ORDER BY c.created DESC, c.id DESC LIMIT ?2");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, COMMENTS_MAX) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		struct tw_comment *c = &(*out)[(*n)++];
		c->id = db_col_int(st, 0);
		c->group_id = db_col_int(st, 1);
		c->report_id = db_col_int(st, 2);
		c->report_period = tw_dup(a, db_col_text(st, 3));
		c->body = arena_strdup(a, db_col_text(st, 4));
		c->score = (int)db_col_int(st, 5);
		c->author_id = db_col_int(st, 6);
		c->author_name = tw_dup(a, db_col_text(st, 7));
		c->created = db_col_int(st, 8);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

enum tw_rc
tw_comment_add(struct db *db, struct tw_comment *c, int64_t now)
{
	char period[8] = "";
	if (c->report_id > 0) {
		struct db_stmt *st = db_prepare(db, "SELECT period FROM group_reports"
						    " WHERE id = ?1 AND group_id = ?2");
		if (st == NULL || db_bind_int(st, 1, c->report_id) < 0 ||
		    db_bind_int(st, 2, c->group_id) < 0) {
			if (st != NULL)
				db_done(st);
			return TW_ERROR;
		}
		int step = db_step(st);
		if (step == DB_ROW)
			snprintf(period, sizeof period, "%s", db_col_text(st, 0));
		db_done(st);
		if (step != DB_ROW)
			return step == DB_DONE ? TW_NOT_FOUND : TW_ERROR;
	}
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO group_comments (group_id, report_id, body, score, author_id, created)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
	if (st == NULL)
		return TW_ERROR;
	if (db_bind_int(st, 1, c->group_id) < 0 ||
	    (c->report_id > 0 ? db_bind_int(st, 2, c->report_id) : db_bind_null(st, 2)) < 0 ||
	    db_bind_text(st, 3, c->body) < 0 ||
	    (c->score > 0 ? db_bind_int(st, 4, c->score) : db_bind_null(st, 4)) < 0 ||
	    (c->author_id > 0 ? db_bind_int(st, 5, c->author_id) : db_bind_null(st, 5)) < 0 ||
	    db_bind_int(st, 6, now) < 0 || db_step(st) != DB_ROW) {
		db_done(st);
		return TW_ERROR;
	}
	c->id = db_col_int(st, 0);
	db_done(st);
	c->created = now;
	json_t *sum = c->score > 0 ? json_pack("{s:{s:i}}", "score", "to", c->score) : json_object();
	int ok = tw_activity_add(db, c->group_id, c->author_id, now,
				 c->score > 0 ? "evaluation.create" : "comment.create", "comment",
				 c->id, period[0] ? period : NULL, sum) == 0;
	json_decref(sum);
	return ok ? TW_OK : TW_ERROR;
}
