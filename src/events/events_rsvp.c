/* events_rsvp: the invitee's side — the RSVP page a mailed link opens (a form: following
 * a link changes nothing), answering, naming a delegate, the participation part of the
 * event page, the participant list and the invitee's own calendar copy. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_config.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "core/core_utf8.h"
#include "events/events_invite.h"
#include "mail/mail.h"
#include "render/render_i18n.h"
#include "render/render_page.h"
#include "render/render_svg.h"
#include "twinning/twinning.h"

#define NOTE_MAX 1000	/* bytes of an answer's note */

int
events_relation(struct db *db, const struct auth_user *u, int64_t event_id)
{
	if (u == NULL)
		return 0;
	struct db_stmt *st = db_prepare(
		db, "SELECT EXISTS (SELECT 1 FROM invitations WHERE event_id = ?1 AND user_id = ?2), "
		    "EXISTS (SELECT 1 FROM invitations WHERE event_id = ?1 AND user_id = ?2 AND "
		    "answer = 'accepted') OR EXISTS (SELECT 1 FROM registrations WHERE "
		    "event_id = ?1 AND user_id = ?2 AND state = 'confirmed')");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, u->id);
	int rel = -1;
	if (db_step(st) == DB_ROW)
		rel = (db_col_int(st, 0) ? REL_INVITEE : 0) | (db_col_int(st, 1) ? REL_PARTICIPANT : 0);
	db_done(st);
	return rel;
}

static json_t *
answer_options(enum answer selected)
{
	static const enum answer choices[] = {ANSWER_ACCEPTED, ANSWER_DECLINED, ANSWER_MAYBE};
	json_t *arr = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code",
						     answer_code(choices[i]), "label",
						     answer_label(choices[i]), "selected",
						     choices[i] == selected));
	return arr;
}

static json_t *
colleague_options(struct request *req, const struct invitation *inv)
{
	struct colleague *c;
	size_t n;
	json_t *arr = json_array();
	if (inv->municipality_id <= 0 ||
	    invite_colleagues(db_thread(), req->arena, inv->municipality_id, inv->user_id, &c, &n) < 0)
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s}", "id", (json_int_t)c[i].id, "name",
						     c[i].name));
	return arr;
}

/* Reads and checks the answer and note of a form. HTTP_OK or the error. */
static enum http_error
read_answer(struct request *req, enum answer *ans, const char **note)
{
	int a = answer_from_code(http_form_get(req, "answer"));
	if (a != ANSWER_ACCEPTED && a != ANSWER_DECLINED && a != ANSWER_MAYBE)
		return HTTP_ERR_UNPROCESSABLE;
	*ans = (enum answer)a;
	*note = http_form_get(req, "note");
	if (*note != NULL && strlen(*note) > NOTE_MAX)
		return HTTP_ERR_UNPROCESSABLE;
	return HTTP_OK;
}

/* Loads the event of an invitation (published only: answering needs a published event). */
static int
event_of(struct request *req, int64_t event_id, struct event *e)
{
	struct db_stmt *st = db_prepare(db_thread(), "SELECT slug FROM events WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	char *slug = NULL;
	if (db_step(st) == DB_ROW)
		slug = arena_strdup(req->arena, db_col_text(st, 0));
	db_done(st);
	if (slug == NULL)
		return 1;
	return events_get(db_thread(), req->arena, slug, e);
}

/* Records inv's answer and queues the confirmation with the updated calendar copy. */
static enum http_error
record_answer(struct request *req, const struct event *e, struct invitation *inv,
	      enum answer ans, const char *note)
{
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	inv->answer = ans;
	inv->sequence++;
	if (invite_answer(db, inv->id, ans, note) < 0 ||
	    invite_mail_answer(db, req->arena, e, inv) < 0) {
		i18n_use(req->lang);
		db_rollback(db);
		return HTTP_ERR_INTERNAL;
	}
	i18n_use(req->lang);
	if (db_commit(db) < 0)
		return HTTP_ERR_INTERNAL;
	mail_sender_wake();
	return HTTP_OK;
}

static enum http_error
rsvp_page(struct request *req, struct response *res, const struct event *e,
	  const struct invitation *inv, const char *token, enum answer preselect,
	  const char *error, int status)
{
	enum lang shown;
	const struct event_text *tx = events_text_for(e, req->lang, &shown);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Your invitation")));
	json_object_set_new(ctx, "description", json_string(_("Your invitation")));
	json_object_set_new(ctx, "event_title", json_string(tx->title ? tx->title : e->slug));
	json_object_set_new(ctx, "event_lang", json_string(lang_code(shown)));
	json_object_set_new(ctx, "event_url", json_string(arena_printf(
		req->arena, "/%s/events/%s", lang_code(req->lang), e->slug)));
	json_object_set_new(ctx, "starts", json_string(i18n_datetime(req->arena, req->lang,
								     e->starts, e->timezone)));
	json_object_set_new(ctx, "tz_name", json_string(i18n_tz_name(req->arena, req->lang,
								     e->starts, e->timezone)));
	json_object_set_new(ctx, "invitee", json_string(inv->name));
	json_object_set_new(ctx, "municipality", json_string(inv->municipality ? inv->municipality : ""));
	json_object_set_new(ctx, "token", json_string(token));
	json_object_set_new(ctx, "answers", answer_options(preselect));
	json_object_set_new(ctx, "colleagues", colleague_options(req, inv));
	if (inv->answer != ANSWER_NONE)
		json_object_set_new(ctx, "current", json_string(answer_label(inv->answer)));
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	return accounts_form_page(req, res, "events/rsvp", ctx, status);
}

/* The invitation of a token, refusing a signed-in reader who is someone else: the link
 * is bound to its invitee. */
static enum http_error
token_invitation(struct request *req, const char *token, struct invitation *inv,
		 struct event *e)
{
	int rc = invite_by_token(db_thread(), req->arena, req->lang, token, inv);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	const struct auth_user *u = auth_user_of(req);
	if (u != NULL && u->id != inv->user_id)
		return HTTP_ERR_FORBIDDEN;
	rc = event_of(req, inv->event_id, e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_OK;
}

/* GET /{lang}/rsvp?token=...&answer=... : the answer preselected, nothing recorded. */
enum http_error
events_rsvp_form(struct request *req, struct response *res)
{
	const char *token = http_query_get(req, "token");
	struct invitation inv;
	struct event e;
	enum http_error err = token_invitation(req, token, &inv, &e);
	if (err != HTTP_OK)
		return err;
	int pre = answer_from_code(http_query_get(req, "answer"));
	http_add_header(res, "Referrer-Policy", "no-referrer");
	return rsvp_page(req, res, &e, &inv, token, pre < 0 ? ANSWER_NONE : (enum answer)pre, NULL,
			 200);
}

/* POST /{lang}/rsvp : answer (or name a delegate) with the token of the mail. */
enum http_error
events_rsvp(struct request *req, struct response *res)
{
	const char *token = http_form_get(req, "token");
	struct invitation inv;
	struct event e;
	enum http_error err = token_invitation(req, token, &inv, &e);
	if (err != HTTP_OK)
		return err;
	struct auth_object obj = {e.published, REL_INVITEE, 0};
	struct auth_user as = {.id = inv.user_id, .role = ROLE_MEMBER, .active = 1};
	if (!auth_can(&as, ACT_EVENT_ANSWER, &obj))
		return HTTP_ERR_FORBIDDEN;
	const char *delegate = http_form_get(req, "delegate");
	if (delegate != NULL) {
		char *end;
		long long did = strtoll(delegate, &end, 10);
		const char *why = NULL;
		if (*end != '\0' || did <= 0)
			return HTTP_ERR_BAD_PARAM;
		struct db *db = db_thread();
		if (db_begin(db) < 0)
			return HTTP_ERR_INTERNAL;
		int rc = delegation_create(db, &inv, did, &why);
		/* the link has done its work: a forwarded copy can do nothing more */
		if (rc == 0)
			rc = invite_answer(db, inv.id, ANSWER_NONE, inv.note) < 0 ? -1 : 0;
		if (rc != 0 || db_commit(db) < 0) {
			db_rollback(db);
			if (rc == 1)
				return rsvp_page(req, res, &e, &inv, token, ANSWER_NONE, _(why), 422);
			return HTTP_ERR_INTERNAL;
		}
		http_redirect(res, 303, arena_printf(req->arena, "/%s/events/%s?delegated=1",
						     lang_code(req->lang), e.slug));
		return HTTP_OK;
	}
	enum answer ans;
	const char *note;
	if (read_answer(req, &ans, &note) != HTTP_OK)
		return rsvp_page(req, res, &e, &inv, token, ANSWER_NONE,
				 _("Choose your answer (the note may have at most 1000 characters)."),
				 422);
	err = record_answer(req, &e, &inv, ans, note);
	if (err != HTTP_OK)
		return err;
	http_redirect(res, 303, arena_printf(req->arena, "/%s/events/%s?answered=%s",
					     lang_code(req->lang), e.slug, answer_code(ans)));
	return HTTP_OK;
}

/* Loads the {slug} event and the signed-in reader's invitation to it. */
static enum http_error
my_invitation(struct request *req, struct event *e, struct invitation *inv)
{
	int rc = events_get(db_thread(), req->arena, req->captures[1], e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	rc = invite_of_user(db_thread(), req->arena, req->lang, e->id, auth_user_of(req)->id, inv);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	return rc > 0 ? HTTP_ERR_FORBIDDEN : HTTP_OK;
}

/* my_invitation, for a change to it: the invitee may still answer (a published event,
 * the invitation not handed to a delegate). */
static enum http_error
my_open_invitation(struct request *req, struct event *e, struct invitation *inv)
{
	enum http_error err = my_invitation(req, e, inv);
	if (err != HTTP_OK)
		return err;
	struct auth_object obj = {e->published, REL_INVITEE, 0};
	if (!auth_can(auth_user_of(req), ACT_EVENT_ANSWER, &obj) || inv->answer == ANSWER_DELEGATED)
		return HTTP_ERR_FORBIDDEN;
	return HTTP_OK;
}

/* POST /{lang}/events/{slug}/answer : a signed-in invitee answers or changes the answer. */
enum http_error
events_answer(struct request *req, struct response *res)
{
	struct event e;
	struct invitation inv;
	enum http_error err = my_open_invitation(req, &e, &inv);
	if (err != HTTP_OK)
		return err;
	enum answer ans;
	const char *note;
	err = read_answer(req, &ans, &note);
	if (err != HTTP_OK)
		return err;
	err = record_answer(req, &e, &inv, ans, note);
	if (err != HTTP_OK)
		return err;
	http_redirect(res, 303, arena_printf(req->arena, "/%s/events/%s?answered=%s",
					     lang_code(req->lang), e.slug, answer_code(ans)));
	return HTTP_OK;
}

/* POST /{lang}/events/{slug}/delegate : a signed-in invitee names a colleague. */
enum http_error
events_delegate(struct request *req, struct response *res)
{
	struct event e;
	struct invitation inv;
	enum http_error err = my_open_invitation(req, &e, &inv);
	if (err != HTTP_OK)
		return err;
	const char *delegate = http_form_get(req, "delegate");
	char *end = NULL;
	long long did = delegate != NULL ? strtoll(delegate, &end, 10) : 0;
	if (delegate == NULL || *end != '\0' || did <= 0)
		return HTTP_ERR_BAD_PARAM;
	const char *why = NULL;
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int rc = delegation_create(db, &inv, did, &why);
	if (rc != 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == 1 ? HTTP_ERR_UNPROCESSABLE : HTTP_ERR_INTERNAL;
	}
	http_redirect(res, 303, arena_printf(req->arena, "/%s/events/%s?delegated=1",
					     lang_code(req->lang), e.slug));
	return HTTP_OK;
}

/* GET /{lang}/events/{slug}/participants : staff see everyone invited with answers;
 * a participant sees the names and municipalities of those taking part. */
enum http_error
events_participants(struct request *req, struct response *res)
{
	struct db *db = db_thread();
	struct event e;
	int rc = events_get(db, req->arena, req->captures[1], &e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	if (rc > 0)
		return HTTP_ERR_NOT_FOUND;
	const struct auth_user *u = auth_user_of(req);
	int rel = events_relation(db, u, e.id);
	if (rel < 0)
		return HTTP_ERR_INTERNAL;
	struct auth_object obj = {e.published, (unsigned)rel, 0};
	if (!auth_can(u, ACT_EVENT_PARTICIPANTS, &obj))
		return HTTP_ERR_FORBIDDEN;
	int staff = auth_can(u, ACT_EVENT_INVITE, &obj);
	struct invitation *inv;
	size_t n;
	if (invite_list(db, req->arena, req->lang, e.id, 2000, &inv, &n) < 0)
		return HTTP_ERR_INTERNAL;
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		if (!staff && inv[i].answer != ANSWER_ACCEPTED)
			continue;
		json_t *r = json_pack("{s:s, s:s}", "name", inv[i].name, "municipality",
				      inv[i].municipality ? inv[i].municipality : "");
		if (staff)
			json_object_set_new(r, "answer", json_string(answer_label(inv[i].answer)));
		json_array_append_new(rows, r);
	}
	struct db_stmt *st = db_prepare(
		db, "SELECT u.name, CASE ?2 WHEN 'ar' THEN coalesce(m.name_ar, m.name_en, m.name_fr) "
		    "WHEN 'fr' THEN coalesce(m.name_fr, m.name_en, m.name_ar) ELSE "
		    "coalesce(m.name_en, m.name_fr, m.name_ar) END, r.state FROM registrations r "
		    "JOIN users u ON u.id = r.user_id LEFT JOIN municipalities m ON "
		    "m.id = u.municipality_id WHERE r.event_id = ?1 AND (r.state = 'confirmed' OR ?3) "
		    "ORDER BY u.name");
	if (st == NULL)
		return HTTP_ERR_INTERNAL;
	db_bind_int(st, 1, e.id);
	db_bind_text(st, 2, lang_code(req->lang));
	db_bind_int(st, 3, staff);
	while (db_step(st) == DB_ROW) {
		json_t *r = json_pack("{s:s, s:s}", "name", db_col_text(st, 0), "municipality",
				      db_col_text(st, 1) ? db_col_text(st, 1) : "");
		if (staff)
			json_object_set_new(r, "answer", json_string(db_col_text(st, 2)));
		json_array_append_new(rows, r);
	}
	db_done(st);
	enum lang shown;
	const struct event_text *tx = events_text_for(&e, req->lang, &shown);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Participants")));
	json_object_set_new(ctx, "description", json_string(_("Participants")));
	json_object_set_new(ctx, "event_title", json_string(tx->title ? tx->title : e.slug));
	json_object_set_new(ctx, "event_url", json_string(arena_printf(
		req->arena, "/%s/events/%s", lang_code(req->lang), e.slug)));
	json_object_set_new(ctx, "people", rows);
	json_object_set_new(ctx, "staff", json_boolean(staff));
	json_object_set_new(ctx, "robots_noindex", json_true());
	enum http_error err = render_page(req, res, "events/participants", ctx);
	json_decref(ctx);
	return err;
}

/* GET /{lang}/events/{slug}/invitation.ics : the invitee's own calendar copy. */
enum http_error
events_my_ics(struct request *req, struct response *res)
{
	struct event e;
	struct invitation inv;
	enum http_error err = my_invitation(req, &e, &inv);
	if (err != HTTP_OK)
		return err;
	size_t len;
	char *s = invite_ics(req->arena, &e, &inv, req->lang, &len);
	if (s == NULL)
		return HTTP_ERR_INTERNAL;
	buf_append(&res->body, s, len);
	free(s);
	res->content_type = "text/calendar; charset=utf-8";
	res->compressible = 1;
	http_add_header(res, "Content-Disposition",
			arena_printf(req->arena, "attachment; filename=\"%s.ics\"", e.slug));
	return HTTP_OK;
}

int
events_participation_ctx(struct request *req, const struct event *e, json_t *ctx)
{
	const struct auth_user *u = auth_user_of(req);
	if (u == NULL)
		return 0;
	struct db *db = db_thread();
	int rel = events_relation(db, u, e->id);
	if (rel < 0)
		return -1;
	struct auth_object obj = {e->published, (unsigned)rel, 0};
	json_t *p = json_object();
	if (auth_can(u, ACT_EVENT_INVITE, &obj))
		json_object_set_new(p, "manage_url", json_string(arena_printf(
			req->arena, "/%s/manage/events/%s/invitations", lang_code(req->lang), e->slug)));
	if (auth_can(u, ACT_EVENT_PARTICIPANTS, &obj))
		json_object_set_new(p, "participants_url", json_string(arena_printf(
			req->arena, "/%s/events/%s/participants", lang_code(req->lang), e->slug)));
	if (rel & REL_INVITEE) {
		struct invitation inv;
		if (invite_of_user(db, req->arena, req->lang, e->id, u->id, &inv) != 0)
			return -1;
		json_t *j = json_pack("{s:s, s:s, s:o, s:b, s:s}", "answer", answer_code(inv.answer),
				      "answer_label", answer_label(inv.answer), "answers",
				      answer_options(inv.answer), "can_answer",
				      inv.answer != ANSWER_DELEGATED &&
					      auth_can(u, ACT_EVENT_ANSWER, &obj),
				      "ics", arena_printf(req->arena, "/%s/events/%s/invitation.ics",
							  lang_code(req->lang), e->slug));
		if (inv.note != NULL)
			json_object_set_new(j, "note", json_string(inv.note));
		if (inv.delegate_name != NULL)
			json_object_set_new(j, "delegation", json_pack("{s:s, s:b}", "name",
				inv.delegate_name, "pending",
				inv.delegation_state && strcmp(inv.delegation_state, "pending") == 0));
		else if (inv.answer != ANSWER_DELEGATED)
			json_object_set_new(j, "colleagues", colleague_options(req, &inv));
		json_object_set_new(p, "invitation", j);
	} else if (e->participation == PART_INVITATION &&
		   !auth_can(u, ACT_EVENT_INVITE, &obj)) {
		json_object_set_new(p, "not_invited", json_true());
	}
	if (e->participation == PART_REGISTRATION) {
		if (reg_sweep(db, req->arena, e) < 0)
			return -1;
		i18n_use(req->lang);
		enum reg_state s;
		int64_t until;
		int left = reg_places_left(db, e);
		if (reg_get(db, e->id, u->id, &s, &until) < 0 || left == -2)
			return -1;
		struct auth_object ro = {e->published, 0, 1};
		json_t *r = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b}", "state", reg_state_code(s),
				      "label", reg_state_label(s), "can_signup",
				      (s == REG_NONE || s == REG_CANCELLED) &&
					      auth_can(u, ACT_EVENT_REGISTER, &ro),
				      "can_cancel",
				      s == REG_PENDING || s == REG_CONFIRMED || s == REG_WAITING ||
					      s == REG_OFFERED,
				      "offered", s == REG_OFFERED, "full", left == 0);
		if (left >= 0)
			json_object_set_new(r, "left", json_integer(left));
		if (s == REG_OFFERED)
			json_object_set_new(r, "until", json_string(i18n_datetime(
				req->arena, req->lang, until, u->timezone)));
		if (e->needs_approval)
			json_object_set_new(r, "approval", json_true());
		json_object_set_new(p, "registration", r);
		if (auth_can(u, ACT_EVENT_INVITE, &obj))
			json_object_set_new(p, "registrations_url", json_string(arena_printf(
				req->arena, "/%s/manage/events/%s/registrations", lang_code(req->lang),
				e->slug)));
		/* a confirmation just now changes the relation: read it again */
		rel = events_relation(db, u, e->id);
		if (rel < 0)
			return -1;
		obj.relation = (unsigned)rel;
	}
	/* the progress of the groups invited: for staff and the meeting's participants */
	if (auth_can(u, ACT_EVENT_PARTICIPANTS, &obj)) {
		struct twinning_snapshot *snap;
		size_t ns;
		if (twinning_event_snapshot(db, req->arena, req->lang, e->id, time_now(), &snap, &ns) < 0)
			return -1;
		if (ns > 0) {
			struct svg_item *items = arena_alloc(req->arena, ns * sizeof(*items));
			json_t *rows = json_array();
			for (size_t i = 0; i < ns; i++) {
				const char *pct = arena_printf(req->arena, _("%s%%"),
							       i18n_number_plain(req->arena, req->lang,
										 (int64_t)(snap[i].completion + 0.5)));
				items[i] = (struct svg_item){snap[i].name, snap[i].completion, pct, NULL};
				json_array_append_new(rows, json_pack(
					"{s:s, s:s, s:s, s:s}", "name", snap[i].name, "url",
					arena_printf(req->arena, "/%s/groups/%s", lang_code(req->lang),
						     snap[i].slug),
					"progress", pct, "last",
					snap[i].last_period ? snap[i].last_period : ""));
			}
			struct buf b = BUF_INIT;
			svg_bars(&b, _("Milestone completion by group"),
				 _("Mean progress of the milestones of each group invited to this meeting."),
				 items, ns, 100, req->lang == LANG_AR, "");
			json_object_set_new(p, "groups_chart", json_string(buf_cstr(&b)));
			buf_free(&b);
			json_object_set_new(p, "groups", rows);
		}
	}
	if (e->meeting_link != NULL && auth_can(u, ACT_EVENT_MEETING_LINK, &obj))
		json_object_set_new(p, "meeting_url", json_string(e->meeting_link));
	json_object_set_new(ctx, "me_event", p);
	return 0;
}
