/* accounts: the pages and commands around accounts — logging in and out, the profile,
 * password reset, account invitations, the account list of administrators, and
 * `tawama user`. The mechanics (hashes, sessions, permissions) are in src/auth. */
#ifndef ACCOUNTS_H
#define ACCOUNTS_H
#include <stddef.h>

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

#endif
