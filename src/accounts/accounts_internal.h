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

#endif
