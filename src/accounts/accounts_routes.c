/* accounts_routes: the addresses the accounts module answers. */
#include "accounts/accounts_internal.h"

const struct route accounts_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/login", accounts_login_form, 0},
	{HTTP_POST, "/{lang}/login", accounts_login, ROUTE_CSRF},
	{HTTP_POST, "/{lang}/logout", accounts_logout, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/profile", accounts_profile_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/profile", accounts_profile, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/password/forgot", accounts_forgot_form, 0},
	{HTTP_POST, "/{lang}/password/forgot", accounts_forgot, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/password/reset", accounts_reset_form, 0},
	{HTTP_POST, "/{lang}/password/reset", accounts_reset, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/account/welcome", accounts_welcome_form, 0},
	{HTTP_POST, "/{lang}/account/welcome", accounts_welcome, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/admin/users", accounts_users_page, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/admin/users", accounts_user_create, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/admin/users/{slug}/role", accounts_user_role, ROUTE_LOGIN | ROUTE_CSRF},
};

const size_t accounts_n_routes = sizeof(accounts_routes) / sizeof(accounts_routes[0]);
