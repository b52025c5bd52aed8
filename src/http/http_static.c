/* http_static: the files under static/ from the binary, fingerprinted, pre-gzipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_embed.h"
#include "core/core_log.h"
#include "http/http.h"
#include "http/http_internal.h"

#define STATIC_MAX 32
#define STATIC_PREFIX "static/"

struct static_file {
	const char *name;		/* "style.css" */
	const struct embedded_file *file;
	char hashed[96];		/* "style.1a2b3c4d.css" */
	char url[112];			/* "/static/style.1a2b3c4d.css" */
	char etag[24];			/* "\"1a2b3c4d5e6f7a8b\"" */
	const char *type;
	unsigned char *gz;
	size_t gz_len;
};

static struct static_file files[STATIC_MAX];
static size_t n_files;

static const struct {
	const char *ext, *type;
	int compress;
} types[] = {
	{".css", "text/css; charset=utf-8", 1},
	{".js", "text/javascript; charset=utf-8", 1},
	{".svg", "image/svg+xml", 1},
	{".ico", "image/x-icon", 0},
	{".png", "image/png", 0},
	{".txt", "text/plain; charset=utf-8", 1},
};

static uint64_t
fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int
http_static_init(void)
{
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *ef = &embedded_files[i];
		if (strncmp(ef->name, STATIC_PREFIX, strlen(STATIC_PREFIX)) != 0)
			continue;
		if (n_files == STATIC_MAX) {
			BUG("more than %d static files", STATIC_MAX);
			return -1;
		}
		struct static_file *f = &files[n_files++];
		f->file = ef;
		const char *name = ef->name + strlen(STATIC_PREFIX);
		f->name = name;
		uint64_t h = fnv1a(ef->data, ef->len);
		const char *dot = strrchr(name, '.');
		if (dot == NULL)
			dot = name + strlen(name);
		char hashed[sizeof(f->hashed)];
		snprintf(hashed, sizeof(hashed), "%.*s.%08x%s", (int)(dot - name), name,
			 (unsigned)(h & 0xffffffffu), dot);
		memcpy(f->hashed, hashed, sizeof(hashed));
		snprintf(f->url, sizeof(f->url), "/static/%s", hashed);
		snprintf(f->etag, sizeof(f->etag), "\"%016llx\"", (unsigned long long)h);
		f->type = "application/octet-stream";
		int compress = 0;
		for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
			size_t el = strlen(types[t].ext), nl = strlen(f->name);
			if (nl > el && strcmp(f->name + nl - el, types[t].ext) == 0) {
				f->type = types[t].type;
				compress = types[t].compress;
			}
		}
		if (compress && http_gzip(ef->data, ef->len, 9, &f->gz, &f->gz_len) < 0)
			return -1;
	}
	return 0;
}

void
http_static_free(void)
{
	for (size_t i = 0; i < n_files; i++)
		free(files[i].gz);
	memset(files, 0, sizeof(files));
	n_files = 0;
}

const char *
http_static_url(const char *name)
{
	for (size_t i = 0; i < n_files; i++)
		if (strcmp(files[i].name, name) == 0)
			return files[i].url;
	BUG("no static file %s", name);
	return "/static/missing";
}

enum http_error
http_static_handler(struct request *req, struct response *res)
{
	const char *name = req->path + strlen("/static/");
	for (size_t i = 0; i < n_files; i++) {
		struct static_file *f = &files[i];
		int hashed = strcmp(name, f->hashed) == 0;
		if (!hashed && strcmp(name, f->name) != 0)
			continue;
		res->static_body = f->file->data;
		res->static_len = f->file->len;
		res->content_type = f->type;
		res->etag = f->etag;
		res->max_age = hashed ? 31536000 : 300;
		res->immutable = hashed;
		if (f->gz != NULL) {
			res->compressible = 1;
			res->gzip_body = f->gz;
			res->gzip_len = f->gz_len;
		}
		return HTTP_OK;
	}
	return HTTP_ERR_NOT_FOUND;
}
