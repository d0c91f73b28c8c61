-- The vectors of each article's statements (rashomon/sentence_vectors.py), made when the article is
-- added, so a comparison reads them instead of embedding every sentence of a story (a 20-article story:
-- seconds of e5). One row per article: an np.savez blob of the statements' text digests and their e5
-- and USE vectors (float32, ~80 KB for an article of ~20 statements); `model` names both embedding
-- packages and versions, a row of another model counts as missing.
CREATE TABLE sentence_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BYTEA NOT NULL
);
