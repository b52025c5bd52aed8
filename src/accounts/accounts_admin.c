/* accounts_admin: the accounts page of facilitators and administrators — every account,
 * creating one with an invitation mail, and (administrators only) changing roles. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts_internal.h"
#include "core/core_log.h"
#include "mail/mail.h"
#include "network/network.h"

#define ACCOUNTS_SHOWN 5000

static json_t *
role_options(const struct auth_user *me, enum role selected)
{
	json_t *arr = json_array();
	for (int r = 0; r < ROLE_COUNT; r++) {
		/* only administrators give a role other than member */
		if (r != ROLE_MEMBER && !auth_can(me, ACT_ACCOUNT_ROLE, NULL))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", role_code((enum role)r),
						     "label", role_label((enum role)r), "selected",
						     r == (int)selected));
	}
	return arr;
}

static enum http_error
users_page(struct request *req, struct response *res, json_t *values, json_t *errors,
	   int status)
{
	const struct auth_user *me = auth_user_of(req);
	struct db *db = db_thread();
	struct auth_user *u;
	size_t n;
	struct municipality_name *m;
	size_t nm;
	if (auth_users_list(db, req->arena, ACCOUNTS_SHOWN, &u, &n) < 0 ||
	    network_municipality_names(db, req->arena, req->lang, &m, &nm) < 0) {
		json_decref(values);
		json_decref(errors);
		return HTTP_ERR_INTERNAL;
	}
	int can_role = auth_can(me, ACT_ACCOUNT_ROLE, NULL);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *muni = "";
		for (size_t k = 0; k < nm; k++)
			if (m[k].id == u[i].municipality_id)
				muni = m[k].name;
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)u[i].id,
					"name", u[i].name, "email", u[i].email, "role",
					role_code(u[i].role), "role_label", role_label(u[i].role),
					"municipality", muni, "invited", !u[i].has_password);
		if (can_role && u[i].id != me->id)
			json_object_set_new(row, "role_choices", role_options(me, u[i].role));
		json_array_append_new(rows, row);
	}
	const char *sel_role = json_string_value(json_object_get(values, "role"));
	int r = role_from_code(sel_role);
	json_t *munis = json_array();
	const char *sel_muni = json_string_value(json_object_get(values, "municipality"));
	for (size_t k = 0; k < nm; k++)
		json_array_append_new(munis, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)m[k].id,
						       "name", m[k].name, "selected",
						       sel_muni != NULL && atoll(sel_muni) == m[k].id));
	json_t *langs = json_array();
	const char *sel_lang = json_string_value(json_object_get(values, "lang"));
	for (int l = 0; l < LANG_COUNT; l++)
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", lang_code((enum lang)l),
						       "name", lang_native_name((enum lang)l), "selected",
						       sel_lang != NULL && strcmp(sel_lang, lang_code((enum lang)l)) == 0));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Accounts")));
	json_object_set_new(ctx, "description", json_string(_("Accounts")));
	json_object_set_new(ctx, "users", rows);
	json_object_set_new(ctx, "roles", role_options(me, r < 0 ? ROLE_MEMBER : (enum role)r));
	json_object_set_new(ctx, "municipalities", munis);
	json_object_set_new(ctx, "languages", langs);
	json_object_set_new(ctx, "values", values);
	json_object_set_new(ctx, "errors", errors);
	const char *done = http_query_get(req, "done");
	if (done != NULL && strcmp(done, "invited") == 0)
		json_object_set_new(ctx, "done", json_string(_("The account is created and the invitation is on its way.")));
	else if (done != NULL && strcmp(done, "role") == 0)
		json_object_set_new(ctx, "done", json_string(_("The role is changed.")));
	return accounts_form_page(req, res, "accounts/users", ctx, status);
}

enum http_error
accounts_users_page(struct request *req, struct response *res)
{
	if (!auth_can(auth_user_of(req), ACT_ACCOUNT_CREATE, NULL))
		return HTTP_ERR_FORBIDDEN;
	return users_page(req, res, json_object(), json_object(), 200);
}

enum http_error
accounts_user_create(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	if (!auth_can(me, ACT_ACCOUNT_CREATE, NULL))
		return HTTP_ERR_FORBIDDEN;
	struct db *db = db_thread();
	const char *name = http_form_get(req, "name"), *email = http_form_get(req, "email"),
		   *role = http_form_get(req, "role"), *muni = http_form_get(req, "municipality"),
		   *lang = http_form_get(req, "lang");
	json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", name ? name : "", "email",
				   email && strlen(email) <= 254 ? email : "", "role",
				   role ? role : "", "municipality", muni ? muni : "", "lang",
				   lang ? lang : "");
	json_t *errors = json_object();
	struct auth_user u = {.timezone = "UTC", .active = 1};
	u.email = auth_email_normalize(req->arena, email);
	if (u.email == NULL)
		json_object_set_new(errors, "email", json_string(_("Write a valid email address.")));
	size_t nl = name != NULL ? strlen(name) : 0;
	if (nl == 0 || nl > 200)
		json_object_set_new(errors, "name", json_string(_("Write the name (at most 200 characters).")));
	u.name = name;
	int r = role_from_code(role);
	if (r < 0 || (r != ROLE_MEMBER && !auth_can(me, ACT_ACCOUNT_ROLE, NULL)))
		json_object_set_new(errors, "role", json_string(_("Choose a role from the list.")));
	u.role = r < 0 ? ROLE_MEMBER : (enum role)r;
	u.lang = lang_from_code(lang);
	if (u.lang == LANG_NONE)
		json_object_set_new(errors, "lang", json_string(_("Choose a language from the list.")));
	if (muni != NULL && *muni) {
		char *end;
		long long id = strtoll(muni, &end, 10);
		int known = *end == '\0' && id > 0 ? network_municipality_exists(db, id) : 0;
		if (known < 0) {
			json_decref(values);
			json_decref(errors);
			return HTTP_ERR_INTERNAL;
		}
		if (!known)
			json_object_set_new(errors, "municipality", json_string(_("Choose a municipality from the list.")));
		u.municipality_id = known ? id : 0;
	}
	if (json_object_size(errors) > 0)
		return users_page(req, res, values, errors, 422);
	char err[200], token[AUTH_TOKEN_LEN + 1];
	int64_t id;
	if (db_begin(db) < 0)
		goto fail;
	int rc = auth_user_add(db, &u, NULL, &id, err, sizeof(err));
	if (rc == 1) {
		db_rollback(db);
		json_object_set_new(errors, "email", json_string(_("Another account uses this email address.")));
		return users_page(req, res, values, errors, 422);
	}
	if (rc < 0) {
		db_rollback(db);
		goto fail;
	}
	u.id = id;
	if (auth_account_token_new(db, id, AUTH_INVITE, token) < 0 ||
	    accounts_mail_link(db, req->arena, &u, AUTH_INVITE, token, me->name) < 0) {
		i18n_use(req->lang);
		db_rollback(db);
		goto fail;
	}
	i18n_use(req->lang);
	if (db_commit(db) < 0)
		goto fail;
	mail_sender_wake();
	json_decref(values);
	json_decref(errors);
	log_info("accounts: user %lld created account %lld (%s)", (long long)me->id, (long long)id,
		 role_code(u.role));
	http_redirect(res, 303, arena_printf(req->arena, "/%s/admin/users?done=invited",
					     lang_code(req->lang)));
	return HTTP_OK;
fail:
	json_decref(values);
	json_decref(errors);
	return HTTP_ERR_INTERNAL;
}

/* POST /{lang}/admin/users/{slug}/role : {slug} is the account's id. */
enum http_error
accounts_user_role(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	if (!auth_can(me, ACT_ACCOUNT_ROLE, NULL))
		return HTTP_ERR_FORBIDDEN;
	char *end;
	long long id = strtoll(req->captures[1], &end, 10);
	int r = role_from_code(http_form_get(req, "role"));
	if (*end != '\0' || id <= 0)
		return HTTP_ERR_NOT_FOUND;
	if (r < 0)
		return HTTP_ERR_BAD_PARAM;
	if (id == me->id)
		return HTTP_ERR_FORBIDDEN;	/* nobody demotes themselves by accident */
	struct auth_user u;
	struct db *db = db_thread();
	int rc = auth_user_by_id(db, req->arena, id, &u);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	if (auth_user_set_role(db, id, (enum role)r) < 0)
		return HTTP_ERR_INTERNAL;
	log_info("accounts: user %lld gave account %lld the role %s", (long long)me->id, id,
		 role_code((enum role)r));
	http_redirect(res, 303, arena_printf(req->arena, "/%s/admin/users?done=role",
					     lang_code(req->lang)));
	return HTTP_OK;
}
