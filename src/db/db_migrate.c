/* db_migrate: applies the numbered migrations embedded in the binary, each once. */
#include <stdlib.h>
#include <string.h>

#include "core/core_embed.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "db/db.h"

#define MIGRATION_DIR "migrations/"

struct migration {
	long version;
	char name[64];		/* "001_events" */
	const char *sql;
};

static const char sql_create[] = "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
				 "\tversion INTEGER PRIMARY KEY,\n"
				 "\tname TEXT NOT NULL,\n"
				 "\tapplied_at TEXT NOT NULL\n"
				 ")";
static const char sql_applied[] = "SELECT version FROM schema_migrations ORDER BY version";
static const char sql_is_applied[] = "SELECT 1 FROM schema_migrations WHERE version = ?1";
static const char sql_record[] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)";

/* Reads "migrations/NNN_name.sql" into m; -1 (a BUG: the build embeds it) when the name
 * does not follow the pattern. */
static int
parse_name(const struct embedded_file *f, struct migration *m)
{
	const char *base = f->name + strlen(MIGRATION_DIR);
	size_t n = strlen(base);
	if (n < 9 || strcmp(base + n - 4, ".sql") != 0 || base[3] != '_')
		goto fail;
	m->version = 0;
	for (int i = 0; i < 3; i++) {
		if (base[i] < '0' || base[i] > '9')
			goto fail;
		m->version = m->version * 10 + (base[i] - '0');
	}
	for (size_t i = 4; i < n - 4; i++) {
		char c = base[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			goto fail;
	}
	if (m->version == 0 || n - 4 >= sizeof(m->name))
		goto fail;
	memcpy(m->name, base, n - 4);
	m->name[n - 4] = '\0';
	m->sql = (const char *)f->data;
	return 0;
fail:
	BUG("migration file %s is not named migrations/NNN_name.sql", f->name);
	return -1;
}

static int
by_version(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* The embedded migrations in version order (out holds embedded_count), or -1 when
 * they are misnamed or two share a number. */
static int
list_migrations(struct migration *out, size_t *n)
{
	size_t k = 0;
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, MIGRATION_DIR, strlen(MIGRATION_DIR)) != 0)
			continue;
		if (parse_name(f, &out[k]) < 0)
			return -1;
		k++;
	}
	qsort(out, k, sizeof(*out), by_version);
	for (size_t i = 1; i < k; i++) {
		if (out[i].version == out[i - 1].version) {
			BUG("two migrations numbered %03ld", out[i].version);
			return -1;
		}
	}
	*n = k;
	return 0;
}

/* Marks in applied[] (indexed like list) what the database has; -1 on error or when
 * the database has a migration this binary does not know (it is newer than we are). */
static int
read_applied(struct db *db, const struct migration *list, size_t n, char *applied)
{
	struct db_stmt *st = db_prepare(db, sql_applied);
	if (st == NULL)
		return -1;
	int rc;
	size_t i = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t v = db_col_int(st, 0);
		while (i < n && list[i].version < v)
			i++;
		if (i == n || list[i].version != v) {
			log_error("db: the database has migration %03lld, which this tawama does "
				  "not know: it was made by a newer version",
				  (long long)v);
			db_done(st);
			return -1;
		}
		applied[i] = 1;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Runs m and records it in one transaction. Whether it is applied is asked again
 * under the write lock: another process may have migrated since we looked. */
static int
apply(struct db *db, const struct migration *m)
{
	char now[32];
	time_format_rfc3339(time_now(), now);
	if (db_begin(db) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, sql_is_applied);
	if (st == NULL)
		goto fail;
	db_bind_int(st, 1, m->version);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	if (rc == DB_ROW)
		return db_commit(db);
	if (db_exec(db, m->sql) < 0)
		goto fail;
	st = db_prepare(db, sql_record);
	if (st == NULL)
		goto fail;
	db_bind_int(st, 1, m->version);
	db_bind_text(st, 2, m->name);
	db_bind_text(st, 3, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || db_commit(db) < 0)
		goto fail;
	log_info("db: applied migration %s", m->name);
	return 0;
fail:
	log_error("db: migration %s failed; the database is unchanged", m->name);
	db_rollback(db);
	return -1;
}

int
db_migrate(struct db *db)
{
	size_t n = 0;
	struct migration *list = calloc(embedded_count + 1, sizeof(*list));
	char *applied = calloc(embedded_count + 1, 1);
	if (list == NULL || applied == NULL)
		die("out of memory");
	if (list_migrations(list, &n) < 0)
		goto fail;
	if (db_exec(db, sql_create) < 0)
		goto fail;
	if (read_applied(db, list, n, applied) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!applied[i] && apply(db, &list[i]) < 0)
			goto fail;
	free(applied);
	free(list);
	return 0;
fail:
	free(applied);
	free(list);
	return -1;
}
