/* network_routes: the addresses the network module answers. */
#include "network/network_internal.h"

const struct route network_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/members", network_directory_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/members/{slug}", network_member_page, 0},
	/* staff: the handlers also ask auth_can (members get 403) */
	{HTTP_GET | HTTP_HEAD, "/{lang}/members/{slug}/edit", network_edit_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/members/{slug}/edit", network_edit, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/api/v1/municipalities", network_api_list, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/municipalities/{slug}", network_api_one, ROUTE_JSON},
};

const size_t network_n_routes = sizeof(network_routes) / sizeof(network_routes[0]);
