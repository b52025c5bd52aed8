/* events_internal: what the files of the events module share (not for other modules). */
#ifndef EVENTS_INTERNAL_H
#define EVENTS_INTERNAL_H
#include <jansson.h>

#include "events/events.h"
#include "http/http.h"

/* Pages (events_page.c). */
enum http_error events_home(struct request *req, struct response *res);
enum http_error events_list_page(struct request *req, struct response *res);
enum http_error events_page(struct request *req, struct response *res);

/* Feeds (events_feed.c): iCalendar (libical), Atom, sitemap, robots. */
enum http_error events_ics_one(struct request *req, struct response *res);
enum http_error events_ics_all(struct request *req, struct response *res);
enum http_error events_atom(struct request *req, struct response *res);
enum http_error events_sitemap(struct request *req, struct response *res);
enum http_error events_robots(struct request *req, struct response *res);

/* JSON API (events_api.c). */
enum http_error events_api_list(struct request *req, struct response *res);
enum http_error events_api_one(struct request *req, struct response *res);

/* The API's JSON object for one event, texts in l (with fallback). */
json_t *events_api_item(struct arena *a, const struct event *e, enum lang l);

/* Search (events_search_page.c): the page, the API, and the events list, which is the
 * same search without text. */
enum http_error events_search_page(struct request *req, struct response *res);
enum http_error events_api_search(struct request *req, struct response *res);

/* The text of e in l, or, when l has no title, the first language that has one;
 * *shown is set to the language actually used. */
const struct event_text *events_text_for(const struct event *e, enum lang l, enum lang *shown);
/* The name of a struct named in l with the same fallback; the slug when none. */
const char *events_name_for(const struct named *n, enum lang l);

/* iCalendar text of events (one VCALENDAR), with VTIMEZONE for each zone used. */
char *events_ics_build(const struct event *ev, size_t n, enum lang l, size_t *len);

#endif
