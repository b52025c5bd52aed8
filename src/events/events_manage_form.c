/* events_manage_form: the form that creates and edits an event — every field, the texts
 * in the three languages — checked by the rules of events_check.c with a message beside
 * each field, and saved with its audit row in one transaction (or not at all). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

/* The form's fields (their names in the HTML). */
enum field {
	F_SLUG, F_TYPE, F_STARTS, F_ENDS, F_TIMEZONE, F_VIRTUAL, F_VENUE, F_CITY, F_COUNTRY,
	F_LINK, F_ORGANISER, F_PARTICIPATION, F_CAPACITY, F_APPROVAL, F_VERSION, F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_SLUG] = "slug",
	[F_TYPE] = "type",
	[F_STARTS] = "starts",
	[F_ENDS] = "ends",
	[F_TIMEZONE] = "timezone",
	[F_VIRTUAL] = "virtual",
	[F_VENUE] = "venue",
	[F_CITY] = "city",
	[F_COUNTRY] = "country",
	[F_LINK] = "meeting_link",
	[F_ORGANISER] = "organiser",
	[F_PARTICIPATION] = "participation",
	[F_CAPACITY] = "capacity",
	[F_APPROVAL] = "needs_approval",
	[F_VERSION] = "version",
};

/* The texts of one language: "title_ar", "context_ar", ... */
enum text_field { TX_TITLE, TX_CONTEXT, TX_OBJECTIVES, TX_PART, TX_COUNT };

static const char *const text_names[TX_COUNT] = {
	[TX_TITLE] = "title",
	[TX_CONTEXT] = "context",
	[TX_OBJECTIVES] = "objectives",
	[TX_PART] = "participation",
};

/* Zones offered as suggestions (any IANA zone may be written). */
static const char *const zones[] = {
	"Asia/Amman", "Asia/Baghdad", "Asia/Beirut", "Asia/Damascus", "Asia/Gaza", "Asia/Hebron",
	"Europe/Istanbul", "Africa/Cairo", "Africa/Tunis", "Africa/Casablanca", "Europe/Paris",
	"Europe/Brussels", "Europe/Berlin", "Europe/London", "UTC",
};

struct form {
	const char *v[F_COUNT];			/* as given or stored, shown again */
	const char *text[LANG_COUNT][TX_COUNT];
	const char **themes;			/* theme slugs ticked */
	size_t n_themes;
	json_t *errors;				/* field name -> message */
};

/* Organisers and themes to choose from. */
struct choices {
	struct named *org, *themes;
	size_t n_org, n_themes;
};

static int
load_choices(struct request *req, struct choices *c)
{
	struct db *db = db_thread();
	return events_organisers(db, req->arena, &c->org, &c->n_org) < 0 ||
			       events_themes(db, req->arena, &c->themes, &c->n_themes) < 0
		       ? -1
		       : 0;
}

static const struct named *
find_named(const struct named *list, size_t n, const char *slug)
{
	for (size_t i = 0; slug != NULL && i < n; i++)
		if (strcmp(list[i].slug, slug) == 0)
			return &list[i];
	return NULL;
}

static void
error(struct form *f, const char *field, const char *msg)
{
	if (json_object_get(f->errors, field) == NULL)
		json_object_set_new(f->errors, field, json_string(msg));
}

static const char *
text_field_name(struct request *req, enum text_field t, enum lang l)
{
	return arena_printf(req->arena, "%s_%s", text_names[t], lang_code(l));
}

/* ---- the form from a request, or from a stored event ---------------------------- */

static void
form_from_request(struct request *req, struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++) {
		const char *s = http_form_get(req, field_names[i]);
		f->v[i] = s != NULL ? s : "";
	}
	for (int l = 0; l < LANG_COUNT; l++) {
		for (int t = 0; t < TX_COUNT; t++) {
			const char *s = http_form_get(req, text_field_name(req, (enum text_field)t,
									 (enum lang)l));
			f->text[l][t] = s != NULL ? s : "";
		}
	}
	f->themes = arena_alloc(req->arena, (req->n_form + 1) * sizeof(*f->themes));
	for (size_t i = 0; i < req->n_form; i++)
		if (strcmp(req->form[i].name, "theme") == 0)
			f->themes[f->n_themes++] = req->form[i].value;
}

static const char *
local_value(struct request *req, int64_t t, const char *tz)
{
	char s[20];
	return i18n_local_format(t, tz, s) == 0 ? arena_strdup(req->arena, s) : "";
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static const char *
joined_lines(struct request *req, const char *const *items, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, items[i]);
	}
	const char *s = b.failed ? "" : arena_strdup(req->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void
form_from_event(struct request *req, struct form *f, const struct event *e)
{
	struct arena *a = req->arena;
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	f->v[F_SLUG] = e->slug;
	f->v[F_TYPE] = event_type_code(e->type);
	f->v[F_STARTS] = local_value(req, e->starts, e->timezone);
	f->v[F_ENDS] = local_value(req, e->ends, e->timezone);
	f->v[F_TIMEZONE] = e->timezone;
	f->v[F_VIRTUAL] = e->is_virtual ? "1" : "0";
	f->v[F_VENUE] = or_empty(e->venue);
	f->v[F_CITY] = or_empty(e->city);
	f->v[F_COUNTRY] = or_empty(e->country);
	f->v[F_LINK] = or_empty(e->meeting_link);
	f->v[F_ORGANISER] = e->organiser.slug;
	f->v[F_PARTICIPATION] = participation_code(e->participation);
	f->v[F_CAPACITY] = e->capacity > 0 ? arena_printf(a, "%d", e->capacity) : "";
	f->v[F_APPROVAL] = e->needs_approval ? "1" : "";
	f->v[F_VERSION] = arena_printf(a, "%lld", (long long)e->updated);
	for (int l = 0; l < LANG_COUNT; l++) {
		const struct event_text *t = &e->text[l];
		f->text[l][TX_TITLE] = or_empty(t->title);
		f->text[l][TX_CONTEXT] = or_empty(t->context);
		f->text[l][TX_OBJECTIVES] = joined_lines(req, t->objectives, t->n_objectives);
		f->text[l][TX_PART] = or_empty(t->participation);
	}
	f->themes = arena_alloc(a, (e->n_themes + 1) * sizeof(*f->themes));
	for (size_t i = 0; i < e->n_themes; i++)
		f->themes[f->n_themes++] = e->themes[i].slug;
}

/* A new event's form: the reader's time zone, open, virtual. */
static void
form_blank(struct request *req, struct form *f)
{
	const struct auth_user *me = auth_user_of(req);
	memset(f, 0, sizeof(*f));
	f->errors = json_object();
	for (int i = 0; i < F_COUNT; i++)
		f->v[i] = "";
	for (int l = 0; l < LANG_COUNT; l++)
		for (int t = 0; t < TX_COUNT; t++)
			f->text[l][t] = "";
	f->v[F_TYPE] = event_type_code(EVENT_WORKSHOP);
	f->v[F_VIRTUAL] = "1";
	f->v[F_PARTICIPATION] = participation_code(PART_OPEN);
	f->v[F_TIMEZONE] = me != NULL && me->timezone != NULL && strcmp(me->timezone, "UTC") != 0
				   ? me->timezone
				   : "Asia/Beirut";
}

/* ---- checking: the form into an event ----------------------------------------- */

static const char *
trimmed(struct request *req, const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return arena_strndup(req->arena, s, n);
}

static void
text_problem(struct request *req, struct form *f, const char *field, enum events_text_check rc,
	     size_t max)
{
	if (rc == TEXT_CONTROL)
		error(f, field, _("Remove the control characters (such as line breaks or tabs) from this field."));
	else if (rc == TEXT_TOO_LONG)
		error(f, field, arena_printf(req->arena, _("Write at most %s characters."),
					     i18n_number(req->arena, req->lang, (int64_t)max)));
}

/* A text field: NULL when left empty, else the checked copy (a problem is noted). */
static const char *
take_text(struct request *req, struct form *f, const char *field, const char *s,
	  enum events_text_kind kind, size_t max)
{
	const char *v = kind == EVENTS_PLAIN ? trimmed(req, s) : s;
	const char *out = NULL;
	enum events_text_check rc = events_check_text(req->arena, v, strlen(v), kind, max, &out);
	if (rc == TEXT_EMPTY)
		return NULL;
	text_problem(req, f, field, rc, max);
	return rc == TEXT_OK ? out : NULL;
}

/* "YYYY-MM-DDTHH:MM" (a space for the T, and ":SS" seconds, allowed) into fields. */
static int
parse_local(const char *s, int *y, int *mo, int *d, int *h, int *mi, int *sec)
{
	static const char shape[] = "dddd-dd-ddTdd:dd";
	size_t n = strlen(s);
	if (n != 16 && n != 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char want = i < 16 ? shape[i] : (i == 16 ? ':' : 'd');
		int ok = want == 'd'   ? s[i] >= '0' && s[i] <= '9'
			 : want == 'T' ? s[i] == 'T' || s[i] == ' '
				       : s[i] == want;
		if (!ok)
			return -1;
	}
	*y = atoi(s);
	*mo = atoi(s + 5);
	*d = atoi(s + 8);
	*h = atoi(s + 11);
	*mi = atoi(s + 14);
	*sec = n == 19 ? atoi(s + 17) : 0;
	return *sec <= 59 ? 0 : -1;
}

/* The instant of the local date and time s in tz; 0, or -1 with a message noted. An
 * unchanged value of an edited event keeps its stored instant (seconds included). */
static int
take_instant(struct request *req, struct form *f, enum field fld, const char *tz,
	     const struct event *old, int64_t stored, int64_t *out)
{
	const char *name = field_names[fld];
	const char *s = f->v[fld];
	int y, mo, d, h, mi, sec;
	if (*s == '\0') {
		error(f, name, _("Give a date and a time."));
		return -1;
	}
	if (parse_local(s, &y, &mo, &d, &h, &mi, &sec) < 0) {
		error(f, name, _("Give a date and a time such as 2030-05-14 10:00."));
		return -1;
	}
	if (tz == NULL)
		return -1;	/* the time zone has its own message */
	if (old != NULL && strcmp(tz, old->timezone) == 0 &&
	    strcmp(s, local_value(req, stored, old->timezone)) == 0) {
		*out = stored;
		return 0;
	}
	int64_t t;
	int rc = i18n_local_to_utc(tz, y, mo, d, h, mi, &t);
	if (rc < 0) {
		error(f, name, _("Give a date between 1900 and 2199 that exists in the calendar."));
		return -1;
	}
	if (rc > 0) {
		error(f, name, _("This time does not exist in the event's time zone: the clocks are "
				 "turned forward then. Choose another time."));
		return -1;
	}
	*out = t + sec;
	return 0;
}

/* Checks every field of f into e (allocating in the request's arena), noting a message
 * beside each field that is wrong. old is the stored event when editing (its slug,
 * state and unchanged instants are kept), NULL when creating. Returns the number of
 * problems. */
static size_t
form_check(struct request *req, struct form *f, const struct choices *c, const struct event *old,
	   struct event *e)
{
	struct arena *a = req->arena;
	memset(e, 0, sizeof(*e));

	/* slug: chosen once */
	if (old != NULL) {
		e->slug = old->slug;
		e->published = old->published;
		e->highlight = old->highlight;
	} else if (!events_slug_valid(f->v[F_SLUG])) {
		error(f, "slug",
		      arena_printf(a, _("Use lowercase letters a-z and digits, words joined by single "
					"hyphens, at most %s characters (such as workshop-irbid-2030)."),
				   i18n_number(a, req->lang, EVENTS_SLUG_MAX)));
	} else {
		e->slug = f->v[F_SLUG];
	}

	int type = event_type_from_code(f->v[F_TYPE]);
	if (type < 0)
		error(f, "type", _("Choose a type from the list."));
	else
		e->type = (enum event_type)type;

	/* when */
	const char *tz = NULL;
	if (strlen(f->v[F_TIMEZONE]) > 64 || !i18n_tz_valid(f->v[F_TIMEZONE]))
		error(f, "timezone", _("Write a time zone such as Asia/Amman or Europe/Paris."));
	else
		tz = e->timezone = f->v[F_TIMEZONE];
	int dates = take_instant(req, f, F_STARTS, tz, old, old ? old->starts : 0, &e->starts) == 0;
	dates &= take_instant(req, f, F_ENDS, tz, old, old ? old->ends : 0, &e->ends) == 0;

	/* where */
	int place = 1;
	if (strcmp(f->v[F_VIRTUAL], "1") == 0) {
		e->is_virtual = 1;
	} else if (strcmp(f->v[F_VIRTUAL], "0") != 0) {
		error(f, "virtual", _("Choose virtual or in person."));
		place = 0;
	}
	e->venue = take_text(req, f, "venue", f->v[F_VENUE], EVENTS_PLAIN, EVENTS_NAME_MAX);
	e->city = take_text(req, f, "city", f->v[F_CITY], EVENTS_PLAIN, EVENTS_NAME_MAX);
	if (*f->v[F_COUNTRY] != '\0') {
		if (events_country_valid(f->v[F_COUNTRY]))
			e->country = f->v[F_COUNTRY];
		else
			error(f, "country", _("Choose a country from the list."));
	}
	const char *link = trimmed(req, f->v[F_LINK]);
	if (*link != '\0') {
		if (events_link_valid(link))
			e->meeting_link = link;
		else
			error(f, "meeting_link", _("Write a web address that starts with https:// or "
						   "http://, without spaces."));
	}

	/* who and how */
	const struct named *org = find_named(c->org, c->n_org, f->v[F_ORGANISER]);
	if (org == NULL)
		error(f, "organiser", _("Choose an organiser from the list."));
	else
		e->organiser.slug = org->slug;	/* by slug: its names stay as they are */
	int part = participation_from_code(f->v[F_PARTICIPATION]);
	if (part < 0)
		error(f, "participation", _("Choose how people take part."));
	else
		e->participation = (enum participation)part;
	const char *cap = trimmed(req, f->v[F_CAPACITY]);
	if (*cap != '\0') {
		char *end;
		long v = strtol(cap, &end, 10);
		if (*end != '\0' || cap[0] < '0' || cap[0] > '9' || v < 1 || v > EVENTS_CAPACITY_MAX)
			error(f, "capacity",
			      arena_printf(a, _("Write a whole number from 1 to %s, or leave it empty "
						"for no limit."),
					   i18n_number(a, req->lang, EVENTS_CAPACITY_MAX)));
		else
			e->capacity = (int)v;
	}
	if (strcmp(f->v[F_APPROVAL], "1") == 0)
		e->needs_approval = 1;
	else if (*f->v[F_APPROVAL] != '\0')
		error(f, "needs_approval", _("Tick the box or leave it empty."));

	/* themes: known ones, each once */
	e->themes = arena_alloc(a, (f->n_themes + 1) * sizeof(*e->themes));
	for (size_t i = 0; i < f->n_themes; i++) {
		const struct named *t = find_named(c->themes, c->n_themes, f->themes[i]);
		int seen = 0;
		for (size_t j = 0; t != NULL && j < e->n_themes; j++)
			seen |= strcmp(e->themes[j].slug, t->slug) == 0;
		if (t == NULL)
			error(f, "themes", _("Choose themes from the list."));
		else if (!seen)
			e->themes[e->n_themes++] = (struct named){.slug = t->slug};
	}
	if (e->n_themes > EVENTS_THEMES_MAX)
		error(f, "themes", arena_printf(a, _("Choose at most %s themes."),
						i18n_number(a, req->lang, EVENTS_THEMES_MAX)));

	/* texts */
	for (int l = 0; l < LANG_COUNT; l++) {
		struct event_text *t = &e->text[l];
		const char *const *in = f->text[l];
		const char *name_title = text_field_name(req, TX_TITLE, (enum lang)l);
		t->title = take_text(req, f, name_title, in[TX_TITLE], EVENTS_PLAIN, EVENTS_TITLE_MAX);
		t->context = take_text(req, f, text_field_name(req, TX_CONTEXT, (enum lang)l),
				       in[TX_CONTEXT], EVENTS_MARKDOWN, EVENTS_TEXT_MAX);
		t->participation = take_text(req, f, text_field_name(req, TX_PART, (enum lang)l),
					     in[TX_PART], EVENTS_MARKDOWN, EVENTS_TEXT_MAX);
		/* objectives: one a line, blank lines skipped */
		const char *name_obj = text_field_name(req, TX_OBJECTIVES, (enum lang)l);
		const char *p = in[TX_OBJECTIVES];
		size_t cap_obj = EVENTS_OBJECTIVES_MAX + 1;
		t->objectives = arena_alloc(a, cap_obj * sizeof(*t->objectives));
		while (*p != '\0') {
			size_t len = strcspn(p, "\n");
			const char *line = arena_strndup(a, p, len > 0 && p[len - 1] == '\r' ? len - 1 : len);
			p += len + (p[len] == '\n');
			const char *item = take_text(req, f, name_obj, line, EVENTS_PLAIN, EVENTS_OBJECTIVE_MAX);
			if (item == NULL)
				continue;
			if (t->n_objectives == EVENTS_OBJECTIVES_MAX) {
				json_object_del(f->errors, name_obj);
				error(f, name_obj, arena_printf(a, _("Write at most %s objectives, one a line."),
								i18n_number(a, req->lang, EVENTS_OBJECTIVES_MAX)));
				break;
			}
			t->objectives[t->n_objectives++] = item;
		}
		int other = t->context != NULL || t->participation != NULL || t->n_objectives > 0;
		if (t->title == NULL && other && json_object_get(f->errors, name_title) == NULL)
			error(f, name_title, _("Give a title in this language, or leave its other fields empty."));
		if (t->title == NULL) {
			/* a language without a title is not stored */
			memset(t, 0, sizeof(*t));
		}
	}

	/* the rules across fields, for the fields that were read */
	unsigned broken = events_rules_broken(e);
	if (dates && (broken & RULE_ENDS_BEFORE_STARTS))
		error(f, "ends", _("The event ends before it starts."));
	if (place && (broken & RULE_VIRTUAL_WITH_PLACE)) {
		static const char *const where[] = {"venue", "city", "country"};
		const char *given[] = {e->venue, e->city, e->country};
		for (int i = 0; i < 3; i++)
			if (given[i] != NULL)
				error(f, where[i], _("A virtual event has no venue, city or country: "
						     "leave this empty, or choose in person."));
	}
	if (place && (broken & RULE_NO_CITY))
		error(f, "city", _("An event in person needs a city."));
	if (place && (broken & RULE_NO_COUNTRY))
		error(f, "country", _("An event in person needs a country."));
	if (place && (broken & RULE_LINK_IN_PERSON))
		error(f, "meeting_link", _("Only a virtual event has a meeting link: leave this "
					   "empty, or choose virtual."));
	if (part >= 0 && (broken & RULE_APPROVAL_NOT_REGISTRATION))
		error(f, "needs_approval", _("Only an event with registration can need approval."));
	if (broken & RULE_NO_TITLE) {
		int any = 0;
		for (int l = 0; l < LANG_COUNT; l++)
			any |= json_object_get(f->errors, text_field_name(req, TX_TITLE, (enum lang)l)) != NULL;
		if (!any)
			error(f, text_field_name(req, TX_TITLE, req->lang),
			      _("Give the event a title in at least one language."));
	}
	return json_object_size(f->errors);
}

/* ---- the page ------------------------------------------------------------------ */

struct option {
	const char *value, *label;
};

static json_t *
options_json(const struct option *o, size_t n, const char *selected)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", o[i].value, "label",
						     o[i].label, "selected",
						     selected != NULL && strcmp(o[i].value, selected) == 0));
	return arr;
}

static json_t *
country_options(struct request *req, const char *selected)
{
	const char *const *codes = i18n_country_codes();
	size_t n = 0;
	while (codes[n] != NULL)
		n++;
	struct option *o = arena_alloc(req->arena, (n + 1) * sizeof(*o));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = i18n_country_name(req->arena, req->lang, codes[i]);
		if (name != NULL && events_country_valid(codes[i]))
			o[k++] = (struct option){codes[i], name};
	}
	i18n_sort(req->lang, o, k, sizeof(*o), offsetof(struct option, label));
	return options_json(o, k, selected);
}

static json_t *
named_options(struct request *req, const struct named *list, size_t n, const char *selected)
{
	struct option *o = arena_alloc(req->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++)
		o[i] = (struct option){list[i].slug, events_name_for(&list[i], req->lang)};
	i18n_sort(req->lang, o, n, sizeof(*o), offsetof(struct option, label));
	return options_json(o, n, selected);
}

static json_t *
theme_boxes(struct request *req, const struct choices *c, const struct form *f)
{
	struct option *o = arena_alloc(req->arena, (c->n_themes + 1) * sizeof(*o));
	for (size_t i = 0; i < c->n_themes; i++)
		o[i] = (struct option){c->themes[i].slug, events_name_for(&c->themes[i], req->lang)};
	i18n_sort(req->lang, o, c->n_themes, sizeof(*o), offsetof(struct option, label));
	json_t *arr = json_array();
	for (size_t i = 0; i < c->n_themes; i++) {
		int on = 0;
		for (size_t j = 0; j < f->n_themes; j++)
			on |= strcmp(f->themes[j], o[i].value) == 0;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", o[i].value, "label",
						     o[i].label, "checked", on));
	}
	return arr;
}

static const char *
error_of(const struct form *f, const char *field)
{
	const char *s = json_string_value(json_object_get(f->errors, field));
	return s != NULL ? s : "";
}

static json_t *
texts_json(struct request *req, const struct form *f)
{
	json_t *arr = json_array();
	for (int l = 0; l < LANG_COUNT; l++) {
		json_t *o = json_object();
		json_object_set_new(o, "code", json_string(lang_code((enum lang)l)));
		json_object_set_new(o, "name", json_string(lang_native_name((enum lang)l)));
		json_object_set_new(o, "dir", json_string(lang_dir((enum lang)l)));
		for (int t = 0; t < TX_COUNT; t++) {
			const char *name = text_field_name(req, (enum text_field)t, (enum lang)l);
			json_object_set_new(o, text_names[t], json_string(f->text[l][t]));
			json_object_set_new(o, arena_printf(req->arena, "%s_err", text_names[t]),
					    json_string(error_of(f, name)));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

enum notice { NOTICE_NONE, NOTICE_SAVED, NOTICE_CONFLICT };

/* Renders the form (f's errors taken) with status; old is the stored event when
 * editing. */
static enum http_error
form_page(struct request *req, struct response *res, struct form *f, const struct choices *c,
	  const struct event *old, int status, enum notice notice)
{
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(old ? _("Edit the event") : _("New event")));
	json_object_set_new(ctx, "description", json_string(old ? _("Edit the event") : _("New event")));
	json_object_set_new(ctx, "is_new", json_boolean(old == NULL));
	json_object_set_new(ctx, "action",
			    json_string(old ? arena_printf(a, "/%s/manage/events/%s/edit", lang, old->slug)
					    : arena_printf(a, "/%s/manage/events/new", lang)));
	json_t *v = json_object();
	for (int i = 0; i < F_COUNT; i++)
		json_object_set_new(v, field_names[i], json_string(f->v[i]));
	json_object_set_new(v, "is_virtual", json_boolean(strcmp(f->v[F_VIRTUAL], "0") != 0));
	json_object_set_new(v, "in_person", json_boolean(strcmp(f->v[F_VIRTUAL], "0") == 0));
	json_object_set_new(v, "approval", json_boolean(*f->v[F_APPROVAL] != '\0'));
	json_object_set_new(ctx, "f", v);

	struct option types[EVENT_TYPE_COUNT], parts[PART_COUNT];
	for (int i = 0; i < EVENT_TYPE_COUNT; i++)
		types[i] = (struct option){event_type_code((enum event_type)i),
					   events_type_label((enum event_type)i)};
	for (int i = 0; i < PART_COUNT; i++)
		parts[i] = (struct option){participation_code((enum participation)i),
					   events_participation_label((enum participation)i)};
	json_object_set_new(ctx, "types", options_json(types, EVENT_TYPE_COUNT, f->v[F_TYPE]));
	json_object_set_new(ctx, "participations", options_json(parts, PART_COUNT, f->v[F_PARTICIPATION]));
	json_object_set_new(ctx, "countries", country_options(req, f->v[F_COUNTRY]));
	json_object_set_new(ctx, "organisers", named_options(req, c->org, c->n_org, f->v[F_ORGANISER]));
	json_object_set_new(ctx, "themes", theme_boxes(req, c, f));
	json_t *z = json_array();
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		json_array_append_new(z, json_string(zones[i]));
	json_object_set_new(ctx, "zones", z);
	json_object_set_new(ctx, "texts", texts_json(req, f));
	json_object_set_new(ctx, "capacity_max", json_integer(EVENTS_CAPACITY_MAX));
	json_object_set_new(ctx, "errors", f->errors);
	f->errors = NULL;
	json_object_set_new(ctx, "saved", json_boolean(notice == NOTICE_SAVED));
	json_object_set_new(ctx, "conflict", json_boolean(notice == NOTICE_CONFLICT));
	if (old != NULL) {
		json_t *ev = json_object();
		json_object_set_new(ev, "slug", json_string(old->slug));
		json_object_set_new(ev, "published", json_boolean(old->published));
		json_object_set_new(ev, "highlight", json_boolean(old->highlight));
		json_object_set_new(ev, "view_url",
				    json_string(arena_printf(a, "/%s/events/%s", lang, old->slug)));
		json_object_set_new(ev, "audit_url",
				    json_string(arena_printf(a, "/%s/manage/audit?event=%s", lang, old->slug)));
		json_object_set_new(ev, "action_base",
				    json_string(arena_printf(a, "/%s/manage/events/%s/", lang, old->slug)));
		json_object_set_new(ev, "back",
				    json_string(arena_printf(a, "/%s/manage/events/%s/edit", lang, old->slug)));
		json_object_set_new(ctx, "event", ev);
	}
	return accounts_form_page(req, res, "events/manage_form", ctx, status);
}

/* ---- the handlers ---------------------------------------------------------------- */

static enum http_error
saved(struct request *req, struct response *res, const char *slug)
{
	http_redirect(res, 303, arena_printf(req->arena, "/%s/manage/events/%s/edit?saved=1",
					     lang_code(req->lang), slug));
	return HTTP_OK;
}

/* GET /{lang}/manage/events/new */
enum http_error
events_manage_new_form(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	if (!auth_can(auth_user_of(req), ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_blank(req, &f);
	return form_page(req, res, &f, &c, NULL, 200, NOTICE_NONE);
}

/* POST /{lang}/manage/events/new: a new event, saved as a draft. */
enum http_error
events_manage_create(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	struct db *db = db_thread();
	struct form f;
	struct choices c;
	struct event e, existing;
	if (!auth_can(me, ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	if (form_check(req, &f, &c, NULL, &e) > 0)
		return form_page(req, res, &f, &c, NULL, 422, NOTICE_NONE);
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	int rc = events_get_any(db, req->arena, e.slug, &existing);
	if (rc == 0) {
		db_rollback(db);
		error(&f, "slug", _("Another event already has this address: choose another."));
		return form_page(req, res, &f, &c, NULL, 422, NOTICE_NONE);
	}
	char err[300] = "";
	json_t *summary = NULL;
	int ok = rc == 1;
	if (ok) {
		e.published = 0;
		e.highlight = 0;
		e.updated = events_next_version(0);
		summary = events_audit_diff(NULL, &e);
		ok = events_save(db, &e, err, sizeof(err)) == 0 &&
		     events_audit_add(db, me->id, "event.create", e.slug, summary) == 0;
	}
	json_decref(summary);
	json_decref(f.errors);
	if (!ok || db_commit(db) < 0) {
		log_error("events: create %s: %s", e.slug, err);
		db_rollback(db);
		return HTTP_ERR_INTERNAL;
	}
	log_info("events: event.create %s by user %lld", e.slug, (long long)me->id);
	return saved(req, res, e.slug);
}

/* GET /{lang}/manage/events/{slug}/edit[?saved=1] */
enum http_error
events_manage_edit_form(struct request *req, struct response *res)
{
	struct form f;
	struct choices c;
	struct event old;
	if (!auth_can(auth_user_of(req), ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int rc = events_get_any(db_thread(), req->arena, req->captures[1], &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_event(req, &f, &old);
	return form_page(req, res, &f, &c, &old, 200,
			 http_query_get(req, "saved") != NULL ? NOTICE_SAVED : NOTICE_NONE);
}

/* POST /{lang}/manage/events/{slug}/edit: saved only when the event is still the
 * version the form was made from; else 409 with the form as it was sent. */
enum http_error
events_manage_update(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	struct db *db = db_thread();
	struct form f;
	struct choices c;
	struct event old, e;
	if (!auth_can(me, ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int rc = events_get_any(db, req->arena, req->captures[1], &old);
	if (rc != 0)
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	if (load_choices(req, &c) < 0)
		return HTTP_ERR_INTERNAL;
	form_from_request(req, &f);
	f.v[F_SLUG] = old.slug;
	char *end;
	long long version = strtoll(f.v[F_VERSION], &end, 10);
	if (*f.v[F_VERSION] == '\0' || *end != '\0') {
		json_decref(f.errors);
		return HTTP_ERR_BAD_PARAM;
	}
	if (form_check(req, &f, &c, &old, &e) > 0)
		return form_page(req, res, &f, &c, &old, 422, NOTICE_NONE);
	if (db_begin(db) < 0) {
		json_decref(f.errors);
		return HTTP_ERR_UNAVAILABLE;
	}
	/* the stored event again, inside the transaction: has anyone changed it? */
	rc = events_get_any(db, req->arena, old.slug, &old);
	if (rc != 0) {
		db_rollback(db);
		json_decref(f.errors);
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	}
	if (old.updated != version) {
		db_rollback(db);
		f.v[F_VERSION] = arena_printf(req->arena, "%lld", (long long)old.updated);
		return form_page(req, res, &f, &c, &old, 409, NOTICE_CONFLICT);
	}
	e.published = old.published;
	e.highlight = old.highlight;
	json_t *summary = events_audit_diff(&old, &e);
	json_decref(f.errors);
	if (json_object_size(summary) == 0) {
		/* nothing changed: no new version, no audit row */
		json_decref(summary);
		db_rollback(db);
		return saved(req, res, old.slug);
	}
	char err[300] = "";
	e.updated = events_next_version(old.updated);
	int ok = events_save(db, &e, err, sizeof(err)) == 0 &&
		 events_audit_add(db, me->id, "event.update", e.slug, summary) == 0;
	json_decref(summary);
	if (!ok || db_commit(db) < 0) {
		log_error("events: update %s: %s", e.slug, err);
		db_rollback(db);
		return HTTP_ERR_INTERNAL;
	}
	log_info("events: event.update %s by user %lld", e.slug, (long long)me->id);
	return saved(req, res, e.slug);
}
