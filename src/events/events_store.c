/* events_store: every SQL statement of the events module, and the loaders from rows to struct event. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "events/events_index.h"

#define LIST_DEFAULT 20
#define LIST_MAX 1000		/* a page never holds more, whatever the caller asks */

/*
 * Loading. An event comes from three statements stepped side by side: the events
 * (joined with their organiser), their texts and their themes, the last two ordered
 * exactly like the first and carrying the event id in column 0, so rows are matched
 * by merging, with no lookups and no query per event. While one statement is still
 * active SQLite keeps the same read transaction, so the three see one snapshot
 * (tests/unit/test_db.c checks it; a PostgreSQL back end needs a repeatable-read
 * transaction around them for the same guarantee).
 */
#define EVENT_COLS                                                                        \
	"e.id, e.slug, e.type, e.starts, e.ends, e.timezone, e.is_virtual, e.venue, "     \
	"e.city, e.country, e.participation, e.highlight, e.published, e.updated, "       \
	"e.meeting_link, e.capacity, e.needs_approval, "                                  \
	"o.slug, o.name_ar, o.name_en, o.name_fr"
enum {
	EC_ID, EC_SLUG, EC_TYPE, EC_STARTS, EC_ENDS, EC_TZ, EC_VIRTUAL, EC_VENUE, EC_CITY,
	EC_COUNTRY, EC_PART, EC_HIGHLIGHT, EC_PUBLISHED, EC_UPDATED, EC_LINK, EC_CAPACITY,
	EC_APPROVAL, EC_ORG_SLUG, EC_ORG_NAME
};
#define EVENT_FROM " FROM events e JOIN organisers o ON o.id = e.organiser_id"

#define TEXT_COLS "t.event_id, t.lang, t.title, t.context, t.participation, t.objectives"
enum { TC_EVENT, TC_LANG, TC_TITLE, TC_CONTEXT, TC_PART, TC_OBJECTIVES };

#define THEME_COLS "et.event_id, th.slug, th.name_ar, th.name_en, th.name_fr"
#define THEME_JOIN " JOIN event_themes et ON et.event_id = e.id JOIN themes th ON th.id = et.theme_id"
enum { HC_EVENT, HC_SLUG };

/* events_get */
static const char sql_get[] = "SELECT " EVENT_COLS EVENT_FROM
			      " WHERE e.slug = ?1 AND e.published = 1";
static const char sql_get_texts[] =
	"SELECT " TEXT_COLS " FROM events e JOIN event_texts t ON t.event_id = e.id"
	" WHERE e.slug = ?1 AND e.published = 1 ORDER BY t.lang";
static const char sql_get_themes[] = "SELECT " THEME_COLS " FROM events e" THEME_JOIN
				     " WHERE e.slug = ?1 AND e.published = 1"
				     " ORDER BY et.position, th.slug";
/* events_get_any: drafts too */
static const char sql_get_any[] = "SELECT " EVENT_COLS EVENT_FROM " WHERE e.slug = ?1";
static const char sql_get_any_texts[] =
	"SELECT " TEXT_COLS " FROM events e JOIN event_texts t ON t.event_id = e.id"
	" WHERE e.slug = ?1 ORDER BY t.lang";
static const char sql_get_any_themes[] = "SELECT " THEME_COLS " FROM events e" THEME_JOIN
					 " WHERE e.slug = ?1 ORDER BY et.position, th.slug";

/* events_list_all (staff): drafts too, newest first; ?1 limit, ?2 offset */
#define ALL_DESC " ORDER BY e.starts DESC, e.id DESC"
#define ALL_PAGE " FROM (SELECT e.id, e.starts FROM events e" ALL_DESC " LIMIT ?1 OFFSET ?2) p"
static const char sql_all[] = "SELECT " EVENT_COLS EVENT_FROM ALL_DESC " LIMIT ?1 OFFSET ?2";
static const char sql_all_texts[] =
	"SELECT " TEXT_COLS ALL_PAGE " JOIN event_texts t ON t.event_id = p.id"
	" ORDER BY p.starts DESC, p.id DESC, t.lang";
static const char sql_all_themes[] =
	"SELECT " THEME_COLS ALL_PAGE " JOIN event_themes et ON et.event_id = p.id"
	" JOIN themes th ON th.id = et.theme_id"
	" ORDER BY p.starts DESC, p.id DESC, et.position, th.slug";

static const char sql_organisers[] =
	"SELECT slug, name_ar, name_en, name_fr FROM organisers ORDER BY slug";
static const char sql_themes[] = "SELECT slug, name_ar, name_en, name_fr FROM themes ORDER BY slug";

/* events_list: ?1 from, ?2 to, ?3 type, ?4 highlight only, ?5 when, ?6 now, ?7 limit,
 * ?8 offset. NULL or 0 in a filter parameter means "no restriction". The texts and
 * themes select the same page again (same filters, order, limit) to merge with it.
 * The total is a separate count, run only when the page does not tell it: a window
 * count(*) OVER () in the page query makes SQLite sort every match (25x slower on
 * 10 000 events) where the ordered index scan otherwise stops after one page. */
#define LIST_WHERE                                                                        \
	" WHERE e.published = 1"                                                          \
	" AND (?1 IS NULL OR e.starts >= ?1) AND (?2 IS NULL OR e.starts < ?2)"           \
	" AND (?3 IS NULL OR e.type = ?3) AND (?4 = 0 OR e.highlight = 1)"                \
	" AND (?5 = 0 OR (?5 > 0 AND e.ends >= ?6) OR (?5 < 0 AND e.ends < ?6))"
#define LIST_PAGE " LIMIT ?7 OFFSET ?8"
#define ASC " ORDER BY e.starts, e.id"
#define DESC " ORDER BY e.starts DESC, e.id DESC"
#define PAGE_OF(order) " FROM (SELECT e.id, e.starts FROM events e" LIST_WHERE order LIST_PAGE ") p"

static const char *const sql_list[2] = {
	"SELECT " EVENT_COLS EVENT_FROM LIST_WHERE ASC LIST_PAGE,
	"SELECT " EVENT_COLS EVENT_FROM LIST_WHERE DESC LIST_PAGE,
};
static const char *const sql_list_texts[2] = {
	"SELECT " TEXT_COLS PAGE_OF(ASC) " JOIN event_texts t ON t.event_id = p.id"
	" ORDER BY p.starts, p.id, t.lang",
	"SELECT " TEXT_COLS PAGE_OF(DESC) " JOIN event_texts t ON t.event_id = p.id"
	" ORDER BY p.starts DESC, p.id DESC, t.lang",
};
static const char *const sql_list_themes[2] = {
	"SELECT " THEME_COLS PAGE_OF(ASC) " JOIN event_themes et ON et.event_id = p.id"
	" JOIN themes th ON th.id = et.theme_id ORDER BY p.starts, p.id, et.position, th.slug",
	"SELECT " THEME_COLS PAGE_OF(DESC) " JOIN event_themes et ON et.event_id = p.id"
	" JOIN themes th ON th.id = et.theme_id"
	" ORDER BY p.starts DESC, p.id DESC, et.position, th.slug",
};
static const char sql_list_count[] = "SELECT count(*) FROM events e" LIST_WHERE;

/* events_export: everything, published or not, by slug. */
static const char sql_export[] = "SELECT " EVENT_COLS EVENT_FROM " ORDER BY e.slug";
static const char sql_export_texts[] =
	"SELECT " TEXT_COLS " FROM events e JOIN event_texts t ON t.event_id = e.id"
	" ORDER BY e.slug, t.lang";
static const char sql_export_themes[] = "SELECT " THEME_COLS " FROM events e" THEME_JOIN
					" ORDER BY e.slug, et.position, th.slug";

static const char sql_count[] = "SELECT count(*) FROM events";
static const char sql_last_updated[] = "SELECT max(updated) FROM events";

/* events_save */
static const char sql_org_upsert[] =
	"INSERT INTO organisers (slug, name_ar, name_en, name_fr) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (slug) DO UPDATE SET name_ar = excluded.name_ar,"
	" name_en = excluded.name_en, name_fr = excluded.name_fr RETURNING id";
static const char sql_org_find[] = "SELECT id FROM organisers WHERE slug = ?1";
static const char sql_theme_upsert[] =
	"INSERT INTO themes (slug, name_ar, name_en, name_fr) VALUES (?1, ?2, ?3, ?4)"
	" ON CONFLICT (slug) DO UPDATE SET name_ar = excluded.name_ar,"
	" name_en = excluded.name_en, name_fr = excluded.name_fr RETURNING id";
/* a theme named only by its slug: created with the slug as its English name, left as
 * it is when it exists (the no-op update makes RETURNING give the id either way) */
static const char sql_theme_ensure[] =
	"INSERT INTO themes (slug, name_en) VALUES (?1, ?1)"
	" ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id";
static const char sql_event_upsert[] =
	"INSERT INTO events (slug, type, starts, ends, timezone, is_virtual, venue, city,"
	" country, organiser_id, participation, highlight, published, created, updated,"
	" meeting_link, capacity, needs_approval)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16, ?17)"
	" ON CONFLICT (slug) DO UPDATE SET type = excluded.type, starts = excluded.starts,"
	" ends = excluded.ends, timezone = excluded.timezone,"
	" is_virtual = excluded.is_virtual, venue = excluded.venue, city = excluded.city,"
	" country = excluded.country, organiser_id = excluded.organiser_id,"
	" participation = excluded.participation, highlight = excluded.highlight,"
	" published = excluded.published, updated = excluded.updated,"
	" meeting_link = excluded.meeting_link, capacity = excluded.capacity,"
	" needs_approval = excluded.needs_approval RETURNING id";
static const char sql_texts_clear[] = "DELETE FROM event_texts WHERE event_id = ?1";
static const char sql_text_insert[] =
	"INSERT INTO event_texts (event_id, lang, title, context, participation, objectives)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_themes_clear[] = "DELETE FROM event_themes WHERE event_id = ?1";
static const char sql_theme_link[] =
	"INSERT INTO event_themes (event_id, theme_id, position) VALUES (?1, ?2, ?3)";

struct loader {
	struct db_stmt *ev, *tx, *th;
	int started;		/* tx and th stepped once */
	int rc_tx, rc_th;	/* their last step: a pending row, done, or error */
};

static const char *
dup_col(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return s != NULL ? arena_strdup(a, s) : NULL;
}

static void
read_named(struct db_stmt *st, int col, struct arena *a, struct named *n)
{
	n->slug = dup_col(st, col, a);
	for (int l = 0; l < LANG_COUNT; l++)
		n->name[l] = dup_col(st, col + 1 + l, a);
}

static int
read_event(struct db_stmt *st, struct arena *a, struct event *e)
{
	memset(e, 0, sizeof(*e));
	int type = event_type_from_code(db_col_text(st, EC_TYPE));
	int part = participation_from_code(db_col_text(st, EC_PART));
	if (type < 0 || part < 0) {
		BUG("events: row with unknown type or participation");
		return -1;
	}
	e->id = db_col_int(st, EC_ID);
	e->slug = dup_col(st, EC_SLUG, a);
	e->type = (enum event_type)type;
	e->starts = db_col_int(st, EC_STARTS);
	e->ends = db_col_int(st, EC_ENDS);
	e->timezone = dup_col(st, EC_TZ, a);
	e->is_virtual = db_col_int(st, EC_VIRTUAL) != 0;
	e->venue = dup_col(st, EC_VENUE, a);
	e->city = dup_col(st, EC_CITY, a);
	e->country = dup_col(st, EC_COUNTRY, a);
	e->participation = (enum participation)part;
	e->highlight = db_col_int(st, EC_HIGHLIGHT) != 0;
	e->published = db_col_int(st, EC_PUBLISHED) != 0;
	e->updated = db_col_int(st, EC_UPDATED);
	e->meeting_link = dup_col(st, EC_LINK, a);
	e->capacity = (int)db_col_int(st, EC_CAPACITY);	/* NULL reads as 0: unlimited */
	e->needs_approval = db_col_int(st, EC_APPROVAL) != 0;
	read_named(st, EC_ORG_SLUG, a, &e->organiser);
	return 0;
}

int
events_read_objectives(struct arena *a, const char *json, struct event_text *t)
{
	json_error_t jerr;
	json_t *arr = json_loads(json != NULL ? json : "[]", 0, &jerr);
	if (arr == NULL || !json_is_array(arr))
		goto fail;
	size_t n = json_array_size(arr);
	t->objectives = arena_alloc(a, (n + 1) * sizeof(*t->objectives));
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (s == NULL)
			goto fail;
		t->objectives[i] = arena_strdup(a, s);
	}
	t->n_objectives = n;
	json_decref(arr);
	return 0;
fail:
	BUG("events: objectives are not a JSON array of strings");
	json_decref(arr);
	return -1;
}

static int
read_text(struct db_stmt *st, struct arena *a, struct event *e)
{
	enum lang l = lang_from_code(db_col_text(st, TC_LANG));
	if (l == LANG_NONE) {
		BUG("events: text in an unknown language");
		return -1;
	}
	struct event_text *t = &e->text[l];
	t->title = dup_col(st, TC_TITLE, a);
	t->context = dup_col(st, TC_CONTEXT, a);
	t->participation = dup_col(st, TC_PART, a);
	return events_read_objectives(a, db_col_text(st, TC_OBJECTIVES), t);
}

static void
add_theme(struct db_stmt *st, struct arena *a, struct event *e, size_t *cap)
{
	if (e->n_themes == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct named *t = arena_alloc(a, ncap * sizeof(*t));
		if (e->n_themes > 0)
			memcpy(t, e->themes, e->n_themes * sizeof(*t));
		e->themes = t;
		*cap = ncap;
	}
	read_named(st, HC_SLUG, a, &e->themes[e->n_themes++]);
}

/* The next event with its texts and themes, allocated in a: DB_ROW, DB_DONE or
 * DB_ERROR. The events statement stays on that row until the next call. */
static int
load_next(struct loader *l, struct arena *a, struct event *e)
{
	int rc = db_step(l->ev);
	if (rc != DB_ROW) {
		if (rc == DB_DONE && l->started && (l->rc_tx == DB_ROW || l->rc_th == DB_ROW)) {
			BUG("events: texts or themes not ordered like their events");
			return DB_ERROR;
		}
		return rc;
	}
	if (!l->started) {
		l->started = 1;
		l->rc_tx = db_step(l->tx);
		l->rc_th = db_step(l->th);
	}
	if (read_event(l->ev, a, e) < 0)
		return DB_ERROR;
	while (l->rc_tx == DB_ROW && db_col_int(l->tx, TC_EVENT) == e->id) {
		if (read_text(l->tx, a, e) < 0)
			return DB_ERROR;
		l->rc_tx = db_step(l->tx);
	}
	size_t cap = 0;
	while (l->rc_th == DB_ROW && db_col_int(l->th, HC_EVENT) == e->id) {
		add_theme(l->th, a, e, &cap);
		l->rc_th = db_step(l->th);
	}
	if (l->rc_tx == DB_ERROR || l->rc_th == DB_ERROR)
		return DB_ERROR;
	return DB_ROW;
}

static int
loader_open(struct loader *l, struct db *db, const char *ev, const char *tx, const char *th)
{
	memset(l, 0, sizeof(*l));
	l->ev = db_prepare(db, ev);
	l->tx = db_prepare(db, tx);
	l->th = db_prepare(db, th);
	return l->ev != NULL && l->tx != NULL && l->th != NULL ? 0 : -1;
}

static void
loader_close(struct loader *l)
{
	db_done(l->th);
	db_done(l->tx);
	db_done(l->ev);
}

int
events_get(struct db *db, struct arena *a, const char *slug, struct event *out)
{
	struct loader l;
	if (loader_open(&l, db, sql_get, sql_get_texts, sql_get_themes) < 0)
		return -1;
	db_bind_text(l.ev, 1, slug);
	db_bind_text(l.tx, 1, slug);
	db_bind_text(l.th, 1, slug);
	int rc = load_next(&l, a, out);
	loader_close(&l);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
events_get_any(struct db *db, struct arena *a, const char *slug, struct event *out)
{
	struct loader l;
	if (loader_open(&l, db, sql_get_any, sql_get_any_texts, sql_get_any_themes) < 0)
		return -1;
	db_bind_text(l.ev, 1, slug);
	db_bind_text(l.tx, 1, slug);
	db_bind_text(l.th, 1, slug);
	int rc = load_next(&l, a, out);
	loader_close(&l);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
events_list_all(struct db *db, struct arena *a, size_t offset, size_t limit,
		struct event **out, size_t *n, size_t *total)
{
	struct loader l;
	if (limit == 0 || limit > LIST_MAX)
		limit = LIST_DEFAULT;
	struct event *ev = arena_alloc(a, limit * sizeof(*ev));
	size_t k = 0;
	int rc = DB_DONE;
	*out = NULL;
	*n = 0;
	if (loader_open(&l, db, sql_all, sql_all_texts, sql_all_themes) < 0)
		return -1;
	struct db_stmt *st[3] = {l.ev, l.tx, l.th};
	for (int i = 0; i < 3; i++) {
		db_bind_int(st[i], 1, (int64_t)limit);
		db_bind_int(st[i], 2, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
	}
	while (k < limit && (rc = load_next(&l, a, &ev[k])) == DB_ROW)
		k++;
	loader_close(&l);
	if (k < limit && rc == DB_ERROR)
		return -1;
	*out = ev;
	*n = k;
	int64_t count = events_count(db);
	if (count < 0)
		return -1;
	*total = (size_t)count;
	return 0;
}

static int
load_named(struct db *db, struct arena *a, const char *sql, struct named **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct named *m = arena_alloc(a, ncap * sizeof(*m));
			if (*n > 0)
				memcpy(m, *out, *n * sizeof(*m));
			*out = m;
			cap = ncap;
		}
		read_named(st, 0, a, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int
events_organisers(struct db *db, struct arena *a, struct named **out, size_t *n)
{
	return load_named(db, a, sql_organisers, out, n);
}

int
events_themes(struct db *db, struct arena *a, struct named **out, size_t *n)
{
	return load_named(db, a, sql_themes, out, n);
}

/* now is passed in, not read per statement: the page and its texts must agree. */
static void
bind_filters(struct db_stmt *st, const struct event_query *q, int64_t now)
{
	if (q->from != 0)
		db_bind_int(st, 1, q->from);
	if (q->to != 0)
		db_bind_int(st, 2, q->to);
	if (q->type >= 0 && q->type < EVENT_TYPE_COUNT)
		db_bind_text(st, 3, event_type_code((enum event_type)q->type));
	db_bind_int(st, 4, q->highlight_only != 0);
	db_bind_int(st, 5, (q->when > 0) - (q->when < 0));
	db_bind_int(st, 6, now);
}

static void
bind_page(struct db_stmt *st, const struct event_query *q, int64_t now, int64_t limit)
{
	bind_filters(st, q, now);
	db_bind_int(st, 7, limit);
	db_bind_int(st, 8, q->offset > INT64_MAX ? INT64_MAX : (int64_t)q->offset);
}

int
events_list(struct db *db, struct arena *a, const struct event_query *q,
	    struct event **out, size_t *n, size_t *total)
{
	size_t limit = q->limit == 0 ? LIST_DEFAULT : q->limit > LIST_MAX ? LIST_MAX : q->limit;
	int desc = q->newest_first != 0;
	int64_t now = q->now != 0 ? q->now : time_now();
	struct loader l;
	struct event *ev = arena_alloc(a, limit * sizeof(*ev));
	size_t k = 0;
	int rc = DB_DONE;
	*out = NULL;
	*n = 0;
	if (loader_open(&l, db, sql_list[desc], sql_list_texts[desc], sql_list_themes[desc]) < 0)
		return -1;
	bind_page(l.ev, q, now, (int64_t)limit);
	bind_page(l.tx, q, now, (int64_t)limit);
	bind_page(l.th, q, now, (int64_t)limit);
	while (k < limit && (rc = load_next(&l, a, &ev[k])) == DB_ROW)
		k++;
	loader_close(&l);
	if (k < limit && rc == DB_ERROR)
		return -1;
	*out = ev;
	*n = k;
	if (total == NULL)
		return 0;
	if (k < limit && (k > 0 || q->offset == 0)) {
		/* the last page: the total is known without counting */
		*total = q->offset + k;
		return 0;
	}
	struct db_stmt *st = db_prepare(db, sql_list_count);
	if (st == NULL)
		return -1;
	bind_filters(st, q, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*total = (size_t)db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int64_t
single_int(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int64_t v = -1;
	if (db_step(st) == DB_ROW)
		v = db_col_is_null(st, 0) ? 0 : db_col_int(st, 0);
	db_done(st);
	return v;
}

int64_t
events_count(struct db *db)
{
	return single_int(db, sql_count);
}

int64_t
events_last_updated(struct db *db)
{
	int64_t v = single_int(db, sql_last_updated);
	return v < 0 ? 0 : v;
}

long
events_export(struct db *db, FILE *out)
{
	struct loader l;
	long n = 0;
	int rc;
	if (loader_open(&l, db, sql_export, sql_export_texts, sql_export_themes) < 0)
		return -1;
	for (;;) {
		struct arena *a = arena_new();
		struct event e;
		rc = load_next(&l, a, &e);
		char *line = rc == DB_ROW ? events_to_json_line(&e) : NULL;
		arena_free(a);
		if (rc != DB_ROW)
			break;
		if (line == NULL) {
			log_error("events: export: event %lld cannot be written as JSON",
				  (long long)e.id);
			rc = DB_ERROR;
			break;
		}
		fputs(line, out);
		fputc('\n', out);
		free(line);
		n++;
	}
	loader_close(&l);
	if (rc == DB_ERROR)
		return -1;
	if (fflush(out) != 0 || ferror(out)) {
		log_error("events: export: write error");
		return -1;
	}
	return n;
}

/* Saving. */
static int
say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int
has_names(const struct named *n)
{
	for (int l = 0; l < LANG_COUNT; l++)
		if (n->name[l] != NULL)
			return 1;
	return 0;
}

/* Runs a statement that returns one id (upsert ... RETURNING id, or a lookup): the
 * id, 0 when there is no row, -1 on error. */
static int64_t
step_id(struct db_stmt *st)
{
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : rc == DB_DONE ? 0 : -1;
	db_done(st);
	return id;
}

static void
bind_named(struct db_stmt *st, const struct named *n)
{
	db_bind_text(st, 1, n->slug);
	for (int l = 0; l < LANG_COUNT; l++)
		db_bind_text(st, 2 + l, n->name[l]);
}

static int64_t
save_organiser(struct db *db, const struct named *o, char *err, size_t errlen)
{
	int named = has_names(o);
	struct db_stmt *st = db_prepare(db, named ? sql_org_upsert : sql_org_find);
	if (st == NULL)
		return say(err, errlen, "database error");
	if (named)
		bind_named(st, o);
	else
		db_bind_text(st, 1, o->slug);
	int64_t id = step_id(st);
	if (id == 0)
		return say(err, errlen, "unknown organiser \"%s\" (give its names once)", o->slug);
	if (id < 0)
		return say(err, errlen, "database error saving organiser \"%s\"", o->slug);
	return id;
}

static int64_t
save_theme(struct db *db, const struct named *t, char *err, size_t errlen)
{
	int named = has_names(t);
	struct db_stmt *st = db_prepare(db, named ? sql_theme_upsert : sql_theme_ensure);
	if (st == NULL)
		return say(err, errlen, "database error");
	if (named)
		bind_named(st, t);
	else
		db_bind_text(st, 1, t->slug);
	int64_t id = step_id(st);
	if (id <= 0)
		return say(err, errlen, "database error saving theme \"%s\"", t->slug);
	return id;
}

static int
step_done(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t
save_event_row(struct db *db, const struct event *e, int64_t organiser, char *err,
	       size_t errlen)
{
	struct db_stmt *st = db_prepare(db, sql_event_upsert);
	if (st == NULL)
		return say(err, errlen, "database error");
	db_bind_text(st, 1, e->slug);
	db_bind_text(st, 2, event_type_code(e->type));
	db_bind_int(st, 3, e->starts);
	db_bind_int(st, 4, e->ends);
	db_bind_text(st, 5, e->timezone);
	db_bind_int(st, 6, e->is_virtual != 0);
	if (!e->is_virtual) {
		db_bind_text(st, 7, e->venue);
		db_bind_text(st, 8, e->city);
		db_bind_text(st, 9, e->country);
	}
	db_bind_int(st, 10, organiser);
	db_bind_text(st, 11, participation_code(e->participation));
	db_bind_int(st, 12, e->highlight != 0);
	db_bind_int(st, 13, e->published != 0);
	db_bind_int(st, 14, e->updated > 0 ? e->updated : time_now());
	db_bind_text(st, 15, e->is_virtual ? e->meeting_link : NULL);
	if (e->capacity > 0)
		db_bind_int(st, 16, e->capacity);
	db_bind_int(st, 17, e->needs_approval != 0);
	int64_t id = step_id(st);
	if (id <= 0)
		return say(err, errlen, "database error saving event \"%s\" (see the log)", e->slug);
	return id;
}

static int
save_text(struct db *db, int64_t id, enum lang l, const struct event_text *t)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < t->n_objectives; i++)
		if (json_array_append_new(arr, json_string(t->objectives[i])) < 0)
			goto fail;
	char *objectives = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	arr = NULL;
	if (objectives == NULL)
		goto fail;
	struct db_stmt *st = db_prepare(db, sql_text_insert);
	int rc = -1;
	if (st != NULL) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, lang_code(l));
		db_bind_text(st, 3, t->title);
		db_bind_text(st, 4, t->context);
		db_bind_text(st, 5, t->participation);
		db_bind_text(st, 6, objectives);
		rc = step_done(st);
	}
	free(objectives);
	return rc;
fail:
	json_decref(arr);
	return -1;
}

static int
save_texts(struct db *db, int64_t id, const struct event *e)
{
	struct db_stmt *st = db_prepare(db, sql_texts_clear);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (step_done(st) < 0)
		return -1;
	for (int l = 0; l < LANG_COUNT; l++)
		if (e->text[l].title != NULL && save_text(db, id, (enum lang)l, &e->text[l]) < 0)
			return -1;
	return 0;
}

static int
save_themes(struct db *db, int64_t id, const int64_t *theme_ids, size_t n)
{
	struct db_stmt *st = db_prepare(db, sql_themes_clear);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (step_done(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, sql_theme_link);
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, theme_ids[i]);
		db_bind_int(st, 3, (int64_t)i);
		if (step_done(st) < 0)
			return -1;
	}
	return 0;
}

int
events_save(struct db *db, const struct event *e, char *err, size_t errlen)
{
	int64_t *theme_ids = NULL;
	if (e->slug == NULL || e->organiser.slug == NULL || e->timezone == NULL)
		return say(err, errlen, "an event needs a slug, an organiser and a time zone");
	if (e->type < 0 || e->type >= EVENT_TYPE_COUNT || e->participation < 0 ||
	    e->participation >= PART_COUNT)
		return say(err, errlen, "event \"%s\": bad type or participation", e->slug);
	int64_t organiser = save_organiser(db, &e->organiser, err, errlen);
	if (organiser < 0)
		return -1;
	theme_ids = calloc(e->n_themes + 1, sizeof(*theme_ids));
	if (theme_ids == NULL)
		die("out of memory");
	for (size_t i = 0; i < e->n_themes; i++)
		if ((theme_ids[i] = save_theme(db, &e->themes[i], err, errlen)) < 0)
			goto fail;
	int64_t id = save_event_row(db, e, organiser, err, errlen);
	if (id < 0)
		goto fail;
	if (save_texts(db, id, e) < 0 || save_themes(db, id, theme_ids, e->n_themes) < 0) {
		say(err, errlen, "database error saving the texts or themes of \"%s\"", e->slug);
		goto fail;
	}
	if (events_index_event(db, id, e) < 0) {
		say(err, errlen, "database error indexing \"%s\" for search", e->slug);
		goto fail;
	}
	free(theme_ids);
	return 0;
fail:
	free(theme_ids);
	return -1;
}

/* events_by_ids: ?1 is a JSON array of ids (SQLite's json_each; the PostgreSQL back end
 * will bind an array and use = ANY). Ordered by id to merge; reordered by the caller. */
#define IDS_WHERE " WHERE e.published = 1 AND e.id IN (SELECT value FROM json_each(?1))"
static const char sql_ids[] = "SELECT " EVENT_COLS EVENT_FROM IDS_WHERE " ORDER BY e.id";
static const char sql_ids_texts[] =
	"SELECT " TEXT_COLS " FROM events e JOIN event_texts t ON t.event_id = e.id" IDS_WHERE
	" ORDER BY e.id, t.lang";
static const char sql_ids_themes[] = "SELECT " THEME_COLS " FROM events e" THEME_JOIN IDS_WHERE
				     " ORDER BY e.id, et.position, th.slug";

int
events_by_ids(struct db *db, struct arena *a, const int64_t *ids, size_t n, struct event **out,
	      size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return 0;
	if (n > LIST_MAX)
		n = LIST_MAX;
	struct buf list = BUF_INIT;
	buf_putc(&list, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&list, ']');
	struct loader l;
	struct event *byid = arena_alloc(a, n * sizeof(*byid));
	size_t k = 0;
	int rc = DB_DONE;
	if (list.failed || loader_open(&l, db, sql_ids, sql_ids_texts, sql_ids_themes) < 0) {
		buf_free(&list);
		return -1;
	}
	db_bind_text(l.ev, 1, list.data);
	db_bind_text(l.tx, 1, list.data);
	db_bind_text(l.th, 1, list.data);
	while (k < n && (rc = load_next(&l, a, &byid[k])) == DB_ROW)
		k++;
	loader_close(&l);
	buf_free(&list);
	if (rc == DB_ERROR)
		return -1;
	/* back into the caller's order */
	struct event *ev = arena_alloc(a, n * sizeof(*ev));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = k;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (byid[mid].id < ids[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < k && byid[lo].id == ids[i])
			ev[m++] = byid[lo];
	}
	*out = ev;
	*n_out = m;
	return 0;
}
