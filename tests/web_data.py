"""Test data for the web app: small hand-written articles, analyses, stories and entities, stored
through the Store API, and a contract-shaped stand-in for ``compare_story`` (the app's seam).

Three stories: a trial reported in English, Russian and Belarusian (with a shared statement, a
number conflict, unique statements and one quote in three wordings), a fire reported in English and
German, and one whose title, text, source and entity name are XSS payloads.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rashomon.models import (
    Analysis,
    Article,
    DateMention,
    Descriptor,
    Entity,
    Mention,
    Quote,
    Sentence,
    Story,
)
from rashomon.store import EntityRow, Store, open_store

XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "a1trial00001",
        "story": "story-trial",
        "source": "RFE/RL",
        "language": "en",
        "published": "2023-03-14T18:05:00",
        "updated": "2023-03-15T09:00:00",
        "url": "https://www.rferl.org/a/kavaliou-sentenced.html",
        "title": "Belarusian journalist Andrei Kavaliou sentenced to four years",
        "text": "A court in Hrodna sentenced journalist Andrei Kavaliou to four years in prison "
        "on March 14.\n\n"
        'The hearing lasted 4.5 hours, according to his lawyer. "I did nothing wrong," Kavaliou '
        "told the court. Human rights group Viasna called the veteran editor a political prisoner.",
        "entities": [
            ("k", "PER", "Andrei Kavaliou", ["Andrei Kavaliou", "Kavaliou"]),
            ("h", "LOC", "Hrodna", ["Hrodna"]),
            ("v", "ORG", "Viasna", ["Viasna"]),
        ],
        "quotes": [("I did nothing wrong", True, "k", "Kavaliou")],
        "descriptors": [("k", "veteran editor")],
        "dates": [("March 14", "2023-03-14")],
    },
    {
        "id": "a2trial00002",
        "story": "story-trial",
        "source": "Sputnik",
        "language": "ru",
        "published": "2023-03-14T20:10:00",
        "updated": None,
        "url": None,
        "title": "Журналиста Андрея Ковалева приговорили к четырем годам",
        "text": "Суд в Гродно приговорил журналиста Андрея Ковалева к четырем годам лишения "
        "свободы 14 марта.\n\n"
        "Заседание длилось три часа. Ковалев заявил, что не признает вину. Блогер Ковалев ранее "
        "публиковал экстремистские материалы.",
        "entities": [
            ("k", "PER", "Андрей Ковалев", ["Андрея Ковалева", "Ковалев"]),
            ("h", "LOC", "Гродно", ["Гродно"]),
        ],
        "quotes": [("не признает вину", False, "k", "Ковалев")],
        "descriptors": [("k", "Блогер")],
        "dates": [("14 марта", "2023-03-14")],
    },
    {
        "id": "a3trial00003",
        "story": "story-trial",
        "source": "Nasha Niva",
        "language": "be",
        "published": "2023-03-15T08:40:00",
        "updated": None,
        "url": "https://nashaniva.com/123",
        "title": "Андрэя Кавалёва асудзілі на чатыры гады",
        "text": "Суд у Гродне асудзіў журналіста Андрэя Кавалёва на чатыры гады пазбаўлення "
        "волі 14 сакавіка.\n\n"
        "«Я нічога не парушаў», — сказаў Кавалёў у судзе. Праваабаронцы прызналі рэдактара палітвязнем.",
        "entities": [
            ("k", "PER", "Андрэй Кавалёў", ["Андрэя Кавалёва", "Кавалёў"]),
            ("h", "LOC", "Гродна", ["Гродне"]),
        ],
        "quotes": [("Я нічога не парушаў", True, "k", "Кавалёў")],
        "descriptors": [("k", "рэдактара")],
        "dates": [("14 сакавіка", "2023-03-14")],
    },
    {
        "id": "b1fire000001",
        "story": "story-fire",
        "source": "Belsat",
        "language": "en",
        "published": "2023-05-02T10:00:00",
        "updated": None,
        "url": None,
        "title": "Fire at Mahilyou chemical plant",
        "text": "A fire broke out at a chemical plant in Mahilyou on May 1. Firefighters needed six hours to "
        "put it out. Nobody was hurt, the emergency ministry said.",
        "entities": [("m", "LOC", "Mahilyou", ["Mahilyou"])],
        "quotes": [],
        "descriptors": [],
        "dates": [("May 1", "2023-05-01")],
    },
    {
        "id": "b2fire000002",
        "story": "story-fire",
        "source": "DW",
        "language": "de",
        "published": "2023-05-02T12:30:00",
        "updated": None,
        "url": None,
        "title": "Brand in Chemiewerk in Mahiljou",
        "text": "In einem Chemiewerk in Mahiljou ist am 1. Mai ein Feuer ausgebrochen. "
        "Die Feuerwehr brauchte "
        "sechs Stunden. Verletzt wurde niemand.",
        "entities": [("m", "LOC", "Mahiljou", ["Mahiljou"])],
        "quotes": [],
        "descriptors": [],
        "dates": [("1. Mai", "2023-05-01")],
    },
    {
        "id": "x1xss0000001",
        "story": "story-xss",
        "source": '<b onmouseover="window.__xss=3">Evil</b>',
        "language": "en",
        "published": "2023-06-01T10:00:00",
        "updated": None,
        "url": "javascript:window.__xss=4",
        "title": "Payload " + XSS,
        "text": "Mallory wrote " + XSS + ' on the wall. She said "</q><script>window.__xss=5</script>" '
        "to the crowd on June 1.",
        "entities": [("x", "PER", "<svg onload=window.__xss=6>Mallory", ["Mallory"])],
        "quotes": [("</q><script>window.__xss=5</script>", True, "x", "She")],
        "descriptors": [("x", XSS)],
        "dates": [("June 1", "2023-06-01")],
    },
]

STORIES = {
    "story-trial": ("Journalist Andrei Kavaliou sentenced in Hrodna", "2023-03-14"),
    "story-fire": ("Fire at a chemical plant in Mahilyou", "2023-05-01"),
    "story-xss": ("Story " + XSS, "2023-06-01"),
}

# Global entities: id -> (type, name, {article id: local key}, aliases)
ENTITIES: dict[str, tuple[str, str, dict[str, str], list[tuple[str, str | None, str | None, int]]]] = {
    "ent-kavaliou": (
        "PER",
        "Andrei Kavaliou",
        {"a1trial00001": "k", "a2trial00002": "k", "a3trial00003": "k"},
        [
            ("Andrei Kavaliou", "en", "Latn", 2),
            ("Андрей Ковалев", "ru", "Cyrl", 2),
            ("Андрэй Кавалёў", "be", "Cyrl", 2),
        ],
    ),
    "ent-hrodna": (
        "LOC",
        "Hrodna",
        {"a1trial00001": "h", "a2trial00002": "h", "a3trial00003": "h"},
        [("Hrodna", "en", "Latn", 1), ("Гродно", "ru", "Cyrl", 1), ("Гродне", "be", "Cyrl", 1)],
    ),
    "ent-viasna": ("ORG", "Viasna", {"a1trial00001": "v"}, [("Viasna", "en", "Latn", 1)]),
    "ent-mahilyou": (
        "LOC",
        "Mahilyou",
        {"b1fire000001": "m", "b2fire000002": "m"},
        [("Mahilyou", "en", "Latn", 1), ("Mahiljou", "de", "Latn", 1)],
    ),
    "ent-mallory": (
        "PER",
        "<svg onload=window.__xss=6>Mallory",
        {"x1xss0000001": "x"},
        [("<svg onload=window.__xss=6>Mallory", "en", "Latn", 1), ("Mallory", "en", "Latn", 1)],
    ),
}

# What the stand-in comparison reports for the trial: (status, [(article, sentence)], note).
TRIAL_STATEMENTS = [
    ("shared", [("a1trial00001", 0), ("a2trial00002", 0), ("a3trial00003", 0)], None),
    ("conflict", [("a1trial00001", 1), ("a2trial00002", 1)], "4.5 hours vs 3 hours"),
    ("unique", [("a1trial00001", 3)], None),
    ("unique", [("a2trial00002", 3)], None),
]

_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+")


def sentences(text: str) -> list[Sentence]:
    """Split at sentence punctuation followed by space (good enough for these texts)."""
    out: list[Sentence] = []
    start = 0
    for match in list(_SENTENCE_END.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            out.append(Sentence(index=len(out), start=start, end=end, text=text[start:end]))
        start = match.end() if match else len(text)
    return out


def _sentence_of(spans: list[Sentence], offset: int) -> int:
    return next((s.index for s in spans if s.start <= offset < s.end), 0)


def analysis_of(spec: dict[str, Any]) -> Analysis:
    """Hand-made analysis with offsets found in the text."""
    text = spec["text"]
    sents = sentences(text)
    entities = []
    for key, etype, name, forms in spec["entities"]:
        mentions = []
        for form in forms:
            for m in re.finditer(re.escape(form), text):
                if not any(x.start <= m.start() < x.end for x in mentions):
                    mentions.append(Mention(start=m.start(), end=m.end(), text=form))
        entities.append(Entity(key=key, type=etype, name=name, mentions=mentions))
    quotes = []
    for qtext, direct, speaker, speaker_text in spec["quotes"]:
        start = text.index(qtext)
        quotes.append(
            Quote(
                text=qtext,
                start=start,
                end=start + len(qtext),
                sentence=_sentence_of(sents, start),
                direct=direct,
                speaker=speaker,
                speaker_text=speaker_text,
            )
        )
    descriptors = []
    for key, dtext in spec["descriptors"]:
        start = text.index(dtext)
        descriptors.append(
            Descriptor(
                entity=key,
                text=dtext,
                start=start,
                end=start + len(dtext),
                sentence=_sentence_of(sents, start),
            )
        )
    dates = []
    for dtext, value in spec["dates"]:
        start = text.index(dtext)
        dates.append(
            DateMention(
                text=dtext,
                start=start,
                end=start + len(dtext),
                sentence=_sentence_of(sents, start),
                value=value,
            )
        )
    return Analysis(
        article_id=spec["id"],
        version="web-test.v1",
        sentences=sents,
        entities=entities,
        quotes=quotes,
        descriptors=descriptors,
        dates=dates,
        event_date=dates[0].value if dates else None,
    )


def fill(store: Store) -> None:
    """Store the articles, analyses, stories and entities."""
    with store.transaction():
        for spec in ARTICLES:
            article = Article(
                id=spec["id"],
                title=spec["title"],
                text=spec["text"],
                source=spec["source"],
                language=spec["language"],
                published=spec["published"],
                updated=spec["updated"],
                url=spec["url"],
                path=f"/data/{spec['id']}.txt",
                format="txt",
            )
            store.insert_article(article, fingerprint="fp-" + spec["id"], bands=[])
            store.save_analysis(analysis_of(spec))
        for story_id, (title, event_date) in STORIES.items():
            store.save_story(Story(id=story_id, title=title, event_date=event_date))
        for spec in ARTICLES:
            store.assign_article(spec["id"], spec["story"], score=0.9)
        store.replace_entities(
            [
                EntityRow(id=i, type=t, name=n, aliases=aliases)
                for i, (t, n, _links, aliases) in ENTITIES.items()
            ],
            [
                (article, key, i)
                for i, (_t, _n, links, _a) in ENTITIES.items()
                for article, key in links.items()
            ],
            [],
        )


def make_db(path: str) -> str:
    """A new SQLite database at ``path`` holding the test data."""
    store = open_store(path)
    try:
        fill(store)
    finally:
        store.close()
    return path


def fake_compare(store: Store, story_id: str) -> dict[str, Any]:
    """A stand-in for ``compare_story`` with fixed statuses, following ``compare.schema.json``."""
    story = store.get_story(story_id)
    specs = {s["id"]: s for s in ARTICLES if s["story"] == story_id}
    analyses = {i: analysis_of(s) for i, s in specs.items()}
    if story_id == "story-trial":
        plan = TRIAL_STATEMENTS
    else:  # every sentence on its own
        plan = [("unique", [(i, s.index)], None) for i, a in analyses.items() for s in a.sentences]
    statements = [
        {
            "id": f"s{n}",
            "status": status,
            "note": note,
            "claims": [
                {"article": a, "sentence": k, "text": analyses[a].sentences[k].text} for a, k in claims
            ],
        }
        for n, (status, claims, note) in enumerate(plan)
    ]
    links = {(a, key): gid for gid, (_t, _n, ls, _al) in ENTITIES.items() for a, key in ls.items()}
    groups: dict[str, dict[str, Any]] = {}
    descriptors = []
    for article_id, analysis in analyses.items():
        for q in analysis.quotes:
            gid = links.get((article_id, q.speaker or ""))
            group = groups.setdefault(
                gid or "", {"speaker": gid, "speaker_name": ENTITIES[gid][1] if gid else "?", "variants": []}
            )
            group["variants"].append({"article": article_id, "text": q.text, "direct": q.direct})
        for d in analysis.descriptors:
            descriptors.append(
                {"entity": links[(article_id, d.entity)], "article": article_id, "text": d.text}
            )
    entities = [
        {
            "id": gid,
            "name": name,
            "type": etype,
            "aliases": [a[0] for a in aliases],
            "articles": sorted(a for a in ls if a in specs),
        }
        for gid, (etype, name, ls, aliases) in ENTITIES.items()
        if any(a in specs for a in ls)
    ]
    articles = []
    for article_id in story.article_ids:
        data = store.get_article(article_id).to_json()
        articles.append(data)
    return {
        "story": {
            "id": story.id,
            "title": story.title,
            "event_date": story.event_date,
            "languages": story.languages,
            "articles": articles,
        },
        "entities": entities,
        "statements": statements,
        "quotes": list(groups.values()),
        "descriptors": descriptors,
    }


@contextmanager
def served(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
