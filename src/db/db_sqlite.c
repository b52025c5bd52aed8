/* db_sqlite: the SQLite back end of the driver interface, statement cache, per-thread connections. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "db/db.h"
#include "search/search_fts5.h"

#define DB_BUSY_MS 5000
#define CACHE_MIN 64		/* slots; a power of two */
#define CACHE_WARN 1024		/* more distinct statements than this: someone builds SQL */

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	const char *key;	/* the caller's text pointer */
	int counted;		/* stepped since the last reset */
	struct db_stmt *retired;	/* chain of replaced statements, freed at close */
};

struct db {
	sqlite3 *h;
	struct db_stmt **slots;	/* open addressing on the text pointer */
	size_t nslots, used;
	struct db_stmt *retired;
	unsigned statements;
	uint64_t commits;	/* by this connection, for db_data_version */
	struct db *next_thread;	/* db_thread's registry */
};

/* Connection settings: one table, applied in order. journal_mode is persistent in the
 * file and cannot be set on a read-only connection, so it is handled apart. */
static const char *const pragmas[] = {
	"PRAGMA synchronous=FULL",
	"PRAGMA foreign_keys=ON",
	"PRAGMA temp_store=MEMORY",
};

static int
is_postgres(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

static int
set_wal(struct db *db, const char *url)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode=WAL", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	const char *mode = (const char *)sqlite3_column_text(st, 0);
	/* an in-memory database (tests) reports "memory" and cannot do WAL */
	if (mode == NULL || (strcmp(mode, "wal") != 0 && strcmp(url, ":memory:") != 0)) {
		log_error("db: %s: cannot switch to WAL (journal mode is %s)", url,
			  mode != NULL ? mode : "unknown");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	log_error("db: %s: journal_mode: %s", url, sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	return -1;
}

static int
on_commit(void *arg)
{
	struct db *db = arg;
	db->commits++;
	return 0;	/* 0: let the commit go on */
}

int
db_open(struct db **out, const char *url, int flags)
{
	struct db *db = NULL;
	*out = NULL;
	if (url == NULL || url[0] == '\0') {
		log_error("db: no database given");
		return -1;
	}
	if (is_postgres(url)) {
		log_error("db: PostgreSQL is not supported yet");
		return -1;
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		die("out of memory");
	/* NOMUTEX: one connection per thread (db_thread), so SQLite's own mutexes are waste */
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	oflags |= (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY
					     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(url, &db->h, oflags, NULL) != SQLITE_OK) {
		log_error("db: %s: %s", url,
			  db->h != NULL ? sqlite3_errmsg(db->h) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	sqlite3_commit_hook(db->h, on_commit, db);
	if (!(flags & DB_OPEN_READONLY) && set_wal(db, url) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		if (sqlite3_exec(db->h, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
			log_error("db: %s: %s: %s", url, pragmas[i], sqlite3_errmsg(db->h));
			goto fail;
		}
	}
	/* every connection reads and writes the search index, whose tables name it */
	if (search_fts5_register(db->h) < 0)
		goto fail;
	db->nslots = CACHE_MIN;
	db->slots = calloc(db->nslots, sizeof(*db->slots));
	if (db->slots == NULL)
		die("out of memory");
	*out = db;
	return 0;
fail:
	if (db->h != NULL)
		sqlite3_close(db->h);
	free(db);
	return -1;
}

static void
stmt_free(struct db_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s);
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nslots; i++)
		if (db->slots[i] != NULL)
			stmt_free(db->slots[i]);
	while (db->retired != NULL) {
		struct db_stmt *next = db->retired->retired;
		stmt_free(db->retired);
		db->retired = next;
	}
	free(db->slots);
	if (!sqlite3_db_readonly(db->h, "main"))
		sqlite3_exec(db->h, "PRAGMA optimize", NULL, NULL, NULL);
	if (sqlite3_close(db->h) != SQLITE_OK)
		BUG("db: close: %s", sqlite3_errmsg(db->h));
	free(db);
}

int
db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("db: %s", msg != NULL ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The statement cache. Statements are constant strings, so the text pointer is the
 * key (hashing it is free); the text itself is compared on a hit, so a caller that
 * reuses a buffer for a different statement gets the right one, not a stale plan. */
static size_t
slot_of(const struct db *db, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	h ^= h >> 29;
	return (size_t)h & (db->nslots - 1);
}

static void
cache_insert(struct db *db, struct db_stmt *s)
{
	size_t i = slot_of(db, s->key);
	while (db->slots[i] != NULL)
		i = (i + 1) & (db->nslots - 1);
	db->slots[i] = s;
}

static void
cache_grow(struct db *db)
{
	struct db_stmt **old = db->slots;
	size_t n = db->nslots;
	db->nslots = n * 2;
	db->slots = calloc(db->nslots, sizeof(*db->slots));
	if (db->slots == NULL)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		if (old[i] != NULL)
			cache_insert(db, old[i]);
	free(old);
}

/* Whether the cached statement was prepared from sql (the stored text ends where the
 * statement ended, so trailing blanks and semicolons are allowed to differ). */
static int
same_text(sqlite3_stmt *st, const char *sql)
{
	const char *had = sqlite3_sql(st);
	size_t n = strlen(had);
	return strncmp(had, sql, n) == 0 && sql[n + strspn(sql + n, " \t\r\n;")] == '\0';
}

static struct db_stmt *
cache_find(struct db *db, const char *sql, size_t *slot)
{
	size_t i = slot_of(db, sql);
	while (db->slots[i] != NULL) {
		if (db->slots[i]->key == sql) {
			*slot = i;
			return db->slots[i];
		}
		i = (i + 1) & (db->nslots - 1);
	}
	*slot = i;
	return NULL;
}

static struct db_stmt *
stmt_new(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail) !=
	    SQLITE_OK) {
		BUG("db: prepare: %s: %s", sqlite3_errmsg(db->h), sql);
		return NULL;
	}
	if (st == NULL || tail[strspn(tail, " \t\r\n;")] != '\0') {
		BUG("db: prepare: not exactly one statement: %s", sql);
		sqlite3_finalize(st);
		return NULL;
	}
	struct db_stmt *s = calloc(1, sizeof(*s));
	if (s == NULL)
		die("out of memory");
	s->st = st;
	s->db = db;
	s->key = sql;
	return s;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	size_t slot;
	struct db_stmt *s = cache_find(db, sql, &slot);
	if (s != NULL) {
		if (same_text(s->st, sql)) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			s->counted = 0;
			return s;
		}
		/* same address, other text: the old statement may still be held by a
		 * caller, so it is retired (freed at close), not finalized */
		BUG("db: statement text changed at the same address (pass constant SQL)");
		struct db_stmt *fresh = stmt_new(db, sql);
		if (fresh == NULL)
			return NULL;
		s->retired = db->retired;
		db->retired = s;
		db->slots[slot] = fresh;
		return fresh;
	}
	s = stmt_new(db, sql);
	if (s == NULL)
		return NULL;
	db->slots[slot] = s;
	if (++db->used == CACHE_WARN)
		BUG("db: %u distinct statements cached (SQL built at run time?)", CACHE_WARN);
	if (db->used * 4 > db->nslots * 3)
		cache_grow(db);
	return s;
}

void
db_done(struct db_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st->st);
	st->counted = 0;
}

static int
bind_rc(struct db_stmt *st, int idx, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	BUG("db: bind %d: %s: %s", idx, sqlite3_errmsg(st->db->h), sqlite3_sql(st->st));
	return -1;
}

int
db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return bind_rc(st, idx, sqlite3_bind_int64(st->st, idx, v));
}

int
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return db_bind_null(st, idx);
	return bind_rc(st, idx, sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT));
}

int
db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n)
{
	if (s == NULL)
		return db_bind_null(st, idx);
	if (n > INT32_MAX)
		return bind_rc(st, idx, SQLITE_TOOBIG);
	return bind_rc(st, idx, sqlite3_bind_text(st->st, idx, s, (int)n, SQLITE_TRANSIENT));
}

int
db_bind_null(struct db_stmt *st, int idx)
{
	return bind_rc(st, idx, sqlite3_bind_null(st->st, idx));
}

int
db_bind_pointer(struct db_stmt *st, int idx, void *p, const char *type)
{
	return bind_rc(st, idx, sqlite3_bind_pointer(st->st, idx, p, type, NULL));
}

int
db_step(struct db_stmt *st)
{
	if (!st->counted) {
		st->counted = 1;
		st->db->statements++;
	}
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	log_error("db: %s (%s)", sqlite3_errmsg(st->db->h), sqlite3_sql(st->st));
	return DB_ERROR;
}

int64_t
db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

int
db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

/* Transaction control goes through the cache too: no parsing per transaction. */
static int
run_simple(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int
db_begin(struct db *db)
{
	return run_simple(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return run_simple(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	/* some errors (SQLITE_FULL, IOERR) already rolled the transaction back */
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return run_simple(db, "ROLLBACK");
}

/* PRAGMA data_version moves when other connections commit (it refreshes this
 * connection's view to tell), never for our own commits: those are counted by the
 * commit hook. The two halves cannot collide below 2^32 own commits. */
uint64_t
db_data_version(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "PRAGMA data_version");
	uint64_t others = 0;
	if (st != NULL && db_step(st) == DB_ROW)
		others = (uint64_t)db_col_int(st, 0);
	db_done(st);
	return (others << 32) + db->commits;
}

unsigned
db_stats_statements(const struct db *db)
{
	return db->statements;
}

void
db_stats_reset(struct db *db)
{
	db->statements = 0;
}

/* Per-thread connections. Each thread keeps its connection in thread-local storage
 * with the registry's generation; db_thread_close_all closes every registered one and
 * bumps the generation, so a thread-local pointer left from before is never reused. */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *reg_head;
static char *reg_url;
static atomic_uint reg_generation = 1;
static _Thread_local struct db *tl_db;
static _Thread_local unsigned tl_generation;

void
db_thread_init(const char *url)
{
	pthread_mutex_lock(&reg_lock);
	free(reg_url);
	reg_url = strdup(url);
	if (reg_url == NULL)
		die("out of memory");
	pthread_mutex_unlock(&reg_lock);
}

struct db *
db_thread(void)
{
	char *url = NULL;
	if (tl_db != NULL && tl_generation == atomic_load(&reg_generation))
		return tl_db;
	pthread_mutex_lock(&reg_lock);
	unsigned gen = atomic_load(&reg_generation);
	if (reg_url != NULL)
		url = strdup(reg_url);
	pthread_mutex_unlock(&reg_lock);
	if (url == NULL) {
		BUG("db_thread before db_thread_init");
		return NULL;
	}
	struct db *db;
	int rc = db_open(&db, url, 0);
	free(url);
	if (rc < 0)
		return NULL;
	pthread_mutex_lock(&reg_lock);
	if (gen != atomic_load(&reg_generation)) {
		/* closed down while opening: do not leak into a dead registry */
		pthread_mutex_unlock(&reg_lock);
		db_close(db);
		return NULL;
	}
	db->next_thread = reg_head;
	reg_head = db;
	pthread_mutex_unlock(&reg_lock);
	tl_db = db;
	tl_generation = gen;
	return db;
}

void
db_thread_close_all(void)
{
	pthread_mutex_lock(&reg_lock);
	struct db *db = reg_head;
	reg_head = NULL;
	free(reg_url);
	reg_url = NULL;
	atomic_fetch_add(&reg_generation, 1);
	pthread_mutex_unlock(&reg_lock);
	while (db != NULL) {
		struct db *next = db->next_thread;
		db_close(db);
		db = next;
	}
	tl_db = NULL;
}

double
db_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}
