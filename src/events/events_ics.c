/* events_ics: iCalendar files of events (RFC 5545 through libical), one or all. */
#include <libical/ical.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_md.h"

#define ICS_PRODID		"-//tawama//events//EN"
#define ICS_DESC_CHARS		2000	/* DESCRIPTION of a single event or small calendar */
#define ICS_ITEM_CHARS		300	/* one objective inside a DESCRIPTION */
#define ICS_MAX_OBJECTIVES	20

/*
 * How much DESCRIPTION /calendar.ics can afford. The response body is bounded (the
 * http layer's limit, 64 MiB). Measured on the seed event: a VEVENT is about 650
 * bytes without DESCRIPTION, 1.1 kB with 200 characters of it, 5 kB with 2000.
 * Large calendars keep the title, times, place and link and drop the prose, which
 * the URL leads to anyway.
 */
static const struct {
	size_t max_events;
	size_t desc_chars;
} ics_tiers[] = {
	{5000, ICS_DESC_CHARS},
	{30000, 200},
	{SIZE_MAX, 0},
};

/*
 * libical keeps its built-in zones in process-wide tables that it loads and expands
 * lazily; every use of them in tawama goes through this lock (only this file calls
 * libical), so concurrent requests never race on a half-loaded zone.
 */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

/* A zone used by the VEVENTs of a calendar, and the earliest instant written in it
 * (its VTIMEZONE is truncated to start there). */
struct ics_zone {
	char tzid[64];
	int64_t first;
};

/* Builds one VCALENDAR into out: VEVENTs are appended as they come, the calendar's
 * head and VTIMEZONEs are inserted in front of them at the end. */
struct ics_writer {
	struct buf *out;
	size_t start;			/* offset in out where this calendar begins */
	enum lang lang;
	size_t desc_chars;		/* 0: no DESCRIPTION */
	char host[256];			/* of the base URL, for UIDs */
	struct ics_zone *zones;
	size_t n_zones, cap_zones;
	const struct ics_attendee *att;	/* a personal copy for one participant, or NULL */
};

/* The host of a URL ("https://h.example:8080/x" gives "h.example"), bounded. */
static void
url_host(const char *url, char *out, size_t outlen)
{
	const char *p = strstr(url, "://");
	p = p != NULL ? p + 3 : url;
	const char *at = strchr(p, '@');
	const char *slash = p + strcspn(p, "/?#");
	if (at != NULL && at < slash)
		p = at + 1;
	size_t n;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(slash - p));
		n = close != NULL ? (size_t)(close - p) + 1 : (size_t)(slash - p);
	} else {
		n = strcspn(p, ":/?#");
	}
	if (n == 0) {
		p = "localhost";
		n = strlen(p);
	}
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The local wall time of instant t in the IANA zone tzid, with *zoned = 1; or the
 * UTC time with *zoned = 0 when the zone is UTC or unknown to libical. */
static struct icaltimetype
ics_local_time(const char *tzid, int64_t t, int *zoned)
{
	struct icaltimetype tt;

	pthread_mutex_lock(&tz_lock);
	icaltimezone *utc = icaltimezone_get_utc_timezone();	/* may load the tables */
	icaltimezone *z = tzid != NULL ? icaltimezone_get_builtin_timezone(tzid) : NULL;
	if (z != NULL && z != utc && icaltimezone_get_component(z) != NULL) {
		tt = icaltime_from_timet_with_zone((time_t)t, 0, z);
		tt.zone = NULL;	/* written as local time with a TZID parameter */
		*zoned = 1;
	} else {
		tt = icaltime_from_timet_with_zone((time_t)t, 0, utc);
		*zoned = 0;
	}
	pthread_mutex_unlock(&tz_lock);
	return tt;
}

/* Instant t in UTC. Takes tz_lock: the first use of the UTC zone loads libical's
 * shared zone tables, which must not race with a lookup in another thread. */
static struct icaltimetype
ics_utc_time(int64_t t)
{
	pthread_mutex_lock(&tz_lock);
	struct icaltimetype tt =
		icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	pthread_mutex_unlock(&tz_lock);
	return tt;
}

/* Records that the calendar uses zone tzid from instant t on. 0 or -1. */
static int
ics_use_zone(struct ics_writer *w, const char *tzid, int64_t t)
{
	for (size_t i = 0; i < w->n_zones; i++) {
		if (strcmp(w->zones[i].tzid, tzid) == 0) {
			if (t < w->zones[i].first)
				w->zones[i].first = t;
			return 0;
		}
	}
	if (strlen(tzid) >= sizeof(w->zones[0].tzid))
		return -1;
	if (w->n_zones == w->cap_zones) {
		size_t cap = w->cap_zones ? 2 * w->cap_zones : 8;
		struct ics_zone *z = realloc(w->zones, cap * sizeof(*z));
		if (z == NULL)
			die("out of memory");
		w->zones = z;
		w->cap_zones = cap;
	}
	struct ics_zone *z = &w->zones[w->n_zones++];
	memcpy(z->tzid, tzid, strlen(tzid) + 1);
	z->first = t;
	return 0;
}

/* Adds DTSTART or DTEND (kind) for instant t in the event's zone. */
static int
ics_add_time(struct ics_writer *w, icalcomponent *ev, icalproperty_kind kind,
	     const char *tzid, int64_t t)
{
	int zoned;
	struct icaltimetype tt = ics_local_time(tzid, t, &zoned);
	icalproperty *p = kind == ICAL_DTSTART_PROPERTY ? icalproperty_new_dtstart(tt)
							: icalproperty_new_dtend(tt);
	if (p == NULL)
		return -1;
	if (zoned) {
		icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
		if (ics_use_zone(w, tzid, t) < 0) {
			icalproperty_free(p);
			return -1;
		}
	}
	icalcomponent_add_property(ev, p);
	return 0;
}

/* 1 when d holds fewer than max characters: more text may follow. */
static int
has_room(const struct buf *d, size_t max)
{
	return d->len == 0 || utf8_length(d->data, d->len) < max;
}

/* The DESCRIPTION: context, objectives and participation as plain text, at most
 * max_chars characters ("…" when cut). NULL when there is nothing to say. */
static const char *
ics_description(struct arena *a, const struct event_text *tx, size_t max_chars)
{
	struct buf d = BUF_INIT;
	const char *out = NULL;

	buf_puts(&d, md_plain(a, tx->context, max_chars));
	if (tx->n_objectives > 0 && has_room(&d, max_chars)) {
		buf_puts(&d, d.len > 0 ? "\n\n" : "");
		buf_puts(&d, _("Objectives"));
		for (size_t i = 0; i < tx->n_objectives && i < ICS_MAX_OBJECTIVES; i++) {
			buf_puts(&d, "\n- ");
			buf_puts(&d, md_plain(a, tx->objectives[i], ICS_ITEM_CHARS));
		}
	}
	const char *part = md_plain(a, tx->participation, max_chars);
	if (*part != '\0' && has_room(&d, max_chars)) {
		buf_puts(&d, d.len > 0 ? "\n\n" : "");
		buf_puts(&d, _("Participation"));
		buf_putc(&d, '\n');
		buf_puts(&d, part);
	}
	if (d.failed || d.len == 0)
		goto done;
	if (utf8_length(d.data, d.len) > max_chars) {
		size_t keep = utf8_prefix(d.data, d.len, max_chars - 1);
		out = arena_printf(a, "%.*s…", (int)keep, d.data);
	} else {
		out = arena_strdup(a, d.data);
	}
done:
	buf_free(&d);
	return out;
}

/* "Virtual" in the thread's language, or venue, city, country name. */
static const char *
ics_location(struct arena *a, const struct event *e, enum lang l)
{
	if (e->is_virtual)
		return _("Virtual");
	const char *country = NULL;
	if (e->country != NULL) {
		country = i18n_country_name(a, l, e->country);
		if (country == NULL)
			country = e->country;
	}
	const char *parts[] = {e->venue, e->city, country};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, parts[i]);
	}
	const char *out = b.len > 0 && !b.failed ? arena_strdup(a, b.data) : NULL;
	buf_free(&b);
	return out;
}

/*
 * Appends one content line "name:text" with text escaped as an RFC 5545 TEXT value
 * and folded at 75 octets between characters. For the properties libical leaves
 * unescaped: CATEGORIES (it takes commas as list separators, so a theme named
 * "Economy, jobs" would come back as two) and X- properties.
 */
static void
put_text_line(struct buf *b, const char *name, const char *text)
{
	static const char *const escapes[128] = {
		['\\'] = "\\\\", [';'] = "\\;", [','] = "\\,", ['\n'] = "\\n",
	};
	struct buf line = BUF_INIT;
	buf_printf(&line, "%s:", name);
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p < 128 && escapes[*p] != NULL)
			buf_puts(&line, escapes[*p]);
		else if (*p >= 0x20 || *p == '\t')
			buf_putc(&line, (char)*p);
		/* other controls are not allowed in TEXT: dropped */
	}
	if (line.failed) {
		b->failed = 1;
		goto done;
	}
	size_t width = 75;
	for (size_t i = 0; i < line.len;) {
		size_t n = line.len - i;
		if (n > width) {
			n = width;
			while (n > 1 && ((unsigned char)line.data[i + n] & 0xC0) == 0x80)
				n--;	/* never inside a UTF-8 sequence */
		}
		buf_append(b, line.data + i, n);
		buf_puts(b, "\r\n");
		i += n;
		if (i < line.len)
			buf_putc(b, ' ');
		width = 74;	/* after the leading space of a continuation */
	}
done:
	buf_free(&line);
}

/* Adds a text property with a LANGUAGE parameter. */
static void
ics_add_text(icalcomponent *ev, icalproperty *p, const char *lang)
{
	if (p == NULL)
		return;
	if (lang != NULL)
		icalproperty_add_parameter(p, icalparameter_new_language(lang));
	icalcomponent_add_property(ev, p);
}

/* ORGANIZER, ATTENDEE (with PARTSTAT) and SEQUENCE of a personal copy. 0 or -1. */
static int
ics_add_attendee(icalcomponent *ev, struct arena *a, const struct ics_attendee *att)
{
	icalproperty *org = icalproperty_new_organizer(arena_printf(a, "mailto:%s",
								     att->organizer_email));
	icalproperty *who = icalproperty_new_attendee(arena_printf(a, "mailto:%s", att->email));
	if (org == NULL || who == NULL) {
		if (org != NULL)
			icalproperty_free(org);
		if (who != NULL)
			icalproperty_free(who);
		return -1;
	}
	if (att->organizer_name != NULL && *att->organizer_name)
		icalproperty_add_parameter(org, icalparameter_new_cn(att->organizer_name));
	if (att->name != NULL && *att->name)
		icalproperty_add_parameter(who, icalparameter_new_cn(att->name));
	icalproperty_add_parameter(who, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	static const icalparameter_partstat partstats[] = {
		[ICS_NEEDS_ACTION] = ICAL_PARTSTAT_NEEDSACTION,
		[ICS_ACCEPTED] = ICAL_PARTSTAT_ACCEPTED,
		[ICS_DECLINED] = ICAL_PARTSTAT_DECLINED,
		[ICS_TENTATIVE] = ICAL_PARTSTAT_TENTATIVE,
	};
	icalproperty_add_parameter(who, icalparameter_new_partstat(partstats[att->partstat & 3]));
	icalproperty_add_parameter(who, icalparameter_new_rsvp(
		att->partstat == ICS_NEEDS_ACTION ? ICAL_RSVP_TRUE : ICAL_RSVP_FALSE));
	icalcomponent_add_property(ev, org);
	icalcomponent_add_property(ev, who);
	icalcomponent_add_property(ev, icalproperty_new_sequence(att->sequence));
	return 0;
}

/* Writes one VEVENT of e into the calendar. Scratch memory comes from a. 0 or -1. */
static int
ics_add_event(struct ics_writer *w, struct arena *a, const struct event *e)
{
	enum lang shown;
	const struct event_text *tx = events_text_for(e, w->lang, &shown);
	const char *title = tx->title != NULL ? tx->title : e->slug;
	const char *url = arena_printf(a, "%s/%s/events/%s", config_base_url(),
				       lang_code(w->lang), e->slug);
	int64_t stamp = e->updated > 0 ? e->updated : e->starts;
	int rc = -1;

	icalcomponent *ev = icalcomponent_new_vevent();
	if (ev == NULL)
		return -1;
	icalcomponent_add_property(ev, icalproperty_new_uid(
		arena_printf(a, "%s@%s", e->slug, w->host)));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(ics_utc_time(stamp)));
	if (ics_add_time(w, ev, ICAL_DTSTART_PROPERTY, e->timezone, e->starts) < 0)
		goto fail;
	/* DTEND must be later than DTSTART: an instant has none */
	if (e->ends > e->starts &&
	    ics_add_time(w, ev, ICAL_DTEND_PROPERTY, e->timezone, e->ends) < 0)
		goto fail;
	ics_add_text(ev, icalproperty_new_summary(title), lang_code(shown));
	if (w->desc_chars > 0) {
		const char *desc = ics_description(a, tx, w->desc_chars);
		if (desc != NULL)
			ics_add_text(ev, icalproperty_new_description(desc), lang_code(shown));
	}
	const char *where = ics_location(a, e, w->lang);
	if (where != NULL)
		ics_add_text(ev, icalproperty_new_location(where), NULL);
	icalcomponent_add_property(ev, icalproperty_new_url(url));
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(ics_utc_time(stamp)));
	if (w->att != NULL && ics_add_attendee(ev, a, w->att) < 0)
		goto fail;

	char *s = icalcomponent_as_ical_string_r(ev);
	static const char end[] = "END:VEVENT\r\n";
	size_t len = s != NULL ? strlen(s) : 0;
	if (len < sizeof(end) - 1 || strcmp(s + len - (sizeof(end) - 1), end) != 0) {
		BUG("libical wrote no END:VEVENT");
		icalmemory_free_buffer(s);
		goto fail;
	}
	/* the categories go in before END:VEVENT, written by put_text_line */
	buf_append(w->out, s, len - (sizeof(end) - 1));
	icalmemory_free_buffer(s);
	for (size_t i = 0; i < e->n_themes; i++)
		put_text_line(w->out, "CATEGORIES", events_name_for(&e->themes[i], w->lang));
	buf_puts(w->out, end);
	rc = w->out->failed ? -1 : 0;
fail:
	icalcomponent_free(ev);
	return rc;
}

static void
ics_begin(struct ics_writer *w, struct buf *out, enum lang l, size_t desc_chars)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->start = out->len;
	w->lang = l;
	w->desc_chars = desc_chars;
	url_host(config_base_url(), w->host, sizeof(w->host));
}

static void
ics_writer_free(struct ics_writer *w)
{
	free(w->zones);
	w->zones = NULL;
	w->n_zones = w->cap_zones = 0;
}

static void
put_property(struct buf *b, icalproperty *p)
{
	if (p == NULL) {
		b->failed = 1;
		return;
	}
	char *s = icalproperty_as_ical_string_r(p);
	if (s == NULL)
		b->failed = 1;
	else
		buf_puts(b, s);
	icalmemory_free_buffer(s);
	icalproperty_free(p);
}

/* Appends the VTIMEZONE of zone z, truncated to the instants the calendar uses. */
static void
put_vtimezone(struct buf *b, const struct ics_zone *z)
{
	icalcomponent *vtz = NULL;
	struct icaltimetype from = ics_utc_time(z->first);

	pthread_mutex_lock(&tz_lock);
	icaltimezone *tz = icaltimezone_get_builtin_timezone(z->tzid);
	icalcomponent *comp = tz != NULL ? icaltimezone_get_component(tz) : NULL;
	if (comp != NULL) {
		vtz = icalcomponent_new_clone(comp);
		icaltimezone_truncate_vtimezone(vtz, from, icaltime_null_time(), 0);
	}
	pthread_mutex_unlock(&tz_lock);
	if (vtz == NULL) {
		BUG("time zone %s vanished from libical", z->tzid);
		b->failed = 1;
		return;
	}
	/* libical names its zones "/freeassociation.sourceforge.net/Asia/Beirut"; the
	 * events refer to them by their IANA id, which calendar clients recognise */
	icalproperty *id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (id != NULL)
		icalproperty_set_tzid(id, z->tzid);
	char *s = icalcomponent_as_ical_string_r(vtz);
	if (s == NULL)
		b->failed = 1;
	else
		buf_puts(b, s);
	icalmemory_free_buffer(s);
	icalcomponent_free(vtz);
}

/* Completes the calendar: its head (properties and VTIMEZONEs) goes in front of the
 * VEVENTs written so far, END:VCALENDAR after them. 0 or -1. */
static int
ics_finish(struct ics_writer *w)
{
	struct buf head = BUF_INIT;
	int rc = -1;

	buf_puts(&head, "BEGIN:VCALENDAR\r\n");
	put_property(&head, icalproperty_new_prodid(ICS_PRODID));
	put_property(&head, icalproperty_new_version("2.0"));
	put_property(&head, icalproperty_new_calscale("GREGORIAN"));
	put_property(&head, icalproperty_new_method(w->att != NULL ? ICAL_METHOD_REQUEST
								   : ICAL_METHOD_PUBLISH));
	struct buf title = BUF_INIT;
	buf_printf(&title, "%s — %s", config_site_name(), _("Events"));
	put_text_line(&head, "X-WR-CALNAME", buf_cstr(&title));
	buf_free(&title);
	for (size_t i = 0; i < w->n_zones; i++)
		put_vtimezone(&head, &w->zones[i]);
	if (head.failed || w->out->failed)
		goto fail;

	/* insert head at w->start: grow by its size, shift the VEVENTs, copy it in */
	struct buf *b = w->out;
	size_t tail = b->len - w->start;
	buf_append(b, head.data, head.len);
	if (b->failed)
		goto fail;
	memmove(b->data + w->start + head.len, b->data + w->start, tail);
	memcpy(b->data + w->start, head.data, head.len);
	buf_puts(b, "END:VCALENDAR\r\n");
	rc = b->failed ? -1 : 0;
fail:
	buf_free(&head);
	return rc;
}

/*
 * The iCalendar text (RFC 5545) of n events in language l: one VCALENDAR with a
 * VEVENT per event and a VTIMEZONE for each zone used. Returns a malloc'ed string
 * (the caller frees it) and its length in *len (may be NULL), or NULL on failure.
 * Scratch memory is its own; the thread's gettext locale names "Virtual" etc.
 */
char *
events_ics_build(const struct event *ev, size_t n, enum lang l, size_t *len)
{
	struct buf out = BUF_INIT;
	struct ics_writer w;
	struct arena *a = arena_new();
	char *s = NULL;

	ics_begin(&w, &out, l, ICS_DESC_CHARS);
	for (size_t i = 0; i < n; i++)
		if (ics_add_event(&w, a, &ev[i]) < 0)
			goto fail;
	if (ics_finish(&w) < 0)
		goto fail;
	s = buf_detach(&out, len);
fail:
	ics_writer_free(&w);
	buf_free(&out);
	arena_free(a);
	return s;
}

char *
events_ics_attendee(const struct event *e, enum lang l, const struct ics_attendee *att,
		    size_t *len)
{
	struct buf out = BUF_INIT;
	struct ics_writer w;
	struct arena *a = arena_new();
	char *s = NULL;

	ics_begin(&w, &out, l, ICS_DESC_CHARS);
	w.att = att;
	if (ics_add_event(&w, a, e) == 0 && ics_finish(&w) == 0)
		s = buf_detach(&out, len);
	ics_writer_free(&w);
	buf_free(&out);
	arena_free(a);
	return s;
}

/* GET /{lang}/events/{slug}.ics : one event as a calendar file to add. */
enum http_error
events_ics_one(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct event e;
	struct ics_writer w;

	if (db == NULL || req->n_captures < 2)
		return HTTP_ERR_INTERNAL;
	int rc = events_get(db, req->arena, req->captures[1], &e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	ics_begin(&w, &res->body, req->lang, ICS_DESC_CHARS);
	rc = ics_add_event(&w, req->arena, &e);
	if (rc == 0)
		rc = ics_finish(&w);
	ics_writer_free(&w);
	if (rc < 0) {
		buf_reset(&res->body);
		return HTTP_ERR_INTERNAL;
	}
	res->content_type = "text/calendar; charset=utf-8";
	res->compressible = 1;
	res->max_age = FEED_MAX_AGE;
	res->etag = arena_printf(req->arena, "\"ics-%s-%s-%lld\"", lang_code(req->lang), e.slug,
				 (long long)e.updated);
	http_add_header(res, "Content-Disposition",
			arena_printf(req->arena, "attachment; filename=\"%s.ics\"", e.slug));
	return HTTP_OK;
}

/* GET /calendar.ics?lang=xx : every published event, for calendar subscriptions.
 * Events are read ICS_BATCH at a time into a scratch arena freed after each batch,
 * so memory holds the calendar text and one batch, never every event record. */
enum http_error
events_ics_all(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const char *lp = http_query_get(req, "lang");
	enum lang l = LANG_EN;
	size_t total, desc_chars = 0;
	int64_t last;
	struct ics_writer w;
	int rc = -1;

	if (lp != NULL && (l = lang_from_code(lp)) == LANG_NONE)
		return HTTP_ERR_BAD_PARAM;
	if (db == NULL || events_feed_state(db, req->arena, &total, &last) < 0)
		return HTTP_ERR_INTERNAL;
	const char *etag = arena_printf(req->arena, "\"cal-%s-%zu-%lld\"", lang_code(l), total,
					(long long)last);
	res->content_type = "text/calendar; charset=utf-8";
	res->compressible = 1;
	res->max_age = FEED_MAX_AGE;
	res->etag = etag;
	if (http_etag_matches(req, etag))
		return HTTP_OK;
	if (l != req->lang)
		i18n_use(l);
	for (size_t i = 0; i < sizeof(ics_tiers) / sizeof(ics_tiers[0]); i++) {
		if (total <= ics_tiers[i].max_events) {
			desc_chars = ics_tiers[i].desc_chars;
			break;
		}
	}

	ics_begin(&w, &res->body, l, desc_chars);
	struct event_cursor cur = {0};
	for (;;) {
		struct arena *a = arena_new();
		struct event *ev;
		size_t n;
		int batch = events_cursor_next(db, a, &cur, ICS_BATCH, &ev, &n);
		for (size_t i = 0; batch == 0 && i < n; i++)
			if (ev[i].published && ics_add_event(&w, a, &ev[i]) < 0)
				batch = -1;
		arena_free(a);
		if (batch < 0)
			goto fail;
		/* a store that caps the page size still gets asked until total is reached */
		if (n == 0 || (n < ICS_BATCH && cur.seen >= total))
			break;
	}
	rc = ics_finish(&w);
fail:
	ics_writer_free(&w);
	if (l != req->lang)
		i18n_use(req->lang);
	if (rc < 0) {
		if (res->body.failed)
			log_error("calendar.ics: %zu events exceed the response limit", total);
		buf_reset(&res->body);
		res->etag = NULL;
		return HTTP_ERR_INTERNAL;
	}
	return HTTP_OK;
}
