-- 009_participation: invitations (with RSVP answers, notes, attendance and delegates)
-- and registrations (with a capacity, a waiting list and facilitator approval).
-- An invitation's token is stored only as its hash, and only until it is used: a
-- used or replaced link answers 404.

CREATE TABLE invitations (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash TEXT UNIQUE,
	answer TEXT NOT NULL DEFAULT 'none' CHECK (answer IN ('none', 'accepted',
		'declined', 'maybe', 'delegated')),
	note TEXT,
	answered BIGINT,
	invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	invited BIGINT NOT NULL,
	reminded BIGINT,
	sequence INTEGER NOT NULL DEFAULT 0,	-- of the calendar copies sent
	attended INTEGER CHECK (attended IN (0, 1)),	-- NULL: not marked yet
	delegate_of INTEGER REFERENCES invitations (id) ON DELETE SET NULL,
	UNIQUE (event_id, user_id)
);

CREATE INDEX invitations_user ON invitations (user_id);

-- An invitee naming a colleague of the same municipality to go instead.
CREATE TABLE delegations (
	id INTEGER PRIMARY KEY,
	invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
	delegate_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved',
		'refused')),
	created BIGINT NOT NULL,
	decided BIGINT,
	decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE INDEX delegations_invitation ON delegations (invitation_id);

CREATE TABLE registrations (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'waiting', 'offered',
		'cancelled', 'refused')),
	created BIGINT NOT NULL,	-- the waiting list's order
	updated BIGINT NOT NULL,
	offered_until BIGINT,		-- while state = 'offered'
	attended INTEGER CHECK (attended IN (0, 1)),
	UNIQUE (event_id, user_id)
);

CREATE INDEX registrations_event ON registrations (event_id, state, created);
