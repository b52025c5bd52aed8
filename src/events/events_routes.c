/* events_routes: the addresses the events module answers. */
#include "events/events_internal.h"

const struct route events_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/", events_home, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events", events_list_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/search", events_search_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}.ics", events_ics_one, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}", events_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/feed.atom", events_atom, 0},
	{HTTP_GET | HTTP_HEAD, "/calendar.ics", events_ics_all, 0},
	{HTTP_GET | HTTP_HEAD, "/sitemap.xml", events_sitemap, 0},
	{HTTP_GET | HTTP_HEAD, "/sitemaps/{slug}.xml", events_sitemap, 0},
	{HTTP_GET | HTTP_HEAD, "/robots.txt", events_robots, 0},
	{HTTP_GET | HTTP_HEAD, "/api/v1/events", events_api_list, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/events/{slug}", events_api_one, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/search", events_api_search, ROUTE_JSON},
	/* staff: every handler also asks auth_can (members get 403) */
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/events", events_manage_list, ROUTE_LOGIN},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/events/new", events_manage_new_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/events/new", events_manage_create, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/events/{slug}/edit", events_manage_edit_form,
	 ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/events/{slug}/edit", events_manage_update,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/publish", events_manage_publish,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/unpublish", events_manage_unpublish,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/highlight", events_manage_highlight,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/unhighlight", events_manage_unhighlight,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/audit", events_audit_page, ROUTE_LOGIN},
};

const size_t events_n_routes = sizeof(events_routes) / sizeof(events_routes[0]);
