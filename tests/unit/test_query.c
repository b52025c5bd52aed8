/* test_query: what visitors type, read into FTS5 expressions that never fail. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_log.h"
#include "db/db.h"
#include "search/search_query.h"

struct case_ {
	const char *in;
	const char *match;	/* NULL: no positive expression */
	const char *exclude;	/* NULL: no exclusions */
};

static const struct case_ cases[] = {
	/* nothing */
	{"", NULL, NULL},
	{"   \t\r\n ", NULL, NULL},
	/* words, phrases, prefixes */
	{"twinning", "\"twinning\"", NULL},
	{"  twinning   groups ", "\"twinning\" \"groups\"", NULL},
	{"\"twinning groups\"", "\"twinning groups\"", NULL},
	{"\"  twinning   groups  \" plan", "\"twinning   groups\" \"plan\"", NULL},
	{"plan*", "\"plan\"*", NULL},
	{"plan***", "\"plan\"*", NULL},
	{"\"local eco\"*", "\"local eco\"*", NULL},
	{"p*", "\"p\"", NULL},		/* too short for a prefix */
	{"*", NULL, NULL},
	{"* plan", "\"plan\"", NULL},
	{"pl*an", "\"pl*an\"", NULL},	/* a star inside a word is a character */
	/* OR */
	{"a OR b", "\"a\" OR \"b\"", NULL},
	{"a OR b OR c", "\"a\" OR \"b\" OR \"c\"", NULL},
	{"x a OR b y", "\"x\" AND (\"a\" OR \"b\") AND \"y\"", NULL},
	{"a OR b c OR d", "(\"a\" OR \"b\") AND (\"c\" OR \"d\")", NULL},
	{"OR a", "\"a\"", NULL},
	{"a OR", "\"a\"", NULL},
	{"OR", NULL, NULL},
	{"OR OR OR", NULL, NULL},
	{"a OR OR b", "\"a\" OR \"b\"", NULL},
	{"a OR -b c", "\"a\" \"c\"", "\"b\""},
	{"a or b", "\"a\" \"or\" \"b\"", NULL},	/* only capitals are the operator */
	{"\"OR\" a", "\"OR\" \"a\"", NULL},
	{"OR* a", "\"OR\"* \"a\"", NULL},
	/* exclusions */
	{"-word", NULL, "\"word\""},
	{"plan -draft", "\"plan\"", "\"draft\""},
	{"-\"a phrase\" -x", NULL, "\"a phrase\" OR \"x\""},
	{"plan -dra*", "\"plan\"", "\"dra\"*"},
	{"- a", "\"a\"", NULL},
	{"a -", "\"a\"", NULL},
	{"-OR", NULL, "\"OR\""},
	{"co-operation", "\"co-operation\"", NULL},
	/* unbalanced and stray quotes */
	{"\"hello world", "\"hello\" \"world\"", NULL},
	{"hello \"world", "\"hello\" \"world\"", NULL},
	{"-\"hello world", "\"hello\" \"world\"", NULL},
	{"\"\" a", "\"a\"", NULL},
	{"\"a\" \"b", "\"a\" \"b\"", NULL},
	{"o\"neil", "\"o\"\"neil\"", NULL},
	{"say\"\"", "\"say\"\"\"\"\"", NULL},
	{"\"a\"b", "\"a\" \"b\"", NULL},
	{"\xe2\x80\x9ctwinning groups\xe2\x80\x9d", "\"twinning groups\"", NULL},
	{"\xc2\xab twinning groups \xc2\xbb", "\"twinning groups\"", NULL},
	/* FTS5 syntax is nothing but characters */
	{"title:plan", "\"title:plan\"", NULL},
	{"(a OR b)", "\"(a\" OR \"b)\"", NULL},
	{"a AND b NOT c NEAR d", "\"a\" \"AND\" \"b\" \"NOT\" \"c\" \"NEAR\" \"d\"", NULL},
	{"NEAR(a b, 2)", "\"NEAR(a\" \"b,\" \"2)\"", NULL},
	{"^start {title body}: x+y", "\"^start\" \"{title\" \"body}:\" \"x+y\"", NULL},
	/* terms without a token are dropped (FTS5 reads them as matching nothing) */
	{"a ... b", "\"a\" \"b\"", NULL},
	{"a \xe2\x80\xa6 -!!! ;", "\"a\"", NULL},
	{"!!! OR a", "\"a\"", NULL},
	{"a OR ??? OR b", "\"a\" OR \"b\"", NULL},
	/* Arabic */
	{"\xd8\xa7\xd9\x84\xd8\xaa\xd9\x88\xd8\xa3\xd9\x85\xd8\xa9",	/* التوأمة */
	 "\"\xd8\xa7\xd9\x84\xd8\xaa\xd9\x88\xd8\xa3\xd9\x85\xd8\xa9\"", NULL},
	{"\xd8\xa7\xd9\x84\xd8\xa8\xd9\x84\xd8\xaf*",	/* البلد* */
	 "\"\xd8\xa7\xd9\x84\xd8\xa8\xd9\x84\xd8\xaf\"*", NULL},
	{"\xc2\xab\xd9\x85\xd8\xac\xd9\x85\xd9\x88\xd8\xb9\xd8\xa9 \xd8\xaa\xd9\x88\xd8\xa3\xd9\x85\xd8\xa9\xc2\xbb"
	 " -\xd9\x84\xd8\xa8\xd9\x86\xd8\xa7\xd9\x86",	/* «مجموعة توأمة» -لبنان */
	 "\"\xd9\x85\xd8\xac\xd9\x85\xd9\x88\xd8\xb9\xd8\xa9 \xd8\xaa\xd9\x88\xd8\xa3\xd9\x85\xd8\xa9\"",
	 "\"\xd9\x84\xd8\xa8\xd9\x86\xd8\xa7\xd9\x86\""},
	{"\xd8\xb9\xd9\x85\xd8\xa7\xd9\x86 OR \xd8\xa8\xd9\x8a\xd8\xb1\xd9\x88\xd8\xaa",	/* عمان OR بيروت */
	 "\"\xd8\xb9\xd9\x85\xd8\xa7\xd9\x86\" OR \"\xd8\xa8\xd9\x8a\xd8\xb1\xd9\x88\xd8\xaa\"", NULL},
	/* invalid UTF-8, controls and odd spaces separate words */
	{"\xff\xfe" "abc\x01" "def", "\"abc\" \"def\"", NULL},
	{"a\xc2\xa0" "b\xe3\x80\x80" "c", "\"a\" \"b\" \"c\"", NULL},
	{"\xe2\x80\x9c", NULL, NULL},
};

Test(query, table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct arena *a = arena_new();
		struct search_query q;
		search_parse_query(a, c->in, &q);
		if (c->match == NULL)
			cr_expect_null(q.match, "[%zu] %s: match %s, expected none", i, c->in, q.match);
		else
			cr_expect(q.match != NULL && strcmp(q.match, c->match) == 0,
				  "[%zu] %s: match %s, expected %s", i, c->in,
				  q.match ? q.match : "(none)", c->match);
		if (c->exclude == NULL)
			cr_expect_null(q.exclude, "[%zu] %s: exclude %s, expected none", i, c->in,
				       q.exclude);
		else
			cr_expect(q.exclude != NULL && strcmp(q.exclude, c->exclude) == 0,
				  "[%zu] %s: exclude %s, expected %s", i, c->in,
				  q.exclude ? q.exclude : "(none)", c->exclude);
		arena_free(a);
	}
}

Test(query, null_is_empty)
{
	struct arena *a = arena_new();
	struct search_query q;
	search_parse_query(a, NULL, &q);
	cr_assert_null(q.match);
	cr_assert_null(q.exclude);
	cr_assert_eq(q.n_words, 0);
	cr_assert_eq(q.n_terms, 0);
	arena_free(a);
}

Test(query, plain_words_for_suggestions)
{
	static const struct {
		const char *in;
		const char *words;	/* space-separated */
	} w[] = {
		{"plan* \"local economy\" -draft a OR b plan", "plan local economy a b"},
		{"-only -exclusions", ""},
		{"o\"neil", "o\"neil"},
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct arena *a = arena_new();
		struct search_query q;
		search_parse_query(a, w[i].in, &q);
		char joined[256] = "";
		for (size_t k = 0; k < q.n_words; k++) {
			if (k > 0)
				strncat(joined, " ", sizeof(joined) - strlen(joined) - 1);
			strncat(joined, q.words[k], sizeof(joined) - strlen(joined) - 1);
		}
		cr_expect_str_eq(joined, w[i].words, "%s", w[i].in);
		arena_free(a);
	}
}

/* Counts the double-quoted strings of an expression (a doubled quote is inside one). */
static size_t
count_strings(const char *s)
{
	size_t n = 0;
	while ((s = strchr(s, '"')) != NULL) {
		s++;
		for (;;) {
			const char *e = strchr(s, '"');
			cr_assert_not_null(e, "unterminated string");
			s = e + 1;
			if (*s != '"')
				break;
			s++;
		}
		n++;
	}
	return n;
}

Test(query, ten_kilobytes_of_words_keep_32_terms)
{
	size_t n = 10 * 1024;
	char *in = malloc(n + 1);
	for (size_t i = 0; i < n; i += 2) {
		in[i] = (char)('a' + (i / 2) % 26);
		in[i + 1] = ' ';
	}
	in[n] = '\0';
	struct arena *a = arena_new();
	struct search_query q;
	search_parse_query(a, in, &q);
	cr_assert_eq(q.n_terms, SEARCH_QUERY_MAX_TERMS);
	cr_assert(q.truncated);
	cr_assert_not_null(q.match);
	cr_assert_eq(count_strings(q.match), SEARCH_QUERY_MAX_TERMS, "%s", q.match);
	cr_assert_eq(q.n_words, 26, "distinct words");
	arena_free(a);
	free(in);
}

Test(query, ten_kilobytes_of_one_word_are_cut)
{
	size_t n = 10 * 1024;
	char *in = malloc(n + 2);
	memset(in, 'x', n);
	in[n] = '*';
	in[n + 1] = '\0';
	struct arena *a = arena_new();
	struct search_query q;
	search_parse_query(a, in, &q);
	cr_assert_not_null(q.match);
	cr_assert(q.truncated);
	/* 100 x between quotes, then the prefix star */
	cr_assert_eq(strlen(q.match), SEARCH_QUERY_MAX_CHARS + 3, "%zu", strlen(q.match));
	cr_assert_eq(q.match[SEARCH_QUERY_MAX_CHARS + 2], '*');
	arena_free(a);
	free(in);
}

Test(query, long_arabic_word_is_cut_on_a_character)
{
	/* 150 x "ب" (2 bytes each): cut at 100 characters, not in the middle of one */
	char in[301];
	for (int i = 0; i < 150; i++)
		memcpy(in + 2 * i, "\xd8\xa8", 2);
	in[300] = '\0';
	struct arena *a = arena_new();
	struct search_query q;
	search_parse_query(a, in, &q);
	cr_assert_not_null(q.match);
	cr_assert_eq(strlen(q.match), 2 * SEARCH_QUERY_MAX_CHARS + 2);
	arena_free(a);
}

Test(query, ten_kilobytes_of_operators_and_quotes)
{
	static const char *const junk[] = {"\"", "-", "OR ", "*", "- ", "\"\" ", "-\"", "(", "^"};
	for (size_t j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
		size_t k = strlen(junk[j]), n = 10 * 1024 / k * k;
		char *in = malloc(n + 1);
		for (size_t i = 0; i < n; i += k)
			memcpy(in + i, junk[j], k);
		in[n] = '\0';
		struct arena *a = arena_new();
		struct search_query q;
		search_parse_query(a, in, &q);
		cr_expect_null(q.match, "junk %s gave %s", junk[j], q.match);
		cr_expect_null(q.exclude, "junk %s gave %s", junk[j], q.exclude);
		arena_free(a);
		free(in);
	}
}

/*
 * Whatever comes in, FTS5 accepts what comes out: each input is parsed and both
 * expressions are run against a real FTS5 table with the tawama tokenizer.
 */
static const char *const garbage[] = {
	"\"", "\"\"\"", "a\"b\"c\"", "-", "--", "-\"", "OR", "AND", "NOT", "NEAR", "a NEAR/3 b",
	"*", "**a", "a**b*", "(", ")", "()", "a (b OR c)", "{a b}: c", "title:x", "^a", "a + b",
	"a:", ":", "\\", "'", "''", "a'b", "%", "_", "\x01\x02", "\xff", "\xd8", "\xe2\x80",
	"- - - OR OR \" \" * *", "\"unbalanced -\"x", "a OR -b OR c", "-a -b -c",
	"\xd9\x8b\xd9\x8c\xd9\x8d", "\xd9\x80\xd9\x80\xd9\x80", "ـ", "؟", "،", "\xe2\x80\x8f",
	"\"a b\"* -\"c d\"*", "x OR \"\" OR y", "NEAR(\"a\" \"b\", 10)", "a AND (b OR NOT c)",
};

Test(query, every_output_is_valid_fts5)
{
	struct db *db;
	log_set_quiet(1);
	cr_assert_eq(db_open(&db, ":memory:", 0), 0);
	cr_assert_eq(db_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'tawama en');"
				 "INSERT INTO t (x) VALUES ('a b c'), ('title x'), ('NEAR AND NOT')"),
		     0);
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		struct arena *a = arena_new();
		struct search_query q;
		search_parse_query(a, garbage[i], &q);
		const char *expr[2] = {q.match, q.exclude};
		for (int k = 0; k < 2; k++) {
			if (expr[k] == NULL)
				continue;
			struct db_stmt *st = db_prepare(db, "SELECT rowid FROM t WHERE t MATCH ?1");
			cr_assert_not_null(st);
			db_bind_text(st, 1, expr[k]);
			int rc;
			while ((rc = db_step(st)) == DB_ROW)
				;
			db_done(st);
			cr_expect_eq(rc, DB_DONE, "input [%zu] %s: FTS5 refused %s", i, garbage[i],
				     expr[k]);
		}
		arena_free(a);
	}
	db_close(db);
}
