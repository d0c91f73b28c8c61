-- Articles as ingested; `fingerprint` is the hash of the normalised text (exact duplicates).
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT,
    language TEXT,
    published TEXT,
    updated TEXT,
    url TEXT,
    path TEXT,
    author TEXT,
    photo_credits TEXT NOT NULL DEFAULT '[]',
    format TEXT NOT NULL,
    encoding TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_language ON articles (language);

-- Near-duplicates (syndicated copies with small edits) recorded against the first article seen.
CREATE TABLE article_copies (
    fingerprint TEXT PRIMARY KEY,
    original_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    url TEXT,
    path TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX article_copies_original ON article_copies (original_id);

-- MinHash LSH bands of every article, so near-duplicate look-up does not scan the archive.
CREATE TABLE article_bands (
    band TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_bands_band ON article_bands (band);
CREATE INDEX article_bands_article ON article_bands (article_id);

-- Per-article analysis, stored whole with the analysers' version so stale results can be redone.
CREATE TABLE analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    event_date TEXT,
    data TEXT NOT NULL
);

-- Global entity registry.
CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    language TEXT,
    script TEXT,
    count INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_alias ON entity_aliases (alias);
-- Which article-local entity (Analysis entity key) is which global entity.
CREATE TABLE entity_mentions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    local_key TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, local_key)
);
CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
-- Stories: same-event clusters of articles.
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    event_date TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    score REAL
);
CREATE INDEX story_articles_story ON story_articles (story_id);
