-- 003_search: the full-text index of events, one FTS5 table per content language, each
-- analyzed by the tawama tokenizer (src/search/search_fts5.c, registered on every
-- connection by db_open) in its language. rowid = events.id; only published events.
--   title  the title, plain text
--   body   context, objectives and participation as plain text, one a line
-- The tables store their text (not external content): snippet() and highlight() read
-- it, FTS5 re-reads it to delete a row, and the body is derived text that exists in no
-- other table. prefix='2 3' keeps prefix indexes for word* queries of 2 and 3 letters.
-- The store keeps the tables in step (src/events/events_index.c); `tawama reindex`
-- rebuilds them from these definitions. SQLite only: PostgreSQL will use tsvector.
CREATE VIRTUAL TABLE events_fts_ar USING fts5(title, body, tokenize = 'tawama ar',
	prefix = '2 3');
CREATE VIRTUAL TABLE events_fts_en USING fts5(title, body, tokenize = 'tawama en',
	prefix = '2 3');
CREATE VIRTUAL TABLE events_fts_fr USING fts5(title, body, tokenize = 'tawama fr',
	prefix = '2 3');

-- The events that exist already. Markdown is stripped crudely here (emphasis, code and
-- heading marks); the store writes the exact plain text (cmark) from now on, and
-- `tawama reindex` rewrites these rows the same way.
CREATE TEMP VIEW search_texts_003 AS
SELECT t.event_id AS id, t.lang AS lang, t.title AS title,
	trim(replace(replace(replace(replace(
		coalesce(t.context, '') || char(10) ||
		coalesce((SELECT group_concat(trim(o.value), char(10))
			FROM json_each(t.objectives) o), '') || char(10) ||
		coalesce(t.participation, ''),
	'*', ''), '__', ''), '`', ''), '#', ''), char(10) || ' ') AS body
FROM event_texts t JOIN events e ON e.id = t.event_id
WHERE e.published = 1;

INSERT INTO events_fts_ar (rowid, title, body)
	SELECT id, title, body FROM search_texts_003 WHERE lang = 'ar' ORDER BY id;
INSERT INTO events_fts_en (rowid, title, body)
	SELECT id, title, body FROM search_texts_003 WHERE lang = 'en' ORDER BY id;
INSERT INTO events_fts_fr (rowid, title, body)
	SELECT id, title, body FROM search_texts_003 WHERE lang = 'fr' ORDER BY id;

DROP VIEW search_texts_003;

INSERT INTO events_fts_ar (events_fts_ar) VALUES ('optimize');
INSERT INTO events_fts_en (events_fts_en) VALUES ('optimize');
INSERT INTO events_fts_fr (events_fts_fr) VALUES ('optimize');
