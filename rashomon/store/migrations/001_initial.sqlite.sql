-- SQLite only: full-text index over titles and bodies, kept in sync by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE TABLE merge_decisions (
    id INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    other TEXT NOT NULL,
    score REAL,
    evidence TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- User decisions (move, split, merge; entity merge/split) that survive a rebuild.
CREATE TABLE user_decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- Article embeddings, cached so clustering never recomputes them.
CREATE TABLE article_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
