/* render_md: Markdown to safe HTML and to plain text through cmark. */
#include <cmark.h>
#include <string.h>

#include "core/core_buf.h"
#include "core/core_log.h"
#include "render/render_md.h"

#define MD_OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

/* Link schemes a reader may follow; anything else with a scheme (javascript:,
 * vbscript:, data:, file:, ...) is unlinked. Relative links have no scheme. */
static const char *const safe_schemes[] = {"http", "https", "mailto", "tel"};

static int
safe_url(const char *url)
{
	char scheme[16];
	size_t n = 0;

	if (url == NULL)
		return 1;
	const char *colon = url + strcspn(url, ":/?#");
	if (*colon != ':')
		return 1;	/* relative: no scheme */
	/* Browsers skip controls and spaces around and inside a scheme, so
	 * "java\tscript:" must be read as "javascript:". */
	for (const unsigned char *p = (const unsigned char *)url; p < (const unsigned char *)colon; p++) {
		if (*p <= ' ')
			continue;
		if (n + 1 >= sizeof(scheme))
			return 0;
		scheme[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	scheme[n] = '\0';
	for (size_t i = 0; i < sizeof(safe_schemes) / sizeof(safe_schemes[0]); i++)
		if (strcmp(scheme, safe_schemes[i]) == 0)
			return 1;
	return 0;
}

/* Replaces node by its children (the text of a link or an image's alt text). */
static void
unwrap(cmark_node *node)
{
	cmark_node *c;
	while ((c = cmark_node_first_child(node)) != NULL)
		cmark_node_insert_before(node, c);
	cmark_node_free(node);
}

/* Parses md and removes what must never reach a page: raw HTML (dropped, rather
 * than left as cmark's "raw HTML omitted" comment) and links or images whose
 * scheme is not on the safe list (kept as their text). NULL on failure. */
static cmark_node *
parse_safe(const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), MD_OPTIONS);
	if (doc == NULL)
		return NULL;
	cmark_iter *it = cmark_iter_new(doc);
	if (it == NULL) {
		cmark_node_free(doc);
		return NULL;
	}
	cmark_event_type ev;
	/* cmark_iter_next computes the following step before it returns a node, so
	 * a leaf may be freed on ENTER and a container on EXIT. */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER &&
		    (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE))
			cmark_node_free(node);
		else if (ev == CMARK_EVENT_EXIT &&
			 (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) &&
			 !safe_url(cmark_node_get_url(node)))
			unwrap(node);
	}
	cmark_iter_free(it);
	return doc;
}

/* Copies cmark's malloc'ed string into the arena and frees it. */
static const char *
to_arena(struct arena *a, char *s, size_t strip_head, size_t strip_tail)
{
	size_t n = strlen(s);
	const char *r = arena_strndup(a, s + strip_head, n - strip_head - strip_tail);
	cmark_get_default_mem_allocator()->free(s);
	return r;
}

/* Markdown block to HTML in a; see render_md.h. */
const char *
md_block(struct arena *a, const char *md)
{
	if (md == NULL)
		return "";
	cmark_node *doc = parse_safe(md);
	if (doc == NULL) {
		BUG("cmark could not parse %zu bytes", strlen(md));
		return "";
	}
	char *html = cmark_render_html(doc, MD_OPTIONS);
	cmark_node_free(doc);
	return html != NULL ? to_arena(a, html, 0, 0) : "";
}

/* One inline item: when the document is a single paragraph its <p> and </p> go,
 * otherwise the blocks are kept as they are; see render_md.h. */
const char *
md_inline(struct arena *a, const char *md)
{
	if (md == NULL)
		return "";
	cmark_node *doc = parse_safe(md);
	if (doc == NULL) {
		BUG("cmark could not parse %zu bytes", strlen(md));
		return "";
	}
	cmark_node *first = cmark_node_first_child(doc);
	int single = first != NULL && cmark_node_next(first) == NULL &&
		     cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH;
	char *html = cmark_render_html(doc, MD_OPTIONS);
	cmark_node_free(doc);
	if (html == NULL)
		return "";
	size_t n = strlen(html);
	if (single && n >= 8 && memcmp(html, "<p>", 3) == 0 && memcmp(html + n - 5, "</p>\n", 5) == 0)
		return to_arena(a, html, 3, 5);
	return to_arena(a, html, 0, 0);
}

/* Length of the whitespace at p (ASCII spaces and U+00A0, which "&nbsp;"
 * paragraphs turn into), 0 if none. */
static size_t
space_at(const unsigned char *p)
{
	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	return 0;
}

/* Plain text of md; see render_md.h. max_chars 0 means no limit. When cut, the
 * result keeps max_chars - 1 characters and ends in "…" (max_chars in all). */
const char *
md_plain(struct arena *a, const char *md, size_t max_chars)
{
	struct buf raw = BUF_INIT;

	if (md == NULL)
		return "";
	cmark_node *doc = parse_safe(md);
	if (doc == NULL) {
		BUG("cmark could not parse %zu bytes", strlen(md));
		return "";
	}
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (it != NULL && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		int is_inline = type >= CMARK_NODE_FIRST_INLINE && type <= CMARK_NODE_LAST_INLINE;
		if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK)
			buf_puts(&raw, cmark_node_get_literal(node));
		else if (!is_inline || type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)
			buf_putc(&raw, ' ');	/* blocks and breaks separate words */
	}
	cmark_iter_free(it);
	cmark_node_free(doc);

	/* collapse whitespace, trim, count characters and remember where the
	 * max_chars-th one starts in case the text must be cut */
	char *out = arena_alloc(a, raw.len + sizeof("…"));
	size_t len = 0, chars = 0, cut = 0;
	const unsigned char *p = (const unsigned char *)buf_cstr(&raw);
	while (*p != '\0') {
		const unsigned char *s = p;
		size_t n;
		if (space_at(p) > 0) {
			while ((n = space_at(p)) > 0)
				p += n;
			if (len == 0 || *p == '\0')
				continue;
			s = (const unsigned char *)" ";
			n = 1;
		} else {
			for (n = 1, p++; (*p & 0xC0) == 0x80; p++)
				n++;
		}
		if (++chars == max_chars)
			cut = len;
		memcpy(out + len, s, n);
		len += n;
	}
	out[len] = '\0';
	buf_free(&raw);
	if (max_chars > 0 && chars > max_chars) {
		while (cut > 0 && out[cut - 1] == ' ')
			cut--;
		memcpy(out + cut, "…", sizeof("…"));
	}
	return out;
}
