/* twinning_stats: the figures a facilitators' dashboard reads — per group, milestones
 * by status, completion, overdue work, reports, evaluations and last activity; per
 * quarter, reports and mean self-assessment scores; the groups that need attention.
 * A fixed number of queries whatever the number of groups. */
#include <stdlib.h>
#include <string.h>

#include "twinning/twinning_internal.h"

/* The index of group id in s[0..n) (sorted by id), or -1. */
static long
find(const struct twinning_stats *s, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s[mid].group_id == id)
			return (long)mid;
		if (s[mid].group_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
by_slug(const void *x, const void *y)
{
	return strcmp(((const struct twinning_stats *)x)->slug,
		      ((const struct twinning_stats *)y)->slug);
}

/* Runs sql with ?1 = group_id (0: all groups) and, when text2 is not NULL, ?2 =
 * text2; calls row() for each result row. 0 or -1. */
static int
each_row(struct db *db, const char *sql, int64_t group_id, const char *text2,
	 void (*row)(struct db_stmt *st, struct twinning_stats *s, size_t n, void *arg),
	 struct twinning_stats *s, size_t n, void *arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 ||
	    (text2 != NULL && db_bind_text(st, 2, text2) < 0)) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		row(st, s, n, arg);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

struct weights {
	double *num, *den;
};

static void
milestone_row(struct db_stmt *st, struct twinning_stats *s, size_t n, void *arg)
{
	struct weights *w = arg;
	long i = find(s, n, db_col_int(st, 0));
	if (i < 0)
		return;
	int status = milestone_status_from_code(db_col_text(st, 1));
	int progress = (int)db_col_int(st, 2);
	int64_t due_day, created = db_col_int(st, 4);
	if (tw_date_parse(db_col_text(st, 3), &due_day) < 0)
		due_day = created / 86400;
	double days = (double)(due_day - created / 86400);
	double weight = days < 1 ? 1 : days;
	s[i].milestones++;
	if (status >= 0)
		s[i].by_status[status]++;
	if (status != MILESTONE_DONE && db_col_int(st, 5))
		s[i].overdue++;
	s[i].completion += progress;
	w->num[i] += weight * progress;
	w->den[i] += weight;
}

static void
report_row(struct db_stmt *st, struct twinning_stats *s, size_t n, void *arg)
{
	struct arena *a = arg;
	long i = find(s, n, db_col_int(st, 0));
	if (i < 0)
		return;
	s[i].reports = (int)db_col_int(st, 1);
	s[i].last_period = arena_strdup(a, db_col_text(st, 2));
	s[i].last_report = db_col_int(st, 3);
}

static void
evaluation_row(struct db_stmt *st, struct twinning_stats *s, size_t n, void *arg)
{
	long i = find(s, n, db_col_int(st, 0));
	if (i < 0)
		return;
	s[i].evaluations = (int)db_col_int(st, 1);
	s[i].evaluation_mean = db_col_double(st, 2);
}

static void
activity_row(struct db_stmt *st, struct twinning_stats *s, size_t n, void *arg)
{
	long i = find(s, n, db_col_int(st, 0));
	if (i >= 0)
		s[i].last_activity = db_col_int(st, 1);
}

/* The figures of group_id (0: every group) into *out, sorted by slug. */
static int
stats(struct db *db, struct arena *a, int64_t group_id, int64_t now, struct twinning_stats **out,
      size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, slug, status, published FROM twinning_groups"
		" WHERE (?1 = 0 OR id = ?1) ORDER BY id");
	size_t cap = 16;
	*out = arena_alloc(a, cap * sizeof(**out));
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct twinning_stats *p = arena_alloc(a, cap * 2 * sizeof(*p));
			memcpy(p, *out, cap * sizeof(*p));
			*out = p;
			cap *= 2;
		}
		struct twinning_stats *s = &(*out)[(*n)++];
		memset(s, 0, sizeof(*s));
		s->group_id = db_col_int(st, 0);
		s->slug = arena_strdup(a, db_col_text(st, 1));
		int status = group_status_from_code(db_col_text(st, 2));
		s->status = status < 0 ? GROUP_FORMING : (enum group_status)status;
		s->published = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (*n == 0)
		return 0;

	char today[11];
	tw_date_format(now >= 0 ? now / 86400 : 0, today);
	struct weights w = {arena_alloc(a, *n * sizeof(double)), arena_alloc(a, *n * sizeof(double))};
	if (each_row(db,
		     "SELECT group_id, status, progress, due, created, due < ?2"
		     " FROM group_milestones WHERE (?1 = 0 OR group_id = ?1)",
		     group_id, today, milestone_row, *out, *n, &w) < 0)
		return -1;
	if (each_row(db,
		     "SELECT group_id, count(*), max(period), max(updated) FROM group_reports"
		     " WHERE (?1 = 0 OR group_id = ?1) GROUP BY group_id",
		     group_id, NULL, report_row, *out, *n, a) < 0 ||
	    each_row(db,
		     "SELECT group_id, count(*), avg(score) FROM group_comments"
		     " WHERE (?1 = 0 OR group_id = ?1) AND score IS NOT NULL"
		     " GROUP BY group_id",
		     group_id, NULL, evaluation_row, *out, *n, NULL) < 0 ||
	    each_row(db,
		     "SELECT group_id, max(at) FROM group_activity"
		     " WHERE (?1 = 0 OR group_id = ?1) GROUP BY group_id",
		     group_id, NULL, activity_row, *out, *n, NULL) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		struct twinning_stats *s = &(*out)[i];
		if (s->milestones > 0) {
			s->completion /= s->milestones;
			s->weighted_completion = w.den[i] > 0 ? w.num[i] / w.den[i] : 0;
		}
	}
	qsort(*out, *n, sizeof(**out), by_slug);
	return 0;
}

int
twinning_stats_one(struct db *db, struct arena *a, const char *slug, int64_t now,
		   struct twinning_stats *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM twinning_groups WHERE slug = ?1");
	if (st == NULL || db_bind_text(st, 1, slug) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	struct twinning_stats *s;
	size_t n;
	if (stats(db, a, id, now, &s, &n) < 0)
		return -1;
	if (n != 1)
		return 1;
	*out = s[0];
	return 0;
}

int
twinning_stats_all(struct db *db, struct arena *a, int64_t now, struct twinning_stats **out,
		   size_t *n)
{
	return stats(db, a, 0, now, out, n);
}

int
twinning_quarters(struct db *db, struct arena *a, const char *first, const char *last,
		  struct twinning_quarter **out, size_t *n)
{
	int y0, q0, y1, q1;
	if (tw_period_parse(first, &y0, &q0) < 0 || tw_period_parse(last, &y1, &q1) < 0)
		return -1;
	long from = (long)y0 * 4 + q0 - 1, to = (long)y1 * 4 + q1 - 1;
	if (to < from || to - from >= 200)
		return -1;
	char p0[8], p1[8];
	tw_period_format(y0, q0, p0);
	tw_period_format(y1, q1, p1);
	struct tw_criterion *crit;
	size_t n_crit;
	if (tw_criteria(db, a, LANG_EN, &crit, &n_crit) < 0)
		return -1;
	*n = (size_t)(to - from + 1);
	*out = arena_alloc(a, *n * sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		long k = from + (long)i;
		tw_period_format((int)(k / 4), (int)(k % 4) + 1, (*out)[i].period);
		(*out)[i].n_criteria = (int)n_crit;
		for (size_t c = 0; c < n_crit; c++)
			(*out)[i].criteria[c] = crit[c].slug;
	}
	struct db_stmt *st = db_prepare(db,
		"SELECT period, count(*) FROM group_reports WHERE period BETWEEN ?1 AND ?2"
		" GROUP BY period");
	if (st == NULL || db_bind_text(st, 1, p0) < 0 || db_bind_text(st, 2, p1) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int y, q;
		if (tw_period_parse(db_col_text(st, 0), &y, &q) < 0)
			continue;
		long k = (long)y * 4 + q - 1 - from;
		if (k >= 0 && (size_t)k < *n)
			(*out)[k].reports = (int)db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	st = db_prepare(db,
		"SELECT r.period, s.criterion_id, avg(s.score) FROM report_scores s"
		" JOIN group_reports r ON r.id = s.report_id WHERE r.period BETWEEN ?1 AND ?2"
		" GROUP BY r.period, s.criterion_id");
	if (st == NULL || db_bind_text(st, 1, p0) < 0 || db_bind_text(st, 2, p1) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int y, q;
		if (tw_period_parse(db_col_text(st, 0), &y, &q) < 0)
			continue;
		long k = (long)y * 4 + q - 1 - from;
		int64_t cid = db_col_int(st, 1);
		for (size_t c = 0; k >= 0 && (size_t)k < *n && c < n_crit; c++)
			if (crit[c].id == cid)
				(*out)[k].mean[c] = db_col_double(st, 2);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int
by_quiet(const void *x, const void *y)
{
	const struct twinning_attention *a = x, *b = y;
	if (a->stats.last_activity != b->stats.last_activity)
		return a->stats.last_activity < b->stats.last_activity ? -1 : 1;
	return strcmp(a->stats.slug, b->stats.slug);
}

int
twinning_needing_attention(struct db *db, struct arena *a, int64_t now, int days,
			   struct twinning_attention **out, size_t *n)
{
	struct twinning_stats *s;
	size_t n_s;
	if (days < 0 || stats(db, a, 0, now, &s, &n_s) < 0)
		return -1;
	int64_t since = now - (int64_t)days * 86400;
	*out = arena_alloc(a, (n_s + 1) * sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < n_s; i++) {
		if (s[i].status != GROUP_FORMING && s[i].status != GROUP_ACTIVE)
			continue;
		unsigned r = 0;
		if (s[i].last_activity < since)
			r |= ATTENTION_QUIET;
		if (s[i].last_report < since)
			r |= ATTENTION_NO_REPORT;
		if (s[i].by_status[MILESTONE_BLOCKED] > 0)
			r |= ATTENTION_BLOCKED;
		if (r == 0)
			continue;
		(*out)[*n].stats = s[i];
		(*out)[*n].reasons = r;
		(*n)++;
	}
	qsort(*out, *n, sizeof(**out), by_quiet);
	return 0;
}
