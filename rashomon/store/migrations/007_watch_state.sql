-- `rashomon watch`: each feed's HTTP validators and last poll, and the entries already taken from it,
-- so a restarted watch asks only for what changed and never adds an entry twice.
CREATE TABLE watch_feeds (
    feed TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    polled_at TEXT,
    status TEXT,
    new_items INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE watch_entries (
    feed TEXT NOT NULL,
    entry TEXT NOT NULL,
    article_id TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed, entry)
);
