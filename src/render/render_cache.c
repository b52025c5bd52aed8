/* render_cache: a small per-thread table of rendered pages (no locks: one per thread). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_log.h"
#include "http/http_internal.h"
#include "render/render_cache.h"

#define CACHE_SLOTS 256		/* per thread; a slot holds one page (~10 KB + gzip) */
#define CACHE_KEY_MAX 160
#define CACHE_BODY_MAX (256 * 1024)

struct entry {
	char key[CACHE_KEY_MAX];
	uint64_t version;
	const char *content_type;	/* a string literal of the handler */
	char *body, *gz;
	size_t body_len, gz_len;
};

struct cache {
	struct entry slots[CACHE_SLOTS];
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void
cache_destroy(void *p)
{
	struct cache *c = p;
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(c->slots[i].body);
		free(c->slots[i].gz);
	}
	free(c);
}

static void
cache_key_init(void)
{
	if (pthread_key_create(&cache_key, cache_destroy) != 0)
		die("pthread_key_create failed");
}

static struct cache *
thread_cache(void)
{
	pthread_once(&cache_once, cache_key_init);
	struct cache *c = pthread_getspecific(cache_key);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL)
			die("out of memory");
		pthread_setspecific(cache_key, c);
	}
	return c;
}

static struct entry *
slot_for(struct cache *c, const char *key)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return &c->slots[h % CACHE_SLOTS];
}

int
render_cache_get(const struct request *req, const char *key, uint64_t version,
		 struct response *res)
{
	if (req->personal || strlen(key) >= CACHE_KEY_MAX)
		return 0;
	struct entry *e = slot_for(thread_cache(), key);
	if (e->body == NULL || e->version != version || strcmp(e->key, key) != 0)
		return 0;
	res->content_type = e->content_type;
	res->compressible = 1;
	buf_reset(&res->body);
	buf_append(&res->body, e->body, e->body_len);
	buf_reset(&res->gzip);
	if (e->gz != NULL)
		buf_append(&res->gzip, e->gz, e->gz_len);
	return 1;
}

void
render_cache_put(const struct request *req, const char *key, uint64_t version,
		 const struct response *res)
{
	if (req->personal || strlen(key) >= CACHE_KEY_MAX || res->body.failed || res->body.len == 0 ||
	    res->body.len > CACHE_BODY_MAX || (res->status != 0 && res->status != 200))
		return;
	struct entry *e = slot_for(thread_cache(), key);
	free(e->body);
	free(e->gz);
	memset(e, 0, sizeof(*e));
	e->body = malloc(res->body.len);
	if (e->body == NULL)
		return;
	memcpy(e->body, res->body.data, res->body.len);
	e->body_len = res->body.len;
	unsigned char *gz;
	size_t gz_len;
	if (http_gzip(res->body.data, res->body.len, 6, &gz, &gz_len) == 0) {
		e->gz = (char *)gz;
		e->gz_len = gz_len;
	}
	memcpy(e->key, key, strlen(key) + 1);
	e->version = version;
	e->content_type = res->content_type;
}
