/* test_demo: the demo network loads on a fresh database, seed first, and is
 * deterministic, re-runnable and scalable; its accounts share one password; the store
 * sees each twinning group from both of its municipalities. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "db/db.h"
#include "events/events.h"
#include "network/network.h"

#define SEED_SLUG "hmln-webinar-twinning-arrangements"

struct tmpdb {
	char dir[64];
	char path[128];
	struct db *db;
};

static void
tmpdb_open(struct tmpdb *t)
{
	log_set_quiet(1);
	snprintf(t->dir, sizeof t->dir, "/tmp/tawama-test-demo-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/demo.db", t->dir);
	cr_assert_eq(db_open(&t->db, t->path, 0), 0);
	cr_assert_eq(db_migrate(t->db), 0);
}

static void
tmpdb_close(struct tmpdb *t)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	if (t->db != NULL)
		db_close(t->db);
	t->db = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* Two fresh databases per test, closed and removed even when an assertion fails. */
static struct tmpdb A, B;

static void
setup(void)
{
	tmpdb_open(&A);
	tmpdb_open(&B);
}

static void
teardown(void)
{
	tmpdb_close(&A);
	tmpdb_close(&B);
}

/* The single integer a query returns (-1 when it fails or returns nothing). */
static int64_t
scalar(struct db *db, const char *sql, const char *param)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "%s", sql);
	if (param != NULL)
		db_bind_text(st, 1, param);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return v;
}

/* The text a query returns, copied into out ("" for none). */
static void
text1(struct db *db, const char *sql, const char *param, char *out, size_t outlen)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "%s", sql);
	if (param != NULL)
		db_bind_text(st, 1, param);
	const char *s = db_step(st) == DB_ROW ? db_col_text(st, 0) : NULL;
	snprintf(out, outlen, "%s", s != NULL ? s : "");
	db_done(st);
}

/* FNV-1a over every column of every row of a query, to compare two databases. */
static uint64_t
digest(struct db *db, const char *sql, int cols)
{
	uint64_t h = 1469598103934665603ULL;
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	while (db_step(st) == DB_ROW) {
		for (int c = 0; c < cols; c++) {
			const char *s = db_col_text(st, c);
			for (const char *p = s != NULL ? s : "\x01"; *p != '\0'; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			h = (h ^ 0xff) * 1099511628211ULL;
		}
	}
	db_done(st);
	return h;
}

static const char sql_events_all[] =
	"SELECT e.id, e.slug, e.type, e.starts, e.ends, e.timezone, e.is_virtual, e.venue,"
	" e.city, e.country, o.slug, e.participation, e.highlight, e.created, e.updated,"
	" t.lang, t.title, t.context, t.participation, t.objectives"
	" FROM events e JOIN organisers o ON o.id = e.organiser_id"
	" LEFT JOIN event_texts t ON t.event_id = e.id ORDER BY e.id, t.lang";
static const char sql_network_all[] =
	"SELECT m.slug, m.name_ar, m.name_en, m.name_fr, m.country, m.governorate,"
	" m.population, m.displaced, m.displaced_year FROM municipalities m ORDER BY m.id";
static const char sql_groups_all[] =
	"SELECT g.slug, g.name_ar, g.name_en, g.name_fr, a.slug, b.slug, e.slug, g.status,"
	" g.created, (SELECT group_concat(th.slug) FROM group_themes gt"
	" JOIN themes th ON th.id = gt.theme_id WHERE gt.group_id = g.id)"
	" FROM twinning_groups g JOIN municipalities a ON a.id = g.municipality_a"
	" JOIN municipalities b ON b.id = g.municipality_b"
	" LEFT JOIN events e ON e.id = g.formed_event_id ORDER BY g.id";

static const char sql_same_country[] =
	"SELECT count(*) FROM twinning_groups g"
	" JOIN municipalities a ON a.id = g.municipality_a"
	" JOIN municipalities b ON b.id = g.municipality_b WHERE a.country = b.country";

/* Events written in exactly one language ?1. */
static const char sql_only_lang[] =
	"SELECT count(*) FROM events e WHERE"
	" EXISTS (SELECT 1 FROM event_texts t WHERE t.event_id = e.id AND t.lang = ?1)"
	" AND NOT EXISTS (SELECT 1 FROM event_texts t WHERE t.event_id = e.id"
	" AND t.lang <> ?1)";

Test(demo, loads_seed_first_with_three_languages, .init = setup, .fini = teardown)
{
	struct tmpdb *t = &A;
	cr_assert_eq(events_demo(t->db, 1), 0);

	struct db_stmt *st = db_prepare(t->db, "SELECT slug FROM events ORDER BY id LIMIT 1");
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_str_eq(db_col_text(st, 0), SEED_SLUG);
	db_done(st);

	static const struct {
		const char *lang, *title;
	} titles[] = {
		{"ar", "[اجتماع إفتراضي شبكة تعلم البلديات المضيفة المتوسطية] ترتيبات التوأمة"},
		{"en", "[HMLN Webinar] Twinning Arrangements"},
		{"fr", "[Webinaire HMLN] Arrangements de jumelage"},
	};
	st = db_prepare(t->db, "SELECT t.lang, t.title, t.objectives, t.context, t.participation"
			      " FROM event_texts t JOIN events e ON e.id = t.event_id"
			      " WHERE e.slug = ?1 ORDER BY t.lang");
	db_bind_text(st, 1, SEED_SLUG);
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		cr_assert_eq(db_step(st), DB_ROW, "no %s text", titles[i].lang);
		cr_assert_str_eq(db_col_text(st, 0), titles[i].lang);
		cr_assert_str_eq(db_col_text(st, 1), titles[i].title);
		/* three objectives, a context and a participation paragraph */
		const char *obj = db_col_text(st, 2);
		int n = 0;
		for (const char *p = obj; (p = strstr(p, "\",\"")) != NULL; p++)
			n++;
		cr_assert_eq(n, 2, "%s objectives: %s", titles[i].lang, obj);
		cr_assert_not_null(db_col_text(st, 3));
		cr_assert_not_null(db_col_text(st, 4));
	}
	cr_assert_eq(db_step(st), DB_DONE);
	db_done(st);

	/* The Arabic context keeps the seed's words. */
	cr_assert_eq(scalar(t->db,
			    "SELECT count(*) FROM event_texts t JOIN events e ON e.id = t.event_id"
			    " WHERE e.slug = ?1 AND t.lang = 'ar'"
			    " AND t.context LIKE '%بعد إنشاء 11 مجموعة توأمة عبر البلاد%'"
			    " AND t.context LIKE '%تهدف هذه اجتماع إفتراضي عبر الانترنت إلى:'"
			    " AND t.participation LIKE '%المشاركة ستكون بناء على دعوة فقط'",
			    SEED_SLUG),
		     1);

	int64_t starts, ends;
	cr_assert_eq(time_parse_rfc3339("2018-07-11T07:00:00Z", &starts), 0);
	cr_assert_eq(time_parse_rfc3339("2018-07-11T09:00:00Z", &ends), 0);
	cr_assert_eq(scalar(t->db,
			    "SELECT count(*) FROM events e JOIN organisers o ON o.id = e.organiser_id"
			    " WHERE e.slug = ?1 AND e.type = 'webinar' AND e.is_virtual = 1"
			    " AND e.timezone = 'Asia/Beirut' AND e.participation = 'invitation'"
			    " AND e.highlight = 1 AND o.slug = 'cmi'"
			    " AND o.name_en = 'Center for Mediterranean Integration (CMI)'",
			    SEED_SLUG),
		     1);
	cr_assert_eq(scalar(t->db, "SELECT starts FROM events WHERE slug = ?1", SEED_SLUG), starts);
	cr_assert_eq(scalar(t->db, "SELECT ends FROM events WHERE slug = ?1", SEED_SLUG), ends);
	char themes[64];
	text1(t->db,
	      "SELECT group_concat(slug, ' ') FROM (SELECT th.slug FROM event_themes et"
	      " JOIN themes th ON th.id = et.theme_id JOIN events e ON e.id = et.event_id"
	      " WHERE e.slug = ?1 ORDER BY et.position)",
	      SEED_SLUG, themes, sizeof themes);
	cr_assert_str_eq(themes, "led twinning");
	text1(t->db,
	      "SELECT t.name_fr FROM themes t WHERE t.slug = ?1", "led", themes, sizeof themes);
	cr_assert_str_eq(themes, "Développement économique local");
}

Test(demo, generated_network_has_the_expected_shape, .init = setup, .fini = teardown)
{
	struct tmpdb *t = &A;
	cr_assert_eq(events_demo(t->db, 1), 0);

	int64_t n = events_count(t->db);
	cr_assert(n >= 50 && n <= 80, "%lld events", (long long)n);

	static const char *const types[] = {"workshop", "webinar", "virtual-meeting", "training",
					    "conference", "study-visit"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		cr_assert_gt(scalar(t->db, "SELECT count(*) FROM events WHERE type = ?1", types[i]),
			     0, "no %s", types[i]);
	static const char *const modes[] = {"open", "registration", "invitation"};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		cr_assert_gt(scalar(t->db, "SELECT count(*) FROM events WHERE participation = ?1",
				    modes[i]),
			     0, "no %s", modes[i]);

	/* Municipalities in exactly the five countries. */
	cr_assert_geq(network_count_municipalities(t->db), 35);
	struct db_stmt *st = db_prepare(t->db, "SELECT DISTINCT country FROM municipalities"
					      " ORDER BY country");
	static const char *const countries[] = {"IQ", "JO", "LB", "PS", "TR"};
	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
		cr_assert_eq(db_step(st), DB_ROW);
		cr_assert_str_eq(db_col_text(st, 0), countries[i]);
	}
	cr_assert_eq(db_step(st), DB_DONE);
	db_done(st);
	cr_assert_eq(scalar(t->db,
			    "SELECT count(*) FROM municipalities WHERE name_ar IS NULL"
			    " OR name_en IS NULL OR name_fr IS NULL OR governorate IS NULL"
			    " OR population IS NULL OR displaced IS NULL OR displaced_year IS NULL",
			    NULL),
		     0);

	/* 11 cross-country groups, formed at the LED training, with themes. */
	cr_assert_eq(network_count_groups(t->db), 11);
	cr_assert_eq(scalar(t->db, sql_same_country, NULL), 0);
	cr_assert_eq(scalar(t->db,
			    "SELECT count(*) FROM twinning_groups g JOIN events e"
			    " ON e.id = g.formed_event_id WHERE e.slug = ?1",
			    "led-strategic-planning-training-beirut-2018"),
		     11);
	cr_assert_eq(scalar(t->db, "SELECT count(DISTINCT group_id) FROM group_themes", NULL), 11);

	/* Some events in one language only. */
	cr_assert_geq(scalar(t->db, sql_only_lang, "ar"), 1);
	cr_assert_geq(scalar(t->db, sql_only_lang, "fr"), 1);
	cr_assert_geq(scalar(t->db, sql_only_lang, "en"), 1);

	/* Upcoming ones, some highlights but not most, virtual and in person. */
	int64_t dec2026;
	cr_assert_eq(time_parse_date("2026-12-01", &dec2026), 0);
	st = db_prepare(t->db, "SELECT count(*) FROM events WHERE starts >= ?1");
	db_bind_int(st, 1, dec2026);
	cr_assert_eq(db_step(st), DB_ROW);
	cr_assert_geq(db_col_int(st, 0), 3);
	db_done(st);
	int64_t hl = scalar(t->db, "SELECT count(*) FROM events WHERE highlight = 1", NULL);
	cr_assert(hl >= 3 && hl < n / 4, "%lld highlights", (long long)hl);
	cr_assert_gt(scalar(t->db, "SELECT count(*) FROM events WHERE is_virtual = 0", NULL), 10);
	cr_assert_gt(scalar(t->db, "SELECT count(*) FROM events WHERE is_virtual = 1", NULL), 10);
	cr_assert_geq(scalar(t->db, "SELECT count(DISTINCT organiser_id) FROM events", NULL), 5);
	cr_assert_geq(scalar(t->db, "SELECT count(*) FROM themes", NULL), 8);
	cr_assert_eq(scalar(t->db, "SELECT min(starts) < 1451606400 FROM events", NULL), 0);

	/* Every template slot was filled. */
	cr_assert_eq(scalar(t->db,
			    "SELECT count(*) FROM event_texts WHERE title LIKE '%{%'"
			    " OR context LIKE '%{%' OR objectives LIKE '%{%'"
			    " OR participation LIKE '%{%'",
			    NULL),
		     0);
}

Test(demo, rerun_changes_nothing_and_is_deterministic, .init = setup, .fini = teardown)
{
	struct tmpdb *a = &A, *b = &B;
	cr_assert_eq(events_demo(a->db, 1), 0);
	cr_assert_eq(events_demo(b->db, 1), 0);
	cr_assert_eq(digest(a->db, sql_events_all, 20), digest(b->db, sql_events_all, 20));
	cr_assert_eq(digest(a->db, sql_groups_all, 10), digest(b->db, sql_groups_all, 10));

	uint64_t ev = digest(a->db, sql_events_all, 20);
	uint64_t mu = digest(a->db, sql_network_all, 9);
	uint64_t gr = digest(a->db, sql_groups_all, 10);
	int64_t n = events_count(a->db);
	int64_t texts = scalar(a->db, "SELECT count(*) FROM event_texts", NULL);
	int64_t gthemes = scalar(a->db, "SELECT count(*) FROM group_themes", NULL);

	cr_assert_eq(events_demo(a->db, 1), 0);
	cr_assert_eq(events_count(a->db), n);
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM event_texts", NULL), texts);
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM group_themes", NULL), gthemes);
	cr_assert_eq(network_count_groups(a->db), 11);
	cr_assert_eq(digest(a->db, sql_events_all, 20), ev);
	cr_assert_eq(digest(a->db, sql_network_all, 9), mu);
	cr_assert_eq(digest(a->db, sql_groups_all, 10), gr);
}

Test(demo, scale_multiplies_generated_events_only, .init = setup, .fini = teardown)
{
	struct tmpdb *a = &A, *b = &B;
	cr_assert_eq(events_demo(a->db, 1), 0);
	cr_assert_eq(events_demo(b->db, 3), 0);
	int64_t n1 = events_count(a->db), n3 = events_count(b->db);
	cr_assert_eq(n3, 1 + 3 * (n1 - 1), "%lld vs %lld", (long long)n1, (long long)n3);
	cr_assert_eq(scalar(b->db, "SELECT count(*) FROM events WHERE slug LIKE '%-3'", NULL),
		     n1 - 1);
	cr_assert_eq(scalar(b->db, "SELECT count(*) FROM events WHERE slug LIKE ?1",
			    SEED_SLUG "-%"),
		     0);
	/* copies add no highlight, and the network is the same */
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM events WHERE highlight = 1", NULL),
		     scalar(b->db, "SELECT count(*) FROM events WHERE highlight = 1", NULL));
	cr_assert_eq(network_count_groups(b->db), 11);
	cr_assert_eq(events_demo(b->db, 0), -1);
	cr_assert_eq(events_count(b->db), n3);
}

Test(demo, save_group_refuses_bad_pairs, .init = setup, .fini = teardown)
{
	struct tmpdb *t = &A;
	cr_assert_eq(events_demo(t->db, 1), 0);
	char err[256];
	static const char *const themes[] = {"led"};
	static const struct {
		const char *a, *b, *event, *theme, *want;
	} cases[] = {
		{"irbid", "ramtha", NULL, "led", "two different countries"},
		{"irbid", "irbid", NULL, "led", "two different countries"},
		{"irbid", "atlantis", NULL, "led", "unknown municipality atlantis"},
		{"irbid", "tyre", "no-such-event", "led", "unknown event no-such-event"},
		{"irbid", "tyre", NULL, "no-such-theme", "unknown theme no-such-theme"},
	};
	cr_assert_eq(db_begin(t->db), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *th[] = {cases[i].theme};
		struct twinning_group g = {
			.slug = "test-pair",
			.name = {"اختبار", "Test", "Test"},
			.municipality_a = cases[i].a,
			.municipality_b = cases[i].b,
			.formed_event = cases[i].event,
			.status = GROUP_ACTIVE,
			.themes = th,
			.n_themes = 1,
		};
		err[0] = '\0';
		cr_assert_eq(network_save_group(t->db, &g, err, sizeof err), -1, "case %zu", i);
		cr_assert_not_null(strstr(err, cases[i].want), "case %zu: %s", i, err);
	}
	cr_assert_eq(db_rollback(t->db), 0);
	cr_assert_eq(network_count_groups(t->db), 11);

	/* A good pair is accepted, and saving it again updates it in place. */
	cr_assert_eq(db_begin(t->db), 0);
	struct twinning_group g = {
		.slug = "irbid-tyre",
		.name = {"إربد - صور", "Irbid - Tyre", NULL},
		.municipality_a = "irbid",
		.municipality_b = "tyre",
		.status = GROUP_FORMING,
		.themes = themes,
		.n_themes = 1,
	};
	cr_assert_eq(network_save_group(t->db, &g, err, sizeof err), 0, "%s", err);
	g.status = GROUP_ACTIVE;
	cr_assert_eq(network_save_group(t->db, &g, err, sizeof err), 0, "%s", err);
	cr_assert_eq(db_commit(t->db), 0);
	cr_assert_eq(network_count_groups(t->db), 12);
	cr_assert_eq(scalar(t->db, "SELECT count(*) FROM twinning_groups WHERE slug = ?1"
				  " AND status = 'active' AND formed_event_id IS NULL",
			    "irbid-tyre"),
		     1);

	struct municipality m = {"nowhere", {NULL, "Nowhere", NULL}, "XX", NULL, -1, -1, 0};
	cr_assert_eq(network_save_municipality(t->db, &m, err, sizeof err), -1);
	cr_assert_not_null(strstr(err, "unknown country XX"), "%s", err);
}

Test(demo, status_codes)
{
	static const struct {
		enum group_status s;
		const char *code;
	} table[] = {
		{GROUP_FORMING, "forming"},
		{GROUP_ACTIVE, "active"},
		{GROUP_PAUSED, "paused"},
		{GROUP_COMPLETED, "completed"},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		cr_assert_str_eq(group_status_code(table[i].s), table[i].code);
		cr_assert_eq(group_status_from_code(table[i].code), (int)table[i].s);
	}
	cr_assert_eq(group_status_from_code("dormant"), -1);
	cr_assert_eq(group_status_from_code("Active"), -1);
	cr_assert_eq(group_status_from_code(NULL), -1);
}

static const char sql_accounts_all[] =
	"SELECT u.email, u.name, u.role, coalesce(m.slug, ''), u.lang, u.timezone, u.active"
	" FROM users u LEFT JOIN municipalities m ON m.id = u.municipality_id ORDER BY u.email";

Test(demo, accounts_one_password_one_or_two_representatives_each, .init = setup,
     .fini = teardown)
{
	struct tmpdb *a = &A, *b = &B;
	cr_assert_eq(events_demo(a->db, 1), 0);
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM users WHERE role = 'admin'", NULL), 1);
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM users WHERE role = 'facilitator'", NULL), 2);
	/* every municipality has one or two; those in a group two */
	cr_assert_eq(scalar(a->db,
			    "SELECT count(*) FROM municipalities m WHERE (SELECT count(*) FROM users u"
			    " WHERE u.municipality_id = m.id AND u.role = 'member') NOT BETWEEN 1 AND 2",
			    NULL),
		     0);
	cr_assert_eq(scalar(a->db,
			    "SELECT count(*) FROM twinning_groups g JOIN users u ON u.municipality_id"
			    " IN (g.municipality_a, g.municipality_b)",
			    NULL),
		     44);
	int64_t members = scalar(a->db, "SELECT count(*) FROM users WHERE role = 'member'", NULL);
	cr_assert_eq(members, network_count_municipalities(a->db) + 22);
	/* addresses say who is who; languages follow the country */
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM users u JOIN municipalities m ON"
				  " m.id = u.municipality_id WHERE u.email = 'rep.' || m.slug ||"
				  " '@demo.tawama.org'",
			    NULL),
		     network_count_municipalities(a->db));
	char s[200];
	text1(a->db, "SELECT lang || ' ' || timezone FROM users WHERE email = ?1",
	      "rep.irbid@demo.tawama.org", s, sizeof s);
	cr_assert_str_eq(s, "ar Asia/Amman");
	text1(a->db, "SELECT lang FROM users WHERE email = ?1", "rep.tyre@demo.tawama.org", s,
	      sizeof s);
	cr_assert_str_eq(s, "fr");
	text1(a->db, "SELECT lang FROM users WHERE email = ?1", "rep.gaziantep@demo.tawama.org", s,
	      sizeof s);
	cr_assert_str_eq(s, "en");
	/* one hash for all, and it is the documented password's */
	cr_assert_eq(scalar(a->db, "SELECT count(DISTINCT password_hash) FROM users", NULL), 1);
	text1(a->db, "SELECT password_hash FROM users WHERE email = ?1", "admin@demo.tawama.org", s,
	      sizeof s);
	cr_assert(auth_password_verify(s, NETWORK_DEMO_PASSWORD));
	cr_assert_not(auth_password_verify(s, "another password"));

	/* deterministic, re-runnable, and --scale makes no more accounts */
	cr_assert_eq(events_demo(b->db, 3), 0);
	cr_assert_eq(digest(a->db, sql_accounts_all, 7), digest(b->db, sql_accounts_all, 7));
	int64_t n = scalar(a->db, "SELECT count(*) FROM users", NULL);
	cr_assert_eq(events_demo(a->db, 1), 0);
	cr_assert_eq(scalar(a->db, "SELECT count(*) FROM users", NULL), n);
	cr_assert_eq(n, 3 + members);
}

Test(demo, members_see_each_group_from_both_sides, .init = setup, .fini = teardown)
{
	struct tmpdb *t = &A;
	cr_assert_eq(events_demo(t->db, 1), 0);
	struct arena *ar = arena_new();
	struct member *m;
	size_t n;
	cr_assert_eq(network_members(t->db, ar, NULL, &m, &n), 0);
	cr_assert_eq((int64_t)n, network_count_municipalities(t->db));
	size_t in_group = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert_leq(m[i].n_groups, 1);
		in_group += m[i].n_groups;
		if (strcmp(m[i].m.slug, "irbid") == 0) {
			cr_assert_eq(m[i].n_groups, 1);
			cr_assert_str_eq(m[i].groups[0].slug, "irbid-gaziantep");
			cr_assert_str_eq(m[i].groups[0].partner_slug, "gaziantep");
			cr_assert_str_eq(m[i].groups[0].partner_country, "TR");
			cr_assert_eq(m[i].groups[0].status, GROUP_ACTIVE);
			cr_assert_eq(m[i].n_themes, 2);
			cr_assert_str_eq(m[i].m.name[LANG_AR], "إربد");
			cr_assert_eq(m[i].m.population, 500000);
			cr_assert_eq(m[i].m.displaced_year, 2018);
		}
	}
	cr_assert_eq(in_group, 22);
	/* one by slug: the same view */
	cr_assert_eq(network_members(t->db, ar, "gaziantep", &m, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(m[0].n_groups, 1);
	cr_assert_str_eq(m[0].groups[0].partner_slug, "irbid");
	cr_assert_str_eq(m[0].groups[0].partner_name[LANG_AR], "إربد");
	cr_assert_eq(m[0].groups[0].n_themes, 2);
	cr_assert_eq(network_members(t->db, ar, "atlantis", &m, &n), 0);
	cr_assert_eq(n, 0);
	/* the groups' representatives came to the training where the groups were formed */
	static const char sql_came[] =
		"SELECT count(*) FROM invitations i JOIN events e ON e.id = i.event_id"
		" WHERE e.slug = ?1 AND i.answer = 'accepted' AND i.attended = 1"
		" AND i.token_hash IS NULL";
	cr_assert_eq(scalar(t->db, sql_came, "led-strategic-planning-training-beirut-2018"), 22);
	struct event *ev;
	cr_assert_eq(network_members(t->db, ar, "irbid", &m, &n), 0);
	cr_assert_eq(events_taken_part(t->db, ar, m[0].id, 10, &ev, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(ev[0].slug, "led-strategic-planning-training-beirut-2018");
	cr_assert_eq(network_members(t->db, ar, "karak", &m, &n), 0);
	cr_assert_eq(events_taken_part(t->db, ar, m[0].id, 10, &ev, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(events_demo(t->db, 1), 0);
	cr_assert_eq(scalar(t->db, sql_came, "led-strategic-planning-training-beirut-2018"), 22);
	cr_assert_eq(scalar(t->db, "SELECT count(*) FROM invitations", NULL), 22);
	/* countries */
	cr_assert_eq(network_country_exists(t->db, "JO"), 1);
	cr_assert_eq(network_country_exists(t->db, "XX"), 0);
	cr_assert_eq(network_country_exists(t->db, "jo"), 0);
	const char **codes;
	cr_assert_eq(network_country_codes(t->db, ar, &codes, &n), 0);
	cr_assert_eq(n, 249);
	arena_free(ar);
}
