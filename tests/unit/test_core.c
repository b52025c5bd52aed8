/* test_core: UTF-8, RFC 3339 times, arena and buffer. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_time.h"
#include "core/core_utf8.h"

struct utf8_case {
	const char *s;
	int valid;
};

static const struct utf8_case utf8_cases[] = {
	{"", 1},
	{"ascii", 1},
	{"توأمة", 1},
	{"Événement", 1},
	{"\xF0\x9F\x98\x80", 1},	/* emoji */
	{"\xC3", 0},
	{"\xC0\x80", 0},
	{"\xE0\x80\xAF", 0},
	{"\xED\xA0\x80", 0},
	{"\xF5\x80\x80\x80", 0},
	{"\x80", 0},
	{"a\xFE", 0},
};

Test(utf8, valid)
{
	for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++)
		cr_expect_eq(utf8_valid(utf8_cases[i].s, strlen(utf8_cases[i].s)),
			     utf8_cases[i].valid, "case %zu", i);
	cr_expect_eq(utf8_valid("a\0b", 3), 0, "NUL is refused");
}

Test(utf8, length_and_prefix)
{
	const char *s = "توأمة ab";
	cr_expect_eq(utf8_length(s, strlen(s)), 8);
	cr_expect_eq(utf8_prefix(s, strlen(s), 2), 4);
	cr_expect_eq(utf8_prefix(s, strlen(s), 100), strlen(s));
}

struct time_case {
	const char *s;
	int ok;
	int64_t t;
};

static const struct time_case time_cases[] = {
	{"2018-07-11T09:00:00Z", 1, 1531299600},
	{"2018-07-11T12:00:00+03:00", 1, 1531299600},
	{"2018-07-11T09:00:00.250Z", 1, 1531299600},
	{"1970-01-01T00:00:00Z", 1, 0},
	{"2024-02-29T00:00:00Z", 1, 1709164800},
	{"2023-02-29T00:00:00Z", 0, 0},
	{"2018-13-01T00:00:00Z", 0, 0},
	{"2018-07-11 09:00:00Z", 0, 0},
	{"2018-07-11T24:00:00Z", 0, 0},
	{"2018-07-11T09:00:00", 0, 0},
	{"1800-01-01T00:00:00Z", 0, 0},
	{"2018-07-11T09:00:00+3:00", 0, 0},
	{"", 0, 0},
};

Test(time, rfc3339)
{
	for (size_t i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		int64_t t = -1;
		int rc = time_parse_rfc3339(time_cases[i].s, &t);
		cr_expect_eq(rc == 0, time_cases[i].ok, "%s", time_cases[i].s);
		if (time_cases[i].ok)
			cr_expect_eq(t, time_cases[i].t, "%s gave %lld", time_cases[i].s, (long long)t);
	}
	char out[32];
	time_format_rfc3339(1531299600, out);
	cr_expect_str_eq(out, "2018-07-11T09:00:00Z");
	time_format_rfc3339(-86400, out);
	cr_expect_str_eq(out, "1969-12-31T00:00:00Z");
	int64_t d;
	cr_expect_eq(time_parse_date("2026-11-29", &d), 0);
	time_format_rfc3339(d, out);
	cr_expect_str_eq(out, "2026-11-29T00:00:00Z");
	cr_expect_eq(time_parse_date("2026-11-31", &d), -1);
	cr_expect_eq(time_parse_date("1800-01-01", &d), -1);
}

static int freed;

static void
count_free(void *p)
{
	freed += *(int *)p;
}

Test(arena, alloc_and_defer)
{
	struct arena *a = arena_new();
	for (int i = 0; i < 1000; i++) {
		char *p = arena_alloc(a, 100);
		cr_assert_eq(((uintptr_t)p) % 16, 0);
		cr_assert_eq(p[99], 0);
	}
	char *big = arena_alloc(a, 100000);
	big[99999] = 'x';
	cr_expect_str_eq(arena_printf(a, "%s-%d", "a", 7), "a-7");
	cr_expect_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	freed = 0;
	int *one = arena_alloc(a, sizeof(int));
	*one = 1;
	arena_defer(a, count_free, one);
	arena_defer(a, count_free, one);
	arena_free(a);
	cr_expect_eq(freed, 2, "both deferred functions ran");
}

Test(buf, sticky_limit)
{
	struct buf b = BUF_INIT;
	b.limit = 10;
	buf_puts(&b, "12345");
	buf_printf(&b, "%d", 678);
	cr_expect_eq(b.failed, 0);
	buf_puts(&b, "too long now");
	cr_expect_eq(b.failed, 1);
	buf_puts(&b, "x");
	cr_expect_str_eq(buf_cstr(&b), "12345678");
	buf_free(&b);
}
