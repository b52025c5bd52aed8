-- 007_mail: the outbox. A mail is a row from the moment the change that causes it
-- commits until a mail server has taken it (state 'sent') or rejected it for good
-- (state 'failed'); rows are never deleted by the sender. Instants are milliseconds
-- since the Unix epoch (UTC), so a test can use retry intervals below a second.
-- message holds the whole RFC 5322 message as built at enqueue time (ASCII only:
-- headers are RFC 2047 encoded and bodies quoted-printable or base64), with CRLF
-- line ends. sender and recipient are the SMTP envelope (MAIL FROM, RCPT TO).
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
	sender TEXT NOT NULL,
	recipient TEXT NOT NULL,
	message TEXT NOT NULL,
	message_id TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
	attempts INTEGER NOT NULL DEFAULT 0,
	rejections INTEGER NOT NULL DEFAULT 0,	-- permanent (5xx) answers so far
	next_attempt_at BIGINT NOT NULL,
	last_error TEXT,
	sent_at BIGINT
);

-- The sender's one question: which queued mail is due first.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'queued';

-- The From of the last `tawama serve` (its --mail-from, or the default), so that mail
-- queued by another process (`tawama mail send-test`) leaves as the server's would.
CREATE TABLE mail_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	from_header TEXT NOT NULL
);
