"""An extractive brief of a story, built from its comparison (:func:`rashomon.compare.compare_story`).

Every line of a brief is a sentence of one of the story's articles, with the article and sentence it
comes from: nothing is paraphrased or generated. It holds

* the event date, and the sources with their languages;
* the statements shared by the most sources (3 to 7 of them), each with "N of M sources"; a source is
  an outlet, so an article and its syndicated copy (:mod:`rashomon.origin`) count once, and a statement
  that only one outlet makes is never listed as shared;
* every conflict, with its note (``14 vs 19``) and the wording of each source;
* the facts a single source adds, most informative first: those with a figure no other source gives,
  then those with a number or a date, then the earliest in their article.

With ``language``, each statement is shown in the wording of an article in that language where there
is one, else in its first wording, marked with its language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Brief", "make_brief"]

# The brief lists at least this many shared statements when the story has them, and at most MAX_SHARED:
# seven lines are what a reader takes in at a glance (the issue asks for 3-7).
MIN_SHARED, MAX_SHARED = 3, 7
# Facts a single source adds, at most: the most informative by the ranking above.
MAX_SINGLE = 5
# A claim this short with a number is a dateline or a caption ("ВАРШАВА, 14 августа 2022 г."), not a fact.
MIN_FACT_WORDS = 6

_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Brief:
    """A story's brief; :meth:`to_json` is the ``brief`` field of the compare JSON."""

    story: str
    title: str
    event_date: str | None
    language: str | None
    sources: list[dict[str, Any]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    single_source: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (documented in ``docs/origin.md``)."""
        return {
            "story": self.story, "title": self.title, "event_date": self.event_date, "language": self.language,
            "sources": self.sources, "shared": self.shared, "conflicts": self.conflicts,
            "single_source": self.single_source,
        }

    def to_text(self, *, markdown: bool = False, web_links: bool = False) -> str:
        """The brief as plain text or Markdown (see :func:`rashomon.render.render_brief`)."""
        from .render import render_brief

        return render_brief(self.to_json(), markdown=markdown, web_links=web_links)


def make_brief(
    comparison: dict[str, Any], *, language: str | None = None, copies: dict[str, str] | None = None
) -> Brief:
    """Build the brief of a compared story.

    Args:
        comparison: what :func:`rashomon.compare.compare_story` returns (the compare JSON).
        language: ISO 639-1 code: show each statement in this language where an article has it.
        copies: copy article id -> original article id (:attr:`rashomon.origin.Origin.copies`), so a copy
            and its original count as one source.

    Returns:
        A :class:`Brief`.
    """
    story = comparison["story"]
    articles = {a["id"]: a for a in story["articles"]}
    copies = copies or {}

    def outlet(article_id: str) -> str:
        original = copies.get(article_id, article_id)
        a = articles.get(original, {})
        return str(a.get("source") or a.get("title") or original)

    outlets: dict[str, dict[str, Any]] = {}
    for a in story["articles"]:
        entry = outlets.setdefault(outlet(a["id"]), {"name": outlet(a["id"]), "languages": [], "articles": []})
        entry["articles"].append(a["id"])
        if a.get("language") and a["language"] not in entry["languages"]:
            entry["languages"].append(a["language"])
    total = len(outlets)

    def claim_json(claim: dict[str, Any]) -> dict[str, Any]:
        a = articles.get(claim["article"], {})
        return {"article": claim["article"], "sentence": claim["sentence"], "source": outlet(claim["article"]),
                "language": a.get("language"), "url": a.get("url")}

    def wording(claims: list[dict[str, Any]]) -> tuple[str, str | None]:
        chosen = next((c for c in claims if language and articles.get(c["article"], {}).get("language") == language),
                      claims[0])
        return chosen["text"], articles.get(chosen["article"], {}).get("language")

    statements = comparison.get("statements", [])
    shared = []
    for position, s in enumerate(statements):
        if s["status"] != "shared":
            continue
        sources = list(dict.fromkeys(outlet(c["article"]) for c in s["claims"]))
        if len(sources) < 2:
            continue  # an article and its copy: one source
        text, lang = wording(s["claims"])
        shared.append((len(sources), position, {
            "statement": s["id"], "text": text, "language": lang, "sources": len(sources), "of": total,
            "source_names": sources, "claims": [claim_json(c) for c in s["claims"]],
        }))
    shared.sort(key=lambda item: (-item[0], item[1]))
    conflicts = []
    for s in statements:
        if s["status"] != "conflict":
            continue
        conflicts.append({
            "statement": s["id"], "note": s.get("note") or "",
            "claims": [{**claim_json(c), "text": c["text"]} for c in s["claims"]],
        })
    single = []
    for position, s in enumerate(statements):
        if s["status"] != "unique":
            continue
        claim = s["claims"][0]
        note = s.get("note") or ""
        informative = _DIGIT.search(claim["text"]) and len(claim["text"].split()) >= MIN_FACT_WORDS
        rank = (0 if note.startswith("only this source") else 1 if informative else 2, claim["sentence"], position)
        single.append((rank, {"statement": s["id"], "text": claim["text"], "note": note or None,
                              **claim_json(claim)}))
    single.sort(key=lambda item: item[0])
    return Brief(
        story=story["id"], title=story["title"], event_date=story.get("event_date"), language=language,
        sources=list(outlets.values()),
        shared=[item for _n, _p, item in shared[:MAX_SHARED]],
        conflicts=conflicts,
        single_source=[item for _r, item in single[:MAX_SINGLE]],
    )
