/* fuzz_form: libFuzzer target for what reads untrusted form input — the query/form
 * decoder (every pair must come out as valid UTF-8 without NUL, the count bounded), the
 * e-mail normaliser of logins and profiles (an accepted address has one @, no spaces or
 * controls, is lower-case and at most 254 bytes), and the token shape check.
 * Build (the auth file needs the db and i18n layers at link time, so it links every
 * source file of src but main.c, after `make build/tawama` made build/gen/embedded.c):
 *   clang -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen
 *     tests/fuzz/fuzz_form.c (the .c files under src except src/main.c)
 *     build/gen/embedded.c (pkg-config --cflags --libs of the Makefile's PKGS)
 *     -lstemmer -lpthread -lm -o build/fuzz_form
 * Run:   build/fuzz_form -max_len=8192 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "core/core_utf8.h"
#include "http/http.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct arena *a = arena_new();
	struct http_param *p;
	size_t n;
	if (strlen(s) == size && http_parse_query(a, s, &p, &n, HTTP_MAX_PARAMS) == 0) {
		if (n > HTTP_MAX_PARAMS)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!utf8_valid(p[i].name, strlen(p[i].name)) ||
			    !utf8_valid(p[i].value, strlen(p[i].value)))
				abort();
	}
	const char *e = auth_email_normalize(a, s);
	if (e != NULL) {
		size_t len = strlen(e);
		const char *at = strchr(e, '@');
		if (len > 254 || at == NULL || strchr(at + 1, '@') != NULL)
			abort();
		for (const char *q = e; *q; q++)
			if ((unsigned char)*q <= 0x20 || isupper((unsigned char)*q))
				abort();
	}
	if (auth_token_well_formed(s) && strlen(s) != AUTH_TOKEN_LEN)
		abort();
	arena_free(a);
	free(s);
	return 0;
}
