/* network_store: the SQL of municipalities and twinning groups (portable dialect). */
#include <stdio.h>
#include <string.h>

#include "core/core_utf8.h"
#include "network/network.h"

static const char *const status_codes[GROUP_STATUS_COUNT] = {
	[GROUP_FORMING] = "forming",
	[GROUP_ACTIVE] = "active",
	[GROUP_PAUSED] = "paused",
	[GROUP_COMPLETED] = "completed",
};

const char *
group_status_code(enum group_status s)
{
	return (s >= 0 && s < GROUP_STATUS_COUNT) ? status_codes[s] : "forming";
}

int
group_status_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < GROUP_STATUS_COUNT; i++)
		if (strcmp(s, status_codes[i]) == 0)
			return i;
	return -1;
}

static int
slug_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n == 0 || n > 100)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* NULL, or 1 to NETWORK_NAME_MAX characters of UTF-8. */
static int
text_valid(const char *s)
{
	if (s == NULL)
		return 1;
	size_t n = strlen(s);
	return n > 0 && utf8_valid(s, n) && utf8_length(s, n) <= NETWORK_NAME_MAX;
}

/* At least one name, none empty or too long. */
static int
names_valid(const char *const name[LANG_COUNT])
{
	int any = 0;
	for (int l = 0; l < LANG_COUNT; l++) {
		if (!text_valid(name[l]))
			return 0;
		any |= name[l] != NULL;
	}
	return any;
}

static int
country_valid(const char *c)
{
	return c != NULL && strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
	       c[1] <= 'Z';
}

/* Runs a one-row lookup by one text parameter: 0 and *id (and the second column's
 * text into out when out is not NULL), 1 when there is no row, -1 on error. */
static int
lookup(struct db *db, const char *sql, const char *key, int64_t *id, char *out, size_t outlen)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL || db_bind_text(st, 1, key) < 0)
		goto fail;
	int rc = db_step(st);
	if (rc == DB_ERROR)
		goto fail;
	if (rc == DB_DONE) {
		db_done(st);
		return 1;
	}
	if (id != NULL)
		*id = db_col_int(st, 0);
	if (out != NULL) {
		const char *s = db_col_text(st, 1);
		snprintf(out, outlen, "%s", s != NULL ? s : "");
	}
	db_done(st);
	return 0;
fail:
	if (st != NULL)
		db_done(st);
	return -1;
}

/* Steps a statement that returns nothing. 0 or -1. */
static int
run(struct db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
network_save_municipality(struct db *db, const struct municipality *m, char *err,
			  size_t errlen)
{
	if (!slug_valid(m->slug)) {
		snprintf(err, errlen, "municipality: slug must be 1-100 of [a-z0-9-]");
		return -1;
	}
	if (!names_valid(m->name)) {
		snprintf(err, errlen, "municipality %s: needs a name (at most %d characters each)",
			 m->slug, NETWORK_NAME_MAX);
		return -1;
	}
	if (!country_valid(m->country)) {
		snprintf(err, errlen, "municipality %s: country must be an ISO 3166-1 alpha-2 code",
			 m->slug);
		return -1;
	}
	if (!text_valid(m->governorate)) {
		snprintf(err, errlen, "municipality %s: governorate is too long", m->slug);
		return -1;
	}
	if (m->displaced_year < 0 || m->displaced_year > 2200 ||
	    (m->displaced_year > 0 && m->displaced_year < NETWORK_YEAR_MIN) ||
	    m->population > NETWORK_FIGURE_MAX || m->displaced > NETWORK_FIGURE_MAX) {
		snprintf(err, errlen, "municipality %s: bad figures or year %d", m->slug,
			 m->displaced_year);
		return -1;
	}
	int rc = lookup(db, "SELECT code FROM countries WHERE code = ?1", m->country, NULL, NULL,
			0);
	if (rc != 0) {
		snprintf(err, errlen, rc > 0 ? "municipality %s: unknown country %s"
					     : "municipality %s: database error looking up %s",
			 m->slug, m->country);
		return -1;
	}

	struct db_stmt *st = db_prepare(db,
		"INSERT INTO municipalities (slug, name_ar, name_en, name_fr, country, governorate,"
		" population, displaced, displaced_year)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (slug) DO UPDATE SET name_ar = excluded.name_ar,"
		" name_en = excluded.name_en, name_fr = excluded.name_fr,"
		" country = excluded.country, governorate = excluded.governorate,"
		" population = excluded.population, displaced = excluded.displaced,"
		" displaced_year = excluded.displaced_year");
	if (st == NULL)
		goto fail;
	if (db_bind_text(st, 1, m->slug) < 0 || db_bind_text(st, 2, m->name[LANG_AR]) < 0 ||
	    db_bind_text(st, 3, m->name[LANG_EN]) < 0 ||
	    db_bind_text(st, 4, m->name[LANG_FR]) < 0 || db_bind_text(st, 5, m->country) < 0 ||
	    db_bind_text(st, 6, m->governorate) < 0) {
		db_done(st);
		goto fail;
	}
	if ((m->population >= 0 ? db_bind_int(st, 7, m->population) : db_bind_null(st, 7)) < 0 ||
	    (m->displaced >= 0 ? db_bind_int(st, 8, m->displaced) : db_bind_null(st, 8)) < 0 ||
	    (m->displaced_year > 0 ? db_bind_int(st, 9, m->displaced_year)
				   : db_bind_null(st, 9)) < 0) {
		db_done(st);
		goto fail;
	}
	if (run(st) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "municipality %s: database error", m->slug);
	return -1;
}

/* Finds a municipality by slug: 0 with its id and country, or -1 with err set. */
static int
group_member(struct db *db, const struct twinning_group *g, const char *slug, int64_t *id,
	     char country[3], char *err, size_t errlen)
{
	char buf[8];
	if (!slug_valid(slug)) {
		snprintf(err, errlen, "twinning group %s: bad municipality slug", g->slug);
		return -1;
	}
	int rc = lookup(db, "SELECT id, country FROM municipalities WHERE slug = ?1", slug, id,
			buf, sizeof buf);
	if (rc != 0) {
		snprintf(err, errlen, rc > 0 ? "twinning group %s: unknown municipality %s"
					     : "twinning group %s: database error looking up %s",
			 g->slug, slug);
		return -1;
	}
	if (strlen(buf) != 2) {
		snprintf(err, errlen, "twinning group %s: municipality %s has no country", g->slug,
			 slug);
		return -1;
	}
	memcpy(country, buf, 3);
	return 0;
}

int
network_save_group(struct db *db, const struct twinning_group *g, char *err, size_t errlen)
{
	int64_t a, b, event_id = 0, group_id;
	char ca[3], cb[3];

	if (!slug_valid(g->slug)) {
		snprintf(err, errlen, "twinning group: slug must be 1-100 of [a-z0-9-]");
		return -1;
	}
	if (!names_valid(g->name)) {
		snprintf(err, errlen, "twinning group %s: needs a name (at most %d characters each)",
			 g->slug, NETWORK_NAME_MAX);
		return -1;
	}
	if (g->status < 0 || g->status >= GROUP_STATUS_COUNT) {
		snprintf(err, errlen, "twinning group %s: bad status", g->slug);
		return -1;
	}
	if (group_member(db, g, g->municipality_a, &a, ca, err, errlen) < 0 ||
	    group_member(db, g, g->municipality_b, &b, cb, err, errlen) < 0)
		return -1;
	if (a == b || strcmp(ca, cb) == 0) {
		snprintf(err, errlen,
			 "twinning group %s: %s and %s are both in %s; a twinning group pairs "
			 "municipalities from two different countries",
			 g->slug, g->municipality_a, g->municipality_b, ca);
		return -1;
	}
	if (g->formed_event != NULL) {
		int rc = lookup(db, "SELECT id FROM events WHERE slug = ?1", g->formed_event,
				&event_id, NULL, 0);
		if (rc != 0) {
			snprintf(err, errlen,
				 rc > 0 ? "twinning group %s: unknown event %s"
					: "twinning group %s: database error looking up %s",
				 g->slug, g->formed_event);
			return -1;
		}
	}

	struct db_stmt *st = db_prepare(db,
		"INSERT INTO twinning_groups (slug, name_ar, name_en, name_fr, municipality_a,"
		" municipality_b, formed_event_id, status, created)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (slug) DO UPDATE SET name_ar = excluded.name_ar,"
		" name_en = excluded.name_en, name_fr = excluded.name_fr,"
		" municipality_a = excluded.municipality_a,"
		" municipality_b = excluded.municipality_b,"
		" formed_event_id = excluded.formed_event_id, status = excluded.status,"
		" created = excluded.created"
		" RETURNING id");
	if (st == NULL)
		goto fail;
	if (db_bind_text(st, 1, g->slug) < 0 || db_bind_text(st, 2, g->name[LANG_AR]) < 0 ||
	    db_bind_text(st, 3, g->name[LANG_EN]) < 0 ||
	    db_bind_text(st, 4, g->name[LANG_FR]) < 0 || db_bind_int(st, 5, a) < 0 ||
	    db_bind_int(st, 6, b) < 0 ||
	    (g->formed_event != NULL ? db_bind_int(st, 7, event_id) : db_bind_null(st, 7)) < 0 ||
	    db_bind_text(st, 8, group_status_code(g->status)) < 0 ||
	    db_bind_int(st, 9, g->created) < 0 || db_step(st) != DB_ROW) {
		db_done(st);
		goto fail;
	}
	group_id = db_col_int(st, 0);
	db_done(st);

	st = db_prepare(db, "DELETE FROM group_themes WHERE group_id = ?1");
	if (st == NULL || db_bind_int(st, 1, group_id) < 0) {
		if (st != NULL)
			db_done(st);
		goto fail;
	}
	if (run(st) < 0)
		goto fail;
	for (size_t i = 0; i < g->n_themes; i++) {
		int64_t theme_id;
		int rc = slug_valid(g->themes[i])
			     ? lookup(db, "SELECT id FROM themes WHERE slug = ?1", g->themes[i],
				      &theme_id, NULL, 0)
			     : 1;
		if (rc != 0) {
			snprintf(err, errlen,
				 rc > 0 ? "twinning group %s: unknown theme %s"
					: "twinning group %s: database error looking up %s",
				 g->slug, g->themes[i] != NULL ? g->themes[i] : "(null)");
			return -1;
		}
		st = db_prepare(db, "INSERT INTO group_themes (group_id, theme_id) VALUES (?1, ?2)"
				    " ON CONFLICT DO NOTHING");
		if (st == NULL || db_bind_int(st, 1, group_id) < 0 ||
		    db_bind_int(st, 2, theme_id) < 0) {
			if (st != NULL)
				db_done(st);
			goto fail;
		}
		if (run(st) < 0)
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "twinning group %s: database error", g->slug);
	return -1;
}

static int64_t
count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

int64_t
network_count_groups(struct db *db)
{
	return count(db, "SELECT count(*) FROM twinning_groups");
}

int64_t
network_count_municipalities(struct db *db)
{
	return count(db, "SELECT count(*) FROM municipalities");
}

int
network_municipality_names(struct db *db, struct arena *a, enum lang l,
			   struct municipality_name **out, size_t *n)
{
	static const char *const sql[LANG_COUNT] = {
		[LANG_AR] = "SELECT id, slug, coalesce(name_ar, name_en, name_fr), country FROM "
			    "municipalities ORDER BY country, 3",
		[LANG_EN] = "SELECT id, slug, coalesce(name_en, name_fr, name_ar), country FROM "
			    "municipalities ORDER BY country, 3",
		[LANG_FR] = "SELECT id, slug, coalesce(name_fr, name_en, name_ar), country FROM "
			    "municipalities ORDER BY country, 3",
	};
	int64_t total = network_count_municipalities(db);
	if (total < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, sql[(unsigned)l < LANG_COUNT ? l : LANG_EN]);
	if (st == NULL)
		return -1;
	*out = arena_alloc(a, (size_t)(total + 1) * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)total) {
		struct municipality_name *m = &(*out)[(*n)++];
		m->id = db_col_int(st, 0);
		m->slug = arena_strdup(a, db_col_text(st, 1));
		m->name = arena_strdup(a, db_col_text(st, 2));
		m->country = arena_strdup(a, db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
network_country_exists(struct db *db, const char *code)
{
	if (code == NULL || !country_valid(code))
		return 0;
	int rc = lookup(db, "SELECT 0 FROM countries WHERE code = ?1", code, NULL, NULL, 0);
	return rc < 0 ? -1 : rc == 0;
}

int
network_country_codes(struct db *db, struct arena *a, const char ***out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM countries ORDER BY code");
	if (st == NULL)
		return -1;
	size_t cap = 300;
	*out = arena_alloc(a, cap * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < cap)
		(*out)[(*n)++] = arena_strdup(a, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

const char *
network_name_for(const char *const name[LANG_COUNT], enum lang l, enum lang *shown)
{
	static const enum lang order[LANG_COUNT] = {LANG_EN, LANG_FR, LANG_AR};
	enum lang pick = LANG_NONE;
	if ((unsigned)l < LANG_COUNT && name[l] != NULL)
		pick = l;
	for (int i = 0; pick == LANG_NONE && i < LANG_COUNT; i++)
		if (name[order[i]] != NULL)
			pick = order[i];
	if (shown != NULL)
		*shown = pick == LANG_NONE ? l : pick;
	return pick == LANG_NONE ? NULL : name[pick];
}

/* ---- municipalities with their groups and themes ---------------------------------- */

static const char *
dup_col(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return s != NULL ? arena_strdup(a, s) : NULL;
}

/* A growing array in an arena: doubles by copying (arenas do not free). */
static void *
grow(struct arena *a, void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *q = arena_alloc(a, ncap * size);
	if (n > 0)
		memcpy(q, p, n * size);
	*cap = ncap;
	return q;
}

/* ?1: a municipality's slug, or NULL for all. */
static const char sql_members[] =
	"SELECT id, slug, name_ar, name_en, name_fr, country, governorate, population,"
	" displaced, coalesce(displaced_year, 0) FROM municipalities"
	" WHERE ?1 IS NULL OR slug = ?1 ORDER BY id";
#define GROUPS_OF \
	" FROM twinning_groups g JOIN municipalities a ON a.id = g.municipality_a" \
	" JOIN municipalities b ON b.id = g.municipality_b" \
	" WHERE ?1 IS NULL OR a.slug = ?1 OR b.slug = ?1"
static const char sql_member_groups[] =
	"SELECT g.id, g.slug, g.name_ar, g.name_en, g.name_fr, g.status,"
	" a.id, a.slug, a.name_ar, a.name_en, a.name_fr, a.country,"
	" b.id, b.slug, b.name_ar, b.name_en, b.name_fr, b.country" GROUPS_OF " ORDER BY g.id";
static const char sql_member_themes[] =
	"SELECT gt.group_id, th.slug, th.name_ar, th.name_en, th.name_fr"
	" FROM group_themes gt JOIN themes th ON th.id = gt.theme_id"
	" WHERE gt.group_id IN (SELECT g.id" GROUPS_OF ")"
	" ORDER BY gt.group_id, th.slug";

struct loaded_group {
	struct member_group g;		/* seen from municipality a (partner b) */
	int64_t a, b;
	const char *a_slug, *a_country, *a_name[LANG_COUNT];
};

static struct member *
member_by_id(struct member *m, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;	/* m is in id order */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && m[lo].id == id ? &m[lo] : NULL;
}

static int
load_municipalities(struct db *db, struct arena *a, const char *slug, struct member **out,
		    size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_members);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, &cap, *n, sizeof(**out));
		struct member *m = &(*out)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->id = db_col_int(st, 0);
		m->m.slug = dup_col(st, 1, a);
		for (int l = 0; l < LANG_COUNT; l++)
			m->m.name[l] = dup_col(st, 2 + l, a);
		m->m.country = dup_col(st, 5, a);
		m->m.governorate = dup_col(st, 6, a);
		m->m.population = db_col_is_null(st, 7) ? -1 : db_col_int(st, 7);
		m->m.displaced = db_col_is_null(st, 8) ? -1 : db_col_int(st, 8);
		m->m.displaced_year = (int)db_col_int(st, 9);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

static int
load_groups(struct db *db, struct arena *a, const char *slug, struct loaded_group **out,
	    size_t *n)
{
	struct db_stmt *st = db_prepare(db, sql_member_groups);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = grow(a, *out, &cap, *n, sizeof(**out));
		struct loaded_group *lg = &(*out)[(*n)++];
		memset(lg, 0, sizeof(*lg));
		lg->g.id = db_col_int(st, 0);
		lg->g.slug = dup_col(st, 1, a);
		for (int l = 0; l < LANG_COUNT; l++)
			lg->g.name[l] = dup_col(st, 2 + l, a);
		int status = group_status_from_code(db_col_text(st, 5));
		lg->g.status = status < 0 ? GROUP_FORMING : (enum group_status)status;
		lg->a = db_col_int(st, 6);
		lg->a_slug = dup_col(st, 7, a);
		for (int l = 0; l < LANG_COUNT; l++)
			lg->a_name[l] = dup_col(st, 8 + l, a);
		lg->a_country = dup_col(st, 11, a);
		lg->b = db_col_int(st, 12);
		lg->g.partner_slug = dup_col(st, 13, a);
		for (int l = 0; l < LANG_COUNT; l++)
			lg->g.partner_name[l] = dup_col(st, 14 + l, a);
		lg->g.partner_country = dup_col(st, 17, a);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Reads the themes of the loaded groups (both in group id order) into them. */
static int
load_themes(struct db *db, struct arena *a, const char *slug, struct loaded_group *g, size_t ng)
{
	struct db_stmt *st = db_prepare(db, sql_member_themes);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	size_t k = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t gid = db_col_int(st, 0);
		while (k < ng && g[k].g.id < gid) {
			k++;
			cap = 0;
		}
		if (k == ng || g[k].g.id != gid)
			continue;
		struct network_theme *t = arena_alloc(a, sizeof(*t));
		t->slug = dup_col(st, 1, a);
		for (int l = 0; l < LANG_COUNT; l++)
			t->name[l] = dup_col(st, 2 + l, a);
		struct member_group *mg = &g[k].g;
		mg->themes = grow(a, (void *)mg->themes, &cap, mg->n_themes, sizeof(*mg->themes));
		mg->themes[mg->n_themes++] = t;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Adds group g to member m, and its themes to m's (each once). */
static void
attach(struct arena *a, struct member *m, const struct member_group *g)
{
	struct member_group *groups = arena_alloc(a, (m->n_groups + 1) * sizeof(*groups));
	if (m->n_groups > 0)
		memcpy(groups, m->groups, m->n_groups * sizeof(*groups));
	groups[m->n_groups++] = *g;
	m->groups = groups;
	const struct network_theme **themes =
		arena_alloc(a, (m->n_themes + g->n_themes + 1) * sizeof(*themes));
	if (m->n_themes > 0)
		memcpy(themes, m->themes, m->n_themes * sizeof(*themes));
	for (size_t i = 0; i < g->n_themes; i++) {
		int seen = 0;
		for (size_t k = 0; k < m->n_themes; k++)
			seen |= strcmp(themes[k]->slug, g->themes[i]->slug) == 0;
		if (!seen)
			themes[m->n_themes++] = g->themes[i];
	}
	m->themes = themes;
}

int
network_members(struct db *db, struct arena *a, const char *slug, struct member **out, size_t *n)
{
	struct loaded_group *g;
	size_t ng;
	if (load_municipalities(db, a, slug, out, n) < 0 || load_groups(db, a, slug, &g, &ng) < 0 ||
	    load_themes(db, a, slug, g, ng) < 0)
		return -1;
	for (size_t i = 0; i < ng; i++) {
		struct member *ma = member_by_id(*out, *n, g[i].a);
		struct member *mb = member_by_id(*out, *n, g[i].b);
		if (ma != NULL)
			attach(a, ma, &g[i].g);
		if (mb != NULL) {
			/* the same group seen from b: a is the partner */
			struct member_group from_b = g[i].g;
			from_b.partner_slug = g[i].a_slug;
			from_b.partner_country = g[i].a_country;
			for (int l = 0; l < LANG_COUNT; l++)
				from_b.partner_name[l] = g[i].a_name[l];
			attach(a, mb, &from_b);
		}
	}
	return 0;
}

int
network_municipality_exists(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM municipalities WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
