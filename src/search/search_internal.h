/* search_internal: what the analyzer's files share (search_analyze.c drives, the Arabic
 * and Latin files hold the language rules). Words are arrays of code points. */
#ifndef SEARCH_INTERNAL_H
#define SEARCH_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

int arabic_init(void);
int arabic_is_letter(uint32_t cp);
size_t arabic_fold(uint32_t *w, size_t n);
size_t arabic_stem(uint32_t *w, size_t n);
size_t arabic_prefix_form(uint32_t *w, size_t n, int typed_prefix);
size_t latin_fold(const uint32_t *w, size_t n, uint32_t *out);
int latin_is_elision(const uint32_t *w, size_t n);
void latin_fr_restore(char *s, size_t *n, size_t cap);
const char *latin_en_exception(const char *s, size_t n);

#endif
