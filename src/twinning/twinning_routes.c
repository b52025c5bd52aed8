/* twinning_routes: the addresses the twinning module answers. Every handler also asks
 * auth_can: a group whose workspace the reader may not see answers 404 unless it is
 * published (then its public view, or 403 for a form). */
#include "twinning/twinning_internal.h"

const struct route twinning_routes[] = {
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups", twinning_list_page, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups.csv", twinning_dashboard_csv, ROUTE_LOGIN},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups/{slug}", twinning_group_page, 0},
	{HTTP_POST, "/{lang}/groups/{slug}/comments", twinning_comment, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups/{slug}/milestones/new", twinning_milestone_new_form,
	 ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/groups/{slug}/milestones/new", twinning_milestone_create,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups/{slug}/milestones/{slug}/edit",
	 twinning_milestone_edit_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/groups/{slug}/milestones/{slug}/edit", twinning_milestone_update,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups/{slug}/reports/new", twinning_report_new_form,
	 ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/groups/{slug}/reports/new", twinning_report_create,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/groups/{slug}/reports/{slug}/edit", twinning_report_edit_form,
	 ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/groups/{slug}/reports/{slug}/edit", twinning_report_update,
	 ROUTE_LOGIN | ROUTE_CSRF},
	/* facilitators */
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/groups/new", twinning_group_new_form, ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/groups/new", twinning_group_create, ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/{lang}/manage/groups/{slug}/edit", twinning_group_edit_form,
	 ROUTE_LOGIN},
	{HTTP_POST, "/{lang}/manage/groups/{slug}/edit", twinning_group_update,
	 ROUTE_LOGIN | ROUTE_CSRF},
	{HTTP_GET | HTTP_HEAD, "/api/v1/groups", twinning_api_list, ROUTE_JSON},
	{HTTP_GET | HTTP_HEAD, "/api/v1/groups/{slug}", twinning_api_one, ROUTE_JSON},
};

const size_t twinning_n_routes = sizeof(twinning_routes) / sizeof(twinning_routes[0]);
