/* events_invite: invitations (RSVP, notes, reminders, attendance, delegates) and
 * registrations (capacity, waiting list, approval) — shared by the files of the
 * events module that implement them. */
#ifndef EVENTS_INVITE_H
#define EVENTS_INVITE_H
#include <jansson.h>

#include "auth/auth.h"
#include "events/events_internal.h"

enum answer { ANSWER_NONE, ANSWER_ACCEPTED, ANSWER_DECLINED, ANSWER_MAYBE, ANSWER_DELEGATED,
	      ANSWER_COUNT };

/* "none", "accepted", "declined", "maybe", "delegated"; -1 when unknown. */
const char *answer_code(enum answer a);
int answer_from_code(const char *s);
const char *answer_label(enum answer a);	/* in the thread's language */

/* One invitation with its invitee. */
struct invitation {
	int64_t id, event_id, user_id;
	enum answer answer;
	const char *note;		/* NULL when none */
	int64_t answered, invited, reminded;
	int attended;			/* -1 not marked, 0, 1 */
	int sequence;
	int64_t delegate_of;		/* 0, or the invitation this one replaces */
	/* the invitee */
	const char *name, *email;
	enum lang lang;
	int64_t municipality_id;
	const char *municipality;	/* name in the reader's language, or NULL */
	/* a pending delegation named by this invitee: the colleague's name, or NULL */
	int64_t delegation_id;
	const char *delegate_name;
	const char *delegation_state;
};

struct invite_totals {
	int64_t invited, accepted, declined, maybe, none, delegated, attended;
};

/* Creates an invitation of user_id to event_id with a new token (returned in token).
 * 0 created, 1 already invited (nothing changed), -1 error. Caller's transaction. */
int invite_create(struct db *db, int64_t event_id, int64_t user_id, int64_t invited_by,
		  int64_t delegate_of, char token[AUTH_TOKEN_LEN + 1], int64_t *id);
/* Replaces an invitation's token (for a reminder) and counts the reminder. 0 or -1. */
int invite_new_token(struct db *db, int64_t id, char token[AUTH_TOKEN_LEN + 1]);
/* The invitation whose unused token this is. 0, 1 (none: a guessed, used or replaced
 * token), -1. Strings in a; names in l. */
int invite_by_token(struct db *db, struct arena *a, enum lang l, const char *token,
		    struct invitation *out);
/* user_id's invitation to event_id. 0, 1 (not invited), -1. */
int invite_of_user(struct db *db, struct arena *a, enum lang l, int64_t event_id,
		   int64_t user_id, struct invitation *out);
/* Records an answer (and its note, NULL to clear) and ends the token. 0 or -1. */
int invite_answer(struct db *db, int64_t id, enum answer ans, const char *note);
/* The invitations of an event, by name (at most max). 0 or -1. */
int invite_list(struct db *db, struct arena *a, enum lang l, int64_t event_id, size_t max,
		struct invitation **out, size_t *n);
int invite_totals(struct db *db, int64_t event_id, struct invite_totals *t);
/* Marks attendance (1, 0, or -1 to clear) of an invitation of event_id. 0 or -1. */
int invite_set_attended(struct db *db, int64_t event_id, int64_t id, int attended);

/* The accounts a target names: a person (by account id), a twinning group's members
 * (by group slug) or a country's members (ISO code). Appends their ids to *ids (arena
 * a, at most max in all). 0 or -1. */
int invite_targets_person(struct db *db, int64_t user_id, int64_t **ids, size_t *n, size_t max,
			  struct arena *a);
int invite_targets_group(struct db *db, const char *slug, int64_t **ids, size_t *n, size_t max,
			 struct arena *a);
int invite_targets_country(struct db *db, const char *iso2, int64_t **ids, size_t *n,
			   size_t max, struct arena *a);

/* Delegations. A colleague of the same municipality (not the invitee, not invited
 * already). 0 created, 1 refused (reason in *why, an English msgid), -1 error. */
int delegation_create(struct db *db, const struct invitation *inv, int64_t delegate_id,
		      const char **why);
/* Approves or refuses a pending delegation of event_id; on approval returns the new
 * invitation's id and token (the original invitation's answer becomes "delegated").
 * 0 done, 1 no such pending delegation, -1 error. Caller's transaction. */
int delegation_decide(struct db *db, int64_t event_id, int64_t delegation_id, int approve,
		      int64_t decided_by, int64_t *new_id, char token[AUTH_TOKEN_LEN + 1]);

/* Accounts of a municipality other than except, for the delegate list. */
struct colleague {
	int64_t id;
	const char *name;
};
int invite_colleagues(struct db *db, struct arena *a, int64_t municipality_id, int64_t except,
		      struct colleague **out, size_t *n);

/* Mails (events_invite_mail.c), queued inside the caller's transaction: the invitation
 * (or a reminder) with the event summary, RSVP links and the invitee's .ics; the
 * confirmation of an answer with the updated .ics. 0 or -1. */
int invite_mail(struct db *db, struct arena *a, const struct event *e,
		const struct invitation *inv, const char *token, int reminder);
/* The invitee's calendar copy of e (METHOD:REQUEST; ORGANIZER the site's From, ATTENDEE
 * with the PARTSTAT of inv's answer), texts in l: malloc'ed, or NULL. */
char *invite_ics(struct arena *a, const struct event *e, const struct invitation *inv, enum lang l,
		 size_t *len);
int invite_mail_answer(struct db *db, struct arena *a, const struct event *e,
		       const struct invitation *inv);

/* Registrations (events_register.c). */
enum reg_state { REG_NONE, REG_PENDING, REG_CONFIRMED, REG_WAITING, REG_OFFERED, REG_CANCELLED,
		 REG_REFUSED, REG_STATE_COUNT };
const char *reg_state_code(enum reg_state s);
const char *reg_state_label(enum reg_state s);	/* in the thread's language */
/* user_id's registration (REG_NONE when none) and the end of an offer. 0 or -1. */
int reg_get(struct db *db, int64_t event_id, int64_t user_id, enum reg_state *state,
	    int64_t *offered_until);
/* Places left: -1 unlimited, 0 full, N; -2 on error. */
int reg_places_left(struct db *db, const struct event *e);
/* Moves expired offers on (own transaction; mails queued). 0 or -1. */
int reg_sweep(struct db *db, struct arena *a, const struct event *e);
/* In the caller's transaction, each queueing its mail (the thread's locale is left in
 * the member's language). reg_signup: 0 and *out (pending, confirmed or waiting), 1
 * refused before. reg_cancel: 0, 1 nothing to cancel. reg_confirm: 0, 1 no offer open.
 * reg_decide: 0, 1 no such pending registration. -1 on errors. */
int reg_signup(struct db *db, struct arena *a, const struct event *e, int64_t user_id,
	       enum reg_state *out);
int reg_cancel(struct db *db, struct arena *a, const struct event *e, int64_t user_id);
int reg_confirm(struct db *db, const struct event *e, int64_t user_id);
int reg_decide(struct db *db, struct arena *a, const struct event *e, int64_t reg_id,
	       int approve);
enum http_error events_register(struct request *req, struct response *res);
enum http_error events_unregister(struct request *req, struct response *res);
enum http_error events_confirm_place(struct request *req, struct response *res);
enum http_error events_registrations_page(struct request *req, struct response *res);
enum http_error events_registration_decide(struct request *req, struct response *res);

/* Loads the published event of the route's {slug} for a facilitator's page: 403 for
 * anyone else (before saying whether it exists), 404 when there is none. */
enum http_error events_staff_event(struct request *req, struct event *e);

/* Pages (events_invite_page.c, events_rsvp.c). */
enum http_error events_invitations_page(struct request *req, struct response *res);
enum http_error events_invite(struct request *req, struct response *res);
enum http_error events_remind(struct request *req, struct response *res);
enum http_error events_attendance(struct request *req, struct response *res);
enum http_error events_delegation_decide(struct request *req, struct response *res);
enum http_error events_rsvp_form(struct request *req, struct response *res);
enum http_error events_rsvp(struct request *req, struct response *res);
enum http_error events_answer(struct request *req, struct response *res);
enum http_error events_delegate(struct request *req, struct response *res);
enum http_error events_participants(struct request *req, struct response *res);
enum http_error events_my_ics(struct request *req, struct response *res);

/* The participation part of an event page for the signed-in reader: their invitation
 * or registration and what they may do, the meeting link when allowed. Adds keys to
 * ctx. 0 or -1. */
int events_participation_ctx(struct request *req, const struct event *e, json_t *ctx);

/* What the reader is to event e (auth_relation bits), for auth_can. -1 on error. */
int events_relation(struct db *db, const struct auth_user *u, int64_t event_id);

#endif
