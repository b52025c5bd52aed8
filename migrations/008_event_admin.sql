-- 008_event_admin: what facilitators manage on the web — three event fields the
-- invitations need, and the audit log of who changed what and when.
-- Same dialect as 001. That a meeting link belongs to a virtual event and that only a
-- registration event needs approval are checked by the code (events_check.c), which
-- explains itself; a column CHECK that looks at another column is not portable.

-- The link of a virtual meeting: shown to accepted participants and staff only, never
-- on public pages, feeds or the API. NULL: none.
ALTER TABLE events ADD COLUMN meeting_link TEXT;
-- Places; NULL: unlimited.
ALTER TABLE events ADD COLUMN capacity INTEGER CHECK (capacity BETWEEN 1 AND 100000);
-- A registration event whose sign-ups a facilitator approves one by one.
ALTER TABLE events ADD COLUMN needs_approval INTEGER NOT NULL DEFAULT 0
	CHECK (needs_approval IN (0, 1));

-- One row per change: who (the account; NULL once it is deleted, or for the command
-- line), when (UTC seconds), what (action "event.create", "event.update",
-- "event.publish", ...), on which object (kind, id, and slug as it was then), and a
-- JSON object of the changed fields {"field": {"from": ..., "to": ...}}. Values are
-- shortened; secrets (the meeting link) are recorded as changed, never written.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at BIGINT NOT NULL,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	object_kind TEXT NOT NULL,
	object_id BIGINT,
	object_slug TEXT,
	summary TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_object ON audit_log (object_kind, object_slug, id);
CREATE INDEX audit_log_user ON audit_log (user_id);
