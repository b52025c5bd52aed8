/* events: codes of event types and participation modes, text fallback. */
#include <string.h>

#include "events/events_internal.h"
#include "render/render_i18n.h"

static const char *const type_codes[EVENT_TYPE_COUNT] = {
	[EVENT_WORKSHOP] = "workshop",
	[EVENT_WEBINAR] = "webinar",
	[EVENT_VIRTUAL_MEETING] = "virtual-meeting",
	[EVENT_TRAINING] = "training",
	[EVENT_CONFERENCE] = "conference",
	[EVENT_STUDY_VISIT] = "study-visit",
};

static const char *const part_codes[PART_COUNT] = {
	[PART_OPEN] = "open",
	[PART_REGISTRATION] = "registration",
	[PART_INVITATION] = "invitation",
};

const char *
event_type_code(enum event_type t)
{
	return (t >= 0 && t < EVENT_TYPE_COUNT) ? type_codes[t] : "workshop";
}

int
event_type_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < EVENT_TYPE_COUNT; i++)
		if (strcmp(s, type_codes[i]) == 0)
			return i;
	return -1;
}

const char *
participation_code(enum participation p)
{
	return (p >= 0 && p < PART_COUNT) ? part_codes[p] : "open";
}

int
participation_from_code(const char *s)
{
	for (int i = 0; s != NULL && i < PART_COUNT; i++)
		if (strcmp(s, part_codes[i]) == 0)
			return i;
	return -1;
}

const struct event_text *
events_text_for(const struct event *e, enum lang l, enum lang *shown)
{
	if (l >= 0 && l < LANG_COUNT && e->text[l].title != NULL) {
		if (shown != NULL)
			*shown = l;
		return &e->text[l];
	}
	/* prefer English, then Arabic, then French for a missing translation */
	static const enum lang fallback[LANG_COUNT] = {LANG_EN, LANG_AR, LANG_FR};
	for (int i = 0; i < LANG_COUNT; i++) {
		if (e->text[fallback[i]].title != NULL) {
			if (shown != NULL)
				*shown = fallback[i];
			return &e->text[fallback[i]];
		}
	}
	if (shown != NULL)
		*shown = l;
	return &e->text[l >= 0 && l < LANG_COUNT ? l : LANG_EN];
}

const char *
events_name_for(const struct named *n, enum lang l)
{
	if (l >= 0 && l < LANG_COUNT && n->name[l] != NULL)
		return n->name[l];
	static const enum lang fallback[LANG_COUNT] = {LANG_EN, LANG_AR, LANG_FR};
	for (int i = 0; i < LANG_COUNT; i++)
		if (n->name[fallback[i]] != NULL)
			return n->name[fallback[i]];
	return n->slug != NULL ? n->slug : "";
}

static const char *const type_labels[EVENT_TYPE_COUNT] = {
	[EVENT_WORKSHOP] = N_("Workshop"),
	[EVENT_WEBINAR] = N_("Webinar"),
	[EVENT_VIRTUAL_MEETING] = N_("Virtual meeting"),
	[EVENT_TRAINING] = N_("Training"),
	[EVENT_CONFERENCE] = N_("Conference"),
	[EVENT_STUDY_VISIT] = N_("Study visit"),
};

static const char *const part_labels[PART_COUNT] = {
	[PART_OPEN] = N_("Open to all"),
	[PART_REGISTRATION] = N_("Registration required"),
	[PART_INVITATION] = N_("By invitation only"),
};

const char *
events_type_label(enum event_type t)
{
	return gettext(type_labels[(t >= 0 && t < EVENT_TYPE_COUNT) ? t : EVENT_WORKSHOP]);
}

const char *
events_participation_label(enum participation p)
{
	return gettext(part_labels[(p >= 0 && p < PART_COUNT) ? p : PART_OPEN]);
}
