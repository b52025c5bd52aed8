/* db: the storage driver interface. Only src/db/ includes <sqlite3.h> (and later
 * <libpq-fe.h>); domain stores write portable SQL (numbered parameters ?1 ?2 ...,
 * ON CONFLICT, RETURNING) and run it through these calls. */
#ifndef DB_H
#define DB_H
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };
enum { DB_OPEN_READONLY = 1 };

/* Opens a connection to url (a file path means SQLite; "postgresql://" is reserved
 * for the PostgreSQL back end). Applies WAL, synchronous=FULL, foreign keys, a busy
 * timeout, and registers what every connection needs. Returns 0 and *out, or -1 with
 * a message logged. */
int db_open(struct db **out, const char *url, int flags);
void db_close(struct db *db);

/* Runs a script of statements without parameters (migrations). 0 or -1. */
int db_exec(struct db *db, const char *sql);

/* Returns a prepared statement for this constant SQL text, cached per connection
 * (keyed by the text), reset and with bindings cleared. NULL on error (logged as BUG).
 * The statement stays owned by the connection: never finalize it; call db_done()
 * when finished reading so that it releases its read snapshot. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
void db_done(struct db_stmt *st);

/* Parameter indexes start at 1. Text is copied. A NULL text binds SQL NULL. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_text(struct db_stmt *st, int idx, const char *s);
int db_bind_textn(struct db_stmt *st, int idx, const char *s, size_t n);
int db_bind_null(struct db_stmt *st, int idx);
/* Binds a pointer for an SQL function that asks for it by type (SQLite's pointer
 * passing: the value reads as NULL to anything else). The caller keeps p alive until
 * the statement is done. */
int db_bind_pointer(struct db_stmt *st, int idx, void *p, const char *type);

/* Advances: DB_ROW, DB_DONE, or DB_ERROR (logged). */
int db_step(struct db_stmt *st);

/* Columns start at 0. Text is valid until the next step/done; NULL for SQL NULL. */
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);

/* Transactions. db_begin starts a write transaction (BEGIN IMMEDIATE on SQLite). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* Applies every numbered migration not yet applied, each in its own transaction.
 * Idempotent. Returns 0 or -1. */
int db_migrate(struct db *db);

/* A number that changes whenever any connection (of this process or another) has
 * committed a change to the database since the last call on this connection: caches
 * of rendered pages compare it. */
uint64_t db_data_version(struct db *db);

/* Statements stepped on this connection since the last reset (for the "SQL
 * statements per page" budget); reset to 0 by db_stats_reset. */
unsigned db_stats_statements(const struct db *db);
void db_stats_reset(struct db *db);

/* A connection for the calling thread, opened on first use with db_thread_init's url
 * (read-write). All are closed by db_thread_close_all after the threads are gone. */
void db_thread_init(const char *url);
struct db *db_thread(void);
void db_thread_close_all(void);

#endif
