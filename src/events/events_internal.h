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

/* ---- The rules of an event's fields (events_check.c): one place for the JSON Lines
 * format and the manage form, which each word the problems for their readers. ---- */

/* 1 when s is a slug: [a-z0-9]+(-[a-z0-9]+)*, at most EVENTS_SLUG_MAX characters. */
int events_slug_valid(const char *s);
/* 1 when s is an assigned ISO 3166-1 alpha-2 code in capitals ("JO"). */
int events_country_valid(const char *s);
/* 1 when s is a meeting link: an http or https URL with a host (no user name or
 * password), only characters RFC 3986 allows, at most EVENTS_LINK_MAX bytes. */
int events_link_valid(const char *s);

/* Plain text is one line (titles, names); Markdown may hold newlines and tabs. */
enum events_text_kind { EVENTS_PLAIN, EVENTS_MARKDOWN };
enum events_text_check { TEXT_OK, TEXT_EMPTY, TEXT_CONTROL, TEXT_TOO_LONG };
/* Checks the len bytes at s (valid UTF-8): not only blanks, no control character
 * (C0, DEL, C1; Markdown may hold newlines and tabs), at most max characters. On
 * TEXT_OK, *out is a copy in a, with "\r\n" made "\n" in Markdown. */
enum events_text_check events_check_text(struct arena *a, const char *s, size_t len,
					 enum events_text_kind kind, size_t max,
					 const char **out);

/* Rules across fields, as bits. */
enum events_rule {
	RULE_ENDS_BEFORE_STARTS = 1,
	RULE_VIRTUAL_WITH_PLACE = 2,		/* a virtual event has no venue, city, country */
	RULE_NO_CITY = 4,			/* an event in person needs a city */
	RULE_NO_COUNTRY = 8,			/* and a country */
	RULE_LINK_IN_PERSON = 16,		/* a meeting link only for a virtual event */
	RULE_APPROVAL_NOT_REGISTRATION = 32,	/* only registration events need approval */
	RULE_NO_TITLE = 64,			/* no language has a title */
};
/* The rules e breaks (0: none). */
unsigned events_rules_broken(const struct event *e);

/* ---- Staff pages (events_manage.c, events_manage_form.c, events_audit.c) ---- */

/* Every event, drafts too, newest first (by start), a page at a time, with texts
 * and themes; *total counts them all. 0 or -1. */
int events_list_all(struct db *db, struct arena *a, size_t offset, size_t limit,
		    struct event **out, size_t *n, size_t *total);
/* Every organiser or theme, by slug, with its names (in a). 0 or -1. */
int events_organisers(struct db *db, struct arena *a, struct named **out, size_t *n);
int events_themes(struct db *db, struct arena *a, struct named **out, size_t *n);

/* The version (updated) of an event changed now: the time, and always more than
 * before, so that two changes within a second still differ. */
int64_t events_next_version(int64_t before);

/* The page=N parameter of a staff list (1..10000; 1 when absent), 0 when malformed. */
size_t events_manage_page(struct request *req);

enum http_error events_manage_list(struct request *req, struct response *res);
enum http_error events_manage_new_form(struct request *req, struct response *res);
enum http_error events_manage_create(struct request *req, struct response *res);
enum http_error events_manage_edit_form(struct request *req, struct response *res);
enum http_error events_manage_update(struct request *req, struct response *res);
enum http_error events_manage_publish(struct request *req, struct response *res);
enum http_error events_manage_unpublish(struct request *req, struct response *res);
enum http_error events_manage_highlight(struct request *req, struct response *res);
enum http_error events_manage_unhighlight(struct request *req, struct response *res);
enum http_error events_audit_page(struct request *req, struct response *res);

/* The audit log (events_audit.c). */
struct audit_entry {
	int64_t id, at;
	int64_t user_id;		/* 0: none (deleted account, command line) */
	const char *user_name;		/* NULL when none */
	const char *action;		/* "event.update" */
	const char *object_kind;	/* "event" */
	int64_t object_id;
	const char *object_slug;
	const char *summary;		/* JSON object {"field": {"from":..,"to":..}} */
};

/* The changes from before (NULL: nothing, a new event) to after as the audit log's
 * JSON summary, {"field": {"from": x, "to": y}} for each field that differs; long
 * texts shortened; the meeting link only as {"changed": true}. A new reference. */
json_t *events_audit_diff(const struct event *before, const struct event *after);
/* Appends one row about the event slug (saved already) to the audit log, inside the
 * caller's transaction: at now, by user_id (0: none). summary is borrowed (NULL:
 * {}). 0 or -1. */
int events_audit_add(struct db *db, int64_t user_id, const char *action, const char *slug,
		     json_t *summary);
/* A page of the log, newest first; slug (NULL: all) keeps one event's rows. *total
 * counts the matching rows. 0 or -1. */
int events_audit_list(struct db *db, struct arena *a, const char *slug, size_t offset,
		      size_t limit, struct audit_entry **out, size_t *n, size_t *total);

#endif
