/* events_page: the HTML pages of the portal — home, the events list, one event. */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_md.h"
#include "events/events_invite.h"
#include "render/render_cache.h"
#include "render/render_page.h"


/* og:locale values for each language. */
static const char *const og_locales[LANG_COUNT] = {
	[LANG_AR] = "ar_AR",
	[LANG_EN] = "en_US",
	[LANG_FR] = "fr_FR",
};

static const char *
event_url(struct request *req, enum lang l, const struct event *e)
{
	return arena_printf(req->arena, "/%s/events/%s", lang_code(l), e->slug);
}

static const char *
location_label(struct request *req, const struct event *e)
{
	if (e->is_virtual)
		return _("Virtual");
	const char *country = e->country ? i18n_country_name(req->arena, req->lang, e->country) : NULL;
	struct buf b = BUF_INIT;
	const char *parts[3] = {e->venue, e->city, country};
	for (int i = 0; i < 3; i++) {
		if (parts[i] == NULL || parts[i][0] == '\0')
			continue;
		if (b.len > 0)
			buf_puts(&b, req->lang == LANG_AR ? "، " : ", ");
		buf_puts(&b, parts[i]);
	}
	char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* The keys a card needs (lists) and, with detail, everything the event page shows. */
static json_t *
event_json(struct request *req, const struct event *e, int detail)
{
	struct arena *a = req->arena;
	enum lang l = req->lang, shown;
	const struct event_text *t = events_text_for(e, l, &shown);
	char starts_iso[32], ends_iso[32];
	time_format_rfc3339(e->starts, starts_iso);
	time_format_rfc3339(e->ends, ends_iso);
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(e->slug));
	json_object_set_new(o, "url", json_string(event_url(req, l, e)));
	json_object_set_new(o, "title", json_string(t->title ? t->title : e->slug));
	json_object_set_new(o, "text_lang", json_string(lang_code(shown)));
	json_object_set_new(o, "text_dir", json_string(lang_dir(shown)));
	json_object_set_new(o, "missing", json_boolean(shown != l));
	json_object_set_new(o, "type", json_string(event_type_code(e->type)));
	json_object_set_new(o, "type_label", json_string(events_type_label(e->type)));
	json_object_set_new(o, "starts_iso", json_string(starts_iso));
	json_object_set_new(o, "ends_iso", json_string(ends_iso));
	json_object_set_new(o, "starts_date", json_string(i18n_date(a, l, e->starts, e->timezone)));
	json_object_set_new(o, "location", json_string(location_label(req, e)));
	json_object_set_new(o, "virtual", json_boolean(e->is_virtual));
	json_object_set_new(o, "highlight", json_boolean(e->highlight));
	json_object_set_new(o, "organiser", json_string(events_name_for(&e->organiser, l)));
	if (!detail)
		return o;

	json_object_set_new(o, "starts", json_string(i18n_datetime(a, l, e->starts, e->timezone)));
	json_object_set_new(o, "ends", json_string(i18n_datetime(a, l, e->ends, e->timezone)));
	json_object_set_new(o, "tz_name", json_string(i18n_tz_name(a, l, e->starts, e->timezone)));
	json_object_set_new(o, "timezone", json_string(e->timezone));
	json_object_set_new(o, "participation_label", json_string(events_participation_label(e->participation)));
	json_object_set_new(o, "invitation", json_boolean(e->participation == PART_INVITATION));
	json_object_set_new(o, "shown_lang_name", json_string(lang_native_name(shown)));
	json_t *themes = json_array();
	for (size_t i = 0; i < e->n_themes; i++)
		json_array_append_new(themes, json_string(events_name_for(&e->themes[i], l)));
	json_object_set_new(o, "themes", themes);
	json_object_set_new(o, "context", json_string(md_block(a, t->context)));
	json_t *objectives = json_array();
	for (size_t i = 0; i < t->n_objectives; i++)
		json_array_append_new(objectives, json_string(md_inline(a, t->objectives[i])));
	json_object_set_new(o, "objectives", objectives);
	json_object_set_new(o, "participation", json_string(md_block(a, t->participation)));
	json_object_set_new(o, "ics", json_string(arena_printf(a, "%s.ics", event_url(req, l, e))));
	const char *desc = md_plain(a, t->context, 200);
	json_object_set_new(o, "description", json_string(desc));

	/* schema.org Event (JSON-LD) */
	json_t *ld = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "@context",
			       "https://schema.org", "@type", "Event", "name",
			       t->title ? t->title : e->slug, "startDate", starts_iso, "endDate",
			       ends_iso, "eventStatus", "https://schema.org/EventScheduled",
			       "inLanguage", lang_code(shown), "description", desc, "url",
			       arena_printf(a, "%s%s", config_base_url(), event_url(req, l, e)));
	json_object_set_new(ld, "eventAttendanceMode",
			    json_string(e->is_virtual ? "https://schema.org/OnlineEventAttendanceMode"
						      : "https://schema.org/OfflineEventAttendanceMode"));
	if (e->is_virtual) {
		json_object_set_new(ld, "location",
				    json_pack("{s:s, s:s}", "@type", "VirtualLocation", "url",
					      arena_printf(a, "%s%s", config_base_url(),
							   event_url(req, l, e))));
	} else {
		json_t *addr = json_pack("{s:s}", "@type", "PostalAddress");
		if (e->city)
			json_object_set_new(addr, "addressLocality", json_string(e->city));
		if (e->country)
			json_object_set_new(addr, "addressCountry", json_string(e->country));
		json_object_set_new(ld, "location",
				    json_pack("{s:s, s:s, s:o}", "@type", "Place", "name",
					      e->venue ? e->venue : (e->city ? e->city : ""),
					      "address", addr));
	}
	json_object_set_new(ld, "organizer",
			    json_pack("{s:s, s:s}", "@type", "Organization", "name",
				      events_name_for(&e->organiser, l)));
	json_object_set_new(o, "jsonld", ld);
	return o;
}

static json_t *
events_json(struct request *req, const struct event *ev, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, event_json(req, &ev[i], 0));
	return arr;
}

static enum http_error
page_done(struct request *req, struct response *res, const char *tmpl, json_t *ctx)
{
	enum http_error e = render_page(req, res, tmpl, ctx);
	json_decref(ctx);
	return e;
}

/* page_done, and the page kept in the thread's cache under key at version. */
static enum http_error
cached_page_done(struct request *req, struct response *res, const char *tmpl, json_t *ctx,
		 const char *key, uint64_t version)
{
	enum http_error e = page_done(req, res, tmpl, ctx);
	if (e == HTTP_OK)
		render_cache_put(req, key, version, res);
	return e;
}

enum http_error
events_home(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct event_query q;
	struct event *hl, *up, *past;
	size_t n_hl, n_up, n_past;
	int64_t now = time_now();
	/* what is upcoming changes with time: the page is kept for a minute at most */
	uint64_t version = db_data_version(db) * 1000003u + (uint64_t)(now / 60);
	const char *key = arena_printf(req->arena, "home/%s", lang_code(req->lang));
	if (render_cache_get(req, key, version, res))
		return HTTP_OK;

	memset(&q, 0, sizeof(q));
	q.type = -1;
	q.highlight_only = 1;
	q.newest_first = 1;
	q.limit = 4;
	if (events_list(db, req->arena, &q, &hl, &n_hl, NULL) < 0)
		return HTTP_ERR_INTERNAL;
	memset(&q, 0, sizeof(q));
	q.type = -1;
	q.when = 1;
	q.now = now;
	q.limit = 5;
	if (events_list(db, req->arena, &q, &up, &n_up, NULL) < 0)
		return HTTP_ERR_INTERNAL;
	q.when = -1;
	q.newest_first = 1;
	if (events_list(db, req->arena, &q, &past, &n_past, NULL) < 0)
		return HTTP_ERR_INTERNAL;

	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Events of the network")));
	json_object_set_new(ctx, "description",
			    json_string(_("Workshops, webinars, meetings and study visits of the "
					  "municipal learning network.")));
	json_object_set_new(ctx, "highlights", events_json(req, hl, n_hl));
	json_object_set_new(ctx, "upcoming", events_json(req, up, n_up));
	json_object_set_new(ctx, "recent", events_json(req, past, n_past));
	json_object_set_new(ctx, "events_url", json_string(arena_printf(req->arena, "/%s/events",
									lang_code(req->lang))));
	return cached_page_done(req, res, "events/home", ctx, key, version);
}

enum http_error
events_page(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	uint64_t version = db_data_version(db);
	const char *key = arena_printf(req->arena, "event/%s/%s", lang_code(req->lang),
				       req->captures[1]);
	if (render_cache_get(req, key, version, res))
		return HTTP_OK;
	struct event e;
	int rc = events_get(db, req->arena, req->captures[1], &e);
	if (rc > 0) {
		/* a draft: staff see it (their pages are personal, never cached) */
		static const struct auth_object draft = {.published = 0};
		if (!auth_can(auth_user_of(req), ACT_EVENT_VIEW, &draft))
			return HTTP_ERR_NOT_FOUND;
		rc = events_get_any(db, req->arena, req->captures[1], &e);
	}
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	json_t *ev = event_json(req, &e, 1);
	json_t *ctx = json_object();
	json_object_set(ctx, "title", json_object_get(ev, "title"));
	json_object_set(ctx, "description", json_object_get(ev, "description"));
	json_object_set(ctx, "jsonld", json_object_get(ev, "jsonld"));
	json_object_set_new(ctx, "og_locale", json_string(og_locales[req->lang]));
	json_t *alt = json_array();
	for (int l = 0; l < LANG_COUNT; l++)
		if (l != (int)req->lang)
			json_array_append_new(alt, json_string(og_locales[l]));
	json_object_set_new(ctx, "og_locale_alternates", alt);
	json_object_set_new(ctx, "og", json_true());
	json_object_set_new(ctx, "event", ev);
	json_object_set_new(ctx, "events_url",
			    json_string(arena_printf(req->arena, "/%s/events", lang_code(req->lang))));
	json_object_set_new(ctx, "slug", json_string(e.slug));
	if (auth_user_of(req) != NULL) {
		/* a signed-in reader's page is personal (never cached): their participation */
		if (events_participation_ctx(req, &e, ctx) < 0) {
			json_decref(ctx);
			return HTTP_ERR_INTERNAL;
		}
		json_object_set_new(ctx, "answered", json_boolean(http_query_get(req, "answered") != NULL));
		json_object_set_new(ctx, "delegated", json_boolean(http_query_get(req, "delegated") != NULL));
	}
	json_object_set_new(ctx, "manage_url",
			    json_string(arena_printf(req->arena, "/%s/manage/events/%s/edit",
						     lang_code(req->lang), e.slug)));
	if (!e.published) {
		json_object_set_new(ctx, "draft", json_true());
		json_object_set_new(ctx, "robots_noindex", json_true());
		return page_done(req, res, "events/event", ctx);
	}
	return cached_page_done(req, res, "events/event", ctx, key, version);
}
