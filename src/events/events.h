/* events: the public event portal. This header is what other modules (and main) may
 * use: the event record, its store, import/export, demo, and the routes. */
#ifndef EVENTS_H
#define EVENTS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/core_arena.h"
#include "core/core_lang.h"
#include "db/db.h"
#include "http/http.h"

enum event_type {
	EVENT_WORKSHOP,
	EVENT_WEBINAR,
	EVENT_VIRTUAL_MEETING,
	EVENT_TRAINING,
	EVENT_CONFERENCE,
	EVENT_STUDY_VISIT,
	EVENT_TYPE_COUNT
};

enum participation { PART_OPEN, PART_REGISTRATION, PART_INVITATION, PART_COUNT };

/* "workshop", "webinar", "virtual-meeting", "training", "conference", "study-visit" */
const char *event_type_code(enum event_type t);
int event_type_from_code(const char *s);	/* -1 when unknown */
/* "open", "registration", "invitation" */
const char *participation_code(enum participation p);
int participation_from_code(const char *s);	/* -1 when unknown */

/* An organiser or a theme: a slug and a name per language (NULL where missing). */
struct named {
	const char *slug;
	const char *name[LANG_COUNT];
};

struct event_text {
	const char *title;		/* plain text; NULL: no text in this language */
	const char *context;		/* Markdown, may be NULL */
	const char **objectives;	/* Markdown items */
	size_t n_objectives;
	const char *participation;	/* Markdown, may be NULL */
};

struct event {
	int64_t id;
	const char *slug;		/* [a-z0-9-]{1,100}, stable */
	enum event_type type;
	int64_t starts, ends;		/* UTC seconds; ends >= starts */
	const char *timezone;		/* IANA id, e.g. "Asia/Beirut" */
	int is_virtual;
	const char *venue, *city;	/* when not virtual */
	const char *country;		/* ISO 3166-1 alpha-2, when not virtual */
	struct named organiser;
	enum participation participation;
	struct named *themes;
	size_t n_themes;
	int highlight;
	int published;			/* 0: a draft, seen only by staff */
	struct event_text text[LANG_COUNT];
	int64_t updated;		/* UTC seconds of the last change; also the version an
					 * edit form carries (it grows on every change) */
	const char *meeting_link;	/* http(s) URL of a virtual event, or NULL: only for
					 * staff and accepted participants, never public */
	int capacity;			/* places, 1..EVENTS_CAPACITY_MAX; 0: unlimited */
	int needs_approval;		/* registration events: a facilitator approves */
};

/* The limits of an event's fields (docs/import.md; the manage form says the same). */
#define EVENTS_SLUG_MAX 100		/* characters of a slug */
#define EVENTS_TITLE_MAX 300		/* characters of a title */
#define EVENTS_NAME_MAX 300		/* of a name, venue or city */
#define EVENTS_TEXT_MAX 20000		/* of a Markdown section */
#define EVENTS_OBJECTIVES_MAX 50	/* objectives per language */
#define EVENTS_OBJECTIVE_MAX 2000	/* characters of one objective */
#define EVENTS_THEMES_MAX 20		/* themes of an event */
#define EVENTS_LINK_MAX 2000		/* bytes of a meeting link */
#define EVENTS_CAPACITY_MAX 100000	/* places */

/* Which events a list wants. Zero values mean "no restriction", except type: set -1
 * for any type. */
struct event_query {
	int64_t from, to;		/* starts >= from, starts < to (0: open) */
	int type;			/* -1: any */
	int highlight_only;
	int when;			/* 0 all, 1 upcoming (ends >= now), -1 past */
	int64_t now;
	int newest_first;		/* order by starts descending */
	size_t offset, limit;		/* limit 0: 20 */
};

/* A participant's personal copy of an event's calendar entry. */
enum ics_partstat { ICS_NEEDS_ACTION, ICS_ACCEPTED, ICS_DECLINED, ICS_TENTATIVE };
struct ics_attendee {
	const char *organizer_name, *organizer_email;
	const char *name, *email;
	enum ics_partstat partstat;
	int sequence;			/* grows with each new copy sent */
};

/* The iCalendar text of e for one participant (METHOD:REQUEST, ORGANIZER, ATTENDEE with
 * PARTSTAT and RSVP, SEQUENCE), texts in l. Returns a malloc'ed string and its length
 * in *len, or NULL. */
char *events_ics_attendee(const struct event *e, enum lang l, const struct ics_attendee *att,
			  size_t *len);

/* Loads the published event with this slug, with every text, organiser and theme,
 * allocating in a. Returns 0, 1 when there is none, -1 on a database error. */
int events_get(struct db *db, struct arena *a, const char *slug, struct event *out);
/* The same for a published event or a draft: for staff pages only (the caller has
 * asked auth_can). 0, 1 (none), -1. */
int events_get_any(struct db *db, struct arena *a, const char *slug, struct event *out);

/* Loads a page of events matching q into *out (*n of them) and the number of all
 * matches into *total (may be NULL). Events carry every text. 0 or -1. */
int events_list(struct db *db, struct arena *a, const struct event_query *q,
		struct event **out, size_t *n, size_t *total);

/* The published events with these ids (at most 1000), in the order given, with their
 * texts and themes; missing ones are left out. 0 or -1. */
int events_by_ids(struct db *db, struct arena *a, const int64_t *ids, size_t n,
		  struct event **out, size_t *n_out);

/* The published events the accounts of municipality municipality_id took part in,
 * newest first (at most max, up to 1000), with their texts: an invitation accepted
 * (unless marked absent) or attended, or a registration confirmed (unless marked
 * absent) or attended. 0 or -1. */
int events_taken_part(struct db *db, struct arena *a, int64_t municipality_id, size_t max,
		      struct event **out, size_t *n);

/* Inserts or replaces (by slug) one event, upserting its organiser and themes by slug.
 * Runs inside the caller's transaction. 0 or -1 (with a reason in err). */
int events_save(struct db *db, const struct event *e, char *err, size_t errlen);

/* Number of events in the database, or -1. */
int64_t events_count(struct db *db);

/* Time of the most recent change to any event (for feeds and caches), or 0. */
int64_t events_last_updated(struct db *db);

/* JSON Lines (docs/import.md). Import reads every line of in, validates all of it, and
 * writes all of it in one transaction or nothing; a bad line is reported on errf as
 * "PATH:LINE: reason". Returns the number of events imported, or -1. */
long events_import(struct db *db, FILE *in, const char *path, FILE *errf);
/* Writes every event as one JSON line, ordered by slug. Returns count or -1. */
long events_export(struct db *db, FILE *out);

#define EVENTS_LINE_MAX (1024 * 1024)	/* bytes of one JSON Lines record */

/* Parses and validates one JSON Lines record into e (allocating in a). Returns 0, or
 * -1 with a reason in err. Shared by import and the tests. */
int events_parse_line(struct arena *a, const char *line, size_t len, struct event *e,
		      char *err, size_t errlen);
/* The JSON Lines record of e, malloc'ed, no newline; NULL when a string of e is not
 * valid UTF-8. */
char *events_to_json_line(const struct event *e);

/* Loads the demo network: the seed event first, then a deterministic generated
 * network, its accounts (network_demo_accounts) and the representatives of the twinning
 * groups at the training where the groups were formed; scale multiplies the generated
 * events. Shows progress on a terminal. Returns 0 or -1. */
int events_demo(struct db *db, int scale);

/* The module's routes (events_routes.c), for the server's route table. */
extern const struct route events_routes[];
extern const size_t events_n_routes;

#endif
