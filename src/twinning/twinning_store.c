/* twinning_store: the SQL of groups as the workspace sees them and of their timeline
 * (portable dialect), and the helpers the module's other store file shares. Every
 * change is written with its timeline row, inside the caller's transaction. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "twinning/twinning_internal.h"

#define PEOPLE_MAX 500

static const char *const ms_codes[MILESTONE_STATUS_COUNT] = {
	[MILESTONE_PLANNED] = "planned",
	[MILESTONE_IN_PROGRESS] = "in-progress",
	[MILESTONE_DONE] = "done",
	[MILESTONE_BLOCKED] = "blocked",
};

const char *
milestone_status_code(enum milestone_status s)
{
	return (unsigned)s < MILESTONE_STATUS_COUNT ? ms_codes[s] : "planned";
}

int
milestone_status_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < MILESTONE_STATUS_COUNT; i++)
		if (strcmp(s, ms_codes[i]) == 0)
			return i;
	return -1;
}

/* ---- small helpers ---------------------------------------------------------------- */

/* Room for one more element in an arena array of *cap elements holding n. */
void *
tw_grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = arena_alloc(a, ncap * size);
	if (n > 0)
		memcpy(p, arr, n * size);
	*cap = ncap;
	return p;
}

const char *
tw_dup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strdup(a, s) : NULL;
}

/* The name in l, else English, French, Arabic. */
const char *
tw_pick(const char *const names[LANG_COUNT], enum lang l)
{
	static const enum lang order[] = {LANG_EN, LANG_FR, LANG_AR};
	if ((unsigned)l < LANG_COUNT && names[l] != NULL)
		return names[l];
	for (size_t i = 0; i < 3; i++)
		if (names[order[i]] != NULL)
			return names[order[i]];
	return "";
}

enum lang
tw_lang_or_en(const char *code)
{
	enum lang l = code != NULL ? lang_from_code(code) : LANG_NONE;
	return l == LANG_NONE ? LANG_EN : l;
}

/* Steps a statement that returns nothing, then releases it. 0 or -1. */
int
tw_run(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* A user's name (for the timeline), or NULL. */
const char *
tw_user_name(struct db *db, struct arena *a, int64_t id)
{
	if (id <= 0)
		return NULL;
	struct db_stmt *st = db_prepare(db, "SELECT name FROM users WHERE id = ?1");
	if (st == NULL || db_bind_int(st, 1, id) < 0) {
		if (st != NULL)
			db_done(st);
		return NULL;
	}
	const char *s = db_step(st) == DB_ROW ? tw_dup(a, db_col_text(st, 0)) : NULL;
	db_done(st);
	return s;
}

/* Adds {"from": from, "to": to} under key when they differ (both taken). */
void
tw_change(json_t *sum, const char *key, json_t *from, json_t *to)
{
	if (from == NULL)
		from = json_null();
	if (to == NULL)
		to = json_null();
	if (!json_equal(from, to))
		json_object_set_new(sum, key, json_pack("{s:o, s:o}", "from", from, "to", to));
	else {
		json_decref(from);
		json_decref(to);
	}
}

/* ---- groups ------------------------------------------------------------------------ */

#define GROUP_COLUMNS                                                                    \
	"SELECT g.id, g.slug, g.name_ar, g.name_en, g.name_fr, g.status, g.published,"   \
	" g.version, g.created,"                                                         \
	" ma.id, ma.slug, ma.name_ar, ma.name_en, ma.name_fr, ma.country,"              \
	" mb.id, mb.slug, mb.name_ar, mb.name_en, mb.name_fr, mb.country,"              \
	" e.slug, (SELECT t.title FROM event_texts t WHERE t.event_id = e.id"           \
	"  ORDER BY t.lang = ?1 DESC, t.lang = 'en' DESC, t.lang LIMIT 1)"               \
	" FROM twinning_groups g"                                                        \
	" JOIN municipalities ma ON ma.id = g.municipality_a"                            \
	" JOIN municipalities mb ON mb.id = g.municipality_b"                            \
	" LEFT JOIN events e ON e.id = g.formed_event_id"

static void
read_group(struct db_stmt *st, struct arena *a, enum lang l, struct tw_group *g)
{
	memset(g, 0, sizeof(*g));
	g->id = db_col_int(st, 0);
	g->slug = arena_strdup(a, db_col_text(st, 1));
	for (int i = 0; i < LANG_COUNT; i++)
		g->names[i] = tw_dup(a, db_col_text(st, 2 + i));
	g->name = tw_pick(g->names, l);
	int s = group_status_from_code(db_col_text(st, 5));
	g->status = s < 0 ? GROUP_FORMING : (enum group_status)s;
	g->published = (int)db_col_int(st, 6);
	g->version = db_col_int(st, 7);
	g->created = db_col_int(st, 8);
	for (int k = 0; k < 2; k++) {
		int c = 9 + k * 6;
		const char *names[LANG_COUNT];
		for (int i = 0; i < LANG_COUNT; i++)
			names[i] = db_col_text(st, c + 2 + i);
		g->city[k].id = db_col_int(st, c);
		g->city[k].slug = arena_strdup(a, db_col_text(st, c + 1));
		g->city[k].name = arena_strdup(a, tw_pick(names, l));
		g->city[k].country = arena_strdup(a, db_col_text(st, c + 5));
	}
	g->event_slug = tw_dup(a, db_col_text(st, 21));
	g->event_title = tw_dup(a, db_col_text(st, 22));
}

int
tw_group_get(struct db *db, struct arena *a, const char *slug, enum lang l, struct tw_group *out)
{
	struct db_stmt *st = db_prepare(db, GROUP_COLUMNS " WHERE g.slug = ?2");
	if (st == NULL || db_bind_text(st, 1, lang_code(l)) < 0 || db_bind_text(st, 2, slug) < 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_ERROR)
		goto fail;
	if (rc == DB_DONE) {
		db_done(st);
		return 1;
	}
	read_group(st, a, l, out);
	db_done(st);
	return 0;
fail:
	if (st != NULL)
		db_done(st);
	return -1;
}

int
tw_group_list(struct db *db, struct arena *a, enum lang l, struct tw_group **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, GROUP_COLUMNS " ORDER BY g.slug");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_text(st, 1, lang_code(l)) < 0)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		read_group(st, a, l, &(*out)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (*n > 1)
		i18n_sort(l, *out, *n, sizeof(**out), offsetof(struct tw_group, name));
	return 0;
fail:
	if (st != NULL)
		db_done(st);
	return -1;
}

int
tw_group_themes(struct db *db, struct arena *a, int64_t group_id, enum lang l,
		struct tw_named **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT t.slug, t.name_ar, t.name_en, t.name_fr FROM group_themes gt"
		" JOIN themes t ON t.id = gt.theme_id WHERE gt.group_id = ?1 ORDER BY t.slug");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *names[LANG_COUNT];
		for (int i = 0; i < LANG_COUNT; i++)
			names[i] = db_col_text(st, 1 + i);
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		const char *slug = db_col_text(st, 0);
		const char *name = tw_pick(names, l);
		(*out)[(*n)++] = (struct tw_named){arena_strdup(a, slug),
						   arena_strdup(a, *name ? name : slug)};
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_group_people(struct db *db, struct arena *a, const struct tw_group *g, struct tw_person **out,
		size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, name, municipality_id, role FROM users"
		" WHERE active = 1 AND municipality_id IN (?1, ?2)"
		" ORDER BY municipality_id = ?1 DESC, name, id LIMIT ?3");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, g->city[0].id) < 0 ||
	    db_bind_int(st, 2, g->city[1].id) < 0 || db_bind_int(st, 3, PEOPLE_MAX) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		struct tw_person *p = &(*out)[(*n)++];
		p->id = db_col_int(st, 0);
		p->name = arena_strdup(a, db_col_text(st, 1));
		p->municipality_id = db_col_int(st, 2);
		p->municipality = p->municipality_id == g->city[0].id ? g->city[0].name
								      : g->city[1].name;
		int r = role_from_code(db_col_text(st, 3));
		p->role = r < 0 ? ROLE_MEMBER : (enum role)r;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_themes_all(struct db *db, struct arena *a, enum lang l, struct tw_named **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT slug, name_ar, name_en, name_fr FROM themes"
					    " ORDER BY slug LIMIT 500");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *names[LANG_COUNT];
		for (int i = 0; i < LANG_COUNT; i++)
			names[i] = db_col_text(st, 1 + i);
		const char *slug = db_col_text(st, 0);
		const char *name = tw_pick(names, l);
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		(*out)[(*n)++] = (struct tw_named){arena_strdup(a, slug),
						   arena_strdup(a, *name ? name : slug)};
	}
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (*n > 1)
		i18n_sort(l, *out, *n, sizeof(**out), offsetof(struct tw_named, name));
	return 0;
}

int
tw_recent_events(struct db *db, struct arena *a, enum lang l, size_t max, struct tw_named **out,
		 size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT e.slug, (SELECT t.title FROM event_texts t WHERE t.event_id = e.id"
		"  ORDER BY t.lang = ?1 DESC, t.lang = 'en' DESC, t.lang LIMIT 1)"
		" FROM events e WHERE e.type IN ('workshop', 'training', 'conference',"
		" 'virtual-meeting') ORDER BY e.starts DESC LIMIT ?2");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_text(st, 1, lang_code(l)) < 0 || db_bind_int(st, 2, (int64_t)max) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *slug = db_col_text(st, 0), *title = db_col_text(st, 1);
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		(*out)[(*n)++] = (struct tw_named){arena_strdup(a, slug),
						   arena_strdup(a, title != NULL ? title : slug)};
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_event_exists(struct db *db, const char *slug)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM events WHERE slug = ?1");
	if (st == NULL || db_bind_text(st, 1, slug) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int
tw_pair_taken(struct db *db, struct arena *a, int64_t id_a, int64_t id_b, const char *except,
	      const char **slug)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT slug FROM twinning_groups WHERE ((municipality_a = ?1 AND municipality_b = ?2)"
		" OR (municipality_a = ?2 AND municipality_b = ?1)) AND slug <> ?3 LIMIT 1");
	if (st == NULL || db_bind_int(st, 1, id_a) < 0 || db_bind_int(st, 2, id_b) < 0 ||
	    db_bind_text(st, 3, except != NULL ? except : "") < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		*slug = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The fields of a group the timeline names, by key. */
static json_t *
group_fields(struct db *db, struct arena *a, int64_t group_id)
{
	struct tw_group g;
	struct db_stmt *st = db_prepare(db, "SELECT slug FROM twinning_groups WHERE id = ?1");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_step(st) != DB_ROW) {
		if (st != NULL)
			db_done(st);
		return NULL;
	}
	const char *slug = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	if (tw_group_get(db, a, slug, LANG_EN, &g) != 0)
		return NULL;
	struct tw_named *th;
	size_t n_th;
	if (tw_group_themes(db, a, g.id, LANG_EN, &th, &n_th) < 0)
		return NULL;
	json_t *o = json_object();
	for (int l = 0; l < LANG_COUNT; l++)
		json_object_set_new(o, arena_printf(a, "name.%s", lang_code((enum lang)l)),
				    json_str_or_null(g.names[l]));
	json_object_set_new(o, "municipalities",
			    json_string(arena_printf(a, "%s, %s", g.city[0].name, g.city[1].name)));
	json_object_set_new(o, "event", json_str_or_null(g.event_slug));
	json_object_set_new(o, "status", json_string(group_status_code(g.status)));
	json_object_set_new(o, "published", json_boolean(g.published));
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n_th; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, th[i].slug);
	}
	json_object_set_new(o, "themes", b.failed || n_th == 0 ? json_null()
							       : json_string(buf_cstr(&b)));
	buf_free(&b);
	return o;
}

enum tw_rc
tw_group_save(struct db *db, struct arena *a, const struct twinning_group *g, int published,
	      int64_t expected_version, int64_t user_id, int64_t now, char *err, size_t errlen)
{
	int64_t id = 0;
	json_t *before = NULL, *after = NULL, *sum = NULL;
	struct twinning_group copy = *g;
	enum tw_rc rc = TW_ERROR;

	struct db_stmt *st = db_prepare(db,
		"SELECT id, version, created FROM twinning_groups WHERE slug = ?1");
	if (st == NULL || db_bind_text(st, 1, g->slug) < 0) {
		if (st != NULL)
			db_done(st);
		snprintf(err, errlen, "twinning group %s: database error", g->slug);
		return TW_ERROR;
	}
	int step = db_step(st);
	if (step == DB_ROW) {
		id = db_col_int(st, 0);
		int64_t version = db_col_int(st, 1);
		copy.created = db_col_int(st, 2);
		db_done(st);
		if (expected_version == 0)
			return TW_DUPLICATE;
		if (version != expected_version)
			return TW_CONFLICT;
		if ((before = group_fields(db, a, id)) == NULL) {
			snprintf(err, errlen, "twinning group %s: database error", g->slug);
			return TW_ERROR;
		}
	} else {
		db_done(st);
		if (step == DB_ERROR) {
			snprintf(err, errlen, "twinning group %s: database error", g->slug);
			return TW_ERROR;
		}
		if (expected_version != 0)
			return TW_NOT_FOUND;
	}
	if (network_save_group(db, &copy, err, errlen) < 0)
		goto out;
	st = db_prepare(db, "UPDATE twinning_groups SET published = ?2,"
			    " version = CASE WHEN ?3 = 0 THEN 1 ELSE version + 1 END"
			    " WHERE slug = ?1 RETURNING id");
	if (st == NULL || db_bind_text(st, 1, g->slug) < 0 || db_bind_int(st, 2, published != 0) < 0 ||
	    db_bind_int(st, 3, expected_version) < 0 || db_step(st) != DB_ROW) {
		if (st != NULL)
			db_done(st);
		snprintf(err, errlen, "twinning group %s: database error", g->slug);
		goto out;
	}
	id = db_col_int(st, 0);
	db_done(st);
	if ((after = group_fields(db, a, id)) == NULL) {
		snprintf(err, errlen, "twinning group %s: database error", g->slug);
		goto out;
	}
	sum = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(after, key, v) {
		if (key[0] == '_')
			continue;
		json_t *old = before != NULL ? json_object_get(before, key) : NULL;
		if (before == NULL && json_is_null(v))
			continue;
		tw_change(sum, key, old != NULL ? json_incref(old) : NULL, json_incref(v));
	}
	if (before != NULL && json_object_size(sum) == 0) {
		/* nothing changed: keep the version, write no timeline row */
		st = db_prepare(db, "UPDATE twinning_groups SET version = ?2 WHERE id = ?1");
		if (st == NULL || db_bind_int(st, 1, id) < 0 ||
		    db_bind_int(st, 2, expected_version) < 0 || tw_run(st) < 0) {
			snprintf(err, errlen, "twinning group %s: database error", g->slug);
			goto out;
		}
		rc = TW_OK;
		goto out;
	}
	if (tw_activity_add(db, id, user_id, now, before == NULL ? "group.create" : "group.update",
			    "group", id, NULL, sum) < 0) {
		snprintf(err, errlen, "twinning group %s: database error (timeline)", g->slug);
		goto out;
	}
	rc = TW_OK;
out:
	json_decref(before);
	json_decref(after);
	json_decref(sum);
	return rc;
}

/* ---- the timeline ------------------------------------------------------------------ */

int
tw_activity(struct db *db, struct arena *a, int64_t group_id, size_t max,
	    struct tw_activity **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT g.id, g.at, coalesce(g.user_id, 0), u.name, g.action, g.object_kind,"
		" coalesce(g.object_id, 0), g.label, g.summary"
		" FROM group_activity g LEFT JOIN users u ON u.id = g.user_id"
		" WHERE g.group_id = ?1 ORDER BY g.at DESC, g.id DESC LIMIT ?2");
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (st == NULL || db_bind_int(st, 1, group_id) < 0 || db_bind_int(st, 2, (int64_t)max) < 0) {
		if (st != NULL)
			db_done(st);
		return -1;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = tw_grow(a, *out, &cap, *n, sizeof(**out));
		struct tw_activity *x = &(*out)[(*n)++];
		x->id = db_col_int(st, 0);
		x->at = db_col_int(st, 1);
		x->user_id = db_col_int(st, 2);
		x->user_name = tw_dup(a, db_col_text(st, 3));
		x->action = arena_strdup(a, db_col_text(st, 4));
		x->object_kind = arena_strdup(a, db_col_text(st, 5));
		x->object_id = db_col_int(st, 6);
		x->label = tw_dup(a, db_col_text(st, 7));
		x->summary = arena_strdup(a, db_col_text(st, 8));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
tw_activity_add(struct db *db, int64_t group_id, int64_t user_id, int64_t at, const char *action,
		const char *kind, int64_t object_id, const char *label, json_t *summary)
{
	char *text = summary != NULL ? json_dumps(summary, JSON_COMPACT | JSON_SORT_KEYS)
				     : strdup("{}");
	if (text == NULL)
		return -1;
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO group_activity (group_id, at, user_id, action, object_kind,"
		" object_id, label, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc = -1;
	if (st != NULL && db_bind_int(st, 1, group_id) == 0 && db_bind_int(st, 2, at) == 0 &&
	    (user_id > 0 ? db_bind_int(st, 3, user_id) : db_bind_null(st, 3)) == 0 &&
	    db_bind_text(st, 4, action) == 0 && db_bind_text(st, 5, kind) == 0 &&
	    (object_id > 0 ? db_bind_int(st, 6, object_id) : db_bind_null(st, 6)) == 0 &&
	    db_bind_text(st, 7, label) == 0 && db_bind_text(st, 8, text) == 0)
		rc = tw_run(st);
	else if (st != NULL)
		db_done(st);
	free(text);
	return rc;
}
