/* test_network: the rules of a municipality's record (every field, table-driven), the
 * names search across Arabic, English and French spellings, and the directory's
 * criteria, facet counts, order and pages. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/core_log.h"
#include "network/network.h"
#include "search/search.h"

static struct arena *arena;

static void
setup(void)
{
	log_set_quiet(1);
	arena = arena_new();
}

static void
teardown(void)
{
	arena_free(arena);
	search_thread_free();
}

TestSuite(network, .init = setup, .fini = teardown);

/* ---- the record's rules ---------------------------------------------------------- */

#define YEAR 2026

struct check_case {
	const char *in[MF_COUNT];	/* ar, en, fr, country, governorate, pop, displaced, year */
	enum muni_problem want[MF_COUNT];
	int64_t population, displaced;
	int year;
};

static const struct check_case check_cases[] = {
	/* a whole record */
	{{"إربد", "Irbid", "Irbid", "JO", "Irbid", "500000", "120000", "2018"}, {0}, 500000, 120000, 2018},
	/* one name is enough; figures may be unknown */
	{{"", "", "Kérak", "JO", "", "", "", ""}, {0}, -1, -1, 0},
	/* names and the governorate are trimmed: blanks are no name */
	{{"  ", "\t", " ", "JO", "", "", "", ""}, {[MF_NAME_AR] = MP_NO_NAME}, -1, -1, 0},
	{{NULL, NULL, NULL, "JO", NULL, NULL, NULL, NULL}, {[MF_NAME_AR] = MP_NO_NAME}, -1, -1, 0},
	/* control characters in a name or governorate */
	{{"a\nb", "Irbid", "", "JO", "x\x7fy", "", "", ""},
	 {[MF_NAME_AR] = MP_CONTROL, [MF_GOVERNORATE] = MP_CONTROL}, -1, -1, 0},
	/* the country's shape (existence is the store's) */
	{{"", "Irbid", "", "jo", "", "", "", ""}, {[MF_COUNTRY] = MP_COUNTRY}, -1, -1, 0},
	{{"", "Irbid", "", "", "", "", "", ""}, {[MF_COUNTRY] = MP_COUNTRY}, -1, -1, 0},
	{{"", "Irbid", "", "JOR", "", "", "", ""}, {[MF_COUNTRY] = MP_COUNTRY}, -1, -1, 0},
	/* figures: grouped, Arabic-Indic and Persian digits, blanks around */
	{{"", "Irbid", "", "JO", "", "500,000", " 12 000 ", "2018"}, {0}, 500000, 12000, 2018},
	{{"", "Irbid", "", "JO", "", "٥٠٠٬٠٠٠", "۱۲۰۰۰", "٢٠١٨"}, {0}, 500000, 12000, 2018},
	{{"", "Irbid", "", "JO", "", "500\u202f000", "0", "1900"}, {0}, 500000, 0, 1900},
	/* not whole numbers, negative, too big */
	{{"", "Irbid", "", "JO", "", "-5", "12.5", "2018"},
	 {[MF_POPULATION] = MP_NUMBER, [MF_DISPLACED] = MP_NUMBER}, -1, -1, 2018},
	{{"", "Irbid", "", "JO", "", "100000001", "99999999999999999999999", "2018"},
	 {[MF_POPULATION] = MP_TOO_BIG, [MF_DISPLACED] = MP_TOO_BIG}, -1, -1, 2018},
	{{"", "Irbid", "", "JO", "", "100000000", "", ""}, {0}, 100000000, -1, 0},
	{{"", "Irbid", "", "JO", "", ",", "", ""}, {[MF_POPULATION] = MP_NUMBER}, -1, -1, 0},
	/* the year: 1900 to next year, needed with a displaced figure */
	{{"", "Irbid", "", "JO", "", "", "5000", ""}, {[MF_YEAR] = MP_YEAR_NEEDED}, -1, 5000, 0},
	{{"", "Irbid", "", "JO", "", "", "5000", "1899"}, {[MF_YEAR] = MP_YEAR}, -1, 5000, 0},
	{{"", "Irbid", "", "JO", "", "", "5000", "2028"}, {[MF_YEAR] = MP_YEAR}, -1, 5000, 0},
	{{"", "Irbid", "", "JO", "", "", "5000", "2027"}, {0}, -1, 5000, 2027},
	{{"", "Irbid", "", "JO", "", "", "5000", "20x8"}, {[MF_YEAR] = MP_YEAR}, -1, 5000, 0},
	{{"", "Irbid", "", "JO", "", "", "", "99999"}, {[MF_YEAR] = MP_YEAR}, -1, -1, 0},
	/* a year alone is allowed (the figures may come later) */
	{{"", "Irbid", "", "JO", "", "", "", "2018"}, {0}, -1, -1, 2018},
};

Test(network, record_rules)
{
	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];
		struct municipality m = {.slug = "x"};
		enum muni_problem got[MF_COUNT];
		size_t wrong = network_municipality_check(arena, c->in, YEAR, &m, got);
		size_t want_wrong = 0;
		for (int f = 0; f < MF_COUNT; f++) {
			want_wrong += c->want[f] != MP_NONE;
			cr_expect_eq(got[f], c->want[f], "case %zu, %s: got %d, want %d", i,
				     network_field_name((enum muni_field)f), got[f], c->want[f]);
		}
		cr_expect_eq(wrong, want_wrong, "case %zu: %zu wrong", i, wrong);
		if (got[MF_POPULATION] == MP_NONE)
			cr_expect_eq(m.population, c->population, "case %zu population", i);
		if (got[MF_DISPLACED] == MP_NONE)
			cr_expect_eq(m.displaced, c->displaced, "case %zu displaced", i);
		if (got[MF_YEAR] == MP_NONE)
			cr_expect_eq(m.displaced_year, c->year, "case %zu year", i);
		cr_expect_str_eq(m.slug, "x", "the slug is left alone");
	}
}

Test(network, record_names_are_trimmed_and_limited_in_characters)
{
	char long_ar[NETWORK_NAME_MAX * 2 + 8] = "";
	for (int i = 0; i < NETWORK_NAME_MAX; i++)
		strcat(long_ar, "ب");	/* 200 characters, 400 bytes: allowed */
	const char *in[MF_COUNT] = {long_ar, "  Irbid  ", "", "JO", " Irbid ", "", "", ""};
	struct municipality m = {0};
	enum muni_problem p[MF_COUNT];
	cr_assert_eq(network_municipality_check(arena, in, YEAR, &m, p), 0);
	cr_expect_str_eq(m.name[LANG_EN], "Irbid");
	cr_expect_null(m.name[LANG_FR]);
	cr_expect_str_eq(m.governorate, "Irbid");
	cr_expect_str_eq(m.country, "JO");
	strcat(long_ar, "ب");
	cr_assert_eq(network_municipality_check(arena, in, YEAR, &m, p), 1);
	cr_expect_eq(p[MF_NAME_AR], MP_TOO_LONG);
}

/* ---- the names search ---------------------------------------------------------- */

struct match_case {
	const char *q;
	int irbid, zarqa, saida, ramallah, sanliurfa, hebron, tyre;
};

static const char *const names[][LANG_COUNT] = {
	{"إربد", "Irbid", "Irbid"},
	{"الزرقاء", "Zarqa", "Zarqa"},
	{"صيدا", "Saida", "Saïda"},
	{"رام الله", "Ramallah", "Ramallah"},
	{"شانلي أورفا", "Şanlıurfa", "Şanlıurfa"},
	{"الخليل", "Hebron", "Hébron"},
	{"صور", "Tyre", "Tyr"},
};

static const struct match_case match_cases[] = {
	/* Arabic: with and without hamza, the article, alef forms */
	{"إربد", 1, 0, 0, 0, 0, 0, 0},
	{"اربد", 1, 0, 0, 0, 0, 0, 0},
	{"أربد", 1, 0, 0, 0, 0, 0, 0},
	{"الزرقاء", 0, 1, 0, 0, 0, 0, 0},
	{"زرقاء", 0, 1, 0, 0, 0, 0, 0},
	{"الزرقا", 0, 1, 0, 0, 0, 0, 0},
	{"خليل", 0, 0, 0, 0, 0, 1, 0},
	{"اورفا", 0, 0, 0, 0, 1, 0, 0},
	{"صور", 0, 0, 0, 0, 0, 0, 1},
	/* every word must match, in any order */
	{"رام الله", 0, 0, 0, 1, 0, 0, 0},
	{"الله رام", 0, 0, 0, 1, 0, 0, 0},
	{"رام بيت", 0, 0, 0, 0, 0, 0, 0},
	/* English and French, with or without accents and capitals, or in part */
	{"Irbid", 1, 0, 0, 0, 0, 0, 0},
	{"IRBID", 1, 0, 0, 0, 0, 0, 0},
	{"irb", 1, 0, 0, 0, 0, 0, 0},
	{"Saïda", 0, 0, 1, 0, 0, 0, 0},
	{"saida", 0, 0, 1, 0, 0, 0, 0},
	{"SAÏDA", 0, 0, 1, 0, 0, 0, 0},
	{"Hébron", 0, 0, 0, 0, 0, 1, 0},
	{"hebron", 0, 0, 0, 0, 0, 1, 0},
	{"Sanliurfa", 0, 0, 0, 0, 1, 0, 0},
	{"Şanlıurfa", 0, 0, 0, 0, 1, 0, 0},
	{"Tyr", 0, 0, 0, 0, 0, 0, 1},
	{"Tyre", 0, 0, 0, 0, 0, 0, 1},
	/* a name from another language of the same place */
	{"Irbid اربد", 1, 0, 0, 0, 0, 0, 0},
	/* nothing like it */
	{"Irbis", 0, 0, 0, 0, 0, 0, 0},
	{"xyz", 0, 0, 0, 0, 0, 0, 0},
	{"urfa", 0, 0, 0, 0, 0, 0, 0},
	/* no words: everything */
	{"", 1, 1, 1, 1, 1, 1, 1},
	{" ,.; ", 1, 1, 1, 1, 1, 1, 1},
};

Test(network, names_search_meets_arabic_english_and_french_spellings)
{
	for (size_t i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *c = &match_cases[i];
		const int want[] = {c->irbid, c->zarqa, c->saida, c->ramallah, c->sanliurfa, c->hebron,
				    c->tyre};
		struct network_query q;
		cr_assert_eq(network_query_compile(arena, c->q, &q), 0);
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
			int got = network_query_match(arena, &q, names[k]);
			cr_expect_eq(got, want[k], "query \"%s\" against %s: got %d", c->q, names[k][1],
				     got);
		}
	}
}

Test(network, names_search_takes_a_long_query_without_harm)
{
	char q[NETWORK_QUERY_MAX * 3];
	size_t n = 0;
	while (n + 7 < sizeof(q) - 1) {
		memcpy(q + n, "Irbid ", 6);
		n += 6;
	}
	q[n] = '\0';
	struct network_query nq;
	cr_assert_eq(network_query_compile(arena, q, &nq), 0);
	cr_expect_leq(nq.n_words, 32);
	cr_expect_eq(network_query_match(arena, &nq, names[0]), 1);
	cr_expect_eq(network_query_match(arena, &nq, names[1]), 0);
}

/* ---- the directory --------------------------------------------------------------- */

static const struct network_theme t_led = {"led", {"التنمية الاقتصادية المحلية", "Local economic development", "Développement économique local"}};
static const struct network_theme t_waste = {"waste-management", {"إدارة النفايات", "Waste management", "Gestion des déchets"}};
static const struct network_theme t_water = {"water", {"المياه", "Water", "Eau"}};

/* Six municipalities: two groups (Irbid-Gaziantep: led, waste; Zahle-Duhok: led,
 * water) and two without a group. */
static struct member *
sample(size_t *n)
{
	static const struct network_theme *g1[] = {&t_led, &t_waste};
	static const struct network_theme *g2[] = {&t_led, &t_water};
	static struct member_group groups[4] = {
		{.slug = "irbid-gaziantep", .themes = g1, .n_themes = 2},
		{.slug = "irbid-gaziantep", .themes = g1, .n_themes = 2},
		{.slug = "zahle-duhok", .themes = g2, .n_themes = 2},
		{.slug = "zahle-duhok", .themes = g2, .n_themes = 2},
	};
	static struct member m[6] = {
		{1, {"irbid", {"إربد", "Irbid", "Irbid"}, "JO", NULL, 1, 1, 2018}, &groups[0], 1, g1, 2},
		{2, {"gaziantep", {"غازي عنتاب", "Gaziantep", "Gaziantep"}, "TR", NULL, 1, 1, 2018},
		 &groups[1], 1, g1, 2},
		{3, {"zahle", {"زحلة", "Zahle", "Zahlé"}, "LB", NULL, 1, 1, 2018}, &groups[2], 1, g2, 2},
		{4, {"duhok", {"دهوك", "Duhok", "Dohuk"}, "IQ", NULL, 1, 1, 2018}, &groups[3], 1, g2, 2},
		{5, {"zarqa", {"الزرقاء", "Zarqa", "Zarqa"}, "JO", NULL, 1, 1, 2018}, NULL, 0, NULL, 0},
		{6, {"ramtha", {"الرمثا", "Ramtha", NULL}, "JO", NULL, 1, 1, 2018}, NULL, 0, NULL, 0},
	};
	*n = 6;
	return m;
}

static const struct directory_facet *
facet(const struct directory_result *r, enum dir_dim d, const char *code)
{
	for (size_t i = 0; i < r->n_facets[d]; i++)
		if (strcmp(r->facets[d][i].code, code) == 0)
			return &r->facets[d][i];
	return NULL;
}

static size_t
facet_sum(const struct directory_result *r, enum dir_dim d)
{
	size_t s = 0;
	for (size_t i = 0; i < r->n_facets[d]; i++)
		s += r->facets[d][i].count;
	return s;
}

Test(network, directory_criteria_combine_and_counts_add_up)
{
	size_t n;
	struct member *all = sample(&n);
	struct directory_params p = {.page = 1};
	struct directory_result r;

	/* everything, by English name */
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_EN, &r), 0);
	cr_expect_eq(r.total, 6);
	static const char *const order[] = {"duhok", "gaziantep", "irbid", "ramtha", "zahle", "zarqa"};
	for (size_t i = 0; i < 6; i++)
		cr_expect_str_eq(r.items[i]->m.slug, order[i]);
	cr_expect_eq(facet_sum(&r, DD_COUNTRY), r.total, "every municipality has one country");
	cr_expect_eq(facet(&r, DD_COUNTRY, "JO")->count, 3);
	cr_expect_str_eq(facet(&r, DD_COUNTRY, "JO")->label, "Jordan");
	cr_expect_eq(facet(&r, DD_THEME, "led")->count, 4);
	cr_expect_eq(facet(&r, DD_THEME, "water")->count, 2);
	cr_expect_str_eq(facet(&r, DD_THEME, "water")->label, "Water");

	/* a country: the country counts stay what choosing each would give */
	p.values[DD_COUNTRY][0] = "JO";
	p.n_values[DD_COUNTRY] = 1;
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_EN, &r), 0);
	cr_expect_eq(r.total, 3);
	cr_expect(facet(&r, DD_COUNTRY, "JO")->selected);
	cr_expect_eq(facet(&r, DD_COUNTRY, "TR")->count, 1);
	cr_expect_eq(facet(&r, DD_THEME, "led")->count, 1, "only Irbid in Jordan has led");
	cr_expect_null(facet(&r, DD_THEME, "water"));

	/* two countries: OR */
	p.values[DD_COUNTRY][1] = "LB";
	p.n_values[DD_COUNTRY] = 2;
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_EN, &r), 0);
	cr_expect_eq(r.total, 4);
	cr_expect_eq(facet(&r, DD_COUNTRY, "JO")->count + facet(&r, DD_COUNTRY, "LB")->count, r.total);

	/* and a theme: AND between criteria */
	p.values[DD_THEME][0] = "water";
	p.n_values[DD_THEME] = 1;
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_EN, &r), 0);
	cr_expect_eq(r.total, 1);
	cr_expect_str_eq(r.items[0]->m.slug, "zahle");
	cr_expect_eq(facet(&r, DD_THEME, "water")->count, r.total);
	cr_expect(facet(&r, DD_THEME, "water")->selected);
	cr_expect_eq(facet(&r, DD_COUNTRY, "IQ")->count, 1, "Duhok would come with Iraq");

	/* and a name */
	p.q = "زحله";
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_AR, &r), 0);
	cr_expect_eq(r.total, 1);
	p.q = "Irbid";
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_AR, &r), 0);
	cr_expect_eq(r.total, 0);
	cr_expect(facet(&r, DD_THEME, "water")->selected, "a selected value stays listed");
	cr_expect_eq(facet(&r, DD_THEME, "water")->count, 0);
	cr_expect_str_eq(facet(&r, DD_THEME, "water")->label, "المياه");
}

Test(network, directory_unknown_values_match_nothing_and_stay_visible)
{
	size_t n;
	struct member *all = sample(&n);
	struct directory_params p = {.page = 1};
	p.values[DD_COUNTRY][0] = "ZZ";
	p.n_values[DD_COUNTRY] = 1;
	p.values[DD_THEME][0] = "no-such-theme";
	p.n_values[DD_THEME] = 1;
	struct directory_result r;
	cr_assert_eq(network_directory(arena, all, n, &p, LANG_FR, &r), 0);
	cr_expect_eq(r.total, 0);
	cr_expect(facet(&r, DD_COUNTRY, "ZZ")->selected);
	cr_expect(facet(&r, DD_THEME, "no-such-theme")->selected);
	cr_expect_str_eq(facet(&r, DD_THEME, "no-such-theme")->label, "no-such-theme");
}

Test(network, directory_pages_and_names_fall_back)
{
	enum { N = 45 };
	struct member *all = arena_alloc(arena, N * sizeof(*all));
	for (int i = 0; i < N; i++) {
		all[i].id = i + 1;
		all[i].m.slug = arena_printf(arena, "m%02d", i);
		/* no French name: the French reader gets the English one */
		all[i].m.name[LANG_EN] = arena_printf(arena, "Town %02d", N - i);
		all[i].m.country = i % 2 ? "JO" : "LB";
	}
	struct directory_params p = {.page = 3};
	struct directory_result r;
	cr_assert_eq(network_directory(arena, all, N, &p, LANG_FR, &r), 0);
	cr_expect_eq(r.total, N);
	cr_expect_eq(r.n, N - 2 * DIRECTORY_PAGE_SIZE);
	cr_expect_str_eq(r.items[0]->m.name[LANG_EN], "Town 41");
	p.page = 4;
	cr_assert_eq(network_directory(arena, all, N, &p, LANG_FR, &r), 0);
	cr_expect_eq(r.n, 0);

	const char *const only_fr[LANG_COUNT] = {NULL, NULL, "Tyr"};
	enum lang shown;
	cr_expect_str_eq(network_name_for(only_fr, LANG_AR, &shown), "Tyr");
	cr_expect_eq(shown, LANG_FR);
	const char *const ar_en[LANG_COUNT] = {"صور", "Tyre", NULL};
	cr_expect_str_eq(network_name_for(ar_en, LANG_FR, &shown), "Tyre");
	cr_expect_eq(shown, LANG_EN);
	const char *const none[LANG_COUNT] = {NULL, NULL, NULL};
	cr_expect_null(network_name_for(none, LANG_EN, NULL));
}

Test(network, directory_query_strings_are_shareable)
{
	struct directory_params p = {.q = "إربد & co", .page = 2};
	p.values[DD_COUNTRY][0] = "JO";
	p.n_values[DD_COUNTRY] = 1;
	cr_expect_str_eq(network_directory_query(arena, &p, -1, NULL, 2),
			 "?q=%D8%A5%D8%B1%D8%A8%D8%AF%20%26%20co&country=JO&page=2");
	/* toggling a value on and off */
	cr_expect_str_eq(network_directory_query(arena, &p, DD_COUNTRY, "TR", 0),
			 "?q=%D8%A5%D8%B1%D8%A8%D8%AF%20%26%20co&country=JO&country=TR");
	cr_expect_str_eq(network_directory_query(arena, &p, DD_COUNTRY, "JO", 0),
			 "?q=%D8%A5%D8%B1%D8%A8%D8%AF%20%26%20co");
	struct directory_params empty = {.page = 1};
	cr_expect_str_eq(network_directory_query(arena, &empty, DD_THEME, "led", 1), "?theme=led");
	cr_expect_str_eq(network_directory_query(arena, &empty, -1, NULL, 1), "");
}
