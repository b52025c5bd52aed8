/* core_embed: files compiled into the binary (templates, static, migrations). */
#ifndef CORE_EMBED_H
#define CORE_EMBED_H
#include <stddef.h>

struct embedded_file {
	const char *name;		/* path relative to the source tree */
	const unsigned char *data;	/* NUL-terminated after len bytes */
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_count;

/* Returns the embedded file with exactly this name, or NULL. */
const struct embedded_file *embed_find(const char *name);

#endif
