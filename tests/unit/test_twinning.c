/* test_twinning: the rules of twinning groups' plans and reports (percentages, scores,
 * quarters, dates in order, texts, two countries), and their store on a real SQLite
 * file: version conflicts, one report per quarter, nothing partly written, a timeline
 * row with each change, the dashboard's figures, and a deterministic demo. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "db/db.h"
#include "events/events.h"
#include "network/network.h"
#include "twinning/twinning_internal.h"

/* ---- the rules, table-driven ---------------------------------------------------- */

Test(twinning, percentages_are_whole_numbers_from_0_to_100)
{
	static const struct {
		const char *in;
		int ok, v;
	} cases[] = {
		{"0", 1, 0}, {"1", 1, 1}, {"55", 1, 55}, {"100", 1, 100}, {"101", 0, 0},
		{"-1", 0, 0}, {"", 0, 0}, {"abc", 0, 0}, {"50.5", 0, 0}, {"1e2", 0, 0},
		{" 5", 0, 0}, {"5 ", 0, 0}, {"+5", 0, 0}, {"0100", 0, 0}, {"999", 0, 0},
		{"١٠", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int v = -7;
		int rc = tw_percent_parse(cases[i].in, &v);
		cr_expect_eq(rc == 0, cases[i].ok, "percent %s", cases[i].in);
		if (cases[i].ok)
			cr_expect_eq(v, cases[i].v, "percent %s", cases[i].in);
	}
	int v;
	cr_expect_eq(tw_percent_parse(NULL, &v), -1);
}

Test(twinning, scores_are_1_to_5)
{
	static const char *const good[] = {"1", "2", "3", "4", "5"};
	static const char *const bad[] = {"0", "6", "", "3.5", "+3", "-1", "10", "x"};
	for (size_t i = 0; i < 5; i++) {
		int v = 0;
		cr_expect_eq(tw_score_parse(good[i], &v), 0, "%s", good[i]);
		cr_expect_eq(v, (int)i + 1);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v;
		cr_expect_eq(tw_score_parse(bad[i], &v), -1, "score %s", bad[i]);
	}
}

Test(twinning, periods_are_quarters)
{
	static const struct {
		const char *in;
		int ok, y, q;
	} cases[] = {
		{"2026-Q3", 1, 2026, 3}, {"2026-q1", 1, 2026, 1}, {"1900-Q1", 1, 1900, 1},
		{"2199-Q4", 1, 2199, 4}, {"2026-Q0", 0, 0, 0}, {"2026-Q5", 0, 0, 0},
		{"26-Q1", 0, 0, 0}, {"2026Q1", 0, 0, 0}, {"2026-Q10", 0, 0, 0},
		{"1899-Q4", 0, 0, 0}, {"2200-Q1", 0, 0, 0}, {"2026-3", 0, 0, 0}, {"", 0, 0, 0},
		{"2026-T3", 0, 0, 0}, {"20x6-Q3", 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int y = 0, q = 0;
		int rc = tw_period_parse(cases[i].in, &y, &q);
		cr_expect_eq(rc == 0, cases[i].ok, "period %s", cases[i].in);
		if (cases[i].ok)
			cr_expect(y == cases[i].y && q == cases[i].q, "period %s: %d %d", cases[i].in,
				  y, q);
	}
	char p[8];
	tw_period_format(2026, 3, p);
	cr_expect_str_eq(p, "2026-Q3");
	/* first and last days, leap years included */
	static const struct {
		int y, q;
		const char *first, *last;
	} days[] = {
		{2026, 1, "2026-01-01", "2026-03-31"}, {2026, 2, "2026-04-01", "2026-06-30"},
		{2026, 3, "2026-07-01", "2026-09-30"}, {2026, 4, "2026-10-01", "2026-12-31"},
		{2024, 1, "2024-01-01", "2024-03-31"}, {1999, 4, "1999-10-01", "1999-12-31"},
	};
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		int64_t first, last;
		char a[11], b[11];
		tw_period_days(days[i].y, days[i].q, &first, &last);
		tw_date_format(first, a);
		tw_date_format(last, b);
		cr_expect_str_eq(a, days[i].first);
		cr_expect_str_eq(b, days[i].last);
	}
	int64_t t;
	int y, q;
	cr_assert_eq(time_parse_rfc3339("2026-09-30T23:59:59Z", &t), 0);
	tw_period_of(t, &y, &q);
	cr_expect(y == 2026 && q == 3);
	tw_period_of(t + 1, &y, &q);
	cr_expect(y == 2026 && q == 4);
	tw_period_of(-1, &y, &q);
	cr_expect(y == 1969 && q == 4);
}

Test(twinning, dates_are_calendar_days)
{
	static const char *const good[] = {"2024-02-29", "1900-01-01", "2199-12-31", "2026-09-30"};
	static const char *const bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "1899-12-31",
					  "2200-01-01", "31/12/2026", "2026-9-30", "", "2026-09-30T00"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t d;
		char back[11];
		cr_expect_eq(tw_date_parse(good[i], &d), 0, "%s", good[i]);
		tw_date_format(d, back);
		cr_expect_str_eq(back, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t d;
		cr_expect_eq(tw_date_parse(bad[i], &d), -1, "date %s", bad[i]);
	}
}

/* UTC seconds of a date at noon. */
static int64_t
noon(const char *date)
{
	int64_t t;
	cr_assert_eq(time_parse_date(date, &t), 0, "%s", date);
	return t + 12 * 3600;
}

static int64_t
day(const char *date)
{
	int64_t d;
	cr_assert_eq(tw_date_parse(date, &d), 0, "%s", date);
	return d;
}

Test(twinning, milestone_dates_in_order_and_done_at_100)
{
	int64_t formed = noon("2018-03-29"), now = noon("2026-11-29");
	static const struct {
		const char *due;
		enum milestone_status st;
		int progress;
		unsigned want;
	} cases[] = {
		{"2018-03-29", MILESTONE_PLANNED, 0, 0},		/* the day it was formed */
		{"2018-03-28", MILESTONE_PLANNED, 0, TW_RULE_DUE_BEFORE_GROUP},
		{"2017-01-01", MILESTONE_DONE, 100, TW_RULE_DUE_BEFORE_GROUP},
		{"2036-11-29", MILESTONE_PLANNED, 0, 0},		/* ten years ahead */
		{"2036-11-30", MILESTONE_PLANNED, 0, TW_RULE_DUE_TOO_LATE},
		{"2026-06-30", MILESTONE_DONE, 100, 0},
		{"2026-06-30", MILESTONE_DONE, 99, TW_RULE_DONE_NOT_FULL},
		{"2026-06-30", MILESTONE_IN_PROGRESS, 100, 0},
		{"2026-06-30", MILESTONE_BLOCKED, 0, 0},
		{"2010-01-01", MILESTONE_DONE, 0, TW_RULE_DUE_BEFORE_GROUP | TW_RULE_DONE_NOT_FULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(tw_milestone_rules(day(cases[i].due), cases[i].st, cases[i].progress,
						formed, now),
			     cases[i].want, "case %zu (%s)", i, cases[i].due);
	/* today being a 29 February: ten years on is the 28th */
	cr_expect_eq(tw_milestone_rules(day("2034-02-28"), MILESTONE_PLANNED, 0, formed,
					noon("2024-02-29")),
		     0);
	cr_expect_eq(tw_milestone_rules(day("2034-03-01"), MILESTONE_PLANNED, 0, formed,
					noon("2024-02-29")),
		     TW_RULE_DUE_TOO_LATE);
}

Test(twinning, report_periods_not_in_the_future_nor_before_the_group)
{
	int64_t formed = noon("2018-03-29"), now = noon("2026-11-29");
	static const struct {
		int y, q;
		unsigned want;
	} cases[] = {
		{2026, 4, 0},				/* the current quarter */
		{2026, 3, 0},
		{2027, 1, TW_RULE_PERIOD_FUTURE},
		{2099, 1, TW_RULE_PERIOD_FUTURE},
		{2018, 1, 0},				/* the quarter it was formed in */
		{2017, 4, TW_RULE_PERIOD_BEFORE_GROUP},
		{1900, 1, TW_RULE_PERIOD_BEFORE_GROUP},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(tw_report_rules(cases[i].y, cases[i].q, formed, now), cases[i].want,
			     "%d-Q%d", cases[i].y, cases[i].q);
	/* the first day of a quarter belongs to it */
	cr_expect_eq(tw_report_rules(2027, 1, formed, noon("2027-01-01")), 0);
}

Test(twinning, texts_are_trimmed_bounded_and_without_control_characters)
{
	struct arena *a = arena_new();
	const char *out = NULL;
	cr_expect_eq(tw_text_check(a, "  Title  ", 0, 10, &out), TW_TEXT_OK);
	cr_expect_str_eq(out, "Title");
	cr_expect_eq(tw_text_check(a, " \t\r\n ", 1, 10, &out), TW_TEXT_EMPTY);
	cr_expect_eq(tw_text_check(a, "", 0, 10, &out), TW_TEXT_EMPTY);
	cr_expect_eq(tw_text_check(a, "a\tb", 0, 10, &out), TW_TEXT_CONTROL);
	cr_expect_eq(tw_text_check(a, "a\nb", 0, 10, &out), TW_TEXT_CONTROL);
	cr_expect_eq(tw_text_check(a, "a\x01" "b", 1, 10, &out), TW_TEXT_CONTROL);
	cr_expect_eq(tw_text_check(a, "a\xc2\x85" "b", 1, 10, &out), TW_TEXT_CONTROL); /* C1 */
	cr_expect_eq(tw_text_check(a, "one\r\ntwo\rthree\n", 1, 20, &out), TW_TEXT_OK);
	cr_expect_str_eq(out, "one\ntwo\nthree");
	/* characters, not bytes: ten Arabic letters fit in ten */
	cr_expect_eq(tw_text_check(a, "أبجدهوزحطي", 0, 10, &out), TW_TEXT_OK);
	cr_expect_eq(tw_text_check(a, "أبجدهوزحطيك", 0, 10, &out), TW_TEXT_TOO_LONG);
	arena_free(a);
}

Test(twinning, a_group_pairs_two_countries)
{
	cr_expect_eq(tw_pair_problem(1, "JO", 2, "TR"), 0);
	cr_expect_eq(tw_pair_problem(1, "JO", 1, "JO"), 1);
	cr_expect_eq(tw_pair_problem(1, "JO", 2, "JO"), 2);
	cr_expect_eq(milestone_status_from_code("in-progress"), MILESTONE_IN_PROGRESS);
	cr_expect_eq(milestone_status_from_code("finished"), -1);
	cr_expect_str_eq(milestone_status_code(MILESTONE_BLOCKED), "blocked");
}

/* ---- the store on a real file ---------------------------------------------------- */

struct tmpdb {
	char dir[64];
	char path[128];
	struct db *db;
};

static struct tmpdb T, U;

static void
tmpdb_open(struct tmpdb *t)
{
	log_set_quiet(1);
	snprintf(t->dir, sizeof t->dir, "/tmp/tawama-test-twinning-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	cr_assert_eq(db_open(&t->db, t->path, 0), 0);
	cr_assert_eq(db_migrate(t->db), 0);
}

static void
tmpdb_close(struct tmpdb *t)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	if (t->db != NULL)
		db_close(t->db);
	t->db = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

static int64_t
scalar(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "%s", sql);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return v;
}

static void
text1(struct db *db, const char *sql, char *out, size_t outlen)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "%s", sql);
	const char *s = db_step(st) == DB_ROW ? db_col_text(st, 0) : NULL;
	snprintf(out, outlen, "%s", s != NULL ? s : "");
	db_done(st);
}

/* Three municipalities (two in Jordan, one in Turkey) and the group irbid-gaziantep,
 * formed on 2018-03-29. */
static void
fixture(void)
{
	tmpdb_open(&T);
	char err[300];
	static const struct municipality m[] = {
		{"irbid", {"إربد", "Irbid", "Irbid"}, "JO", NULL, -1, -1, 0},
		{"zarqa", {"الزرقاء", "Zarqa", "Zarqa"}, "JO", NULL, -1, -1, 0},
		{"gaziantep", {"غازي عنتاب", "Gaziantep", "Gaziantep"}, "TR", NULL, -1, -1, 0},
	};
	cr_assert_eq(db_begin(T.db), 0);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(network_save_municipality(T.db, &m[i], err, sizeof err), 0, "%s", err);
	cr_assert_eq(db_commit(T.db), 0);
	struct twinning_group g = {.slug = "irbid-gaziantep", .name = {NULL, "Irbid – Gaziantep", NULL},
				   .municipality_a = "irbid", .municipality_b = "gaziantep",
				   .status = GROUP_ACTIVE, .created = noon("2018-03-29")};
	struct arena *a = arena_new();
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_group_save(T.db, a, &g, 1, 0, 0, noon("2018-03-29"), err, sizeof err),
		     TW_OK, "%s", err);
	cr_assert_eq(db_commit(T.db), 0);
	arena_free(a);
}

static void
fixture_done(void)
{
	tmpdb_close(&T);
}

static int64_t
group_id(void)
{
	return scalar(T.db, "SELECT id FROM twinning_groups WHERE slug = 'irbid-gaziantep'");
}

static int64_t
timeline_rows(void)
{
	return scalar(T.db, "SELECT count(*) FROM group_activity");
}

Test(twinning_store, same_country_is_refused_with_a_clear_message, .init = fixture,
     .fini = fixture_done)
{
	char err[300] = "";
	struct arena *a = arena_new();
	struct twinning_group g = {.slug = "irbid-zarqa", .name = {NULL, "Irbid – Zarqa", NULL},
				   .municipality_a = "irbid", .municipality_b = "zarqa",
				   .status = GROUP_FORMING, .created = noon("2020-01-01")};
	int64_t before = timeline_rows();
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_group_save(T.db, a, &g, 0, 0, 0, noon("2020-01-01"), err, sizeof err),
		     TW_ERROR);
	db_rollback(T.db);
	cr_expect(strstr(err, "two different countries") != NULL, "%s", err);
	cr_expect(strstr(err, "JO") != NULL, "%s", err);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM twinning_groups"), 1);
	cr_expect_eq(timeline_rows(), before);
	/* the same municipality twice, likewise */
	g.municipality_b = "irbid";
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(network_save_group(T.db, &g, err, sizeof err), -1);
	db_rollback(T.db);
	/* a new group whose slug is taken */
	g.slug = "irbid-gaziantep";
	g.municipality_b = "gaziantep";
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_group_save(T.db, a, &g, 0, 0, 0, noon("2020-01-01"), err, sizeof err),
		     TW_DUPLICATE);
	db_rollback(T.db);
	arena_free(a);
}

Test(twinning_store, a_stale_group_form_is_a_conflict, .init = fixture, .fini = fixture_done)
{
	char err[300] = "";
	struct arena *a = arena_new();
	struct tw_group g;
	cr_assert_eq(tw_group_get(T.db, a, "irbid-gaziantep", LANG_EN, &g), 0);
	cr_expect_eq(g.version, 1);
	cr_expect_eq(g.published, 1);
	struct twinning_group edit = {.slug = g.slug, .name = {NULL, "Irbid and Gaziantep", NULL},
				      .municipality_a = "irbid", .municipality_b = "gaziantep",
				      .status = GROUP_PAUSED};
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_group_save(T.db, a, &edit, 1, 1, 0, noon("2026-01-01"), err, sizeof err),
		     TW_OK, "%s", err);
	cr_assert_eq(db_commit(T.db), 0);
	cr_assert_eq(tw_group_get(T.db, a, "irbid-gaziantep", LANG_EN, &g), 0);
	cr_expect_eq(g.version, 2);
	cr_expect_eq(g.created, noon("2018-03-29"), "an edit keeps when the group was formed");
	cr_expect_str_eq(g.name, "Irbid and Gaziantep");
	int64_t rows = timeline_rows();
	edit.status = GROUP_COMPLETED;
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_group_save(T.db, a, &edit, 1, 1, 0, noon("2026-01-02"), err, sizeof err),
		     TW_CONFLICT);
	db_rollback(T.db);
	cr_assert_eq(tw_group_get(T.db, a, "irbid-gaziantep", LANG_EN, &g), 0);
	cr_expect_eq(g.status, GROUP_PAUSED, "the earlier save is kept");
	cr_expect_eq(timeline_rows(), rows);
	char action[64];
	text1(T.db, "SELECT action || ' ' || summary FROM group_activity ORDER BY id DESC LIMIT 1",
	      action, sizeof action);
	cr_expect(strncmp(action, "group.update {", 14) == 0, "%s", action);
	arena_free(a);
}

static struct tw_milestone
milestone(const char *title, const char *due, enum milestone_status st, int progress)
{
	struct tw_milestone m = {.group_id = group_id(), .title = title, .lang = LANG_EN,
				 .due = due, .status = st, .progress = progress};
	return m;
}

Test(twinning_store, concurrent_milestone_edits_conflict_and_keep_the_first,
     .init = fixture, .fini = fixture_done)
{
	struct arena *a = arena_new();
	struct tw_milestone m = milestone("Joint diagnosis", "2026-06-30", MILESTONE_PLANNED, 0);
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_milestone_add(T.db, &m, 0, noon("2026-01-10")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_expect_eq(m.version, 1);
	int64_t rows = timeline_rows();

	/* two people loaded version 1; the first saves */
	struct tw_milestone first = m, second = m;
	first.status = MILESTONE_IN_PROGRESS;
	first.progress = 40;
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_milestone_update(T.db, a, &first, 1, 0, noon("2026-02-01")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_expect_eq(first.version, 2);
	cr_expect_eq(timeline_rows(), rows + 1);

	/* the second, made from version 1, is refused: nothing written */
	second.status = MILESTONE_DONE;
	second.progress = 100;
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_milestone_update(T.db, a, &second, 1, 0, noon("2026-02-02")), TW_CONFLICT);
	db_rollback(T.db);
	struct tw_milestone now;
	cr_assert_eq(tw_milestone_get(T.db, a, m.group_id, m.id, &now), 0);
	cr_expect_eq(now.progress, 40);
	cr_expect_eq(now.status, MILESTONE_IN_PROGRESS);
	cr_expect_eq(now.version, 2);
	cr_expect_eq(timeline_rows(), rows + 1);

	/* from the current version it goes through */
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_milestone_update(T.db, a, &second, 2, 0, noon("2026-02-03")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_expect_eq(second.version, 3);

	/* the same values again: no new version, no timeline row */
	rows = timeline_rows();
	struct tw_milestone same = second;
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_milestone_update(T.db, a, &same, 3, 0, noon("2026-02-04")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_expect_eq(same.version, 3);
	cr_expect_eq(timeline_rows(), rows);

	/* a milestone of no such group or id */
	struct tw_milestone ghost = second;
	ghost.id = 999999;
	cr_expect_eq(tw_milestone_update(T.db, a, &ghost, 1, 0, noon("2026-02-05")), TW_NOT_FOUND);

	/* the database refuses "done" below 100 even if a caller forgot the rule */
	struct tw_milestone bad = milestone("Bad", "2026-06-30", MILESTONE_DONE, 50);
	rows = timeline_rows();
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_milestone_add(T.db, &bad, 0, noon("2026-02-06")), TW_ERROR);
	db_rollback(T.db);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_milestones"), 1);
	cr_expect_eq(timeline_rows(), rows);
	arena_free(a);
}

Test(twinning_store, one_report_per_quarter_nothing_partly_written, .init = fixture,
     .fini = fixture_done)
{
	struct arena *a = arena_new();
	struct tw_criterion *crit;
	size_t n_crit;
	cr_assert_eq(tw_criteria(T.db, a, LANG_FR, &crit, &n_crit), 0);
	cr_assert_eq(n_crit, 5);
	cr_expect_str_eq(crit[0].slug, "ownership");
	cr_expect_str_eq(crit[0].name, "Appropriation");
	struct tw_report r = {.group_id = group_id(), .period = "2026-Q3", .starts = "2026-07-01",
			      .ends = "2026-09-30", .lang = LANG_AR, .achievements = "أنجزنا",
			      .next_steps = "الخطوة التالية", .scores = {4, 3, 0, 5, 2}};
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_report_add(T.db, &r, crit, n_crit, 0, noon("2026-10-14")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM report_scores"), 4);
	int64_t rows = timeline_rows();

	struct tw_report dup = r;
	dup.scores[0] = 1;
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_report_add(T.db, &dup, crit, n_crit, 0, noon("2026-10-15")), TW_DUPLICATE);
	db_rollback(T.db);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_reports"), 1);
	cr_expect_eq(scalar(T.db, "SELECT score FROM report_scores s JOIN report_criteria c"
				  " ON c.id = s.criterion_id WHERE c.slug = 'ownership'"),
		     4);
	cr_expect_eq(timeline_rows(), rows);

	/* an edit from a stale version changes neither the report nor its scores */
	struct tw_report e1 = r, e2 = r;
	e1.achievements = "الأول";
	e1.scores[2] = 3;
	e2.achievements = "الثاني";
	e2.scores[0] = 1;
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_report_update(T.db, a, &e1, crit, n_crit, 1, 0, noon("2026-10-16")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_assert_eq(db_begin(T.db), 0);
	cr_expect_eq(tw_report_update(T.db, a, &e2, crit, n_crit, 1, 0, noon("2026-10-17")),
		     TW_CONFLICT);
	db_rollback(T.db);
	struct tw_report now;
	cr_assert_eq(tw_report_get(T.db, a, r.group_id, "2026-Q3", crit, n_crit, &now), 0);
	cr_expect_str_eq(now.achievements, "الأول");
	cr_expect_eq(now.scores[0], 4);
	cr_expect_eq(now.scores[2], 3);
	cr_expect_eq(now.version, 2);
	char sum[300];
	text1(T.db, "SELECT summary FROM group_activity ORDER BY id DESC LIMIT 1", sum, sizeof sum);
	cr_expect_str_eq(sum, "{\"achievements\":{\"changed\":true},"
			      "\"score.economic-results\":{\"from\":null,\"to\":3}}");

	/* a comment on a report of another group is refused, nothing written */
	struct tw_comment c = {.group_id = r.group_id, .report_id = 999, .body = "x"};
	rows = timeline_rows();
	cr_expect_eq(tw_comment_add(T.db, &c, noon("2026-10-20")), TW_NOT_FOUND);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_comments"), 0);
	cr_expect_eq(timeline_rows(), rows);
	c.report_id = now.id;
	c.score = 4;
	cr_expect_eq(tw_comment_add(T.db, &c, noon("2026-10-20")), TW_OK);
	char action[40];
	text1(T.db, "SELECT action FROM group_activity ORDER BY id DESC LIMIT 1", action,
	      sizeof action);
	cr_expect_str_eq(action, "evaluation.create");
	arena_free(a);
}

Test(twinning_store, dashboard_figures, .init = fixture, .fini = fixture_done)
{
	struct arena *a = arena_new();
	/* 40% of 10 days and 100% of 30 days: a mean of 70, weighted 85 */
	struct tw_milestone m1 = milestone("Short", "2026-01-11", MILESTONE_IN_PROGRESS, 40);
	struct tw_milestone m2 = milestone("Long", "2026-01-31", MILESTONE_DONE, 100);
	struct tw_milestone m3 = milestone("Stuck", "2026-01-02", MILESTONE_BLOCKED, 0);
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_milestone_add(T.db, &m1, 0, noon("2026-01-01")), TW_OK);
	cr_assert_eq(tw_milestone_add(T.db, &m2, 0, noon("2026-01-01")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	struct twinning_stats s;
	cr_assert_eq(twinning_stats_one(T.db, a, "irbid-gaziantep", noon("2026-01-20"), &s), 0);
	cr_expect_eq(s.milestones, 2);
	cr_expect_eq(s.by_status[MILESTONE_DONE], 1);
	cr_expect_eq(s.by_status[MILESTONE_IN_PROGRESS], 1);
	cr_expect_eq(s.overdue, 1, "the short one is due before today and not done");
	cr_expect_float_eq(s.completion, 70.0, 1e-9);
	cr_expect_float_eq(s.weighted_completion, (40.0 * 10 + 100.0 * 30) / 40, 1e-9);
	cr_expect_eq(s.reports, 0);
	cr_expect_null(s.last_period);
	cr_expect_eq(s.last_activity, noon("2026-01-01"));
	cr_expect_eq(twinning_stats_one(T.db, a, "no-such-group", 0, &s), 1);

	/* attention: nothing for 30 days, no report, then a blocked milestone */
	struct twinning_attention *att;
	size_t n;
	cr_assert_eq(twinning_needing_attention(T.db, a, noon("2026-01-20"), 30, &att, &n), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(att[0].reasons, ATTENTION_NO_REPORT);
	cr_assert_eq(twinning_needing_attention(T.db, a, noon("2026-03-20"), 30, &att, &n), 0);
	cr_expect_eq(att[0].reasons, ATTENTION_NO_REPORT | ATTENTION_QUIET);
	struct tw_report r = {.group_id = group_id(), .period = "2026-Q1", .starts = "2026-01-01",
			      .ends = "2026-03-31", .lang = LANG_EN, .achievements = "a",
			      .next_steps = "b", .scores = {4, 2}};
	struct tw_criterion *crit;
	size_t n_crit;
	cr_assert_eq(tw_criteria(T.db, a, LANG_EN, &crit, &n_crit), 0);
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_report_add(T.db, &r, crit, n_crit, 0, noon("2026-03-19")), TW_OK);
	cr_assert_eq(tw_milestone_add(T.db, &m3, 0, noon("2026-03-19")), TW_OK);
	cr_assert_eq(db_commit(T.db), 0);
	cr_assert_eq(twinning_needing_attention(T.db, a, noon("2026-03-20"), 30, &att, &n), 0);
	cr_assert_eq(n, 1);
	cr_expect_eq(att[0].reasons, ATTENTION_BLOCKED);
	cr_expect_str_eq(att[0].stats.last_period, "2026-Q1");
	/* paused groups are left out */
	struct twinning_group pause = {.slug = "irbid-gaziantep", .name = {NULL, "I – G", NULL},
				       .municipality_a = "irbid", .municipality_b = "gaziantep",
				       .status = GROUP_PAUSED};
	char err[300];
	cr_assert_eq(db_begin(T.db), 0);
	cr_assert_eq(tw_group_save(T.db, a, &pause, 1, 1, 0, noon("2026-03-20"), err, sizeof err),
		     TW_OK, "%s", err);
	cr_assert_eq(db_commit(T.db), 0);
	cr_assert_eq(twinning_needing_attention(T.db, a, noon("2026-03-20"), 30, &att, &n), 0);
	cr_expect_eq(n, 0);

	/* reports per quarter */
	struct twinning_quarter *q;
	cr_assert_eq(twinning_quarters(T.db, a, "2025-Q4", "2026-Q2", &q, &n), 0);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(q[0].period, "2025-Q4");
	cr_expect_eq(q[0].reports, 0);
	cr_expect_eq(q[1].reports, 1);
	cr_expect_str_eq(q[1].criteria[0], "ownership");
	cr_expect_float_eq(q[1].mean[0], 4.0, 1e-9);
	cr_expect_float_eq(q[1].mean[1], 2.0, 1e-9);
	cr_expect_float_eq(q[1].mean[2], 0.0, 1e-9);
	cr_expect_eq(twinning_quarters(T.db, a, "2026-Q2", "2025-Q4", &q, &n), -1);
	cr_expect_eq(twinning_quarters(T.db, a, "2026-Q5", "2027-Q1", &q, &n), -1);
	cr_expect_eq(twinning_quarters(T.db, a, "1950-Q1", "2150-Q1", &q, &n), -1);
	arena_free(a);
}

/* ---- the demo ------------------------------------------------------------------------ */

static uint64_t
digest(struct db *db, const char *sql, int cols)
{
	uint64_t h = 1469598103934665603ULL;
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	while (db_step(st) == DB_ROW) {
		for (int c = 0; c < cols; c++) {
			const char *s = db_col_text(st, c);
			for (const char *p = s != NULL ? s : "\x01"; *p != '\0'; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			h = (h ^ 0xff) * 1099511628211ULL;
		}
	}
	db_done(st);
	return h;
}

static const char sql_plans[] =
	"SELECT g.slug, g.published, m.title, m.lang, m.due, m.status, m.progress, m.version,"
	" m.created, m.updated FROM group_milestones m JOIN twinning_groups g ON g.id = m.group_id"
	" ORDER BY m.id";
static const char sql_reports[] =
	"SELECT r.group_id, r.period, r.achievements, r.challenges, r.next_steps, r.created,"
	" (SELECT group_concat(score) FROM report_scores WHERE report_id = r.id)"
	" FROM group_reports r ORDER BY r.id";
static const char sql_timeline[] =
	"SELECT group_id, at, action, object_kind, label, summary FROM group_activity ORDER BY id";

Test(twinning_demo, eleven_groups_deterministic_rerunnable_and_not_scaled)
{
	tmpdb_open(&T);
	tmpdb_open(&U);
	cr_assert_eq(events_demo(T.db, 1), 0);
	cr_assert_eq(twinning_demo(T.db), 0);
	cr_assert_eq(events_demo(U.db, 2), 0);
	cr_assert_eq(twinning_demo(U.db), 0);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM twinning_groups"), 11);
	cr_expect_eq(scalar(U.db, "SELECT count(*) FROM twinning_groups"), 11, "--scale multiplied "
		     "the groups");
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM twinning_groups WHERE published = 1"), 10);
	/* every group but the forming one has a plan at its own stage and reports */
	cr_expect_eq(scalar(T.db, "SELECT count(DISTINCT group_id) FROM group_milestones"), 11);
	cr_expect_eq(scalar(T.db, "SELECT count(DISTINCT group_id) FROM group_reports"), 10);
	cr_expect_eq(scalar(T.db, "SELECT count(DISTINCT status) FROM group_milestones"), 4);
	cr_expect(scalar(T.db, "SELECT count(*) FROM group_reports") >= 30);
	cr_expect(scalar(T.db, "SELECT count(*) FROM group_comments WHERE score IS NOT NULL") >= 5);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_milestones"
				  " WHERE status = 'done' AND progress <> 100"),
		     0);
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_reports r JOIN twinning_groups g"
				  " ON g.id = r.group_id WHERE r.starts < date(g.created, 'unixepoch')"),
		     0, "a report before its group");
	cr_expect_eq(scalar(T.db, "SELECT count(*) FROM group_milestones m JOIN twinning_groups g"
				  " ON g.id = m.group_id WHERE m.due < date(g.created, 'unixepoch')"),
		     0, "a milestone due before its group");
	/* the same on both databases, and again */
	cr_expect_eq(digest(T.db, sql_plans, 10), digest(U.db, sql_plans, 10));
	cr_expect_eq(digest(T.db, sql_reports, 7), digest(U.db, sql_reports, 7));
	cr_expect_eq(digest(T.db, sql_timeline, 6), digest(U.db, sql_timeline, 6));
	uint64_t before = digest(T.db, sql_timeline, 6);
	cr_assert_eq(twinning_demo(T.db), 0);
	cr_expect_eq(digest(T.db, sql_timeline, 6), before, "running the demo again changed it");
	tmpdb_close(&T);
	tmpdb_close(&U);
}
