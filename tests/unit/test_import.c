/* test_import: the JSON Lines format: every validation rule, whole-file import, export round trip. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_arena.h"
#include "core/core_log.h"
#include "db/db.h"
#include "events/events.h"

/* The seed event (docs/import.md's example). */
static const char seed[] =
	"{\"slug\":\"hmln-webinar-twinning-arrangements\",\"type\":\"webinar\","
	"\"starts\":\"2018-07-11T09:00:00Z\",\"ends\":\"2018-07-11T11:00:00Z\","
	"\"timezone\":\"Asia/Beirut\",\"location\":{\"virtual\":true},"
	"\"organiser\":{\"slug\":\"cmi\",\"name\":{\"en\":\"Center for Mediterranean "
	"Integration (CMI)\",\"ar\":\"مركز التكامل المتوسطي\"}},"
	"\"participation\":\"invitation\",\"themes\":[\"led\"],\"highlight\":false,"
	"\"text\":{\"ar\":{\"title\":\"[اجتماع إفتراضي شبكة تعلم البلديات المضيفة المتوسطية] "
	"ترتيبات التوأمة\",\"context\":\"لدعم الحكومات المحلية...\",\"objectives\":[\"تبادل "
	"الخبرات\",\"التعلم من الأقران\"],\"participation\":\"المشاركة بدعوة فقط\"},"
	"\"en\":{\"title\":\"[HMLN Webinar] Twinning Arrangements\",\"context\":\"To support "
	"local governments...\",\"objectives\":[\"Share experience\"]}}}";

static char dir[64], path[128];
static struct db *db;

static int
open_db(struct db **d, const char *name)
{
	char p[192];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (db_open(d, p, 0) < 0)
		return -1;
	return db_migrate(*d);
}

static void
setup(void)
{
	log_set_quiet(1);
	snprintf(dir, sizeof(dir), "/tmp/tawama-test-import-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.db", dir);
	cr_assert_eq(open_db(&db, "a.db"), 0);
}

static void
teardown(void)
{
	static const char *const names[] = {"a.db", "b.db"};
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char p[192];
	db_close(db);
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 3; j++) {
			snprintf(p, sizeof(p), "%s/%s%s", dir, names[i], suffix[j]);
			unlink(p);
		}
	}
	rmdir(dir);
}

/* The seed line with one key (a dotted path) replaced by a JSON value, or removed
 * when value is NULL. Returns a malloc'ed line. */
static char *
mutate(const char *base, const char *keypath, const char *value)
{
	json_error_t jerr;
	json_t *root = json_loads(base, 0, &jerr), *o = root;
	cr_assert_not_null(root);
	char keys[128];
	snprintf(keys, sizeof(keys), "%s", keypath);
	char *key = keys, *dot;
	while ((dot = strchr(key, '.')) != NULL) {
		*dot = '\0';
		json_t *next = json_object_get(o, key);
		if (next == NULL) {
			next = json_object();
			json_object_set_new(o, key, next);
		}
		o = next;
		key = dot + 1;
	}
	if (value == NULL) {
		json_object_del(o, key);
	} else {
		json_t *v = json_loads(value, JSON_DECODE_ANY, &jerr);
		cr_assert_not_null(v, "bad test value %s: %s", value, jerr.text);
		json_object_set_new(o, key, v);
	}
	char *s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return s;
}

static char *
repeat(const char *unit, size_t n, const char *quote)
{
	size_t u = strlen(unit), q = strlen(quote);
	char *s = malloc(u * n + 2 * q + 1), *w = s;
	memcpy(w, quote, q);
	w += q;
	for (size_t i = 0; i < n; i++, w += u)
		memcpy(w, unit, u);
	memcpy(w, quote, q);
	w[q] = '\0';
	return s;
}

static int
parse(const char *line, struct arena *a, struct event *e, char *err, size_t errlen)
{
	return events_parse_line(a, line, strlen(line), e, err, errlen);
}

struct bad_case {
	const char *key;	/* mutated key of the seed; NULL: value is the whole line */
	const char *value;	/* JSON, NULL: key removed */
	const char *want;	/* fragment of the message */
};

Test(parse, every_rule_has_a_message)
{
	char *slug101 = repeat("a", 101, "\"");
	char *title301 = repeat("ب", 301, "\"");
	char *context20001 = repeat("x", 20001, "\"");
	char *objective2001 = repeat("o", 2001, "\"");
	char *objectives51 = repeat("\"o\",", 50, "");
	char objectives_json[400], themes_json[200];
	snprintf(objectives_json, sizeof(objectives_json), "[%s\"o\"]", objectives51);
	/* 21 distinct theme slugs */
	size_t used = 0;
	for (int i = 0; i < 21; i++)
		used += (size_t)snprintf(themes_json + used, sizeof(themes_json) - used, "%s\"t%d\"",
					 i ? "," : "[", i);
	snprintf(themes_json + used, sizeof(themes_json) - used, "]");
	const struct bad_case cases[] = {
		{NULL, "{\"slug\":", "invalid JSON"},
		{NULL, "{\"slug\":\"a\",\"slug\":\"b\"}", "invalid JSON"},
		{NULL, "[1,2]", "a line must be one JSON object"},
		{"colour", "\"red\"", "unknown key \"colour\""},
		{"مفتاح", "1", "unknown key \"مفتاح\""},
		{"a\x1b[31m", "1", "unknown key \"a?[31m\""},
		{"ééééééééééééééééééééééééééééééééééééééééé", "1",
		 "unknown key \"éééééééééééééééééééé\""},
		{"location.room", "\"A\"", "location: unknown key \"room\""},
		{"slug", NULL, "missing \"slug\""},
		{"slug", "5", "slug: must be a string"},
		{"slug", "\"Bad_Slug\"", "slug: not a slug"},
		{"slug", "\"a--b\"", "slug: not a slug"},
		{"slug", "\"-a\"", "slug: not a slug"},
		{"slug", "\"a-\"", "slug: not a slug"},
		{"slug", "\"\"", "slug: not a slug"},
		{"slug", slug101, "slug: not a slug"},
		{"type", "\"seminar\"", "type: must be one of workshop, webinar"},
		{"type", NULL, "missing \"type\""},
		{"starts", "\"2018-07-11 09:00\"", "starts: not an RFC 3339 instant"},
		{"starts", "\"2018-02-30T09:00:00Z\"", "starts: not an RFC 3339 instant"},
		{"starts", "\"2300-01-01T00:00:00Z\"", "starts: not an RFC 3339 instant"},
		{"starts", "1531299600", "starts: must be a string"},
		{"ends", "\"2018-07-11T08:59:59Z\"", "ends: before starts"},
		{"ends", NULL, "missing \"ends\""},
		{"timezone", "\"Mars/Olympus_Mons\"", "timezone: unknown time zone"},
		{"timezone", "\"GMT+3\"", "timezone: unknown time zone"},
		{"timezone", "\"\"", "timezone: unknown time zone"},
		{"location", "{}", "location: missing \"virtual\""},
		{"location", "true", "location: must be an object"},
		{"location", "{\"virtual\":\"yes\"}", "location.virtual: must be true or false"},
		{"location", "{\"virtual\":true,\"city\":\"Amman\"}",
		 "location: a virtual event has no venue, city or country"},
		{"location", "{\"virtual\":false,\"country\":\"JO\"}", "location: missing \"city\""},
		{"location", "{\"virtual\":false,\"city\":\"Amman\"}", "location: missing \"country\""},
		{"location", "{\"virtual\":false,\"city\":\"Amman\",\"country\":\"jo\"}",
		 "location.country: not an ISO 3166-1 alpha-2"},
		{"location", "{\"virtual\":false,\"city\":\"Amman\",\"country\":\"XK\"}",
		 "location.country: not an ISO 3166-1 alpha-2"},
		{"location", "{\"virtual\":false,\"city\":\"Amman\",\"country\":\"JOR\"}",
		 "location.country: not an ISO 3166-1 alpha-2"},
		{"location", "{\"virtual\":false,\"city\":\"\",\"country\":\"JO\"}",
		 "location.city: must not be empty"},
		{"location", "{\"virtual\":false,\"city\":\"Amman\",\"country\":\"JO\","
			     "\"meeting_link\":\"https://meet.example.org/x\"}",
		 "location: a meeting link is only for a virtual event"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"ftp://meet.example.org/x\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"javascript:alert(1)\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https://u:p@meet.example.org/\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https:///x\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https://meet.example.org/a b\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https://meet.example.org:8x/\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https://<b>/\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"\"}",
		 "location.meeting_link: not an http or https address"},
		{"location", "{\"virtual\":true,\"meeting_link\":7}",
		 "location.meeting_link: must be a string"},
		{"capacity", "0", "capacity: must be a whole number from 1 to 100000"},
		{"capacity", "100001", "capacity: must be a whole number from 1 to 100000"},
		{"capacity", "\"10\"", "capacity: must be a whole number"},
		{"capacity", "1.5", "capacity: must be a whole number"},
		{"needs_approval", "\"yes\"", "needs_approval: must be true or false"},
		{"needs_approval", "true", "needs_approval: only a registration event needs approval"},
		{"organiser", "5", "organiser: must be a slug or an object"},
		{"organiser", "\"CMI\"", "organiser: not a slug"},
		{"organiser", "{\"name\":{\"en\":\"CMI\"}}", "organiser: missing \"slug\""},
		{"organiser", "{\"slug\":\"cmi\",\"name\":{\"de\":\"CMI\"}}",
		 "organiser.name: unknown key \"de\""},
		{"organiser", "{\"slug\":\"cmi\",\"name\":{\"en\":\"a\\u0007b\"}}",
		 "organiser.name.en: contains a control character"},
		{"organiser", "{\"slug\":\"cmi\",\"title\":\"x\"}", "organiser: unknown key \"title\""},
		{"participation", "\"members\"", "participation: must be one of open, registration, invitation"},
		{"themes", "\"led\"", "themes: must be an array"},
		{"themes", themes_json, "themes: more than 20 themes"},
		{"themes", "[\"led\",\"led\"]", "themes[1]: theme \"led\" listed twice"},
		{"themes", "[\"LED\"]", "themes[0]: not a slug"},
		{"themes", "[{\"slug\":\"led\",\"name\":{\"en\":\"\"}}]", "themes[0].name.en: must not be empty"},
		{"highlight", "\"yes\"", "highlight: must be true or false"},
		{"highlight", "1", "highlight: must be true or false"},
		{"published", "null", "published: must be true or false"},
		{"text", NULL, "missing \"text\""},
		{"text", "{}", "text: needs at least one language"},
		{"text", "{\"de\":{\"title\":\"x\"}}", "text: unknown key \"de\""},
		{"text.ar", "{\"context\":\"x\"}", "text.ar: missing \"title\""},
		{"text.ar.title", "\"  \"", "text.ar.title: must not be empty"},
		{"text.ar.title", title301, "text.ar.title: longer than 300 characters"},
		{"text.ar.title", "\"a\\nb\"", "text.ar.title: contains a control character"},
		{"text.ar.title", "\"a\\u0085b\"", "text.ar.title: contains a control character"},
		{"text.ar.title", "7", "text.ar.title: must be a string"},
		{"text.en.context", context20001, "text.en.context: longer than 20000 characters"},
		{"text.en.context", "\"a\\rb\"", "text.en.context: contains a control character"},
		{"text.en.participation", context20001,
		 "text.en.participation: longer than 20000 characters"},
		{"text.en.objectives", objectives_json, "text.en.objectives: more than 50 objectives"},
		{"text.en.objectives", "\"one\"", "text.en.objectives: must be an array"},
		{"text.en.objectives", "[1]", "text.en.objectives[0]: must be a string"},
		{"text.en.summary", "\"x\"", "text.en: unknown key \"summary\""},
	};
	char *objective_line = NULL;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		char *line = c->key != NULL ? mutate(seed, c->key, c->value) : strdup(c->value);
		struct arena *a = arena_new();
		struct event e;
		char err[300] = "";
		cr_expect_eq(parse(line, a, &e, err, sizeof(err)), -1, "case %zu (%s) was accepted", i,
			     c->key ? c->key : c->value);
		cr_expect(strstr(err, c->want) != NULL, "case %zu (%s): want \"%s\", got \"%s\"", i,
			  c->key ? c->key : c->value, c->want, err);
		arena_free(a);
		free(line);
	}
	/* an objective over the limit, in an array */
	char arr[2100];
	snprintf(arr, sizeof(arr), "[%s]", objective2001);
	objective_line = mutate(seed, "text.en.objectives", arr);
	struct arena *a = arena_new();
	struct event e;
	char err[300] = "";
	cr_expect_eq(parse(objective_line, a, &e, err, sizeof(err)), -1);
	cr_expect(strstr(err, "text.en.objectives[0]: longer than 2000 characters") != NULL, "%s", err);
	/* a line over 1 MiB is refused before it is parsed */
	cr_expect_eq(events_parse_line(a, seed, 1024 * 1024 + 1, &e, err, sizeof(err)), -1);
	cr_expect(strstr(err, "line longer than 1 MiB") != NULL, "%s", err);
	arena_free(a);
	free(objective_line);
	free(slug101);
	free(title301);
	free(context20001);
	free(objective2001);
	free(objectives51);
}

struct good_case {
	const char *key, *value;
	int is_virtual;
	size_t n_themes;
	const char *check;	/* what the case is about */
};

Test(parse, good_lines)
{
	char *title300 = repeat("ب", 300, "\"");
	const struct good_case cases[] = {
		{NULL, NULL, 1, 1, "the seed"},
		{"location", "{\"virtual\":false,\"venue\":\"City hall\",\"city\":\"Irbid\",\"country\":\"JO\"}",
		 0, 1, "in person"},
		{"location", "{\"virtual\":false,\"city\":\"Beirut\",\"country\":\"LB\"}", 0, 1,
		 "no venue"},
		{"organiser", "\"cmi\"", 1, 1, "bare organiser slug"},
		{"themes", "[{\"slug\":\"led\",\"name\":{\"en\":\"LED\",\"fr\":\"DEL\"}},\"finance\"]", 1,
		 2, "theme objects"},
		{"themes", NULL, 1, 0, "no themes"},
		{"highlight", NULL, 1, 1, "highlight left out"},
		{"starts", "\"2018-07-11T12:00:00+03:00\"", 1, 1, "offset"},
		{"text.ar.title", title300, 1, 1, "300 Arabic characters (600 bytes)"},
		{"text", "{\"fr\":{\"title\":\"Webinaire\"}}", 1, 1, "French only"},
		{"timezone", "\"UTC\"", 1, 1, "UTC"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"https://meet.example.org/j/1?pwd=a%20b\"}",
		 1, 1, "a meeting link"},
		{"location", "{\"virtual\":true,\"meeting_link\":\"HTTP://[2001:db8::1]:8443/room\"}",
		 1, 1, "an IPv6 host, a port, capitals"},
		{"capacity", "100000", 1, 1, "the largest capacity"},
		{"needs_approval", "false", 1, 1, "no approval, invitation"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct good_case *c = &cases[i];
		char *line = c->key != NULL ? mutate(seed, c->key, c->value) : strdup(seed);
		struct arena *a = arena_new();
		struct event e;
		char err[300] = "";
		cr_expect_eq(parse(line, a, &e, err, sizeof(err)), 0, "%s: %s", c->check, err);
		cr_expect_eq(e.is_virtual, c->is_virtual, "%s", c->check);
		cr_expect_eq(e.n_themes, c->n_themes, "%s", c->check);
		cr_expect_eq(e.published, 1, "%s", c->check);
		arena_free(a);
		free(line);
	}
	free(title300);
}

Test(parse, seed_fields)
{
	struct arena *a = arena_new();
	struct event e;
	char err[300];
	cr_assert_eq(parse(seed, a, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(e.slug, "hmln-webinar-twinning-arrangements");
	cr_assert_eq(e.type, EVENT_WEBINAR);
	cr_assert_eq(e.starts, 1531299600);
	cr_assert_eq(e.ends, 1531299600 + 7200);
	cr_assert_str_eq(e.timezone, "Asia/Beirut");
	cr_assert_eq(e.participation, PART_INVITATION);
	cr_assert_str_eq(e.organiser.slug, "cmi");
	cr_assert_str_eq(e.organiser.name[LANG_AR], "مركز التكامل المتوسطي");
	cr_assert_null(e.organiser.name[LANG_FR]);
	cr_assert_str_eq(e.themes[0].slug, "led");
	cr_assert_str_eq(e.text[LANG_EN].title, "[HMLN Webinar] Twinning Arrangements");
	cr_assert_eq(e.text[LANG_AR].n_objectives, 2);
	cr_assert_str_eq(e.text[LANG_AR].objectives[1], "التعلم من الأقران");
	cr_assert_str_eq(e.text[LANG_AR].participation, "المشاركة بدعوة فقط");
	cr_assert_null(e.text[LANG_EN].participation);
	cr_assert_null(e.text[LANG_FR].title);
	cr_assert_eq(e.highlight, 0);
	arena_free(a);

	/* Markdown keeps newlines; a Windows "\r\n" becomes "\n" */
	char *line = mutate(seed, "text.en.context", "\"one\\r\\ntwo\\n\\n- three\"");
	a = arena_new();
	cr_assert_eq(parse(line, a, &e, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(e.text[LANG_EN].context, "one\ntwo\n\n- three");
	arena_free(a);
	free(line);
}

Test(parse, country_list_matches_the_database, .init = setup, .fini = teardown)
{
	/* every two-letter code parse accepts is in the countries table, and back */
	struct arena *a = arena_new();
	int accepted = 0;
	for (char x = 'A'; x <= 'Z'; x++) {
		for (char y = 'A'; y <= 'Z'; y++) {
			char loc[128], err[300];
			struct event e;
			snprintf(loc, sizeof(loc),
				 "{\"virtual\":false,\"city\":\"C\",\"country\":\"%c%c\"}", x, y);
			char *line = mutate(seed, "location", loc);
			int ok = parse(line, a, &e, err, sizeof(err)) == 0;
			free(line);
			char code[3] = {x, y, '\0'};
			struct db_stmt *st = db_prepare(db, "SELECT 1 FROM countries WHERE code = ?1");
			db_bind_text(st, 1, code);
			int in_db = db_step(st) == DB_ROW;
			db_done(st);
			cr_expect_eq(ok, in_db, "%s: parse %d, table %d", code, ok, in_db);
			accepted += ok;
		}
	}
	cr_assert_eq(accepted, 249);
	arena_free(a);
}

/* Files. */
static FILE *
file_of(const char *s)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	fputs(s, f);
	rewind(f);
	return f;
}

static long
import_string(struct db *d, const char *s, char **errs)
{
	FILE *in = file_of(s);
	size_t len;
	char *buf = NULL;
	FILE *errf = open_memstream(&buf, &len);
	long n = events_import(d, in, "events.jsonl", errf);
	fclose(errf);
	fclose(in);
	if (errs != NULL)
		*errs = buf;
	else
		free(buf);
	return n;
}

static char *
export_string(struct db *d, long *n)
{
	size_t len;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, &len);
	*n = events_export(d, out);
	fclose(out);
	return buf;
}

/* A small network: the seed, an event in person with theme objects, one in French
 * that names the organiser by slug only, an unpublished one. */
static char *
sample_file(void)
{
	char *l2 = mutate(seed, "slug", "\"led-workshop-irbid\"");
	char *l2b = mutate(l2, "location",
			   "{\"virtual\":false,\"venue\":\"City hall\",\"city\":\"Irbid\",\"country\":\"JO\"}");
	char *l2c = mutate(l2b, "themes",
			   "[{\"slug\":\"finance\",\"name\":{\"ar\":\"تمويل\",\"en\":\"Finance\",\"fr\":\"Finances\"}},\"led\"]");
	char *l2d = mutate(l2c, "type", "\"workshop\"");
	char *l3 = mutate(seed, "slug", "\"atelier-tunis\"");
	char *l3b = mutate(l3, "organiser", "\"cmi\"");
	char *l3c = mutate(l3b, "text", "{\"fr\":{\"title\":\"Atelier\",\"context\":\"Ligne 1\\nLigne 2\"}}");
	char *l3d = mutate(l3c, "highlight", "true");
	char *l4 = mutate(seed, "slug", "\"draft-event\"");
	char *l4a = mutate(l4, "published", "false");
	char *l4x = mutate(l4a, "location",
			   "{\"virtual\":true,\"meeting_link\":\"https://meet.example.org/r?id=1&x=%20\"}");
	char *l4y = mutate(l4x, "participation", "\"registration\"");
	char *l4z = mutate(l4y, "capacity", "30");
	char *l4b = mutate(l4z, "needs_approval", "true");
	free(l4a), free(l4x), free(l4y), free(l4z);
	size_t n = strlen(seed) + strlen(l2d) + strlen(l3d) + strlen(l4b) + 16;
	char *all = malloc(n);
	/* the bare-slug organiser comes first: names from a later line must reach it */
	snprintf(all, n, "%s\n\n%s\r\n%s\n%s", l3d, seed, l2d, l4b);
	free(l2), free(l2b), free(l2c), free(l2d), free(l3), free(l3b), free(l3c), free(l3d);
	free(l4), free(l4b);
	return all;
}

Test(import, round_trip_gives_identical_bytes, .init = setup, .fini = teardown)
{
	char *file = sample_file(), *errs = NULL;
	long n = import_string(db, file, &errs);
	cr_assert_eq(n, 4, "import: %s", errs);
	free(errs);
	long n1, n2;
	char *first = export_string(db, &n1);
	cr_assert_eq(n1, 4);

	struct db *fresh;
	cr_assert_eq(open_db(&fresh, "b.db"), 0);
	cr_assert_eq(import_string(fresh, first, &errs), 4, "re-import: %s", errs);
	free(errs);
	char *second = export_string(fresh, &n2);
	db_close(fresh);
	cr_assert_eq(n2, 4);
	cr_assert_str_eq(first, second);

	/* lines are ordered by slug and keep names, themes in order, unpublished state */
	cr_assert(strncmp(first, "{\"slug\":\"atelier-tunis\",", 24) == 0, "%s", first);
	cr_assert(strstr(first, "\"organiser\":{\"slug\":\"cmi\",\"name\":{\"ar\":\"مركز التكامل "
				"المتوسطي\",\"en\":\"Center for Mediterranean Integration (CMI)\"}}") !=
		  NULL);
	cr_assert(strstr(first, "\"themes\":[{\"slug\":\"finance\",\"name\":{\"ar\":\"تمويل\",\"en\":"
				"\"Finance\",\"fr\":\"Finances\"}},{\"slug\":\"led\",\"name\":{\"en\":\"led\"}}]") != NULL,
		  "%s", first);
	cr_assert(strstr(first, "\"published\":false") != NULL);
	/* the fields facilitators manage come back in their place */
	cr_assert(strstr(first, "\"location\":{\"virtual\":true,\"meeting_link\":"
				"\"https://meet.example.org/r?id=1&x=%20\"}") != NULL, "%s", first);
	cr_assert(strstr(first, "\"participation\":\"registration\",\"capacity\":30,"
				"\"needs_approval\":true,") != NULL, "%s", first);
	cr_assert(strstr(first, "\"participation\":\"invitation\",\"themes\"") != NULL,
		  "no capacity or approval written when there is none: %s", first);
	cr_assert(strstr(first, "\"context\":\"Ligne 1\\nLigne 2\"") != NULL);
	/* one line per event, each one parses again */
	int lines = 0;
	for (char *p = first; *p != '\0'; p++)
		lines += *p == '\n';
	cr_assert_eq(lines, 4);
	free(first);
	free(second);
	free(file);
}

Test(import, the_seed_line_comes_back_canonical, .init = setup, .fini = teardown)
{
	cr_assert_eq(import_string(db, seed, NULL), 1);
	long n;
	char *out = export_string(db, &n);
	cr_assert_eq(n, 1);
	struct arena *a = arena_new();
	struct event e;
	cr_assert_eq(events_get(db, a, "hmln-webinar-twinning-arrangements", &e), 0);
	char *line = events_to_json_line(&e);
	cr_assert_not_null(line);
	size_t len = strlen(line);
	cr_assert_eq(strncmp(out, line, len), 0);
	cr_assert_eq(out[len], '\n');
	cr_assert(strstr(line, "\"starts\":\"2018-07-11T09:00:00Z\",\"ends\":\"2018-07-11T11:00:00Z\"") != NULL);
	cr_assert(strstr(line, "\"location\":{\"virtual\":true}") != NULL);
	free(line);
	free(out);
	arena_free(a);
}

Test(import, reimport_updates_instead_of_duplicating, .init = setup, .fini = teardown)
{
	char *file = sample_file();
	cr_assert_eq(import_string(db, file, NULL), 4);
	cr_assert_eq(import_string(db, file, NULL), 4);
	cr_assert_eq(events_count(db), 4);
	char *changed = mutate(seed, "text.en.title", "\"Twinning arrangements (revised)\"");
	cr_assert_eq(import_string(db, changed, NULL), 1);
	cr_assert_eq(events_count(db), 4);
	struct arena *a = arena_new();
	struct event e;
	cr_assert_eq(events_get(db, a, "hmln-webinar-twinning-arrangements", &e), 0);
	cr_assert_str_eq(e.text[LANG_EN].title, "Twinning arrangements (revised)");
	cr_assert_str_eq(e.text[LANG_AR].objectives[0], "تبادل الخبرات");
	arena_free(a);
	free(changed);
	free(file);
}

Test(import, one_bad_line_imports_nothing, .init = setup, .fini = teardown)
{
	char *good2 = mutate(seed, "slug", "\"second\"");
	char *bad = mutate(seed, "type", "\"seminar\"");
	char file[16384];
	snprintf(file, sizeof(file), "%s\n\n%s\n%s\n", seed, bad, good2);
	char *errs = NULL;
	cr_assert_eq(import_string(db, file, &errs), -1);
	cr_assert(strstr(errs, "events.jsonl:3: type: must be one of") != NULL, "%s", errs);
	cr_assert(strstr(errs, "events.jsonl:1:") == NULL, "%s", errs);
	cr_assert_eq(events_count(db), 0);
	free(errs);
	free(good2);
	free(bad);
}

Test(import, every_bad_line_is_reported_up_to_twenty, .init = setup, .fini = teardown)
{
	/* 25 lines, all bad: 20 are named, in line order, then a count of the rest */
	char file[25 * 8 + 1];
	for (int i = 0; i < 25; i++)
		memcpy(file + i * 8, "{\"x\":1}\n", 9);
	char *errs = NULL;
	cr_assert_eq(import_string(db, file, &errs), -1);
	cr_assert(strstr(errs, "events.jsonl:1: unknown key \"x\"\nevents.jsonl:2: ") == errs, "%s", errs);
	cr_assert(strstr(errs, "events.jsonl:20: ") != NULL);
	cr_assert(strstr(errs, "events.jsonl:21: ") == NULL);
	cr_assert(strstr(errs, "events.jsonl: 5 more problems not shown") != NULL, "%s", errs);
	free(errs);
}

struct file_case {
	const char *name;
	const char *lines[3];	/* NULL-padded; each a key/value mutation of the seed */
	const char *values[3];
	const char *want;
};

Test(import, problems_across_lines, .init = setup, .fini = teardown)
{
	const struct file_case cases[] = {
		{"duplicate slug", {"highlight", "highlight"}, {"true", "false"},
		 "events.jsonl:2: duplicate slug \"hmln-webinar-twinning-arrangements\" (also on line 1)"},
		{"organiser renamed", {"slug", "organiser"},
		 {"\"other\"", "{\"slug\":\"cmi\",\"name\":{\"en\":\"CMI\"}}"},
		 "events.jsonl:2: organiser \"cmi\" has other names than on line 1"},
		{"unknown organiser", {"organiser"}, {"\"nobody\""},
		 "events.jsonl:1: unknown organiser \"nobody\""},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct file_case *k = &cases[c];
		char file[32768];
		size_t used = 0;
		for (int i = 0; i < 3 && k->lines[i] != NULL; i++) {
			char *l = mutate(seed, k->lines[i], k->values[i]);
			used += (size_t)snprintf(file + used, sizeof(file) - used, "%s\n", l);
			free(l);
		}
		cr_assert_lt(used, sizeof(file));
		char *errs = NULL;
		cr_expect_eq(import_string(db, file, &errs), -1, "%s", k->name);
		cr_expect(strstr(errs, k->want) != NULL, "%s: %s", k->name, errs);
		cr_expect_eq(events_count(db), 0, "%s", k->name);
		free(errs);
	}
	/* the same theme named differently on two lines */
	char *a = mutate(seed, "themes", "[{\"slug\":\"led\",\"name\":{\"en\":\"LED\"}}]");
	char *b0 = mutate(seed, "slug", "\"other\"");
	char *b = mutate(b0, "themes", "[{\"slug\":\"led\",\"name\":{\"en\":\"Local development\"}}]");
	char file[32768];
	snprintf(file, sizeof(file), "%s\n%s\n", a, b);
	char *errs = NULL;
	cr_expect_eq(import_string(db, file, &errs), -1);
	cr_expect(strstr(errs, "events.jsonl:2: theme \"led\" has other names than on line 1") != NULL,
		  "%s", errs);
	free(errs);
	free(a), free(b0), free(b);
}

Test(import, blank_lines_crlf_bom_and_empty_files, .init = setup, .fini = teardown)
{
	cr_assert_eq(import_string(db, "", NULL), 0);
	cr_assert_eq(import_string(db, "\n  \n\t\n", NULL), 0);
	char file[16384];
	snprintf(file, sizeof(file), "\xef\xbb\xbf%s\r\n\r\n", seed);
	char *errs = NULL;
	cr_assert_eq(import_string(db, file, &errs), 1, "%s", errs);
	free(errs);
	cr_assert_eq(events_count(db), 1);
}

Test(import, a_line_over_one_mebibyte, .init = setup, .fini = teardown)
{
	size_t big = 1024 * 1024 + 10;
	char *file = malloc(big + strlen(seed) + 4);
	memset(file, ' ', big);
	file[big] = '\n';
	memcpy(file + big + 1, seed, sizeof(seed));
	char *errs = NULL;
	cr_assert_eq(import_string(db, file, &errs), -1);
	cr_assert(strstr(errs, "events.jsonl:1: line longer than 1 MiB") != NULL, "%s", errs);
	cr_assert(strstr(errs, "events.jsonl:2:") == NULL, "the next line was misread: %s", errs);
	cr_assert_eq(events_count(db), 0);
	free(errs);
	free(file);
}
