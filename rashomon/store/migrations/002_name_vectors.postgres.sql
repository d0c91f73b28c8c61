-- Embeddings of entity names (organisations, places), cached so a registry rebuild never re-embeds a
-- name it has seen; `model` names the embedder, a vector of another model counts as missing.
CREATE TABLE name_vectors (
    name TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    vector BYTEA NOT NULL
);
