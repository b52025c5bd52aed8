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

/* Objectives are stored as a JSON array of Markdown strings: reads them into t
 * (allocated in a). 0, or -1 when the column holds anything else (logged as a bug). */
int events_read_objectives(struct arena *a, const char *json, struct event_text *t);

/* The name of an event type or participation mode in the calling thread's language. */
const char *events_type_label(enum event_type t);
const char *events_participation_label(enum participation p);

/* The text of e in l, or, when l has no title, the first language that has one;
 * *shown is set to the language actually used. */
const struct event_text *events_text_for(const struct event *e, enum lang l, enum lang *shown);
/* The name of a struct named in l with the same fallback; the slug when none. */
const char *events_name_for(const struct named *n, enum lang l);

/* Feeds walk every published event in start order, a batch at a time, without the
 * quadratic cost of OFFSET (events_feed.c). A zeroed cursor starts at the first. */
struct event_cursor {
	size_t seen;		/* events returned so far, plus the starting offset */
	int64_t last;		/* start of the last event returned */
	size_t same;		/* events returned that start at last */
};
int events_cursor_next(struct db *db, struct arena *a, struct event_cursor *c, size_t want,
		       struct event **ev, size_t *n);
/* Number of published events and the time of the last change, for ETags. 0 or -1. */
int events_feed_state(struct db *db, struct arena *a, size_t *total, int64_t *last);

#define FEED_MAX_AGE 300	/* seconds feeds and calendars may be cached */
#define ICS_BATCH 500		/* events per store call when walking them all */

/* iCalendar text of events (one VCALENDAR), with VTIMEZONE for each zone used. */
char *events_ics_build(const struct event *ev, size_t n, enum lang l, size_t *len);

#endif
