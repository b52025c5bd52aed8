/* events_invite_page: the facilitators' side of invitations — the list with answers and
 * totals, inviting persons, twinning groups or a country's members, reminders,
 * attendance, and deciding on delegates. */
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_invite.h"
#include "mail/mail.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define INVITE_MAX 2000		/* invitations listed, and accounts invited at once */

enum http_error
events_staff_event(struct request *req, struct event *e)
{
	const struct auth_user *u = auth_user_of(req);
	if (!auth_can(u, ACT_EVENT_INVITE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int rc = events_get(db_thread(), req->arena, req->captures[1], e);
	if (rc < 0)
		return HTTP_ERR_INTERNAL;
	return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_OK;
}

static const char *
page_url(struct request *req, const struct event *e, const char *notice)
{
	return arena_printf(req->arena, "/%s/manage/events/%s/invitations%s%s",
			    lang_code(req->lang), e->slug, notice ? "?done=" : "",
			    notice ? notice : "");
}

static json_t *
group_options(struct request *req)
{
	struct db_stmt *st = db_prepare(
		db_thread(), "SELECT slug, coalesce(name_en, name_fr, name_ar), "
			     "coalesce(name_ar, name_en, name_fr), coalesce(name_fr, name_en, name_ar) "
			     "FROM twinning_groups ORDER BY slug");
	json_t *arr = json_array();
	if (st == NULL)
		return arr;
	int col = req->lang == LANG_AR ? 2 : req->lang == LANG_FR ? 3 : 1;
	while (db_step(st) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "slug", db_col_text(st, 0),
						     "name", db_col_text(st, col)));
	db_done(st);
	return arr;
}

static json_t *
country_options(struct request *req)
{
	struct db_stmt *st = db_prepare(db_thread(), "SELECT DISTINCT m.country FROM municipalities m "
						     "JOIN users u ON u.municipality_id = m.id "
						     "ORDER BY 1");
	json_t *arr = json_array();
	if (st == NULL)
		return arr;
	while (db_step(st) == DB_ROW) {
		const char *c = db_col_text(st, 0);
		json_array_append_new(arr, json_pack("{s:s, s:s}", "code", c, "name",
						     i18n_country_name(req->arena, req->lang, c)));
	}
	db_done(st);
	return arr;
}

static json_t *
person_options(struct request *req)
{
	struct auth_user *u;
	size_t n;
	json_t *arr = json_array();
	if (auth_users_list(db_thread(), req->arena, INVITE_MAX, &u, &n) < 0)
		return arr;
	for (size_t i = 0; i < n; i++)
		if (u[i].active)
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u[i].id,
							     "name", u[i].name, "email", u[i].email));
	return arr;
}

enum http_error
events_invitations_page(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	struct invitation *inv;
	size_t n;
	struct invite_totals t = {0};
	if (invite_list(db, req->arena, req->lang, e.id, INVITE_MAX, &inv, &n) < 0 ||
	    invite_totals(db, e.id, &t) < 0)
		return HTTP_ERR_INTERNAL;
	enum lang shown;
	const struct event_text *tx = events_text_for(&e, req->lang, &shown);
	json_t *rows = json_array(), *pending = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "id",
				      (json_int_t)inv[i].id, "name", inv[i].name, "email",
				      inv[i].email, "answer", answer_code(inv[i].answer),
				      "answer_label", answer_label(inv[i].answer), "municipality",
				      inv[i].municipality ? inv[i].municipality : "", "attended",
				      inv[i].attended == 1, "absent", inv[i].attended == 0,
				      "delegate", inv[i].delegate_of > 0);
		if (inv[i].note != NULL)
			json_object_set_new(r, "note", json_string(inv[i].note));
		if (inv[i].reminded > 0)
			json_object_set_new(r, "reminded",
					    json_string(i18n_date(req->arena, req->lang, inv[i].reminded,
								  "UTC")));
		json_array_append_new(rows, r);
		if (inv[i].delegation_id > 0 && inv[i].delegation_state != NULL &&
		    strcmp(inv[i].delegation_state, "pending") == 0)
			json_array_append_new(pending,
					      json_pack("{s:I, s:s, s:s}", "id",
							(json_int_t)inv[i].delegation_id, "from",
							inv[i].name, "to", inv[i].delegate_name));
	}
	json_t *ctx = json_object();
	const char *title = tx->title != NULL ? tx->title : e.slug;
	json_object_set_new(ctx, "title", json_string(arena_printf(req->arena, "%s — %s",
								   _("Invitations"), title)));
	json_object_set_new(ctx, "description", json_string(_("Invitations")));
	json_object_set_new(ctx, "event_title", json_string(title));
	json_object_set_new(ctx, "slug", json_string(e.slug));
	json_object_set_new(ctx, "event_url", json_string(arena_printf(
		req->arena, "/%s/events/%s", lang_code(req->lang), e.slug)));
	json_object_set_new(ctx, "invitations", rows);
	json_object_set_new(ctx, "pending", pending);
	json_object_set_new(ctx, "totals",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "invited",
				      (json_int_t)t.invited, "accepted", (json_int_t)t.accepted,
				      "declined", (json_int_t)t.declined, "maybe",
				      (json_int_t)t.maybe, "none", (json_int_t)t.none, "delegated",
				      (json_int_t)t.delegated, "attended", (json_int_t)t.attended));
	json_object_set_new(ctx, "invitation_only", json_boolean(e.participation == PART_INVITATION));
	json_object_set_new(ctx, "past", json_boolean(e.starts <= time_now()));
	json_object_set_new(ctx, "groups", group_options(req));
	json_object_set_new(ctx, "countries", country_options(req));
	json_object_set_new(ctx, "people", person_options(req));
	const char *done = http_query_get(req, "done");
	if (done != NULL) {
		static const struct {
			const char *code, *msg;
		} notices[] = {
			{"invited", N_("The invitations are sent.")},
			{"none", N_("Everyone you chose was invited already: nobody new was invited.")},
			{"reminded", N_("Reminders are sent to those who have not answered.")},
			{"attendance", N_("Attendance is saved.")},
			{"approved", N_("The delegate is approved and invited.")},
			{"refused", N_("The delegate is refused.")},
		};
		for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
			if (strcmp(done, notices[i].code) == 0)
				json_object_set_new(ctx, "done", json_string(_(notices[i].msg)));
	}
	return accounts_form_page(req, res, "events/invitations", ctx, 200);
}

/* Invites ids to e and queues their mails, in one transaction. Returns the number
 * invited (already invited are skipped), or -1. */
static long
invite_ids(struct request *req, const struct event *e, const int64_t *ids, size_t n)
{
	struct db *db = db_thread();
	long added = 0;
	if (db_begin(db) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char token[AUTH_TOKEN_LEN + 1];
		int64_t id;
		int rc = invite_create(db, e->id, ids[i], auth_user_of(req)->id, 0, token, &id);
		if (rc == 1)
			continue;
		struct invitation inv;
		if (rc < 0 || invite_of_user(db, req->arena, req->lang, e->id, ids[i], &inv) != 0 ||
		    invite_mail(db, req->arena, e, &inv, token, 0) < 0)
			goto fail;
		added++;
	}
	i18n_use(req->lang);
	if (db_commit(db) < 0)
		goto fail;
	if (added > 0)
		mail_sender_wake();
	return added;
fail:
	i18n_use(req->lang);
	db_rollback(db);
	return -1;
}

enum http_error
events_invite(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	int64_t *ids = NULL;
	size_t n = 0;
	int asked = 0;
	for (size_t i = 0; i < req->n_form; i++) {
		const char *k = req->form[i].name, *v = req->form[i].value;
		int rc = 0;
		if (strcmp(k, "person") == 0) {
			char *end;
			long long id = strtoll(v, &end, 10);
			if (*end != '\0' || id <= 0)
				return HTTP_ERR_BAD_PARAM;
			rc = invite_targets_person(db, id, &ids, &n, INVITE_MAX, req->arena);
		} else if (strcmp(k, "group") == 0) {
			rc = invite_targets_group(db, v, &ids, &n, INVITE_MAX, req->arena);
		} else if (strcmp(k, "country") == 0) {
			if (strlen(v) != 2)
				return HTTP_ERR_BAD_PARAM;
			rc = invite_targets_country(db, v, &ids, &n, INVITE_MAX, req->arena);
		} else {
			continue;
		}
		if (rc < 0)
			return HTTP_ERR_INTERNAL;
		asked++;
	}
	if (asked == 0)
		return HTTP_ERR_UNPROCESSABLE;
	long added = invite_ids(req, &e, ids, n);
	if (added < 0)
		return HTTP_ERR_INTERNAL;
	log_info("events: %ld invited to %s by user %lld", added, e.slug,
		 (long long)auth_user_of(req)->id);
	http_redirect(res, 303, page_url(req, &e, added > 0 ? "invited" : "none"));
	return HTTP_OK;
}

enum http_error
events_remind(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	struct db *db = db_thread();
	struct invitation *inv;
	size_t n;
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	if (invite_list(db, req->arena, req->lang, e.id, INVITE_MAX, &inv, &n) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (inv[i].answer != ANSWER_NONE)
			continue;
		char token[AUTH_TOKEN_LEN + 1];
		if (invite_new_token(db, inv[i].id, token) < 0 ||
		    invite_mail(db, req->arena, &e, &inv[i], token, 1) < 0)
			goto fail;
	}
	i18n_use(req->lang);
	if (db_commit(db) < 0)
		goto fail;
	mail_sender_wake();
	http_redirect(res, 303, page_url(req, &e, "reminded"));
	return HTTP_OK;
fail:
	i18n_use(req->lang);
	db_rollback(db);
	return HTTP_ERR_INTERNAL;
}

/* The form lists every shown invitation as "shown" and the ticked ones as "attended". */
enum http_error
events_attendance(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	if (e.starts > time_now())
		return HTTP_ERR_UNPROCESSABLE;	/* attendance is marked once it has begun */
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	for (size_t i = 0; i < req->n_form; i++) {
		if (strcmp(req->form[i].name, "shown") != 0)
			continue;
		char *end;
		long long id = strtoll(req->form[i].value, &end, 10);
		if (*end != '\0' || id <= 0) {
			db_rollback(db);
			return HTTP_ERR_BAD_PARAM;
		}
		int ticked = 0;
		for (size_t k = 0; k < req->n_form && !ticked; k++)
			ticked = strcmp(req->form[k].name, "attended") == 0 &&
				 strcmp(req->form[k].value, req->form[i].value) == 0;
		if (invite_set_attended(db, e.id, id, ticked) < 0) {
			db_rollback(db);
			return HTTP_ERR_INTERNAL;
		}
	}
	if (db_commit(db) < 0)
		return HTTP_ERR_INTERNAL;
	http_redirect(res, 303, page_url(req, &e, "attendance"));
	return HTTP_OK;
}

enum http_error
events_delegation_decide(struct request *req, struct response *res)
{
	struct event e;
	enum http_error err = events_staff_event(req, &e);
	if (err != HTTP_OK)
		return err;
	const char *idv = http_form_get(req, "delegation");
	const char *decision = http_form_get(req, "decision");
	char *end = NULL;
	long long id = idv != NULL ? strtoll(idv, &end, 10) : 0;
	if (idv == NULL || *end != '\0' || id <= 0 || decision == NULL ||
	    (strcmp(decision, "approve") != 0 && strcmp(decision, "refuse") != 0))
		return HTTP_ERR_BAD_PARAM;
	int approve = strcmp(decision, "approve") == 0;
	struct db *db = db_thread();
	if (db_begin(db) < 0)
		return HTTP_ERR_INTERNAL;
	int64_t new_id = 0;
	char token[AUTH_TOKEN_LEN + 1];
	int rc = delegation_decide(db, e.id, id, approve, auth_user_of(req)->id, &new_id, token);
	if (rc == 0 && approve) {
		struct db_stmt *st = db_prepare(db, "SELECT user_id FROM invitations WHERE id = ?1");
		int64_t uid = 0;
		if (st != NULL) {
			db_bind_int(st, 1, new_id);
			if (db_step(st) == DB_ROW)
				uid = db_col_int(st, 0);
			db_done(st);
		}
		struct invitation inv;
		if (uid <= 0 || invite_of_user(db, req->arena, req->lang, e.id, uid, &inv) != 0 ||
		    invite_mail(db, req->arena, &e, &inv, token, 0) < 0)
			rc = -1;
		i18n_use(req->lang);
	}
	if (rc != 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == 1 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	}
	if (approve)
		mail_sender_wake();
	http_redirect(res, 303, page_url(req, &e, approve ? "approved" : "refused"));
	return HTTP_OK;
}
