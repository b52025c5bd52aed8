/* twinning_timeline: labels of the workspace (statuses, quarters, percentages, dates)
 * and the timeline's rows told as sentences in the reader's language, with what
 * changed from what to what. */
#include <string.h>

#include "core/core_time.h"
#include "render/render_i18n.h"
#include "twinning/twinning_internal.h"

const char *
tw_group_status_label(enum group_status s)
{
	static const char *const labels[GROUP_STATUS_COUNT] = {
		[GROUP_FORMING] = N_("Forming"),
		[GROUP_ACTIVE] = N_("Active"),
		[GROUP_PAUSED] = N_("Paused"),
		[GROUP_COMPLETED] = N_("Completed"),
	};
	return _(labels[(unsigned)s < GROUP_STATUS_COUNT ? s : GROUP_FORMING]);
}

const char *
tw_milestone_status_label(enum milestone_status s)
{
	static const char *const labels[MILESTONE_STATUS_COUNT] = {
		[MILESTONE_PLANNED] = N_("Planned"),
		[MILESTONE_IN_PROGRESS] = N_("In progress"),
		[MILESTONE_DONE] = N_("Done"),
		[MILESTONE_BLOCKED] = N_("Blocked"),
	};
	return _(labels[(unsigned)s < MILESTONE_STATUS_COUNT ? s : MILESTONE_PLANNED]);
}

const char *
tw_period_label(struct arena *a, enum lang l, const char *period)
{
	int y, q;
	if (tw_period_parse(period, &y, &q) < 0)
		return arena_strdup(a, period != NULL ? period : "");
	/* TRANSLATORS: a quarter of a year, "Q3 2026": %1$s the quarter (1-4), %2$s the year */
	return arena_printf(a, _("Q%1$s %2$s"), i18n_number_plain(a, l, q),
			    i18n_number_plain(a, l, y));
}

const char *
tw_percent_label(struct arena *a, enum lang l, int percent)
{
	/* TRANSLATORS: a percentage, "40%" */
	return arena_printf(a, _("%s%%"), i18n_number_plain(a, l, percent));
}

const char *
tw_date_label(struct arena *a, enum lang l, const char *date)
{
	int64_t t;
	if (date == NULL || time_parse_date(date, &t) < 0)
		return arena_strdup(a, date != NULL ? date : "");
	return i18n_date(a, l, t, "UTC");
}

/* ---- the timeline ---------------------------------------------------------------- */

enum value_kind { V_TEXT, V_DATE, V_PERCENT, V_STATUS, V_LANG, V_BOOL, V_SCORE, V_CHANGED };

struct field {
	const char *key;
	const char *label;	/* msgid */
	enum value_kind kind;
};

/* In the order a row lists its changes. */
static const struct field fields[] = {
	{"title", N_("Title"), V_TEXT},
	{"status", N_("Status"), V_STATUS},
	{"progress", N_("Progress"), V_PERCENT},
	{"due", N_("Due date"), V_DATE},
	{"owner", N_("Owner"), V_TEXT},
	{"lang", N_("Language of the text"), V_LANG},
	{"achievements", N_("Achievements"), V_CHANGED},
	{"challenges", N_("Challenges"), V_CHANGED},
	{"next_steps", N_("Next steps"), V_CHANGED},
	{"score", N_("Overall score"), V_SCORE},
	{"name.ar", N_("Name in Arabic"), V_TEXT},
	{"name.en", N_("Name in English"), V_TEXT},
	{"name.fr", N_("Name in French"), V_TEXT},
	{"municipalities", N_("Municipalities"), V_TEXT},
	{"event", N_("Formation event"), V_TEXT},
	{"themes", N_("Themes"), V_TEXT},
	{"published", N_("Published"), V_BOOL},
};

/* A value of the summary as the reader sees it; NULL for none. */
static const char *
value_text(struct arena *a, enum lang l, enum value_kind kind, const char *object_kind,
	   json_t *v)
{
	if (v == NULL || json_is_null(v))
		return NULL;
	const char *s = json_string_value(v);
	switch (kind) {
	case V_TEXT:
		if (s != NULL)
			return arena_strdup(a, s);
		if (json_is_integer(v))
			return i18n_number(a, l, json_integer_value(v));
		return NULL;
	case V_DATE:
		return tw_date_label(a, l, s);
	case V_PERCENT:
		return json_is_integer(v) ? tw_percent_label(a, l, (int)json_integer_value(v)) : NULL;
	case V_STATUS:
		if (s == NULL)
			return NULL;
		if (strcmp(object_kind, "group") == 0) {
			int st = group_status_from_code(s);
			return st < 0 ? arena_strdup(a, s) : tw_group_status_label((enum group_status)st);
		} else {
			int st = milestone_status_from_code(s);
			return st < 0 ? arena_strdup(a, s)
				      : tw_milestone_status_label((enum milestone_status)st);
		}
	case V_LANG: {
		enum lang x = s != NULL ? lang_from_code(s) : LANG_NONE;
		return x == LANG_NONE ? NULL : lang_native_name(x);
	}
	case V_BOOL:
		return json_is_true(v) ? _("Yes") : _("No");
	case V_SCORE:
		/* TRANSLATORS: a score such as "4 out of 5" */
		return json_is_integer(v) ? arena_printf(a, _("%s out of 5"),
							 i18n_number_plain(a, l, json_integer_value(v)))
					  : NULL;
	case V_CHANGED:
		return NULL;
	}
	return NULL;
}

static void
add_change(struct arena *a, enum lang l, json_t *arr, const char *label, enum value_kind kind,
	   const char *object_kind, json_t *ch)
{
	json_t *o = json_object();
	json_object_set_new(o, "label", json_string(label));
	if (kind == V_CHANGED) {
		json_object_set_new(o, "changed", json_true());
	} else {
		const char *from = value_text(a, l, kind, object_kind, json_object_get(ch, "from"));
		const char *to = value_text(a, l, kind, object_kind, json_object_get(ch, "to"));
		if (from != NULL)
			json_object_set_new(o, "from", json_string(from));
		json_object_set_new(o, "to", json_string(to != NULL ? to : _("none")));
	}
	json_array_append_new(arr, o);
}

static json_t *
changes_json(struct arena *a, enum lang l, const struct tw_activity *act,
	     const struct tw_criterion *crit, size_t n_crit)
{
	json_t *arr = json_array();
	json_t *sum = json_loads(act->summary != NULL ? act->summary : "{}", 0, NULL);
	if (!json_is_object(sum)) {
		json_decref(sum);
		return arr;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *ch = json_object_get(sum, fields[i].key);
		if (json_is_object(ch))
			add_change(a, l, arr, _(fields[i].label), fields[i].kind, act->object_kind, ch);
	}
	/* the self-assessment, in the criteria's order; a criterion since removed by its
	 * slug */
	const char *key;
	json_t *ch;
	for (size_t k = 0; k <= n_crit; k++) {
		json_object_foreach(sum, key, ch) {
			if (strncmp(key, "score.", 6) != 0 || !json_is_object(ch))
				continue;
			int known = 0;
			for (size_t j = 0; j < n_crit; j++)
				known |= strcmp(key + 6, crit[j].slug) == 0;
			if (k < n_crit ? strcmp(key + 6, crit[k].slug) != 0 : known)
				continue;
			add_change(a, l, arr, k < n_crit ? crit[k].name : key + 6, V_SCORE,
				   act->object_kind, ch);
		}
	}
	json_decref(sum);
	return arr;
}

static const char *
sentence(struct arena *a, enum lang l, const struct tw_activity *act)
{
	const char *who = act->user_name != NULL ? act->user_name : _("The network team");
	const char *what = act->action;
	const char *label = act->label != NULL ? act->label : "";
	if (strcmp(what, "group.create") == 0)
		return arena_printf(a, _("%1$s created the group."), who);
	if (strcmp(what, "group.update") == 0)
		return arena_printf(a, _("%1$s edited the group."), who);
	if (strcmp(what, "milestone.create") == 0)
		return arena_printf(a, _("%1$s added the milestone \"%2$s\"."), who, label);
	if (strcmp(what, "milestone.update") == 0)
		return arena_printf(a, _("%1$s updated the milestone \"%2$s\"."), who, label);
	const char *period = act->label != NULL ? tw_period_label(a, l, act->label) : NULL;
	if (strcmp(what, "report.create") == 0)
		return arena_printf(a, _("%1$s filed the progress report for %2$s."), who,
				    period != NULL ? period : "");
	if (strcmp(what, "report.update") == 0)
		return arena_printf(a, _("%1$s updated the progress report for %2$s."), who,
				    period != NULL ? period : "");
	if (strcmp(what, "comment.create") == 0)
		return period != NULL
			       ? arena_printf(a, _("%1$s commented on the report for %2$s."), who, period)
			       : arena_printf(a, _("%1$s commented on the group's progress."), who);
	if (strcmp(what, "evaluation.create") == 0)
		return period != NULL
			       ? arena_printf(a, _("%1$s evaluated the report for %2$s."), who, period)
			       : arena_printf(a, _("%1$s evaluated the group's progress."), who);
	return arena_printf(a, "%s: %s", who, what);
}

json_t *
tw_activity_json(struct arena *a, enum lang l, const char *tz, const struct tw_activity *act,
		 const struct tw_criterion *crit, size_t n_crit)
{
	char at[32];
	time_format_rfc3339(act->at, at);
	json_t *o = json_object();
	json_object_set_new(o, "action", json_string(act->action));
	json_object_set_new(o, "object", json_string(act->object_kind));
	if (act->object_id > 0)
		json_object_set_new(o, "object_id", json_integer(act->object_id));
	json_object_set_new(o, "by", act->user_name != NULL ? json_string(act->user_name) : json_null());
	json_object_set_new(o, "sentence", json_string(sentence(a, l, act)));
	json_object_set_new(o, "changes", changes_json(a, l, act, crit, n_crit));
	json_object_set_new(o, "at", json_string(at));
	json_object_set_new(o, "when", json_string(i18n_datetime(a, l, act->at, tz)));
	return o;
}
