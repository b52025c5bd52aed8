/* auth_perm: who may do what to which object — the one table every permission decision
 * of tawama is read from. */
#include "auth/auth.h"

#define R(role) (1u << (role))
#define STAFF (R(ROLE_FACILITATOR) | R(ROLE_ADMIN))

/* An action is allowed when any line of its rule holds:
 *   roles            the asker's role is one of these (whatever the object)
 *   public_published anyone, signed in or not, when the object is published
 *   relations        a signed-in asker with one of these relations to the object
 *                    (and, with needs_published, only when the object is published)
 *   open             a signed-in asker when the object is open to members and published */
struct rule {
	const char *name;
	unsigned roles;
	int public_published;
	unsigned relations;
	int needs_published;
	int open;
};

static const struct rule rules[ACT_COUNT] = {
	[ACT_EVENT_VIEW] = {"event.view", STAFF, 1, 0, 0, 0},
	[ACT_EVENT_MANAGE] = {"event.manage", STAFF, 0, 0, 0, 0},
	[ACT_EVENT_INVITE] = {"event.invite", STAFF, 0, 0, 0, 0},
	[ACT_EVENT_ANSWER] = {"event.answer", 0, 0, REL_INVITEE, 1, 0},
	[ACT_EVENT_REGISTER] = {"event.register", 0, 0, 0, 1, 1},
	[ACT_EVENT_MEETING_LINK] = {"event.meeting_link", STAFF, 0, REL_PARTICIPANT, 1, 0},
	[ACT_EVENT_PARTICIPANTS] = {"event.participants", STAFF, 0, REL_PARTICIPANT, 1, 0},
	[ACT_EVENT_DELEGATE] = {"event.delegate", STAFF, 0, 0, 0, 0},
	[ACT_AUDIT_VIEW] = {"audit.view", STAFF, 0, 0, 0, 0},
	[ACT_ACCOUNT_VIEW] = {"account.view", STAFF, 0, REL_SELF, 0, 0},
	[ACT_ACCOUNT_EDIT] = {"account.edit", R(ROLE_ADMIN), 0, REL_SELF, 0, 0},
	[ACT_ACCOUNT_CREATE] = {"account.create", STAFF, 0, 0, 0, 0},
	[ACT_ACCOUNT_ROLE] = {"account.role", R(ROLE_ADMIN), 0, 0, 0, 0},
	[ACT_GROUP_VIEW] = {"group.view", STAFF, 0, REL_GROUP_MEMBER, 0, 0},
	[ACT_GROUP_EDIT] = {"group.edit", STAFF, 0, REL_GROUP_MEMBER, 0, 0},
	[ACT_GROUP_EVALUATE] = {"group.evaluate", STAFF, 0, 0, 0, 0},
	[ACT_MUNICIPALITY_EDIT] = {"municipality.edit", STAFF, 0, 0, 0, 0},
	/* names of people are for the network's own members, never the public */
	[ACT_MUNICIPALITY_PEOPLE] = {"municipality.people", R(ROLE_MEMBER) | STAFF, 0, 0, 0, 0},
	[ACT_GROUP_MANAGE] = {"group.manage", STAFF, 0, 0, 0, 0},
};

int
auth_can(const struct auth_user *user, enum auth_action act, const struct auth_object *obj)
{
	static const struct auth_object none;
	if ((unsigned)act >= ACT_COUNT)
		return 0;
	if (obj == NULL)
		obj = &none;
	const struct rule *r = &rules[act];
	if (user != NULL && !user->active)
		user = NULL;
	if (user != NULL && (unsigned)user->role < ROLE_COUNT && (r->roles & R(user->role)))
		return 1;
	if (r->public_published && obj->published)
		return 1;
	if (user == NULL)
		return 0;
	if (r->needs_published && !obj->published)
		return 0;
	if (r->relations & obj->relation)
		return 1;
	return r->open && obj->open_to_members;
}

const char *
auth_action_name(enum auth_action act)
{
	return (unsigned)act < ACT_COUNT ? rules[act].name : "?";
}
