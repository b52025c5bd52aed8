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

/* Renders tmpl with ctx (taken) as a form page: adds the CSRF token (creating a
 * visitor's session when needed) and sets status (200, or 422 / 429 for a refused
 * form). */
enum http_error accounts_form_page(struct request *req, struct response *res, const char *tmpl,
				   json_t *ctx, int status);

#endif
