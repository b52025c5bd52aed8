/* test_tmpl: the template engine: escaping, blocks, scopes, includes, errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "render/render_tmpl.h"

static char err[256];

/* Loads one template "t" and renders it with the JSON text ctx; returns the
 * malloc'ed output, or NULL when loading failed (err says why). */
static char *
render1(const char *src, const char *ctx)
{
	const char *names[] = {"t"};
	struct tmpl_set *set;
	if (tmpl_load_sources(&set, names, &src, 1, err, sizeof(err)) < 0)
		return NULL;
	json_error_t jerr;
	json_t *j = json_loads(ctx != NULL ? ctx : "{}", JSON_DECODE_ANY, &jerr);
	cr_assert_not_null(j, "bad test JSON %s: %s", ctx, jerr.text);
	struct buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(tmpl_get(set, "t"), j, &out), 0);
	json_decref(j);
	tmpl_set_free(set);
	char *r = strdup(buf_cstr(&out));
	buf_free(&out);
	return r;
}

static void
expect(const char *src, const char *ctx, const char *want)
{
	char *got = render1(src, ctx);
	cr_assert_not_null(got, "%s: load failed: %s", src, err);
	cr_expect_str_eq(got, want, "template %s with %s", src, ctx);
	free(got);
}

struct render_case {
	const char *src, *ctx, *want;
};

static void
run_cases(const struct render_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect(c[i].src, c[i].ctx, c[i].want);
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))

Test(tmpl, filters_escape_hostile_data)
{
	static const struct render_case cases[] = {
		{"{{ x }}", "{\"x\": \"\\\"><script>alert('x')&</script>\"}",
		 "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&amp;&lt;/script&gt;"},
		{"<a title=\"{{x}}\">", "{\"x\": \"\\\" onmouseover=\\\"go()\"}",
		 "<a title=\"&quot; onmouseover=&quot;go()\">"},
		{"{{ x | url }}", "{\"x\": \"a b/\u00e9?&=#%+~._-Z9\"}",
		 "a%20b%2F%C3%A9%3F%26%3D%23%25%2B~._-Z9"},
		{"/s?q={{x|url}}", "{\"x\": \"\\\"><script>\"}", "/s?q=%22%3E%3Cscript%3E"},
		{"{{ x | raw }}", "{\"x\": \"<p>a &amp; b</p>\"}", "<p>a &amp; b</p>"},
		{"{{ x | json }}", "{\"x\": \"</script><b>&\"}",
		 "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\""},
		{"{{ x | json }}", "{\"x\": {\"a\": [1, \"t\u00e9\", null, true]}}",
		 "{\"a\":[1,\"t\u00e9\",null,true]}"},
		{"{{ x | json }}", "{\"x\": \"\u062a\u0648\u0623\u0645\u0629\"}",
		 "\"\u062a\u0648\u0623\u0645\u0629\""},
		{"{{ missing | json }}", "{}", "null"},
		{"{{ x }}|{{ y }}|{{ z }}", "{\"x\": 42, \"y\": -7, \"z\": 1.5}", "42|-7|1.5"},
		{"{{ x }}", "{\"x\": 0.1}", "0.1"},
		{"{{ t }} {{ f }}", "{\"t\": true, \"f\": false}", "true false"},
		{"[{{ n }}{{ missing }}{{ arr }}{{ obj }}]", "{\"n\": null, \"arr\": [1], \"obj\": {}}",
		 "[]"},
		{"{{ x | url }}", "{\"x\": 12}", "12"},
		{"{{ x }}", "{\"x\": \"\u062a\u0648\u0623\u0645\u0629\"}", "\u062a\u0648\u0623\u0645\u0629"},
	};
	RUN(cases);
}

Test(tmpl, text_is_output_exactly)
{
	expect("  a\n\t<b>{{ x }}</b>  \n\n {{! a comment }}end\n", "{\"x\": \"v\"}",
	       "  a\n\t<b>v</b>  \n\n end\n");
	expect("{\"json\": {\"nested\": 1}}", "{}", "{\"json\": {\"nested\": 1}}");
	expect("", "{}", "");
}

Test(tmpl, escapers_directly)
{
	struct buf b = BUF_INIT;
	html_escape(&b, "&<>\"'x\u00e9");
	html_escape(&b, NULL);
	cr_expect_str_eq(buf_cstr(&b), "&amp;&lt;&gt;&quot;&#39;x\u00e9");
	buf_reset(&b);
	url_escape(&b, "AZaz09-._~ !*'();:@&=+$,/?#[]\u0645");
	cr_expect_str_eq(buf_cstr(&b),
			 "AZaz09-._~%20%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%D9%85");
	buf_free(&b);
}

Test(tmpl, truthiness_table)
{
	static const struct {
		const char *value;
		int truthy;
	} rows[] = {
		{NULL, 0}, {"null", 0}, {"false", 0}, {"true", 1}, {"0", 0}, {"1", 1},
		{"-1", 1}, {"0.0", 0}, {"0.5", 1}, {"\"\"", 0}, {"\"0\"", 1}, {"\" \"", 1},
		{"[]", 0}, {"[0]", 1}, {"{}", 0}, {"{\"a\": 0}", 1},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char ctx[64];
		if (rows[i].value != NULL)
			snprintf(ctx, sizeof(ctx), "{\"v\": %s}", rows[i].value);
		else
			snprintf(ctx, sizeof(ctx), "{}");
		expect("{{#if v}}T{{#else}}F{{/if}}", ctx, rows[i].truthy ? "T" : "F");
		expect("{{#if v}}T{{/if}}", ctx, rows[i].truthy ? "T" : "");
		expect("{{#unless v}}U{{#else}}E{{/unless}}", ctx, rows[i].truthy ? "E" : "U");
		expect("{{#unless v}}U{{/unless}}", ctx, rows[i].truthy ? "" : "U");
	}
}

Test(tmpl, paths)
{
	static const struct render_case cases[] = {
		{"{{ a.b.c }}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", "deep"},
		{"{{ a.b.c }}", "{\"a\": {\"b\": 5}}", ""},
		{"{{ items.1.name }}", "{\"items\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}", "y"},
		{"{{ items.9.name }}", "{\"items\": []}", ""},
		{"{{ . }}", "\"root\"", "root"},
		{"{{ my-key }}{{ _x }}", "{\"my-key\": 1, \"_x\": 2}", "12"},
		{"{{#if a.b}}yes{{/if}}", "{\"a\": {\"b\": [1]}}", "yes"},
	};
	RUN(cases);
}

Test(tmpl, each_with_specials)
{
	static const struct render_case cases[] = {
		{"{{#each items}}{{@index}}:{{ . }}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}",
		 "{\"items\": [\"a\", \"b\", \"c\"]}", "0:aF,1:b,2:cL,"},
		{"{{#each items}}{{@first}}/{{@last}} {{/each}}", "{\"items\": [1]}", "true/true "},
		{"{{#each items}}x{{#else}}none{{/each}}", "{\"items\": []}", "none"},
		{"{{#each items}}x{{#else}}none{{/each}}", "{\"items\": \"not an array\"}", "none"},
		{"{{#each items}}x{{/each}}", "{}", ""},
		{"{{@index}}{{#if @first}}no{{/if}}[{{ @last | json }}]", "{}", "[null]"},
		{"{{#each xs}}{{#unless @last}}{{ . }}, {{#else}}{{ . }}{{/unless}}{{/each}}",
		 "{\"xs\": [\"ar\", \"en\", \"fr\"]}", "ar, en, fr"},
		{"{{#each xs}}{{ @index | json }}{{/each}}", "{\"xs\": [0, 0]}", "01"},
	};
	RUN(cases);
}

Test(tmpl, each_looks_up_outward)
{
	expect("{{#each people}}{{ name }}@{{ city }}/{{ site.name }};{{/each}}",
	       "{\"city\": \"Amman\", \"site\": {\"name\": \"HMLN\"},"
	       " \"people\": [{\"name\": \"Rana\"}, {\"name\": \"Ali\", \"city\": \"Irbid\"}]}",
	       "Rana@Amman/HMLN;Ali@Irbid/HMLN;");
	/* a name found on the item hides the outer one, even when false or null */
	expect("{{#each xs}}{{#if flag}}T{{#else}}F{{/if}}{{/each}}",
	       "{\"flag\": true, \"xs\": [{}, {\"flag\": false}, {\"flag\": null}]}", "TFF");
}

Test(tmpl, nested_each)
{
	expect("{{#each rows}}[{{#each cells}}{{@index}}{{ . }}{{ label }}{{#if @last}}!{{/if}}"
	       "{{/each}}:{{@index}}]{{/each}}",
	       "{\"label\": \"-\", \"rows\": [{\"cells\": [\"a\", \"b\"]},"
	       " {\"label\": \"+\", \"cells\": [\"c\"]}]}",
	       "[0a-1b-!:0][0c+!:1]");
}

Test(tmpl, includes)
{
	const char *names[] = {"page", "events/card", "layout/head"};
	const char *srcs[] = {
		"{{> layout/head}}<ul>{{#each events}}{{> events/card }}{{/each}}</ul>",
		"<li>{{ title }} ({{ site }}, #{{@index}})</li>",
		"<title>{{ site }}</title>",
	};
	struct tmpl_set *set;
	cr_assert_eq(tmpl_load_sources(&set, names, srcs, 3, err, sizeof(err)), 0, "%s", err);
	json_t *ctx = json_pack("{s:s, s:[{s:s}, {s:s}]}", "site", "HMLN", "events", "title",
				"Twinning <1>", "title", "LED");
	struct buf out = BUF_INIT;
	cr_assert_eq(tmpl_render(tmpl_get(set, "page"), ctx, &out), 0);
	cr_expect_str_eq(buf_cstr(&out), "<title>HMLN</title><ul><li>Twinning &lt;1&gt; (HMLN, #0)"
					  "</li><li>LED (HMLN, #1)</li></ul>");
	cr_expect_null(tmpl_get(set, "events/none"));
	cr_expect_null(tmpl_get(set, "card"));
	cr_expect_not_null(tmpl_get(set, "events/card"));
	json_decref(ctx);
	buf_free(&out);
	tmpl_set_free(set);
}

/* Loads the sources and expects a load error containing want. */
static void
expect_load_error(const char *const *names, const char *const *srcs, size_t n, const char *want)
{
	struct tmpl_set *set = (struct tmpl_set *)1;
	cr_expect_eq(tmpl_load_sources(&set, names, srcs, n, err, sizeof(err)), -1,
		     "loaded but expected %s", want);
	cr_expect_null(set);
	cr_expect(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"", err, want);
}

Test(tmpl, include_errors)
{
	const char *cyc_names[] = {"a", "b"};
	const char *cyc_srcs[] = {"A{{> b}}", "\nB{{> a}}"};
	expect_load_error(cyc_names, cyc_srcs, 2, "include cycle");

	const char *self_names[] = {"a"};
	const char *self_srcs[] = {"{{#if x}}{{> a}}{{/if}}"};
	expect_load_error(self_names, self_srcs, 1, "a:1: include cycle");

	const char *unk_srcs[] = {"x\ny\n{{> nowhere }}"};
	expect_load_error(self_names, unk_srcs, 1, "a:3: unknown include \"nowhere\"");

	const char *dup_names[] = {"a", "a"};
	const char *dup_srcs[] = {"1", "2"};
	expect_load_error(dup_names, dup_srcs, 2, "defined twice");

	const char *bad_names[] = {"../etc"};
	expect_load_error(bad_names, dup_srcs, 1, "bad name");
}

Test(tmpl, include_depth_limit)
{
	/* t0 includes t1 ... includes tN: 16 includes pass, 17 are refused */
	for (int depth = 16; depth <= 17; depth++) {
		char names[18][16], srcs[18][40];
		const char *np[18], *sp[18];
		for (int i = 0; i <= depth; i++) {
			snprintf(names[i], sizeof(names[i]), "t%d", i);
			if (i < depth)
				snprintf(srcs[i], sizeof(srcs[i]), "%d{{> t%d}}", i, i + 1);
			else
				snprintf(srcs[i], sizeof(srcs[i]), "end");
			np[i] = names[i];
			sp[i] = srcs[i];
		}
		struct tmpl_set *set;
		int rc = tmpl_load_sources(&set, np, sp, (size_t)depth + 1, err, sizeof(err));
		if (depth == 16) {
			cr_assert_eq(rc, 0, "%s", err);
			struct buf out = BUF_INIT;
			cr_expect_eq(tmpl_render(tmpl_get(set, "t0"), NULL, &out), 0);
			cr_expect_str_eq(buf_cstr(&out), "0123456789101112131415end");
			buf_free(&out);
			tmpl_set_free(set);
		} else {
			cr_expect_eq(rc, -1);
			cr_expect(strstr(err, "includes nested deeper than 16") != NULL, "%s", err);
		}
	}
}

Test(tmpl, parse_errors_name_line_reason)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
		{"line1\n{{#if x}}\nno close", "t:2: {{#if}} is never closed"},
		{"a\nb\n{{/if}}", "t:3: {{/if}} without {{#if}}"},
		{"{{#if a}}\n{{/each}}", "t:2: {{/each}} closes {{#if}} opened at line 1"},
		{"{{#each a}}{{#if b}}{{/each}}{{/if}}", "t:1: {{/each}} closes {{#if}}"},
		{"{{ x ", "t:1: expected \"}}\""},
		{"{{ x }", "t:1: expected \"}}\""},
		{"\n\n{{", "t:3: unclosed \"{{\""},
		{"{{ x | upper }}", "t:1: unknown filter \"upper\""},
		{"{{ a..b }}", "t:1: bad name \"a..b\""},
		{"{{ a. }}", "bad name"},
		{"{{ .a }}", "bad name"},
		{"{{ a<b }}", "bad name"},
		{"{{}}", "t:1: missing name"},
		{"{{#if}}{{/if}}", "t:1: missing name"},
		{"x{{#else}}", "t:1: {{#else}} outside"},
		{"{{#if a}}\n{{#else}}\n{{#else}}{{/if}}", "t:3: second {{#else}} in {{#if}} opened at line 1"},
		{"{{ _ \"unterminated }}", "t:1: unterminated msgid"},
		{"{{ _ \"\" }}", "t:1: empty msgid"},
		{"{{ _ Starts }}", "t:1: expected a quoted msgid"},
		{"{{ _ \"a\\n\" }}", "t:1: bad escape"},
		{"\n{{! comment", "t:2: unclosed comment"},
		{"{{#foo x}}{{/foo}}", "t:1: unknown block {{#foo}}"},
		{"{{>}}", "t:1: bad include name"},
		{"{{> ../x}}", "t:1: bad include name \"../x\""},
		{"{{> a//b}}", "t:1: bad include name"},
		{"{{ a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q }}", "more than 16 parts"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = render1(cases[i].src, "{}");
		cr_expect_null(got, "%s loaded", cases[i].src);
		free(got);
		cr_expect(strstr(err, cases[i].want) != NULL, "%s: error \"%s\" lacks \"%s\"",
			  cases[i].src, err, cases[i].want);
	}
}

Test(tmpl, limits)
{
	/* 32 nested blocks load, 33 do not */
	struct buf src = BUF_INIT;
	for (int i = 0; i < 32; i++)
		buf_puts(&src, "{{#if x}}");
	buf_puts(&src, "deep");
	for (int i = 0; i < 32; i++)
		buf_puts(&src, "{{/if}}");
	expect(buf_cstr(&src), "{\"x\": 1}", "deep");
	buf_reset(&src);
	for (int i = 0; i < 33; i++)
		buf_puts(&src, "{{#each x}}");
	char *got = render1(buf_cstr(&src), "{}");
	cr_expect_null(got);
	cr_expect(strstr(err, "t:1: blocks nested deeper than 32") != NULL, "%s", err);

	/* nesting counts through includes */
	buf_reset(&src);
	for (int i = 0; i < 20; i++)
		buf_puts(&src, "{{#if x}}");
	buf_puts(&src, "{{> inner}}");
	for (int i = 0; i < 20; i++)
		buf_puts(&src, "{{/if}}");
	struct buf inner = BUF_INIT;
	for (int i = 0; i < 13; i++)
		buf_puts(&inner, "{{#if x}}");
	for (int i = 0; i < 13; i++)
		buf_puts(&inner, "{{/if}}");
	const char *names[] = {"outer", "inner"};
	const char *srcs[] = {buf_cstr(&src), buf_cstr(&inner)};
	expect_load_error(names, srcs, 2, "outer:1: blocks nested deeper than 32 through {{> inner}}");
	buf_free(&inner);

	/* a source over 256 KiB is refused */
	buf_reset(&src);
	for (int i = 0; i < 256 * 1024 / 8 + 1; i++)
		buf_puts(&src, "12345678");
	const char *big[] = {buf_cstr(&src)};
	const char *big_name[] = {"big"};
	expect_load_error(big_name, big, 1, "larger than");
	buf_free(&src);
}

Test(tmpl, translation_tag_without_catalog)
{
	/* no i18n_init: gettext returns the msgid, which is still escaped */
	expect("<b>{{ _ \"Starts\" }}</b>{{_\"a < \\\"b\\\" & c\"}}", "{}",
	       "<b>Starts</b>a &lt; &quot;b&quot; &amp; c");
	expect("{{ _ \"}} inside\" }}", "{}", "}} inside");
	expect("{{ _x }}", "{\"_x\": \"var\"}", "var");
}

Test(tmpl, render_reports_buffer_failure)
{
	const char *names[] = {"t"};
	const char *srcs[] = {"{{#each xs}}0123456789{{/each}}"};
	struct tmpl_set *set;
	cr_assert_eq(tmpl_load_sources(&set, names, srcs, 1, err, sizeof(err)), 0);
	json_t *ctx = json_pack("{s:[iiiiii]}", "xs", 1, 2, 3, 4, 5, 6);
	struct buf out = BUF_INIT;
	out.limit = 25;
	cr_expect_eq(tmpl_render(tmpl_get(set, "t"), ctx, &out), -1);
	cr_expect(out.failed);
	buf_free(&out);
	cr_expect_eq(tmpl_render(NULL, ctx, &out), -1);
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

Test(tmpl, embedded_templates_load)
{
	struct tmpl_set *set;
	cr_assert_eq(tmpl_load_embedded(&set, err, sizeof(err)), 0, "%s", err);
	tmpl_set_free(set);
}
