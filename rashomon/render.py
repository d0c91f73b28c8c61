"""Human-readable renderings of a story comparison (what :func:`rashomon.compare.compare_story` returns).

Both renderings have the same sections: a header with the sources and languages, then *All sources
agree*, *Only in <source>*, *Sources disagree*, *How each source quotes <speaker>* and *How each source
describes <entity>*. The HTML is one self-contained file: inline CSS, no scripts, no external links
but the articles' own URLs, and every value escaped by jinja2's autoescape. The brief of a story
(:mod:`rashomon.brief`) is rendered here too, as plain text or Markdown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from jinja2 import Environment, Template

from .data import read_data_text

__all__ = ["render_brief", "sentence_link", "to_html", "to_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: Any) -> str:
    """Text with Markdown's (and inline HTML's) special characters backslash-escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _view(result: dict[str, Any]) -> dict[str, Any]:
    """What both renderings show, in reading order."""
    story = result["story"]
    articles = {a["id"]: a for a in story["articles"]}

    def source(article_id: str) -> str:
        article = articles.get(article_id, {})
        return str(article.get("source") or article.get("title") or article_id)

    def claims(statement: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**c, "source": source(c["article"]),
                 "language": articles.get(c["article"], {}).get("language") or "?"}
                for c in statement["claims"]]

    statements = result["statements"]
    # a shared statement's note names what one source alone adds ("only in X: 4.5 h"); a unique
    # statement's note, which detail of it no other source gives
    shared = [{"text": s["claims"][0]["text"], "claims": claims(s), "sources": _sources(claims(s)),
               "note": s.get("note") or ""}
              for s in statements if s["status"] == "shared"]
    unique: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in statements:
        if s["status"] == "unique":
            unique[source(s["claims"][0]["article"])].append({**claims(s)[0], "note": s.get("note") or ""})
    conflicts = [
        {"note": s.get("note") or "", "claims": claims(s)} for s in statements if s["status"] == "conflict"
    ]

    speakers: dict[str, list[list[dict[str, Any]]]] = defaultdict(list)
    for group in result["quotes"]:
        speakers[group["speaker_name"]].append(
            [{**v, "source": source(v["article"])} for v in group["variants"]]
        )
    names = {e["id"]: e["name"] for e in result["entities"]}
    described: dict[str, list[dict[str, str]]] = defaultdict(list)
    for d in result["descriptors"]:
        name = names.get(d["entity"]) or d["entity"].split(":", 1)[-1]
        described[name].append({"source": source(d["article"]), "text": d["text"]})
    total = len(story["articles"])
    partly: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in shared:
        if len(item["sources"]) < total:
            partly[len(item["sources"])].append(item)
    return {
        "agreed": [item for item in shared if len(item["sources"]) >= total],
        "partly": dict(sorted(partly.items(), reverse=True)),  # sources -> statements they share
        "title": story["title"],
        "event_date": story.get("event_date"),
        "languages": story["languages"],
        "articles": [{**a, "label": source(a["id"])} for a in story["articles"]],
        "shared": shared,
        "unique": dict(unique),
        "conflicts": conflicts,
        "speakers": dict(speakers),
        "described": dict(described),
        "total": len(story["articles"]),
        **_extras(result, source),
    }


def _extras(result: dict[str, Any], source: Any) -> dict[str, Any]:
    """The brief and "How it spread" lines of an annotated comparison (rashomon/annotate.py), if present."""
    from .origin import spread_lines

    labels = {a["id"]: source(a["id"]) for a in result["story"]["articles"]}
    origin = result.get("origin")
    return {"brief": result.get("brief"), "spread": spread_lines(origin, labels) if origin else []}


def _sources(claims: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(c["source"] for c in claims))


def _md_shared(items: list[dict[str, Any]], total: int) -> list[str]:
    lines = []
    for item in items:
        note = f" — _{_md(item['note'])}_" if item["note"] else ""
        lines.append(f"- {_md(item['text'])} — {_md(', '.join(item['sources']))} "
                     f"({len(item['sources'])} of {total}){note}")
        lines += [f"  - {_md(c['source'])} ({_md(c['language'])}): {_md(c['text'])}" for c in item["claims"][1:]]
    return lines


def to_markdown(result: dict[str, Any]) -> str:
    """The comparison as a Markdown report (every value escaped)."""
    v = _view(result)
    lines = [f"# {_md(v['title'])}", ""]
    if v["event_date"]:
        lines.append(f"Event date: {_md(v['event_date'])}  ")
    lines.append(f"Languages: {_md(', '.join(v['languages']) or 'unknown')}")
    if v["brief"]:
        lines += ["", render_brief(v["brief"], markdown=True).rstrip()]
    lines += ["", f"## Sources ({v['total']})", ""]
    for a in v["articles"]:
        meta = ", ".join(_md(x) for x in (a.get("language"), a.get("published") or a.get("updated")) if x)
        lines.append(f"- **{_md(a['label'])}**: {_md(a['title'])}" + (f" ({meta})" if meta else ""))

    if v["spread"]:
        lines += ["", "## How it spread", ""] + [f"- {_md(line)}" for line in v["spread"]]

    # "All sources agree" only for what every source says; the rest under "Shared by N of M sources"
    lines += ["", "## All sources agree", ""]
    if not v["agreed"]:
        lines.append("_No statement is made by every source._")
    lines += _md_shared(v["agreed"], v["total"])
    for count, items in v["partly"].items():
        lines += ["", f"## Shared by {count} of {v['total']} sources", ""]
        lines += _md_shared(items, v["total"])

    for label, claims in v["unique"].items():
        lines += ["", f"## Only in {_md(label)}", ""]
        lines += [f"- {_md(c['text'])}" + (f" — _{_md(c['note'])}_" if c["note"] else "") for c in claims]

    lines += ["", "## Sources disagree", ""]
    if not v["conflicts"]:
        lines.append("_No contradiction found._")
    for item in v["conflicts"]:
        lines.append(f"- **{_md(item['note'])}**")
        lines += [f"  - {_md(c['source'])}: {_md(c['text'])}" for c in item["claims"]]

    for speaker, groups in v["speakers"].items():
        lines += ["", f"## How each source quotes {_md(speaker)}", ""]
        for number, variants in enumerate(groups, start=1):
            indent = "   " if len(groups) > 1 else ""
            if indent:
                lines.append(f"{number}. Saying {number}")
            for variant in variants:
                kind = "quoted" if variant["direct"] else "reported"
                lines.append(f"{indent}- {_md(variant['source'])} ({kind}): “{_md(variant['text'])}”")

    for entity, labels in v["described"].items():
        lines += ["", f"## How each source describes {_md(entity)}", ""]
        lines += [f"- {_md(d['source'])}: {_md(d['text'])}" for d in labels]
    return "\n".join(lines).rstrip() + "\n"



@lru_cache(maxsize=1)
def _template() -> Template:
    source = read_data_text("compare", "report.html.j2")
    return Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(source)


def to_html(result: dict[str, Any]) -> str:
    """The comparison as one self-contained HTML page (inline CSS, no scripts, everything escaped)."""
    view = _view(result)
    brief_claims = [c for item in (view["brief"] or {}).get("shared", []) for c in item["claims"]]
    for article in [*view["articles"], *brief_claims]:  # only web links: a javascript: URL must not become a link
        if not str(article.get("url") or "").lower().startswith(("http://", "https://")):
            article["url"] = None
    return _template().render(v=view)


# -- the brief (rashomon/brief.py) as text --------------------------------------------------------------


def _mark(text: str, lang: str | None, wanted: str | None) -> str:
    return f"{text} [{lang}]" if wanted and lang and lang != wanted else text


def sentence_link(claim: dict[str, Any], *, web: bool = False) -> str | None:
    """Where a claim's sentence can be read: its page in the web UI, else the article's own web address."""
    if web:
        return f"/articles/{claim['article']}#s{claim['sentence']}"
    url = str(claim.get("url") or "")
    return url if url.lower().startswith(("http://", "https://")) else None


def render_brief(data: dict[str, Any], *, markdown: bool = False, web_links: bool = False) -> str:
    """A brief (:meth:`Brief.to_json`) as plain text or Markdown; each sentence is referred to as
    "Outlet #N" (its sentence index), linked in Markdown to the article (``web_links``: its page in the
    web UI)."""
    esc = _md if markdown else (lambda t: " ".join(str(t).split()))
    wanted = data.get("language")

    def ref(claim: dict[str, Any]) -> str:
        label = f"{claim['source']} #{claim['sentence']}"
        url = sentence_link(claim, web=web_links) if markdown else None
        return f"[{_md(label)}]({url})" if url else esc(label)

    head = "### " if markdown else ""
    lines = [f"{'## ' if markdown else ''}Brief: {esc(data['title'])}", ""]
    lines.append(f"Event date: {esc(data.get('event_date') or 'unknown')}")
    sources = "; ".join(f"{s['name']} ({', '.join(s['languages']) or '?'})" for s in data["sources"])
    lines += [f"Sources ({len(data['sources'])}): {esc(sources)}", "", f"{head}What the sources agree on"]
    if not data["shared"]:
        lines.append("- no statement is made by more than one source")
    for item in data["shared"]:
        links = ", ".join(ref(c) for c in item["claims"])
        lines.append(f"- {esc(_mark(item['text'], item['language'], wanted))} "
                     f"({item['sources']} of {item['of']} sources: {links})")
    lines += ["", f"{head}Where they disagree"]
    if not data["conflicts"]:
        lines.append("- no contradiction found")
    for item in data["conflicts"]:
        lines.append(f"- {esc(item['note'])}")
        lines += [f"  - {esc(c['source'])}: {esc(_mark(c['text'], c['language'], wanted))} ({ref(c)})"
                  for c in item["claims"]]
    lines += ["", f"{head}What a single source adds"]
    if not data["single_source"]:
        lines.append("- nothing")
    for item in data["single_source"]:
        lines.append(f"- {esc(item['source'])}: {esc(_mark(item['text'], item['language'], wanted))} ({ref(item)})")
    return "\n".join(lines) + "\n"
