/* events_index: the full-text index of events (events_fts_ar, _en, _fr), kept in step by
 * the store and rebuilt by `tawama reindex`. */
#ifndef EVENTS_INDEX_H
#define EVENTS_INDEX_H
#include <stdint.h>

#include "db/db.h"
#include "events/events.h"

/* Puts event e (stored under event_id) in the index: removes its rows from the three
 * tables, then, when e is published, inserts one row per language e has a title in
 * (title; body = context, objectives and participation as plain text, one per line).
 * Runs inside the caller's transaction (events_save calls it). 0 or -1. */
int events_index_event(struct db *db, int64_t event_id, const struct event *e);

/* Rebuilds the whole index from the events in one transaction of its own: the three
 * tables are dropped and created again from their stored definitions, filled from
 * every published event, and optimized. progress (may be NULL) is called now and
 * then with the events done and the total. Returns the number of events indexed, or
 * -1 (nothing changed). */
long events_index_rebuild(struct db *db, void (*progress)(long done, long total));

/* Rebuilds the index when it was built by another version of the analyzer than this
 * one (SEARCH_ANALYZER_VERSION), and records the version. 0 or -1. */
int events_index_ensure_current(struct db *db);

/* `tawama reindex --db FILE`: opens and migrates the database, rebuilds the index with
 * progress on standard error when it is a terminal, and prints a summary line.
 * Returns the exit status. */
int events_reindex_cli(const char *db_path);

#endif
