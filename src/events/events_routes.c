/* events_routes: the addresses the events module answers. */
#include "events/events_invite.h"

const struct route events_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/", events_home, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events", events_list_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/search", events_search_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}.ics", events_ics_one, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}", events_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}/participants", events_participants, ROUTE_LOGIN},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}/invitation.ics", events_my_ics, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/events/{slug}/answer", events_answer, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/events/{slug}/delegate", events_delegate, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/events/{slug}/register", events_register, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/events/{slug}/unregister", events_unregister, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/events/{slug}/confirm", events_confirm_place, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/events/{slug}/registrations", events_registrations_page, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/events/{slug}/registrations", events_registration_decide, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/rsvp", events_rsvp_form, 0},
	{HTTP_POST, "/{lang}/rsvp", events_rsvp, ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/events/{slug}/invitations", events_invitations_page, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/events/{slug}/invitations", events_invite, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/remind", events_remind, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/attendance", events_attendance, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_POST, "/{lang}/manage/events/{slug}/delegations", events_delegation_decide, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/feed.atom", events_atom, 0},
	{HTTP_GET | HTTP_HEAD, "/calendar.ics", events_ics_all, 0},
	{HTTP_GET | HTTP_HEAD, "/sitemap.xml", events_sitemap, 0},
	{HTTP_GET | HTTP_HEAD, "/sitemaps/{slug}.xml", events_sitemap, 0},
	{HTTP_GET | HTTP_HEAD, "/robots.txt", events_robots, 0},
	{HTTP_GET | HTTP_HEAD, "/api/v1/events", events_api_list, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/events/{slug}", events_api_one, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/search", events_api_search, ROUTE_JSON},
};

const size_t events_n_routes = sizeof(events_routes) / sizeof(events_routes[0]);
