/* events_api: the public JSON API of events, /api/v1/events and /api/v1/events/{slug}. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "render/render_tmpl.h"

#define API_MAX_AGE 60

/* What a query parameter holds; every value is read into an int64_t. */
enum param_kind {
	PARAM_INT,	/* decimal digits, min..max */
	PARAM_LANG,	/* ar, en, fr: the enum lang */
	PARAM_DATE,	/* YYYY-MM-DD: midnight UTC */
	PARAM_TYPE,	/* an event type code: the enum event_type */
};

struct param_spec {
	const char *name;
	enum param_kind kind;
	int64_t min, max, dflt;
};

struct param_value {
	int present;
	int64_t v;
	const char *raw;	/* as given (validated), for the next page's URL */
	int instant;		/* a date parameter given as an RFC 3339 instant */
};

enum { P_PAGE, P_PER_PAGE, P_LANG, P_FROM, P_TO, P_TYPE, P_COUNT };

static const struct param_spec list_params[P_COUNT] = {
	[P_PAGE] = {"page", PARAM_INT, 1, 10000, 1},
	[P_PER_PAGE] = {"per_page", PARAM_INT, 1, 100, 20},
	[P_LANG] = {"lang", PARAM_LANG, 0, 0, LANG_EN},
	[P_FROM] = {"from", PARAM_DATE, 0, 0, 0},
	[P_TO] = {"to", PARAM_DATE, 0, 0, 0},
	[P_TYPE] = {"type", PARAM_TYPE, 0, 0, -1},
};

static const struct param_spec one_params[] = {
	{"lang", PARAM_LANG, 0, 0, LANG_EN},
};

/* A non-negative decimal of at most 9 digits without sign or spaces. 0 or -1. */
static int
parse_uint(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	int64_t v = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Reads the parameters of spec from req's query into out (defaults where absent).
 * Returns 0, or -1 when a value is not valid for its spec. Parameters nobody
 * declared are ignored. */
static int
params_read(const struct request *req, const struct param_spec *spec, size_t n,
	    struct param_value *out)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = http_query_get(req, spec[i].name);
		out[i].present = s != NULL;
		out[i].instant = 0;
		out[i].raw = s;
		out[i].v = spec[i].dflt;
		if (s == NULL)
			continue;
		int64_t v;
		switch (spec[i].kind) {
		case PARAM_INT:
			if (parse_uint(s, &v) < 0 || v < spec[i].min || v > spec[i].max)
				return -1;
			break;
		case PARAM_LANG:
			if ((v = lang_from_code(s)) == LANG_NONE)
				return -1;
			break;
		case PARAM_DATE:
			/* a day (YYYY-MM-DD) or an instant, as the API writes them */
			if (time_parse_date(s, &v) < 0) {
				if (time_parse_rfc3339(s, &v) < 0)
					return -1;
				out[i].instant = 1;
			}
			break;
		case PARAM_TYPE:
			if ((v = event_type_from_code(s)) < 0)
				return -1;
			break;
		default:
			BUG("parameter kind %d", (int)spec[i].kind);
			return -1;
		}
		out[i].v = v;
	}
	return 0;
}

/* Sets key to v in o; a NULL v (a failed allocation or invalid UTF-8) becomes null. */
static void
set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL) {
		BUG("JSON value for %s could not be made", key);
		v = json_null();
	}
	json_object_set_new(o, key, v);
}

static json_t *
named_json(const struct named *n, enum lang l)
{
	json_t *o = json_object();
	set(o, "slug", json_str_or_null(n->slug));
	set(o, "name", json_string(events_name_for(n, l)));
	return o;
}

static json_t *
time_json(int64_t t)
{
	char s[32];
	time_format_rfc3339(t, s);
	return json_string(s);
}

static json_t *
location_json(struct arena *a, const struct event *e, enum lang l)
{
	json_t *o = json_object();
	set(o, "virtual", json_boolean(e->is_virtual));
	if (e->is_virtual)
		return o;
	set(o, "venue", json_str_or_null(e->venue));
	set(o, "city", json_str_or_null(e->city));
	set(o, "country", json_str_or_null(e->country));
	set(o, "country_name",
	    json_str_or_null(e->country != NULL ? i18n_country_name(a, l, e->country) : NULL));
	return o;
}

/* The API object of e with its text in l (or the fallback language, named in "lang"). */
json_t *
events_api_item(struct arena *a, const struct event *e, enum lang l)
{
	enum lang shown;
	const struct event_text *tx = events_text_for(e, l, &shown);
	json_t *o = json_object();

	set(o, "slug", json_string(e->slug));
	set(o, "type", json_string(event_type_code(e->type)));
	set(o, "starts", time_json(e->starts));
	set(o, "ends", time_json(e->ends));
	set(o, "timezone", json_str_or_null(e->timezone));
	set(o, "location", location_json(a, e, l));
	set(o, "organiser", named_json(&e->organiser, l));
	set(o, "participation", json_string(participation_code(e->participation)));
	json_t *themes = json_array();
	for (size_t i = 0; i < e->n_themes; i++)
		json_array_append_new(themes, named_json(&e->themes[i], l));
	set(o, "themes", themes);
	set(o, "highlight", json_boolean(e->highlight));
	set(o, "lang", json_string(lang_code(shown)));
	set(o, "title", json_str_or_null(tx->title));
	set(o, "context", json_str_or_null(tx->context));
	json_t *objectives = json_array();
	for (size_t i = 0; i < tx->n_objectives; i++)
		json_array_append_new(objectives, json_str_or_null(tx->objectives[i]));
	set(o, "objectives", objectives);
	set(o, "participation_text", json_str_or_null(tx->participation));
	set(o, "url", json_string(arena_printf(a, "%s/%s/events/%s", config_base_url(),
					       lang_code(l), e->slug)));
	return o;
}

/* A date bound for the store, where 0 means "no bound": a bound falling exactly on
 * the epoch moves by one second (nudge) instead of vanishing. */
static int64_t
epoch_bound(int64_t t, int64_t nudge)
{
	return t == 0 ? nudge : t;
}

/* The URL of page p of the list with the same parameters. */
static const char *
next_url(struct arena *a, const struct param_value *pv, int64_t p)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/api/v1/events?page=%lld&per_page=%lld&lang=%s", (long long)p,
		   (long long)pv[P_PER_PAGE].v, lang_code((enum lang)pv[P_LANG].v));
	/* the raw values passed validation; instants carry ':' and '+', hence escaped */
	static const int echoed[] = {P_FROM, P_TO, P_TYPE};
	for (size_t i = 0; i < sizeof(echoed) / sizeof(echoed[0]); i++)
		if (pv[echoed[i]].present) {
			buf_printf(&b, "&%s=", list_params[echoed[i]].name);
			url_escape(&b, pv[echoed[i]].raw);
		}
	const char *s = b.failed ? NULL : arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/*
 * GET /api/v1/events?page=&per_page=&lang=&from=&to=&type= : a page of published
 * events, {"items":[...], "page", "per_page", "total", "next"}. from and to are dates
 * (YYYY-MM-DD) or RFC 3339 instants (to inclusive) bounding the start; any invalid
 * value is a 400.
 */
enum http_error
events_api_list(struct request *req, struct response *res)
{
	struct param_value pv[P_COUNT];
	struct db *db = db_thread();
	struct event *ev;
	size_t n, total;

	if (params_read(req, list_params, P_COUNT, pv) < 0)
		return HTTP_ERR_BAD_PARAM;
	if (pv[P_FROM].present && pv[P_TO].present && pv[P_FROM].v > pv[P_TO].v)
		return HTTP_ERR_BAD_PARAM;
	if (db == NULL)
		return HTTP_ERR_INTERNAL;
	enum lang l = (enum lang)pv[P_LANG].v;
	int64_t page = pv[P_PAGE].v, per_page = pv[P_PER_PAGE].v;
	struct event_query q = {
		.from = pv[P_FROM].present ? epoch_bound(pv[P_FROM].v, 1) : 0,
		/* inclusive: the whole day, or the instant itself */
		.to = pv[P_TO].present ? epoch_bound(pv[P_TO].v + (pv[P_TO].instant ? 1 : 86400), -1)
				       : 0,
		.type = (int)pv[P_TYPE].v,
		.offset = (size_t)((page - 1) * per_page),
		.limit = (size_t)per_page,
	};
	if (events_list(db, req->arena, &q, &ev, &n, &total) < 0)
		return HTTP_ERR_INTERNAL;

	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, events_api_item(req->arena, &ev[i], l));
	json_t *root = json_object();
	set(root, "items", items);
	set(root, "page", json_integer(page));
	set(root, "per_page", json_integer(per_page));
	set(root, "total", json_integer((json_int_t)total));
	const char *next = NULL;
	if ((uint64_t)page * (uint64_t)per_page < total && page < list_params[P_PAGE].max)
		next = next_url(req->arena, pv, page + 1);
	set(root, "next", json_str_or_null(next));
	res->max_age = API_MAX_AGE;
	return render_json(req, res, root);
}

/* GET /api/v1/events/{slug}?lang= : one published event, or 404. */
enum http_error
events_api_one(struct request *req, struct response *res)
{
	struct param_value pv[1];
	struct db *db = db_thread();
	struct event e;

	if (params_read(req, one_params, 1, pv) < 0)
		return HTTP_ERR_BAD_PARAM;
	if (db == NULL || req->n_captures < 1)
		return HTTP_ERR_INTERNAL;
	int rc = events_get(db, req->arena, req->captures[0], &e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	res->max_age = API_MAX_AGE;
	return render_json(req, res, events_api_item(req->arena, &e, (enum lang)pv[0].v));
}
