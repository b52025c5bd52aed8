/* fuzz_tmpl: libFuzzer target for the template parser and renderer. The input is
 * "main source \0 included source \0 JSON context"; missing parts are empty.
 * Build: clang -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc
 *        -Ibuild/gen tests/fuzz/fuzz_tmpl.c src/render/render_tmpl.c
 *        src/render/render_escape.c src/core/core_arena.c src/core/core_buf.c
 *        src/core/core_log.c build/gen/embedded.c src/core/core_embed.c -ljansson */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_buf.h"
#include "render/render_tmpl.h"

/* The next NUL-separated part of data as a fresh string. */
static char *
part(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	size_t n = (size_t)((nul != NULL ? nul : end) - *p);
	char *s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nul != NULL ? nul + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *main_src = part(&p, end);
	char *inc_src = part(&p, end);
	char *json = part(&p, end);
	const char *names[] = {"main", "inc"};
	const char *srcs[] = {main_src, inc_src};
	char err[256];
	struct tmpl_set *set;

	if (tmpl_load_sources(&set, names, srcs, 2, err, sizeof(err)) == 0) {
		json_t *ctx = json_loads(json, JSON_DECODE_ANY, NULL);
		struct buf out = BUF_INIT;
		out.limit = 1 << 20;
		tmpl_render(tmpl_get(set, "main"), ctx, &out);
		buf_free(&out);
		json_decref(ctx);
		tmpl_set_free(set);
	} else if (strchr(err, ':') == NULL) {
		abort();	/* every refusal says where */
	}
	free(main_src);
	free(inc_src);
	free(json);
	return 0;
}
