/* events_feed: the Atom feed, the sitemap, robots.txt, and what the feeds share (a
 * cursor over every event, ETag checks). */
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

#define ATOM_ENTRIES		50
#define ATOM_SUMMARY_CHARS	300
#define SITEMAP_MAX_URLS	50000	/* sitemaps.org limit per file */
#define SITEMAP_FIXED_URLS	(2 * LANG_COUNT)	/* home and list, per language */
/* Events per sitemap file: each gives one URL per language. */
#define SITEMAP_EVENTS		((SITEMAP_MAX_URLS - SITEMAP_FIXED_URLS) / LANG_COUNT / 1000 * 1000)
#define SITEMAP_MAX_AGE		3600
#define ROBOTS_MAX_AGE		86400

/*
 * Walks the published events in start order, a batch at a time. A plain OFFSET makes
 * the database step over every earlier row again for each batch (quadratic: minutes
 * for 100,000 events); instead each batch starts at the last start time seen and
 * skips only the events already seen at that instant. This relies on the store's
 * order being total and stable (starts, then id). The first batch, and the
 * epoch's own instant (a "from" of 0 means no bound), use a plain offset.
 */
int
events_cursor_next(struct db *db, struct arena *a, struct event_cursor *c, size_t want,
	    struct event **ev, size_t *n)
{
	struct event_query q = {.type = -1, .limit = want, .offset = c->seen};
	if (c->same > 0 && c->last != 0) {
		q.from = c->last;
		q.offset = c->same;
	}
	if (events_list(db, a, &q, ev, n, NULL) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		if (c->same > 0 && (*ev)[i].starts == c->last) {
			c->same++;
		} else {
			c->last = (*ev)[i].starts;
			c->same = 1;
		}
	}
	c->seen += *n;
	return 0;
}

/* Number of published events and the time of the last change, for ETags. 0 or -1. */
int
events_feed_state(struct db *db, struct arena *a, size_t *total, int64_t *last)
{
	struct event_query q = {.type = -1, .limit = 1};
	struct event *ev;
	size_t n;
	if (events_list(db, a, &q, &ev, &n, total) < 0)
		return -1;
	*last = events_last_updated(db);
	return 0;
}

/* Text for XML content and attribute values: & < > " ' escaped, and the C0 controls
 * XML 1.0 forbids (all but tab, LF, CR) dropped. */
static void
xml_escape(struct buf *b, const char *s)
{
	static const char *const entities[128] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	if (s == NULL)
		return;
	const unsigned char *run = (const unsigned char *)s, *p;
	for (p = run; *p != '\0'; p++) {
		const char *rep;
		if (*p < 128 && entities[*p] != NULL)
			rep = entities[*p];
		else if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			rep = "";
		else
			continue;
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, rep);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
}

/* <name>text</name> */
static void
xml_element(struct buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_escape(b, text);
	buf_printf(b, "</%s>\n", name);
}

static void
xml_time(struct buf *b, const char *name, int64_t t)
{
	char ts[32];
	time_format_rfc3339(t, ts);
	buf_printf(b, "<%s>%s</%s>\n", name, ts, name);
}

/* GET /{lang}/feed.atom : the newest events as an Atom feed (RFC 4287). */
enum http_error
events_atom(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	enum lang l = req->lang;
	const char *base = config_base_url();
	const char *lc = lang_code(l);
	struct event *ev;
	size_t total, n;
	int64_t last;

	if (db == NULL || events_feed_state(db, req->arena, &total, &last) < 0)
		return HTTP_ERR_INTERNAL;
	res->etag = arena_printf(req->arena, "\"atom-%s-%zu-%lld\"", lc, total, (long long)last);
	res->content_type = "application/atom+xml; charset=utf-8";
	res->compressible = 1;
	res->max_age = FEED_MAX_AGE;
	if (http_etag_matches(req, res->etag))
		return HTTP_OK;
	struct event_query q = {.type = -1, .newest_first = 1, .limit = ATOM_ENTRIES};
	if (events_list(db, req->arena, &q, &ev, &n, NULL) < 0) {
		res->etag = NULL;
		return HTTP_ERR_INTERNAL;
	}

	struct buf *b = &res->body;
	const char *self = arena_printf(req->arena, "%s/%s/feed.atom", base, lc);
	const char *alt = arena_printf(req->arena, "%s/%s/events", base, lc);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	buf_printf(b, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n", lc);
	xml_element(b, "id", self);
	buf_puts(b, "<title>");
	xml_escape(b, config_site_name());
	buf_puts(b, " — ");
	xml_escape(b, _("Events"));
	buf_puts(b, "</title>\n");
	xml_time(b, "updated", last);
	buf_puts(b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_escape(b, self);
	buf_puts(b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_escape(b, alt);
	buf_puts(b, "\"/>\n<generator>tawama</generator>\n");

	for (size_t i = 0; i < n; i++) {
		const struct event *e = &ev[i];
		enum lang shown;
		const struct event_text *tx = events_text_for(e, l, &shown);
		const char *url = arena_printf(req->arena, "%s/%s/events/%s", base, lc, e->slug);
		const char *organiser = events_name_for(&e->organiser, l);
		int64_t updated = e->updated > 0 ? e->updated : e->starts;

		if (shown != l)
			buf_printf(b, "<entry xml:lang=\"%s\">\n", lang_code(shown));
		else
			buf_puts(b, "<entry>\n");
		xml_element(b, "id", url);
		xml_element(b, "title", tx->title != NULL ? tx->title : e->slug);
		xml_time(b, "updated", updated);
		/* the store keeps no creation time: the first version is the last change */
		xml_time(b, "published", updated);
		buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		xml_escape(b, url);
		buf_puts(b, "\"/>\n<author>\n");
		xml_element(b, "name", *organiser != '\0' ? organiser : config_site_name());
		buf_puts(b, "</author>\n");
		for (size_t t = 0; t < e->n_themes; t++) {
			buf_puts(b, "<category term=\"");
			xml_escape(b, e->themes[t].slug);
			buf_puts(b, "\" label=\"");
			xml_escape(b, events_name_for(&e->themes[t], l));
			buf_puts(b, "\"/>\n");
		}
		const char *summary = md_plain(req->arena, tx->context, ATOM_SUMMARY_CHARS);
		if (summary != NULL && *summary != '\0')
			xml_element(b, "summary", summary);
		buf_puts(b, "</entry>\n");
	}
	buf_puts(b, "</feed>\n");
	if (b->failed) {
		buf_reset(b);
		res->etag = NULL;
		return HTTP_ERR_INTERNAL;
	}
	return HTTP_OK;
}

/* One <url> of the sitemap: the page at path (after "/{lang}") in every language,
 * each naming the others as alternates. */
static void
sitemap_url(struct buf *b, const char *base, const char *path, int64_t lastmod)
{
	char ts[32];
	time_format_rfc3339(lastmod, ts);
	for (int l = 0; l < LANG_COUNT; l++) {
		buf_puts(b, "<url><loc>");
		xml_escape(b, base);
		buf_printf(b, "/%s%s</loc>", lang_code((enum lang)l), path);
		if (lastmod > 0)
			buf_printf(b, "<lastmod>%s</lastmod>", ts);
		for (int k = 0; k <= LANG_COUNT; k++) {
			/* x-default: the English page */
			const char *hl = k < LANG_COUNT ? lang_code((enum lang)k) : "x-default";
			const char *code = k < LANG_COUNT ? hl : lang_code(LANG_EN);
			buf_printf(b, "<xhtml:link rel=\"alternate\" hreflang=\"%s\" href=\"", hl);
			xml_escape(b, base);
			buf_printf(b, "/%s%s\"/>", code, path);
		}
		buf_puts(b, "</url>\n");
	}
}

/* The page number of /sitemaps/{n}.xml: 1..max, or 0 when not a plain number. */
static size_t
sitemap_page_number(const char *s, size_t max)
{
	size_t v = 0;
	if (s == NULL || *s == '\0' || *s == '0' || strlen(s) > 6)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (size_t)(*s - '0');
	}
	return v <= max ? v : 0;
}

/*
 * GET /sitemap.xml : every public page in every language, with hreflang alternates.
 * Up to SITEMAP_EVENTS events it is the sitemap itself; beyond, a sitemap index of
 * /sitemaps/1.xml ... /sitemaps/N.xml, which the same handler serves (the route
 * captures N), each within the 50,000 URL limit.
 */
enum http_error
events_sitemap(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	const char *base = config_base_url();
	size_t total;
	int64_t last;

	if (db == NULL || events_feed_state(db, req->arena, &total, &last) < 0)
		return HTTP_ERR_INTERNAL;
	size_t pages = total == 0 ? 1 : (total + SITEMAP_EVENTS - 1) / SITEMAP_EVENTS;
	size_t page = 1;
	int is_index = 0;
	if (req->n_captures > 0) {
		page = sitemap_page_number(req->captures[0], pages);
		if (page == 0)
			return HTTP_ERR_NOT_FOUND;
	} else {
		is_index = pages > 1;
	}
	res->content_type = "application/xml; charset=utf-8";
	res->compressible = 1;
	res->max_age = SITEMAP_MAX_AGE;
	res->etag = arena_printf(req->arena, "\"sm-%s%zu-%zu-%lld\"", is_index ? "i" : "",
				 page, total, (long long)last);
	if (http_etag_matches(req, res->etag))
		return HTTP_OK;

	struct buf *b = &res->body;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (is_index) {
		char ts[32];
		time_format_rfc3339(last, ts);
		buf_puts(b, "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (size_t p = 1; p <= pages; p++) {
			buf_puts(b, "<sitemap><loc>");
			xml_escape(b, base);
			buf_printf(b, "/sitemaps/%zu.xml</loc><lastmod>%s</lastmod></sitemap>\n", p, ts);
		}
		buf_puts(b, "</sitemapindex>\n");
		goto done;
	}

	buf_puts(b, "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
		    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	if (page == 1) {
		sitemap_url(b, base, "/", last);
		sitemap_url(b, base, "/events", last);
	}
	struct event_cursor cur = {.seen = (page - 1) * SITEMAP_EVENTS};
	size_t end = cur.seen + SITEMAP_EVENTS;
	while (cur.seen < end) {
		size_t want = end - cur.seen < ICS_BATCH ? end - cur.seen : ICS_BATCH;
		struct arena *a = arena_new();
		struct event *ev;
		size_t n;
		int rc = events_cursor_next(db, a, &cur, want, &ev, &n);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (!ev[i].published)
				continue;
			const char *path = arena_printf(a, "/events/%s", ev[i].slug);
			sitemap_url(b, base, path, ev[i].updated);
		}
		arena_free(a);
		if (rc < 0) {
			buf_reset(b);
			res->etag = NULL;
			return HTTP_ERR_INTERNAL;
		}
		if (n == 0 || (n < want && cur.seen >= total))
			break;
	}
	buf_puts(b, "</urlset>\n");
done:
	if (b->failed) {
		buf_reset(b);
		res->etag = NULL;
		return HTTP_ERR_INTERNAL;
	}
	return HTTP_OK;
}

/* GET /robots.txt : crawl everything but the API; where the sitemap is. */
enum http_error
events_robots(struct request *req, struct response *res)
{
	buf_printf(&res->body, "User-agent: *\nAllow: /\nDisallow: /api/\nSitemap: %s/sitemap.xml\n",
		   config_base_url());
	res->content_type = "text/plain; charset=utf-8";
	res->compressible = 1;
	res->max_age = ROBOTS_MAX_AGE;
	return res->body.failed ? HTTP_ERR_INTERNAL : HTTP_OK;
}
