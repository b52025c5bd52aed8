-- The indexed words of each language, for "did you mean" suggestions when a search
-- finds nothing (fts5vocab reads the index itself: nothing to keep in step).
CREATE VIRTUAL TABLE events_vocab_ar USING fts5vocab(events_fts_ar, 'row');
CREATE VIRTUAL TABLE events_vocab_en USING fts5vocab(events_fts_en, 'row');
CREATE VIRTUAL TABLE events_vocab_fr USING fts5vocab(events_fts_fr, 'row');
