/* accounts_password: choosing a password through a mailed single-use link — "forgot my
 * password" and the invitation to a new account — and the mails that carry the links. */
#include <sodium.h>
#include <string.h>

#include "accounts/accounts_internal.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "mail/mail.h"

#define RESET_MAIL_GAP (5 * 60)	/* at most one reset mail per account every 5 minutes */

/* Queues the mail with a link for token (purpose p) to u, in u's language. 0 or -1. */
int
accounts_mail_link(struct db *db, struct arena *a, const struct auth_user *u,
		   enum auth_purpose p, const char *token, const char *inviter)
{
	i18n_use(u->lang);
	const char *url = arena_printf(a, "%s/%s/%s?token=%s", config_base_url(), lang_code(u->lang),
				       p == AUTH_RESET ? "password/reset" : "account/welcome", token);
	struct buf b = BUF_INIT;
	buf_printf(&b, _("Hello %s,"), u->name);
	buf_puts(&b, "\n\n");
	if (p == AUTH_RESET) {
		buf_printf(&b, "%s\n\n%s\n\n%s\n", _("Someone asked to reset the password of your "
						    "account. To choose a new password, open this "
						    "link within an hour:"),
			   url, _("If it was not you, ignore this mail: your password stays as it is."));
	} else {
		buf_printf(&b, _("%s invites you to the site of %s."), inviter, config_site_name());
		buf_printf(&b, "\n\n%s\n\n%s\n\n%s\n",
			   _("To accept, choose your password by opening this link within 14 days:"),
			   url, _("The link works once. Your e-mail address is your login."));
	}
	const char *subject = p == AUTH_RESET
				      ? arena_printf(a, _("Reset your password on %s"), config_site_name())
				      : arena_printf(a, _("Your account on %s"), config_site_name());
	struct mail_msg m = {.to = u->email, .to_name = u->name, .subject = subject,
			     .text = buf_cstr(&b), .kind = p == AUTH_RESET ? "reset" : "account"};
	int64_t id = b.failed ? -1 : mail_enqueue(db, &m);
	buf_free(&b);
	return id < 0 ? -1 : 0;
}

/* ---- forgot my password ------------------------------------------------------------- */

static enum http_error
forgot_page(struct request *req, struct response *res, int sent, int status)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Forgot your password?")));
	json_object_set_new(ctx, "description", json_string(_("Forgot your password?")));
	json_object_set_new(ctx, "sent", json_boolean(sent));
	return accounts_form_page(req, res, "accounts/forgot", ctx, status);
}

enum http_error
accounts_forgot_form(struct request *req, struct response *res)
{
	return forgot_page(req, res, 0, 200);
}

/* 1 when a reset link was sent to user_id within RESET_MAIL_GAP, 0 if not, -1. */
static int
recently_sent(struct db *db, int64_t user_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM account_tokens WHERE user_id = ?1 "
					    "AND purpose = 'reset' AND created > ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, time_now() - RESET_MAIL_GAP);
	int rc = db_step(st) == DB_ROW ? (db_col_int(st, 0) > 0) : -1;
	db_done(st);
	return rc;
}

/* The answer is the same whether or not an account has this address. */
enum http_error
accounts_forgot(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const char *email = auth_email_normalize(req->arena, http_form_get(req, "email"));
	const char *addr = http_client_addr(req);
	int t = auth_throttled(db, NULL, addr);
	if (t < 0)
		return HTTP_ERR_INTERNAL;
	if (t > 0)
		return HTTP_ERR_TOO_MANY;
	struct auth_user u;
	int found = email != NULL ? auth_user_by_email(db, req->arena, email, &u, NULL) : 1;
	if (found < 0)
		return HTTP_ERR_INTERNAL;
	if (found == 0 && u.active) {
		int recent = recently_sent(db, u.id);
		if (recent < 0)
			return HTTP_ERR_INTERNAL;
		char token[AUTH_TOKEN_LEN + 1];
		if (!recent) {
			if (db_begin(db) < 0)
				return HTTP_ERR_INTERNAL;
			if (auth_account_token_new(db, u.id, AUTH_RESET, token) < 0 ||
			    accounts_mail_link(db, req->arena, &u, AUTH_RESET, token, NULL) < 0 ||
			    db_commit(db) < 0) {
				i18n_use(req->lang);
				db_rollback(db);
				return HTTP_ERR_INTERNAL;
			}
			i18n_use(req->lang);
			mail_sender_wake();
			sodium_memzero(token, sizeof(token));
		}
	} else {
		/* an unknown address counts like a failed login, against probing */
		if (auth_throttle_fail(db, NULL, addr) < 0)
			return HTTP_ERR_INTERNAL;
	}
	return forgot_page(req, res, 1, 200);
}

/* ---- choosing a password by link (reset, account invitation) -------------------- */

static enum http_error
choose_page(struct request *req, struct response *res, enum auth_purpose p, const char *token,
	    const struct auth_user *u, const char *error, int status)
{
	json_t *ctx = json_object();
	const char *title = p == AUTH_RESET ? _("Choose a new password") : _("Welcome");
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "description", json_string(title));
	json_object_set_new(ctx, "welcome", json_boolean(p == AUTH_INVITE));
	json_object_set_new(ctx, "action", json_string(p == AUTH_RESET ? "password/reset"
								     : "account/welcome"));
	json_object_set_new(ctx, "token", json_string(token));
	json_object_set_new(ctx, "email", json_string(u->email));
	json_object_set_new(ctx, "name", json_string(u->name));
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	http_add_header(res, "Referrer-Policy", "no-referrer");
	return accounts_form_page(req, res, "accounts/choose", ctx, status);
}

static enum http_error
choose_form(struct request *req, struct response *res, enum auth_purpose p)
{
	const char *token = http_query_get(req, "token");
	int64_t uid;
	struct auth_user u;
	int rc = auth_account_token_check(db_thread(), token, p, &uid);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	if (auth_user_by_id(db_thread(), req->arena, uid, &u) != 0)
		return HTTP_ERR_NOT_FOUND;
	return choose_page(req, res, p, token, &u, NULL, 200);
}

static enum http_error
choose(struct request *req, struct response *res, enum auth_purpose p)
{
	struct db *db = db_thread();
	const char *token = http_form_get(req, "token");
	const char *pw = http_form_get(req, "password");
	const char *again = http_form_get(req, "again");
	int64_t uid;
	struct auth_user u;
	int rc = auth_account_token_check(db, token, p, &uid);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0 || auth_user_by_id(db, req->arena, uid, &u) != 0)
		return HTTP_ERR_NOT_FOUND;
	const char *why = pw == NULL ? N_("The password must have at least 10 characters.")
				     : auth_password_problem(pw);
	if (why == NULL && (again == NULL || strcmp(pw, again) != 0))
		why = N_("The two passwords differ.");
	if (why != NULL)
		return choose_page(req, res, p, token, &u, _(why), 422);
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	if (auth_account_token_take(db, token, p, &uid) != 0 ||
	    auth_user_set_password(db, uid, pw) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return HTTP_ERR_NOT_FOUND;	/* taken by a concurrent request */
	}
	if (auth_throttle_clear(db, u.email) < 0 || auth_login(req, res, uid) < 0)
		return HTTP_ERR_INTERNAL;
	log_info("accounts: user %lld chose a password (%s)", (long long)uid,
		 p == AUTH_RESET ? "reset" : "invitation");
	http_redirect(res, 303, arena_printf(req->arena, "/%s/profile?saved=1", lang_code(u.lang)));
	return HTTP_OK;
}

enum http_error
accounts_reset_form(struct request *req, struct response *res)
{
	return choose_form(req, res, AUTH_RESET);
}

enum http_error
accounts_reset(struct request *req, struct response *res)
{
	return choose(req, res, AUTH_RESET);
}

enum http_error
accounts_welcome_form(struct request *req, struct response *res)
{
	return choose_form(req, res, AUTH_INVITE);
}

enum http_error
accounts_welcome(struct request *req, struct response *res)
{
	return choose(req, res, AUTH_INVITE);
}
