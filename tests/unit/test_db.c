/* test_db: the SQLite driver, migrations, and the event store's reads on a real file. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_embed.h"
#include "core/core_log.h"
#include "db/db.h"
#include "events/events.h"

#define DAY 86400
#define BASE INT64_C(1531299600)	/* 2018-07-11T09:00:00Z, the seed webinar */
#define N_EVENTS 30

static char dir[64], path[128];
static struct db *db;

static void
rm_db(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void
setup(void)
{
	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/tawama-test-db-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&db, path, 0), 0);
	cr_assert_eq(db_migrate(db), 0);
}

static void
teardown(void)
{
	db_close(db);
	db = NULL;
	rm_db();
}

static int64_t
query_int(const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "prepare %s", sql);
	cr_assert_eq(db_step(st), DB_ROW, "%s", sql);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static size_t
embedded_migrations(void)
{
	size_t n = 0;
	for (size_t i = 0; i < embedded_count; i++)
		if (strncmp(embedded_files[i].name, "migrations/", 11) == 0)
			n++;
	return n;
}

TestSuite(db, .init = setup, .fini = teardown);

Test(db, migrations_are_recorded_and_idempotent)
{
	size_t n = embedded_migrations();
	cr_assert_geq(n, 1);
	cr_assert_eq(query_int("SELECT count(*) FROM schema_migrations"), (int64_t)n);
	cr_assert_eq(query_int("SELECT min(version) FROM schema_migrations"), 1);
	int64_t schema = query_int("PRAGMA schema_version");
	cr_assert_eq(db_migrate(db), 0);
	cr_assert_eq(db_migrate(db), 0);
	cr_assert_eq(query_int("PRAGMA schema_version"), schema, "a second migrate changed the schema");
	cr_assert_eq(query_int("SELECT count(*) FROM schema_migrations"), (int64_t)n);
	cr_assert_eq(query_int("SELECT count(*) FROM countries"), 249);

	/* and from another connection, as a second "tawama init" would */
	struct db *other;
	cr_assert_eq(db_open(&other, path, 0), 0);
	cr_assert_eq(db_migrate(other), 0);
	db_close(other);
	cr_assert_eq(query_int("PRAGMA schema_version"), schema);
}

Test(db, refuses_a_database_from_a_newer_version)
{
	cr_assert_eq(db_exec(db, "INSERT INTO schema_migrations VALUES (999, '999_future', 'x')"), 0);
	cr_assert_eq(db_migrate(db), -1);
}

Test(db, connection_settings)
{
	struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), "wal");
	db_done(st);
	cr_assert_eq(query_int("PRAGMA foreign_keys"), 1);
	cr_assert_eq(query_int("PRAGMA synchronous"), 2, "synchronous is not FULL");
	cr_assert_eq(query_int("PRAGMA busy_timeout"), 5000);
	cr_assert_eq(query_int("PRAGMA temp_store"), 2, "temp_store is not MEMORY");
}

Test(db, foreign_keys_are_enforced)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO events (slug, type, starts, ends, timezone, is_virtual, "
		    "organiser_id, participation, created, updated) "
		    "VALUES ('x', 'webinar', 0, 0, 'UTC', 1, 999, 'open', 0, 0)");
	cr_assert_not_null(st);
	cr_assert_eq(db_step(st), DB_ERROR);
	db_done(st);
	cr_assert_eq(query_int("SELECT count(*) FROM events"), 0);
}

Test(db, open_refusals)
{
	struct db *d = (struct db *)1;
	cr_assert_eq(db_open(&d, "postgresql://localhost/tawama", 0), -1);
	cr_assert_null(d);
	char missing[192];
	snprintf(missing, sizeof(missing), "%s/missing.db", dir);
	cr_assert_eq(db_open(&d, missing, DB_OPEN_READONLY), -1);
	cr_assert_eq(access(missing, F_OK), -1, "a read-only open created the file");
	cr_assert_eq(db_open(&d, path, DB_OPEN_READONLY), 0);
	struct db_stmt *st = db_prepare(d, "CREATE TABLE t (x)");
	cr_assert_not_null(st);
	cr_assert_eq(db_step(st), DB_ERROR, "a read-only connection could write");
	db_done(st);
	db_close(d);
}

Test(db, statement_cache_returns_the_same_statement)
{
	static const char a[] = "SELECT ?1";
	static const char b[] = "SELECT 2";
	struct db_stmt *s1 = db_prepare(db, a);
	cr_assert_not_null(s1);
	db_bind_int(s1, 1, 42);
	cr_assert_eq(db_step(s1), DB_ROW);
	cr_assert_eq(db_col_int(s1, 0), 42);
	db_done(s1);
	struct db_stmt *s2 = db_prepare(db, a);
	cr_assert_eq(s1, s2, "the cached statement was not reused");
	cr_assert_eq(db_step(s2), DB_ROW);
	cr_assert(db_col_is_null(s2, 0), "bindings were not cleared");
	db_done(s2);
	cr_assert_neq(db_prepare(db, b), s1);
	/* many distinct statements (the table grows), all still found */
	static char texts[200][32];
	struct db_stmt *got[200];
	for (int i = 0; i < 200; i++) {
		snprintf(texts[i], sizeof(texts[i]), "SELECT %d", i);
		got[i] = db_prepare(db, texts[i]);
		cr_assert_not_null(got[i]);
	}
	for (int i = 0; i < 200; i++) {
		cr_assert_eq(db_prepare(db, texts[i]), got[i]);
		cr_assert_eq(db_step(got[i]), DB_ROW);
		cr_assert_eq(db_col_int(got[i], 0), i);
		db_done(got[i]);
	}
}

Test(db, statement_cache_checks_the_text_not_only_the_address)
{
	char sql[32];
	snprintf(sql, sizeof(sql), "SELECT 1");
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int(st, 0), 1);
	db_done(st);
	snprintf(sql, sizeof(sql), "SELECT 7");
	st = db_prepare(db, sql);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_col_int(st, 0), 7, "a stale statement was returned for new text");
	db_done(st);
}

Test(db, bad_sql_gives_null)
{
	cr_assert_null(db_prepare(db, "SELEKT 1"));
	cr_assert_null(db_prepare(db, "SELECT 1; SELECT 2"), "two statements were accepted");
}

Test(db, statement_counter)
{
	static const char sql[] = "SELECT 1 UNION ALL SELECT 2";
	db_stats_reset(db);
	cr_assert_eq(db_stats_statements(db), 0);
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_eq(db_stats_statements(db), 0, "preparing counted");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_eq(db_step(st), DB_DONE);
	cr_assert_eq(db_stats_statements(db), 1, "one statement, three steps");
	db_done(st);
	st = db_prepare(db, sql);
	db_step(st);
	db_done(st);
	cr_assert_eq(db_stats_statements(db), 2);
	db_stats_reset(db);
	cr_assert_eq(db_stats_statements(db), 0);
}

/* A test event: slug ev-NN, one a day from BASE, an hour long. */
static void
make_event(struct arena *a, int i, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->slug = arena_printf(a, "ev-%02d", i);
	e->type = (enum event_type)(i % EVENT_TYPE_COUNT);
	e->starts = BASE + i * DAY;
	e->ends = e->starts + 3600;
	e->timezone = "Asia/Beirut";
	e->is_virtual = i % 3 != 0;
	if (!e->is_virtual) {
		e->venue = "City hall";
		e->city = "Irbid";
		e->country = "JO";
	}
	e->organiser.slug = "cmi";
	e->organiser.name[LANG_EN] = "Center for Mediterranean Integration (CMI)";
	e->organiser.name[LANG_AR] = "مركز التكامل المتوسطي";
	e->participation = (enum participation)(i % PART_COUNT);
	e->n_themes = 1 + (size_t)(i % 2);
	e->themes = arena_alloc(a, 2 * sizeof(*e->themes));
	e->themes[0].slug = "led";
	e->themes[0].name[LANG_EN] = "Local economic development";
	e->themes[1].slug = "finance";
	e->highlight = i % 5 == 0;
	e->published = i != N_EVENTS - 1;
	e->text[LANG_EN].title = arena_printf(a, "Event %d", i);
	e->text[LANG_EN].context = "Some *context*.";
	static const char *obj[] = {"First", "Second"};
	e->text[LANG_EN].objectives = obj;
	e->text[LANG_EN].n_objectives = 2;
	if (i % 2 == 0)
		e->text[LANG_AR].title = arena_printf(a, "فعالية %d", i);
	e->updated = BASE + i;
}

static void
fill(void)
{
	struct arena *a = arena_new();
	char err[200];
	cr_assert_eq(db_begin(db), 0);
	for (int i = 0; i < N_EVENTS; i++) {
		struct event e;
		make_event(a, i, &e);
		cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "save %d: %s", i, err);
	}
	cr_assert_eq(db_commit(db), 0);
	arena_free(a);
}

/* Every loaded event must carry its own texts and themes (merging went right). */
static void
check_loaded(const struct event *e)
{
	int i;
	cr_assert_eq(sscanf(e->slug, "ev-%d", &i), 1);
	char want[32];
	snprintf(want, sizeof(want), "Event %d", i);
	cr_assert_str_eq(e->text[LANG_EN].title, want);
	cr_assert_eq(e->text[LANG_EN].n_objectives, 2);
	cr_assert_str_eq(e->text[LANG_EN].objectives[1], "Second");
	cr_assert_eq(e->text[LANG_AR].title != NULL, i % 2 == 0, "%s: Arabic text", e->slug);
	cr_assert_null(e->text[LANG_FR].title);
	cr_assert_eq(e->n_themes, 1 + (size_t)(i % 2), "%s: themes", e->slug);
	cr_assert_str_eq(e->themes[0].slug, "led");
	cr_assert_str_eq(e->themes[0].name[LANG_EN], "Local economic development");
	if (i % 2)
		cr_assert_str_eq(e->themes[1].slug, "finance");
	cr_assert_eq(e->starts, BASE + i * DAY);
	cr_assert_eq((int)e->type, i % EVENT_TYPE_COUNT);
	cr_assert_str_eq(e->organiser.name[LANG_AR], "مركز التكامل المتوسطي");
	cr_assert_eq(e->is_virtual, i % 3 != 0);
}

struct list_case {
	const char *name;
	struct event_query q;
	size_t n, total;
	int first, last;	/* slug numbers of the first and last events of the page */
};

Test(db, events_list_filters_paging_total)
{
	fill();
	int64_t during20 = BASE + 20 * DAY + 1800;
	const struct list_case cases[] = {
		{"default page", {.type = -1}, 20, 29, 0, 19},
		{"second page", {.type = -1, .offset = 20}, 9, 29, 20, 28},
		{"past the end", {.type = -1, .offset = 40}, 0, 29, -1, -1},
		{"small pages", {.type = -1, .offset = 5, .limit = 3}, 3, 29, 5, 7},
		{"newest first", {.type = -1, .newest_first = 1, .limit = 4}, 4, 29, 28, 25},
		{"webinars", {.type = EVENT_WEBINAR}, 5, 5, 1, 25},
		{"highlights", {.type = -1, .highlight_only = 1}, 6, 6, 0, 25},
		{"from-to", {.type = -1, .from = BASE + 10 * DAY, .to = BASE + 15 * DAY}, 5, 5, 10, 14},
		{"upcoming", {.type = -1, .when = 1, .now = during20}, 9, 9, 20, 28},
		{"past", {.type = -1, .when = -1, .now = during20}, 20, 20, 0, 19},
		{"combined", {.type = EVENT_WORKSHOP, .highlight_only = 1, .when = 1, .now = during20},
		 0, 0, -1, -1},
		{"workshops", {.type = EVENT_WORKSHOP, .newest_first = 1}, 5, 5, 24, 0},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct list_case *k = &cases[c];
		struct arena *a = arena_new();
		struct event *ev;
		size_t n, total;
		db_stats_reset(db);
		cr_assert_eq(events_list(db, a, &k->q, &ev, &n, &total), 0, "%s", k->name);
		/* page, texts, themes, and a count when the page does not tell the total */
		cr_assert_leq(db_stats_statements(db), 4u, "%s: %u statements", k->name,
			      db_stats_statements(db));
		cr_assert_eq(n, k->n, "%s: %zu events", k->name, n);
		cr_assert_eq(total, k->total, "%s: total %zu", k->name, total);
		for (size_t i = 0; i < n; i++)
			check_loaded(&ev[i]);
		if (n > 0) {
			int first, last;
			sscanf(ev[0].slug, "ev-%d", &first);
			sscanf(ev[n - 1].slug, "ev-%d", &last);
			cr_assert_eq(first, k->first, "%s: first", k->name);
			cr_assert_eq(last, k->last, "%s: last", k->name);
		}
		arena_free(a);
	}
}

Test(db, events_get_found_and_not_found)
{
	fill();
	struct arena *a = arena_new();
	struct event e;
	db_stats_reset(db);
	cr_assert_eq(events_get(db, a, "ev-07", &e), 0);
	cr_assert_leq(db_stats_statements(db), 3u, "events_get ran %u statements",
		      db_stats_statements(db));
	check_loaded(&e);
	cr_assert_null(e.city, "a virtual event has no city");
	arena_free(a);
}

Test(db, events_get_loads_every_field)
{
	fill();
	struct arena *a = arena_new();
	struct event e;
	db_stats_reset(db);
	cr_assert_eq(events_get(db, a, "ev-06", &e), 0);
	cr_assert_leq(db_stats_statements(db), 3u);
	check_loaded(&e);
	cr_assert_str_eq(e.slug, "ev-06");
	cr_assert_eq(e.ends, e.starts + 3600);
	cr_assert_str_eq(e.timezone, "Asia/Beirut");
	cr_assert_eq(e.is_virtual, 0);
	cr_assert_str_eq(e.venue, "City hall");
	cr_assert_str_eq(e.city, "Irbid");
	cr_assert_str_eq(e.country, "JO");
	cr_assert_str_eq(e.organiser.slug, "cmi");
	cr_assert_null(e.organiser.name[LANG_FR]);
	cr_assert_eq(e.participation, PART_OPEN);
	cr_assert_eq(e.highlight, 0);
	cr_assert_eq(e.published, 1);
	cr_assert_eq(e.updated, BASE + 6);
	cr_assert_str_eq(e.text[LANG_EN].context, "Some *context*.");
	cr_assert_null(e.text[LANG_EN].participation);
	cr_assert_str_eq(e.text[LANG_AR].title, "فعالية 6");
	cr_assert_eq(e.text[LANG_AR].n_objectives, 0);

	db_stats_reset(db);
	cr_assert_eq(events_get(db, a, "no-such-event", &e), 1);
	cr_assert_leq(db_stats_statements(db), 3u);
	/* unpublished events are not shown */
	char last[16];
	snprintf(last, sizeof(last), "ev-%02d", N_EVENTS - 1);
	cr_assert_eq(events_get(db, a, last, &e), 1);
	arena_free(a);
}

Test(db, count_and_last_updated)
{
	cr_assert_eq(events_count(db), 0);
	cr_assert_eq(events_last_updated(db), 0);
	fill();
	cr_assert_eq(events_count(db), N_EVENTS);
	cr_assert_eq(events_last_updated(db), BASE + N_EVENTS - 1);
}

Test(db, save_replaces_texts_and_themes)
{
	fill();
	struct arena *a = arena_new();
	struct event e;
	char err[200];
	make_event(a, 3, &e);
	e.text[LANG_EN].title = "Renamed";
	e.text[LANG_FR].title = "Renommé";
	e.n_themes = 1;
	e.themes[0].slug = "finance";
	e.themes[0].name[LANG_EN] = NULL;
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_commit(db), 0);
	cr_assert_eq(events_count(db), N_EVENTS, "an update inserted a row");
	struct event got;
	cr_assert_eq(events_get(db, a, "ev-03", &got), 0);
	cr_assert_str_eq(got.text[LANG_EN].title, "Renamed");
	cr_assert_str_eq(got.text[LANG_FR].title, "Renommé");
	cr_assert_eq(got.n_themes, 1);
	cr_assert_str_eq(got.themes[0].slug, "finance");
	/* a theme created from a bare slug is named by it */
	cr_assert_str_eq(got.themes[0].name[LANG_EN], "finance");
	arena_free(a);
}

Test(db, save_needs_a_known_organiser)
{
	struct arena *a = arena_new();
	struct event e;
	char err[200] = "";
	make_event(a, 1, &e);
	e.organiser.name[LANG_EN] = NULL;
	e.organiser.name[LANG_AR] = NULL;
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(events_save(db, &e, err, sizeof(err)), -1);
	cr_assert(strstr(err, "unknown organiser \"cmi\"") != NULL, "%s", err);
	cr_assert_eq(db_rollback(db), 0);
	arena_free(a);
}

Test(db, rollback_leaves_nothing)
{
	struct arena *a = arena_new();
	struct event e;
	char err[200];
	make_event(a, 1, &e);
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_rollback(db), 0);
	cr_assert_eq(events_count(db), 0);
	cr_assert_eq(query_int("SELECT count(*) FROM organisers"), 0);
	arena_free(a);
}

static void *
thread_main(void *arg)
{
	struct db **out = arg;
	out[0] = db_thread();
	out[1] = db_thread();
	if (out[0] != NULL) {
		struct db_stmt *st = db_prepare(out[0], "SELECT count(*) FROM countries");
		out[2] = st != NULL && db_step(st) == DB_ROW && db_col_int(st, 0) == 249
				 ? out[0]
				 : NULL;
		db_done(st);
	}
	return NULL;
}

Test(db, one_connection_per_thread)
{
	pthread_t t[2];
	struct db *got[2][3];
	db_thread_init(path);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, thread_main, got[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 2; i++) {
		cr_assert_not_null(got[i][0]);
		cr_assert_eq(got[i][0], got[i][1], "a thread got two connections");
		cr_assert_eq(got[i][2], got[i][0], "the thread's connection did not work");
	}
	cr_assert_neq(got[0][0], got[1][0], "two threads share a connection");
	struct db *mine = db_thread();
	cr_assert_not_null(mine);
	db_thread_close_all();
	/* after close_all the calling thread does not get the closed connection back */
	db_thread_init(path);
	struct db *again = db_thread();
	cr_assert_not_null(again);
	db_thread_close_all();
}

/* events_store's loaders rely on this: statements active side by side on one
 * connection read one snapshot, whatever other connections commit meanwhile. */
Test(db, statements_side_by_side_share_a_snapshot)
{
	static const char all[] = "SELECT code FROM countries ORDER BY code";
	static const char count[] = "SELECT count(*) FROM countries";
	struct db *writer;
	cr_assert_eq(db_open(&writer, path, 0), 0);
	struct db_stmt *a = db_prepare(db, all);
	cr_assert_eq(db_step(a), DB_ROW);
	cr_assert_eq(db_exec(writer, "INSERT INTO countries VALUES ('ZZ')"), 0);
	struct db_stmt *b = db_prepare(db, count);
	cr_assert_eq(db_step(b), DB_ROW);
	cr_assert_eq(db_col_int(b, 0), 249, "the second statement saw a later commit");
	db_done(b);
	db_done(a);
	b = db_prepare(db, count);
	cr_assert_eq(db_step(b), DB_ROW);
	cr_assert_eq(db_col_int(b, 0), 250, "a new read did not see the commit");
	db_done(b);
	db_close(writer);
}

Test(db, data_version_moves_on_every_commit)
{
	uint64_t v0 = db_data_version(db);
	cr_assert_eq(db_data_version(db), v0, "moved without a change");
	struct event_query q = {.type = -1};
	struct arena *a = arena_new();
	struct event *ev;
	size_t n;
	cr_assert_eq(events_list(db, a, &q, &ev, &n, NULL), 0);
	arena_free(a);
	cr_assert_eq(db_data_version(db), v0, "moved on a read");
	/* our own commit */
	cr_assert_eq(db_exec(db, "INSERT INTO countries VALUES ('ZY')"), 0);
	uint64_t v1 = db_data_version(db);
	cr_assert_neq(v1, v0, "own commit not seen");
	/* another connection's commit */
	struct db *other;
	cr_assert_eq(db_open(&other, path, 0), 0);
	cr_assert_eq(db_exec(other, "INSERT INTO countries VALUES ('ZZ')"), 0);
	db_close(other);
	uint64_t v2 = db_data_version(db);
	cr_assert_neq(v2, v1, "another connection's commit not seen");
	cr_assert_eq(db_data_version(db), v2);
	/* a rolled back transaction changes nothing */
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(db_exec(db, "INSERT INTO countries VALUES ('ZX')"), 0);
	cr_assert_eq(db_rollback(db), 0);
	cr_assert_eq(db_data_version(db), v2, "a rollback moved the version");
}
