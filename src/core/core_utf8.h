/* core_utf8: UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates). */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H
#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..n) is valid UTF-8 without NUL bytes, 0 otherwise. */
int utf8_valid(const char *s, size_t n);

/* Decodes one code point at s (n bytes available) into *cp; returns its length in
 * bytes (1-4), or -1 for an invalid or truncated sequence. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Number of code points in valid UTF-8 s. */
size_t utf8_length(const char *s, size_t n);

/* The byte length of at most max_chars whole characters of valid UTF-8 s. */
size_t utf8_prefix(const char *s, size_t n, size_t max_chars);

#endif
