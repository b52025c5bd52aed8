/* render_cache: rendered pages kept per worker thread, with their gzip, valid while the
 * database has not changed (db_data_version). A hit costs one cheap SQL statement and a
 * copy instead of queries, Markdown, ICU formatting, templating and compression. */
#ifndef RENDER_CACHE_H
#define RENDER_CACHE_H
#include <stdint.h>

#include "http/http.h"

/* On a hit for key at version, fills res (content type, body, gzip copies) and
 * returns 1; returns 0 on a miss, and always for a personal request (req->personal:
 * a signed-in reader's pages are never shared). */
int render_cache_get(const struct request *req, const char *key, uint64_t version,
		     struct response *res);

/* Keeps a copy of res (a 200 with a body) under key at version, with its gzip, unless
 * req is personal. */
void render_cache_put(const struct request *req, const char *key, uint64_t version,
		      const struct response *res);

#endif
