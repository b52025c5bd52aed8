/* render_svg: horizontal bars and columns as inline SVG (see render_svg.h). */
#include <stdint.h>
#include <string.h>

#include "render/render_svg.h"
#include "render/render_tmpl.h"

#define ROW_H 28	/* a bar chart's row */
#define LABEL_W 220	/* its label column */
#define BAR_W 300	/* its longest bar */
#define VALUE_W 80	/* its value column */
#define COL_W 64	/* a column chart's column, with its gap */
#define COL_H 120	/* its tallest column */

static double
clamp(double v, double max)
{
	if (!(v > 0))	/* also NaN */
		return 0;
	return v > max ? max : v;
}

static void
open_svg(struct buf *out, int w, int h, const char *title, const char *desc, int rtl)
{
	static uint64_t counter;
	uint64_t id = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	buf_printf(out, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
			"width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"svg%llu-t svg%llu-d\"%s>",
		   w, h, w, h, (unsigned long long)id, (unsigned long long)id,
		   rtl ? " direction=\"rtl\"" : "");
	buf_printf(out, "<title id=\"svg%llu-t\">", (unsigned long long)id);
	html_escape(out, title);
	buf_printf(out, "</title><desc id=\"svg%llu-d\">", (unsigned long long)id);
	html_escape(out, desc != NULL ? desc : "");
	buf_puts(out, "</desc>");
}

static void
text(struct buf *out, double x, double y, const char *anchor, const char *cls, const char *s)
{
	buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor,
		   cls);
	html_escape(out, s != NULL ? s : "");
	buf_puts(out, "</text>");
}

static const char *
tone_class(const struct svg_item *it)
{
	if (it->tone == NULL)
		return "bar";
	if (strcmp(it->tone, "warn") == 0)
		return "bar warn";
	if (strcmp(it->tone, "good") == 0)
		return "bar good";
	return "bar muted";
}

void
svg_bars(struct buf *out, const char *title, const char *desc, const struct svg_item *items,
	 size_t n, double max, int rtl, const char *empty_text)
{
	int w = LABEL_W + BAR_W + VALUE_W;
	int h = n > 0 ? (int)n * ROW_H + 8 : ROW_H + 8;
	if (!(max > 0))
		max = 1;
	open_svg(out, w, h, title, desc, rtl);
	if (n == 0)
		text(out, rtl ? w - 4 : 4, 20, "start", "empty", empty_text);
	/* in RTL, "start" anchors at the right end of the text because of direction="rtl" */
	for (size_t i = 0; i < n; i++) {
		double y = (double)i * ROW_H + 4;
		double len = clamp(items[i].value, max) / max * BAR_W;
		double label_x = rtl ? w - 4 : 4;
		double bar_x = rtl ? w - LABEL_W - len : LABEL_W;
		double track_x = rtl ? w - LABEL_W - BAR_W : LABEL_W;
		double value_x = rtl ? w - LABEL_W - len - 6 : LABEL_W + len + 6;
		text(out, label_x, y + 18, "start", "label", items[i].label);
		buf_printf(out, "<rect class=\"track\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"18\" "
				"fill=\"#e6e9ee\"/>",
			   track_x, y + 4, BAR_W);
		buf_printf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" "
				"fill=\"#1f5f8b\"/>",
			   tone_class(&items[i]), bar_x, y + 4, len);
		text(out, value_x, y + 18, "start", "value", items[i].value_text);
	}
	buf_puts(out, "</svg>");
}

void
svg_columns(struct buf *out, const char *title, const char *desc, const struct svg_item *items,
	    size_t n, double max, int rtl, const char *empty_text)
{
	int w = n > 0 ? (int)n * COL_W + 8 : 240;
	int h = COL_H + 58;
	if (!(max > 0))
		max = 1;
	open_svg(out, w, h, title, desc, rtl);
	if (n == 0)
		text(out, rtl ? w - 4 : 4, 20, "start", "empty", empty_text);
	for (size_t i = 0; i < n; i++) {
		size_t pos = rtl ? n - 1 - i : i;
		double x = 4 + (double)pos * COL_W;
		double len = clamp(items[i].value, max) / max * COL_H;
		double top = 18 + COL_H - len;
		buf_printf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
				"fill=\"#1f5f8b\"/>",
			   tone_class(&items[i]), x + 6, top, COL_W - 12, len);
		text(out, x + COL_W / 2.0, top - 4, "middle", "value", items[i].value_text);
		/* a label may hold two lines ("Q3" and "2026"), split at its newline */
		const char *lbl = items[i].label != NULL ? items[i].label : "";
		const char *nl = strchr(lbl, '\n');
		if (nl == NULL) {
			text(out, x + COL_W / 2.0, 18 + COL_H + 16, "middle", "label", lbl);
		} else {
			struct buf first = BUF_INIT;
			buf_append(&first, lbl, (size_t)(nl - lbl));
			text(out, x + COL_W / 2.0, 18 + COL_H + 16, "middle", "label", buf_cstr(&first));
			buf_free(&first);
			text(out, x + COL_W / 2.0, 18 + COL_H + 32, "middle", "label", nl + 1);
		}
	}
	buf_puts(out, "</svg>");
}
