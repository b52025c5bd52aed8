/* test_feed: iCalendar output (read back with libical), Atom, sitemap, robots and the
 * JSON API, the handlers run against a real SQLite file. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_utf8.h"
#include "db/db.h"
#include "events/events_internal.h"

#define BASE "https://events.example.org:8443"
#define SEED_SLUG "hmln-webinar-twinning-arrangements"
#define SEED_STARTS 1531292400	/* 2018-07-11T07:00:00Z */
#define SEED_ENDS 1531299600	/* 2018-07-11T09:00:00Z */
#define SEED_UPDATED 1531000000	/* 2018-07-07T21:46:40Z */

static const char ar_title[] = "[اجتماع إفتراضي شبكة تعلم البلديات المضيفة المتوسطية] ترتيبات التوأمة";
static const char *ar_objectives[] = {
	"ربط أعضاء HMLN النشطين الذين يشاركون في مجموعة توأمة؛",
	"تقييم عمل مجموعات التوأمة ومشاركة التقدم الذي أحرزته؛",
	"دعم تنظيم وجدول مجموعات التوأمة والتماس مشاركتها النشطة",
};
static const char *en_objectives[] = {
	"connect active HMLN members who take part in a twinning group;",
	"assess the work of the twinning groups and share their progress;",
};
static struct named seed_themes[] = {
	{"led", {"التنمية الاقتصادية المحلية", "Local economic development", "Développement économique local"}},
};

/* The seed event of /work/shared/seeds, by hand. */
static struct event
seed_event(void)
{
	struct event e = {
		.slug = SEED_SLUG,
		.type = EVENT_VIRTUAL_MEETING,
		.starts = SEED_STARTS,
		.ends = SEED_ENDS,
		.timezone = "Asia/Beirut",
		.is_virtual = 1,
		.organiser = {"cmi", {"مركز التكامل المتوسطي", "Center for Mediterranean Integration (CMI)", NULL}},
		.participation = PART_INVITATION,
		.themes = seed_themes,
		.n_themes = 1,
		.highlight = 1,
		.published = 1,
		.updated = SEED_UPDATED,
	};
	e.text[LANG_AR] = (struct event_text){
		.title = ar_title,
		.context = "لدعم الحكومات المحلية التي تواجه تدفق أعداد كبيرة من النازحين قسراً، "
			   "يقوم **مركز التكامل المتوسطي** (CMI) بتنظيم دوري لتبادل المعرفة.",
		.objectives = ar_objectives,
		.n_objectives = 3,
		.participation = "المشاركة ستكون بناء على دعوة فقط",
	};
	e.text[LANG_EN] = (struct event_text){
		.title = "[HMLN Webinar] Twinning Arrangements",
		.context = "To support local governments facing a large inflow of *forcibly displaced* people.",
		.objectives = en_objectives,
		.n_objectives = 2,
		.participation = "By invitation only.",
	};
	return e;
}

static void
setup_config(void)
{
	log_set_quiet(1);
	config_set_base_url(BASE "/");
	config_set_site_name("HMLN");
}

static void
teardown_config(void)
{
	config_free();
	icaltimezone_free_builtin_timezones();
}

static char *
build(const struct event *ev, size_t n, enum lang l)
{
	size_t len = 0;
	char *s = events_ics_build(ev, n, l, &len);
	cr_assert_not_null(s, "events_ics_build failed");
	cr_assert_eq(len, strlen(s));
	return s;
}

/* The content lines of s with folding undone (RFC 5545 3.1), malloc'ed. */
static char *
unfold(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
			i += 2;
			continue;
		}
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static size_t
count(const char *s, const char *needle)
{
	size_t c = 0, n = strlen(needle);
	const char *end = s + strlen(s);
	for (const char *p = s; (p = memmem(p, (size_t)(end - p), needle, n)) != NULL; p += n)
		c++;
	return c;
}

#define expect_has(s, needle) cr_expect_not_null(strstr((s), (needle)), "missing: %s", (needle))

/* Every physical line: CRLF-terminated, at most 75 octets, valid UTF-8 by itself (a
 * fold inside a multibyte character would break both halves). */
static void
expect_folded_well(const char *s)
{
	const char *p = s;
	size_t lines = 0;
	while (*p != '\0') {
		const char *eol = strstr(p, "\r\n");
		cr_assert_not_null(eol, "line %zu has no CRLF", lines + 1);
		size_t n = (size_t)(eol - p);
		cr_expect_leq(n, 75, "line %zu is %zu octets: %.*s", lines + 1, n, (int)n, p);
		cr_expect(utf8_valid(p, n), "line %zu splits a character", lines + 1);
		cr_expect(memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL);
		p = eol + 2;
		lines++;
	}
	cr_expect_gt(lines, 5);
}

TestSuite(ics, .init = setup_config, .fini = teardown_config);

Test(ics, seed_event_in_beirut_local_time)
{
	struct event e = seed_event();
	char *s = build(&e, 1, LANG_AR);
	char *u = unfold(s);

	cr_expect_eq(strncmp(s, "BEGIN:VCALENDAR\r\n", 17), 0);
	cr_expect_str_eq(s + strlen(s) - 15, "END:VCALENDAR\r\n");
	expect_has(u, "\r\nPRODID:-//tawama//events//EN\r\n");
	expect_has(u, "\r\nVERSION:2.0\r\n");
	expect_has(u, "\r\nCALSCALE:GREGORIAN\r\n");
	expect_has(u, "\r\nMETHOD:PUBLISH\r\n");
	expect_has(u, "\r\nX-WR-CALNAME:HMLN — Events\r\n");
	expect_has(u, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Beirut\r\n");
	expect_has(u, "\r\nDTSTART;TZID=Asia/Beirut:20180711T100000\r\n");
	expect_has(u, "\r\nDTEND;TZID=Asia/Beirut:20180711T120000\r\n");
	expect_has(u, "\r\nUID:" SEED_SLUG "@events.example.org\r\n");
	expect_has(u, "\r\nDTSTAMP:20180707T214640Z\r\n");
	expect_has(u, "\r\nLAST-MODIFIED:20180707T214640Z\r\n");
	expect_has(u, "\r\nURL:" BASE "/ar/events/" SEED_SLUG "\r\n");
	expect_has(u, "\r\nSTATUS:CONFIRMED\r\n");
	expect_has(u, "\r\nLOCATION:Virtual\r\n");
	expect_has(u, "\r\nCATEGORIES:التنمية الاقتصادية المحلية\r\n");
	char *summary = NULL;
	cr_assert_gt(asprintf(&summary, "\r\nSUMMARY;LANGUAGE=ar:%s\r\n", ar_title), 0);
	expect_has(u, summary);
	expect_has(u, "\r\nDESCRIPTION;LANGUAGE=ar:لدعم الحكومات المحلية");
	cr_expect_eq(count(u, "BEGIN:VTIMEZONE"), 1);
	cr_expect_eq(count(u, "BEGIN:VEVENT"), 1);
	expect_folded_well(s);
	free(summary);
	free(u);
	free(s);
}

Test(ics, folds_long_arabic_and_emoji_on_character_boundaries)
{
	struct event e = seed_event();
	static char title[2048];
	title[0] = '\0';
	/* no spaces: libical must cut inside the word, between characters */
	for (int i = 0; i < 12; i++)
		strcat(title, "التوأمةالبلدية😀é");
	e.text[LANG_AR].title = title;
	e.text[LANG_AR].context = title;
	struct named themes[] = {{"long", {title, NULL, NULL}}};
	e.themes = themes;
	config_set_site_name(title);
	char *s = build(&e, 1, LANG_AR);
	expect_folded_well(s);
	char *u = unfold(s);
	expect_has(u, title);
	char *line = NULL;
	cr_assert_gt(asprintf(&line, "\r\nCATEGORIES:%s\r\n", title), 0);
	expect_has(u, line);
	free(line);
	cr_assert_gt(asprintf(&line, "\r\nX-WR-CALNAME:%s — Events\r\n", title), 0);
	expect_has(u, line);
	free(line);
	free(u);
	free(s);
}

Test(ics, two_zones_give_two_vtimezones)
{
	struct event ev[3] = {seed_event(), seed_event(), seed_event()};
	ev[1].slug = "paris-meeting";
	ev[1].timezone = "Europe/Paris";
	ev[2].slug = "beirut-again";
	ev[2].starts += 86400 * 200;
	ev[2].ends += 86400 * 200;
	char *s = build(ev, 3, LANG_EN);
	cr_expect_eq(count(s, "BEGIN:VTIMEZONE\r\n"), 2);
	cr_expect_eq(count(s, "\r\nTZID:Asia/Beirut\r\n"), 1);
	cr_expect_eq(count(s, "\r\nTZID:Europe/Paris\r\n"), 1);
	cr_expect_eq(count(s, "BEGIN:VEVENT\r\n"), 3);
	expect_has(s, "DTSTART;TZID=Europe/Paris:20180711T090000\r\n");
	/* 2019-01-27: Beirut is back on winter time, +2 */
	expect_has(s, "DTSTART;TZID=Asia/Beirut:20190127T090000\r\n");
	/* the VTIMEZONEs come before the events that use them */
	cr_expect_lt(strstr(s, "BEGIN:VTIMEZONE"), strstr(s, "BEGIN:VEVENT"));
	free(s);
}

/* Reads the ICS back and returns the first VEVENT's DTSTART as a UTC instant. */
static time_t
parsed_start(icalcomponent *cal, const char **tzid)
{
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	cr_assert_not_null(ev);
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	cr_assert_not_null(p);
	icalparameter *tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	*tzid = tz != NULL ? icalparameter_get_tzid(tz) : NULL;
	struct icaltimetype t = icalcomponent_get_dtstart(ev);
	return icaltime_as_timet_with_zone(t, t.zone);
}

Test(ics, parses_back_with_libical)
{
	struct event e = seed_event();
	char *s = build(&e, 1, LANG_AR);
	icalcomponent *cal = icalparser_parse_string(s);
	cr_assert_not_null(cal);
	cr_expect_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	const char *tzid;
	cr_expect_eq(parsed_start(cal, &tzid), SEED_STARTS);
	cr_assert_not_null(tzid);
	cr_expect_str_eq(tzid, "Asia/Beirut");
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	struct icaltimetype end = icalcomponent_get_dtend(ev);
	cr_expect_eq(icaltime_as_timet_with_zone(end, end.zone), SEED_ENDS);
	cr_expect_str_eq(icalcomponent_get_summary(ev), ar_title);
	cr_expect_str_eq(icalcomponent_get_uid(ev), SEED_SLUG "@events.example.org");
	const char *desc = icalcomponent_get_description(ev);
	cr_assert_not_null(desc);
	cr_expect_not_null(strstr(desc, "مركز التكامل المتوسطي"), "Markdown made plain: %s", desc);
	cr_expect_null(strstr(desc, "**"));
	cr_expect_not_null(strstr(desc, "\n- ربط أعضاء HMLN"));
	cr_expect_not_null(strstr(desc, "دعوة فقط"));
	icalcomponent_free(cal);
	free(s);
}

struct zone_case {
	const char *tz;
	int64_t t;
	const char *local;	/* NULL: written in UTC */
};

static const struct zone_case zone_cases[] = {
	{"Asia/Beirut", SEED_STARTS, "20180711T100000"},
	{"Asia/Beirut", 1547546400, "20190115T120000"},		/* winter, +2 */
	{"Europe/Paris", 1531292400, "20180711T090000"},
	{"America/New_York", 1547546400, "20190115T050000"},
	{"Asia/Baghdad", 1547546400, "20190115T130000"},	/* +3, no DST */
	{"Europe/Istanbul", 1547546400, "20190115T130000"},	/* +3 since 2016 */
	{"Asia/Amman", 1700000000, "20231115T011320"},		/* +3 since 2022 */
	{"Asia/Hebron", 1531292400, "20180711T100000"},
	{"Asia/Beirut", 2524611600, "20500101T030000"},		/* past 2038 */
	{"UTC", SEED_STARTS, NULL},
	{"Not/A_Zone", SEED_STARTS, NULL},
};

Test(ics, local_times_round_trip)
{
	for (size_t i = 0; i < sizeof(zone_cases) / sizeof(zone_cases[0]); i++) {
		const struct zone_case *c = &zone_cases[i];
		struct event e = seed_event();
		e.timezone = c->tz;
		e.starts = c->t;
		e.ends = c->t + 3600;
		char *s = build(&e, 1, LANG_EN);
		char *want = NULL;
		if (c->local != NULL)
			cr_assert_gt(asprintf(&want, "\r\nDTSTART;TZID=%s:%s\r\n", c->tz, c->local), 0);
		else
			cr_assert_gt(asprintf(&want, "\r\nDTSTART:20180711T070000Z\r\n"), 0);
		cr_expect_not_null(strstr(s, want), "case %zu: want %s in\n%s", i, want, s);
		cr_expect_eq(count(s, "BEGIN:VTIMEZONE"), c->local != NULL ? 1 : 0, "case %zu", i);
		icalcomponent *cal = icalparser_parse_string(s);
		cr_assert_not_null(cal, "case %zu", i);
		const char *tzid;
		cr_expect_eq(parsed_start(cal, &tzid), c->t, "case %zu (%s) does not read back", i,
			     c->tz);
		icalcomponent_free(cal);
		free(want);
		free(s);
	}
}

static void *
build_in_thread(void *arg)
{
	const struct zone_case *c = arg;
	for (int i = 0; i < 20; i++) {
		struct event e = seed_event();
		e.timezone = c->tz;
		e.starts = c->t;
		e.ends = c->t + 3600;
		char *s = events_ics_build(&e, 1, LANG_EN, NULL);
		char want[96];
		snprintf(want, sizeof(want), "\r\nDTSTART;TZID=%s:%s\r\n", c->tz, c->local);
		int ok = s != NULL && strstr(s, want) != NULL;
		free(s);
		if (!ok)
			return (void *)1;
	}
	return NULL;
}

/* Zones load lazily inside libical: first uses from several threads at once. */
Test(ics, concurrent_first_use_of_zones)
{
	pthread_t th[8];
	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, build_in_thread, (void *)&zone_cases[i]), 0);
	for (size_t i = 0; i < 8; i++) {
		void *r;
		pthread_join(th[i], &r);
		cr_expect_null(r, "thread %zu (%s) wrote a wrong DTSTART", i, zone_cases[i].tz);
	}
}

Test(ics, text_is_escaped_and_reads_back)
{
	struct event e = seed_event();
	struct named themes[] = {{"jobs", {NULL, "Economy, jobs; skills", NULL}}};
	e.text[LANG_EN].title = "Budget, plans; and \\ more";
	e.themes = themes;
	config_set_site_name("Network, Mediterranean");
	char *s = build(&e, 1, LANG_EN);
	char *u = unfold(s);
	expect_has(u, "\r\nSUMMARY;LANGUAGE=en:Budget\\, plans\\; and \\\\ more\r\n");
	expect_has(u, "\r\nX-WR-CALNAME:Network\\, Mediterranean — Events\r\n");
	icalcomponent *cal = icalparser_parse_string(s);
	cr_assert_not_null(cal);
	icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	cr_expect_str_eq(icalcomponent_get_summary(ev), "Budget, plans; and \\ more");
	icalproperty *cat = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	cr_assert_not_null(cat);
	cr_expect_str_eq(icalproperty_get_categories(cat), "Economy, jobs; skills");
	icalcomponent_free(cal);
	free(u);
	free(s);
}

Test(ics, missing_language_falls_back_and_says_so)
{
	struct event e = seed_event();
	char *s = build(&e, 1, LANG_FR);
	char *u = unfold(s);
	expect_has(u, "\r\nSUMMARY;LANGUAGE=en:[HMLN Webinar] Twinning Arrangements\r\n");
	/* the page link stays in the requested language */
	expect_has(u, "\r\nURL:" BASE "/fr/events/" SEED_SLUG "\r\n");
	e.text[LANG_EN].title = NULL;
	free(u);
	free(s);
	s = build(&e, 1, LANG_FR);
	u = unfold(s);
	expect_has(u, "\r\nSUMMARY;LANGUAGE=ar:");
	free(u);
	free(s);
}

Test(ics, instant_and_in_person_event)
{
	struct event e = seed_event();
	e.ends = e.starts;
	e.is_virtual = 0;
	e.venue = "Municipal hall";
	e.city = "Tripoli";
	e.country = "LB";
	char *s = build(&e, 1, LANG_EN);
	char *u = unfold(s);
	cr_expect_null(strstr(u, "DTEND"), "DTEND must be later than DTSTART, so none");
	expect_has(u, "\r\nLOCATION:Municipal hall\\, Tripoli\\, Lebanon\r\n");
	free(u);
	free(s);
}

Test(ics, empty_calendar_is_valid)
{
	char *s = build(NULL, 0, LANG_EN);
	icalcomponent *cal = icalparser_parse_string(s);
	cr_assert_not_null(cal);
	cr_expect_eq(icalcomponent_count_components(cal, ICAL_ANY_COMPONENT), 0);
	icalcomponent_free(cal);
	free(s);
}

/* ---- handlers, against a real SQLite file ---- */

static char db_path[64];

static void
setup_db(void)
{
	setup_config();
	snprintf(db_path, sizeof(db_path), "/tmp/tawama-test-feed-XXXXXX");
	int fd = mkstemp(db_path);
	cr_assert_geq(fd, 0);
	close(fd);
	db_thread_init(db_path);
	cr_assert_not_null(db_thread());
	cr_assert_eq(db_migrate(db_thread()), 0);
}

static void
teardown_db(void)
{
	db_thread_close_all();
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < 3; i++) {
		char p[80];
		snprintf(p, sizeof(p), "%s%s", db_path, suffix[i]);
		unlink(p);
	}
	teardown_config();
}

/* Saves the seed and n generated events (one a day from 2020-01-01 at 09:00 UTC,
 * alternating types, every third in Amman, every tenth with an English title only;
 * light: English text only, for volume). */
static void
save_many(size_t n, int light)
{
	struct db *db = db_thread();
	char err[256];
	cr_assert_eq(db_begin(db), 0);
	struct event seed = seed_event();
	cr_assert_eq(events_save(db, &seed, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < n; i++) {
		char slug[32], title[64];
		snprintf(slug, sizeof(slug), "event-%05zu", i);
		snprintf(title, sizeof(title), "Événement <%zu> & co", i);
		struct event e = seed_event();
		e.slug = slug;
		e.type = i % 2 ? EVENT_WORKSHOP : EVENT_TRAINING;
		e.starts = 1577869200 + (int64_t)i * 86400;
		e.ends = e.starts + 7200;
		e.timezone = i % 3 ? "Asia/Beirut" : "Asia/Amman";
		e.updated = 1600000000 + (int64_t)i;
		e.text[LANG_FR].title = title;
		e.text[LANG_FR].context = "Un *contexte*.";
		if (i % 10 == 0 || light)
			e.text[LANG_AR].title = e.text[LANG_FR].title = NULL;
		if (light)
			e.text[LANG_EN].n_objectives = 0;
		cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "%s", err);
	}
	cr_assert_eq(db_commit(db), 0);
}

static void
save_events(size_t n)
{
	save_many(n, 0);
}

/* Saves n events "prefix-00000"... all starting at the same instant. */
static void
save_at(const char *prefix, size_t n, int64_t starts)
{
	struct db *db = db_thread();
	char err[256];
	cr_assert_eq(db_begin(db), 0);
	for (size_t i = 0; i < n; i++) {
		char slug[32];
		snprintf(slug, sizeof(slug), "%s-%05zu", prefix, i);
		struct event e = seed_event();
		e.slug = slug;
		e.starts = starts;
		e.ends = starts + 3600;
		cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "%s", err);
	}
	cr_assert_eq(db_commit(db), 0);
}

struct call {
	struct arena *arena;
	struct request req;
	struct response res;
	struct http_param params[8];
	enum http_error rc;
};

/* Runs handler h with a query "a=1&b=2" (NULL: none), language l, captures. */
static void
call(struct call *c, http_handler h, const char *query, enum lang l, const char *cap0,
     const char *cap1)
{
	memset(c, 0, sizeof(*c));
	c->arena = arena_new();
	c->req.arena = c->arena;
	c->req.lang = l;
	c->req.path = "/test";
	c->req.target = "/test";
	c->req.captures[0] = cap0;
	c->req.captures[1] = cap1;
	c->req.n_captures = cap1 != NULL ? 2 : cap0 != NULL ? 1 : 0;
	if (query != NULL)
		cr_assert_eq(http_parse_query(c->arena, query, &c->req.query, &c->req.n_query,
					      HTTP_MAX_PARAMS), 0);
	buf_init(&c->res.body);
	c->res.body.limit = 64u << 20;
	c->rc = h(&c->req, &c->res);
}

static void
call_free(struct call *c)
{
	buf_free(&c->res.body);
	arena_free(c->arena);
}

static json_t *
call_json(struct call *c)
{
	cr_assert_eq(c->rc, HTTP_OK, "handler said %d", (int)c->rc);
	cr_assert_str_eq(c->res.content_type, "application/json; charset=utf-8");
	json_error_t err;
	json_t *v = json_loads(buf_cstr(&c->res.body), 0, &err);
	cr_assert_not_null(v, "not JSON: %s", err.text);
	return v;
}

TestSuite(api, .init = setup_db, .fini = teardown_db);

static const char *const bad_queries[] = {
	"page=0", "page=10001", "page=abc", "page=", "page=-1", "page=%2B1", "page=1.0",
	"page=%201", "page=99999999999999999999", "per_page=0", "per_page=101",
	"lang=de", "lang=EN", "lang=", "from=2018-13-01", "from=2018-02-30", "to=yesterday",
	"from=2018-7-1", "type=party", "type=", "from=2018-07-12&to=2018-07-11",
};

Test(api, invalid_parameters_are_400)
{
	save_events(0);
	for (size_t i = 0; i < sizeof(bad_queries) / sizeof(bad_queries[0]); i++) {
		struct call c;
		call(&c, events_api_list, bad_queries[i], LANG_EN, NULL, NULL);
		cr_expect_eq(c.rc, HTTP_ERR_BAD_PARAM, "%s gave %d", bad_queries[i], (int)c.rc);
		cr_expect_eq(c.res.body.len, 0, "%s left a body", bad_queries[i]);
		call_free(&c);
	}
	struct call c;
	call(&c, events_api_one, "lang=xx", LANG_EN, SEED_SLUG, NULL);
	cr_expect_eq(c.rc, HTTP_ERR_BAD_PARAM);
	call_free(&c);
}

Test(api, pages_and_next_link)
{
	save_events(24);	/* 25 with the seed */
	struct call c;
	call(&c, events_api_list, "per_page=10&page=1&type=training&unknown=1", LANG_AR, NULL,
	     NULL);
	json_t *v = call_json(&c);
	cr_expect_eq(json_integer_value(json_object_get(v, "total")), 12);
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 10);
	cr_expect_eq(json_integer_value(json_object_get(v, "page")), 1);
	cr_expect_eq(json_integer_value(json_object_get(v, "per_page")), 10);
	cr_expect_str_eq(json_string_value(json_object_get(v, "next")),
			 "/api/v1/events?page=2&per_page=10&lang=en&type=training");
	json_decref(v);
	call_free(&c);

	call(&c, events_api_list, "per_page=10&page=3", LANG_EN, NULL, NULL);
	v = call_json(&c);
	cr_expect_eq(json_integer_value(json_object_get(v, "total")), 25);
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 5);
	cr_expect(json_is_null(json_object_get(v, "next")));
	json_decref(v);
	call_free(&c);

	call(&c, events_api_list, "page=9", LANG_EN, NULL, NULL);
	v = call_json(&c);
	cr_expect_eq(json_array_size(json_object_get(v, "items")), 0);
	cr_expect(json_is_null(json_object_get(v, "next")));
	json_decref(v);
	call_free(&c);
}

Test(api, date_range_is_inclusive)
{
	save_events(24);
	struct call c;
	/* 2020-01-02 .. 2020-01-04: events 1, 2, 3 */
	call(&c, events_api_list, "from=2020-01-02&to=2020-01-04&lang=fr", LANG_EN, NULL, NULL);
	json_t *v = call_json(&c);
	json_t *items = json_object_get(v, "items");
	cr_assert_eq(json_array_size(items), 3);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "slug")),
			 "event-00001");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 2), "slug")),
			 "event-00003");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "title")),
			 "Événement <1> & co");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "lang")), "fr");
	json_decref(v);
	call_free(&c);

	call(&c, events_api_list, "from=2018-07-11&to=2018-07-11", LANG_EN, NULL, NULL);
	v = call_json(&c);
	cr_expect_eq(json_integer_value(json_object_get(v, "total")), 1);
	json_decref(v);
	call_free(&c);
}

Test(api, one_event)
{
	save_events(0);
	struct call c;
	call(&c, events_api_one, "lang=fr", LANG_EN, SEED_SLUG, NULL);
	json_t *v = call_json(&c);
	json_error_t err;
	json_t *want = json_loads(
		"{\"slug\":\"" SEED_SLUG "\",\"type\":\"virtual-meeting\","
		"\"starts\":\"2018-07-11T07:00:00Z\",\"ends\":\"2018-07-11T09:00:00Z\","
		"\"timezone\":\"Asia/Beirut\",\"location\":{\"virtual\":true},"
		"\"organiser\":{\"slug\":\"cmi\",\"name\":\"Center for Mediterranean Integration (CMI)\"},"
		"\"participation\":\"invitation\","
		"\"themes\":[{\"slug\":\"led\",\"name\":\"Développement économique local\"}],"
		"\"highlight\":true,\"lang\":\"en\",\"title\":\"[HMLN Webinar] Twinning Arrangements\","
		"\"context\":\"To support local governments facing a large inflow of *forcibly displaced* people.\","
		"\"objectives\":[\"connect active HMLN members who take part in a twinning group;\","
		"\"assess the work of the twinning groups and share their progress;\"],"
		"\"participation_text\":\"By invitation only.\","
		"\"url\":\"" BASE "/fr/events/" SEED_SLUG "\"}",
		0, &err);
	cr_assert_not_null(want, "%s", err.text);
	char *got = json_dumps(v, JSON_SORT_KEYS), *exp = json_dumps(want, JSON_SORT_KEYS);
	cr_expect(json_equal(v, want), "got %s\nwant %s", got, exp);
	free(got);
	free(exp);
	json_decref(want);
	json_decref(v);
	call_free(&c);

	call(&c, events_api_one, NULL, LANG_EN, "no-such-event", NULL);
	cr_expect_eq(c.rc, HTTP_ERR_NOT_FOUND);
	cr_expect_eq(c.res.body.len, 0);
	call_free(&c);
}

Test(api, in_person_location)
{
	struct db *db = db_thread();
	char err[256];
	struct event e = seed_event();
	e.is_virtual = 0;
	e.venue = "Hall";
	e.city = "Tripoli";
	e.country = "LB";
	cr_assert_eq(db_begin(db), 0);
	cr_assert_eq(events_save(db, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_commit(db), 0);
	struct call c;
	call(&c, events_api_one, "lang=fr", LANG_EN, SEED_SLUG, NULL);
	json_t *v = call_json(&c);
	json_t *loc = json_object_get(v, "location");
	cr_expect(json_is_false(json_object_get(loc, "virtual")));
	cr_expect_str_eq(json_string_value(json_object_get(loc, "city")), "Tripoli");
	cr_expect_str_eq(json_string_value(json_object_get(loc, "country")), "LB");
	cr_expect_str_eq(json_string_value(json_object_get(loc, "country_name")), "Liban");
	json_decref(v);
	call_free(&c);
}

TestSuite(feeds, .init = setup_db, .fini = teardown_db);

Test(feeds, ics_one_and_not_found)
{
	save_events(0);
	struct call c;
	call(&c, events_ics_one, NULL, LANG_AR, "ar", SEED_SLUG);
	cr_assert_eq(c.rc, HTTP_OK);
	cr_expect_str_eq(c.res.content_type, "text/calendar; charset=utf-8");
	cr_expect_eq(c.res.max_age, 300);
	cr_assert_eq(c.res.n_headers, 1);
	cr_expect_str_eq(c.res.headers[0].name, "Content-Disposition");
	cr_expect_str_eq(c.res.headers[0].value, "attachment; filename=\"" SEED_SLUG ".ics\"");
	expect_has(buf_cstr(&c.res.body), "DTSTART;TZID=Asia/Beirut:20180711T100000");
	call_free(&c);

	call(&c, events_ics_one, NULL, LANG_AR, "ar", "missing");
	cr_expect_eq(c.rc, HTTP_ERR_NOT_FOUND);
	call_free(&c);
}

Test(feeds, calendar_has_every_event_in_batches)
{
	save_events(1100);	/* three batches of 500 */
	struct call c;
	call(&c, events_ics_all, "lang=fr", LANG_EN, NULL, NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	const char *s = buf_cstr(&c.res.body);
	cr_expect_eq(count(s, "BEGIN:VEVENT\r\n"), 1101);
	cr_expect_eq(count(s, "BEGIN:VTIMEZONE\r\n"), 2);
	cr_expect_eq(count(s, "END:VCALENDAR\r\n"), 1);
	cr_expect_eq(count(s, "\r\nDESCRIPTION;LANGUAGE="), 1101, "small calendars keep the prose");
	char *u = unfold(s);
	cr_expect_eq(count(u, "\r\nURL:" BASE "/fr/events/"), 1101);
	free(u);
	cr_expect_not_null(c.res.etag);
	icalcomponent *cal = icalparser_parse_string(s);
	cr_assert_not_null(cal);
	cr_expect_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1101);
	icalcomponent_free(cal);
	call_free(&c);

	call(&c, events_ics_all, "lang=de", LANG_EN, NULL, NULL);
	cr_expect_eq(c.rc, HTTP_ERR_BAD_PARAM);
	call_free(&c);
}

/* The calendar walks the events by start time: batches that end inside a run of
 * events at one instant, and the epoch (a "from" of 0 is no bound), lose none. */
Test(feeds, calendar_with_many_events_at_one_instant)
{
	save_at("tie", 1200, SEED_STARTS + 86400);
	save_at("epoch", 600, 0);
	struct call c;
	call(&c, events_ics_all, NULL, LANG_EN, NULL, NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	char *u = unfold(buf_cstr(&c.res.body));
	cr_expect_eq(count(u, "BEGIN:VEVENT\r\n"), 1200 + 600);
	static const struct {
		const char *prefix;
		size_t n;
	} runs[] = {{"tie", 1200}, {"epoch", 600}};
	for (size_t r = 0; r < 2; r++) {
		for (size_t i = 0; i < runs[r].n; i++) {
			char uid[64];
			snprintf(uid, sizeof(uid), "\r\nUID:%s-%05zu@", runs[r].prefix, i);
			cr_expect_eq(count(u, uid), 1, "%s once", uid + 2);
		}
	}
	free(u);
	call_free(&c);
}

Test(feeds, atom)
{
	save_events(60);
	struct call c;
	call(&c, events_atom, NULL, LANG_FR, "fr", NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	const char *s = buf_cstr(&c.res.body);
	cr_expect_str_eq(c.res.content_type, "application/atom+xml; charset=utf-8");
	expect_has(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">");
	expect_has(s, "<id>" BASE "/fr/feed.atom</id>");
	expect_has(s, "<link rel=\"self\" type=\"application/atom+xml\" href=\"" BASE "/fr/feed.atom\"/>");
	expect_has(s, "<link rel=\"alternate\" type=\"text/html\" href=\"" BASE "/fr/events\"/>");
	expect_has(s, "<title>HMLN — Events</title>");
	/* the newest event is 2020-01-01 + 59 days, updated 1600000059 */
	expect_has(s, "<updated>2020-09-13T12:27:39Z</updated>");
	cr_expect_eq(count(s, "<entry"), 50);
	expect_has(s, "<entry>\n<id>" BASE "/fr/events/event-00059</id>\n"
		      "<title>Événement &lt;59&gt; &amp; co</title>\n");
	/* event 50 has only English text */
	expect_has(s, "<entry xml:lang=\"en\">\n<id>" BASE "/fr/events/event-00050</id>");
	expect_has(s, "<author>\n<name>Center for Mediterranean Integration (CMI)</name>\n</author>\n");
	expect_has(s, "<summary>Un contexte.</summary>");
	cr_expect_null(strstr(s, SEED_SLUG), "the seed (2018) is older than the 50 newest");
	call_free(&c);
}

Test(feeds, sitemap_lists_every_page_in_every_language)
{
	save_events(10);
	struct call c;
	call(&c, events_sitemap, NULL, LANG_EN, NULL, NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	const char *s = buf_cstr(&c.res.body);
	cr_expect_eq(count(s, "<url>"), 6 + 3 * 11);
	cr_expect_eq(count(s, "hreflang=\"x-default\""), 6 + 3 * 11);
	expect_has(s, "<url><loc>" BASE "/ar/</loc>");
	expect_has(s, "<url><loc>" BASE "/fr/events</loc>");
	expect_has(s, "<url><loc>" BASE "/fr/events/event-00009</loc><lastmod>2020-09-13T12:26:49Z</lastmod>"
		      "<xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"" BASE "/ar/events/event-00009\"/>"
		      "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"" BASE "/en/events/event-00009\"/>"
		      "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"" BASE "/fr/events/event-00009\"/>"
		      "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"" BASE "/en/events/event-00009\"/></url>");
	cr_expect_null(strstr(s, "<sitemapindex"));
	call_free(&c);

	call(&c, events_sitemap, NULL, LANG_EN, "1", NULL);
	cr_expect_eq(c.rc, HTTP_OK);
	call_free(&c);
	call(&c, events_sitemap, NULL, LANG_EN, "2", NULL);
	cr_expect_eq(c.rc, HTTP_ERR_NOT_FOUND);
	call_free(&c);
	call(&c, events_sitemap, NULL, LANG_EN, "01", NULL);
	cr_expect_eq(c.rc, HTTP_ERR_NOT_FOUND);
	call_free(&c);
}

Test(feeds, sitemap_becomes_an_index_past_the_url_limit, .timeout = 600)
{
	save_many(16000, 1);	/* 16,001 events: 48,009 URLs */
	struct call c;
	call(&c, events_sitemap, NULL, LANG_EN, NULL, NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	const char *s = buf_cstr(&c.res.body);
	expect_has(s, "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
	cr_expect_eq(count(s, "<sitemap>"), 2);
	expect_has(s, "<loc>" BASE "/sitemaps/2.xml</loc>");
	call_free(&c);

	call(&c, events_sitemap, NULL, LANG_EN, "1", NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	cr_expect_eq(count(buf_cstr(&c.res.body), "<url>"), 6 + 3 * 16000);
	call_free(&c);
	call(&c, events_sitemap, NULL, LANG_EN, "2", NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	cr_expect_eq(count(buf_cstr(&c.res.body), "<url>"), 3);
	expect_has(buf_cstr(&c.res.body), "/en/events/event-15999</loc>");
	call_free(&c);
	call(&c, events_sitemap, NULL, LANG_EN, "3", NULL);
	cr_expect_eq(c.rc, HTTP_ERR_NOT_FOUND);
	call_free(&c);
}

Test(feeds, robots)
{
	struct call c;
	call(&c, events_robots, NULL, LANG_EN, NULL, NULL);
	cr_assert_eq(c.rc, HTTP_OK);
	cr_expect_str_eq(buf_cstr(&c.res.body), "User-agent: *\nAllow: /\nDisallow: /api/\n"
						"Sitemap: " BASE "/sitemap.xml\n");
	cr_expect_str_eq(c.res.content_type, "text/plain; charset=utf-8");
	call_free(&c);
}
