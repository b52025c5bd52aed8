/* render_page: the layout context shared by every page, error pages, hooks. */
#include <stdio.h>
#include <string.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "db/db.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "render/render_tmpl.h"

static struct tmpl_set *templates;
static int debug_stats;

int
render_init(void)
{
	char err[512];
	if (tmpl_load_embedded(&templates, err, sizeof(err)) < 0) {
		log_error("templates: %s", err);
		return -1;
	}
	return 0;
}

void
render_free(void)
{
	tmpl_set_free(templates);
	templates = NULL;
}

json_t *
json_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* The path after the "/xx" language prefix ("/events/x"), or "/" when none. */
static const char *
path_rest(const struct request *req)
{
	const char *p = req->path;
	if (p != NULL && strlen(p) >= 3 && p[0] == '/' && lang_from_code_n(p + 1, 2) != LANG_NONE &&
	    (p[3] == '/' || p[3] == '\0'))
		return p[3] == '\0' ? "/" : p + 3;
	return "/";
}

/* The switcher's links keep the page and only the query the handler vouched for
 * (ctx "query", e.g. "?when=past&page=2"): never raw request input, since pages are
 * cached and shared between readers. */
static json_t *
lang_switcher(const struct request *req, json_t *ctx)
{
	const char *rest = path_rest(req);
	const char *q = json_string_value(json_object_get(ctx, "query"));
	json_t *arr = json_array();
	for (int l = 0; l < LANG_COUNT; l++) {
		char *url = arena_printf(req->arena, "/%s%s%s", lang_code((enum lang)l), rest,
					 q != NULL ? q : "");
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}", "code",
						     lang_code((enum lang)l), "name",
						     lang_native_name((enum lang)l), "url", url, "abs",
						     arena_printf(req->arena, "%s%s", config_base_url(), url),
						     "current", l == (int)req->lang));
	}
	return arr;
}

static void (*layout_hook)(struct request *req, json_t *ctx);

void
render_set_layout_hook(void (*fn)(struct request *req, json_t *ctx))
{
	layout_hook = fn;
}

enum http_error
render_page(struct request *req, struct response *res, const char *name, json_t *ctx)
{
	const struct tmpl *t = tmpl_get(templates, name);
	if (t == NULL) {
		BUG("no template %s", name);
		return HTTP_ERR_INTERNAL;
	}
	enum lang l = req->lang;
	const char *code = lang_code(l);
	json_object_set_new(ctx, "lang", json_string(code));
	json_object_set_new(ctx, "dir", json_string(lang_dir(l)));
	json_object_set_new(ctx, "rtl", json_boolean(l == LANG_AR));
	json_object_set_new(ctx, "site", json_string(config_site_name()));
	json_object_set_new(ctx, "css", json_string(http_static_url("style.css")));
	json_object_set_new(ctx, "js", json_string(http_static_url("search.js")));
	json_object_set_new(ctx, "langs", lang_switcher(req, ctx));
	json_object_set_new(ctx, "home", json_string(arena_printf(req->arena, "/%s/", code)));
	json_object_set_new(ctx, "url", json_string(arena_printf(req->arena, "%s%s",
								 config_base_url(),
								 req->path ? req->path : "/")));
	json_object_set_new(ctx, "feed_atom",
			    json_string(arena_printf(req->arena, "/%s/feed.atom", code)));
	json_object_set_new(ctx, "feed_ics",
			    json_string(arena_printf(req->arena, "/calendar.ics?lang=%s", code)));
	if (layout_hook != NULL)
		layout_hook(req, ctx);
	if (res->content_type == NULL)
		res->content_type = "text/html; charset=utf-8";
	res->compressible = 1;
	if (tmpl_render(t, ctx, &res->body) < 0)
		return HTTP_ERR_INTERNAL;
	return HTTP_OK;
}

enum http_error
render_json(struct request *req, struct response *res, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (s == NULL)
		return HTTP_ERR_INTERNAL;
	buf_puts(&res->body, s);
	free(s);
	res->content_type = "application/json; charset=utf-8";
	res->compressible = 1;
	return HTTP_OK;
}

void
render_error_page(struct request *req, struct response *res, enum http_error e)
{
	int status = http_error_status(e);
	const char *message = gettext(http_error_message(e));
	if (req->is_api) {
		json_t *v = json_pack("{s:{s:i, s:s, s:s}}", "error", "status", status, "code",
				      http_error_code(e), "message", message);
		buf_reset(&res->body);
		render_json(req, res, v);
		return;
	}
	json_t *ctx = json_pack("{s:i, s:s, s:s, s:s}", "status", status, "message", message,
				"title", message, "description", message);
	buf_reset(&res->body);
	res->content_type = "text/html; charset=utf-8";
	if (templates == NULL || render_page(req, res, "error", ctx) != HTTP_OK) {
		buf_reset(&res->body);
		res->content_type = "text/plain; charset=utf-8";
		buf_printf(&res->body, "%d %s\n", status, message);
	}
	json_decref(ctx);
}

enum http_error
render_root(struct request *req, struct response *res)
{
	enum lang l = lang_negotiate(http_header_get(req, "Accept-Language"));
	http_redirect(res, 302, arena_printf(req->arena, "/%s/", lang_code(l)));
	http_add_header(res, "Vary", "Accept-Language");
	return HTTP_OK;
}

static void
before(struct request *req)
{
	i18n_use(req->lang);
	db_stats_reset(db_thread());
}

static void
after(struct request *req, struct response *res)
{
	if (debug_stats) {
		http_add_header(res, "X-SQL-Statements",
				arena_printf(req->arena, "%u", db_stats_statements(db_thread())));
	}
}

void
render_configure_http(struct http_config *cfg, int debug)
{
	debug_stats = debug;
	cfg->render_error = render_error_page;
	cfg->before = before;
	cfg->after = after;
}
