/* auth_session: server-side sessions named by a cookie, their CSRF token, the request
 * guard that enforces the route flags, and signing in and out. */
#include <sodium.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "render/render_tmpl.h"

#define RENEW_AFTER (60 * 60)	/* a signed-in session's expiry moves at most hourly */

static void
set_cookie(struct request *req, struct response *res, const char *token, int max_age)
{
	http_add_header(res, "Set-Cookie",
			arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
				     AUTH_COOKIE, token, max_age,
				     config_secure() ? "; Secure" : ""));
}

/* Loads the session named by token, with its account. 0 found, 1 none, -1 error. */
static int
load_session(struct db *db, struct arena *a, const char *token, struct auth_session *s,
	     int64_t *seen)
{
	if (!auth_token_well_formed(token))
		return 1;
	char hash[AUTH_HASH_HEX];
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(db, "SELECT id, coalesce(user_id, 0), csrf, seen FROM "
					    "sessions WHERE token_hash = ?1 AND expires > ?2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, time_now());
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_col_int(st, 0);
		s->user_id = db_col_int(st, 1);
		s->csrf = arena_strdup(a, db_col_text(st, 2));
		*seen = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static void
renew(struct db *db, const struct auth_session *s)
{
	int64_t now = time_now();
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET seen = ?2, expires = ?3 "
					    "WHERE id = ?1");
	if (st == NULL)
		return;
	db_bind_int(st, 1, s->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now + AUTH_SESSION_TTL);
	db_step(st);
	db_done(st);
}

/* Creates a session (user_id 0: a visitor's). Fills s and token. 0 or -1. */
static int
create_session(struct db *db, struct arena *a, int64_t user_id, struct auth_session *s,
	       char token[AUTH_TOKEN_LEN + 1])
{
	char hash[AUTH_HASH_HEX], csrf[AUTH_TOKEN_LEN + 1];
	int64_t now = time_now();
	/* expired sessions go a few at a time, so no request pays for many */
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id IN (SELECT id FROM "
					    "sessions WHERE expires <= ?1 LIMIT 20)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_step(st);
	db_done(st);
	auth_token_new(token);
	auth_token_new(csrf);
	auth_token_hash(token, hash);
	st = db_prepare(db, "INSERT INTO sessions (token_hash, user_id, csrf, created, seen, "
			    "expires) VALUES (?1, ?2, ?3, ?4, ?4, ?5) RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	if (user_id > 0)
		db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, now + (user_id > 0 ? AUTH_SESSION_TTL : AUTH_VISITOR_TTL));
	int rc = db_step(st);
	if (rc == DB_ROW)
		s->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	s->user_id = user_id;
	s->csrf = arena_strdup(a, csrf);
	return 0;
}

/* 1 when the request carries the session's CSRF token. */
static int
csrf_ok(const struct request *req, const struct auth_session *s)
{
	const char *given = http_form_get(req, "csrf");
	if (given == NULL)
		given = http_header_get(req, "X-CSRF-Token");
	if (s == NULL || given == NULL || strlen(given) != strlen(s->csrf))
		return 0;
	return sodium_memcmp(given, s->csrf, strlen(given)) == 0;
}

enum http_error
auth_guard(struct request *req, struct response *res, unsigned flags)
{
	struct db *db = db_thread();
	const char *token = http_cookie_get(req, AUTH_COOKIE);
	if (token != NULL) {
		struct auth_session *s = arena_alloc(req->arena, sizeof(*s));
		int64_t seen = 0;
		int rc = load_session(db, req->arena, token, s, &seen);
		if (rc < 0)
			return HTTP_ERR_INTERNAL;
		if (rc == 0)
			req->session = s;
		if (rc == 0 && s->user_id > 0) {
			struct auth_user *u = arena_alloc(req->arena, sizeof(*u));
			rc = auth_user_by_id(db, req->arena, s->user_id, u);
			if (rc < 0)
				return HTTP_ERR_INTERNAL;
			if (rc == 0 && u->active) {
				req->user = u;
				/* pages show who is signed in (and carry the CSRF token) */
				req->personal = 1;
				if (time_now() - seen > RENEW_AFTER)
					renew(db, s);
			}
		}
	}
	if ((flags & ROUTE_LOGIN) && req->user == NULL) {
		if (req->is_api || req->method != HTTP_GET)
			return HTTP_ERR_LOGIN;
		struct buf next;
		buf_init(&next);
		url_escape(&next, req->target);
		buf_putc(&next, '\0');
		http_redirect(res, 303, arena_printf(req->arena, "/%s/login?next=%s",
						     lang_code(req->lang),
						     next.data != NULL ? next.data : "%2F"));
		buf_free(&next);
		return HTTP_OK;
	}
	if ((flags & ROUTE_CSRF) && req->method == HTTP_POST && !csrf_ok(req, req->session))
		return HTTP_ERR_CSRF;
	return HTTP_OK;
}

const char *
auth_form_token(struct request *req, struct response *res)
{
	req->personal = 1;
	const struct auth_session *cur = req->session;
	if (cur != NULL)
		return cur->csrf;
	struct auth_session *s = arena_alloc(req->arena, sizeof(*s));
	char token[AUTH_TOKEN_LEN + 1];
	if (create_session(db_thread(), req->arena, 0, s, token) < 0)
		return NULL;
	set_cookie(req, res, token, AUTH_VISITOR_TTL);
	req->session = s;
	return s->csrf;
}

static int
end_session(struct db *db, const struct auth_session *s)
{
	if (s == NULL)
		return 0;
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, s->id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
auth_login(struct request *req, struct response *res, int64_t user_id)
{
	struct db *db = db_thread();
	if (end_session(db, req->session) < 0)
		return -1;
	struct auth_session *s = arena_alloc(req->arena, sizeof(*s));
	char token[AUTH_TOKEN_LEN + 1];
	if (create_session(db, req->arena, user_id, s, token) < 0)
		return -1;
	set_cookie(req, res, token, AUTH_SESSION_TTL);
	req->session = s;
	req->personal = 1;
	return 0;
}

int
auth_logout(struct request *req, struct response *res)
{
	if (end_session(db_thread(), req->session) < 0)
		return -1;
	req->session = NULL;
	req->user = NULL;
	set_cookie(req, res, "", 0);
	return 0;
}
