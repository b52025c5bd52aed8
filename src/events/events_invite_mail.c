/* events_invite_mail: the mails of invitations — the invitation and its reminders with
 * RSVP links and the invitee's calendar copy, and the confirmation of an answer —
 * written in the invitee's language whatever the language of the page that sent them. */
#include <string.h>

#include "core/core_config.h"
#include "core/core_log.h"
#include "events/events_invite.h"
#include "mail/mail.h"
#include "render/render_i18n.h"

/* The address inside a From value ("HMLN <noreply@x.org>" gives noreply@x.org). */
static const char *
from_address(struct arena *a)
{
	const char *f = mail_from();
	const char *lt = strrchr(f, '<'), *gt = strrchr(f, '>');
	if (lt != NULL && gt != NULL && gt > lt)
		return arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
	return f;
}

static const char *
where(struct arena *a, const struct event *e, enum lang l)
{
	if (e->is_virtual)
		return _("Virtual");
	return arena_printf(a, "%s%s%s, %s", e->venue != NULL ? e->venue : "",
			    e->venue != NULL ? ", " : "", e->city != NULL ? e->city : "",
			    e->country != NULL ? i18n_country_name(a, l, e->country) : "");
}

/* The summary every mail about e starts with. */
static void
put_summary(struct buf *b, struct arena *a, const struct event *e, enum lang l,
	    const char *title)
{
	buf_printf(b, "%s\n\n", title);
	buf_printf(b, "%s: %s\n", _("Starts"), i18n_datetime(a, l, e->starts, e->timezone));
	buf_printf(b, "%s: %s\n", _("Ends"), i18n_datetime(a, l, e->ends, e->timezone));
	buf_printf(b, "%s: %s\n", _("Time zone"), i18n_tz_name(a, l, e->starts, e->timezone));
	buf_printf(b, "%s: %s\n", _("Location"), where(a, e, l));
	buf_printf(b, "%s: %s\n\n", _("By"), events_name_for(&e->organiser, l));
}

static enum ics_partstat
partstat_of(enum answer ans)
{
	switch (ans) {
	case ANSWER_ACCEPTED:
		return ICS_ACCEPTED;
	case ANSWER_DECLINED:
	case ANSWER_DELEGATED:
		return ICS_DECLINED;
	case ANSWER_MAYBE:
		return ICS_TENTATIVE;
	default:
		return ICS_NEEDS_ACTION;
	}
}

char *
invite_ics(struct arena *a, const struct event *e, const struct invitation *inv, enum lang l,
	   size_t *len)
{
	struct ics_attendee att = {
		.organizer_name = config_site_name(),
		.organizer_email = from_address(a),
		.name = inv->name,
		.email = inv->email,
		.partstat = partstat_of(inv->answer),
		.sequence = inv->sequence,
	};
	return events_ics_attendee(e, l, &att, len);
}

/* Queues text (and the invitee's calendar copy) to inv's invitee. 0 or -1. */
static int
send(struct db *db, struct arena *a, const struct event *e, const struct invitation *inv,
     const char *subject, const char *text, const char *kind)
{
	size_t len = 0;
	char *ics = invite_ics(a, e, inv, inv->lang, &len);
	if (ics == NULL)
		return -1;
	struct mail_attachment file = {
		.filename = arena_printf(a, "%s.ics", e->slug),
		.content_type = "text/calendar; method=REQUEST; charset=UTF-8",
		.data = ics,
		.len = len,
	};
	struct mail_msg m = {
		.to = inv->email,
		.to_name = inv->name,
		.subject = subject,
		.text = text,
		.att = &file,
		.n_att = 1,
		.kind = kind,
	};
	int64_t id = mail_enqueue(db, &m);
	free(ics);
	if (id < 0)
		log_error("events: could not queue the %s mail of invitation %lld", kind,
			  (long long)inv->id);
	return id < 0 ? -1 : 0;
}

int
invite_mail(struct db *db, struct arena *a, const struct event *e, const struct invitation *inv,
	    const char *token, int reminder)
{
	enum lang l = inv->lang, shown;
	i18n_use(l);
	const struct event_text *tx = events_text_for(e, l, &shown);
	const char *title = tx->title != NULL ? tx->title : e->slug;
	const char *base = arena_printf(a, "%s/%s/rsvp?token=%s", config_base_url(), lang_code(l),
					token);
	struct buf b = BUF_INIT;
	buf_printf(&b, _("Hello %s,"), inv->name);
	buf_puts(&b, "\n\n");
	buf_puts(&b, reminder ? _("We have not yet received your answer to this invitation:")
			      : _("You are invited to this event of the network:"));
	buf_puts(&b, "\n\n");
	put_summary(&b, a, e, l, title);
	buf_printf(&b, "%s\n\n", _("Please answer, by opening one of these links:"));
	buf_printf(&b, "%s:\n%s&answer=accepted\n\n", _("I will take part"), base);
	buf_printf(&b, "%s:\n%s&answer=declined\n\n", _("I cannot take part"), base);
	buf_printf(&b, "%s:\n%s&answer=maybe\n\n", _("Maybe"), base);
	buf_printf(&b, "%s\n\n", _("These links are yours: please do not forward them. To send "
				   "a colleague of your municipality instead, open a link and "
				   "name them; the facilitators will confirm."));
	buf_printf(&b, "%s:\n%s/%s/events/%s\n", _("The event page"), config_base_url(),
		   lang_code(l), e->slug);
	const char *subject = arena_printf(a, reminder ? _("Reminder: invitation to %s")
						       : _("Invitation: %s"),
					   title);
	int rc = b.failed ? -1
			  : send(db, a, e, inv, subject, buf_cstr(&b),
				 reminder ? "reminder" : "invitation");
	buf_free(&b);
	return rc;
}

int
invite_mail_answer(struct db *db, struct arena *a, const struct event *e,
		   const struct invitation *inv)
{
	enum lang l = inv->lang, shown;
	i18n_use(l);
	const struct event_text *tx = events_text_for(e, l, &shown);
	const char *title = tx->title != NULL ? tx->title : e->slug;
	struct buf b = BUF_INIT;
	buf_printf(&b, _("Hello %s,"), inv->name);
	buf_puts(&b, "\n\n");
	buf_printf(&b, _("Your answer is recorded: %s."), answer_label(inv->answer));
	buf_puts(&b, "\n\n");
	put_summary(&b, a, e, l, title);
	buf_printf(&b, "%s\n\n", _("The attached calendar entry shows your answer."));
	buf_printf(&b, "%s:\n%s/%s/events/%s\n", _("The event page"), config_base_url(),
		   lang_code(l), e->slug);
	const char *subject = arena_printf(a, _("Your answer: %s"), title);
	int rc = b.failed ? -1 : send(db, a, e, inv, subject, buf_cstr(&b), "answer");
	buf_free(&b);
	return rc;
}
