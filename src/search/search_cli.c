/* search_cli: `tawama analyze`, the analyzer on standard input, one text a line. */
#include <stdio.h>
#include <string.h>

#include "core/core_lang.h"
#include "search/search.h"

#define LINE_MAX_BYTES 65536

static const char usage[] =
	"usage: tawama analyze --lang ar|en|fr [--mode index|query|prefix]\n"
	"  reads one text a line on standard input (at most 65536 bytes a line) and\n"
	"  prints, for each, its tokens separated by spaces (index mode includes the\n"
	"  colocated surface forms)\n";

struct mode_name {
	const char *name;
	enum analyze_mode mode;
};

static const struct mode_name modes[] = {
	{"index", ANALYZE_INDEX},
	{"query", ANALYZE_QUERY},
	{"prefix", ANALYZE_PREFIX},
};

struct out_line {
	FILE *f;
	int first;
};

static int
print_token(void *ctx, const char *text, size_t len, size_t start, size_t end,
	    int colocated)
{
	struct out_line *o = ctx;
	if (!o->first)
		fputc(' ', o->f);
	o->first = 0;
	fwrite(text, 1, len, o->f);
	return 0;
}

/* Reads the arguments after "analyze"; -1 on a bad one. */
static int
parse_args(int argc, char **argv, enum lang *lang, enum analyze_mode *mode)
{
	*lang = LANG_NONE;
	*mode = ANALYZE_INDEX;
	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			return -1;
		const char *v = argv[i + 1];
		if (strcmp(argv[i], "--lang") == 0) {
			*lang = lang_from_code(v);
			if (*lang == LANG_NONE)
				return -1;
		} else if (strcmp(argv[i], "--mode") == 0) {
			size_t k = 0, nmodes = sizeof(modes) / sizeof(modes[0]);
			while (k < nmodes && strcmp(v, modes[k].name) != 0)
				k++;
			if (k == nmodes)
				return -1;
			*mode = modes[k].mode;
		} else {
			return -1;
		}
		i++;
	}
	return *lang == LANG_NONE ? -1 : 0;
}

int
search_analyze_cli(int argc, char **argv)
{
	enum lang lang;
	enum analyze_mode mode;
	static char line[LINE_MAX_BYTES];
	int status = 0;
	if (parse_args(argc, argv, &lang, &mode) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	unsigned long lineno = 0;
	for (;;) {
		size_t n = 0;
		int c, eof = 0;
		while ((c = getc(stdin)) != EOF && c != '\n') {
			if (n == LINE_MAX_BYTES) {
				fprintf(stderr,
					"tawama analyze: line %lu is longer than %d bytes\n",
					lineno + 1, LINE_MAX_BYTES);
				status = 1;
				goto done;
			}
			line[n++] = (char)c;
		}
		if (c == EOF) {
			eof = 1;
			if (n == 0)
				break;
		}
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		struct out_line o = {stdout, 1};
		if (search_analyze(line, n, lang, mode, print_token, &o) != 0) {
			fprintf(stderr, "tawama analyze: line %lu: analyzer error\n", lineno);
			status = 1;
			goto done;
		}
		fputc('\n', stdout);
		if (eof)
			break;
	}
	if (ferror(stdin)) {
		fputs("tawama analyze: read error\n", stderr);
		status = 1;
	}
done:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("tawama analyze: write error\n", stderr);
		status = 1;
	}
	search_thread_free();
	return status;
}
