/* http_response: the error table, response helpers, gzip and content negotiation. */
#include <string.h>
#include <zlib.h>

#include "http/http.h"
#include "http/http_internal.h"

#define HTTP_ERR_ROW(name, status, msg) {status, msg, #name},
static const struct {
	int status;
	const char *message;
	const char *name;
} errors[] = {HTTP_ERRORS(HTTP_ERR_ROW)};
#undef HTTP_ERR_ROW

int
http_error_status(enum http_error e)
{
	return (e >= 0 && e < HTTP_ERROR_COUNT) ? errors[e].status : 500;
}

const char *
http_error_message(enum http_error e)
{
	return (e >= 0 && e < HTTP_ERROR_COUNT) ? errors[e].message : errors[HTTP_ERR_INTERNAL].message;
}

const char *
http_error_code(enum http_error e)
{
	static const char *const codes[HTTP_ERROR_COUNT] = {
		[HTTP_OK] = "ok",
		[HTTP_ERR_BAD_REQUEST] = "bad_request",
		[HTTP_ERR_BAD_PARAM] = "bad_parameter",
		[HTTP_ERR_LOGIN] = "login_required",
		[HTTP_ERR_FORBIDDEN] = "forbidden",
		[HTTP_ERR_CSRF] = "csrf_token_invalid",
		[HTTP_ERR_NOT_FOUND] = "not_found",
		[HTTP_ERR_CONFLICT] = "conflict",
		[HTTP_ERR_UNSUPPORTED] = "unsupported_media_type",
		[HTTP_ERR_TOO_MANY] = "too_many_requests",
		[HTTP_ERR_METHOD] = "method_not_allowed",
		[HTTP_ERR_TOO_LARGE] = "payload_too_large",
		[HTTP_ERR_URI_TOO_LONG] = "uri_too_long",
		[HTTP_ERR_UNPROCESSABLE] = "unprocessable",
		[HTTP_ERR_HEADERS_TOO_LARGE] = "headers_too_large",
		[HTTP_ERR_INTERNAL] = "internal_error",
		[HTTP_ERR_UNAVAILABLE] = "unavailable",
	};
	return (e >= 0 && e < HTTP_ERROR_COUNT && codes[e] != NULL) ? codes[e] : "internal_error";
}

void
http_add_header(struct response *res, const char *name, const char *value)
{
	if (res->n_headers >= sizeof(res->headers) / sizeof(res->headers[0]))
		return;
	res->headers[res->n_headers].name = name;
	res->headers[res->n_headers].value = value;
	res->n_headers++;
}

void
http_redirect(struct response *res, int status, const char *location)
{
	res->status = status;
	http_add_header(res, "Location", location);
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, location);
}

int
http_accepts_gzip(const char *h)
{
	if (h == NULL)
		return 0;
	const char *p = h;
	while ((p = strstr(p, "gzip")) != NULL) {
		int start_ok = p == h || p[-1] == ' ' || p[-1] == ',';
		const char *q = p + 4;
		while (*q == ' ')
			q++;
		if (start_ok && (*q == '\0' || *q == ',' || *q == ';')) {
			if (*q != ';')
				return 1;
			q++;
			while (*q == ' ')
				q++;
			/* "q=0", "q=0.0", "q=0.000" refuse; anything else accepts */
			if (strncmp(q, "q=0", 3) == 0) {
				const char *r = q + 3;
				if (*r == '.')
					r++;
				while (*r == '0')
					r++;
				if (*r == '\0' || *r == ',' || *r == ' ')
					return 0;
			}
			return 1;
		}
		p += 4;
	}
	return 0;
}

int
http_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	size_t cap = deflateBound(&z, (uLong)n) + 32;
	unsigned char *dst = malloc(cap);
	if (dst == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = dst;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(dst);
		return -1;
	}
	*out = dst;
	*out_len = cap - z.avail_out;
	return 0;
}
