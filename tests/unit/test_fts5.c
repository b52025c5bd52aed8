/* test_fts5: the tawama tokenizer in FTS5, the index kept in step by events_save, reindex. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_log.h"
#include "db/db.h"
#include "events/events.h"
#include "events/events_index.h"
#include "search/search.h"
#include "search/search_fts5.h"
#include "search/search_query.h"
#include "search/search_snippet.h"

#define BASE INT64_C(1531299600)	/* 2018-07-11T09:00:00Z, the seed webinar */

static char dir[64], path[128];
static struct db *db;
static struct arena *arena;

static void
setup(void)
{
	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/tawama-test-fts5-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&db, path, 0), 0);
	cr_assert_eq(db_migrate(db), 0);
	arena = arena_new();
}

static void
teardown(void)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[160];
	arena_free(arena);
	db_close(db);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(fts5, .init = setup, .fini = teardown);

/* The texts of the test events. The Arabic one is the seed's, with its spellings:
 * hamza (إفتراضي, الأردن), taa marbuta (التوأمة), the article, one vocalized word
 * (التَّخْطِيط) and one written without its hamza (الانترنت). */
#define AR_TITLE "اجتماع إفتراضي: ترتيبات التوأمة"
#define AR_CONTEXT                                                                        \
	"خلال ورشة العمل حول **التَّخْطِيط** الاستراتيجي، شكل ممثلو البلديات من العراق "    \
	"والأردن ولبنان مجموعات توأمة.\n\nالمناقشات عبر الانترنت."
static const char *ar_objectives[] = {"ربط أعضاء الشبكة النشطين؛", "تقييم عمل مجموعات التوأمة؛"};
#define EN_TITLE "Twinning arrangements"
#define EN_CONTEXT "Municipalities formed *twinning groups* to exchange experiences."
#define FR_TITLE "Arrangements de jumelage"
#define FR_CONTEXT "Un événement pour les municipalités hôtes."

static struct event
make_event(const char *slug, int published)
{
	struct event e = {
		.slug = slug,
		.type = EVENT_WEBINAR,
		.starts = BASE,
		.ends = BASE + 7200,
		.timezone = "Asia/Beirut",
		.is_virtual = 1,
		.organiser = {.slug = "cmi", .name = {"مركز التكامل المتوسطي", "CMI", "CMI"}},
		.participation = PART_INVITATION,
		.published = published,
		.updated = BASE,
	};
	return e;
}

static void
save(const struct event *e)
{
	char err[200] = "";
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(events_save(db, e, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_commit(db), 0);
}

static struct event
seed(void)
{
	struct event e = make_event("seed", 1);
	e.text[LANG_AR] = (struct event_text){
		.title = AR_TITLE,
		.context = AR_CONTEXT,
		.objectives = ar_objectives,
		.n_objectives = 2,
		.participation = "المشاركة بناء على دعوة فقط",
	};
	e.text[LANG_EN] = (struct event_text){.title = EN_TITLE, .context = EN_CONTEXT};
	e.text[LANG_FR] = (struct event_text){.title = FR_TITLE, .context = FR_CONTEXT};
	return e;
}

static int64_t
query_int(const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st, "prepare %s", sql);
	cr_assert_eq(db_step(st), DB_ROW, "%s", sql);
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static int64_t
seed_id(void)
{
	return query_int("SELECT id FROM events WHERE slug = 'seed'");
}

static const char *const sql_match[LANG_COUNT] = {
	[LANG_AR] = "SELECT rowid FROM events_fts_ar WHERE events_fts_ar MATCH ?1 ORDER BY rowid",
	[LANG_EN] = "SELECT rowid FROM events_fts_en WHERE events_fts_en MATCH ?1 ORDER BY rowid",
	[LANG_FR] = "SELECT rowid FROM events_fts_fr WHERE events_fts_fr MATCH ?1 ORDER BY rowid",
};

/* The ids (comma-separated, in a) of the events whose text in l matches what a
 * visitor typed, read by search_parse_query. */
static const char *
found(enum lang l, const char *typed)
{
	struct search_query q;
	search_parse_query(arena, typed, &q);
	cr_assert_not_null(q.match, "%s: no expression", typed);
	struct db_stmt *st = db_prepare(db, sql_match[l]);
	cr_assert_not_null(st);
	db_bind_text(st, 1, q.match);
	char ids[256] = "";
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		size_t n = strlen(ids);
		snprintf(ids + n, sizeof(ids) - n, "%s%lld", n ? "," : "",
			 (long long)db_col_int(st, 0));
	}
	db_done(st);
	cr_assert_eq(rc, DB_DONE, "%s: %s failed", typed, q.match);
	return arena_strdup(arena, ids);
}

static const char *
one_id(int64_t id)
{
	return arena_printf(arena, "%lld", (long long)id);
}

/* Arabic typed every which way finds the seed. */
static const struct {
	const char *typed;
	const char *why;
} arabic_finds[] = {
	{"التوأمة", "as written"},
	{"التوأمه", "taa marbuta typed as heh"},
	{"توأمة", "without the article"},
	{"تَوْأَمَة", "with diacritics"},
	{"افتراضي", "without the hamza under alef"},
	{"إفتراضي", "with it"},
	{"الاردن", "without hamza, the document has والأردن"},
	{"الأردن", "with hamza, after the conjunction waw in the document"},
	{"الإنترنت", "with a hamza the document lacks"},
	{"تخطيط", "the document is vocalized and has the article"},
	{"التخطيط الاستراتيجي", "two words"},
	{"\"مجموعات التوأمة\"", "a phrase"},
	{"البلد*", "a prefix of a surface form with the article"},
	{"البلديات OR زمبابوي", "OR"},
	{"البلديات -زمبابوي", "an exclusion that does not apply"},
};

Test(fts5, arabic_spellings_find_the_seed)
{
	struct event e = seed();
	save(&e);
	const char *id = one_id(seed_id());
	for (size_t i = 0; i < sizeof(arabic_finds) / sizeof(arabic_finds[0]); i++)
		cr_expect_str_eq(found(LANG_AR, arabic_finds[i].typed), id, "%s (%s)",
				 arabic_finds[i].typed, arabic_finds[i].why);
	/* and what is not there is not found */
	cr_expect_str_eq(found(LANG_AR, "زمبابوي"), "");
	cr_expect_str_eq(found(LANG_AR, "\"التوأمة مجموعات\""), "", "a phrase in the wrong order");
	cr_expect_str_eq(found(LANG_AR, "البلديات زمبابوي"), "", "AND");
	/* English and French through their own tables */
	cr_expect_str_eq(found(LANG_EN, "arrangement"), id);
	cr_expect_str_eq(found(LANG_EN, "twin*"), id);
	cr_expect_str_eq(found(LANG_FR, "evenement"), id, "accents folded");
	cr_expect_str_eq(found(LANG_FR, "municipalité"), id);
	cr_expect_str_eq(found(LANG_EN, "التوأمة"), "", "Arabic words are not in the English text");
}

static const char *
marked(const char *sql, int64_t id, const char *typed)
{
	struct search_query q;
	search_parse_query(arena, typed, &q);
	struct db_stmt *st = db_prepare(db, sql);
	cr_assert_not_null(st);
	db_bind_text(st, 1, q.match);
	db_bind_int(st, 2, id);
	cr_assert_eq(db_step(st), DB_ROW, "%s: no row", typed);
	const char *s = arena_strdup(arena, db_col_text(st, 0));
	db_done(st);
	return s;
}

Test(fts5, highlight_and_snippet_mark_the_original_spelling)
{
	static const char title[] = "SELECT highlight(events_fts_ar, 0, '[', ']') FROM events_fts_ar"
				    " WHERE events_fts_ar MATCH ?1 AND rowid = ?2";
	static const char body[] = "SELECT snippet(events_fts_ar, 1, '[', ']', '…', 8)"
				   " FROM events_fts_ar WHERE events_fts_ar MATCH ?1 AND rowid = ?2";
	static const char en_title[] =
		"SELECT highlight(events_fts_en, 0, '[', ']') FROM events_fts_en"
		" WHERE events_fts_en MATCH ?1 AND rowid = ?2";
	struct event e = seed();
	save(&e);
	int64_t id = seed_id();
	cr_expect_str_eq(marked(title, id, "التوأمه"), "اجتماع إفتراضي: ترتيبات [التوأمة]");
	cr_expect_str_eq(marked(title, id, "افتراضي"), "اجتماع [إفتراضي]: ترتيبات التوأمة");
	cr_expect_str_eq(marked(title, id, "\"ترتيبات توأمة\""), "اجتماع إفتراضي: [ترتيبات التوأمة]");
	cr_expect_str_eq(marked(title, id, "ترتيب*"), "اجتماع إفتراضي: [ترتيبات] التوأمة");
	const char *s = marked(body, id, "الاردن");
	cr_expect(strstr(s, "[والأردن]") != NULL, "snippet %s", s);
	s = marked(body, id, "تخطيط");
	cr_expect(strstr(s, "[التَّخْطِيط]") != NULL, "snippet %s", s);
	cr_expect_str_eq(marked(en_title, id, "arrangement"), "Twinning [arrangements]");
}

Test(fts5, body_is_readable_plain_text)
{
	struct event e = seed();
	save(&e);
	struct db_stmt *st = db_prepare(db, "SELECT title, body FROM events_fts_en WHERE rowid = ?1");
	db_bind_int(st, 1, seed_id());
	cr_assert_eq(db_step(st), DB_ROW);
	cr_expect_str_eq(db_col_text(st, 0), EN_TITLE);
	cr_expect_str_eq(db_col_text(st, 1),
			 "Municipalities formed twinning groups to exchange experiences.");
	db_done(st);
	st = db_prepare(db, "SELECT body FROM events_fts_ar WHERE rowid = ?1");
	db_bind_int(st, 1, seed_id());
	cr_assert_eq(db_step(st), DB_ROW);
	cr_expect_str_eq(db_col_text(st, 0),
			 "خلال ورشة العمل حول التَّخْطِيط الاستراتيجي، شكل ممثلو البلديات من "
			 "العراق والأردن ولبنان مجموعات توأمة. المناقشات عبر الانترنت.\n"
			 "ربط أعضاء الشبكة النشطين؛\nتقييم عمل مجموعات التوأمة؛\n"
			 "المشاركة بناء على دعوة فقط");
	db_done(st);
}

Test(fts5, an_edit_updates_the_index)
{
	struct event e = seed();
	save(&e);
	const char *id = one_id(seed_id());
	cr_assert_str_eq(found(LANG_EN, "arrangements"), id);
	e.text[LANG_EN].title = "Peer exchange on budgets";
	e.text[LANG_AR].title = "تبادل الأقران حول الميزانيات";
	e.text[LANG_FR] = (struct event_text){0};	/* the French text is removed */
	save(&e);
	cr_expect_str_eq(one_id(seed_id()), id, "the edit kept the event");
	cr_expect_str_eq(found(LANG_EN, "arrangements"), "", "the old title still matches");
	cr_expect_str_eq(found(LANG_EN, "budget"), id);
	cr_expect_str_eq(found(LANG_EN, "twinning"), id, "the body is still there");
	cr_expect_str_eq(found(LANG_AR, "ترتيبات"), "");
	cr_expect_str_eq(found(LANG_AR, "الميزانيات"), id);
	cr_expect_str_eq(found(LANG_FR, "jumelage"), "", "a removed text stays in the index");
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_fr"), 0);
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), 1);
}

Test(fts5, unpublished_events_are_not_indexed)
{
	struct event e = seed();
	save(&e);
	struct event draft = make_event("draft", 0);
	draft.text[LANG_AR] = (struct event_text){.title = "مسودة سرية عن التوأمة"};
	save(&draft);
	int64_t draft_id = query_int("SELECT id FROM events WHERE slug = 'draft'");
	cr_expect_str_eq(found(LANG_AR, "سرية"), "");
	cr_expect_str_eq(found(LANG_AR, "التوأمة"), one_id(seed_id()));
	/* published, then withdrawn again */
	draft.published = 1;
	save(&draft);
	cr_expect_str_eq(found(LANG_AR, "سرية"), one_id(draft_id));
	draft.published = 0;
	save(&draft);
	cr_expect_str_eq(found(LANG_AR, "سرية"), "");
}

/* Published events with Arabic text, as the index must count them. */
static int64_t
arabic_published(void)
{
	return query_int("SELECT count(*) FROM event_texts t JOIN events e ON e.id = t.event_id"
			 " WHERE t.lang = 'ar' AND e.published = 1");
}

static const char *const probe[] = {
	"التوأمة", "افتراضي", "البلد*", "\"مجموعات التوأمة\"", "سرية", "الميزانيات", "رقم",
};

/* A fingerprint of the index: the answer to every probe, one a line. */
static const char *
answers(void)
{
	const char *s = "";
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		s = arena_printf(arena, "%s%s=%s\n", s, probe[i], found(LANG_AR, probe[i]));
	s = arena_printf(arena, "%sen=%s fr=%s\n", s, found(LANG_EN, "twinning"),
			 found(LANG_FR, "jumelage"));
	return s;
}

static void
save_many(void)
{
	struct event e = seed();
	save(&e);
	cr_assert_eq(db_begin(db), 0);
	for (int i = 0; i < 50; i++) {
		char slug[32], title[128];
		snprintf(slug, sizeof(slug), "event-%d", i);
		snprintf(title, sizeof(title), "ورشة رقم %d عن الميزانيات", i);
		struct event x = make_event(arena_strdup(arena, slug), i % 5 != 0);
		x.text[LANG_AR].title = arena_strdup(arena, title);
		if (i % 3 == 0)
			x.text[LANG_EN].title = "Budget workshop";
		char err[200];
		cr_assert_eq(events_save(db, &x, err, sizeof(err)), 0, "%s", err);
	}
	cr_assert_eq(db_commit(db), 0);
}

static long progress_calls, progress_last, progress_total;

static void
on_progress(long done, long total)
{
	progress_calls++;
	progress_last = done;
	progress_total = total;
}

Test(fts5, reindex_gives_the_same_results)
{
	save_many();
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), arabic_published());
	const char *before = answers();
	long n = events_index_rebuild(db, on_progress);
	cr_assert_eq(n, 1 + 40, "published events with a text");
	cr_expect_gt(progress_calls, 0);
	cr_expect_eq(progress_last, n);
	cr_expect_eq(progress_total, n);
	cr_expect_str_eq(answers(), before);
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), arabic_published());
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), 41);
	/* the index still follows edits after a rebuild (the statements survived it) */
	struct event e = seed();
	e.published = 0;
	save(&e);
	cr_expect_str_eq(found(LANG_AR, "افتراضي"), "");
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), arabic_published());
}

Test(fts5, reindex_command)
{
	save_many();
	const char *before = answers();
	/* as `tawama reindex` runs it: its own connection, while this one stays open */
	cr_assert_eq(events_reindex_cli(path), 0);
	cr_expect_str_eq(answers(), before);
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), arabic_published());
	char missing[192];
	snprintf(missing, sizeof(missing), "%s/no/such/dir.db", dir);
	cr_expect_eq(events_reindex_cli(missing), 1);
}

Test(fts5, reindex_on_an_empty_database)
{
	cr_assert_eq(events_index_rebuild(db, NULL), 0);
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), 0);
}

Test(fts5, the_migration_indexes_events_that_exist)
{
	save_many();
	const char *before = answers();
	/* back to the schema before 003, with the events in it */
	cr_assert_eq(db_exec(db, "DROP TABLE events_fts_ar; DROP TABLE events_fts_en;"
				 " DROP TABLE events_fts_fr;"
				 " DELETE FROM schema_migrations WHERE version = 3"),
		     0);
	cr_assert_eq(db_migrate(db), 0);
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_ar"), arabic_published());
	cr_expect_eq(query_int("SELECT count(*) FROM events_fts_en"), 1 + 13);
	cr_expect_str_eq(answers(), before);
}

Test(fts5, every_connection_has_the_tokenizer)
{
	struct event e = seed();
	save(&e);
	struct db *other;
	cr_assert_eq(db_open(&other, path, DB_OPEN_READONLY), 0);
	struct db_stmt *st = db_prepare(other, "SELECT rowid FROM events_fts_ar"
					       " WHERE events_fts_ar MATCH '\"التوأمه\"'");
	cr_assert_not_null(st);
	cr_expect_eq(db_step(st), DB_ROW);
	cr_expect_eq(db_col_int(st, 0), seed_id());
	db_done(st);
	db_close(other);
}

Test(fts5, tokenizer_arguments_are_checked)
{
	cr_expect_eq(db_exec(db, "CREATE VIRTUAL TABLE x1 USING fts5(a, tokenize = 'tawama de')"), -1);
	cr_expect_eq(db_exec(db, "CREATE VIRTUAL TABLE x2 USING fts5(a, tokenize = 'tawama ar en')"), -1);
	cr_expect_eq(db_exec(db, "CREATE VIRTUAL TABLE x3 USING fts5(a, tokenize = 'tawama');"
				 "INSERT INTO x3 (a) VALUES ('twinning groups')"),
		     0);
	cr_expect_eq(query_int("SELECT count(*) FROM x3 WHERE x3 MATCH 'group'"), 1);
}

/* An index built by another analyzer version is rebuilt, and the version recorded. */
Test(fts5, index_of_another_analyzer_version_is_rebuilt)
{
	struct event e = seed();
	save(&e);
	cr_assert_eq(events_index_ensure_current(db), 0, "as every command does after migrating");
	cr_assert_eq(query_int("SELECT analyzer_version FROM search_meta"), SEARCH_ANALYZER_VERSION);
	cr_assert_eq(db_exec(db, "UPDATE search_meta SET analyzer_version = 0;"
				 "DELETE FROM events_fts_ar;"), 0);
	cr_assert_str_eq(found(LANG_AR, "التوامة"), "", "the emptied index finds nothing");
	cr_assert_eq(events_index_ensure_current(db), 0);
	cr_assert_eq(query_int("SELECT analyzer_version FROM search_meta"), SEARCH_ANALYZER_VERSION);
	cr_assert_str_eq(found(LANG_AR, "التوامة"), one_id(seed_id()), "rebuilt");
	cr_assert_eq(events_index_ensure_current(db), 0, "a current index is left alone");
}

static const char *
first_ranked(const char *match)
{
	struct db_stmt *st = db_prepare(db, "SELECT e.slug FROM events_fts_en f JOIN events e ON"
					    " e.id = f.rowid WHERE events_fts_en MATCH ?1"
					    " ORDER BY tawama_rank(events_fts_en, 5.0, 1.0) LIMIT 1");
	cr_assert_not_null(st);
	db_bind_text(st, 1, match);
	cr_assert_eq(db_step(st), DB_ROW, "%s matches nothing", match);
	const char *slug = arena_strdup(arena, db_col_text(st, 0));
	db_done(st);
	return slug;
}

/* tawama_rank: a word in the title outranks the same word in the body, and a rare word
 * of the query counts more than a common one. */
Test(fts5, rank_prefers_the_title_and_rare_words)
{
	struct event a = make_event("in-title", 1), b = make_event("in-body", 1);
	struct event c = make_event("common-only", 1), d = make_event("filler", 1);
	a.text[LANG_EN] = (struct event_text){.title = "Water networks", .context = "A meeting."};
	b.text[LANG_EN] = (struct event_text){.title = "A meeting", .context = "About water networks."};
	c.text[LANG_EN] = (struct event_text){.title = "A meeting on meetings",
					      .context = "Meeting meeting meeting."};
	d.text[LANG_EN] = (struct event_text){.title = "Another meeting", .context = "Budgets."};
	save(&a);
	save(&b);
	save(&c);
	save(&d);
	cr_expect_str_eq(first_ranked("\"water\""), "in-title");
	cr_expect_str_eq(first_ranked("\"water\" OR \"meeting\""), "in-title",
			 "the rare word (water) outweighs many hits of the common one");
}

/* The bare seat typed for ؤ or ئ (موتمر for مؤتمر, رييس for رئيس) finds the word. */
Test(fts5, bare_hamza_seat_finds_the_word)
{
	struct event e = make_event("conference", 1);
	e.text[LANG_AR] = (struct event_text){.title = "مؤتمر رؤساء البلديات",
					      .context = "يجتمع المسؤولون ورئيس الشبكة."};
	save(&e);
	int64_t id = query_int("SELECT id FROM events WHERE slug = 'conference'");
	const char *want = one_id(id);
	cr_expect_str_eq(found(LANG_AR, "مؤتمر"), want);
	cr_expect_str_eq(found(LANG_AR, "موتمر"), want, "waw typed for the hamza on waw");
	cr_expect_str_eq(found(LANG_AR, "رييس"), want, "yeh typed for the hamza on yeh");
	cr_expect_str_eq(found(LANG_AR, "مسئولون"), want, "the other seat still meets");
}

/* ---- search_snippet and tawama_scan give what FTS5 gives ---- */

/* Texts that exercise the snippet window: several sentences ('.' and ':'), repeats, a
 * phrase, words far apart, a vocalized and prefixed Arabic word. */
#define LONG_EN                                                                           \
	"The municipalities of Irbid and Mafraq met in Amman. Water networks lose a third "  \
	"of their water: the twinning groups compared meters, pumps and tariffs. After the " \
	"visit, each group wrote a plan for its water utility and its budget. Budgets were " \
	"small; networks were old. The next meeting will review the water plans and the "    \
	"budgets of both municipalities, and the networks of a third city."
#define LONG_AR                                                                           \
	"اجتمعت بلديات إربد والمفرق في عمان. تفقد شبكات المياه ثلث مياهها: قارنت مجموعات "   \
	"التوأمة العدادات والمضخات والتعرفة. بعد الزيارة كتبت كل مجموعة خطة لمرفق المياه "     \
	"وميزانيته. والبلديات الصغيرة تحتاج إلى دعم. سيراجع الاجتماع القادم خطط المِيَاه "     \
	"وميزانيات البلديتين وشبكات مدينة ثالثة."

static const char *const snippet_queries[] = {
	"water", "networks", "water budget", "\"water networks\"", "\"water plans\"", "net*",
	"water OR meeting", "budget -water", "\"the water\"", "municipal*", "city", "amman",
	"twinning groups", "\"networks were old\"", "plan*", "third",
	"المياه", "مياه", "شبكات المياه", "\"شبكات المياه\"", "البلدي*", "ميزاني*",
	"التوأمة OR الزيارة", "خطة", "مدينة", "ربد",
};

static const char *const sql_fts5_snippet[LANG_COUNT] = {
	[LANG_AR] = "SELECT snippet(events_fts_ar, -1, '[', ']', '…', ?3) FROM events_fts_ar"
		    " WHERE events_fts_ar MATCH ?1 AND rowid = ?2",
	[LANG_EN] = "SELECT snippet(events_fts_en, -1, '[', ']', '…', ?3) FROM events_fts_en"
		    " WHERE events_fts_en MATCH ?1 AND rowid = ?2",
	[LANG_FR] = "SELECT snippet(events_fts_fr, -1, '[', ']', '…', ?3) FROM events_fts_fr"
		    " WHERE events_fts_fr MATCH ?1 AND rowid = ?2",
};
static const char *const sql_stored[LANG_COUNT] = {
	[LANG_AR] = "SELECT title, body FROM events_fts_ar WHERE rowid = ?1",
	[LANG_EN] = "SELECT title, body FROM events_fts_en WHERE rowid = ?1",
	[LANG_FR] = "SELECT title, body FROM events_fts_fr WHERE rowid = ?1",
};

/* FTS5's snippet of row id of language l for typed, or NULL when the row does not match. */
static const char *
fts5_snippet(enum lang l, int64_t id, const struct search_query *q, int tokens)
{
	struct db_stmt *st = db_prepare(db, sql_fts5_snippet[l]);
	cr_assert_not_null(st);
	db_bind_text(st, 1, q->match);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, tokens);
	const char *out = NULL;
	if (db_step(st) == DB_ROW)
		out = arena_strdup(arena, db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_done(st);
	return out;
}

static const char *
own_snippet(enum lang l, int64_t id, const struct search_query *q, int tokens)
{
	struct search_snippet_marks mk = {"[", "]", "…", (size_t)tokens};
	struct db_stmt *st = db_prepare(db, sql_stored[l]);
	cr_assert_not_null(st);
	db_bind_int(st, 1, id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return NULL;	/* no text in l */
	}
	const char *cols[2] = {db_col_text(st, 0), db_col_text(st, 1)};
	struct buf b = BUF_INIT;
	int rc = search_snippet(search_snippet_prepare(arena, q), l, cols, 2, &mk, &b);
	db_done(st);
	cr_assert_neq(rc, -1);
	const char *out = rc == 1 ? arena_strdup(arena, buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

Test(fts5, own_snippet_is_fts5_snippet)
{
	struct event e = seed(), f = make_event("long", 1);
	f.text[LANG_EN] = (struct event_text){.title = "Water networks and budgets",
					      .context = LONG_EN};
	f.text[LANG_AR] = (struct event_text){.title = "شبكات المياه والميزانيات",
					      .context = LONG_AR};
	save(&e);
	save(&f);
	int64_t ids[2] = {seed_id(), query_int("SELECT id FROM events WHERE slug = 'long'")};
	static const int sizes[] = {24, 8, 3};
	size_t compared = 0;
	for (size_t i = 0; i < sizeof(snippet_queries) / sizeof(snippet_queries[0]); i++) {
		struct search_query q;
		search_parse_query(arena, snippet_queries[i], &q);
		cr_assert_not_null(q.match, "%s", snippet_queries[i]);
		for (int l = 0; l < LANG_COUNT; l++)
			for (size_t k = 0; k < 2; k++)
				for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
					const char *want = fts5_snippet((enum lang)l, ids[k], &q, sizes[z]);
					const char *got = own_snippet((enum lang)l, ids[k], &q, sizes[z]);
					if (want == NULL) {
						cr_expect_null(got, "%s (%s, row %zu): matches only here: %s",
							       snippet_queries[i], lang_code((enum lang)l), k, got);
						continue;
					}
					compared++;
					cr_expect(got != NULL && strcmp(got, want) == 0,
						  "%s (%s, row %zu, %d tokens):\n got %s\nwant %s",
						  snippet_queries[i], lang_code((enum lang)l), k, sizes[z],
						  got ? got : "NULL", want);
				}
	}
	cr_expect_gt(compared, 80, "only %zu snippets compared", compared);
}

/* What one phrase scan reports, by rowid. */
struct scanned {
	int64_t id[16];
	int title[16];
	double hits[16];
	size_t n;
};

static int
on_scanned_row(void *ctx, int64_t rowid, int in_title)
{
	struct scanned *s = ctx;
	cr_assert_lt(s->n, 16);
	s->id[s->n] = rowid;
	s->title[s->n] = in_title;
	s->hits[s->n++] = -1;
	return 1;
}

static void
on_scanned_hits(void *ctx, double hits)
{
	struct scanned *s = ctx;
	s->hits[s->n - 1] = hits;
}

/* tawama_scan sees the rows the phrase matches, which of them have it in the title, and
 * the hits from which the rank is worked out to the same number as tawama_rank. */
Test(fts5, scan_gives_the_rows_titles_and_rank)
{
	struct event a = make_event("in-title", 1), b = make_event("in-body", 1);
	struct event c = make_event("both", 1), d = make_event("neither", 1);
	a.text[LANG_EN] = (struct event_text){.title = "Water networks", .context = "A meeting."};
	b.text[LANG_EN] = (struct event_text){.title = "A meeting", .context = "About water, water."};
	c.text[LANG_EN] = (struct event_text){.title = "Water and water networks",
					      .context = "Networks of water pipes: water."};
	d.text[LANG_EN] = (struct event_text){.title = "Budgets", .context = "Meetings."};
	save(&a);
	save(&b);
	save(&c);
	save(&d);
	static const char *const phrases[] = {"\"water\"", "\"network\"*", "\"water network\"",
					      "\"meeting\"", "\"budget\""};
	for (size_t p = 0; p < sizeof(phrases) / sizeof(phrases[0]); p++) {
		struct scanned got = {0};
		struct search_scan s = {.weight = {5.0, 1.0}, .row = on_scanned_row,
					.hits = on_scanned_hits, .ctx = &got};
		struct db_stmt *st = db_prepare(db, "SELECT tawama_scan(events_fts_en, ?2) FROM"
						    " events_fts_en WHERE events_fts_en MATCH ?1"
						    " LIMIT 1");
		cr_assert_not_null(st);
		db_bind_text(st, 1, phrases[p]);
		db_bind_pointer(st, 2, &s, SEARCH_SCAN_TYPE);
		while (db_step(st) == DB_ROW)
			;
		db_done(st);
		cr_expect_eq(s.rows, got.n, "%s", phrases[p]);
		/* the same rows, titles and ranks by SQL */
		st = db_prepare(db, "SELECT rowid, tawama_rank(events_fts_en, 5.0, 1.0),"
				    " rowid IN (SELECT rowid FROM events_fts_en WHERE events_fts_en"
				    " MATCH '{title} : ' || ?1) FROM events_fts_en"
				    " WHERE events_fts_en MATCH ?1 ORDER BY rowid");
		cr_assert_not_null(st);
		db_bind_text(st, 1, phrases[p]);
		size_t k = 0;
		double idf = search_rank_idf(s.table_rows, (int64_t)s.rows);
		while (db_step(st) == DB_ROW) {
			cr_assert_lt(k, got.n, "%s: fewer rows scanned", phrases[p]);
			cr_expect_eq(got.id[k], db_col_int(st, 0), "%s", phrases[p]);
			cr_expect_eq(got.title[k], db_col_int(st, 2) != 0, "%s: row %lld in title",
				     phrases[p], (long long)got.id[k]);
			cr_expect(-search_rank_share(idf, got.hits[k]) == db_col_double(st, 1),
				  "%s: rank %.17g, tawama_rank %.17g", phrases[p],
				  -search_rank_share(idf, got.hits[k]), db_col_double(st, 1));
			k++;
		}
		db_done(st);
		cr_expect_eq(k, got.n, "%s: more rows scanned", phrases[p]);
	}
}
