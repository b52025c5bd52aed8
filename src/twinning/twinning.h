/* twinning: what a twinning group does once formed — its workspace (members, the work
 * plan of milestones, quarterly progress reports with a self-assessment, facilitators'
 * comments and evaluations, the timeline of every change), the facilitators' form that
 * creates and edits groups, the JSON under /api/v1/groups, the demo plans, and the
 * figures a facilitators' dashboard reads (below). Groups and municipalities
 * themselves are stored by src/network. */
#ifndef TWINNING_H
#define TWINNING_H
#include <stddef.h>
#include <stdint.h>

#include "core/core_arena.h"
#include "db/db.h"
#include "http/http.h"
#include "network/network.h"

extern const struct route twinning_routes[];
extern const size_t twinning_n_routes;

/* Adds the demo network's work plans, milestones at different stages, a few quarters
 * of progress reports with self-assessments, facilitators' comments and evaluations,
 * and their timelines to the demo's twinning groups (made by events_demo), and
 * publishes all but the group still forming. Deterministic: fixed dates, no clock;
 * milestone owners and report authors are the first account of their municipality
 * when one exists, else none. A group that already has a timeline is left alone, so
 * running it again changes nothing. In its own transaction: 0, or -1 (logged, nothing
 * written). */
int twinning_demo(struct db *db);

/* ---- The facilitators' dashboard: figures per group ---------------------------------
 *
 * For a dashboard built on this module (and for the group list of staff). Every
 * function reads the database only, allocates in a, and returns 0, or -1 on a
 * database error. Times are UTC seconds; "today" is given by the caller (now), so
 * the figures can be tested and cached. */

enum milestone_status {
	MILESTONE_PLANNED,
	MILESTONE_IN_PROGRESS,
	MILESTONE_DONE,
	MILESTONE_BLOCKED,
	MILESTONE_STATUS_COUNT
};

/* "planned", "in-progress", "done", "blocked"; _from_code gives -1 when unknown. */
const char *milestone_status_code(enum milestone_status s);
int milestone_status_from_code(const char *s);

struct twinning_stats {
	int64_t group_id;
	const char *slug;
	enum group_status status;
	int published;
	/* the work plan */
	int milestones;				/* all of them */
	int by_status[MILESTONE_STATUS_COUNT];	/* how many are planned, in progress, ... */
	int overdue;				/* due before today and not done */
	double completion;			/* mean progress of the milestones, 0..100
						 * (0 without milestones) */
	double weighted_completion;		/* the same, each milestone weighted by the
						 * days it was planned for (from its creation
						 * to its due date, at least one): a long piece
						 * of work counts more than a short one */
	/* reports */
	int reports;
	const char *last_period;		/* "2026-Q3", NULL without reports */
	int64_t last_report;			/* when a report was last filed or edited,
						 * 0 without reports */
	/* evaluations */
	int evaluations;			/* facilitators' comments with a score */
	double evaluation_mean;			/* their mean score 1..5 (0 without) */
	/* the timeline */
	int64_t last_activity;			/* the latest change of any kind, 0: none */
};

/* The figures of one group (by slug): 0, 1 when there is no such group, -1. */
int twinning_stats_one(struct db *db, struct arena *a, const char *slug, int64_t now,
		       struct twinning_stats *out);
/* The figures of every group, by slug, in a fixed number of queries (no query per
 * group). */
int twinning_stats_all(struct db *db, struct arena *a, int64_t now, struct twinning_stats **out,
		       size_t *n);

/* Reports per quarter across the network, oldest first, for every quarter from first
 * to last ("2025-Q1" .. "2026-Q4", at most 200 quarters; quarters without reports are
 * listed with zeros): how many groups reported, and the mean self-assessment score of
 * each criterion (criteria in their order, mean 0 where nobody scored it). */
#define TWINNING_CRITERIA_MAX 16
struct twinning_quarter {
	char period[8];				/* "2026-Q3" */
	int reports;
	int n_criteria;
	const char *criteria[TWINNING_CRITERIA_MAX];	/* slugs, "ownership", ... */
	double mean[TWINNING_CRITERIA_MAX];
};
/* -1 also when first or last is not a quarter or last comes before first. */
int twinning_quarters(struct db *db, struct arena *a, const char *first, const char *last,
		      struct twinning_quarter **out, size_t *n);

/* Groups that need a facilitator's attention: forming or active groups (paused and
 * completed ones are left out) where nothing happened for `days` days — no change on
 * the timeline since now - days*86400 — or whose last report was filed more than
 * `days` days ago (or never), or with a blocked milestone. Most urgent (oldest
 * activity) first. */
enum twinning_attention_reason {
	ATTENTION_QUIET = 1,		/* no activity for `days` days */
	ATTENTION_NO_REPORT = 2,	/* no report filed within `days` days */
	ATTENTION_BLOCKED = 4,		/* at least one milestone is blocked */
};
struct twinning_attention {
	struct twinning_stats stats;
	unsigned reasons;		/* enum twinning_attention_reason bits */
};
int twinning_needing_attention(struct db *db, struct arena *a, int64_t now, int days,
			       struct twinning_attention **out, size_t *n);

/* The groups invited to a meeting (an account of one of their municipalities is
 * invited to event_id), with their progress, names in l, by name: for the meeting's page
 * (events), shown to staff and to the meeting's participants. 0 or -1. */
struct twinning_snapshot {
	const char *slug, *name;
	enum group_status status;
	double completion;		/* mean milestone progress, 0..100 */
	int reports;
	const char *last_period;	/* NULL without reports */
};
int twinning_event_snapshot(struct db *db, struct arena *a, enum lang l, int64_t event_id,
			    int64_t now, struct twinning_snapshot **out, size_t *n);

#endif
