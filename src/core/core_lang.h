/* core_lang: the three interface and content languages. */
#ifndef CORE_LANG_H
#define CORE_LANG_H
#include <stddef.h>

enum lang { LANG_AR, LANG_EN, LANG_FR, LANG_COUNT, LANG_NONE = -1 };

/* "ar", "en", "fr". */
const char *lang_code(enum lang l);
/* Exactly "ar", "en" or "fr" (case-sensitive); LANG_NONE otherwise. */
enum lang lang_from_code(const char *s);
/* Same, for the first n bytes of s. */
enum lang lang_from_code_n(const char *s, size_t n);
/* "rtl" for Arabic, "ltr" otherwise. */
const char *lang_dir(enum lang l);
/* The language's own name: "العربية", "English", "Français". */
const char *lang_native_name(enum lang l);
/* The best language for an Accept-Language header value (NULL or junk: English). */
enum lang lang_negotiate(const char *accept_language);

#endif
