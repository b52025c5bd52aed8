/* render_md: Markdown to HTML through cmark, raw HTML disabled (CMARK_OPT_SAFE). */
#ifndef RENDER_MD_H
#define RENDER_MD_H
#include "core/core_arena.h"

/* The HTML of a Markdown block (paragraphs, lists, emphasis, links) allocated in a;
 * raw HTML and unsafe link schemes (javascript:, data:) are dropped. "" for NULL. */
const char *md_block(struct arena *a, const char *md);
/* The HTML of one inline item (an objective): the block's single paragraph unwrapped. */
const char *md_inline(struct arena *a, const char *md);
/* Plain text of Markdown (for feeds, descriptions, ICS), whitespace collapsed,
 * at most max_chars characters (UTF-8 aware, "…" appended when cut). */
const char *md_plain(struct arena *a, const char *md, size_t max_chars);

#endif
