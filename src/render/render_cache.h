/* render_cache: rendered pages kept per worker thread, with their gzip, valid while the
 * database has not changed (db_data_version). A hit costs one cheap SQL statement and a
 * copy instead of queries, Markdown, ICU formatting, templating and compression. */
#ifndef RENDER_CACHE_H
#define RENDER_CACHE_H
#include <stdint.h>

#include "http/http.h"

/* On a hit for key at version, fills res (content type, body, gzip copies) and
 * returns 1; returns 0 on a miss. */
int render_cache_get(const char *key, uint64_t version, struct response *res);

/* Keeps a copy of res (a 200 with a body) under key at version, with its gzip. */
void render_cache_put(const char *key, uint64_t version, const struct response *res);

#endif
