-- PostgreSQL only: identity columns, binary type, full-text search via tsvector.
CREATE TABLE merge_decisions (
    id BIGSERIAL PRIMARY KEY,
    entity_id TEXT NOT NULL,
    other TEXT NOT NULL,
    score REAL,
    evidence TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- User decisions (move, split, merge; entity merge/split) that survive a rebuild.
CREATE TABLE user_decisions (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- Article embeddings, cached so clustering never recomputes them.
CREATE TABLE article_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BYTEA NOT NULL
);

ALTER TABLE articles ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))) STORED;
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (0);
