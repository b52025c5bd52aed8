/* events_manage: the staff's list of every event (drafts too) and the one-button
 * changes — publish, unpublish, highlight, unhighlight — each with its audit row. */
#include <string.h>

#include "accounts/accounts.h"
#include "auth/auth.h"
#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_internal.h"
#include "render/render_i18n.h"
#include "render/render_page.h"

#define MANAGE_PAGE 25		/* events per page of the list */

size_t
events_manage_page(struct request *req)
{
	const char *s = http_query_get(req, "page");
	if (s == NULL)
		return 1;
	size_t n = strlen(s), v = 0;
	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	return v <= 10000 ? v : 0;
}

static json_t *
row_json(struct request *req, const struct event *e, const char *here)
{
	struct arena *a = req->arena;
	const char *lang = lang_code(req->lang);
	enum lang shown;
	const struct event_text *t = events_text_for(e, req->lang, &shown);
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(e->slug));
	json_object_set_new(o, "title", json_string(t->title != NULL ? t->title : e->slug));
	json_object_set_new(o, "text_lang", json_string(lang_code(shown)));
	json_object_set_new(o, "text_dir", json_string(lang_dir(shown)));
	json_object_set_new(o, "missing", json_boolean(shown != req->lang));
	json_object_set_new(o, "starts", json_string(i18n_date(a, req->lang, e->starts, e->timezone)));
	json_object_set_new(o, "type_label", json_string(events_type_label(e->type)));
	json_object_set_new(o, "published", json_boolean(e->published));
	json_object_set_new(o, "highlight", json_boolean(e->highlight));
	json_object_set_new(o, "edit_url",
			    json_string(arena_printf(a, "/%s/manage/events/%s/edit", lang, e->slug)));
	json_object_set_new(o, "view_url", json_string(arena_printf(a, "/%s/events/%s", lang, e->slug)));
	json_object_set_new(o, "action_base",
			    json_string(arena_printf(a, "/%s/manage/events/%s/", lang, e->slug)));
	json_object_set_new(o, "back", json_string(here));
	return o;
}

/* GET /{lang}/manage/events[?page=N] */
enum http_error
events_manage_list(struct request *req, struct response *res)
{
	if (!auth_can(auth_user_of(req), ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	size_t page = events_manage_page(req);
	if (page == 0)
		return HTTP_ERR_BAD_PARAM;
	struct event *ev;
	size_t n, total = 0;
	if (events_list_all(db_thread(), req->arena, (page - 1) * MANAGE_PAGE, MANAGE_PAGE, &ev, &n,
			    &total) < 0)
		return HTTP_ERR_INTERNAL;
	const char *lang = lang_code(req->lang);
	const char *here = page > 1 ? arena_printf(req->arena, "/%s/manage/events?page=%zu", lang, page)
				    : arena_printf(req->arena, "/%s/manage/events", lang);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, row_json(req, &ev[i], here));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "title", json_string(_("Manage events")));
	json_object_set_new(ctx, "description", json_string(_("Every event, drafts included.")));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "total", json_string(i18n_number(req->arena, req->lang, (int64_t)total)));
	const char *base = arena_printf(req->arena, "/%s/manage/events?page=", lang);
	if (page > 1)
		json_object_set_new(ctx, "prev_url",
				    json_string(arena_printf(req->arena, "%s%zu", base, page - 1)));
	if (page * MANAGE_PAGE < total && page < 10000)
		json_object_set_new(ctx, "next_url",
				    json_string(arena_printf(req->arena, "%s%zu", base, page + 1)));
	json_object_set_new(ctx, "pager", json_boolean(json_object_get(ctx, "prev_url") != NULL ||
						       json_object_get(ctx, "next_url") != NULL));
	return accounts_form_page(req, res, "events/manage_list", ctx, 200);
}

/* What a one-button change sets. */
enum flag { FLAG_PUBLISHED, FLAG_HIGHLIGHT };

static const struct {
	enum flag flag;
	int value;
	const char *action;
} changes[] = {
	{FLAG_PUBLISHED, 1, "event.publish"},
	{FLAG_PUBLISHED, 0, "event.unpublish"},
	{FLAG_HIGHLIGHT, 1, "event.highlight"},
	{FLAG_HIGHLIGHT, 0, "event.unhighlight"},
};

/* The new version of an event changed now: the time, but always more than before,
 * so that two changes in one second still tell an edit form apart. */
int64_t
events_next_version(int64_t before)
{
	int64_t now = time_now();
	return now > before ? now : before + 1;
}

/* POST /{lang}/manage/events/{slug}/(publish|unpublish|highlight|unhighlight): sets the
 * flag (nothing happens when it is set already) and goes back to the form's "next"
 * page (the list by default). */
static enum http_error
change(struct request *req, struct response *res, size_t which)
{
	const struct auth_user *me = auth_user_of(req);
	if (!auth_can(me, ACT_EVENT_MANAGE, NULL))
		return HTTP_ERR_FORBIDDEN;
	struct db *db = db_thread();
	const char *slug = req->captures[1];
	struct event e;
	if (db_begin(db) < 0)
		return HTTP_ERR_UNAVAILABLE;
	int rc = events_get_any(db, req->arena, slug, &e);
	if (rc != 0) {
		db_rollback(db);
		return rc > 0 ? HTTP_ERR_NOT_FOUND : HTTP_ERR_INTERNAL;
	}
	struct event before = e;
	int *flag = changes[which].flag == FLAG_PUBLISHED ? &e.published : &e.highlight;
	if (*flag != changes[which].value) {
		char err[300] = "";
		*flag = changes[which].value;
		e.updated = events_next_version(before.updated);
		json_t *summary = events_audit_diff(&before, &e);
		int ok = events_save(db, &e, err, sizeof(err)) == 0 &&
			 events_audit_add(db, me->id, changes[which].action, slug, summary) == 0;
		json_decref(summary);
		if (!ok) {
			log_error("events: %s %s: %s", changes[which].action, slug, err);
			db_rollback(db);
			return HTTP_ERR_INTERNAL;
		}
		if (db_commit(db) < 0) {
			db_rollback(db);
			return HTTP_ERR_INTERNAL;
		}
		log_info("events: %s %s by user %lld", changes[which].action, slug, (long long)me->id);
	} else {
		db_rollback(db);
	}
	const char *list = arena_printf(req->arena, "/%s/manage/events", lang_code(req->lang));
	http_redirect(res, 303, accounts_safe_next(http_form_get(req, "next"), list));
	return HTTP_OK;
}

enum http_error
events_manage_publish(struct request *req, struct response *res)
{
	return change(req, res, 0);
}

enum http_error
events_manage_unpublish(struct request *req, struct response *res)
{
	return change(req, res, 1);
}

enum http_error
events_manage_highlight(struct request *req, struct response *res)
{
	return change(req, res, 2);
}

enum http_error
events_manage_unhighlight(struct request *req, struct response *res)
{
	return change(req, res, 3);
}
