/* render_tmpl: parses templates once into node trees and renders them against JSON. */
#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_arena.h"
#include "core/core_embed.h"
#include "render/render_tmpl.h"

#define TMPL_MAX_SOURCE (256 * 1024)	/* bytes of one template */
#define TMPL_MAX_COUNT 1024		/* templates in a set */
#define TMPL_MAX_NEST 32		/* open blocks, counted through includes */
#define TMPL_MAX_INCLUDE 16		/* includes within includes */
#define TMPL_MAX_NAME 128		/* bytes of a value path or template name */
#define TMPL_MAX_SEGS 16		/* parts of a dotted path */

enum node_kind { N_TEXT, N_VAR, N_IF, N_UNLESS, N_EACH, N_INCLUDE, N_TRANSLATE };
enum filter { F_HTML, F_URL, F_RAW, F_JSON };
enum special { P_NAME, P_DOT, P_INDEX, P_FIRST, P_LAST };

/* One part of a dotted path; idx is its value when the part is all digits (an
 * array index), -1 otherwise. */
struct seg {
	const char *key;
	long idx;
};

struct path {
	enum special special;
	unsigned nseg;
	const struct seg *seg;
};

struct node {
	struct node *next;
	enum node_kind kind;
	int line;
	int nest;		/* N_INCLUDE: blocks open around it */
	const char *text;	/* N_TEXT bytes, N_TRANSLATE msgid, N_INCLUDE name */
	size_t len;
	struct path path;	/* N_VAR, N_IF, N_UNLESS, N_EACH */
	enum filter filter;	/* N_VAR */
	struct node *body, *alt;	/* blocks: {{#else}} part in alt */
	const struct tmpl *target;	/* N_INCLUDE, resolved at load */
	struct node *next_include;
};

struct tmpl {
	const char *name;
	struct node *root;
	struct node *includes;	/* its N_INCLUDE nodes, through next_include */
	int nest;		/* deepest block nesting, through includes once checked */
	int chain;		/* templates in the longest include chain from here */
	int mark;		/* include check: 0 unseen, 1 in progress, 2 done */
};

struct tmpl_set {
	struct arena *arena;	/* holds the set, its templates, nodes and strings */
	struct tmpl *t;		/* sorted by name */
	size_t n;
};

struct source {
	const char *name;
	size_t name_len;
	const char *text;
	size_t len;
};

struct parser {
	struct arena *a;
	struct tmpl *t;
	const char *p, *end;
	int line;
	char *err;
	size_t errlen;
};

/* An open block while parsing: where its next child goes. */
struct open {
	struct node *n;
	struct node **tail;
	int in_else;
	int line;
};

/* Keywords of the syntax; v is the enum value each stands for. */
struct word {
	const char *w;
	int v;
};

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))

static const struct word block_words[] = {{"if", N_IF}, {"unless", N_UNLESS}, {"each", N_EACH}};
static const struct word filter_words[] = {{"url", F_URL}, {"raw", F_RAW}, {"json", F_JSON}};
static const struct word special_words[] = {
	{".", P_DOT}, {"@index", P_INDEX}, {"@first", P_FIRST}, {"@last", P_LAST},
};

/* The entry of table t spelled exactly as the n bytes at s, or NULL. */
static const struct word *
find_word(const struct word *t, size_t nt, const char *s, size_t n)
{
	for (size_t i = 0; i < nt; i++)
		if (strlen(t[i].w) == n && memcmp(s, t[i].w, n) == 0)
			return &t[i];
	return NULL;
}

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Writes "name:line: reason" to the parser's err and returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail_at(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	set_err(ps->err, ps->errlen, "%s:%d: %s", ps->t->name, line, msg);
	return -1;
}

static const char *
block_word(enum node_kind k)
{
	for (size_t i = 0; i < NWORDS(block_words); i++)
		if (block_words[i].v == (int)k)
			return block_words[i].w;
	return "?";
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static void
count_lines(struct parser *ps, const char *from, const char *to)
{
	for (const char *q = from; (q = memchr(q, '\n', (size_t)(to - q))) != NULL; q++)
		ps->line++;
}

static void
skip_space(struct parser *ps)
{
	while (ps->p < ps->end && is_space(*ps->p)) {
		if (*ps->p == '\n')
			ps->line++;
		ps->p++;
	}
}

static int
expect_close(struct parser *ps, int line)
{
	skip_space(ps);
	if (ps->end - ps->p >= 2 && ps->p[0] == '}' && ps->p[1] == '}') {
		ps->p += 2;
		return 0;
	}
	return fail_at(ps, line, "expected \"}}\"");
}

/* The run of lower-case letters at p (a keyword or filter name). */
static size_t
word_at(struct parser *ps)
{
	const char *s = ps->p;
	while (ps->p < ps->end && *ps->p >= 'a' && *ps->p <= 'z' && ps->p - s < 16)
		ps->p++;
	return (size_t)(ps->p - s);
}

static struct node *
new_node(struct parser *ps, enum node_kind kind, int line)
{
	struct node *n = arena_alloc(ps->a, sizeof(*n));
	n->kind = kind;
	n->line = line;
	return n;
}

static void
append(struct open *o, struct node *n)
{
	*o->tail = n;
	o->tail = &n->next;
}

/* A value path: ".", "@index", "@first", "@last" or dotted names a.b.c, split
 * into parts here so rendering never has to. */
static int
parse_path(struct parser *ps, int line, struct path *out)
{
	const char *s = ps->p;
	while (ps->p < ps->end && !is_space(*ps->p) && *ps->p != '|' && *ps->p != '}')
		ps->p++;
	size_t n = (size_t)(ps->p - s);
	if (n == 0)
		return fail_at(ps, line, "missing name");
	if (n > TMPL_MAX_NAME)
		return fail_at(ps, line, "name longer than %d bytes", TMPL_MAX_NAME);
	memset(out, 0, sizeof(*out));
	const struct word *sp = find_word(special_words, NWORDS(special_words), s, n);
	if (sp != NULL) {
		out->special = (enum special)sp->v;
		return 0;
	}
	unsigned nseg = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && i > 0 && i + 1 < n && s[i + 1] != '.')
			nseg++;
		else if (!is_name_char(s[i]))
			return fail_at(ps, line, "bad name \"%.*s\"", (int)n, s);
	}
	if (nseg > TMPL_MAX_SEGS)
		return fail_at(ps, line, "name with more than %d parts", TMPL_MAX_SEGS);
	struct seg *seg = arena_alloc(ps->a, nseg * sizeof(*seg));
	const char *q = s;
	for (unsigned k = 0; k < nseg; k++) {
		const char *dot = memchr(q, '.', (size_t)(s + n - q));
		size_t len = (size_t)((dot != NULL ? dot : s + n) - q);
		seg[k].key = arena_strndup(ps->a, q, len);
		seg[k].idx = len <= 9 ? 0 : -1;
		for (size_t i = 0; i < len && seg[k].idx >= 0; i++)
			seg[k].idx = (q[i] >= '0' && q[i] <= '9') ? seg[k].idx * 10 + (q[i] - '0') : -1;
		q += len + 1;
	}
	out->special = P_NAME;
	out->nseg = nseg;
	out->seg = seg;
	return 0;
}

/* {{ _ "msgid" }}: the msgid may hold \" and \\ escapes and any other byte. */
static int
parse_translate(struct parser *ps, int line, struct open *top)
{
	ps->p++;
	skip_space(ps);
	if (ps->p >= ps->end || *ps->p != '"')
		return fail_at(ps, line, "expected a quoted msgid after _");
	const char *s = ++ps->p;
	size_t n = 0;
	while (ps->p < ps->end && *ps->p != '"') {
		if (*ps->p == '\\') {
			if (ps->end - ps->p < 2 || (ps->p[1] != '"' && ps->p[1] != '\\'))
				return fail_at(ps, line, "bad escape in msgid (only \\\" and \\\\)");
			ps->p++;
		}
		if (*ps->p == '\n')
			ps->line++;
		ps->p++;
		n++;
	}
	if (ps->p >= ps->end)
		return fail_at(ps, line, "unterminated msgid");
	if (n == 0)
		return fail_at(ps, line, "empty msgid");
	char *m = arena_alloc(ps->a, n + 1);
	for (size_t i = 0; i < n; i++, s++) {
		if (*s == '\\')
			s++;
		m[i] = *s;
	}
	ps->p++;
	if (expect_close(ps, line) < 0)
		return -1;
	struct node *nd = new_node(ps, N_TRANSLATE, line);
	nd->text = m;
	nd->len = n;
	append(top, nd);
	return 0;
}

/* {{ path }} or {{ path | filter }}. */
static int
parse_var(struct parser *ps, int line, struct open *top)
{
	struct node *n = new_node(ps, N_VAR, line);
	if (parse_path(ps, line, &n->path) < 0)
		return -1;
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == '|') {
		ps->p++;
		skip_space(ps);
		const char *w = ps->p;
		size_t wl = word_at(ps);
		const struct word *f = find_word(filter_words, NWORDS(filter_words), w, wl);
		if (f == NULL)
			return fail_at(ps, line, "unknown filter \"%.*s\" (url, raw, json)", (int)wl, w);
		n->filter = (enum filter)f->v;
	}
	if (expect_close(ps, line) < 0)
		return -1;
	append(top, n);
	return 0;
}

/* Template names are parts of [A-Za-z0-9_-] joined by "/": "events/card". */
static int
valid_name(const char *s, size_t n)
{
	if (n == 0 || n > TMPL_MAX_NAME || s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]) && (s[i] != '/' || s[i + 1] == '/'))
			return 0;
	return 1;
}

/* {{> name}}: remembered by name, resolved once every template is parsed. */
static int
parse_include(struct parser *ps, int line, struct open *top, int nest)
{
	ps->p++;
	skip_space(ps);
	const char *s = ps->p;
	while (ps->p < ps->end && !is_space(*ps->p) && *ps->p != '}')
		ps->p++;
	size_t n = (size_t)(ps->p - s);
	if (!valid_name(s, n))
		return fail_at(ps, line, "bad include name \"%.*s\"", (int)(n < 64 ? n : 64), s);
	if (expect_close(ps, line) < 0)
		return -1;
	struct node *nd = new_node(ps, N_INCLUDE, line);
	nd->text = arena_strndup(ps->a, s, n);
	nd->len = n;
	nd->nest = nest;
	nd->next_include = ps->t->includes;
	ps->t->includes = nd;
	append(top, nd);
	return 0;
}

/* {{#if x}} {{#unless x}} {{#each x}} {{#else}} and {{/if}} {{/unless}} {{/each}}:
 * keeps the stack of open blocks. */
static int
parse_block(struct parser *ps, int line, struct open *stack, int *depth)
{
	char c = *ps->p++;
	const char *w = ps->p;
	size_t wl = word_at(ps);
	struct open *top = &stack[*depth];

	if (c == '#' && wl == 4 && memcmp(w, "else", 4) == 0) {
		if (expect_close(ps, line) < 0)
			return -1;
		if (*depth == 0)
			return fail_at(ps, line, "{{#else}} outside {{#if}}, {{#unless}} or {{#each}}");
		if (top->in_else)
			return fail_at(ps, line, "second {{#else}} in {{#%s}} opened at line %d",
				       block_word(top->n->kind), top->line);
		top->in_else = 1;
		top->tail = &top->n->alt;
		return 0;
	}
	const struct word *b = find_word(block_words, NWORDS(block_words), w, wl);
	if (b == NULL)
		return fail_at(ps, line, "unknown block {{%c%.*s}}", c, (int)wl, w);
	enum node_kind kind = (enum node_kind)b->v;

	if (c == '/') {
		if (expect_close(ps, line) < 0)
			return -1;
		if (*depth == 0)
			return fail_at(ps, line, "{{/%s}} without {{#%s}}", b->w, b->w);
		if (top->n->kind != kind)
			return fail_at(ps, line, "{{/%s}} closes {{#%s}} opened at line %d", b->w,
				       block_word(top->n->kind), top->line);
		(*depth)--;
		return 0;
	}
	struct node *n = new_node(ps, kind, line);
	skip_space(ps);
	if (parse_path(ps, line, &n->path) < 0 || expect_close(ps, line) < 0)
		return -1;
	if (*depth == TMPL_MAX_NEST)
		return fail_at(ps, line, "blocks nested deeper than %d", TMPL_MAX_NEST);
	append(top, n);
	(*depth)++;
	stack[*depth] = (struct open){.n = n, .tail = &n->body, .in_else = 0, .line = line};
	if (*depth > ps->t->nest)
		ps->t->nest = *depth;
	return 0;
}

/* Parses the whole source into ps->t->root. */
static int
parse(struct parser *ps)
{
	struct open stack[TMPL_MAX_NEST + 1];
	int depth = 0;

	stack[0] = (struct open){.n = NULL, .tail = &ps->t->root, .in_else = 0, .line = 1};
	while (ps->p < ps->end) {
		const char *o = memmem(ps->p, (size_t)(ps->end - ps->p), "{{", 2);
		const char *stop = o != NULL ? o : ps->end;
		if (stop > ps->p) {
			struct node *n = new_node(ps, N_TEXT, ps->line);
			n->len = (size_t)(stop - ps->p);
			n->text = arena_strndup(ps->a, ps->p, n->len);
			append(&stack[depth], n);
			count_lines(ps, ps->p, stop);
			ps->p = stop;
		}
		if (o == NULL)
			break;
		int line = ps->line;
		ps->p = o + 2;
		skip_space(ps);
		if (ps->p >= ps->end)
			return fail_at(ps, line, "unclosed \"{{\"");
		int rc;
		switch (*ps->p) {
		case '!': {
			const char *c = memmem(ps->p, (size_t)(ps->end - ps->p), "}}", 2);
			if (c == NULL)
				return fail_at(ps, line, "unclosed comment");
			count_lines(ps, ps->p, c);
			ps->p = c + 2;
			rc = 0;
			break;
		}
		case '#':
		case '/':
			rc = parse_block(ps, line, stack, &depth);
			break;
		case '>':
			rc = parse_include(ps, line, &stack[depth], depth);
			break;
		case '_':
			if (ps->end - ps->p > 1 && (is_space(ps->p[1]) || ps->p[1] == '"')) {
				rc = parse_translate(ps, line, &stack[depth]);
				break;
			}
			/* FALLTHROUGH */
		default:
			rc = parse_var(ps, line, &stack[depth]);
			break;
		}
		if (rc < 0)
			return -1;
	}
	if (depth > 0)
		return fail_at(ps, stack[depth].line, "{{#%s}} is never closed",
			       block_word(stack[depth].n->kind));
	return 0;
}

static int
cmp_tmpl(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

static int
cmp_name(const void *key, const void *b)
{
	return strcmp(key, ((const struct tmpl *)b)->name);
}

/* Walks the includes below t depth first: refuses cycles, include chains longer
 * than TMPL_MAX_INCLUDE and blocks nested deeper than TMPL_MAX_NEST counted
 * through includes, so rendering needs no checks of its own. */
static int
check_includes(struct tmpl *t, int level, char *err, size_t errlen)
{
	if (t->mark == 2)
		return 0;
	t->mark = 1;
	t->chain = 1;
	for (struct node *inc = t->includes; inc != NULL; inc = inc->next_include) {
		struct tmpl *u = (struct tmpl *)inc->target;
		if (u->mark == 1) {
			set_err(err, errlen, "%s:%d: include cycle: %s is already being included",
				t->name, inc->line, u->name);
			return -1;
		}
		if (level > TMPL_MAX_INCLUDE) {
			set_err(err, errlen, "%s:%d: includes nested deeper than %d", t->name,
				inc->line, TMPL_MAX_INCLUDE);
			return -1;
		}
		if (check_includes(u, level + 1, err, errlen) < 0)
			return -1;
		if (u->chain + 1 > t->chain)
			t->chain = u->chain + 1;
		if (inc->nest + u->nest > t->nest)
			t->nest = inc->nest + u->nest;
		if (t->chain > TMPL_MAX_INCLUDE + 1) {
			set_err(err, errlen, "%s:%d: includes nested deeper than %d", t->name,
				inc->line, TMPL_MAX_INCLUDE);
			return -1;
		}
		if (t->nest > TMPL_MAX_NEST) {
			set_err(err, errlen, "%s:%d: blocks nested deeper than %d through {{> %s}}",
				t->name, inc->line, TMPL_MAX_NEST, u->name);
			return -1;
		}
	}
	t->mark = 2;
	return 0;
}

/* Parses n sources into a new set, then resolves and checks the includes. */
static int
load(struct tmpl_set **out, const struct source *src, size_t n, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	struct tmpl_set *set = arena_alloc(a, sizeof(*set));

	*out = NULL;
	set_err(err, errlen, "%s", "");
	set->arena = a;
	if (n > TMPL_MAX_COUNT) {
		set_err(err, errlen, "more than %d templates", TMPL_MAX_COUNT);
		goto fail;
	}
	set->t = arena_alloc(a, (n > 0 ? n : 1) * sizeof(*set->t));
	set->n = n;
	for (size_t i = 0; i < n; i++) {
		struct tmpl *t = &set->t[i];
		if (src[i].name == NULL || !valid_name(src[i].name, src[i].name_len)) {
			set_err(err, errlen, "template %zu: bad name", i);
			goto fail;
		}
		t->name = arena_strndup(a, src[i].name, src[i].name_len);
		if (src[i].text == NULL || src[i].len > TMPL_MAX_SOURCE) {
			set_err(err, errlen, "%s: missing or larger than %d bytes", t->name,
				TMPL_MAX_SOURCE);
			goto fail;
		}
		if (memchr(src[i].text, '\0', src[i].len) != NULL) {
			set_err(err, errlen, "%s: NUL byte in template", t->name);
			goto fail;
		}
		struct parser ps = {
			.a = a, .t = t, .p = src[i].text, .end = src[i].text + src[i].len,
			.line = 1, .err = err, .errlen = errlen,
		};
		if (parse(&ps) < 0)
			goto fail;
	}
	qsort(set->t, n, sizeof(*set->t), cmp_tmpl);
	for (size_t i = 0; i + 1 < n; i++) {
		if (strcmp(set->t[i].name, set->t[i + 1].name) == 0) {
			set_err(err, errlen, "%s: template defined twice", set->t[i].name);
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		for (struct node *inc = set->t[i].includes; inc != NULL; inc = inc->next_include) {
			inc->target = bsearch(inc->text, set->t, n, sizeof(*set->t), cmp_name);
			if (inc->target == NULL) {
				set_err(err, errlen, "%s:%d: unknown include \"%s\"", set->t[i].name,
					inc->line, inc->text);
				goto fail;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (check_includes(&set->t[i], 1, err, errlen) < 0)
			goto fail;
	*out = set;
	return 0;
fail:
	arena_free(a);
	return -1;
}

/* Parses every embedded templates/<name>.html; see render_tmpl.h. */
int
tmpl_load_embedded(struct tmpl_set **out, char *err, size_t errlen)
{
	static const char prefix[] = "templates/", suffix[] = ".html";
	const size_t pl = sizeof(prefix) - 1, sl = sizeof(suffix) - 1;
	struct source *src = calloc(embedded_count > 0 ? embedded_count : 1, sizeof(*src));
	size_t n = 0;

	if (src == NULL) {
		set_err(err, errlen, "out of memory");
		*out = NULL;
		return -1;
	}
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		size_t len = strlen(f->name);
		if (len <= pl + sl || strncmp(f->name, prefix, pl) != 0 ||
		    strcmp(f->name + len - sl, suffix) != 0)
			continue;
		src[n++] = (struct source){
			.name = f->name + pl, .name_len = len - pl - sl,
			.text = (const char *)f->data, .len = f->len,
		};
	}
	int rc = load(out, src, n, err, errlen);
	free(src);
	return rc;
}

/* Parses caller-given sources; see render_tmpl.h. */
int
tmpl_load_sources(struct tmpl_set **out, const char *const *names, const char *const *sources,
		  size_t n, char *err, size_t errlen)
{
	struct source *src = calloc(n > 0 ? n : 1, sizeof(*src));

	if (src == NULL || n > TMPL_MAX_COUNT) {
		set_err(err, errlen, n > TMPL_MAX_COUNT ? "too many templates" : "out of memory");
		free(src);
		*out = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		src[i].name = names[i];
		src[i].name_len = names[i] != NULL ? strnlen(names[i], TMPL_MAX_NAME + 1) : 0;
		src[i].text = sources[i];
		src[i].len = sources[i] != NULL ? strnlen(sources[i], TMPL_MAX_SOURCE + 1) : 0;
	}
	int rc = load(out, src, n, err, errlen);
	free(src);
	return rc;
}

/* Frees the set and every template in it; NULL is fine. */
void
tmpl_set_free(struct tmpl_set *set)
{
	if (set != NULL)
		arena_free(set->arena);
}

/* The template called name in set, or NULL (binary search over the sorted set). */
const struct tmpl *
tmpl_get(const struct tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL)
		return NULL;
	return bsearch(name, set->t, set->n, sizeof(*set->t), cmp_name);
}

/* Rendering. A scope is one level of the context: the root value, or the current
 * item of an {{#each}}. Scopes live on the C stack, so rendering allocates nothing
 * but output. */
struct scope {
	const struct scope *up;
	json_t *val;
	size_t index, count;
	int each;
};

static json_t *
step(json_t *v, const struct seg *s)
{
	if (json_is_object(v))
		return json_object_get(v, s->key);
	if (json_is_array(v) && s->idx >= 0)
		return json_array_get(v, (size_t)s->idx);
	return NULL;
}

/* The value of a named path: its first part is looked up from the innermost scope
 * outward, the rest inside what was found. NULL when missing. */
static json_t *
lookup(const struct path *p, const struct scope *sc)
{
	json_t *v = NULL;

	if (p->special == P_DOT)
		return sc->val;
	for (; sc != NULL && v == NULL; sc = sc->up)
		v = step(sc->val, &p->seg[0]);
	for (unsigned i = 1; v != NULL && i < p->nseg; i++)
		v = step(v, &p->seg[i]);
	return v;
}

static const struct scope *
each_scope(const struct scope *sc)
{
	while (sc != NULL && !sc->each)
		sc = sc->up;
	return sc;
}

/* @index, @first, @last of the innermost {{#each}}: 0 when outside any. */
static size_t
special_value(enum special sp, const struct scope *sc, int *found)
{
	const struct scope *e = each_scope(sc);
	*found = e != NULL;
	if (e == NULL)
		return 0;
	switch (sp) {
	case P_INDEX:
		return e->index;
	case P_FIRST:
		return e->index == 0;
	case P_LAST:
		return e->index + 1 == e->count;
	default:
		return 0;
	}
}

static int
truthy(const struct path *p, const struct scope *sc)
{
	int found;

	if (p->special >= P_INDEX)
		return special_value(p->special, sc, &found) != 0;
	json_t *v = lookup(p, sc);
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_TRUE:
		return 1;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_OBJECT:
		return json_object_size(v) > 0;
	default:
		return 0;
	}
}

/* The text of a scalar: strings as they are, numbers in ASCII digits (a real in
 * the shortest of %.15g/%.17g that reads back the same), true/false; NULL for null,
 * missing, arrays and objects. */
static const char *
scalar_text(json_t *v, char *num, size_t numlen)
{
	if (v == NULL)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(num, numlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return num;
	case JSON_REAL: {
		double d = json_real_value(v);
		snprintf(num, numlen, "%.15g", d);
		if (strtod(num, NULL) != d)
			snprintf(num, numlen, "%.17g", d);
		return num;
	}
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return NULL;
	}
}

/* Jansson dump callback: "<", ">" and "&" only occur inside JSON strings, where
 * \u003c \u003e \u0026 mean the same, so "</script>" can never end the block. */
static int
json_chunk(const char *s, size_t n, void *data)
{
	struct buf *out = data;
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *r = s[i] == '<' ? "\\u003c" : s[i] == '>' ? "\\u003e" :
				s[i] == '&' ? "\\u0026" : NULL;
		if (r == NULL)
			continue;
		buf_append(out, s + run, i - run);
		buf_append(out, r, 6);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
	return out->failed ? -1 : 0;
}

static void
render_var(const struct node *n, const struct scope *sc, struct buf *out)
{
	char num[40];
	const char *s;

	if (n->path.special >= P_INDEX) {
		int found;
		size_t v = special_value(n->path.special, sc, &found);
		snprintf(num, sizeof(num), "%zu", v);
		if (!found)
			s = n->filter == F_JSON ? "null" : NULL;
		else if (n->path.special == P_INDEX)
			s = num;
		else
			s = v ? "true" : "false";
	} else if (n->filter == F_JSON) {
		json_t *v = lookup(&n->path, sc);
		if (v == NULL)
			buf_puts(out, "null");
		else if (json_dump_callback(v, json_chunk, out, JSON_COMPACT | JSON_ENCODE_ANY) < 0)
			out->failed = 1;
		return;
	} else {
		s = scalar_text(lookup(&n->path, sc), num, sizeof(num));
	}
	if (s == NULL)
		return;
	switch (n->filter) {
	case F_HTML:
		html_escape(out, s);
		break;
	case F_URL:
		url_escape(out, s);
		break;
	case F_RAW:
	case F_JSON:
		buf_puts(out, s);
		break;
	}
}

static void
render_nodes(const struct node *n, const struct scope *sc, struct buf *out)
{
	for (; n != NULL && !out->failed; n = n->next) {
		switch (n->kind) {
		case N_TEXT:
			buf_append(out, n->text, n->len);
			break;
		case N_VAR:
			render_var(n, sc, out);
			break;
		case N_IF:
			render_nodes(truthy(&n->path, sc) ? n->body : n->alt, sc, out);
			break;
		case N_UNLESS:
			render_nodes(truthy(&n->path, sc) ? n->alt : n->body, sc, out);
			break;
		case N_EACH: {
			json_t *v = n->path.special >= P_INDEX ? NULL : lookup(&n->path, sc);
			size_t count = json_is_array(v) ? json_array_size(v) : 0;
			if (count == 0) {
				render_nodes(n->alt, sc, out);
				break;
			}
			struct scope item = {.up = sc, .count = count, .each = 1};
			for (size_t i = 0; i < count && !out->failed; i++) {
				item.val = json_array_get(v, i);
				item.index = i;
				render_nodes(n->body, &item, out);
			}
			break;
		}
		case N_INCLUDE:
			render_nodes(n->target->root, sc, out);
			break;
		case N_TRANSLATE:
			html_escape(out, gettext(n->text));
			break;
		}
	}
}

/* Renders t with ctx as the outermost scope, appending to out; see render_tmpl.h. */
int
tmpl_render(const struct tmpl *t, json_t *ctx, struct buf *out)
{
	if (t == NULL) {
		out->failed = 1;
		return -1;
	}
	struct scope root = {.up = NULL, .val = ctx};
	render_nodes(t->root, &root, out);
	return out->failed ? -1 : 0;
}
