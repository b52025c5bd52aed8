/* http_internal: what the files of the http layer share. */
#ifndef HTTP_INTERNAL_H
#define HTTP_INTERNAL_H
#include <stdint.h>
#include <stdlib.h>

/* 1 when an Accept-Encoding value accepts gzip. */
int http_accepts_gzip(const char *accept_encoding);

/* Gzips n bytes of in into a malloc'ed *out. 0 or -1. */
int http_gzip(const void *in, size_t n, int level, unsigned char **out, size_t *out_len);

#endif
