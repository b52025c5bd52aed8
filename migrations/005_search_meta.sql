-- The analyzer version the search index was built with; a different version at
-- start-up means the index is rebuilt (tokens would no longer match).
CREATE TABLE search_meta (analyzer_version INTEGER NOT NULL);
INSERT INTO search_meta (analyzer_version) VALUES (1);
