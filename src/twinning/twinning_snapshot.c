/* twinning_snapshot: the progress of the twinning groups invited to a meeting (a group
 * counts as invited when an account of one of its two municipalities is), for the
 * meeting's page. Reads the invitations of the events module: a read-only join. */
#include <string.h>

#include "twinning/twinning_internal.h"

int
twinning_event_snapshot(struct db *db, struct arena *a, enum lang l, int64_t event_id,
			int64_t now, struct twinning_snapshot **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(
		db, "SELECT DISTINCT g.id FROM twinning_groups g JOIN users u ON u.municipality_id "
		    "IN (g.municipality_a, g.municipality_b) JOIN invitations i ON i.user_id = u.id "
		    "WHERE i.event_id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	int64_t ids[256];
	size_t n_ids = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n_ids < 256)
		ids[n_ids++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	if (n_ids == 0)
		return 0;
	struct tw_group *g;
	struct twinning_stats *s;
	size_t ng, ns;
	if (tw_group_list(db, a, l, &g, &ng) < 0 || twinning_stats_all(db, a, now, &s, &ns) < 0)
		return -1;
	*out = arena_alloc(a, n_ids * sizeof(**out));
	for (size_t i = 0; i < ng; i++) {
		int invited = 0;
		for (size_t k = 0; k < n_ids && !invited; k++)
			invited = ids[k] == g[i].id;
		if (!invited)
			continue;
		struct twinning_snapshot *o = &(*out)[(*n)++];
		memset(o, 0, sizeof(*o));
		o->slug = g[i].slug;
		o->name = g[i].name;
		o->status = g[i].status;
		for (size_t k = 0; k < ns; k++) {
			if (s[k].group_id != g[i].id)
				continue;
			o->completion = s[k].completion;
			o->reports = s[k].reports;
			o->last_period = s[k].last_period;
		}
	}
	return 0;
}
