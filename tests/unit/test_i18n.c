/* test_i18n: catalogs per thread, ICU dates, zones, countries and numbers. Needs the
 * locales and catalogs the Makefile builds (build/locale, build/mo; run from the
 * repository root). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_tmpl.h"

#define LOCALE_DIR "build/locale"
#define MO_DIR "build/mo"
#define T_SEED INT64_C(1531299600)	/* 2018-07-11T09:00:00Z, the seed event */
#define T_WINTER INT64_C(1515661200)	/* 2018-01-11T09:00:00Z */

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
	cr_assert_eq(i18n_init(LOCALE_DIR, MO_DIR), 0,
		     "i18n_init failed: run make build/mo/ar/LC_MESSAGES/tawama.mo ... first");
}

static void
teardown(void)
{
	i18n_free();
	arena_free(a);
}

TestSuite(i18n, .init = setup, .fini = teardown);

/* ICU 72 (CLDR 42) output; English times use U+202F before AM/PM, Arabic dates use
 * Arabic-Indic digits and U+200F marks. */
Test(i18n, dates_of_the_seed_event_in_beirut)
{
	static const struct {
		enum lang l;
		const char *(*fn)(struct arena *, enum lang, int64_t, const char *);
		const char *want;
	} cases[] = {
		{LANG_AR, i18n_datetime, "الأربعاء، ١١ يوليو ٢٠١٨ في ١٢:٠٠ م"},
		{LANG_EN, i18n_datetime, "Wednesday, July 11, 2018 at 12:00\u202fPM"},
		{LANG_FR, i18n_datetime, "mercredi 11 juillet 2018 à 12:00"},
		{LANG_AR, i18n_date, "١١\u200f/٠٧\u200f/٢٠١٨"},
		{LANG_EN, i18n_date, "Jul 11, 2018"},
		{LANG_FR, i18n_date, "11 juil. 2018"},
		{LANG_AR, i18n_time, "١٢:٠٠ م"},
		{LANG_EN, i18n_time, "12:00\u202fPM"},
		{LANG_FR, i18n_time, "12:00"},
	};
	/* twice: the second round comes from the thread's formatter cache */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			cr_expect_str_eq(cases[i].fn(a, cases[i].l, T_SEED, "Asia/Beirut"), cases[i].want,
					 "case %zu", i);
	/* the zone matters: 09:00 UTC */
	cr_expect_str_eq(i18n_time(a, LANG_FR, T_SEED, "UTC"), "09:00");
	cr_expect_str_eq(i18n_time(a, LANG_FR, T_SEED, "America/New_York"), "05:00");
	/* an unknown zone is shown as UTC, never as garbage */
	cr_expect_str_eq(i18n_time(a, LANG_FR, T_SEED, "Mars/Olympus"), "09:00");
	cr_expect_str_eq(i18n_time(a, LANG_FR, T_SEED, NULL), "09:00");
	/* more zones than the cache holds still format right */
	static const char *const zones[] = {
		"Asia/Amman", "Asia/Baghdad", "Asia/Gaza", "Europe/Istanbul", "Europe/Paris",
		"Africa/Tunis", "Asia/Tokyo", "UTC", "Asia/Beirut", "Europe/Berlin", "Asia/Dubai",
		"Asia/Kolkata", "America/Chicago", "Europe/London", "Asia/Tehran", "Africa/Cairo",
		"Asia/Riyadh", "Asia/Hebron",
	};
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		cr_expect_neq(i18n_datetime(a, LANG_EN, T_SEED, zones[i])[0], '\0');
	cr_expect_str_eq(i18n_time(a, LANG_EN, T_SEED, "Asia/Tokyo"), "6:00\u202fPM");
	cr_expect_str_eq(i18n_time(a, LANG_EN, T_SEED, "Asia/Beirut"), "12:00\u202fPM");
}

Test(i18n, zone_names)
{
	static const struct {
		enum lang l;
		int64_t t;
		const char *tz, *want;
	} cases[] = {
		{LANG_AR, T_SEED, "Asia/Beirut", "توقيت شرق أوروبا الصيفي"},
		{LANG_EN, T_SEED, "Asia/Beirut", "Eastern European Summer Time"},
		{LANG_FR, T_SEED, "Asia/Beirut", "heure d’été d’Europe de l’Est"},
		{LANG_EN, T_WINTER, "Asia/Beirut", "Eastern European Standard Time"},
		{LANG_EN, T_SEED, "Asia/Baghdad", "Arabian Standard Time"},
		{LANG_AR, T_SEED, "Asia/Baghdad", "التوقيت العربي الرسمي"},
		{LANG_EN, T_SEED, "UTC", "Coordinated Universal Time"},
		/* no CLDR name (ICU would say "GMT+03:00"): the IANA id */
		{LANG_EN, INT64_C(1700000000), "Europe/Istanbul", "Europe/Istanbul"},
		{LANG_AR, INT64_C(1700000000), "Asia/Amman", "Asia/Amman"},
		{LANG_EN, T_SEED, "Mars/Olympus", "Mars/Olympus"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(i18n_tz_name(a, cases[i].l, cases[i].t, cases[i].tz), cases[i].want,
				 "%s", cases[i].tz);
}

Test(i18n, zone_validity)
{
	static const struct {
		const char *tz;
		int valid;
	} cases[] = {
		{"Asia/Beirut", 1}, {"UTC", 1}, {"Europe/Istanbul", 1}, {"US/Eastern", 1},
		{"America/Argentina/Buenos_Aires", 1}, {"Etc/Unknown", 0}, {"Foo/Bar", 0},
		{"asia/beirut", 0}, {"GMT+03:00", 0}, {"", 0}, {NULL, 0}, {"Asia/Beirut\n", 0},
		{"Asia/Beirut/../../x", 0},
		{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(i18n_tz_valid(cases[i].tz), cases[i].valid, "%s",
			     cases[i].tz != NULL ? cases[i].tz : "(null)");
}

Test(i18n, country_names)
{
	static const struct {
		enum lang l;
		const char *code, *want;
	} cases[] = {
		{LANG_AR, "JO", "الأردن"}, {LANG_EN, "JO", "Jordan"}, {LANG_FR, "JO", "Jordanie"},
		{LANG_EN, "jo", "Jordan"}, {LANG_FR, "LB", "Liban"}, {LANG_AR, "IQ", "العراق"},
		{LANG_EN, "TR", "Turkey"}, {LANG_FR, "PS", "Territoires palestiniens"},
		{LANG_EN, "QQ", NULL}, {LANG_EN, "XK", NULL}, {LANG_EN, "J", NULL},
		{LANG_EN, "JOR", NULL}, {LANG_EN, "", NULL}, {LANG_EN, NULL, NULL}, {LANG_EN, "1A", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = i18n_country_name(a, cases[i].l, cases[i].code);
		if (cases[i].want == NULL)
			cr_expect_null(got, "%s gave %s", cases[i].code, got);
		else
			cr_expect_str_eq(got != NULL ? got : "(null)", cases[i].want);
	}
}

Test(i18n, country_codes)
{
	const char *const *c = i18n_country_codes();
	size_t n = 0;
	int jo = 0;
	for (; c[n] != NULL; n++) {
		cr_expect_eq(strlen(c[n]), 2);
		if (n > 0)
			cr_expect_lt(strcmp(c[n - 1], c[n]), 0, "not sorted at %s", c[n]);
		cr_expect_neq(strcmp(c[n], "XK"), 0);
		jo |= strcmp(c[n], "JO") == 0;
	}
	cr_expect(jo);
	cr_expect_eq(n, 249, "ISO 3166-1 has 249 codes, got %zu", n);
	cr_expect_eq(i18n_country_codes(), c);
}

Test(i18n, numbers)
{
	cr_expect_str_eq(i18n_number(a, LANG_AR, 1234567), "١٬٢٣٤٬٥٦٧");
	cr_expect_str_eq(i18n_number(a, LANG_EN, 1234567), "1,234,567");
	cr_expect_str_eq(i18n_number(a, LANG_FR, 1234567), "1\u202f234\u202f567");
	cr_expect_str_eq(i18n_number(a, LANG_EN, -11), "-11");
	cr_expect_str_eq(i18n_number(a, LANG_EN, 0), "0");
}

Test(i18n, catalogs_switch_per_call)
{
	static const struct {
		enum lang l;
		const char *starts, *ends;
	} cases[] = {
		{LANG_AR, "يبدأ", "ينتهي"}, {LANG_FR, "Début", "Fin"}, {LANG_EN, "Starts", "Ends"},
		{LANG_AR, "يبدأ", "ينتهي"}, {LANG_EN, "Starts", "Ends"}, {LANG_FR, "Début", "Fin"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		i18n_use(cases[i].l);
		cr_expect_str_eq(_("Starts"), cases[i].starts);
		cr_expect_str_eq(_("Ends"), cases[i].ends);
		cr_expect_str_eq(_("Not in any catalog"), "Not in any catalog");
	}
	i18n_use(LANG_NONE);
	cr_expect_str_eq(_("Starts"), "Starts");
}

Test(i18n, arabic_has_six_plural_forms)
{
	static const struct {
		unsigned long n;
		const char *want;
	} cases[] = {
		{0, "لا توجد فعاليات"}, {1, "فعالية واحدة"}, {2, "فعاليتان"}, {3, "%d فعاليات"},
		{10, "%d فعاليات"}, {11, "%d فعالية"}, {99, "%d فعالية"}, {100, "%d فعالية"},
		{103, "%d فعاليات"}, {111, "%d فعالية"},
	};
	i18n_use(LANG_AR);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(ngettext("%d event", "%d events", cases[i].n), cases[i].want, "n=%lu",
				 cases[i].n);
	i18n_use(LANG_FR);
	cr_expect_str_eq(ngettext("%d event", "%d events", 1), "%d événement");
	cr_expect_str_eq(ngettext("%d event", "%d events", 0), "%d événement");
	cr_expect_str_eq(ngettext("%d event", "%d events", 2), "%d événements");
	i18n_use(LANG_EN);
	cr_expect_str_eq(ngettext("%d event", "%d events", 2), "%d events");
}

Test(i18n, c_numbers_stay_c_in_every_language)
{
	char s[32];
	for (int l = 0; l < LANG_COUNT; l++) {
		i18n_use((enum lang)l);
		snprintf(s, sizeof(s), "%.1f", 1.5);
		cr_expect_str_eq(s, "1.5", "lang %d", l);
		cr_expect_eq(strtod("2.5", NULL), 2.5);
	}
}

struct worker {
	enum lang l;
	const struct tmpl *t;
	const char *want, *want_date;
	int bad;
};

static void *
work(void *p)
{
	struct worker *w = p;
	struct buf out = BUF_INIT;
	struct arena *wa = arena_new();
	json_t *ctx = json_object();

	i18n_use(w->l);
	for (int i = 0; i < 2000; i++) {
		buf_reset(&out);
		if (tmpl_render(w->t, ctx, &out) < 0 || strcmp(buf_cstr(&out), w->want) != 0)
			w->bad++;
		if (i % 100 == 0 && strcmp(i18n_date(wa, w->l, T_SEED, "Asia/Beirut"), w->want_date) != 0)
			w->bad++;
	}
	json_decref(ctx);
	buf_free(&out);
	arena_free(wa);
	return NULL;
}

Test(i18n, two_threads_get_their_own_catalog)
{
	const char *names[] = {"t"};
	const char *srcs[] = {"{{ _ \"Starts\" }}: {{ _ \"Ends\" }}"};
	char err[256];
	struct tmpl_set *set;
	cr_assert_eq(tmpl_load_sources(&set, names, srcs, 1, err, sizeof(err)), 0, "%s", err);
	struct worker w[2] = {
		{LANG_AR, tmpl_get(set, "t"), "يبدأ: ينتهي", "١١\u200f/٠٧\u200f/٢٠١٨", 0},
		{LANG_FR, tmpl_get(set, "t"), "Début: Fin", "11 juil. 2018", 0},
	};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	cr_expect_eq(w[0].bad, 0, "Arabic thread saw %d wrong renders", w[0].bad);
	cr_expect_eq(w[1].bad, 0, "French thread saw %d wrong renders", w[1].bad);
	/* the main thread, never switched, is untouched */
	cr_expect_str_eq(_("Starts"), "Starts");
	tmpl_set_free(set);
}

Test(i18n, language_variable_does_not_override)
{
	setenv("LANGUAGE", "fr", 1);
	cr_assert_eq(i18n_init(LOCALE_DIR, MO_DIR), 0);
	i18n_use(LANG_AR);
	cr_expect_str_eq(_("Starts"), "يبدأ");
}

Test(i18n, init_refuses_missing_catalogs_and_locales)
{
	char empty[] = "/tmp/tawama-i18n-XXXXXX";
	cr_assert_not_null(mkdtemp(empty));

	cr_expect_eq(i18n_init(LOCALE_DIR, "/nonexistent/mo"), -1);
	cr_expect_eq(i18n_init(LOCALE_DIR, empty), -1);
	cr_expect_eq(i18n_init("/nonexistent/locale", MO_DIR), -1);
	cr_expect_eq(i18n_init(empty, MO_DIR), -1);
	/* refused: nothing is half set up, readers get the msgids */
	i18n_use(LANG_AR);
	cr_expect_str_eq(_("Starts"), "Starts");
	rmdir(empty);
	/* and a later good start works */
	cr_expect_eq(i18n_init(LOCALE_DIR, MO_DIR), 0);
	i18n_use(LANG_AR);
	cr_expect_str_eq(_("Starts"), "يبدأ");
}

/* Local date and time in an event's zone to UTC, across the changes of the clocks:
 * Paris turns them forward at 02:00 (to 03:00) on the last Sunday of March and back
 * at 03:00 (to 02:00) on the last Sunday of October; Beirut at midnight on the same
 * Sundays (ICU 72 / tzdata 2022). */
Test(i18n, local_time_to_utc_across_daylight_saving_changes)
{
	static const struct {
		const char *tz;
		int y, mo, d, h, mi;
		int rc;
		const char *want;	/* RFC 3339 UTC; NULL when rc != 0 */
	} cases[] = {
		{"Europe/Paris", 2024, 1, 15, 10, 0, 0, "2024-01-15T09:00:00Z"},	/* CET +1 */
		{"Europe/Paris", 2024, 7, 15, 10, 0, 0, "2024-07-15T08:00:00Z"},	/* CEST +2 */
		{"Europe/Paris", 2024, 3, 31, 1, 59, 0, "2024-03-31T00:59:00Z"},	/* before */
		{"Europe/Paris", 2024, 3, 31, 2, 30, 1, NULL},		/* skipped */
		{"Europe/Paris", 2024, 3, 31, 3, 0, 0, "2024-03-31T01:00:00Z"},	/* after */
		{"Europe/Paris", 2024, 10, 27, 2, 30, 0, "2024-10-27T00:30:00Z"},	/* twice: first */
		{"Europe/Paris", 2024, 10, 27, 3, 30, 0, "2024-10-27T02:30:00Z"},
		{"Asia/Beirut", 2018, 7, 11, 10, 0, 0, "2018-07-11T07:00:00Z"},	/* the seed, +3 */
		{"Asia/Beirut", 2018, 1, 11, 10, 0, 0, "2018-01-11T08:00:00Z"},	/* +2 */
		{"Asia/Beirut", 2018, 3, 25, 0, 30, 1, NULL},		/* skipped */
		{"Asia/Beirut", 2018, 3, 25, 1, 0, 0, "2018-03-24T22:00:00Z"},
		{"Asia/Beirut", 2018, 10, 27, 23, 30, 0, "2018-10-27T20:30:00Z"},	/* twice: first */
		{"Asia/Amman", 2030, 5, 14, 9, 30, 0, "2030-05-14T06:30:00Z"},	/* +3 all year */
		{"UTC", 1900, 1, 1, 0, 0, 0, "1900-01-01T00:00:00Z"},
		{"Europe/Paris", 2023, 2, 29, 10, 0, -1, NULL},		/* no such day */
		{"Europe/Paris", 2024, 13, 1, 10, 0, -1, NULL},
		{"Europe/Paris", 2024, 1, 1, 24, 0, -1, NULL},
		{"Europe/Paris", 1899, 12, 31, 10, 0, -1, NULL},
		{"Mars/Olympus_Mons", 2024, 1, 1, 10, 0, -1, NULL},
		{"GMT+3", 2024, 1, 1, 10, 0, -1, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t t = 0;
		int rc = i18n_local_to_utc(cases[i].tz, cases[i].y, cases[i].mo, cases[i].d,
					   cases[i].h, cases[i].mi, &t);
		cr_expect_eq(rc, cases[i].rc, "case %zu (%s): rc %d, want %d", i, cases[i].tz, rc,
			     cases[i].rc);
		if (rc != 0 || cases[i].want == NULL)
			continue;
		char got[32];
		time_format_rfc3339(t, got);
		cr_expect_str_eq(got, cases[i].want, "case %zu (%s)", i, cases[i].tz);
		/* and back to the same local time */
		char local[20], want_local[20];
		snprintf(want_local, sizeof(want_local), "%04d-%02d-%02dT%02d:%02d", cases[i].y,
			 cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
		cr_expect_eq(i18n_local_format(t, cases[i].tz, local), 0);
		cr_expect_str_eq(local, want_local, "case %zu back", i);
	}
	char local[20];
	cr_expect_eq(i18n_local_format(0, "Nowhere/City", local), -1);
}
