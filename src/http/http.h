/* http: the request and response seen by handlers, the route table, the server.
 * Only src/http/ includes <microhttpd.h>. */
#ifndef HTTP_H
#define HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "core/core_buf.h"
#include "core/core_lang.h"

/* Explicit limits (documented in README "Limits"). */
#define HTTP_MAX_URL		16384	/* bytes of the request target */
#define HTTP_MAX_HEADERS	16384	/* bytes of the request's header fields */
#define HTTP_POOL_BYTES		65536	/* MHD's per-connection memory: a head larger than
					 * this gets MHD's own bare 431 */
#define HTTP_MAX_BODY		65536	/* bytes of a form body */
#define HTTP_MAX_PARAMS		64	/* query or form parameters */
#define HTTP_MAX_CONNECTIONS	1000
#define HTTP_MAX_PER_IP		64
#define HTTP_TIMEOUT_SECONDS	20

enum http_method { HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4 };

struct http_param {
	const char *name, *value;	/* percent-decoded, NUL-terminated, valid UTF-8 */
};

struct request {
	struct arena *arena;		/* freed when the response is done */
	uint64_t id;
	enum http_method method;
	const char *path;		/* decoded path, e.g. "/ar/events/x" */
	const char *target;		/* the raw request target as received */
	struct http_param *query;
	size_t n_query;
	const char *captures[4];	/* the route's {name} segments, in order */
	size_t n_captures;
	enum lang lang;			/* from the route's {lang}, else negotiated */
	int is_api;			/* path starts with /api/ */
	void *conn;			/* the MHD connection (http layer only) */
	const char *body;		/* a POST body as received (NUL-terminated), or NULL */
	size_t body_len;
	struct http_param *form;	/* a POST form (application/x-www-form-urlencoded) */
	size_t n_form;
	void *user;			/* the signed-in account (set by the guard), or NULL */
	void *session;			/* the visitor's session (guard), or NULL */
	int personal;			/* the answer depends on who asks: never shared or
					 * cached (Cache-Control: private, no-store) */
};

struct http_header {
	const char *name, *value;
};

struct response {
	int status;			/* 200 unless set */
	const char *content_type;	/* default "text/html; charset=utf-8" */
	struct buf body;		/* malloc'ed, handed to MHD */
	const unsigned char *static_body; /* instead of body: bytes that outlive the request */
	size_t static_len;
	struct http_header headers[12];
	size_t n_headers;
	const char *etag;		/* quoted; a matching If-None-Match gives 304 */
	int max_age;			/* Cache-Control max-age seconds; 0: no-cache */
	int immutable;
	int compressible;		/* may be gzipped when the client accepts it */
	const unsigned char *gzip_body;	/* a precompressed body (static files) */
	size_t gzip_len;
	struct buf gzip;		/* or a gzip of body made by the handler (cache) */
};

/* Error codes a handler returns; each has a status and a translatable message. */
#define HTTP_ERRORS(X)                                                                   \
	X(HTTP_OK, 200, "OK")                                                            \
	X(HTTP_ERR_BAD_REQUEST, 400, "The request could not be understood.")             \
	X(HTTP_ERR_BAD_PARAM, 400, "A parameter of the request is not valid.")           \
	X(HTTP_ERR_LOGIN, 401, "Please log in to continue.")                             \
	X(HTTP_ERR_FORBIDDEN, 403, "You are not allowed to do this.")                    \
	X(HTTP_ERR_CSRF, 403, "This form has expired. Go back, reload the page and try again.") \
	X(HTTP_ERR_NOT_FOUND, 404, "There is no page at this address.")                  \
	X(HTTP_ERR_METHOD, 405, "This address does not accept this method.")             \
	X(HTTP_ERR_CONFLICT, 409, "Someone else changed this in the meantime. Reload the page to see their change.") \
	X(HTTP_ERR_TOO_LARGE, 413, "The request is too large.")                          \
	X(HTTP_ERR_UNSUPPORTED, 415, "This kind of request body is not accepted here.")  \
	X(HTTP_ERR_URI_TOO_LONG, 414, "The address is too long.")                        \
	X(HTTP_ERR_UNPROCESSABLE, 422, "The submitted data is not valid.")               \
	X(HTTP_ERR_TOO_MANY, 429, "Too many attempts. Please wait a few minutes and try again.") \
	X(HTTP_ERR_HEADERS_TOO_LARGE, 431, "The request headers are too large.")         \
	X(HTTP_ERR_INTERNAL, 500, "Something went wrong on our side. Please try again later.") \
	X(HTTP_ERR_UNAVAILABLE, 503, "The service is busy. Please try again in a moment.")

#define HTTP_ERR_ENUM(name, status, msg) name,
enum http_error { HTTP_ERRORS(HTTP_ERR_ENUM) HTTP_ERROR_COUNT };
#undef HTTP_ERR_ENUM

int http_error_status(enum http_error e);
const char *http_error_message(enum http_error e);	/* English msgid */
const char *http_error_code(enum http_error e);		/* "not_found", for JSON */

/* A handler fills res and returns HTTP_OK, or returns an error code and leaves res
 * alone: the error page (HTML in the reader's language, or JSON under /api/) is made
 * centrally. A handler may also set res->status itself (e.g. a redirect). */
typedef enum http_error (*http_handler)(struct request *req, struct response *res);

enum route_flags {
	ROUTE_JSON = 1,		/* errors as JSON objects */
	ROUTE_LOGIN = 2,	/* only for a signed-in account (else 401 / the login page) */
	ROUTE_CSRF = 4,		/* a POST must carry the session's CSRF token */
};

/* A route: methods it accepts, a pattern, a handler. Pattern segments are literals or
 * "{lang}" (ar, en, fr: anything else is 404), "{slug}" ([a-z0-9-]{1,100}), "{file}"
 * ([A-Za-z0-9._-]{1,100}, no leading dot); the last
 * segment may be "{slug}.ext" with a literal suffix. A trailing "/" is significant. */
struct route {
	unsigned methods;	/* HTTP_GET | HTTP_HEAD ... */
	const char *pattern;
	http_handler handler;
	unsigned flags;
};

/* Finds the route for path. Returns the route and fills captures (in arena a), or
 * NULL. When NULL, *allowed holds the methods of the routes that matched the path but
 * not the method (nonzero means 405), and *lang_bad is set when {lang} held an unknown
 * code. */
const struct route *http_route_match(const struct route *routes, size_t n, const char *path,
				     unsigned method, struct arena *a, const char **captures,
				     size_t *n_captures, unsigned *allowed, int *lang_bad);

/* Query parsing: splits "a=1&b=%C3%A9" into decoded pairs (allocated in a). Returns 0,
 * or -1 on malformed percent-encoding, invalid UTF-8, a NUL byte, or more than max
 * pairs. "+" decodes to a space. */
int http_parse_query(struct arena *a, const char *qs, struct http_param **out, size_t *n,
		     size_t max);
/* Decodes %XX in s (length n) into a new string; 0 or -1 (bad escape, NUL, invalid
 * UTF-8). plus_is_space for query strings and forms. */
int http_percent_decode(struct arena *a, const char *s, size_t n, int plus_is_space,
			char **out);

/* The first value of a query parameter, or NULL. */
const char *http_query_get(const struct request *req, const char *name);
/* A request header (case-insensitive), or NULL. */
const char *http_header_get(const struct request *req, const char *name);
/* A cookie sent by the client, or NULL. */
const char *http_cookie_get(const struct request *req, const char *name);
/* The first value of a form field of a POST, or NULL. */
const char *http_form_get(const struct request *req, const char *name);
/* The client's address as text ("127.0.0.1", "::1"): the peer of the connection, or,
 * when config_trust_proxy() is on, the last address of X-Forwarded-For (the one the
 * reverse proxy added). Allocated in the request's arena. */
const char *http_client_addr(const struct request *req);

/* 1 when the request's If-None-Match holds etag (or is "*"): the representation the
 * client has is current. The server answers 304 by itself when a handler sets
 * res->etag; a handler may also ask first to skip expensive work. */
int http_etag_matches(const struct request *req, const char *etag);

/* Adds a response header (name and value must outlive the request: literals or arena). */
void http_add_header(struct response *res, const char *name, const char *value);
/* Sets a redirect (302/303/301) to location. */
void http_redirect(struct response *res, int status, const char *location);

/* Renders the error page for e: set at start-up by the application (it knows the
 * templates); the http layer falls back to plain text when unset. */
typedef void (*http_error_renderer)(struct request *req, struct response *res,
				    enum http_error e);

struct http_config {
	const char *listen;		/* "127.0.0.1:8080" or "[::1]:8080" */
	const struct route *routes;
	size_t n_routes;
	http_error_renderer render_error;
	void (*before)(struct request *req);	/* per request, before the handler */
	void (*after)(struct request *req, struct response *res); /* after it */
	/* After before(), when a route matched: identifies the visitor (req->user,
	 * req->session) and enforces the route's flags. Returns HTTP_OK to run the
	 * handler, an error to answer instead, or HTTP_OK with res->status set (a
	 * redirect) to answer with res. */
	enum http_error (*guard)(struct request *req, struct response *res, unsigned flags);
	unsigned threads;		/* 0: number of cores */
	int quiet;			/* no per-request log lines */
};

/* Starts serving (returns once listening) and returns 0, or -1 (logged). */
int http_server_start(const struct http_config *cfg);
/* Stops accepting, finishes the requests in flight, joins the threads. */
void http_server_stop(void);

/* The static file handler: /static/{name} with ETag, long cache for fingerprinted
 * names, gzip when accepted. The stylesheet's fingerprinted URL for templates. */
enum http_error http_static_handler(struct request *req, struct response *res);
int http_static_init(void);
void http_static_free(void);
const char *http_static_url(const char *name);	/* "/static/style.3f2a9c1b.css" */

#endif
