/* test_svg: the server-drawn charts — escaping, clamping, right-to-left mirroring, the
 * empty chart, and that the output is one closed <svg> element without style or script. */
#include <criterion/criterion.h>
#include <string.h>

#include "render/render_svg.h"

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static char *
bars(const struct svg_item *it, size_t n, double max, int rtl)
{
	struct buf b = BUF_INIT;
	svg_bars(&b, "Milestones <done>", "desc & more", it, n, max, rtl, "No data");
	char *s = buf_detach(&b, NULL);
	return s;
}

Test(svg, bars_escape_labels_and_clamp_values)
{
	struct svg_item it[] = {
		{"<script>alert(1)</script>", 50, "50 %", NULL},
		{"Irbid \"&\" Gaziantep", 250, "250 %", "warn"},
		{"negative", -3, "-3", "good"},
	};
	char *s = bars(it, 3, 100, 0);
	cr_expect_eq(strncmp(s, "<svg ", 5), 0);
	cr_expect_eq(strcmp(s + strlen(s) - 6, "</svg>"), 0);
	cr_expect_null(strstr(s, "<script"), "%s", s);
	cr_expect_null(strstr(s, "style="), "no style attribute (CSP)");
	cr_expect_not_null(strstr(s, "&lt;script&gt;"));
	cr_expect_not_null(strstr(s, "Milestones &lt;done&gt;"));
	cr_expect_not_null(strstr(s, "role=\"img\""));
	cr_expect_eq(count(s, "class=\"track\""), 3);
	/* 250 of 100 is drawn as a full bar, -3 as none */
	cr_expect_not_null(strstr(s, "width=\"300.0\""), "%s", s);
	cr_expect_not_null(strstr(s, "width=\"0.0\""), "%s", s);
	cr_expect_not_null(strstr(s, "class=\"bar warn\""));
	free(s);
}

Test(svg, rtl_mirrors_bars_to_grow_from_the_right)
{
	struct svg_item it[] = {{"إربد", 50, "٥٠٪", NULL}};
	char *ltr = bars(it, 1, 100, 0), *rtl = bars(it, 1, 100, 1);
	/* LTR: the bar starts after the label column; RTL: it ends before it, at the right */
	cr_expect_not_null(strstr(ltr, "class=\"bar\" x=\"220.0\""), "%s", ltr);
	cr_expect_not_null(strstr(rtl, "class=\"bar\" x=\"230.0\""), "%s", rtl);
	cr_expect_not_null(strstr(rtl, "direction=\"rtl\""));
	cr_expect_not_null(strstr(rtl, "إربد"));
	free(ltr);
	free(rtl);
}

Test(svg, empty_charts_say_so)
{
	char *s = bars(NULL, 0, 0, 0);
	cr_expect_not_null(strstr(s, "No data"));
	cr_expect_eq(count(s, "<rect"), 0);
	free(s);
	struct buf b = BUF_INIT;
	svg_columns(&b, "Reports", NULL, NULL, 0, 0, 1, "None yet");
	cr_expect_not_null(strstr(buf_cstr(&b), "None yet"));
	buf_free(&b);
}

Test(svg, columns_run_right_to_left_in_rtl)
{
	struct svg_item it[] = {{"Q1", 1, "1", NULL}, {"Q2", 2, "2", NULL}};
	struct buf l = BUF_INIT, r = BUF_INIT;
	svg_columns(&l, "Reports per quarter", "", it, 2, 2, 0, "");
	svg_columns(&r, "Reports per quarter", "", it, 2, 2, 1, "");
	const char *q1l = strstr(buf_cstr(&l), ">Q1<"), *q2l = strstr(buf_cstr(&l), ">Q2<");
	cr_expect(q1l != NULL && q2l != NULL && q1l < q2l);
	/* same document order, but Q1's column is now the rightmost: x of Q1 > x of Q2 */
	cr_expect_not_null(strstr(buf_cstr(&r), "x=\"74.0\" y=\"78.0\""), "%s", buf_cstr(&r));
	cr_expect_eq(count(buf_cstr(&r), "<rect"), 2);
	buf_free(&l);
	buf_free(&r);
}

Test(svg, two_line_column_labels)
{
	struct svg_item it[] = {{"Q3\n2026", 1, "1", NULL}};
	struct buf b = BUF_INIT;
	svg_columns(&b, "t", "", it, 1, 1, 0, "");
	cr_expect_not_null(strstr(buf_cstr(&b), ">Q3</text>"), "%s", buf_cstr(&b));
	cr_expect_not_null(strstr(buf_cstr(&b), ">2026</text>"));
	cr_expect_null(strstr(buf_cstr(&b), "\n"));
	buf_free(&b);
}
