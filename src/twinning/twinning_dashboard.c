/* twinning_dashboard: the facilitators' dashboard on /{lang}/groups — charts drawn on the
 * server (each group's milestone completion, reports per quarter, the network's
 * self-assessment by criterion), the groups that need attention, and the CSV export. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_time.h"
#include "render/render_i18n.h"
#include "render/render_svg.h"
#include "twinning/twinning_internal.h"

#define QUARTERS_SHOWN 8

/* "3.8" in the reader's digits: Arabic-Indic digits and the Arabic decimal separator. */
static const char *
decimal(struct arena *a, enum lang l, double v)
{
	char s[32];
	snprintf(s, sizeof(s), "%.1f", v);
	char *dot = strchr(s, '.');
	if (l == LANG_FR && dot != NULL)
		*dot = ',';
	if (l != LANG_AR)
		return arena_strdup(a, s);
	struct buf b = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			buf_printf(&b, "\xd9%c", (char)(0xa0 + (*p - '0')));
		else if (*p == '.')
			buf_puts(&b, "\xd9\xab");
		else
			buf_putc(&b, *p);
	}
	const char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The quarter of t ("2026-Q4") and the one n quarters before it. */
static void
quarter_of(int64_t t, int back, char out[8])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int q = tm.tm_mon / 3 + (tm.tm_year + 1900) * 4 - back;
	snprintf(out, 8, "%04u-Q%u", (unsigned)(q / 4) % 10000u, (unsigned)(q % 4) % 4u + 1u);
}

static const char *
iso_date(struct arena *a, int64_t t)
{
	char s[32];
	time_format_rfc3339(t, s);
	return arena_strndup(a, s, 10);
}

static const char *
group_name(const struct tw_group *g, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].id == id)
			return g[i].name;
	return "?";
}

static const char *
reasons_text(struct arena *a, unsigned r)
{
	struct buf b = BUF_INIT;
	if (r & ATTENTION_QUIET)
		buf_puts(&b, _("no activity"));
	if (r & ATTENTION_NO_REPORT) {
		if (b.len)
			buf_puts(&b, _(", "));
		buf_puts(&b, _("no recent report"));
	}
	if (r & ATTENTION_BLOCKED) {
		if (b.len)
			buf_puts(&b, _(", "));
		buf_puts(&b, _("a blocked milestone"));
	}
	const char *s = arena_strdup(a, b.len ? buf_cstr(&b) : "");
	buf_free(&b);
	return s;
}

static const char *
svg_text(struct arena *a, struct buf *b)
{
	const char *s = arena_strdup(a, buf_cstr(b));
	buf_free(b);
	return s;
}

int
twinning_dashboard_ctx(struct request *req, json_t *ctx, const struct tw_group *g, size_t n,
		       const struct twinning_stats *st, size_t n_st,
		       const struct twinning_attention *att, size_t n_att, int days)
{
	struct db *db = db_thread();
	struct arena *a = req->arena;
	int rtl = req->lang == LANG_AR;
	json_t *d = json_object();

	/* milestone completion, one bar per group */
	struct svg_item *items = arena_alloc(a, (n_st + 1) * sizeof(*items));
	for (size_t i = 0; i < n_st; i++) {
		unsigned reasons = 0;
		for (size_t k = 0; k < n_att; k++)
			if (att[k].stats.group_id == st[i].group_id)
				reasons = att[k].reasons;
		items[i] = (struct svg_item){group_name(g, n, st[i].group_id), st[i].completion,
					     tw_percent_label(a, req->lang, (int)(st[i].completion + 0.5)),
					     reasons ? "warn" : NULL};
	}
	struct buf b = BUF_INIT;
	svg_bars(&b, _("Milestone completion by group"),
		 _("Mean progress of each group's milestones, in percent; groups that need attention in red."),
		 items, n_st, 100, rtl, _("No group yet."));
	json_object_set_new(d, "completion", json_string(svg_text(a, &b)));

	/* reports per quarter, the last QUARTERS_SHOWN quarters */
	char first[8], last[8];
	int64_t now = time_now();
	quarter_of(now, QUARTERS_SHOWN - 1, first);
	quarter_of(now, 0, last);
	struct twinning_quarter *q;
	size_t nq;
	if (twinning_quarters(db, a, first, last, &q, &nq) < 0)
		return -1;
	struct svg_item *cols = arena_alloc(a, (nq + 1) * sizeof(*cols));
	const struct twinning_quarter *latest = NULL;
	for (size_t i = 0; i < nq; i++) {
		int year = atoi(q[i].period), qn = q[i].period[6] - '0';
		/* TRANSLATORS: a quarter of a year on a chart's axis, "Q3" */
		const char *label = arena_printf(a, "%s\n%s",
						 arena_printf(a, _("Q%s"), i18n_number_plain(a, req->lang, qn)),
						 i18n_number_plain(a, req->lang, year));
		cols[i] = (struct svg_item){label, q[i].reports,
					    i18n_number(a, req->lang, q[i].reports), NULL};
		if (q[i].reports > 0)
			latest = &q[i];
	}
	b = (struct buf)BUF_INIT;
	svg_columns(&b, _("Progress reports per quarter"),
		    _("How many groups filed a progress report in each of the last eight quarters."),
		    cols, nq, n_st > 0 ? (double)n_st : 1, rtl, _("No report yet."));
	json_object_set_new(d, "quarters", json_string(svg_text(a, &b)));

	/* the self-assessment of the latest quarter with reports, by criterion */
	struct tw_criterion *crit;
	size_t nc;
	if (tw_criteria(db, a, req->lang, &crit, &nc) < 0)
		return -1;
	struct svg_item *cr = arena_alloc(a, (TWINNING_CRITERIA_MAX + 1) * sizeof(*cr));
	size_t ncr = 0;
	for (int i = 0; latest != NULL && i < latest->n_criteria; i++) {
		const char *name = latest->criteria[i];
		for (size_t k = 0; k < nc; k++)
			if (strcmp(crit[k].slug, latest->criteria[i]) == 0)
				name = crit[k].name;
		cr[ncr++] = (struct svg_item){name, latest->mean[i],
					      decimal(a, req->lang, latest->mean[i]), NULL};
	}
	b = (struct buf)BUF_INIT;
	svg_bars(&b, _("Self-assessment by criterion"),
		 latest != NULL ? arena_printf(a, _("Mean score (1 to 5) the groups gave themselves in %s."),
					       tw_period_label(a, req->lang, latest->period))
				: "",
		 cr, ncr, 5, rtl, _("No report yet."));
	json_object_set_new(d, "criteria", json_string(svg_text(a, &b)));

	json_t *list = json_array();
	for (size_t k = 0; k < n_att; k++)
		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:s}", "name", group_name(g, n, att[k].stats.group_id), "url",
			arena_printf(a, "/%s/groups/%s", lang_code(req->lang), att[k].stats.slug),
			"reasons", reasons_text(a, att[k].reasons)));
	json_object_set_new(d, "attention", list);
	json_object_set_new(d, "days", json_integer(days));
	json_object_set_new(d, "csv", json_string(arena_printf(a, "/%s/groups.csv?days=%d",
							       lang_code(req->lang), days)));
	json_object_set_new(ctx, "dashboard", d);
	return 0;
}

/* A CSV field: quoted when it must be, and a leading = + - @ neutralised so that a
 * spreadsheet never runs a name as a formula. */
static void
csv_field(struct buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	int formula = s[0] != '\0' && strchr("=+-@", s[0]) != NULL;
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

enum http_error
twinning_dashboard_csv(struct request *req, struct response *res)
{
	if (!auth_can(auth_user_of(req), ACT_GROUP_EVALUATE, NULL))
		return HTTP_ERR_FORBIDDEN;
	int days = 120;
	const char *dv = http_query_get(req, "days");
	if (dv != NULL) {
		char *end;
		long v = strtol(dv, &end, 10);
		if (*end != '\0' || v < 7 || v > 730)
			return HTTP_ERR_BAD_PARAM;
		days = (int)v;
	}
	struct db *db = db_thread();
	struct arena *a = req->arena;
	int64_t now = time_now();
	struct tw_group *g;
	struct twinning_stats *st;
	struct twinning_attention *att;
	size_t n, n_st, n_att;
	if (tw_group_list(db, a, req->lang, &g, &n) < 0 ||
	    twinning_stats_all(db, a, now, &st, &n_st) < 0 ||
	    twinning_needing_attention(db, a, now, days, &att, &n_att) < 0)
		return HTTP_ERR_INTERNAL;
	struct buf *b = &res->body;
	buf_puts(b, "\xef\xbb\xbf");	/* a BOM: spreadsheets then read the Arabic as UTF-8 */
	buf_puts(b, "slug,name,city_a,country_a,city_b,country_b,status,published,milestones,"
		    "planned,in_progress,done,blocked,overdue,completion_percent,"
		    "weighted_completion_percent,reports,last_period,last_report,evaluations,"
		    "evaluation_mean,last_activity,needs_attention\r\n");
	for (size_t i = 0; i < n_st; i++) {
		const struct tw_group *grp = NULL;
		for (size_t k = 0; k < n; k++)
			if (g[k].id == st[i].group_id)
				grp = &g[k];
		unsigned reasons = 0;
		for (size_t k = 0; k < n_att; k++)
			if (att[k].stats.group_id == st[i].group_id)
				reasons = att[k].reasons;
		const struct twinning_stats *s = &st[i];
		csv_field(b, s->slug);
		buf_putc(b, ',');
		csv_field(b, grp ? grp->name : "");
		for (int c = 0; c < 2; c++) {
			buf_putc(b, ',');
			csv_field(b, grp ? grp->city[c].name : "");
			buf_putc(b, ',');
			csv_field(b, grp ? grp->city[c].country : "");
		}
		buf_printf(b, ",%s,%d,%d,%d,%d,%d,%d,%d,%.1f,%.1f,%d,", group_status_code(s->status),
			   s->published, s->milestones, s->by_status[MILESTONE_PLANNED],
			   s->by_status[MILESTONE_IN_PROGRESS], s->by_status[MILESTONE_DONE],
			   s->by_status[MILESTONE_BLOCKED], s->overdue, s->completion,
			   s->weighted_completion, s->reports);
		csv_field(b, s->last_period);
		buf_putc(b, ',');
		if (s->last_report > 0)
			buf_puts(b, iso_date(a, s->last_report));
		buf_printf(b, ",%d,%.2f,", s->evaluations, s->evaluation_mean);
		if (s->last_activity > 0)
			buf_puts(b, iso_date(a, s->last_activity));
		buf_putc(b, ',');
		csv_field(b, reasons_text(a, reasons));
		buf_puts(b, "\r\n");
	}
	res->content_type = "text/csv; charset=utf-8";
	res->compressible = 1;
	http_add_header(res, "Content-Disposition",
			"attachment; filename=\"twinning-groups.csv\"");
	return HTTP_OK;
}
