/* test_http: the router, query and percent-decoding, Accept-Language, gzip negotiation. */
#include <criterion/criterion.h>
#include <string.h>

#include "http/http.h"
#include "http/http_internal.h"

static enum http_error
h_a(struct request *req, struct response *res)
{
	return HTTP_OK;
}
static enum http_error
h_b(struct request *req, struct response *res)
{
	return HTTP_OK;
}
static enum http_error
h_c(struct request *req, struct response *res)
{
	return HTTP_OK;
}

static const struct route routes[] = {
	{HTTP_GET | HTTP_HEAD, "/", h_a, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/", h_a, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events", h_b, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}.ics", h_c, 0},
	{HTTP_GET | HTTP_HEAD, "/{lang}/events/{slug}", h_b, 0},
	{HTTP_POST, "/{lang}/events/{slug}/rsvp", h_c, 0},
	{HTTP_GET, "/static/{file}", h_a, 0},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

struct route_case {
	const char *path;
	unsigned method;
	int route;		/* index in routes, -1 none */
	unsigned allowed;	/* when none */
	int lang_bad;
	const char *cap0, *cap1;
};

static const struct route_case route_cases[] = {
	{"/", HTTP_GET, 0, 0, 0, NULL, NULL},
	{"/ar/", HTTP_GET, 1, 0, 0, "ar", NULL},
	{"/ar", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/fr/events", HTTP_HEAD, 2, 0, 0, "fr", NULL},
	{"/fr/events/", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/en/events/hmln-webinar", HTTP_GET, 4, 0, 0, "en", "hmln-webinar"},
	{"/en/events/hmln-webinar.ics", HTTP_GET, 3, 0, 0, "en", "hmln-webinar"},
	{"/en/events/.ics", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/en/events/Upper", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/en/events/a_b", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/de/events", HTTP_GET, -1, 0, 1, NULL, NULL},
	{"/EN/events", HTTP_GET, -1, 0, 1, NULL, NULL},
	{"/en/events", HTTP_POST, -1, HTTP_GET | HTTP_HEAD, 0, NULL, NULL},
	{"/en/events/x/rsvp", HTTP_POST, 5, 0, 0, "en", "x"},
	{"/en/events/x/rsvp", HTTP_GET, -1, HTTP_POST, 0, NULL, NULL},
	{"/en/events", 0, -1, HTTP_GET | HTTP_HEAD, 0, NULL, NULL},
	{"/static/style.1a2b.css", HTTP_GET, 6, 0, 0, "style.1a2b.css", NULL},
	{"/static/.hidden", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/static/a/b", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"/nothing/here", HTTP_GET, -1, 0, 0, NULL, NULL},
	{"//", HTTP_GET, -1, 0, 0, NULL, NULL},
};

Test(route, table)
{
	for (size_t i = 0; i < sizeof(route_cases) / sizeof(route_cases[0]); i++) {
		const struct route_case *c = &route_cases[i];
		struct arena *a = arena_new();
		const char *caps[4];
		size_t nc;
		unsigned allowed;
		int lang_bad;
		const struct route *r = http_route_match(routes, N_ROUTES, c->path, c->method, a,
							 caps, &nc, &allowed, &lang_bad);
		if (c->route < 0) {
			cr_expect_null(r, "%s should not match", c->path);
			cr_expect_eq(allowed, c->allowed, "%s allowed %u", c->path, allowed);
			cr_expect_eq(lang_bad, c->lang_bad, "%s lang_bad", c->path);
		} else {
			cr_expect_eq(r, &routes[c->route], "%s matched the wrong route", c->path);
			if (c->cap0)
				cr_expect_str_eq(caps[0], c->cap0, "%s capture 0", c->path);
			if (c->cap1)
				cr_expect_str_eq(caps[1], c->cap1, "%s capture 1", c->path);
		}
		arena_free(a);
	}
}

struct decode_case {
	const char *in;
	int plus;
	int ok;
	const char *out;
};

static const struct decode_case decode_cases[] = {
	{"abc", 0, 1, "abc"},
	{"a%20b", 0, 1, "a b"},
	{"a+b", 1, 1, "a b"},
	{"a+b", 0, 1, "a+b"},
	{"%D8%AA%D9%88%D8%A3%D9%85%D8%A9", 0, 1, "توأمة"},
	{"%c3%a9", 0, 1, "é"},
	{"%", 0, 0, NULL},
	{"%4", 0, 0, NULL},
	{"%zz", 0, 0, NULL},
	{"%00", 0, 0, NULL},
	{"%C3", 0, 0, NULL},		/* truncated UTF-8 */
	{"%C0%AF", 0, 0, NULL},		/* overlong "/" */
	{"%ED%A0%80", 0, 0, NULL},	/* surrogate */
	{"%F4%90%80%80", 0, 0, NULL},	/* beyond U+10FFFF */
	{"\xff", 0, 0, NULL},
};

Test(query, percent_decode)
{
	for (size_t i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct decode_case *c = &decode_cases[i];
		struct arena *a = arena_new();
		char *out = NULL;
		int rc = http_percent_decode(a, c->in, strlen(c->in), c->plus, &out);
		cr_expect_eq(rc == 0, c->ok, "decode %s: rc %d", c->in, rc);
		if (c->ok && rc == 0)
			cr_expect_str_eq(out, c->out, "decode %s", c->in);
		arena_free(a);
	}
}

Test(query, parse_pairs)
{
	struct arena *a = arena_new();
	struct http_param *p;
	size_t n;
	cr_assert_eq(http_parse_query(a, "page=2&q=%D8%A8%D9%84%D8%AF%D9%8A%D8%A9+x&flag&&type=a&type=b",
				      &p, &n, 64), 0);
	cr_assert_eq(n, 5);
	cr_expect_str_eq(p[0].name, "page");
	cr_expect_str_eq(p[0].value, "2");
	cr_expect_str_eq(p[1].value, "بلدية x");
	cr_expect_str_eq(p[2].name, "flag");
	cr_expect_str_eq(p[2].value, "");
	cr_expect_str_eq(p[3].value, "a");
	cr_expect_str_eq(p[4].value, "b");
	cr_expect_eq(http_parse_query(a, "", &p, &n, 64), 0);
	cr_expect_eq(n, 0);
	cr_expect_eq(http_parse_query(a, "a=%zz", &p, &n, 64), -1);
	cr_expect_eq(http_parse_query(a, "a=1&b=2&c=3", &p, &n, 2), -1, "more pairs than allowed");
	arena_free(a);
}

struct lang_case {
	const char *header;
	enum lang want;
};

static const struct lang_case lang_cases[] = {
	{NULL, LANG_EN},
	{"", LANG_EN},
	{"ar", LANG_AR},
	{"ar-JO,ar;q=0.9,en;q=0.8", LANG_AR},
	{"fr-FR", LANG_FR},
	{"de-DE,de;q=0.9", LANG_EN},
	{"de,fr;q=0.5,ar;q=0.7", LANG_AR},
	{"en;q=0.2, fr;q=0.9", LANG_FR},
	{"ar;q=0, fr", LANG_FR},
	{"AR-jo", LANG_AR},
	{"*;q=0.5", LANG_EN},
	{";;;,,,q=", LANG_EN},
	{"fr;q=abc, ar;q=0.1", LANG_AR},
};

Test(lang, negotiate)
{
	for (size_t i = 0; i < sizeof(lang_cases) / sizeof(lang_cases[0]); i++)
		cr_expect_eq(lang_negotiate(lang_cases[i].header), lang_cases[i].want,
			     "Accept-Language \"%s\"", lang_cases[i].header ? lang_cases[i].header : "(none)");
}

Test(gzip, accepts)
{
	cr_expect(http_accepts_gzip("gzip"));
	cr_expect(http_accepts_gzip("gzip, deflate, br"));
	cr_expect(http_accepts_gzip("br;q=1.0, gzip;q=0.8"));
	cr_expect(!http_accepts_gzip("gzip;q=0"));
	cr_expect(!http_accepts_gzip("gzip;q=0.000"));
	cr_expect(!http_accepts_gzip("identity"));
	cr_expect(!http_accepts_gzip("xgzip"));
	cr_expect(!http_accepts_gzip(NULL));
}
