/* accounts_routes: the addresses the accounts module answers. */
#include "accounts/accounts_internal.h"

const struct route accounts_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/login", accounts_login_form, 0},
	{HTTP_POST, "/{lang}/login", accounts_login, ROUTE_CSRF},
	{HTTP_POST, "/{lang}/logout", accounts_logout, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/profile", accounts_profile_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/profile", accounts_profile, ROUTE_LOGIN | ROUTE_CSRF},
};

const size_t accounts_n_routes = sizeof(accounts_routes) / sizeof(accounts_routes[0]);
