/* events_index: the SQL that keeps the full-text index of events in step, and reindex. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "events/events_index.h"
#include "events/events_internal.h"
#include "render/render_md.h"
#include "search/search.h"

#define PROGRESS_EVERY 1000	/* events between two progress calls */

/*
 * One FTS5 table per content language (migrations/003_search.sql), each with the
 * tawama tokenizer in that language; rowid = events.id. The tables store their text
 * (title and the plain-text body), which snippet() and highlight() show and which
 * FTS5 re-reads to delete a row, so nothing here needs the old text of an event.
 */
#define FTS_TABLE(l) "events_fts_" l
#define PER_LANG(before, after)                                                           \
	{                                                                                 \
		[LANG_AR] = before FTS_TABLE("ar") after,                                 \
		[LANG_EN] = before FTS_TABLE("en") after,                                 \
		[LANG_FR] = before FTS_TABLE("fr") after,                                 \
	}

static const char *const fts_table[LANG_COUNT] = PER_LANG("", "");
static const char *const sql_drop[LANG_COUNT] = PER_LANG("DROP TABLE ", "");
static const char *const sql_delete[LANG_COUNT] = PER_LANG("DELETE FROM ", " WHERE rowid = ?1");
static const char *const sql_insert[LANG_COUNT] =
	PER_LANG("INSERT INTO ", " (rowid, title, body) VALUES (?1, ?2, ?3)");
/* merges the b-trees a bulk load leaves into one: faster queries, smaller file */
static const char *const sql_optimize[LANG_COUNT] = {
	[LANG_AR] = "INSERT INTO events_fts_ar (events_fts_ar) VALUES ('optimize')",
	[LANG_EN] = "INSERT INTO events_fts_en (events_fts_en) VALUES ('optimize')",
	[LANG_FR] = "INSERT INTO events_fts_fr (events_fts_fr) VALUES ('optimize')",
};

static const char sql_definition[] =
	"SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1";
static const char sql_count[] =
	"SELECT count(DISTINCT t.event_id) FROM event_texts t JOIN events e ON e.id = t.event_id"
	" WHERE e.published = 1";
static const char sql_texts[] =
	"SELECT t.event_id, t.lang, t.title, t.context, t.objectives, t.participation"
	" FROM event_texts t JOIN events e ON e.id = t.event_id WHERE e.published = 1"
	" ORDER BY t.event_id";
enum { TX_EVENT, TX_LANG, TX_TITLE, TX_CONTEXT, TX_OBJECTIVES, TX_PART };

static void
add_line(struct buf *b, const char *s)
{
	if (s[0] == '\0')
		return;
	if (b->len > 0)
		buf_putc(b, '\n');
	buf_puts(b, s);
}

/* The body of a text: its Markdown sections as plain text (what snippets show), one a
 * line, allocated in a. */
static const char *
plain_body(struct arena *a, const struct event_text *t)
{
	struct buf b = BUF_INIT;
	add_line(&b, md_plain(a, t->context, 0));
	for (size_t i = 0; i < t->n_objectives; i++)
		add_line(&b, md_plain(a, t->objectives[i], 0));
	add_line(&b, md_plain(a, t->participation, 0));
	const char *s = b.failed ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static int
step_done(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
insert_text(struct db *db, struct arena *a, int64_t id, enum lang l, const struct event_text *t)
{
	const char *body = plain_body(a, t);
	struct db_stmt *st = db_prepare(db, sql_insert[l]);
	if (body == NULL || st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, t->title);
	db_bind_text(st, 3, body);
	return step_done(st);
}

int
events_index_event(struct db *db, int64_t event_id, const struct event *e)
{
	struct arena *a = NULL;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct db_stmt *st = db_prepare(db, sql_delete[l]);
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, event_id);
		if (step_done(st) < 0)
			return -1;
	}
	if (!e->published)
		return 0;
	a = arena_new();
	for (int l = 0; l < LANG_COUNT; l++)
		if (e->text[l].title != NULL &&
		    insert_text(db, a, event_id, (enum lang)l, &e->text[l]) < 0)
			goto fail;
	arena_free(a);
	return 0;
fail:
	arena_free(a);
	return -1;
}

/* Drops the table of language l and creates it again, empty, from the definition the
 * migrations left (so this code holds no second copy of the schema). Much faster than
 * deleting every row, which makes FTS5 re-read and re-analyze each one. */
static int
recreate(struct db *db, struct arena *a, enum lang l)
{
	struct db_stmt *st = db_prepare(db, sql_definition);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, fts_table[l]);
	const char *create = NULL;
	if (db_step(st) == DB_ROW && db_col_text(st, 0) != NULL)
		create = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	if (create == NULL) {
		log_error("reindex: no table %s (is the database migrated?)", fts_table[l]);
		return -1;
	}
	return db_exec(db, sql_drop[l]) < 0 || db_exec(db, create) < 0 ? -1 : 0;
}

static long
count_events(struct db *db)
{
	struct db_stmt *st = db_prepare(db, sql_count);
	if (st == NULL)
		return -1;
	long n = db_step(st) == DB_ROW ? (long)db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* Indexes every published text; returns the number of events, or -1. */
static long
fill(struct db *db, long total, void (*progress)(long, long))
{
	struct db_stmt *st = db_prepare(db, sql_texts);
	if (st == NULL)
		return -1;
	long done = 0;
	int64_t last = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct arena *a = arena_new();
		struct event_text t = {0};
		int64_t id = db_col_int(st, TX_EVENT);
		enum lang l = lang_from_code(db_col_text(st, TX_LANG));
		t.title = db_col_text(st, TX_TITLE);
		t.context = db_col_text(st, TX_CONTEXT);
		t.participation = db_col_text(st, TX_PART);
		int ok = l != LANG_NONE && t.title != NULL &&
			 events_read_objectives(a, db_col_text(st, TX_OBJECTIVES), &t) == 0 &&
			 insert_text(db, a, id, l, &t) == 0;
		arena_free(a);
		if (!ok) {
			log_error("reindex: event %lld could not be indexed", (long long)id);
			rc = DB_ERROR;
			break;
		}
		if (id != last) {
			last = id;
			if (++done % PROGRESS_EVERY == 0 && progress != NULL)
				progress(done, total);
		}
	}
	db_done(st);
	return rc == DB_DONE ? done : -1;
}

long
events_index_rebuild(struct db *db, void (*progress)(long done, long total))
{
	struct arena *a = arena_new();
	long done = -1;
	if (db_begin(db) < 0)
		goto out;
	long total = count_events(db);
	if (total < 0)
		goto fail;
	if (progress != NULL)
		progress(0, total);
	for (int l = 0; l < LANG_COUNT; l++)
		if (recreate(db, a, (enum lang)l) < 0)
			goto fail;
	done = fill(db, total, progress);
	if (done < 0)
		goto fail;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct db_stmt *st = db_prepare(db, sql_optimize[l]);
		if (st == NULL || step_done(st) < 0)
			goto fail;
	}
	if (db_commit(db) < 0)
		goto fail;
	if (progress != NULL)
		progress(done, total);
	goto out;
fail:
	done = -1;
	db_rollback(db);
out:
	arena_free(a);
	return done;
}

static void
show_progress(long done, long total)
{
	fprintf(stderr, "\rreindex: %ld/%ld events", done, total);
}

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
events_reindex_cli(const char *db_path)
{
	struct db *db;
	if (db_open(&db, db_path, 0) < 0)
		return 1;
	if (db_migrate(db) < 0) {
		db_close(db);
		return 1;
	}
	int tty = isatty(STDERR_FILENO);
	double t0 = seconds();
	long n = events_index_rebuild(db, tty ? show_progress : NULL);
	double dt = seconds() - t0;
	db_close(db);
	if (tty)
		fputc('\n', stderr);
	if (n < 0) {
		fprintf(stderr, "tawama: reindex failed; the index is unchanged\n");
		return 1;
	}
	fprintf(stderr, "tawama: reindexed %ld events in %.1f s (%.0f events/s)\n", n, dt,
		dt > 0 ? (double)n / dt : 0.0);
	return 0;
}

static const char sql_meta_get[] = "SELECT analyzer_version FROM search_meta";
static const char sql_meta_set[] = "UPDATE search_meta SET analyzer_version = ?1";

int
events_index_ensure_current(struct db *db)
{
	struct db_stmt *st = db_prepare(db, sql_meta_get);
	if (st == NULL)
		return -1;
	int64_t built = -1;
	if (db_step(st) == DB_ROW)
		built = db_col_int(st, 0);
	db_done(st);
	if (built == SEARCH_ANALYZER_VERSION)
		return 0;
	/* a new database has nothing to rebuild: only record the version, quietly */
	if (events_count(db) > 0)
		log_info("search: the index was built by analyzer version %lld, this is version %d:"
			 " rebuilding it", (long long)built, SEARCH_ANALYZER_VERSION);
	if (events_index_rebuild(db, NULL) < 0)
		return -1;
	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, sql_meta_set);
	if (st == NULL) {
		db_rollback(db);
		return -1;
	}
	db_bind_int(st, 1, SEARCH_ANALYZER_VERSION);
	int rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}
