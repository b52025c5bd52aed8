/* render_tmpl: the HTML template engine. Templates live in templates/ (compiled into
 * the binary), are parsed once at start-up, and render a Jansson value as context.
 *
 * Syntax:
 *   {{ name }}  {{ a.b.c }}   value, HTML-escaped (safe in text and quoted attributes)
 *   {{ name | url }}          percent-encoded for a URL path segment or query value
 *   {{ name | raw }}          trusted HTML (only for cmark output, unsafe HTML off)
 *   {{ name | json }}         JSON, safe inside <script type="application/ld+json">
 *   {{ _ "English msgid" }}   gettext in the calling thread's locale, HTML-escaped
 *   {{#if name}} ... {{#else}} ... {{/if}}     truthy: non-empty string/array/object,
 *   {{#unless name}} ... {{/unless}}            non-zero number, true
 *   {{#each name}} ... {{/each}}   iterate an array; inside, "." is the item, "@index"
 *                                  the 0-based index, "@first"/"@last" booleans; names
 *                                  not found on the item are looked up outward
 *   {{> events/card}}         include another template with the current context
 *   {{! comment }}
 * Whitespace inside {{ }} is optional. Numbers render in ASCII digits; true/false as
 * "true"/"false"; null and missing as empty.
 */
#ifndef RENDER_TMPL_H
#define RENDER_TMPL_H
#include <jansson.h>

#include "core/core_buf.h"

struct tmpl_set;
struct tmpl;

/* Parses every embedded file under "templates/" ending in .html; the name of each is
 * its path without "templates/" and ".html" (e.g. "events/event"). Returns 0, or -1
 * with the file, line and reason written to err (size errlen). Includes are resolved
 * at load: an unknown include is an error. */
int tmpl_load_embedded(struct tmpl_set **out, char *err, size_t errlen);

/* Parses one template from source text into a set (for tests and fuzzing). Names of
 * the sources are given in parallel arrays. Returns 0 or -1 with err filled. */
int tmpl_load_sources(struct tmpl_set **out, const char *const *names,
		      const char *const *sources, size_t n, char *err, size_t errlen);

void tmpl_set_free(struct tmpl_set *set);

/* The template with this name, or NULL. */
const struct tmpl *tmpl_get(const struct tmpl_set *set, const char *name);

/* Renders into out (appending). Returns 0, or -1 when out failed. */
int tmpl_render(const struct tmpl *t, json_t *ctx, struct buf *out);

/* Escapers, also used directly by code that writes HTML/XML. */
void html_escape(struct buf *out, const char *s);	/* & < > " ' */
void url_escape(struct buf *out, const char *s);	/* RFC 3986 unreserved kept */

#endif
