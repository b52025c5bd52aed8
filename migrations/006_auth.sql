-- 006_auth: accounts, server-side sessions (with their CSRF token), single-use account
-- tokens (password reset, account invitation) and failed logins for throttling.
-- Tokens are stored only as their BLAKE2b hash (hex): a leaked table opens nothing.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,		-- lower-cased
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('member', 'facilitator', 'admin')),
	municipality_id INTEGER REFERENCES municipalities (id) ON DELETE SET NULL,
	lang TEXT NOT NULL DEFAULT 'ar' CHECK (lang IN ('ar', 'en', 'fr')),
	timezone TEXT NOT NULL DEFAULT 'UTC',
	password_hash TEXT,			-- argon2id; NULL until the invitation is taken
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created BIGINT NOT NULL,
	updated BIGINT NOT NULL
);

CREATE INDEX users_municipality ON users (municipality_id);

CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,	-- NULL: a visitor's
	csrf TEXT NOT NULL,
	created BIGINT NOT NULL,
	seen BIGINT NOT NULL,
	expires BIGINT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE account_tokens (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
	created BIGINT NOT NULL,
	expires BIGINT NOT NULL,
	used BIGINT
);

CREATE INDEX account_tokens_user ON account_tokens (user_id);

CREATE TABLE login_failures (
	key TEXT NOT NULL,			-- "account:" + email, or "addr:" + address
	at BIGINT NOT NULL
);

CREATE INDEX login_failures_key ON login_failures (key, at);
