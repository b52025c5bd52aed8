/* core_arena: region allocator; everything a request allocates lives in its arena. */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an empty arena. Aborts if memory is exhausted. */
struct arena *arena_new(void);

/* Runs the deferred destructors (last registered first), then frees every block. */
void arena_free(struct arena *a);

/* Returns n zeroed bytes aligned for any type, valid until arena_free. Aborts on OOM. */
void *arena_alloc(struct arena *a, size_t n);

/* Copies of strings; arena_strndup copies at most n bytes and NUL-terminates. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Registers fn(ptr) to run when the arena is freed (json_t, cmark nodes, ...). */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

/* Bytes handed out so far (for tests and statistics). */
size_t arena_used(const struct arena *a);

#endif
