/* events_register: registration events — members sign up; a capacity; a waiting list
 * that offers a freed place to the next person, who has OFFER_HOURS to confirm; and
 * facilitator approval where the event asks for it. Expired offers move on whenever
 * the event's registrations are looked at (its page, a sign-up, the staff list). */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_invite.h"
#include "mail/mail.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define OFFER_HOURS 48

static const char *const state_codes[REG_STATE_COUNT] = {
	"none", "pending", "confirmed", "waiting", "offered", "cancelled", "refused"};
static const char *const state_labels[REG_STATE_COUNT] = {
	N_("Not signed up"), N_("Waiting for a facilitator's approval"), N_("Your place is confirmed"),
	N_("On the waiting list"), N_("A place is offered to you"), N_("Cancelled"),
	N_("Not accepted")};

const char *
reg_state_code(enum reg_state s)
{
	return (unsigned)s < REG_STATE_COUNT ? state_codes[s] : "none";
}

static enum reg_state
state_from(const char *s)
{
	for (int i = 0; s != NULL && i < REG_STATE_COUNT; i++)
		if (strcmp(s, state_codes[i]) == 0)
			return (enum reg_state)i;
	return REG_NONE;
}

const char *
reg_state_label(enum reg_state s)
{
	return _(state_labels[(unsigned)s < REG_STATE_COUNT ? s : REG_NONE]);
}

static int
exec1(struct db *db, const char *sql, int64_t a, int64_t b, int64_t c)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	db_bind_int(st, 3, c);
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
reg_get(struct db *db, int64_t event_id, int64_t user_id, enum reg_state *state,
	int64_t *offered_until)
{
	struct db_stmt *st = db_prepare(db, "SELECT state, coalesce(offered_until, 0) FROM "
					    "registrations WHERE event_id = ?1 AND user_id = ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, user_id);
	int rc = db_step(st);
	*state = REG_NONE;
	*offered_until = 0;
	if (rc == DB_ROW) {
		*state = state_from(db_col_text(st, 0));
		*offered_until = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Places held (confirmed, or offered and not yet expired). -1 on error. */
static int64_t
taken(struct db *db, int64_t event_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM registrations WHERE "
					    "event_id = ?1 AND state IN ('confirmed', 'offered')");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

int
reg_places_left(struct db *db, const struct event *e)
{
	if (e->capacity <= 0)
		return -1;
	int64_t t = taken(db, e->id);
	return t < 0 ? -2 : (int)(t >= e->capacity ? 0 : e->capacity - t);
}

/* Mails user_id about their registration (in their language). 0 or -1. */
static int
reg_mail(struct db *db, struct arena *a, const struct event *e, int64_t user_id,
	 enum reg_state s, int64_t until)
{
	struct auth_user u;
	if (auth_user_by_id(db, a, user_id, &u) != 0)
		return -1;
	i18n_use(u.lang);
	enum lang shown;
	const struct event_text *tx = events_text_for(e, u.lang, &shown);
	const char *title = tx->title != NULL ? tx->title : e->slug;
	struct buf b = BUF_INIT;
	buf_printf(&b, _("Hello %s,"), u.name);
	buf_printf(&b, "\n\n%s\n\n%s: %s\n", title, _("Your registration"), reg_state_label(s));
	if (s == REG_OFFERED) {
		buf_puts(&b, "\n");
		buf_printf(&b, _("Confirm your place on the event page before %s, or it goes to the next person on the waiting list."),
			   i18n_datetime(a, u.lang, until, u.timezone));
		buf_puts(&b, "\n");
	}
	buf_printf(&b, "\n%s:\n%s/%s/events/%s\n", _("The event page"), config_base_url(),
		   lang_code(u.lang), e->slug);
	const char *subject = arena_printf(a, s == REG_OFFERED ? _("A place is free for you: %s")
							       : _("Your registration: %s"),
					   title);
	struct mail_msg m = {.to = u.email, .to_name = u.name, .subject = subject,
			     .text = buf_cstr(&b), .kind = "registration"};
	int64_t id = b.failed ? -1 : mail_enqueue(db, &m);
	buf_free(&b);
	return id < 0 ? -1 : 0;
}

/* Offers free places to the oldest on the waiting list. Caller's transaction. */
static int
offer_next(struct db *db, struct arena *a, const struct event *e)
{
	for (;;) {
		if (e->capacity > 0) {
			int64_t t = taken(db, e->id);
			if (t < 0)
				return -1;
			if (t >= e->capacity)
				return 0;
		}
		struct db_stmt *st = db_prepare(db, "SELECT id, user_id FROM registrations WHERE "
						    "event_id = ?1 AND state = 'waiting' "
						    "ORDER BY created, id LIMIT 1");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, e->id);
		int rc = db_step(st);
		int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
		int64_t uid = rc == DB_ROW ? db_col_int(st, 1) : 0;
		db_done(st);
		if (rc != DB_ROW)
			return rc == DB_DONE ? 0 : -1;
		int64_t until = time_now() + OFFER_HOURS * 3600;
		if (exec1(db, "UPDATE registrations SET state = 'offered', offered_until = ?2, "
			      "updated = ?3 WHERE id = ?1", id, until, time_now()) < 0 ||
		    reg_mail(db, a, e, uid, REG_OFFERED, until) < 0)
			return -1;
	}
}

int
reg_sweep(struct db *db, struct arena *a, const struct event *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM registrations WHERE event_id = ?1 "
					    "AND state = 'offered' AND offered_until <= ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, e->id);
	db_bind_int(st, 2, time_now());
	int64_t expired = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	if (expired <= 0)
		return (int)expired;
	if (db_begin(db) < 0)
		return -1;
	if (exec1(db, "UPDATE registrations SET state = 'cancelled', offered_until = NULL, "
		      "updated = ?3 WHERE event_id = ?1 AND state = 'offered' AND offered_until <= ?2",
		      e->id, time_now(), time_now()) < 0 ||
	    offer_next(db, a, e) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	mail_sender_wake();
	return 0;
}

int
reg_signup(struct db *db, struct arena *a, const struct event *e, int64_t user_id,
	   enum reg_state *out)
{
	enum reg_state cur;
	int64_t until;
	if (reg_get(db, e->id, user_id, &cur, &until) < 0)
		return -1;
	if (cur == REG_REFUSED)
		return 1;
	if (cur != REG_NONE && cur != REG_CANCELLED) {
		*out = cur;
		return 0;	/* signed up already: nothing changes */
	}
	int left = reg_places_left(db, e);
	if (left == -2)
		return -1;
	enum reg_state s = e->needs_approval ? REG_PENDING : (left != 0 ? REG_CONFIRMED : REG_WAITING);
	/* someone on the waiting list goes first */
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM registrations WHERE "
					    "event_id = ?1 AND state = 'waiting'");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, e->id);
	if (db_step(st) == DB_ROW && db_col_int(st, 0) > 0 && s == REG_CONFIRMED)
		s = REG_WAITING;
	db_done(st);
	st = db_prepare(db, "INSERT INTO registrations (event_id, user_id, state, created, updated) "
			    "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (event_id, user_id) DO UPDATE "
			    "SET state = ?3, created = ?4, updated = ?4, offered_until = NULL");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, e->id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, state_codes[s]);
	db_bind_int(st, 4, time_now());
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ERROR || reg_mail(db, a, e, user_id, s, 0) < 0)
		return -1;
	*out = s;
	return 0;
}

int
reg_cancel(struct db *db, struct arena *a, const struct event *e, int64_t user_id)
{
	enum reg_state cur;
	int64_t until;
	if (reg_get(db, e->id, user_id, &cur, &until) < 0)
		return -1;
	if (cur == REG_NONE || cur == REG_CANCELLED || cur == REG_REFUSED)
		return 1;
	if (exec1(db, "UPDATE registrations SET state = 'cancelled', offered_until = NULL, "
		      "updated = ?3 WHERE event_id = ?1 AND user_id = ?2",
		      e->id, user_id, time_now()) < 0)
		return -1;
	return offer_next(db, a, e);
}

int
reg_confirm(struct db *db, const struct event *e, int64_t user_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE registrations SET state = 'confirmed', "
					    "offered_until = NULL, updated = ?3 WHERE event_id = ?1 "
					    "AND user_id = ?2 AND state = 'offered' AND "
					    "offered_until > ?3 RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, e->id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, time_now());
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
reg_decide(struct db *db, struct arena *a, const struct event *e, int64_t reg_id, int approve)
{
	struct db_stmt *st = db_prepare(db, "SELECT user_id FROM registrations WHERE id = ?1 AND "
					    "event_id = ?2 AND state = 'pending'");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, reg_id);
	db_bind_int(st, 2, e->id);
	int rc = db_step(st);
	int64_t uid = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	enum reg_state s = REG_REFUSED;
	if (approve) {
		int left = reg_places_left(db, e);
		if (left == -2)
			return -1;
		s = left != 0 ? REG_CONFIRMED : REG_WAITING;
	}
	st = db_prepare(db, "UPDATE registrations SET state = ?2, updated = ?3 WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, reg_id);
	db_bind_text(st, 2, state_codes[s]);
	db_bind_int(st, 3, time_now());
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	return reg_mail(db, a, e, uid, s, 0);
}

/* ---- pages --------------------------------------------------------------------- */

/* The {slug} event for a registration action by the signed-in reader. */
static enum http_error
registration_event(struct request *req, struct event *e)
{
	int rc = events_get(db_thread(), req->arena, req->captures[1], e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	struct auth_object obj = {e->published, 0, e->participation == PART_REGISTRATION};
	if (!auth_can(auth_user_of(req), ACT_EVENT_REGISTER, &obj))
		return HTTP_ERR_FORBIDDEN;
	return reg_sweep(db_thread(), req->arena, e) < 0 ? HTTP_ERR_INTERNAL : HTTP_OK;
}

static enum http_error
after_action(struct request *req, struct response *res, const struct event *e, int rc,
	     const char *done)
{
	struct db *db = db_thread();
	i18n_use(req->lang);
	if (rc != 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == 1 ? HTTP_ERR_CONFLICT : HTTP_ERR_INTERNAL;
	}
	mail_sender_wake();
	http_redirect(res, 303, arena_printf(req->arena, "/%s/events/%s?registration=%s",
					     lang_code(req->lang), e->slug, done));
	return HTTP_OK;
}

enum http_error
events_register(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = registration_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	enum reg_state s;
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int rc = reg_signup(db, req->arena, &e, auth_user_of(req)->id, &s);
	return after_action(req, res, &e, rc, rc == 0 ? reg_state_code(s) : "refused");
}

enum http_error
events_unregister(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = registration_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int rc = reg_cancel(db, req->arena, &e, auth_user_of(req)->id);
	return after_action(req, res, &e, rc, "cancelled");
}

enum http_error
events_confirm_place(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = registration_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int rc = reg_confirm(db, &e, auth_user_of(req)->id);
	return after_action(req, res, &e, rc, "confirmed");
}

/* GET /{lang}/manage/events/{slug}/registrations : the staff list with decisions. */
enum http_error
events_registrations_page(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	if (reg_sweep(db, req->arena, &e) < 0)
		return HTTP_ERR_INTERNAL;
	i18n_use(req->lang);
	struct db_stmt *st = db_prepare(
		db, "SELECT r.id, u.name, u.email, r.state, coalesce(r.offered_until, 0) FROM "
		    "registrations r JOIN users u ON u.id = r.user_id WHERE r.event_id = ?1 "
		    "ORDER BY r.created, r.id LIMIT 5000");
	if (st == NULL)
		return HTTP_ERR_INTERNAL;
	db_bind_int(st, 1, e.id);
	json_t *rows = json_array();
	int64_t counts[REG_STATE_COUNT] = {0};
	while (db_step(st) == DB_ROW) {
		enum reg_state s = state_from(db_col_text(st, 3));
		counts[s]++;
		json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id",
				      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "email",
				      db_col_text(st, 2), "state", reg_state_code(s), "label",
				      reg_state_label(s), "pending", s == REG_PENDING);
		if (s == REG_OFFERED)
			json_object_set_new(r, "until", json_string(i18n_datetime(
				req->arena, req->lang, db_col_int(st, 4), e.timezone)));
		json_array_append_new(rows, r);
	}
	db_done(st);
	enum lang shown;
	const struct event_text *tx = events_text_for(&e, req->lang, &shown);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Registrations")));
	json_object_set_new(ctx, "description", json_string(_("Registrations")));
	json_object_set_new(ctx, "event_title", json_string(tx->title ? tx->title : e.slug));
	json_object_set_new(ctx, "event_url", json_string(arena_printf(
		req->arena, "/%s/events/%s", lang_code(req->lang), e.slug)));
	json_object_set_new(ctx, "slug", json_string(e.slug));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "capacity", e.capacity > 0 ? json_integer(e.capacity) : json_null());
	json_object_set_new(ctx, "confirmed", json_integer(counts[REG_CONFIRMED]));
	json_object_set_new(ctx, "waiting", json_integer(counts[REG_WAITING]));
	json_object_set_new(ctx, "offered", json_integer(counts[REG_OFFERED]));
	json_object_set_new(ctx, "pending_n", json_integer(counts[REG_PENDING]));
	return accounts_form_page(req, res, "events/registrations", ctx, 200);
}

enum http_error
events_registration_decide(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	const char *idv = http_form_get(req, "registration"), *d = http_form_get(req, "decision");
	char *end = NULL;
	long long id = idv != NULL ? strtoll(idv, &end, 10) : 0;
	if (idv == NULL || *end != '\0' || id <= 0 || d == NULL ||
	    (strcmp(d, "approve") != 0 && strcmp(d, "refuse") != 0))
		return HTTP_ERR_BAD_PARAM;
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int rc = reg_decide(db, req->arena, &e, id, strcmp(d, "approve") == 0);
	i18n_use(req->lang);
	if (rc != 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == 1 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	}
	mail_sender_wake();
	http_redirect(res, 303, arena_printf(req->arena, "/%s/manage/events/%s/registrations",
					     lang_code(req->lang), e.slug));
	return HTTP_OK;
}
