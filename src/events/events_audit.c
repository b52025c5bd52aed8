/* events_audit: the audit log of changes to events — what changed (a before→after
 * summary), stored with who and when, and the staff page that lists it. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define AUDIT_PAGE 50		/* rows per page */
#define AUDIT_VALUE_MAX 200	/* characters of a value kept in a summary */

static const char sql_add[] =
	"INSERT INTO audit_log (at, user_id, action, object_kind, object_id, object_slug, summary)"
	" VALUES (?1, ?2, ?3, 'event', (SELECT id FROM events WHERE slug = ?4), ?4, ?5)";
#define AUDIT_WHERE " WHERE (?1 IS NULL OR (a.object_kind = 'event' AND a.object_slug = ?1))"
static const char sql_list[] =
	"SELECT a.id, a.at, coalesce(a.user_id, 0), u.name, a.action, a.object_kind,"
	" coalesce(a.object_id, 0), a.object_slug, a.summary"
	" FROM audit_log a LEFT JOIN users u ON u.id = a.user_id" AUDIT_WHERE
	" ORDER BY a.id DESC LIMIT ?2 OFFSET ?3";
static const char sql_count[] = "SELECT count(*) FROM audit_log a" AUDIT_WHERE;

/*
 * The fields of an event as the log names them (the paths of docs/import.md), in the
 * order a summary lists them. The labels are the form's.
 */
enum field_kind { FK_PLAIN, FK_SECRET, FK_TYPE, FK_PART };

struct audit_field {
	const char *path;
	const char *label;	/* msgid */
	enum field_kind kind;
};

static const struct audit_field fields[] = {
	{"type", N_("Type"), FK_TYPE},
	{"starts", N_("Starts"), FK_PLAIN},
	{"ends", N_("Ends"), FK_PLAIN},
	{"timezone", N_("Time zone"), FK_PLAIN},
	{"location.virtual", N_("Virtual"), FK_PLAIN},
	{"location.venue", N_("Venue"), FK_PLAIN},
	{"location.city", N_("City"), FK_PLAIN},
	{"location.country", N_("Country"), FK_PLAIN},
	{"location.meeting_link", N_("Meeting link"), FK_SECRET},
	{"organiser", N_("Organiser"), FK_PLAIN},
	{"participation", N_("Participation"), FK_PART},
	{"capacity", N_("Capacity"), FK_PLAIN},
	{"needs_approval", N_("Registrations need a facilitator's approval"), FK_PLAIN},
	{"themes", N_("Themes"), FK_PLAIN},
	{"highlight", N_("Highlighted"), FK_PLAIN},
	{"published", N_("Published"), FK_PLAIN},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct {
	const char *key;
	const char *label;
} text_fields[] = {
	{"title", N_("Title")},
	{"context", N_("Context")},
	{"objectives", N_("Objectives")},
	{"participation", N_("Participation")},
};
#define N_TEXT_FIELDS (sizeof(text_fields) / sizeof(text_fields[0]))

/* A string value, cut at AUDIT_VALUE_MAX characters (with "…"); null for NULL. */
static json_t *
short_string(const char *s)
{
	if (s == NULL)
		return json_null();
	size_t chars = 0, i = 0;
	while (s[i] != '\0' && chars < AUDIT_VALUE_MAX) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
		i++;
	}
	while (s[i] != '\0' && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	if (s[i] == '\0')
		return json_string(s);
	struct buf b = BUF_INIT;
	buf_append(&b, s, i);
	buf_puts(&b, "…");
	json_t *v = b.failed ? json_null() : json_string(buf_cstr(&b));
	buf_free(&b);
	return v;
}

static json_t *
instant(int64_t t)
{
	char s[32];
	time_format_rfc3339(t, s);
	return json_string(s);
}

static json_t *
joined(const char *const *items, size_t n, const char *sep)
{
	if (n == 0)
		return json_null();
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, sep);
		buf_puts(&b, items[i]);
	}
	json_t *v = b.failed ? json_null() : short_string(buf_cstr(&b));
	buf_free(&b);
	return v;
}

/* Every field of e by path (texts as "text.ar.title"); absent values are null. */
static json_t *
flatten(const struct event *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(event_type_code(e->type)));
	json_object_set_new(o, "starts", instant(e->starts));
	json_object_set_new(o, "ends", instant(e->ends));
	json_object_set_new(o, "timezone", short_string(e->timezone));
	json_object_set_new(o, "location.virtual", json_boolean(e->is_virtual));
	json_object_set_new(o, "location.venue", short_string(e->venue));
	json_object_set_new(o, "location.city", short_string(e->city));
	json_object_set_new(o, "location.country", short_string(e->country));
	json_object_set_new(o, "location.meeting_link", short_string(e->meeting_link));
	json_object_set_new(o, "organiser", short_string(e->organiser.slug));
	json_object_set_new(o, "participation",
			    json_string(participation_code(e->participation)));
	json_object_set_new(o, "capacity",
			    e->capacity > 0 ? json_integer(e->capacity) : json_null());
	json_object_set_new(o, "needs_approval", json_boolean(e->needs_approval));
	const char **slugs = calloc(e->n_themes + 1, sizeof(*slugs));
	if (slugs == NULL)
		die("out of memory");
	for (size_t i = 0; i < e->n_themes; i++)
		slugs[i] = e->themes[i].slug;
	json_object_set_new(o, "themes", joined(slugs, e->n_themes, ", "));
	free(slugs);
	json_object_set_new(o, "highlight", json_boolean(e->highlight));
	json_object_set_new(o, "published", json_boolean(e->published));
	for (int l = 0; l < LANG_COUNT; l++) {
		const struct event_text *t = &e->text[l];
		const char *code = lang_code((enum lang)l);
		char key[48];
		snprintf(key, sizeof(key), "text.%s.title", code);
		json_object_set_new(o, key, short_string(t->title));
		snprintf(key, sizeof(key), "text.%s.context", code);
		json_object_set_new(o, key, short_string(t->context));
		snprintf(key, sizeof(key), "text.%s.objectives", code);
		json_object_set_new(o, key, joined(t->objectives, t->n_objectives, "\n"));
		snprintf(key, sizeof(key), "text.%s.participation", code);
		json_object_set_new(o, key, short_string(t->participation));
	}
	return o;
}

static void
diff_one(json_t *out, const char *path, json_t *a, json_t *b, int secret)
{
	if (a == NULL)
		a = json_null();
	if (json_equal(a, b))
		return;
	if (secret)
		json_object_set_new(out, path, json_pack("{s:b}", "changed", 1));
	else
		json_object_set_new(out, path, json_pack("{s:O, s:O}", "from", a, "to", b));
}

json_t *
events_audit_diff(const struct event *before, const struct event *after)
{
	json_t *a = before != NULL ? flatten(before) : json_object();
	json_t *b = flatten(after);
	json_t *out = json_object();
	for (size_t i = 0; i < N_FIELDS; i++)
		diff_one(out, fields[i].path, json_object_get(a, fields[i].path),
			 json_object_get(b, fields[i].path), fields[i].kind == FK_SECRET);
	for (int l = 0; l < LANG_COUNT; l++) {
		for (size_t i = 0; i < N_TEXT_FIELDS; i++) {
			char key[48];
			snprintf(key, sizeof(key), "text.%s.%s", lang_code((enum lang)l),
				 text_fields[i].key);
			diff_one(out, key, json_object_get(a, key), json_object_get(b, key), 0);
		}
	}
	json_decref(a);
	json_decref(b);
	return out;
}

int
events_audit_add(struct db *db, int64_t user_id, const char *action, const char *slug,
		 json_t *summary)
{
	char *text = json_dumps(summary != NULL ? summary : json_object(), JSON_COMPACT);
	struct db_stmt *st = db_prepare(db, sql_add);
	int rc = -1;
	if (text != NULL && st != NULL) {
		db_bind_int(st, 1, time_now());
		if (user_id > 0)
			db_bind_int(st, 2, user_id);
		db_bind_text(st, 3, action);
		db_bind_text(st, 4, slug);
		db_bind_text(st, 5, text);
		rc = db_step(st) == DB_DONE ? 0 : -1;
		db_done(st);
	}
	free(text);
	return rc;
}

static const char *
dup_col(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return s != NULL ? arena_strdup(a, s) : NULL;
}

int
events_audit_list(struct db *db, struct arena *a, const char *slug, size_t offset,
		  size_t limit, struct audit_entry **out, size_t *n, size_t *total)
{
	struct db_stmt *st = db_prepare(db, sql_list);
	int rc;
	*out = arena_alloc(a, (limit + 1) * sizeof(**out));
	*n = 0;
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	db_bind_int(st, 2, (int64_t)limit);
	db_bind_int(st, 3, (int64_t)offset);
	while ((rc = db_step(st)) == DB_ROW && *n < limit) {
		struct audit_entry *e = &(*out)[(*n)++];
		e->id = db_col_int(st, 0);
		e->at = db_col_int(st, 1);
		e->user_id = db_col_int(st, 2);
		e->user_name = dup_col(st, 3, a);
		e->action = dup_col(st, 4, a);
		e->object_kind = dup_col(st, 5, a);
		e->object_id = db_col_int(st, 6);
		e->object_slug = dup_col(st, 7, a);
		e->summary = dup_col(st, 8, a);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	st = db_prepare(db, sql_count);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step(st);
	if (rc == DB_ROW)
		*total = (size_t)db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* ---- the page ------------------------------------------------------------------ */

static const struct {
	const char *action;
	const char *label;
} action_labels[] = {
	{"event.create", N_("Created")},
	{"event.update", N_("Edited")},
	{"event.publish", N_("Published")},
	{"event.unpublish", N_("Unpublished")},
	{"event.highlight", N_("Highlighted")},
	{"event.unhighlight", N_("No longer highlighted")},
};

static const char *
action_label(const char *action)
{
	for (size_t i = 0; i < sizeof(action_labels) / sizeof(action_labels[0]); i++)
		if (action != NULL && strcmp(action, action_labels[i].action) == 0)
			return _(action_labels[i].label);
	return action != NULL ? action : "";
}

/* The label of a summary's path in the reader's language ("Title · العربية"). */
static const char *
field_label(struct arena *a, const char *path, enum field_kind *kind)
{
	*kind = FK_PLAIN;
	for (size_t i = 0; i < N_FIELDS; i++) {
		if (strcmp(path, fields[i].path) == 0) {
			*kind = fields[i].kind;
			return _(fields[i].label);
		}
	}
	if (strncmp(path, "text.", 5) == 0 && strlen(path) > 8 && path[7] == '.') {
		char code[3] = {path[5], path[6], '\0'};
		enum lang l = lang_from_code(code);
		for (size_t i = 0; l != LANG_NONE && i < N_TEXT_FIELDS; i++)
			if (strcmp(path + 8, text_fields[i].key) == 0)
				return arena_printf(a, "%s · %s", _(text_fields[i].label),
						    lang_native_name(l));
	}
	return path;
}

/* A summary value for the reader: "—" for none, yes or no, a type or mode's name. */
static const char *
value_text(struct request *req, json_t *v, enum field_kind kind)
{
	if (v == NULL || json_is_null(v))
		return "—";
	if (json_is_boolean(v))
		return json_is_true(v) ? _("Yes") : _("No");
	if (json_is_integer(v))
		return i18n_number(req->arena, req->lang, json_integer_value(v));
	const char *s = json_string_value(v);
	if (s == NULL)
		return "?";
	if (kind == FK_TYPE && event_type_from_code(s) >= 0)
		return events_type_label((enum event_type)event_type_from_code(s));
	if (kind == FK_PART && participation_from_code(s) >= 0)
		return events_participation_label((enum participation)participation_from_code(s));
	return s;
}

static json_t *
changes_json(struct request *req, const char *summary)
{
	json_t *arr = json_array();
	json_error_t jerr;
	json_t *o = json_loads(summary != NULL ? summary : "{}", 0, &jerr);
	const char *path;
	json_t *v;
	if (!json_is_object(o)) {
		json_decref(o);
		return arr;
	}
	json_object_foreach(o, path, v) {
		enum field_kind kind;
		const char *label = field_label(req->arena, path, &kind);
		json_t *c = json_pack("{s:s}", "label", label);
		if (json_object_get(v, "changed") != NULL) {
			json_object_set_new(c, "hidden", json_true());
		} else {
			json_object_set_new(c, "from",
					    json_string(value_text(req, json_object_get(v, "from"), kind)));
			json_object_set_new(c, "to",
					    json_string(value_text(req, json_object_get(v, "to"), kind)));
		}
		json_array_append_new(arr, c);
	}
	json_decref(o);
	return arr;
}

enum http_error
events_audit_page(struct request *req, struct response *res)
{
	const struct auth_user *me = auth_user_of(req);
	if (!auth_can(me, ACT_AUDIT_VIEW, NULL))
		return HTTP_ERR_FORBIDDEN;
	const char *slug = http_query_get(req, "event");
	if (slug != NULL && *slug == '\0')
		slug = NULL;
	if (slug != NULL && !events_slug_valid(slug))
		return HTTP_ERR_BAD_PARAM;
	size_t page = events_manage_page(req);
	if (page == 0)
		return HTTP_ERR_BAD_PARAM;
	struct audit_entry *rows;
	size_t n, total = 0;
	if (events_audit_list(db_thread(), req->arena, slug, (page - 1) * AUDIT_PAGE, AUDIT_PAGE,
			      &rows, &n, &total) < 0)
		return HTTP_ERR_INTERNAL;
	const char *lang = lang_code(req->lang);
	const char *tz = me->timezone != NULL && i18n_tz_valid(me->timezone) ? me->timezone : "UTC";
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		struct audit_entry *e = &rows[i];
		char iso[32];
		time_format_rfc3339(e->at, iso);
		json_t *o = json_object();
		json_object_set_new(o, "at", json_string(i18n_datetime(req->arena, req->lang, e->at, tz)));
		json_object_set_new(o, "at_iso", json_string(iso));
		json_object_set_new(o, "who", json_string(e->user_name != NULL ? e->user_name
									 : _("(no account)")));
		json_object_set_new(o, "action", json_string(action_label(e->action)));
		json_object_set_new(o, "slug", json_str_or_null(e->object_slug));
		if (e->object_slug != NULL)
			json_object_set_new(o, "edit_url",
					    json_string(arena_printf(req->arena, "/%s/manage/events/%s/edit",
								     lang, e->object_slug)));
		json_object_set_new(o, "changes", changes_json(req, e->summary));
		json_array_append_new(items, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Audit log")));
	json_object_set_new(ctx, "description", json_string(_("Who changed which event, and when.")));
	json_object_set_new(ctx, "rows", items);
	json_object_set_new(ctx, "event", json_string(slug != NULL ? slug : ""));
	json_object_set_new(ctx, "total", json_string(i18n_number(req->arena, req->lang, (int64_t)total)));
	json_object_set_new(ctx, "tz", json_string(tz));
	const char *filter = slug != NULL ? arena_printf(req->arena, "event=%s&", slug) : "";
	const char *base = arena_printf(req->arena, "/%s/manage/audit?%spage=", lang, filter);
	if (page > 1)
		json_object_set_new(ctx, "prev_url",
				    json_string(arena_printf(req->arena, "%s%zu", base, page - 1)));
	if (page * AUDIT_PAGE < total && page < 10000)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_printf(req->arena, "%s%zu", base, page + 1)));
	json_object_set_new(ctx, "pager", json_boolean(json_object_get(ctx, "prev_url") != NULL ||
						       json_object_get(ctx, "next_url") != NULL));
	return accounts_form_page(req, res, "events/manage_audit", ctx, 200);
}
