/* mail_outbox: the outbox table: enqueueing, and the sender's claims and outcomes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "db/db.h"
#include "mail/mail_internal.h"

static const char sql_insert[] =
	"INSERT INTO outbox (kind, sender, recipient, message, message_id, created_at,"
	" next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char sql_get_from[] = "SELECT from_header FROM mail_settings WHERE id = 1";
static const char sql_set_from[] =
	"INSERT INTO mail_settings (id, from_header) VALUES (1, ?1)"
	" ON CONFLICT (id) DO UPDATE SET from_header = excluded.from_header";
static const char sql_claim[] =
	"UPDATE outbox SET next_attempt_at = ?2 WHERE id = ("
	" SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1"
	" ORDER BY next_attempt_at, id LIMIT 1)"
	" RETURNING id, kind, sender, recipient, message, attempts, rejections";
static const char sql_next_due[] =
	"SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'";
static const char sql_sent[] =
	"UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1,"
	" last_error = NULL WHERE id = ?1";
static const char sql_retry[] =
	"UPDATE outbox SET attempts = attempts + 1, rejections = rejections + ?3,"
	" last_error = ?2, next_attempt_at = ?4 WHERE id = ?1";
static const char sql_failed[] =
	"UPDATE outbox SET state = 'failed', attempts = attempts + 1,"
	" rejections = rejections + 1, last_error = ?2 WHERE id = ?1";

int64_t
mail_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A short ASCII label: letters, digits, '-' and '_'. */
static int
kind_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > MAIL_KIND_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int64_t
mail_enqueue(struct db *db, const struct mail_msg *m)
{
	const char *kind = m->kind != NULL ? m->kind : "mail";
	if (!kind_valid(kind)) {
		BUG("mail: kind must be 1 to %d letters, digits, '-' or '_'", MAIL_KIND_MAX);
		return -1;
	}
	struct buf msg = BUF_INIT;
	char msgid[MAIL_MSGID_MAX], sender[MAIL_ADDRESS_MAX + 1];
	int64_t now = mail_now_ms(), id = -1;
	char *from = mail_from_copy(db);
	int rc = mail_build(m, from, now / 1000, &msg, msgid, sender);
	free(from);
	if (rc < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, sql_insert);
	if (st == NULL)
		goto out;
	if (db_bind_text(st, 1, kind) == 0 && db_bind_text(st, 2, sender) == 0 &&
	    db_bind_text(st, 3, m->to) == 0 && db_bind_textn(st, 4, msg.data, msg.len) == 0 &&
	    db_bind_text(st, 5, msgid) == 0 && db_bind_int(st, 6, now) == 0 &&
	    db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		/* the end of the statement is where its change is done (or fails) */
		if (db_step(st) != DB_DONE)
			id = -1;
	}
	db_done(st);
	if (id < 0)
		log_error("mail: not queued (%s): the outbox could not be written", kind);
out:
	buf_free(&msg);
	return id;
}

char *
outbox_stored_from(struct db *db)
{
	struct db_stmt *st = db_prepare(db, sql_get_from);
	char *from = NULL;
	if (st != NULL && db_step(st) == DB_ROW && db_col_text(st, 0) != NULL) {
		from = strdup(db_col_text(st, 0));
		if (from == NULL)
			die("out of memory");
	}
	db_done(st);
	return from;
}

int
outbox_store_from(struct db *db, const char *from)
{
	struct db_stmt *st = db_prepare(db, sql_set_from);
	int ok = st != NULL && db_bind_text(st, 1, from) == 0 && db_step(st) == DB_DONE;
	db_done(st);
	return ok ? 0 : -1;
}

static char *
dup_col(struct db_stmt *st, int col, size_t *len)
{
	const char *s = db_col_text(st, col);
	char *p = strdup(s != NULL ? s : "");
	if (p == NULL)
		die("out of memory");
	if (len != NULL)
		*len = strlen(p);
	return p;
}

int
outbox_claim_due(struct db *db, int64_t now, int64_t lease_ms, struct outbox_row *r)
{
	memset(r, 0, sizeof(*r));
	struct db_stmt *st = db_prepare(db, sql_claim);
	if (st == NULL || db_bind_int(st, 1, now) < 0 || db_bind_int(st, 2, now + lease_ms) < 0) {
		db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->kind = dup_col(st, 1, NULL);
		r->sender = dup_col(st, 2, NULL);
		r->recipient = dup_col(st, 3, NULL);
		r->message = dup_col(st, 4, &r->message_len);
		r->attempts = db_col_int(st, 5);
		r->rejections = db_col_int(st, 6);
		/* RETURNING rows are all produced before the first is read: stepping to the
		 * end commits the claim */
		rc = db_step(st) == DB_DONE ? DB_ROW : DB_ERROR;
	}
	db_done(st);
	if (rc == DB_ERROR) {
		outbox_row_free(r);
		return -1;
	}
	return rc == DB_ROW;
}

void
outbox_row_free(struct outbox_row *r)
{
	free(r->kind);
	free(r->sender);
	free(r->recipient);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

int
outbox_next_due(struct db *db, int64_t *at)
{
	struct db_stmt *st = db_prepare(db, sql_next_due);
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	int found = rc == DB_ROW && !db_col_is_null(st, 0);
	if (found)
		*at = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ERROR ? -1 : found;
}

int
outbox_mark_sent(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, sql_sent);
	int ok = st != NULL && db_bind_int(st, 1, id) == 0 && db_bind_int(st, 2, now) == 0 &&
		 db_step(st) == DB_DONE;
	db_done(st);
	return ok ? 0 : -1;
}

int
outbox_mark_retry(struct db *db, int64_t id, const char *error, int rejected, int64_t next_at)
{
	struct db_stmt *st = db_prepare(db, sql_retry);
	int ok = st != NULL && db_bind_int(st, 1, id) == 0 && db_bind_text(st, 2, error) == 0 &&
		 db_bind_int(st, 3, rejected ? 1 : 0) == 0 && db_bind_int(st, 4, next_at) == 0 &&
		 db_step(st) == DB_DONE;
	db_done(st);
	return ok ? 0 : -1;
}

int
outbox_mark_failed(struct db *db, int64_t id, const char *error)
{
	struct db_stmt *st = db_prepare(db, sql_failed);
	int ok = st != NULL && db_bind_int(st, 1, id) == 0 && db_bind_text(st, 2, error) == 0 &&
		 db_step(st) == DB_DONE;
	db_done(st);
	return ok ? 0 : -1;
}
