/* events_json: one event as a line of JSON (docs/import.md): parse and validate, write. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"

/*
 * Parsing. Each JSON object is read through a table of its keys; a key not in the
 * table is an error (typos are caught), a required key that is missing too. Errors
 * name the place: "text.ar.title: longer than 300 characters".
 */
struct parse {
	struct arena *a;
	struct event *e;
	char *err;
	size_t errlen;
	char path[96];
	size_t pathlen;
	int has_virtual;	/* location, checked as a whole after its keys */
	int is_virtual;
};

struct field {
	const char *key;
	int (*parse)(struct parse *p, json_t *v, void *target, int arg);
	int required;
	int arg;
};

static int
bad(struct parse *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->pathlen > 0)
		snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
	else
		snprintf(p->err, p->errlen, "%s", msg);
	return -1;
}

/* A key from the input, made safe to print: at most 40 bytes cut at a character
 * boundary, control characters (C0 and C1) and quotes shown as '?'. */
static void
shown(const char *s, char *out, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;
	while (u[n] != '\0' && n < 40 && n + 1 < cap)
		n++;
	while (n > 0 && (u[n] & 0xc0) == 0x80)
		n--;
	for (size_t i = 0; i < n; i++) {
		int c1 = u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f;
		out[i] = (u[i] < 0x20 || u[i] == 0x7f || u[i] == '"' || c1) ? '?' : s[i];
		if (c1 && i + 1 < n)
			out[++i] = '?';
	}
	out[n] = '\0';
}

static size_t
push(struct parse *p, const char *fmt, ...)
{
	size_t mark = p->pathlen;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(p->path + p->pathlen, sizeof(p->path) - p->pathlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->pathlen += (size_t)n < sizeof(p->path) - p->pathlen ? (size_t)n
								     : sizeof(p->path) - p->pathlen - 1;
	return mark;
}

static void
pop(struct parse *p, size_t mark)
{
	p->pathlen = mark;
	p->path[mark] = '\0';
}

static int
walk(struct parse *p, json_t *obj, const struct field *f, size_t n, void *target)
{
	unsigned seen = 0;
	const char *key;
	json_t *v;
	if (!json_is_object(obj))
		return bad(p, "must be an object");
	json_object_foreach(obj, key, v) {
		size_t i = 0;
		while (i < n && strcmp(f[i].key, key) != 0)
			i++;
		if (i == n) {
			char k[48];
			shown(key, k, sizeof(k));
			return bad(p, "unknown key \"%s\"", k);
		}
		seen |= 1u << i;
		size_t mark = push(p, p->pathlen > 0 ? ".%s" : "%s", f[i].key);
		int rc = f[i].parse(p, v, target, f[i].arg);
		pop(p, mark);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (f[i].required && !(seen & (1u << i)))
			return bad(p, "missing \"%s\"", f[i].key);
	return 0;
}

/* Copies the string v into *out after checking it (events_check_text): not empty, at
 * most max characters, no control characters (Markdown may hold newlines and tabs;
 * "\r\n" becomes "\n"). */
static int
take_text(struct parse *p, json_t *v, enum events_text_kind kind, size_t max, const char **out)
{
	if (!json_is_string(v))
		return bad(p, "must be a string");
	switch (events_check_text(p->a, json_string_value(v), json_string_length(v), kind, max,
				  out)) {
	case TEXT_OK:
		return 0;
	case TEXT_EMPTY:
		return bad(p, "must not be empty");
	case TEXT_CONTROL:
		return bad(p, "contains a control character");
	case TEXT_TOO_LONG:
		break;
	}
	return bad(p, "longer than %zu characters", max);
}

static int
take_string(struct parse *p, json_t *v, const char *what, const char **out)
{
	if (!json_is_string(v))
		return bad(p, "must be a string (%s)", what);
	*out = json_string_value(v);
	return 0;
}

static int
take_slug(struct parse *p, json_t *v, const char **out)
{
	const char *s = NULL;
	if (take_string(p, v, "a slug", &s) < 0)
		return -1;
	if (!events_slug_valid(s))
		return bad(p, "not a slug: lowercase letters and digits, words joined by single "
			      "hyphens, at most %d characters",
			   EVENTS_SLUG_MAX);
	*out = arena_strdup(p->a, s);
	return 0;
}

static int
take_bool(struct parse *p, json_t *v, int *out)
{
	if (!json_is_boolean(v))
		return bad(p, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int
take_instant(struct parse *p, json_t *v, int64_t *out)
{
	const char *s = NULL;
	if (take_string(p, v, "an RFC 3339 instant", &s) < 0)
		return -1;
	if (time_parse_rfc3339(s, out) < 0)
		return bad(p, "not an RFC 3339 instant such as \"2018-07-11T09:00:00Z\" "
			      "between 1900 and 2200");
	return 0;
}

static int
f_slug(struct parse *p, json_t *v, void *t, int arg)
{
	return take_slug(p, v, &p->e->slug);
}

static int
f_type(struct parse *p, json_t *v, void *t, int arg)
{
	const char *s = NULL;
	if (take_string(p, v, "an event type", &s) < 0)
		return -1;
	int type = event_type_from_code(s);
	if (type < 0)
		return bad(p, "must be one of workshop, webinar, virtual-meeting, training, "
			      "conference, study-visit");
	p->e->type = (enum event_type)type;
	return 0;
}

static int
f_starts(struct parse *p, json_t *v, void *t, int arg)
{
	return take_instant(p, v, &p->e->starts);
}

static int
f_ends(struct parse *p, json_t *v, void *t, int arg)
{
	return take_instant(p, v, &p->e->ends);
}

static int
f_timezone(struct parse *p, json_t *v, void *t, int arg)
{
	const char *s = NULL;
	if (take_string(p, v, "an IANA time zone", &s) < 0)
		return -1;
	if (!i18n_tz_valid(s))
		return bad(p, "unknown time zone (use an IANA name such as \"Asia/Beirut\")");
	p->e->timezone = arena_strdup(p->a, s);
	return 0;
}

static int
f_virtual(struct parse *p, json_t *v, void *t, int arg)
{
	p->has_virtual = 1;
	return take_bool(p, v, &p->is_virtual);
}

static int
f_venue(struct parse *p, json_t *v, void *t, int arg)
{
	return take_text(p, v, EVENTS_PLAIN, EVENTS_NAME_MAX, &p->e->venue);
}

static int
f_city(struct parse *p, json_t *v, void *t, int arg)
{
	return take_text(p, v, EVENTS_PLAIN, EVENTS_NAME_MAX, &p->e->city);
}

static int
f_country(struct parse *p, json_t *v, void *t, int arg)
{
	const char *s = NULL;
	if (take_string(p, v, "a country code", &s) < 0)
		return -1;
	if (!events_country_valid(s))
		return bad(p, "not an ISO 3166-1 alpha-2 country code (two capital letters, "
			      "such as \"JO\")");
	p->e->country = arena_strdup(p->a, s);
	return 0;
}

static int
f_meeting_link(struct parse *p, json_t *v, void *t, int arg)
{
	const char *s = NULL;
	if (take_string(p, v, "a URL", &s) < 0)
		return -1;
	if (!events_link_valid(s))
		return bad(p, "not an http or https address (at most %d characters, no spaces, "
			      "no user name or password)",
			   EVENTS_LINK_MAX);
	p->e->meeting_link = arena_strdup(p->a, s);
	return 0;
}

static const struct field location_fields[] = {
	{"virtual", f_virtual, 1, 0},
	{"venue", f_venue, 0, 0},
	{"city", f_city, 0, 0},
	{"country", f_country, 0, 0},
	{"meeting_link", f_meeting_link, 0, 0},
};

static int
f_location(struct parse *p, json_t *v, void *t, int arg)
{
	struct event *e = p->e;
	if (walk(p, v, location_fields, sizeof(location_fields) / sizeof(location_fields[0]), e) < 0)
		return -1;
	e->is_virtual = p->is_virtual;
	unsigned broken = events_rules_broken(e);
	if (broken & RULE_VIRTUAL_WITH_PLACE)
		return bad(p, "a virtual event has no venue, city or country");
	if (broken & RULE_NO_CITY)
		return bad(p, "missing \"city\" (an event in person needs a city and a country)");
	if (broken & RULE_NO_COUNTRY)
		return bad(p, "missing \"country\" (an event in person needs a city and a country)");
	if (broken & RULE_LINK_IN_PERSON)
		return bad(p, "a meeting link is only for a virtual event");
	return 0;
}

static int
f_name_lang(struct parse *p, json_t *v, void *target, int lang)
{
	struct named *n = target;
	return take_text(p, v, EVENTS_PLAIN, EVENTS_NAME_MAX, &n->name[lang]);
}

static const struct field name_fields[] = {
	{"ar", f_name_lang, 0, LANG_AR},
	{"en", f_name_lang, 0, LANG_EN},
	{"fr", f_name_lang, 0, LANG_FR},
};

static int
f_named_slug(struct parse *p, json_t *v, void *target, int arg)
{
	struct named *n = target;
	return take_slug(p, v, &n->slug);
}

static int
f_named_name(struct parse *p, json_t *v, void *target, int arg)
{
	return walk(p, v, name_fields, sizeof(name_fields) / sizeof(name_fields[0]), target);
}

static const struct field named_fields[] = {
	{"slug", f_named_slug, 1, 0},
	{"name", f_named_name, 0, 0},
};

/* An organiser or a theme: a bare slug (it exists already) or {"slug", "name"}. */
static int
take_named(struct parse *p, json_t *v, struct named *n)
{
	memset(n, 0, sizeof(*n));
	if (json_is_string(v))
		return take_slug(p, v, &n->slug);
	if (!json_is_object(v))
		return bad(p, "must be a slug or an object {\"slug\": ..., \"name\": {...}}");
	return walk(p, v, named_fields, sizeof(named_fields) / sizeof(named_fields[0]), n);
}

static int
f_organiser(struct parse *p, json_t *v, void *t, int arg)
{
	return take_named(p, v, &p->e->organiser);
}

static int
f_participation(struct parse *p, json_t *v, void *t, int arg)
{
	const char *s = NULL;
	if (take_string(p, v, "a participation mode", &s) < 0)
		return -1;
	int part = participation_from_code(s);
	if (part < 0)
		return bad(p, "must be one of open, registration, invitation");
	p->e->participation = (enum participation)part;
	return 0;
}

static int
f_capacity(struct parse *p, json_t *v, void *t, int arg)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > EVENTS_CAPACITY_MAX)
		return bad(p, "must be a whole number from 1 to %d (leave it out for no limit)",
			   EVENTS_CAPACITY_MAX);
	p->e->capacity = (int)json_integer_value(v);
	return 0;
}

static int
f_needs_approval(struct parse *p, json_t *v, void *t, int arg)
{
	return take_bool(p, v, &p->e->needs_approval);
}

static int
f_themes(struct parse *p, json_t *v, void *t, int arg)
{
	struct event *e = p->e;
	if (!json_is_array(v))
		return bad(p, "must be an array");
	size_t n = json_array_size(v);
	if (n > EVENTS_THEMES_MAX)
		return bad(p, "more than %d themes", EVENTS_THEMES_MAX);
	e->themes = arena_alloc(p->a, (n + 1) * sizeof(*e->themes));
	for (size_t i = 0; i < n; i++) {
		size_t mark = push(p, "[%zu]", i);
		int rc = take_named(p, json_array_get(v, i), &e->themes[i]);
		for (size_t j = 0; rc == 0 && j < i; j++)
			if (strcmp(e->themes[j].slug, e->themes[i].slug) == 0)
				rc = bad(p, "theme \"%s\" listed twice", e->themes[i].slug);
		pop(p, mark);
		if (rc < 0)
			return -1;
	}
	e->n_themes = n;
	return 0;
}

static int
f_highlight(struct parse *p, json_t *v, void *t, int arg)
{
	return take_bool(p, v, &p->e->highlight);
}

static int
f_published(struct parse *p, json_t *v, void *t, int arg)
{
	return take_bool(p, v, &p->e->published);
}

static int
f_title(struct parse *p, json_t *v, void *target, int arg)
{
	struct event_text *tx = target;
	return take_text(p, v, EVENTS_PLAIN, EVENTS_TITLE_MAX, &tx->title);
}

static int
f_context(struct parse *p, json_t *v, void *target, int arg)
{
	struct event_text *tx = target;
	return take_text(p, v, EVENTS_MARKDOWN, EVENTS_TEXT_MAX, &tx->context);
}

static int
f_text_participation(struct parse *p, json_t *v, void *target, int arg)
{
	struct event_text *tx = target;
	return take_text(p, v, EVENTS_MARKDOWN, EVENTS_TEXT_MAX, &tx->participation);
}

static int
f_objectives(struct parse *p, json_t *v, void *target, int arg)
{
	struct event_text *tx = target;
	if (!json_is_array(v))
		return bad(p, "must be an array of strings");
	size_t n = json_array_size(v);
	if (n > EVENTS_OBJECTIVES_MAX)
		return bad(p, "more than %d objectives", EVENTS_OBJECTIVES_MAX);
	tx->objectives = arena_alloc(p->a, (n + 1) * sizeof(*tx->objectives));
	for (size_t i = 0; i < n; i++) {
		size_t mark = push(p, "[%zu]", i);
		int rc = take_text(p, json_array_get(v, i), EVENTS_MARKDOWN, EVENTS_OBJECTIVE_MAX,
				   &tx->objectives[i]);
		pop(p, mark);
		if (rc < 0)
			return -1;
	}
	tx->n_objectives = n;
	return 0;
}

static const struct field text_fields[] = {
	{"title", f_title, 1, 0},
	{"context", f_context, 0, 0},
	{"objectives", f_objectives, 0, 0},
	{"participation", f_text_participation, 0, 0},
};

static int
f_text_lang(struct parse *p, json_t *v, void *t, int lang)
{
	return walk(p, v, text_fields, sizeof(text_fields) / sizeof(text_fields[0]),
		    &p->e->text[lang]);
}

static const struct field lang_fields[] = {
	{"ar", f_text_lang, 0, LANG_AR},
	{"en", f_text_lang, 0, LANG_EN},
	{"fr", f_text_lang, 0, LANG_FR},
};

static int
f_text(struct parse *p, json_t *v, void *t, int arg)
{
	if (walk(p, v, lang_fields, sizeof(lang_fields) / sizeof(lang_fields[0]), NULL) < 0)
		return -1;
	if (json_object_size(v) == 0)
		return bad(p, "needs at least one language (ar, en or fr) with a title");
	return 0;
}

static const struct field event_fields[] = {
	{"slug", f_slug, 1, 0},
	{"type", f_type, 1, 0},
	{"starts", f_starts, 1, 0},
	{"ends", f_ends, 1, 0},
	{"timezone", f_timezone, 1, 0},
	{"location", f_location, 1, 0},
	{"organiser", f_organiser, 1, 0},
	{"participation", f_participation, 1, 0},
	{"capacity", f_capacity, 0, 0},
	{"needs_approval", f_needs_approval, 0, 0},
	{"themes", f_themes, 0, 0},
	{"highlight", f_highlight, 0, 0},
	{"published", f_published, 0, 0},
	{"text", f_text, 1, 0},
};

/* Jansson's message may quote the input: keep it printable. */
static void
printable(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

int
events_parse_line(struct arena *a, const char *line, size_t len, struct event *e, char *err,
		  size_t errlen)
{
	struct parse p = {.a = a, .e = e, .err = err, .errlen = errlen};
	json_error_t jerr;
	memset(e, 0, sizeof(*e));
	e->published = 1;
	if (len > EVENTS_LINE_MAX)
		return bad(&p, "line longer than 1 MiB");
	json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		printable(jerr.text);
		return bad(&p, "invalid JSON at column %d: %s", jerr.column, jerr.text);
	}
	int rc = -1;
	if (!json_is_object(root)) {
		bad(&p, "a line must be one JSON object");
		goto done;
	}
	if (walk(&p, root, event_fields, sizeof(event_fields) / sizeof(event_fields[0]), e) < 0)
		goto done;
	unsigned broken = events_rules_broken(e);
	if (broken & RULE_ENDS_BEFORE_STARTS) {
		bad(&p, "ends: before starts");
		goto done;
	}
	if (broken & RULE_APPROVAL_NOT_REGISTRATION) {
		bad(&p, "needs_approval: only a registration event needs approval");
		goto done;
	}
	rc = 0;
done:
	json_decref(root);
	return rc;
}

/*
 * Writing: keys in a fixed order, absent values left out, so that export, import and
 * export again give the same bytes.
 */
static void
put(json_t *o, const char *key, json_t *v, int *failed)
{
	if (v == NULL || json_object_set_new(o, key, v) < 0)
		*failed = 1;
}

static json_t *
named_json(const struct named *n, int *failed)
{
	json_t *o = json_object(), *names = json_object();
	put(o, "slug", json_string(n->slug), failed);
	for (int l = 0; l < LANG_COUNT; l++)
		if (n->name[l] != NULL)
			put(names, lang_code((enum lang)l), json_string(n->name[l]), failed);
	if (json_object_size(names) > 0)
		put(o, "name", names, failed);
	else
		json_decref(names);
	return o;
}

static json_t *
text_json(const struct event_text *t, int *failed)
{
	json_t *o = json_object();
	put(o, "title", json_string(t->title), failed);
	if (t->context != NULL)
		put(o, "context", json_string(t->context), failed);
	if (t->n_objectives > 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < t->n_objectives; i++)
			if (json_array_append_new(arr, json_string(t->objectives[i])) < 0)
				*failed = 1;
		put(o, "objectives", arr, failed);
	}
	if (t->participation != NULL)
		put(o, "participation", json_string(t->participation), failed);
	return o;
}

char *
events_to_json_line(const struct event *e)
{
	char when[32];
	int failed = 0;
	json_t *o = json_object();
	put(o, "slug", json_string(e->slug), &failed);
	put(o, "type", json_string(event_type_code(e->type)), &failed);
	time_format_rfc3339(e->starts, when);
	put(o, "starts", json_string(when), &failed);
	time_format_rfc3339(e->ends, when);
	put(o, "ends", json_string(when), &failed);
	put(o, "timezone", json_string(e->timezone), &failed);
	json_t *loc = json_object();
	put(loc, "virtual", json_boolean(e->is_virtual), &failed);
	if (!e->is_virtual) {
		if (e->venue != NULL)
			put(loc, "venue", json_string(e->venue), &failed);
		put(loc, "city", json_string(e->city), &failed);
		put(loc, "country", json_string(e->country), &failed);
	}
	if (e->meeting_link != NULL)
		put(loc, "meeting_link", json_string(e->meeting_link), &failed);
	put(o, "location", loc, &failed);
	put(o, "organiser", named_json(&e->organiser, &failed), &failed);
	put(o, "participation", json_string(participation_code(e->participation)), &failed);
	if (e->capacity > 0)
		put(o, "capacity", json_integer(e->capacity), &failed);
	if (e->needs_approval)
		put(o, "needs_approval", json_true(), &failed);
	if (e->n_themes > 0) {
		json_t *themes = json_array();
		for (size_t i = 0; i < e->n_themes; i++)
			if (json_array_append_new(themes, named_json(&e->themes[i], &failed)) < 0)
				failed = 1;
		put(o, "themes", themes, &failed);
	}
	put(o, "highlight", json_boolean(e->highlight), &failed);
	if (!e->published)
		put(o, "published", json_false(), &failed);
	json_t *text = json_object();
	for (int l = 0; l < LANG_COUNT; l++)
		if (e->text[l].title != NULL)
			put(text, lang_code((enum lang)l), text_json(&e->text[l], &failed), &failed);
	put(o, "text", text, &failed);
	char *s = failed ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}
