/* render_svg: small charts drawn on the server as inline SVG (no chart library in the
 * browser): horizontal bars and columns per period. Readable in right-to-left pages (the
 * bars grow from the inline start, labels sit on that side), accessible (role="img",
 * <title> and <desc>, and every value written as text), and CSP-safe (no script, no style
 * attribute: colours come from classes in the stylesheet and presentation attributes). */
#ifndef RENDER_SVG_H
#define RENDER_SVG_H
#include <stddef.h>

#include "core/core_buf.h"

/* One bar or column: a label, a value (clamped to 0..max), the value as the reader
 * reads it (ICU-formatted by the caller, e.g. "75 %" or "٧٥٪"), and an optional class
 * suffix for colour ("warn" gives class "bar warn"). */
struct svg_item {
	const char *label;
	double value;
	const char *value_text;
	const char *tone;	/* NULL, "warn", "good", "muted" */
};

/* Appends a horizontal bar chart (one row per item) titled title, described by desc,
 * values out of max (> 0). rtl mirrors it. An empty chart says empty_text. */
void svg_bars(struct buf *out, const char *title, const char *desc, const struct svg_item *items,
	      size_t n, double max, int rtl, const char *empty_text);

/* Appends a column chart (one column per item, e.g. per quarter), values out of max;
 * labels under the columns, values above them. rtl runs the columns right to left. */
void svg_columns(struct buf *out, const char *title, const char *desc,
		 const struct svg_item *items, size_t n, double max, int rtl,
		 const char *empty_text);

#endif
