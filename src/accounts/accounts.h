/* accounts: the pages and commands around accounts — logging in and out, the profile,
 * password reset, account invitations, the account list of administrators, and
 * `tawama user`. The mechanics (hashes, sessions, permissions) are in src/auth. */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H
#include <jansson.h>
#include <stddef.h>

#include <jansson.h>

#include "http/http.h"

extern const struct route accounts_routes[];
extern const size_t accounts_n_routes;

/* Installs the layout hook that shows the signed-in reader on every page. */
void accounts_init(void);

/* `tawama user add|list ...`: argc/argv after "user". Returns the exit code. */
int accounts_cli(int argc, char **argv);

/* A return address from a form or query parameter that stays on this site ("/..." but
 * not "//..."), or fallback. */
const char *accounts_safe_next(const char *next, const char *fallback);

/* Renders tmpl with ctx (taken) as a form page: adds the CSRF token (creating a
 * visitor's session when needed), keeps it out of search engines, and sets status
 * (200, or 409 / 422 / 429 for a refused form). Other modules' forms use it too. */
enum http_error accounts_form_page(struct request *req, struct response *res, const char *tmpl,
				   json_t *ctx, int status);

#endif
