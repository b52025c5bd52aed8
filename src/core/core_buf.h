/* core_buf: growable byte buffer with a sticky error flag (append freely, check once). */
#ifndef CORE_BUF_H
#define CORE_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* malloc'ed, always NUL-terminated when len > 0 or cap > 0 */
	size_t len, cap;
	size_t limit;	/* 0 = no limit; appending past it sets failed */
	int failed;	/* sticky: set by an append that could not be done */
};

#define BUF_INIT {NULL, 0, 0, 0, 0}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);		/* len = 0, keeps memory, clears failed */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Returns the malloc'ed data (NUL-terminated, caller frees) and empties b. */
char *buf_detach(struct buf *b, size_t *len);

/* A NUL-terminated view of the contents ("" when empty). */
const char *buf_cstr(struct buf *b);

#endif
