/* events_invite_store: the SQL of invitations, their targets and delegations. */
#include <string.h>

#include "core/core_log.h"
#include "core/core_time.h"
#include "events/events_invite.h"
#include "render/render_i18n.h"

static const char *const answer_codes[ANSWER_COUNT] = {"none", "accepted", "declined", "maybe",
						       "delegated"};
static const char *const answer_labels[ANSWER_COUNT] = {
	N_("No answer yet"), N_("Accepted"), N_("Declined"), N_("Maybe"),
	N_("A colleague goes instead")};

const char *
answer_code(enum answer a)
{
	return (unsigned)a < ANSWER_COUNT ? answer_codes[a] : "none";
}

int
answer_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < ANSWER_COUNT; i++)
		if (strcmp(s, answer_codes[i]) == 0)
			return i;
	return -1;
}

const char *
answer_label(enum answer a)
{
	return _(answer_labels[(unsigned)a < ANSWER_COUNT ? a : ANSWER_NONE]);
}

static int
step_done(struct db_stmt *st)
{
	if (st == NULL)
		return -1;
	int rc = db_step(st);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
invite_create(struct db *db, int64_t event_id, int64_t user_id, int64_t invited_by,
	      int64_t delegate_of, char token[AUTH_TOKEN_LEN + 1], int64_t *id)
{
	char hash[AUTH_HASH_HEX];
	auth_token_new(token);
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO invitations (event_id, user_id, token_hash, invited_by, invited, "
		    "delegate_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		    "ON CONFLICT (event_id, user_id) DO NOTHING RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, hash);
	if (invited_by > 0)
		db_bind_int(st, 4, invited_by);
	db_bind_int(st, 5, time_now());
	if (delegate_of > 0)
		db_bind_int(st, 6, delegate_of);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
invite_new_token(struct db *db, int64_t id, char token[AUTH_TOKEN_LEN + 1])
{
	char hash[AUTH_HASH_HEX];
	auth_token_new(token);
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(db, "UPDATE invitations SET token_hash = ?2, reminded = ?3 "
					    "WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, time_now());
	return step_done(st);
}

/* The columns read_invitation reads; ?9 is the reader's language for the municipality. */
#define INVITATION_SELECT                                                                  \
	"SELECT i.id, i.event_id, i.user_id, i.answer, i.note, coalesce(i.answered, 0), "   \
	"i.invited, coalesce(i.reminded, 0), coalesce(i.attended, -1), i.sequence, "       \
	"coalesce(i.delegate_of, 0), u.name, u.email, u.lang, coalesce(u.municipality_id, 0), " \
	"CASE ?9 WHEN 'ar' THEN coalesce(m.name_ar, m.name_en, m.name_fr) "                 \
	"WHEN 'fr' THEN coalesce(m.name_fr, m.name_en, m.name_ar) "                         \
	"ELSE coalesce(m.name_en, m.name_fr, m.name_ar) END, "                              \
	"coalesce(d.id, 0), du.name, d.state "                                              \
	"FROM invitations i JOIN users u ON u.id = i.user_id "                              \
	"LEFT JOIN municipalities m ON m.id = u.municipality_id "                           \
	"LEFT JOIN delegations d ON d.id = (SELECT max(id) FROM delegations "              \
	"WHERE invitation_id = i.id) "                                                      \
	"LEFT JOIN users du ON du.id = d.delegate_id "

static const char *
dup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strdup(a, s) : NULL;
}

static void
read_invitation(struct db_stmt *st, struct arena *a, struct invitation *v)
{
	v->id = db_col_int(st, 0);
	v->event_id = db_col_int(st, 1);
	v->user_id = db_col_int(st, 2);
	int ans = answer_from_code(db_col_text(st, 3));
	v->answer = ans < 0 ? ANSWER_NONE : (enum answer)ans;
	v->note = dup(a, db_col_text(st, 4));
	v->answered = db_col_int(st, 5);
	v->invited = db_col_int(st, 6);
	v->reminded = db_col_int(st, 7);
	v->attended = (int)db_col_int(st, 8);
	v->sequence = (int)db_col_int(st, 9);
	v->delegate_of = db_col_int(st, 10);
	v->name = dup(a, db_col_text(st, 11));
	v->email = dup(a, db_col_text(st, 12));
	enum lang l = lang_from_code(db_col_text(st, 13));
	v->lang = l == LANG_NONE ? LANG_AR : l;
	v->municipality_id = db_col_int(st, 14);
	v->municipality = dup(a, db_col_text(st, 15));
	v->delegation_id = db_col_int(st, 16);
	v->delegate_name = dup(a, db_col_text(st, 17));
	v->delegation_state = dup(a, db_col_text(st, 18));
}

static int
fetch_one(struct db_stmt *st, struct arena *a, struct invitation *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_invitation(st, a, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int
invite_by_token(struct db *db, struct arena *a, enum lang l, const char *token,
		struct invitation *out)
{
	if (!auth_token_well_formed(token))
		return 1;
	char hash[AUTH_HASH_HEX];
	auth_token_hash(token, hash);
	struct db_stmt *st = db_prepare(db, INVITATION_SELECT "WHERE i.token_hash = ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 9, lang_code(l));
	return fetch_one(st, a, out);
}

int
invite_of_user(struct db *db, struct arena *a, enum lang l, int64_t event_id, int64_t user_id,
	       struct invitation *out)
{
	struct db_stmt *st = db_prepare(db, INVITATION_SELECT
					"WHERE i.event_id = ?1 AND i.user_id = ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 9, lang_code(l));
	return fetch_one(st, a, out);
}

int
invite_answer(struct db *db, int64_t id, enum answer ans, const char *note)
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE invitations SET answer = ?2, note = ?3, answered = ?4, "
		    "token_hash = NULL, sequence = sequence + 1 WHERE id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, answer_code(ans));
	db_bind_text(st, 3, note != NULL && *note ? note : NULL);
	db_bind_int(st, 4, time_now());
	return step_done(st);
}

int
invite_list(struct db *db, struct arena *a, enum lang l, int64_t event_id, size_t max,
	    struct invitation **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, INVITATION_SELECT
					"WHERE i.event_id = ?1 ORDER BY u.name, u.email LIMIT ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, (int64_t)max);
	db_bind_text(st, 9, lang_code(l));
	*out = arena_alloc(a, (max ? max : 1) * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		read_invitation(st, a, &(*out)[(*n)++]);
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
invite_totals(struct db *db, int64_t event_id, struct invite_totals *t)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT count(*), sum(answer = 'accepted'), sum(answer = 'declined'), "
		    "sum(answer = 'maybe'), sum(answer = 'none'), sum(answer = 'delegated'), "
		    "sum(attended = 1) FROM invitations WHERE event_id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, event_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->invited = db_col_int(st, 0);
		t->accepted = db_col_int(st, 1);
		t->declined = db_col_int(st, 2);
		t->maybe = db_col_int(st, 3);
		t->none = db_col_int(st, 4);
		t->delegated = db_col_int(st, 5);
		t->attended = db_col_int(st, 6);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int
invite_set_attended(struct db *db, int64_t event_id, int64_t id, int attended)
{
	struct db_stmt *st = db_prepare(db, "UPDATE invitations SET attended = ?3 "
					    "WHERE id = ?1 AND event_id = ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, event_id);
	if (attended >= 0)
		db_bind_int(st, 3, attended);
	return step_done(st);
}

/* Appends the ids a statement yields (column 0). */
static int
collect_ids(struct db_stmt *st, int64_t **ids, size_t *n, size_t max, struct arena *a)
{
	if (st == NULL)
		return -1;
	if (*ids == NULL)
		*ids = arena_alloc(a, (max ? max : 1) * sizeof(**ids));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		int seen = 0;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = (*ids)[i] == id;
		if (!seen && *n < max)
			(*ids)[(*n)++] = id;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
invite_targets_person(struct db *db, int64_t user_id, int64_t **ids, size_t *n, size_t max,
		      struct arena *a)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM users WHERE id = ?1 AND active = 1");
	if (st != NULL)
		db_bind_int(st, 1, user_id);
	return collect_ids(st, ids, n, max, a);
}

int
invite_targets_group(struct db *db, const char *slug, int64_t **ids, size_t *n, size_t max,
		     struct arena *a)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT u.id FROM users u JOIN twinning_groups g ON u.municipality_id IN "
		    "(g.municipality_a, g.municipality_b) WHERE g.slug = ?1 AND u.active = 1 "
		    "ORDER BY u.id");
	if (st != NULL)
		db_bind_text(st, 1, slug);
	return collect_ids(st, ids, n, max, a);
}

int
invite_targets_country(struct db *db, const char *iso2, int64_t **ids, size_t *n, size_t max,
		       struct arena *a)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT u.id FROM users u JOIN municipalities m ON m.id = u.municipality_id "
		    "WHERE m.country = ?1 AND u.active = 1 AND u.role = 'member' ORDER BY u.id");
	if (st != NULL)
		db_bind_text(st, 1, iso2);
	return collect_ids(st, ids, n, max, a);
}

int
invite_colleagues(struct db *db, struct arena *a, int64_t municipality_id, int64_t except,
		  struct colleague **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, name FROM users WHERE municipality_id = ?1 "
					    "AND id <> ?2 AND active = 1 ORDER BY name LIMIT 200");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, municipality_id);
	db_bind_int(st, 2, except);
	*out = arena_alloc(a, 200 * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < 200) {
		(*out)[*n].id = db_col_int(st, 0);
		(*out)[*n].name = arena_strdup(a, db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

int
delegation_create(struct db *db, const struct invitation *inv, int64_t delegate_id,
		  const char **why)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT (SELECT municipality_id FROM users WHERE id = ?1 AND active = 1), "
		    "EXISTS (SELECT 1 FROM invitations WHERE event_id = ?2 AND user_id = ?1), "
		    "EXISTS (SELECT 1 FROM delegations WHERE invitation_id = ?3 AND "
		    "state = 'pending')");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, delegate_id);
	db_bind_int(st, 2, inv->event_id);
	db_bind_int(st, 3, inv->id);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return -1;
	}
	int64_t muni = db_col_is_null(st, 0) ? -1 : db_col_int(st, 0);
	int invited = (int)db_col_int(st, 1), pending = (int)db_col_int(st, 2);
	db_done(st);
	if (delegate_id == inv->user_id || muni <= 0 || muni != inv->municipality_id) {
		*why = N_("Choose a colleague of your own municipality.");
		return 1;
	}
	if (invited) {
		*why = N_("This colleague is invited already.");
		return 1;
	}
	if (pending) {
		*why = N_("You have named a colleague already; the facilitators will answer soon.");
		return 1;
	}
	st = db_prepare(db, "INSERT INTO delegations (invitation_id, delegate_id, created) "
			    "VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, inv->id);
	db_bind_int(st, 2, delegate_id);
	db_bind_int(st, 3, time_now());
	return step_done(st);
}

int
delegation_decide(struct db *db, int64_t event_id, int64_t delegation_id, int approve,
		  int64_t decided_by, int64_t *new_id, char token[AUTH_TOKEN_LEN + 1])
{
	struct db_stmt *st = db_prepare(
		db, "UPDATE delegations SET state = ?3, decided = ?4, decided_by = ?5 "
		    "WHERE id = ?1 AND state = 'pending' AND invitation_id IN "
		    "(SELECT id FROM invitations WHERE event_id = ?2) "
		    "RETURNING invitation_id, delegate_id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, delegation_id);
	db_bind_int(st, 2, event_id);
	db_bind_text(st, 3, approve ? "approved" : "refused");
	db_bind_int(st, 4, time_now());
	db_bind_int(st, 5, decided_by);
	int rc = db_step(st);
	int64_t inv = 0, delegate = 0;
	if (rc == DB_ROW) {
		inv = db_col_int(st, 0);
		delegate = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (!approve)
		return 0;
	if (invite_answer(db, inv, ANSWER_DELEGATED, NULL) < 0)
		return -1;
	rc = invite_create(db, event_id, delegate, decided_by, inv, token, new_id);
	return rc == 0 ? 0 : -1;
}

int
events_taken_part(struct db *db, struct arena *a, int64_t municipality_id, size_t max,
		  struct event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (max > 1000)
		max = 1000;
	struct db_stmt *st = db_prepare(
		db, "SELECT e.id FROM events e WHERE e.published = 1 AND e.id IN ("
		    " SELECT i.event_id FROM invitations i JOIN users u ON u.id = i.user_id"
		    " WHERE u.municipality_id = ?1 AND (i.attended = 1 OR"
		    " (i.answer = 'accepted' AND i.attended IS NULL))"
		    " UNION SELECT r.event_id FROM registrations r JOIN users u ON u.id = r.user_id"
		    " WHERE u.municipality_id = ?1 AND (r.attended = 1 OR"
		    " (r.state = 'confirmed' AND r.attended IS NULL)))"
		    " ORDER BY e.starts DESC, e.id DESC LIMIT ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, municipality_id);
	db_bind_int(st, 2, (int64_t)max);
	int64_t *ids = arena_alloc(a, (max ? max : 1) * sizeof(*ids));
	size_t k = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && k < max)
		ids[k++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		return -1;
	return events_by_ids(db, a, ids, k, out, n);
}
