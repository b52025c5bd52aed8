-- 010_search_vocab_instance: where each indexed word occurs (document, column, position),
-- read by fts5vocab from the index itself. "Did you mean" finds a word near the one
-- typed among the indexed forms (events_vocab_xx, 004), which are folded and stemmed
-- (مءتمر, municip); one occurrence of it gives the word as a text writes it.
CREATE VIRTUAL TABLE events_vocab_inst_ar USING fts5vocab(events_fts_ar, 'instance');
CREATE VIRTUAL TABLE events_vocab_inst_en USING fts5vocab(events_fts_en, 'instance');
CREATE VIRTUAL TABLE events_vocab_inst_fr USING fts5vocab(events_fts_fr, 'instance');
