-- Placing a new article reads the stories dated near it (Store.story_members_between): without these
-- it scanned every stored article (100,000 articles: 0.3 s an add, growing with the archive).
CREATE INDEX analyses_event_date ON analyses (event_date);
CREATE INDEX articles_day ON articles ((SUBSTR(COALESCE(published, updated), 1, 10)));
-- Undated articles are compared with the stories of the most recently added ones.
CREATE INDEX articles_added_at ON articles (added_at, id);
