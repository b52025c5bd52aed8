/* accounts_pages: logging in and out, and the signed-in reader's profile. */
#include <pthread.h>
#include <string.h>

#include "accounts/accounts_internal.h"
#include "core/core_log.h"
#include "core/core_utf8.h"
#include "network/network.h"

const char *
accounts_safe_next(const char *next, const char *fallback)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strlen(next) > 2000)
		return fallback;
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return fallback;
	return next;
}

/* The layout's view of the signed-in reader: "me" and "csrf" (for the log-out button). */
static void
layout_hook(struct request *req, json_t *ctx)
{
	const struct auth_user *u = auth_user_of(req);
	const struct auth_session *s = auth_session_of(req);
	if (u == NULL || s == NULL)
		return;
	json_object_set_new(ctx, "me", json_pack("{s:s, s:s, s:b}", "name", u->name, "role",
						 role_code(u->role), "staff",
						 u->role != ROLE_MEMBER));
	json_object_set_new(ctx, "csrf", json_string(s->csrf));
}

void
accounts_init(void)
{
	render_set_layout_hook(layout_hook);
}

enum http_error
accounts_form_page(struct request *req, struct response *res, const char *tmpl, json_t *ctx,
		   int status)
{
	const char *csrf = auth_form_token(req, res);
	if (csrf == NULL) {
		json_decref(ctx);
		return HTTP_ERR_INTERNAL;
	}
	json_object_set_new(ctx, "csrf", json_string(csrf));
	json_object_set_new(ctx, "robots_noindex", json_true());
	res->status = status;
	enum http_error e = render_page(req, res, tmpl, ctx);
	json_decref(ctx);
	return e;
}

static enum http_error
login_page(struct request *req, struct response *res, const char *email, const char *next,
	   const char *error, int status)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Log in")));
	json_object_set_new(ctx, "description", json_string(_("Log in to the network's site.")));
	json_object_set_new(ctx, "email", json_string(email != NULL ? email : ""));
	json_object_set_new(ctx, "next", json_string(next));
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	return accounts_form_page(req, res, "accounts/login", ctx, status);
}

static const char *
home_of(struct request *req, enum lang l)
{
	return arena_printf(req->arena, "/%s/", lang_code(l));
}

enum http_error
accounts_login_form(struct request *req, struct response *res)
{
	const char *next = accounts_safe_next(http_query_get(req, "next"), "");
	if (auth_user_of(req) != NULL) {
		http_redirect(res, 303, *next ? next : home_of(req, req->lang));
		return HTTP_OK;
	}
	return login_page(req, res, NULL, next, NULL, 200);
}

/* A hash to check a password against when the account does not exist, so that the
 * answer takes as long as for a real account. */
static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy_hash(void)
{
	if (auth_password_hash("not a password of anybody", dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

enum http_error
accounts_login(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const char *raw = http_form_get(req, "email");
	const char *password = http_form_get(req, "password");
	const char *next = accounts_safe_next(http_form_get(req, "next"), "");
	const char *email = auth_email_normalize(req->arena, raw);
	const char *addr = http_client_addr(req);
	const char *shown = raw != NULL && strlen(raw) <= 254 && utf8_valid(raw, strlen(raw)) ? raw : "";

	int t = auth_throttled(db, email != NULL ? email : "", addr);
	if (t < 0)
		return HTTP_ERR_INTERNAL;
	if (t > 0) {
		http_add_header(res, "Retry-After", "900");
		return login_page(req, res, shown, next,
				  _("Too many failed attempts. For your safety, logging in is "
				    "paused for 15 minutes. You can also reset your password."),
				  429);
	}
	struct auth_user u;
	const char *hash = NULL;
	int found = 1;
	if (email != NULL) {
		found = auth_user_by_email(db, req->arena, email, &u, &hash);
		if (found < 0)
			return HTTP_ERR_INTERNAL;
	}
	int ok;
	if (found == 0 && hash != NULL && u.active && password != NULL &&
	    strlen(password) <= AUTH_PASSWORD_MAX) {
		ok = auth_password_verify(hash, password);
	} else {
		pthread_once(&dummy_once, make_dummy_hash);
		auth_password_verify(dummy_hash, password != NULL ? password : "");
		ok = 0;
	}
	if (!ok) {
		if (auth_throttle_fail(db, email != NULL ? email : "", addr) < 0)
			return HTTP_ERR_INTERNAL;
		return login_page(req, res, shown, next,
				  _("The email address or the password is not right."), 422);
	}
	if (auth_throttle_clear(db, email) < 0 || auth_login(req, res, u.id) < 0)
		return HTTP_ERR_INTERNAL;
	log_info("accounts: user %lld logged in", (long long)u.id);
	http_redirect(res, 303, *next ? next : home_of(req, u.lang));
	return HTTP_OK;
}

enum http_error
accounts_logout(struct request *req, struct response *res)
{
	if (auth_logout(req, res) < 0)
		return HTTP_ERR_INTERNAL;
	http_redirect(res, 303, home_of(req, req->lang));
	return HTTP_OK;
}

/* ---- profile ------------------------------------------------------------------- */

static json_t *
municipality_options(struct request *req, int64_t selected)
{
	struct municipality_name *m;
	size_t n;
	json_t *arr = json_array();
	if (network_municipality_names(db_thread(), req->arena, req->lang, &m, &n) < 0)
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)m[i].id,
						     "name", m[i].name, "country",
						     i18n_country_name(req->arena, req->lang, m[i].country),
						     "selected", m[i].id == selected));
	return arr;
}

static json_t *
lang_options(enum lang selected)
{
	json_t *arr = json_array();
	for (int l = 0; l < LANG_COUNT; l++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", lang_code((enum lang)l),
						     "name", lang_native_name((enum lang)l),
						     "selected", l == (int)selected));
	return arr;
}

static enum http_error
profile_page(struct request *req, struct response *res, const struct auth_user *u,
	     json_t *errors, int saved, int status)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Your profile")));
	json_object_set_new(ctx, "description", json_string(_("Your profile")));
	json_object_set_new(ctx, "user", json_pack("{s:s, s:s, s:s, s:s}", "name", u->name,
						   "email", u->email, "timezone", u->timezone,
						   "role", role_label(u->role)));
	json_object_set_new(ctx, "municipalities", municipality_options(req, u->municipality_id));
	json_object_set_new(ctx, "languages", lang_options(u->lang));
	json_object_set_new(ctx, "errors", errors != NULL ? errors : json_object());
	json_object_set_new(ctx, "saved", json_boolean(saved));
	return accounts_form_page(req, res, "accounts/profile", ctx, status);
}

enum http_error
accounts_profile_form(struct request *req, struct response *res)
{
	return profile_page(req, res, auth_user_of(req), NULL,
			    http_query_get(req, "saved") != NULL, 200);
}

enum http_error
accounts_profile(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const struct auth_user *me = auth_user_of(req);
	struct auth_user u = *me;
	json_t *errors = json_object();
	const char *name = http_form_get(req, "name");
	const char *email = http_form_get(req, "email");
	const char *muni = http_form_get(req, "municipality");
	const char *lang = http_form_get(req, "lang");
	const char *tz = http_form_get(req, "timezone");

	size_t nl = name != NULL ? strlen(name) : 0;
	while (nl > 0 && name[nl - 1] == ' ')
		nl--;
	if (nl == 0 || nl > 200)
		json_object_set_new(errors, "name", json_string(_("Write your name (at most 200 characters).")));
	else
		u.name = arena_strndup(req->arena, name, nl);
	u.email = auth_email_normalize(req->arena, email);
	if (u.email == NULL) {
		u.email = email != NULL && strlen(email) <= 254 ? email : "";
		json_object_set_new(errors, "email", json_string(_("Write a valid email address.")));
	}
	u.municipality_id = 0;
	if (muni != NULL && *muni != '\0') {
		char *end;
		long long id = strtoll(muni, &end, 10);
		int known = *end == '\0' && id > 0 ? network_municipality_exists(db, id) : 0;
		if (known < 0) {
			json_decref(errors);
			return HTTP_ERR_INTERNAL;
		}
		if (!known)
			json_object_set_new(errors, "municipality", json_string(_("Choose a municipality from the list.")));
		else
			u.municipality_id = id;
	}
	enum lang l = lang_from_code(lang);
	if (l == LANG_NONE)
		json_object_set_new(errors, "lang", json_string(_("Choose a language from the list.")));
	else
		u.lang = l;
	if (tz == NULL || strlen(tz) > 64 || !i18n_tz_valid(tz))
		json_object_set_new(errors, "timezone",
				    json_string(_("Write a time zone such as Asia/Amman or Europe/Paris.")));
	else
		u.timezone = tz;
	if (json_object_size(errors) == 0) {
		if (db_begin(db) < 0)
			return HTTP_ERR_INTERNAL;
		int rc = auth_user_update(db, &u);
		if (rc < 0 || (rc == 0 && db_commit(db) < 0)) {
			db_rollback(db);
			json_decref(errors);
			return HTTP_ERR_INTERNAL;
		}
		if (rc == 0) {
			json_decref(errors);
			http_redirect(res, 303, arena_printf(req->arena, "/%s/profile?saved=1",
							     lang_code(req->lang)));
			return HTTP_OK;
		}
		db_rollback(db);
		json_object_set_new(errors, "email",
				    json_string(_("Another account uses this email address.")));
	}
	return profile_page(req, res, &u, errors, 0, 422);
}
