/* accounts_internal: what the files of the accounts module share. */
#ifndef ACCOUNTS_INTERNAL_H
#define ACCOUNTS_INTERNAL_H
#include <jansson.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "db/db.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

enum http_error accounts_login_form(struct request *req, struct response *res);
enum http_error accounts_login(struct request *req, struct response *res);
enum http_error accounts_logout(struct request *req, struct response *res);
enum http_error accounts_profile_form(struct request *req, struct response *res);
enum http_error accounts_profile(struct request *req, struct response *res);

enum http_error accounts_forgot_form(struct request *req, struct response *res);
enum http_error accounts_forgot(struct request *req, struct response *res);
enum http_error accounts_reset_form(struct request *req, struct response *res);
enum http_error accounts_reset(struct request *req, struct response *res);
enum http_error accounts_welcome_form(struct request *req, struct response *res);
enum http_error accounts_welcome(struct request *req, struct response *res);
enum http_error accounts_users_page(struct request *req, struct response *res);
enum http_error accounts_user_create(struct request *req, struct response *res);
enum http_error accounts_user_role(struct request *req, struct response *res);

/* Queues the mail carrying a password link (reset) or an account invitation (from
 * inviter) to u, in u's language (the thread's locale is left in it). 0 or -1. */
int accounts_mail_link(struct db *db, struct arena *a, const struct auth_user *u,
		       enum auth_purpose p, const char *token, const char *inviter);

#endif
