/* render_page: whole pages — the shared layout context, error pages (HTML or JSON),
 * the language redirect at "/", and the per-request hooks of the server. */
#ifndef RENDER_PAGE_H
#define RENDER_PAGE_H
#include <jansson.h>

#include "http/http.h"

/* Loads the templates (once, at start-up). 0 or -1 (logged). */
int render_init(void);
void render_free(void);

/* Fills the server hooks: error pages, per-request locale, statistics header. */
void render_configure_http(struct http_config *cfg, int debug_stats);

/* Sets a function render_page calls to add the signed-in reader's keys to every
 * page's context ("me", "csrf"): the accounts module owns them. */
void render_set_layout_hook(void (*fn)(struct request *req, json_t *ctx));

/* Renders template tmpl (e.g. "events/event") as a full page for req into res, after
 * adding the layout's keys to ctx: lang, dir, site, css, langs (the language switcher,
 * keeping the page and ctx's "query" string — validated parameters only, never raw
 * input, since pages are cached), url (absolute), feed_atom, feed_ics. ctx is
 * borrowed. */
enum http_error render_page(struct request *req, struct response *res, const char *tmpl,
			    json_t *ctx);

/* Writes the error e for req: a page in the reader's language, or under /api/ a JSON
 * object {"error":{"status":404,"code":"not_found","message":"..."}}. */
void render_error_page(struct request *req, struct response *res, enum http_error e);

/* A JSON body for the API (takes ownership of v). */
enum http_error render_json(struct request *req, struct response *res, json_t *v);

/* GET / : redirects to /ar/, /en/ or /fr/ by Accept-Language. */
enum http_error render_root(struct request *req, struct response *res);

/* A json string made in the arena-free way: json_string or json_null for NULL. */
json_t *json_str_or_null(const char *s);

#endif
