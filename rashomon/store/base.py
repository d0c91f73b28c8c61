"""The storage interface: every query rashomon makes, written once over DB-API.

Backends differ only in how they connect, their placeholder style, migrations and full-text search;
:class:`SQLiteStore` and :class:`PostgresStore` supply those.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import NotFound, StoreError
from ..models import Analysis, Article, Story

# Values per "IN (...)" query: below SQLite's oldest bound-parameter limit (999).
_IN_BATCH = 500
_ARTICLE_COLUMNS = (
    "id, title, text, source, language, published, updated, url, path, author, photo_credits, format, "
    "encoding, added_at"
)


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article found by full-text search, with a snippet around the match."""

    article: Article
    snippet: str


@dataclass(frozen=True, slots=True)
class EntityRow:
    """A global entity with its aliases."""

    id: str
    type: str
    name: str
    aliases: list[tuple[str, str | None, str | None, int]]  # alias, language, script, count


class Store(ABC):
    """A rashomon database. Use as a context manager, or call :meth:`close`."""

    placeholder = "?"
    driver_errors: tuple[type[Exception], ...] = ()

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: Any = None
        self._depth = 0

    # -- connection and schema -------------------------------------------------------------------

    @abstractmethod
    def _connect(self) -> Any:
        """Open the DB-API connection."""

    @abstractmethod
    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching a full-text query, best first."""

    @property
    @abstractmethod
    def dialect(self) -> str:
        """``sqlite`` or ``postgres``: picks the dialect-specific migration files."""

    @abstractmethod
    def _schema_version(self) -> int:
        """The schema version stored in the database (0 for a new one)."""

    @abstractmethod
    def _set_schema_version(self, version: int) -> None:
        """Record the schema version inside the current transaction."""

    def open(self) -> Store:
        """Connect and bring the schema up to date."""
        self.conn = self._connect()
        self.migrate()
        return self

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def data_version(self) -> str | None:
        """A value that changes whenever another connection commits to the database (in any process);
        ``None`` when the backend cannot tell, so what was read must not be cached."""
        return None

    def __enter__(self) -> Store:
        return self.open() if self.conn is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        """Apply every migration newer than the database's schema version, each in one transaction."""
        for version, scripts in _migrations(self.dialect):
            if version <= self._schema_version():
                continue
            with self.transaction():
                # Checked again under the write lock: another process may have migrated meanwhile.
                if version <= self._schema_version():
                    continue
                for script in scripts:
                    self._executescript(script)
                self._set_schema_version(version)

    def _executescript(self, script: str) -> None:
        cur = self.conn.cursor()
        for statement in _split_sql(script):
            cur.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block in one transaction: all of it is stored, or none. Nested blocks join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._begin()
            self._depth = 1
            yield
            self._depth = 0
            self.conn.commit()
        except BaseException as exc:
            self._depth = 0
            with suppress(Exception):  # the connection may be gone; the write is lost either way
                self.conn.rollback()
            if isinstance(exc, self.driver_errors):
                # A lock timeout or a full disk is the user's to fix, not a bug: one line, no traceback.
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise StoreError(f"database write failed ({self.url}): {message}") from None
            raise

    def _begin(self) -> None:  # noqa: B027 - a hook: DB-API drivers that open transactions implicitly need none
        """Start a transaction (backends that autocommit override this)."""

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement with ``?`` placeholders; returns the cursor."""
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows."""
        cur = self.conn.cursor()
        cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or ``None``."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- articles ----------------------------------------------------------------------------------

    def article_id_by_fingerprint(self, fingerprint: str) -> str | None:
        """The id of the article with this exact normalised text, if stored (or recorded as a copy)."""
        found = self.scalar("SELECT id FROM articles WHERE fingerprint = ?", (fingerprint,))
        if found is None:
            found = self.scalar("SELECT original_id FROM article_copies WHERE fingerprint = ?", (fingerprint,))
        return None if found is None else str(found)

    def insert_article(self, article: Article, *, fingerprint: str, bands: Sequence[str]) -> None:
        """Store a new article (its ``id`` already set) with its near-duplicate bands."""
        self.execute(
            f"INSERT INTO articles ({_ARTICLE_COLUMNS}, fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id, article.title, article.text, article.source, article.language,
                article.published, article.updated, article.url, article.path, article.author,
                json.dumps(article.photo_credits, ensure_ascii=False), article.format, article.encoding,
                article.added_at or now_iso(), fingerprint,
            ),
        )
        self.executemany(
            "INSERT INTO article_bands (band, article_id) VALUES (?, ?)", [(b, article.id) for b in bands]
        )

    def insert_copy(self, article: Article, *, fingerprint: str, original_id: str, similarity: float) -> None:
        """Record a near-duplicate of an already stored article."""
        self.execute(
            "INSERT INTO article_copies (fingerprint, original_id, similarity, title, source, url, path, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (fingerprint, original_id, similarity, article.title, article.source, article.url, article.path,
             now_iso()),
        )

    def articles_sharing_bands(self, bands: Sequence[str]) -> list[str]:
        """Ids of stored articles that share at least one MinHash band (near-duplicate candidates)."""
        if not bands:
            return []
        marks = ", ".join("?" for _ in bands)
        return [r[0] for r in self.query(
            f"SELECT DISTINCT article_id FROM article_bands WHERE band IN ({marks})", bands
        )]

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        """The near-duplicates recorded against an article."""
        rows = self.query(
            "SELECT title, source, url, path, similarity FROM article_copies WHERE original_id = ? "
            "ORDER BY added_at", (article_id,)
        )
        return [dict(zip(("title", "source", "url", "path", "similarity"), r, strict=True)) for r in rows]

    def copies_of_articles(self, article_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The near-duplicates recorded against any of these articles, each with its ``original_id`` and
        ``fingerprint``, oldest first."""
        if not article_ids:
            return []
        marks = ", ".join("?" for _ in article_ids)
        columns = ("original_id", "fingerprint", "title", "source", "url", "path", "similarity", "added_at")
        rows = self.query(
            f"SELECT {', '.join(columns)} FROM article_copies WHERE original_id IN ({marks}) "
            "ORDER BY added_at, fingerprint", list(article_ids)
        )
        return [dict(zip(columns, r, strict=True)) for r in rows]

    def get_article(self, article_id: str) -> Article:
        """One article by id (a unique id prefix of 6+ characters also works)."""
        rows = self.query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if not rows and len(article_id) >= 6:
            rows = self.query(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id LIKE ? LIMIT 2", (article_id + "%",)
            )
        if len(rows) != 1:
            raise NotFound(f"no article with id {article_id!r}")
        return _article_from_row(rows[0])

    def list_articles(
        self,
        *,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        ids: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles, newest first, optionally filtered."""
        where, params = _filters(language=language, source=source, since=since)
        if ids is not None:
            if not ids:
                return []
            where.append(f"id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY COALESCE(published, updated, added_at) DESC, id"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [_article_from_row(r) for r in self.query(sql, params)]

    def count_articles(self) -> int:
        """How many articles are stored (copies not counted)."""
        return int(self.scalar("SELECT COUNT(*) FROM articles"))

    def counts_by_source_language(self) -> list[tuple[str | None, str | None, int]]:
        """Article counts per (source, language)."""
        return [(r[0], r[1], int(r[2])) for r in self.query(
            "SELECT source, language, COUNT(*) FROM articles GROUP BY source, language "
            "ORDER BY COUNT(*) DESC, source, language"
        )]

    # -- analyses and vectors ----------------------------------------------------------------------

    def save_analysis(self, analysis: Analysis) -> None:
        """Store (or replace) an article's analysis."""
        self.execute("DELETE FROM analyses WHERE article_id = ?", (analysis.article_id,))
        self.execute(
            "INSERT INTO analyses (article_id, version, event_date, data) VALUES (?, ?, ?, ?)",
            (analysis.article_id, analysis.version, analysis.event_date,
             json.dumps(analysis.to_json(), ensure_ascii=False)),
        )

    def get_analysis(self, article_id: str) -> Analysis | None:
        """An article's stored analysis, if any."""
        data = self.scalar("SELECT data FROM analyses WHERE article_id = ?", (article_id,))
        return None if data is None else Analysis.from_json(json.loads(data))

    def get_analyses(self, article_ids: Sequence[str]) -> dict[str, Analysis]:
        """The stored analyses of these articles (articles with none are left out)."""
        out: dict[str, Analysis] = {}
        unique = list(dict.fromkeys(article_ids))
        for start in range(0, len(unique), _IN_BATCH):
            chunk = unique[start : start + _IN_BATCH]
            marks = ", ".join("?" for _ in chunk)
            for article_id, data in self.query(
                f"SELECT article_id, data FROM analyses WHERE article_id IN ({marks})", chunk
            ):
                out[article_id] = Analysis.from_json(json.loads(data))
        return out

    def stale_analyses(self, version: str) -> list[str]:
        """Ids of articles with no analysis or one made by another analyser version."""
        return [r[0] for r in self.query(
            "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "WHERE n.version IS NULL OR n.version <> ? ORDER BY a.id", (version,)
        )]

    def save_vector(self, article_id: str, model: str, vector: bytes) -> None:
        """Cache an article's embedding (one per article: a new model's replaces the old)."""
        self.execute("DELETE FROM article_vectors WHERE article_id = ?", (article_id,))
        self.execute(
            "INSERT INTO article_vectors (article_id, model, vector) VALUES (?, ?, ?)",
            (article_id, model, vector),
        )

    def get_vectors(self, article_ids: Sequence[str], model: str) -> dict[str, bytes]:
        """Cached embeddings of these articles made by ``model``."""
        return self._vectors("article_vectors", "article_id", article_ids, model)

    def name_vectors(self, names: Sequence[str], model: str) -> dict[str, bytes]:
        """Cached embeddings of entity names made by ``model`` (names not cached are left out)."""
        return self._vectors("name_vectors", "name", names, model)

    def _vectors(self, table: str, key: str, keys: Sequence[str], model: str) -> dict[str, bytes]:
        """``key -> vector`` rows of a vector table for ``model``, read ``_IN_BATCH`` keys at a time."""
        out: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _IN_BATCH):
            chunk = unique[start : start + _IN_BATCH]
            marks = ", ".join("?" for _ in chunk)
            rows = self.query(
                f"SELECT {key}, vector FROM {table} WHERE model = ? AND {key} IN ({marks})", (model, *chunk)
            )
            out.update((r[0], bytes(r[1])) for r in rows)
        return out

    def save_name_vectors(self, items: Iterable[tuple[str, bytes]], model: str) -> None:
        """Cache entity-name embeddings, replacing a name's vector of any other model."""
        self.executemany(
            "INSERT INTO name_vectors (name, model, vector) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE "
            "SET model = excluded.model, vector = excluded.vector",
            [(name, model, vector) for name, vector in items],
        )

    def save_sentence_vectors(self, article_id: str, model: str, vectors: bytes) -> None:
        """Keep the vectors of an article's statements for comparisons (one row per article: it replaces
        the article's older one, of any model)."""
        self.execute("DELETE FROM sentence_vectors WHERE article_id = ?", (article_id,))
        self.execute(
            "INSERT INTO sentence_vectors (article_id, model, vector) VALUES (?, ?, ?)", (article_id, model, vectors)
        )

    def sentence_vectors(self, article_ids: Sequence[str], model: str) -> dict[str, bytes]:
        """The stored statement vectors of these articles made by ``model``, by article id."""
        return self._vectors("sentence_vectors", "article_id", article_ids, model)

    def missing_sentence_vectors(self, model: str) -> list[str]:
        """Ids of analysed articles with no statement vectors made by ``model``."""
        return [r[0] for r in self.query(
            "SELECT n.article_id FROM analyses n LEFT JOIN sentence_vectors v ON v.article_id = n.article_id "
            "AND v.model = ? WHERE v.article_id IS NULL ORDER BY n.article_id", (model,)
        )]

    # -- stories -----------------------------------------------------------------------------------

    def save_story(self, story: Story) -> None:
        """Create or update a story's title and event date."""
        if self.scalar("SELECT 1 FROM stories WHERE id = ?", (story.id,)):
            self.execute("UPDATE stories SET title = ?, event_date = ? WHERE id = ?",
                         (story.title, story.event_date, story.id))
        else:
            self.execute("INSERT INTO stories (id, title, event_date, created_at) VALUES (?, ?, ?, ?)",
                         (story.id, story.title, story.event_date, now_iso()))

    def assign_article(self, article_id: str, story_id: str, *, score: float | None = None) -> None:
        """Put an article in a story (moving it out of any other)."""
        self.execute("DELETE FROM story_articles WHERE article_id = ?", (article_id,))
        self.execute("INSERT INTO story_articles (article_id, story_id, score) VALUES (?, ?, ?)",
                     (article_id, story_id, score))

    def story_members_between(self, start: str, end: str) -> list[tuple[str, str]]:
        """(article id, story id) of stored articles whose event or publication day is in [start, end]."""
        # Two indexed look-ups (migration 004) rather than one OR, which scanned every article.
        return [(r[0], r[1]) for r in self.query(
            "SELECT sa.article_id, sa.story_id FROM analyses n JOIN story_articles sa ON sa.article_id = n.article_id "
            "WHERE n.event_date BETWEEN ? AND ? UNION "
            "SELECT sa.article_id, sa.story_id FROM articles a JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE SUBSTR(COALESCE(a.published, a.updated), 1, 10) BETWEEN ? AND ? "
            "ORDER BY 1",
            (start, end, start, end),
        )]

    def recent_story_members(self, limit: int) -> list[tuple[str, str]]:
        """(article id, story id) of the most recently added articles that are in stories."""
        return [(r[0], r[1]) for r in self.query(
            "SELECT sa.article_id, sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            f"ORDER BY a.added_at DESC, a.id DESC LIMIT {int(limit)}"
        )]

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article is in."""
        found = self.scalar("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return None if found is None else str(found)

    def story_article_ids(self, story_id: str) -> list[str]:
        """Ids of a story's articles."""
        return [r[0] for r in self.query(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (story_id,)
        )]

    def get_story(self, story_id: str) -> Story:
        """One story with its article ids, languages and sources."""
        row = self.query("SELECT id, title, event_date FROM stories WHERE id = ?", (story_id,))
        if not row:
            raise NotFound(f"no story with id {story_id!r}")
        return self._stories_from_rows(row)[0]

    def list_stories(
        self,
        *,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        query: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Story]:
        """Stories, newest event first; filters apply to their articles; ``limit``/``offset`` page them."""
        found = self._story_filters(language=language, source=source, since=since, query=query)
        if found is None:
            return []
        where, params = found
        # EXISTS, not a DISTINCT join: the stories are read in index order (migration 005) and a page
        # stops after `limit` of them instead of sorting every story (10,000 articles: 9 ms -> 0.3 ms).
        sql = ("SELECT s.id, s.title, s.event_date FROM stories s WHERE EXISTS (SELECT 1 FROM story_articles sa "
               "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = s.id"
               + "".join(" AND " + w for w in where) + ") ORDER BY s.event_date DESC, s.id")
        if limit is not None or offset:
            sql += f" LIMIT {2**62 if limit is None else int(limit)} OFFSET {int(offset)}"  # both dialects
        return self._stories_from_rows(self.query(sql, params))

    def count_stories(
        self,
        *,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        query: str | None = None,
    ) -> int:
        """How many stories :meth:`list_stories` would return with these filters (no limit)."""
        found = self._story_filters(language=language, source=source, since=since, query=query)
        if found is None:
            return 0
        where, params = found
        if not where:  # every story_articles row points at a story: no join needed (one index scan)
            return int(self.scalar("SELECT COUNT(DISTINCT story_id) FROM story_articles"))
        sql = ("SELECT COUNT(DISTINCT sa.story_id) FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
               "WHERE " + " AND ".join(where))
        return int(self.scalar(sql, params))

    def _story_filters(
        self, *, language: str | None, source: str | None, since: str | None, query: str | None
    ) -> tuple[list[str], list[Any]] | None:
        """WHERE terms on the stories' articles (alias ``a``); ``None`` when a search matches nothing."""
        where, params = _filters(language=language, source=source, since=since, prefix="a.")
        if query:
            ids = [hit.article.id for hit in self.search(query, limit=500)]
            if not ids:
                return None
            where.append(f"a.id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        return where, params

    def _stories_from_rows(self, rows: Sequence[tuple[Any, ...]]) -> list[Story]:
        """Stories from (id, title, event_date) rows, their articles looked up in batches, not one by one."""
        members: dict[str, list[tuple[str, str | None, str | None]]] = {}
        ids = [r[0] for r in rows]
        for start in range(0, len(ids), _IN_BATCH):
            chunk = ids[start : start + _IN_BATCH]
            for story_id, article_id, language, source in self.query(
                "SELECT sa.story_id, a.id, a.language, a.source FROM story_articles sa "
                f"JOIN articles a ON a.id = sa.article_id WHERE sa.story_id IN ({', '.join('?' for _ in chunk)}) "
                "ORDER BY COALESCE(a.published, a.updated, a.added_at), a.id", chunk
            ):
                members.setdefault(story_id, []).append((article_id, language, source))
        stories = []
        for story_id, title, event_date in rows:
            found = members.get(story_id, [])
            stories.append(Story(
                id=story_id, title=title, event_date=event_date,
                article_ids=[m[0] for m in found],
                languages=sorted({m[1] for m in found if m[1]}),
                sources=sorted({m[2] for m in found if m[2]}),
            ))
        return stories

    def delete_empty_stories(self) -> None:
        """Drop stories left with no article."""
        self.execute("DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM story_articles)")

    def clear_stories(self) -> None:
        """Remove every story (before a full rebuild)."""
        self.execute("DELETE FROM story_articles")
        self.execute("DELETE FROM stories")

    # -- user decisions ----------------------------------------------------------------------------

    def add_decision(self, kind: str, data: dict[str, Any]) -> None:
        """Record a user decision that later rebuilds must honour."""
        self.execute("INSERT INTO user_decisions (kind, data, created_at) VALUES (?, ?, ?)",
                     (kind, json.dumps(data, ensure_ascii=False), now_iso()))

    def decisions(self, *kinds: str) -> list[tuple[str, dict[str, Any]]]:
        """User decisions of these kinds (all when none given), oldest first."""
        rows = self.query("SELECT kind, data FROM user_decisions ORDER BY id")
        return [(k, json.loads(d)) for k, d in rows if not kinds or k in kinds]

    # -- entities ----------------------------------------------------------------------------------

    def replace_entities(
        self,
        entities: Sequence[EntityRow],
        mentions: Sequence[tuple[str, str, str]],
        merges: Sequence[tuple[str, str, float | None, list[str]]],
    ) -> None:
        """Replace the global entity registry: entities, (article, local key, entity) links, merges."""
        self.execute("DELETE FROM entity_mentions")
        self.execute("DELETE FROM entity_aliases")
        self.execute("DELETE FROM merge_decisions WHERE decided_by = 'auto'")
        self.execute("DELETE FROM entities")
        self.executemany("INSERT INTO entities (id, type, name) VALUES (?, ?, ?)",
                         [(e.id, e.type, e.name) for e in entities])
        self.executemany(
            "INSERT INTO entity_aliases (entity_id, alias, language, script, count) VALUES (?, ?, ?, ?, ?)",
            [(e.id, *alias) for e in entities for alias in e.aliases],
        )
        self.executemany("INSERT INTO entity_mentions (article_id, local_key, entity_id) VALUES (?, ?, ?)",
                         mentions)
        created = now_iso()
        self.executemany(
            "INSERT INTO merge_decisions (entity_id, other, score, evidence, decided_by, created_at) "
            "VALUES (?, ?, ?, ?, 'auto', ?)",
            [(a, b, s, json.dumps(ev, ensure_ascii=False), created) for a, b, s, ev in merges],
        )

    def list_entities(self, *, article_ids: Sequence[str] | None = None) -> list[EntityRow]:
        """Global entities (those mentioned in these articles, when given), most mentioned first."""
        sql = ("SELECT e.id, e.type, e.name, COUNT(m.article_id) FROM entities e "
               "LEFT JOIN entity_mentions m ON m.entity_id = e.id")
        params: list[Any] = []
        if article_ids is not None:
            if not article_ids:
                return []
            # From the articles' mentions to their entities: the LEFT JOIN above read every entity
            # (100,000 articles: 0.7 s for one story's entities; this way ~1 ms).
            sql = ("SELECT e.id, e.type, e.name, COUNT(m.article_id) FROM entity_mentions m "
                   "JOIN entities e ON e.id = m.entity_id "
                   f"WHERE m.article_id IN ({', '.join('?' for _ in article_ids)})")
            params.extend(article_ids)
        sql += " GROUP BY e.id, e.type, e.name ORDER BY COUNT(m.article_id) DESC, e.name"
        rows = self.query(sql, params)
        alias_sql = "SELECT entity_id, alias, language, script, count FROM entity_aliases"
        alias_params: list[Any] = []
        if article_ids is not None:  # a story's entities: not the aliases of the whole registry
            alias_sql += (" WHERE entity_id IN (SELECT entity_id FROM entity_mentions WHERE article_id IN "
                          f"({', '.join('?' for _ in article_ids)}))")
            alias_params.extend(article_ids)
        aliases: dict[str, list[tuple[str, str | None, str | None, int]]] = {}
        for entity_id, alias, language, script, count in self.query(
            alias_sql + " ORDER BY count DESC, alias", alias_params
        ):
            aliases.setdefault(entity_id, []).append((alias, language, script, int(count)))
        return [EntityRow(id=r[0], type=r[1], name=r[2], aliases=aliases.get(r[0], [])) for r in rows]

    def get_entity(self, entity_id: str) -> EntityRow:
        """One global entity by id, with its aliases; :class:`NotFound` when there is none."""
        rows = self.query("SELECT id, type, name FROM entities WHERE id = ?", (entity_id,))
        if not rows:
            raise NotFound(f"no entity with id {entity_id!r}")
        aliases = [(a, lang, script, int(n)) for a, lang, script, n in self.query(
            "SELECT alias, language, script, count FROM entity_aliases WHERE entity_id = ? ORDER BY count DESC, alias",
            (entity_id,),
        )]
        return EntityRow(id=rows[0][0], type=rows[0][1], name=rows[0][2], aliases=aliases)

    # -- comparisons ------------------------------------------------------------------------------

    def cached_comparison(self, story_id: str, key: str) -> dict[str, Any] | None:
        """A story's stored comparison, if it was made from the state ``key`` names."""
        data = self.scalar("SELECT data FROM compare_cache WHERE story_id = ? AND key = ?", (story_id, key))
        return None if data is None else dict(json.loads(data))

    def save_comparison(self, story_id: str, key: str, result: dict[str, Any]) -> None:
        """Keep a story's comparison (one per story: it replaces an older one)."""
        self.execute(
            "INSERT INTO compare_cache (story_id, key, data, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (story_id) DO UPDATE SET key = excluded.key, data = excluded.data, "
            "created_at = excluded.created_at",
            (story_id, key, json.dumps(result, ensure_ascii=False), now_iso()),
        )

    def entity_links(self, article_id: str) -> dict[str, str]:
        """Local entity key -> global entity id, for one article."""
        return {r[0]: r[1] for r in self.query(
            "SELECT local_key, entity_id FROM entity_mentions WHERE article_id = ?", (article_id,)
        )}

    def entity_articles(self, entity_id: str) -> list[str]:
        """Ids of articles that mention an entity."""
        return [r[0] for r in self.query(
            "SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id = ? ORDER BY article_id",
            (entity_id,),
        )]

    def merge_evidence(self, entity_id: str) -> list[dict[str, Any]]:
        """The merge decisions recorded for an entity, with score and evidence."""
        rows = self.query(
            "SELECT other, score, evidence, decided_by FROM merge_decisions WHERE entity_id = ? ORDER BY id",
            (entity_id,),
        )
        return [{"other": r[0], "score": r[1], "evidence": json.loads(r[2]), "decided_by": r[3]} for r in rows]

    # -- watch state (rashomon.watch) ------------------------------------------------------------

    def watch_feed(self, feed: str) -> dict[str, Any] | None:
        """A watched feed's validators and last poll (``etag``, ``last_modified``, ``polled_at``, ...)."""
        rows = self.query(
            "SELECT etag, last_modified, polled_at, status, new_items FROM watch_feeds WHERE feed = ?", (feed,)
        )
        if not rows:
            return None
        etag, modified, polled, status, new = rows[0]
        return {"etag": etag, "last_modified": modified, "polled_at": polled, "status": status, "new_items": new}

    def save_watch_feed(
        self, feed: str, *, etag: str | None, last_modified: str | None, status: str, new_items: int
    ) -> None:
        """Record a poll of a feed (its validators are kept when the poll brought none)."""
        self.execute(
            "INSERT INTO watch_feeds (feed, etag, last_modified, polled_at, status, new_items) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feed) DO UPDATE SET "
            "etag = COALESCE(excluded.etag, watch_feeds.etag), "
            "last_modified = COALESCE(excluded.last_modified, watch_feeds.last_modified), "
            "polled_at = excluded.polled_at, status = excluded.status, "
            "new_items = watch_feeds.new_items + excluded.new_items",
            (feed, etag, last_modified, now_iso(), status, new_items),
        )

    def seen_entries(self, feed: str, entries: Sequence[str]) -> set[str]:
        """Which of these entry keys of a feed were already taken."""
        seen: set[str] = set()
        for start in range(0, len(entries), _IN_BATCH):
            chunk = list(entries[start:start + _IN_BATCH])
            marks = ", ".join("?" * len(chunk))
            seen.update(r[0] for r in self.query(
                f"SELECT entry FROM watch_entries WHERE feed = ? AND entry IN ({marks})", (feed, *chunk)
            ))
        return seen

    def mark_entries_seen(self, feed: str, entries: Iterable[tuple[str, str | None]]) -> None:
        """Record feed entries as taken: ``(entry key, article id or None)``."""
        self.executemany(
            "INSERT INTO watch_entries (feed, entry, article_id, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (feed, entry) DO NOTHING",
            [(feed, key, article, now_iso()) for key, article in entries],
        )


def _filters(
    *, language: str | None, source: str | None, since: str | None, prefix: str = ""
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if language:
        where.append(f"{prefix}language = ?")
        params.append(language)
    if source:
        where.append(f"LOWER({prefix}source) = LOWER(?)")
        params.append(source)
    if since:
        where.append(f"COALESCE({prefix}published, {prefix}updated, {prefix}added_at) >= ?")
        params.append(since)
    return where, params


def _article_from_row(row: Sequence[Any]) -> Article:
    (article_id, title, text, source, language, published, updated, url, path, author, credits, fmt,
     encoding, added_at) = row
    return Article(
        id=article_id, title=title, text=text, source=source, language=language, published=published,
        updated=updated, url=url, path=path, author=author, photo_credits=json.loads(credits or "[]"),
        format=fmt, encoding=encoding, added_at=added_at,
    )


def _migrations(dialect: str) -> list[tuple[int, list[str]]]:
    """Migration scripts by version: ``NNN_name.sql`` for all backends, ``NNN_name.<dialect>.sql`` for one."""
    folder = Path(__file__).parent / "migrations"
    by_version: dict[int, list[tuple[str, str]]] = {}
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        parts = name[:-4].split(".")
        if len(parts) == 2 and parts[1] != dialect:
            continue
        version = int(name.split("_", 1)[0])
        by_version.setdefault(version, []).append((name, entry.read_text(encoding="utf-8")))
    return [
        (version, [text for _name, text in sorted(scripts, key=lambda s: (s[0].count("."), s[0]))])
        for version, scripts in sorted(by_version.items())
    ]


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script; ``BEGIN ... END;`` trigger bodies stay whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER") or upper.startswith("CREATE OR REPLACE FUNCTION"):
            in_trigger = True
        if (in_trigger and upper.rstrip(";").endswith("END")) or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current, in_trigger = [], False
    if current:
        statements.append("\n".join(current))
    return statements
