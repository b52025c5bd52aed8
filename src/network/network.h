/* network: the member municipalities of the network and their cross-country
 * twinning groups (two municipalities from two different countries). */
#ifndef NETWORK_H
#define NETWORK_H
#include <stddef.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "core/core_lang.h"
#include "db/db.h"

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

/* Number of twinning groups, of municipalities; -1 on a database error. */
int64_t network_count_groups(struct db *db);
int64_t network_count_municipalities(struct db *db);

#endif
