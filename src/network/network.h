/* network: the member municipalities of the network and their cross-country
 * twinning groups (two municipalities from two different countries). */
#ifndef NETWORK_H
#define NETWORK_H
#include <stddef.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "core/core_lang.h"
#include "db/db.h"
#include "http/http.h"

#define NETWORK_NAME_MAX 200		/* characters of a name or a governorate */
#define NETWORK_FIGURE_MAX 100000000	/* population, displaced people hosted */
#define NETWORK_YEAR_MIN 1900		/* of the displaced figure */

/* A member municipality. Figures are plausible round numbers; displaced_year is the
 * year both figures refer to (0: unknown). Negative figures mean "unknown". */
struct municipality {
	const char *slug;		/* [a-z0-9-]{1,100}, stable */
	const char *name[LANG_COUNT];	/* NULL where missing; at least one */
	const char *country;		/* ISO 3166-1 alpha-2, e.g. "JO" */
	const char *governorate;	/* governorate or province, may be NULL */
	int64_t population;
	int64_t displaced;		/* displaced people hosted */
	int displaced_year;
};

enum group_status {
	GROUP_FORMING,
	GROUP_ACTIVE,
	GROUP_PAUSED,
	GROUP_COMPLETED,
	GROUP_STATUS_COUNT
};

/* "forming", "active", "paused", "completed". */
const char *group_status_code(enum group_status s);
int group_status_from_code(const char *s);	/* -1 when unknown */

/* A twinning group: two municipalities (by slug) from two different countries. */
struct twinning_group {
	const char *slug;		/* [a-z0-9-]{1,100}, stable */
	const char *name[LANG_COUNT];	/* NULL where missing; at least one */
	const char *municipality_a, *municipality_b;	/* municipality slugs */
	const char *formed_event;	/* slug of the event it was formed at, or NULL */
	enum group_status status;
	const char *const *themes;	/* theme slugs (themes must exist) */
	size_t n_themes;
	int64_t created;		/* UTC seconds */
};

/* Inserts or updates (by slug) one municipality. Runs inside the caller's
 * transaction. 0, or -1 with a reason in err (bad field, unknown country, database
 * error). */
int network_save_municipality(struct db *db, const struct municipality *m, char *err,
			      size_t errlen);

/* Inserts or updates (by slug) one twinning group and replaces its themes. Both
 * municipalities, the formation event and the themes must already exist, and the
 * municipalities must be in two different countries. Runs inside the caller's
 * transaction. 0, or -1 with a reason in err. */
int network_save_group(struct db *db, const struct twinning_group *g, char *err,
		       size_t errlen);

/* A municipality's id and name in one language (falling back to another). */
struct municipality_name {
	int64_t id;
	const char *slug;
	const char *name;
	const char *country;
};

/* Every municipality, by country then name, names in language l (strings in a).
 * 0 or -1. */
int network_municipality_names(struct db *db, struct arena *a, enum lang l,
			       struct municipality_name **out, size_t *n);

/* ---- a municipality's record as a form gives it, and its rules ------------------- */

enum muni_field {
	MF_NAME_AR, MF_NAME_EN, MF_NAME_FR, MF_COUNTRY, MF_GOVERNORATE, MF_POPULATION,
	MF_DISPLACED, MF_YEAR, MF_COUNT
};

enum muni_problem {
	MP_NONE,
	MP_NO_NAME,		/* no name in any language (noted on the first name) */
	MP_TOO_LONG,		/* more than NETWORK_NAME_MAX characters */
	MP_CONTROL,		/* control characters, or not valid UTF-8 */
	MP_COUNTRY,		/* not an ISO 3166-1 alpha-2 code of the countries table */
	MP_NUMBER,		/* not a whole number */
	MP_TOO_BIG,		/* over NETWORK_FIGURE_MAX */
	MP_YEAR,		/* not a year from NETWORK_YEAR_MIN to next year */
	MP_YEAR_NEEDED,		/* a displaced figure without its year */
};

/* The field's name in forms and JSON: "name_ar", ..., "displaced_year". */
const char *network_field_name(enum muni_field f);

/* Checks a municipality's fields as a form gives them (text; "" or NULL when left
 * empty) and fills m (strings allocated in a; m->slug is left alone). Names and the
 * governorate are trimmed, empty means none, at least one name is needed. Figures are
 * whole numbers from 0 to NETWORK_FIGURE_MAX written in Western, Arabic-Indic or
 * Persian digits, grouped or not (spaces, commas, U+066C, no-break spaces); empty
 * means unknown (-1). The year of the figures runs from NETWORK_YEAR_MIN to this_year
 * + 1 and is needed with a displaced figure. The country must have the shape of a code
 * ("JO"): whether it exists is the store's to say (network_country_exists). Sets
 * problems[f] for each wrong field (MP_NONE for the others) and returns how many are
 * wrong. */
size_t network_municipality_check(struct arena *a, const char *const in[MF_COUNT], int this_year,
				  struct municipality *m, enum muni_problem problems[MF_COUNT]);

/* 1 when code is in the countries table, 0 when not, -1 on a database error. */
int network_country_exists(struct db *db, const char *code);
/* Every code of the countries table, in code order (strings in a). 0 or -1. */
int network_country_codes(struct db *db, struct arena *a, const char ***out, size_t *n);

/* ---- municipalities as the directory and their pages show them -------------------- */

/* A theme (the events' vocabulary) that a twinning group works on. */
struct network_theme {
	const char *slug;
	const char *name[LANG_COUNT];
};

/* A twinning group seen from one of its municipalities. */
struct member_group {
	int64_t id;
	const char *slug;
	const char *name[LANG_COUNT];
	enum group_status status;
	const char *partner_slug, *partner_country;
	const char *partner_name[LANG_COUNT];
	const struct network_theme **themes;
	size_t n_themes;
};

/* A municipality with its twinning groups and their themes (each theme once). */
struct member {
	int64_t id;
	struct municipality m;
	struct member_group *groups;
	size_t n_groups;
	const struct network_theme **themes;
	size_t n_themes;
};

/* Loads every municipality (slug NULL) or the one with this slug, in id order, with
 * their groups and themes; strings in a. 0 (*n may be 0: no such slug) or -1. */
int network_members(struct db *db, struct arena *a, const char *slug, struct member **out,
		    size_t *n);

/* A name of a record in l, or, when it has none in l, in another language (English,
 * then French, then Arabic); *shown (may be NULL) says which. NULL when none. */
const char *network_name_for(const char *const name[LANG_COUNT], enum lang l, enum lang *shown);

/* ---- searching names in the three languages --------------------------------------- */

/* A compiled query: its words, each with the forms that may match a name's token. */
struct network_query {
	struct nq_word *words;
	size_t n_words;
};

#define NETWORK_QUERY_MAX 500	/* bytes of a query */

/* Splits q into words and analyzes each with the search analyzer (src/search) the way
 * an Arabic, English and French reader would write it, so that إربد, اربد and Irbid,
 * Saïda and Saida, الزرقاء and زرقاء meet. Allocates in a. 0, or -1 on an analyzer
 * error. */
int network_query_compile(struct arena *a, const char *q, struct network_query *out);

/* 1 when every word of q matches the start of some word of one of the names (in any
 * of the three languages), 0 otherwise. A query without words matches everything. */
int network_query_match(struct arena *a, const struct network_query *q,
			const char *const name[LANG_COUNT]);

/* ---- the directory: search, criteria, facets, pages -------------------------------- */

enum dir_dim { DD_COUNTRY, DD_THEME, DD_COUNT };

#define DIRECTORY_MAX_VALUES 16		/* values of one criterion in a request */
#define DIRECTORY_PAGE_SIZE 20
#define DIRECTORY_MAX_PAGE 10000

/* What /{lang}/members and /api/v1/municipalities accept: q (names), country and
 * theme (each repeated: OR; criteria together: AND), page. */
struct directory_params {
	const char *q;
	const char *values[DD_COUNT][DIRECTORY_MAX_VALUES];
	size_t n_values[DD_COUNT];
	int page;
};

/* Reads req's query into p. HTTP_OK, or HTTP_ERR_BAD_PARAM (a country that is not two
 * capitals, a theme that is not a slug, too many values, a page out of 1..10000, a q
 * over NETWORK_QUERY_MAX bytes). Other parameters are ignored. */
enum http_error network_directory_params(const struct request *req, struct directory_params *p);

/* The query string of p ("?q=...&country=JO" or ""), with one value of dimension dim
 * toggled (dim -1: none) and a page (<= 1: none). Allocated in a. */
const char *network_directory_query(struct arena *a, const struct directory_params *p, int dim,
				    const char *value, int page);

struct directory_facet {
	const char *code;	/* "JO", "waste-management" */
	const char *label;	/* in the reader's language */
	size_t count;		/* results when this value is chosen (with the others) */
	int selected;
};

struct directory_result {
	size_t total;
	const struct member **items;	/* the page, by name in the reader's language */
	size_t n;
	struct directory_facet *facets[DD_COUNT];
	size_t n_facets[DD_COUNT];
};

/* Runs p over the n members of all for a reader of l: the matches, the page asked,
 * and, for each criterion, its values with the number of matches each would give
 * with every other criterion kept (unknown selected values stay listed with 0).
 * Allocates in a. 0, or -1 on an analyzer error. */
int network_directory(struct arena *a, const struct member *all, size_t n,
		      const struct directory_params *p, enum lang l, struct directory_result *out);

/* ---- demo, routes --------------------------------------------------------------- */

#define NETWORK_DEMO_PASSWORD "demo-password-2026"
#define NETWORK_DEMO_DOMAIN "demo.tawama.org"

/* Creates the demo network's accounts (an administrator, two facilitators, one or two
 * representatives per municipality — two for those in a twinning group) with the one
 * documented password, hashed once. Deterministic; an existing address is left
 * alone. Runs inside the caller's transaction. 0, or -1 with a reason in err. */
int network_demo_accounts(struct db *db, char *err, size_t errlen);

/* The module's routes (network_routes.c), for the server's route table. */
extern const struct route network_routes[];
extern const size_t network_n_routes;

/* 1 when a municipality has this id, 0 when none, -1 on a database error. */
int network_municipality_exists(struct db *db, int64_t id);

/* Number of twinning groups, of municipalities; -1 on a database error. */
int64_t network_count_groups(struct db *db);
int64_t network_count_municipalities(struct db *db);

#endif
