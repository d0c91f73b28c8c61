-- The last comparison of each story (compare.schema.json as JSON text), reused while `key` (the
-- story's articles, their analysis versions and entity links) is unchanged: comparing re-embeds every
-- sentence, seconds per story, while a page must answer in well under a second.
CREATE TABLE compare_cache (
    story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
