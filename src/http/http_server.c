/* http_server: libmicrohttpd glue — limits, request contexts, dispatch, replies, logs. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "http/http.h"
#include "http/http_internal.h"

#define GZIP_MIN 512	/* bodies smaller than this are sent as they are */

struct context {
	struct request req;
	struct timespec start;
	size_t body_seen;
	struct buf body;	/* a POST body, up to HTTP_MAX_BODY */
	int too_large;
	int head_too_large;	/* request head over HTTP_MAX_HEADERS */
	int started;		/* the first access call has been seen */
	int status;		/* sent, for the log */
	size_t bytes;
};

static struct MHD_Daemon *daemon_handle;
static struct http_config config;
static atomic_uint_fast64_t next_id;

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
	"base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

const char *
http_header_get(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie_get(const struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *
http_form_get(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->n_form; i++)
		if (strcmp(req->form[i].name, name) == 0)
			return req->form[i].value;
	return NULL;
}

const char *
http_client_addr(const struct request *req)
{
	if (config_trust_proxy()) {
		const char *xff = http_header_get(req, "X-Forwarded-For");
		if (xff != NULL && *xff != '\0') {
			const char *last = strrchr(xff, ',');
			last = last != NULL ? last + 1 : xff;
			while (*last == ' ')
				last++;
			size_t n = strcspn(last, " ");
			if (n > 0 && n <= 64)
				return arena_strndup(req->arena, last, n);
		}
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "-";
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  text, sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
				  sizeof(text));
	}
	return arena_strdup(req->arena, text);
}

/* MHD must not decode the URL: we want malformed escapes to be our 400, not silently
 * kept. Identity unescaper. */
static size_t
no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

/* Called by MHD with the raw request target before anything else: creates the
 * request context, which MHD then passes to every access call as *con_cls. */
static void *
begin_request(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct context *ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		die("out of memory");
	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	ctx->req.arena = arena_new();
	ctx->req.id = atomic_fetch_add(&next_id, 1) + 1;
	ctx->req.target = arena_strdup(ctx->req.arena, uri != NULL ? uri : "");
	ctx->req.conn = conn;
	ctx->req.lang = LANG_NONE;
	ctx->status = 0;
	buf_init(&ctx->body);
	ctx->body.limit = HTTP_MAX_BODY;
	return ctx;
}

static void
end_request(void *cls, struct MHD_Connection *conn, void **con_cls,
	    enum MHD_RequestTerminationCode toe)
{
	struct context *ctx = *con_cls;
	if (ctx == NULL)
		return;
	if (!config.quiet) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long us = (now.tv_sec - ctx->start.tv_sec) * 1000000L +
			  (now.tv_nsec - ctx->start.tv_nsec) / 1000;
		static const char *const methods[] = {"-", "GET", "HEAD", "-", "POST"};
		const char *m = ctx->req.method <= HTTP_POST ? methods[ctx->req.method] : "-";
		/* the path only, never the query (it may carry tokens later) */
		char path[160];
		const char *t = ctx->req.target != NULL ? ctx->req.target : "";
		size_t n = strcspn(t, "?");
		if (n >= sizeof(path))
			n = sizeof(path) - 1;
		for (size_t i = 0; i < n; i++)
			path[i] = (t[i] > 0x20 && t[i] < 0x7f) ? t[i] : '?';
		path[n] = '\0';
		log_info("req=%llu %s %s %d %zu %ldus%s", (unsigned long long)ctx->req.id, m,
			 path, ctx->status, ctx->bytes, us,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	}
	arena_free(ctx->req.arena);
	buf_free(&ctx->body);
	free(ctx);
	*con_cls = NULL;
}

static void
add_common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (config_secure())
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
}

int
http_etag_matches(const struct request *req, const char *etag)
{
	const char *inm = http_header_get(req, "If-None-Match");
	if (inm == NULL || etag == NULL)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	size_t n = strlen(etag);
	const char *p = inm;
	while ((p = strstr(p, etag)) != NULL) {
		char after = p[n];
		if (after == '\0' || after == ',' || after == ' ')
			return 1;
		p += n;
	}
	return 0;
}

/* Sends res: 304 when the ETag matches, gzip when accepted, headers for all. */
static enum MHD_Result
send_response(struct context *ctx, struct response *res)
{
	struct request *req = &ctx->req;
	int status = res->status ? res->status : 200;
	const void *body = res->body.data;
	size_t len = res->body.len;
	enum MHD_ResponseMemoryMode mode = MHD_RESPMEM_MUST_COPY;
	int gz = 0;
	unsigned char *zipped = NULL;

	if (res->body.failed) {
		BUG("response body overflowed for %s", req->path ? req->path : "?");
		status = 500;
		buf_reset(&res->body);
		len = 0;
	}
	if (res->static_body != NULL) {
		body = res->static_body;
		len = res->static_len;
		mode = MHD_RESPMEM_PERSISTENT;
	}
	if (req->personal)
		res->etag = NULL;	/* never a shared validator for a personal page */
	int not_modified = status == 200 && res->etag != NULL &&
			   http_etag_matches(req, res->etag);
	if (not_modified) {
		status = 304;
		body = "";
		len = 0;
		mode = MHD_RESPMEM_PERSISTENT;
	} else if (res->compressible && http_accepts_gzip(http_header_get(req, "Accept-Encoding"))) {
		if (res->gzip_body != NULL) {
			body = res->gzip_body;
			len = res->gzip_len;
			mode = MHD_RESPMEM_PERSISTENT;
			gz = 1;
		} else if (res->gzip.len > 0 && !res->gzip.failed) {
			body = buf_detach(&res->gzip, &len);
			mode = MHD_RESPMEM_MUST_FREE;
			gz = 1;
		} else if (len >= GZIP_MIN) {
			size_t zlen;
			if (http_gzip(body, len, 6, &zipped, &zlen) == 0 && zlen < len) {
				body = zipped;
				len = zlen;
				mode = MHD_RESPMEM_MUST_FREE;
				gz = 1;
			} else {
				free(zipped);
				zipped = NULL;
			}
		}
	}
	if (mode == MHD_RESPMEM_MUST_COPY && len > 0) {
		/* hand the buffer itself to MHD instead of copying it */
		body = buf_detach(&res->body, NULL);
		mode = MHD_RESPMEM_MUST_FREE;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, mode);
	if (r == NULL) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free((void *)(uintptr_t)body);
		return MHD_NO;
	}
	add_common_headers(r);
	if (!not_modified)
		MHD_add_response_header(r, "Content-Type",
					res->content_type ? res->content_type
							  : "text/html; charset=utf-8");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (res->compressible)
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (res->etag != NULL)
		MHD_add_response_header(r, "ETag", res->etag);
	char cc[64];
	if (req->personal)
		snprintf(cc, sizeof(cc), "private, no-store");
	else if (res->max_age > 0)
		snprintf(cc, sizeof(cc), "public, max-age=%d%s", res->max_age,
			 res->immutable ? ", immutable" : "");
	else
		snprintf(cc, sizeof(cc), "no-cache");
	MHD_add_response_header(r, "Cache-Control", cc);
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	ctx->status = status;
	ctx->bytes = len;
	return ok;
}

static void
render_error(struct request *req, struct response *res, enum http_error e)
{
	buf_reset(&res->body);
	res->static_body = NULL;
	res->gzip_body = NULL;
	buf_reset(&res->gzip);
	res->etag = NULL;
	res->max_age = 0;
	res->compressible = 1;
	res->status = http_error_status(e);
	if (config.render_error != NULL) {
		config.render_error(req, res, e);
	} else {
		res->content_type = "text/plain; charset=utf-8";
		buf_printf(&res->body, "%d %s\n", res->status, http_error_message(e));
	}
	res->status = http_error_status(e);
}

static void
allow_header(struct response *res, unsigned allowed, struct arena *a)
{
	char *v = arena_printf(a, "%s%s%s", (allowed & HTTP_GET) ? "GET, HEAD" : "",
			       (allowed & HTTP_POST) && (allowed & HTTP_GET) ? ", " : "",
			       (allowed & HTTP_POST) ? "POST" : "");
	http_add_header(res, "Allow", v);
}

/* Decodes the target into path and query; picks the language for errors. Returns
 * HTTP_OK or the error to answer. */
static enum http_error
parse_target(struct request *req)
{
	size_t tlen = strlen(req->target);
	const char *q = strchr(req->target, '?');
	if (q != NULL && http_parse_query(req->arena, q + 1, &req->query, &req->n_query,
					  HTTP_MAX_PARAMS) < 0)
		return HTTP_ERR_BAD_REQUEST;
	if (tlen > HTTP_MAX_URL)
		return HTTP_ERR_URI_TOO_LONG;
	char *path;
	size_t plen = q != NULL ? (size_t)(q - req->target) : tlen;
	if (plen == 0 || req->target[0] != '/')
		return HTTP_ERR_BAD_REQUEST;
	if (http_percent_decode(req->arena, req->target, plen, 0, &path) < 0)
		return HTTP_ERR_BAD_REQUEST;
	req->path = path;
	return HTTP_OK;
}

/* Keeps a POST body on the request and decodes it when it is a form. Returns HTTP_OK or
 * the error to answer. */
static enum http_error
parse_body(struct context *ctx)
{
	struct request *req = &ctx->req;
	if (ctx->body.failed)
		return HTTP_ERR_TOO_LARGE;
	req->body_len = ctx->body.len;
	req->body = arena_strndup(req->arena, ctx->body.data != NULL ? ctx->body.data : "",
				  ctx->body.len);
	const char *ct = http_header_get(req, "Content-Type");
	if (ct == NULL)
		return req->body_len == 0 ? HTTP_OK : HTTP_ERR_UNSUPPORTED;
	size_t n = strcspn(ct, "; ");
	if (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0) {
		if (memchr(req->body, '\0', req->body_len) != NULL)
			return HTTP_ERR_BAD_REQUEST;
		if (http_parse_query(req->arena, req->body, &req->form, &req->n_form,
				     HTTP_MAX_PARAMS) < 0)
			return HTTP_ERR_BAD_REQUEST;
		return HTTP_OK;
	}
	if (req->is_api && n == 16 && strncasecmp(ct, "application/json", n) == 0)
		return HTTP_OK;
	return HTTP_ERR_UNSUPPORTED;
}

static void
guess_lang(struct request *req)
{
	const char *p = req->path != NULL ? req->path : req->target;
	if (p != NULL && p[0] == '/' && strlen(p) >= 3 && (p[3] == '/' || p[3] == '\0')) {
		enum lang l = lang_from_code_n(p + 1, 2);
		if (l != LANG_NONE) {
			req->lang = l;
			return;
		}
	}
	const char *ql = NULL;
	for (size_t i = 0; i < req->n_query; i++)
		if (strcmp(req->query[i].name, "lang") == 0)
			ql = req->query[i].value;
	if (ql != NULL && lang_from_code(ql) != LANG_NONE) {
		req->lang = lang_from_code(ql);
		return;
	}
	req->lang = lang_negotiate(http_header_get(req, "Accept-Language"));
}

static enum MHD_Result
dispatch(struct context *ctx)
{
	struct request *req = &ctx->req;
	struct response res;
	memset(&res, 0, sizeof(res));
	buf_init(&res.body);
	res.body.limit = 64u << 20;

	enum http_error e = HTTP_OK;
	unsigned allowed = 0;
	const struct route *route = NULL;
	if (ctx->head_too_large)
		e = HTTP_ERR_HEADERS_TOO_LARGE;
	else if (ctx->too_large)
		e = HTTP_ERR_TOO_LARGE;
	if (e == HTTP_OK)
		e = parse_target(req);
	req->is_api = strncmp(req->target, "/api/", 5) == 0;
	guess_lang(req);
	if (e == HTTP_OK) {
		int lang_bad = 0;
		route = http_route_match(config.routes, config.n_routes, req->path, req->method,
					 req->arena, req->captures, &req->n_captures, &allowed,
					 &lang_bad);
		if (route == NULL)
			e = allowed ? HTTP_ERR_METHOD : HTTP_ERR_NOT_FOUND;
		else if (route->flags & ROUTE_JSON)
			req->is_api = 1;
	}
	if (e == HTTP_OK && req->method == HTTP_POST)
		e = parse_body(ctx);
	if (config.before != NULL)
		config.before(req);
	if (e == HTTP_OK && config.guard != NULL)
		e = config.guard(req, &res, route->flags);
	if (e == HTTP_OK && res.status == 0)
		e = route->handler(req, &res);
	if (e != HTTP_OK) {
		render_error(req, &res, e);
		if (e == HTTP_ERR_METHOD)
			allow_header(&res, allowed, req->arena);
	}
	if (config.after != NULL)
		config.after(req, &res);
	enum MHD_Result ok = send_response(ctx, &res);
	buf_free(&res.body);
	buf_free(&res.gzip);
	return ok;
}

static unsigned
method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	return 0;
}

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *total = cls;
	*total += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	       const char *version, const char *upload_data, size_t *upload_data_size,
	       void **con_cls)
{
	struct context *ctx = *con_cls;
	if (ctx == NULL)
		return MHD_NO;
	if (!ctx->started) {
		/* first call: only look at the head (queueing now would close keep-alive) */
		ctx->started = 1;
		ctx->req.method = (enum http_method)method_of(method);
		size_t head = 0;
		MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &head);
		if (head > HTTP_MAX_HEADERS)
			ctx->head_too_large = 1;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl != NULL && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
			/* answer now, without reading the body; MHD then closes the connection,
			 * which is what a refused upload wants */
			ctx->too_large = 1;
			return dispatch(ctx);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* kept up to the limit (POST only); beyond it the request is refused */
		ctx->body_seen += *upload_data_size;
		if (ctx->body_seen > HTTP_MAX_BODY)
			ctx->too_large = 1;
		else if (ctx->req.method == HTTP_POST)
			buf_append(&ctx->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return dispatch(ctx);
}

static int
parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6)
{
	memset(ss, 0, sizeof(*ss));
	const char *colon = strrchr(listen, ':');
	if (colon == NULL)
		return -1;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return -1;
	char host[64];
	size_t hlen = (size_t)(colon - listen);
	if (hlen >= sizeof(host))
		return -1;
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
		host[hlen - 1] = '\0';
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*v6 = 0;
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_info("http: %s", msg);
}

int
http_server_start(const struct http_config *cfg)
{
	config = *cfg;
	struct sockaddr_storage ss;
	int v6 = 0;
	if (parse_listen(cfg->listen, &ss, &v6) < 0) {
		log_error("--listen: expected HOST:PORT such as 127.0.0.1:8080 or [::1]:8080, got \"%s\"",
			  cfg->listen);
		return -1;
	}
	unsigned threads = cfg->threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 2;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
			 MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	daemon_handle = MHD_start_daemon(
		flags, 0, NULL, NULL, access_handler, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_MAX_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT_SECONDS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_POOL_BYTES,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_URI_LOG_CALLBACK, begin_request, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, end_request, NULL,
		MHD_OPTION_END);
	if (daemon_handle == NULL) {
		log_error("cannot listen on %s (in use, or not an address of this machine?)",
			  cfg->listen);
		return -1;
	}
	return 0;
}

void
http_server_stop(void)
{
	if (daemon_handle != NULL) {
		MHD_stop_daemon(daemon_handle);
		daemon_handle = NULL;
	}
}
