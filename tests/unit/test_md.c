/* test_md: Markdown to safe HTML, inline items and plain text. */
#include <criterion/criterion.h>
#include <string.h>

#include "core/core_arena.h"
#include "render/render_md.h"

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

TestSuite(md, .init = setup, .fini = teardown);

struct md_case {
	const char *md, *html;
};

Test(md, blocks)
{
	static const struct md_case cases[] = {
		{"Hello *world*", "<p>Hello <em>world</em></p>\n"},
		{"- a\n- b **c**", "<ul>\n<li>a</li>\n<li>b <strong>c</strong></li>\n</ul>\n"},
		{"1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n"},
		{"# Title\n\ntext", "<h1>Title</h1>\n<p>text</p>\n"},
		{"a \"quoted\" -- text", "<p>a &quot;quoted&quot; -- text</p>\n"},	/* no SMART */
		{"", ""},
		{"\xff bad", "<p>\xef\xbf\xbd bad</p>\n"},	/* invalid UTF-8 replaced */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(md_block(a, cases[i].md), cases[i].html, "%s", cases[i].md);
	cr_expect_str_eq(md_block(a, NULL), "");
}

Test(md, raw_html_is_dropped)
{
	static const struct md_case cases[] = {
		{"a <script>alert(1)</script> b", "<p>a alert(1) b</p>\n"},
		{"<div onclick=\"x()\">hi</div>\n\ntext", "<p>text</p>\n"},
		{"<script>\nalert(1)\n</script>", ""},
		{"x <img src=x onerror=alert(1)> y", "<p>x  y</p>\n"},
		{"`<b>code</b>`", "<p><code>&lt;b&gt;code&lt;/b&gt;</code></p>\n"},
		{"&lt;b&gt;", "<p>&lt;b&gt;</p>\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *html = md_block(a, cases[i].md);
		cr_expect_str_eq(html, cases[i].html, "%s", cases[i].md);
		cr_expect_null(strstr(html, "omitted"), "%s", html);
	}
}

Test(md, unsafe_links_are_dropped)
{
	static const struct md_case cases[] = {
		{"[x](javascript:alert(1))", "<p>x</p>\n"},
		{"[x](JaVaScRiPt:alert(1))", "<p>x</p>\n"},
		{"[x](&#106;avascript:alert(1))", "<p>x</p>\n"},
		{"[x](<java\tscript:alert(1)>)", "<p>x</p>\n"},
		{"[x](java&#9;script:alert(1))", "<p>x</p>\n"},
		{"[x](<javascript :alert(1)>)", "<p>x</p>\n"},
		{"[x](vbscript:msgbox)", "<p>x</p>\n"},
		{"[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>\n"},
		{"[x](file:///etc/passwd)", "<p>x</p>\n"},
		{"<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n"},
		{"![alt *text*](javascript:alert(1))", "<p>alt <em>text</em></p>\n"},
		{"[x][r]\n\n[r]: javascript:alert(1)", "<p>x</p>\n"},
		{"[ok](https://example.org/a?b=c&d)", "<p><a href=\"https://example.org/a?b=c&amp;d\">ok</a></p>\n"},
		{"[ok](/events/1)", "<p><a href=\"/events/1\">ok</a></p>\n"},
		{"[ok](page:1)", "<p>ok</p>\n"},
		{"[ok](a/b:c)", "<p><a href=\"a/b:c\">ok</a></p>\n"},
		{"<mailto:info@example.org>", "<p><a href=\"mailto:info@example.org\">mailto:info@example.org</a></p>\n"},
		{"![logo](/static/logo.svg)", "<p><img src=\"/static/logo.svg\" alt=\"logo\" /></p>\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(md_block(a, cases[i].md), cases[i].html, "%s", cases[i].md);
}

Test(md, inline_items)
{
	static const struct md_case cases[] = {
		{"Learn *more* about [LED](/themes/led)",
		 "Learn <em>more</em> about <a href=\"/themes/led\">LED</a>"},
		{"Share experiences\n", "Share experiences"},
		{"- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"one\n\ntwo", "<p>one</p>\n<p>two</p>\n"},
		{"<b>x</b> y", "x y"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(md_inline(a, cases[i].md), cases[i].html, "%s", cases[i].md);
	cr_expect_str_eq(md_inline(a, NULL), "");
}

Test(md, plain_text)
{
	static const struct {
		const char *md;
		size_t max;
		const char *plain;
	} cases[] = {
		{"# Title\n\nSome *text*  here.\n\n- a\n- b", 0, "Title Some text here. a b"},
		{"  lead\n\n\n&nbsp;\n\ntrail  ", 0, "lead trail"},
		{"a [link](http://x) and `code` <b>x</b>", 0, "a link and code x"},
		{"line one\nline two\\\nthree", 0, "line one line two three"},
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"abcd", 1, "…"},
		{"ab cd", 4, "ab…"},	/* no space before the ellipsis */
		{"مرحبا بالعالم", 6, "مرحبا…"},
		{"مرحبا بالعالم", 8, "مرحبا ب…"},
		{"مرحبا بالعالم", 13, "مرحبا بالعالم"},
		{"مرحبا بالعالم", 12, "مرحبا بالعا…"},
		{"😀😀😀", 2, "😀…"},
		{"", 5, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(md_plain(a, cases[i].md, cases[i].max), cases[i].plain, "%s (%zu)",
				 cases[i].md, cases[i].max);
	cr_expect_str_eq(md_plain(a, NULL, 10), "");
}

static size_t
utf8_chars(const char *s, int *valid)
{
	size_t n = 0;
	*valid = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; n++) {
		size_t len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
		if (len == 0) {
			*valid = 0;
			return n;
		}
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80) {
				*valid = 0;
				return n;
			}
		}
		p += len;
	}
	return n;
}

Test(md, plain_cut_is_valid_utf8_at_every_length)
{
	const char *md = "لدعم الحكومات المحلية التي تواجه *تدفق* أعداد كبيرة 😀 من النازحين قسراً";
	size_t full = utf8_chars(md_plain(a, md, 0), &(int){0});
	for (size_t max = 1; max <= full + 2; max++) {
		int valid;
		const char *s = md_plain(a, md, max);
		size_t n = utf8_chars(s, &valid);
		cr_expect(valid, "max %zu: invalid UTF-8 in %s", max, s);
		cr_expect_leq(n, max, "max %zu gave %zu characters: %s", max, n, s);
		if (max < full)
			cr_expect(strstr(s, "…") != NULL, "max %zu not marked as cut: %s", max, s);
		else
			cr_expect_null(strstr(s, "…"), "max %zu cut: %s", max, s);
	}
}
