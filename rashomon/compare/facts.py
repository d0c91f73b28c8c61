"""The facts compare works on: an article's statements (claims) with the figures, dates, entities,
roles and counted things analysis found in them; the story's entities merged across articles."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import combinations

import numpy as np
from anyascii import anyascii

from ..analyse.sentences import split_sentences
from ..models import Analysis, Article, DateMention, NumberMention, Quote, Sentence
from ..statements import clauses
from ..store import Store

# Shorter sentences are captions, bylines or fragments, not statements ("Капитана баржи задержала
# милиция." is a 4-word statement: Russian and Belarusian are terse).
MIN_STATEMENT_WORDS = 4



# An unpunctuated line shorter than this is a headline or caption.
MIN_UNPUNCTUATED_WORDS = 12



_WORD = re.compile(r"\w+(?:['’]\w+)?")



_NUMERO = re.compile(r"\bno\.?\s*\d")  # "workshop No. 3" is a number sign, not a negation



_END_PUNCT = re.compile(r"[.!?…\"'»”“)]\s*$")



@dataclass(slots=True)
class _Claim:
    """One candidate statement: a sentence of one article, with what analysis found in it."""

    article: str
    sentence: int
    text: str
    entities: dict[str, str]  # story entity id -> type
    numbers: list[NumberMention]
    dates: list[DateMention]
    negated: bool
    row: int = 0
    focus: frozenset[str] = frozenset()  # an item of a list of people: aligns only where they are named
    about: frozenset[str] = frozenset()  # a relative clause's antecedent: aligns only where it is named
    roles: frozenset[str] = frozenset()  # requested / offered / daily / cumulative / planned (roles.tsv)
    counted: dict[int, str] = field(default_factory=dict)  # figure's start -> kind of what it counts (counted.tsv)



@dataclass(slots=True)
class _StoryEntity:
    id: str
    type: str
    names: Counter[str] = field(default_factory=Counter)
    aliases: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)
    resolved: bool = True



@dataclass(slots=True)
class _Doc:
    article: Article
    analysis: Analysis
    ids: dict[str, str]  # local entity key -> story entity id
    kinds: dict[str, str] = field(default_factory=dict)  # story entity id -> its type across the story



def _load(store: Store, article_id: str) -> _Doc:
    article = store.get_article(article_id)
    analysis = store.get_analysis(article_id) or Analysis(article_id=article_id, version="none")
    return _doc(article, analysis, store.entity_links(article_id))



def _doc(article: Article, analysis: Analysis, ids: dict[str, str]) -> _Doc:
    if not analysis.sentences:  # not analysed yet: split with the analyser's splitter to take part
        analysis = replace(analysis, sentences=split_sentences(article.text, article.language))
    return _Doc(article=article, analysis=analysis, ids=ids)



def _quotes(doc: _Doc) -> list[Quote]:
    return [q for q in doc.analysis.quotes if q.text.strip()]



def _fold(name: str) -> str:
    return " ".join(_WORD.findall(anyascii(name).lower()))



def _merge_entities(store: Store, docs: Sequence[_Doc]) -> dict[str, _StoryEntity]:
    """Story entities by id: resolved ones by global id, unresolved ones merged by folded name."""
    rows = {row.id: row for row in store.list_entities(article_ids=[d.article.id for d in docs])}
    merged: dict[str, _StoryEntity] = {}
    local_ids: dict[tuple[str, str], str] = {}
    for doc in docs:
        links = doc.ids
        doc.ids, doc.kinds = {}, {}
        for entity in doc.analysis.entities:
            global_id = links.get(entity.key) or entity.global_id
            if global_id:
                row = rows.get(global_id)
                kind = row.type if row else entity.type
                item = merged.setdefault(global_id, _StoryEntity(id=global_id, type=kind))
                if row:
                    item.names[row.name] += 1000  # the registry's canonical name wins
            else:
                fold = (entity.type, _fold(entity.name))
                item_id = local_ids.setdefault(fold, f"{doc.article.id}:{entity.key}")
                item = merged.setdefault(item_id, _StoryEntity(id=item_id, type=entity.type, resolved=False))
            doc.ids[entity.key] = item.id
            doc.kinds[item.id] = item.type
            item.names[entity.name] += 1
            item.aliases[entity.name] += 1
            for mention in entity.mentions:
                item.aliases[" ".join(mention.text.split())] += 1
            if doc.article.id not in item.articles:
                item.articles.append(doc.article.id)
    return merged



def _is_statement(text: str, title: str) -> bool:
    """False for headlines, captions, bylines and fragments."""
    words = len(_WORD.findall(text))
    if words < MIN_STATEMENT_WORDS:
        return False
    folded, folded_title = _fold(text), _fold(title)
    if folded_title and (folded == folded_title or folded in folded_title):
        return False
    return bool(_END_PUNCT.search(text)) or words >= MIN_UNPUNCTUATED_WORDS



def _claims(doc: _Doc) -> list[_Claim]:
    """The statements of an article: its sentences, long ones cut into clauses (rashomon/statements.py)."""
    analysis, language = doc.analysis, doc.article.language
    out = []
    for sentence in analysis.sentences:
        if not _is_statement(" ".join(sentence.text.split()), doc.article.title):
            continue
        base = sentence.start
        # the story entity's type, not this mention's: a town tagged PER in one sentence is still a place
        mentions = [
            (doc.ids[e.key], doc.kinds.get(doc.ids[e.key], e.type), m.start - base, m.end - base)
            for e in analysis.entities if e.key in doc.ids
            for m in e.mentions if sentence.start <= m.start < sentence.end
        ]
        # a day and month without a year ("May 14" with no year in reach) is still a day: only its year is unknown
        dates = [d for d in analysis.dates
                 if d.sentence == sentence.index and (not d.uncertain or d.value.startswith("--"))]
        spans = [(d.start, d.end) for d in dates]
        ages = _ages(sentence)
        spans += [(n.start, n.end) for n in ages]
        numbers = [
            n for n in analysis.numbers
            if n.sentence == sentence.index and not any(a <= n.start < b for a, b in spans)
            and not _year_like(n) and not _not_a_quantity(doc.article.text, n)
        ] + ages
        people = [(a, b) for _id, kind, a, b in mentions if kind == "PER"]
        for clause in clauses(sentence.text, language, people=people):
            out.append(_Claim(
                article=doc.article.id, sentence=sentence.index, text=clause.text,
                entities={e: kind for e, kind, a, _b in mentions if clause.covers(a)},
                numbers=[n for n in numbers if clause.covers(n.start - base)],
                dates=[d for d in dates if clause.covers(d.start - base)],
                negated=_negated(clause.text, language),
                roles=_roles(clause.text),
                focus=frozenset(e for e, _k, a, _b in mentions if clause.in_focus(a)),
                about=frozenset(e for e, _k, a, _b in mentions if clause.is_about(a)),
                counted={n.start: kind for n in numbers if clause.covers(n.start - base)
                         and (kind := _counted_kind(sentence.text, n.end - base, n.unit))},
            ))
    return out



def _masked(claim: _Claim) -> str:
    """The claim's text with each figure and date replaced by ``#``, to compare what is said about them."""
    text = claim.text
    for said in [n.text for n in claim.numbers] + [d.text for d in claim.dates]:
        text = text.replace(" ".join(said.split()), "#", 1)
    return text



# Ages are their own kind of fact ("Kowal, 41," / "43-летнему" / "der 41-Jährige"): compared only with
# ages, never with counts or prison terms ("zwei und vier Jahre alt" next to "sieben Jahren").
AGE_UNIT = "age"



_AGE = re.compile(
    r"(?<![\w.,])(\d{1,3})(?:[\s\u00a0]*-[\s\u00a0]*|[\s\u00a0]+)?"
    r"(?:year-old|years?[\s\u00a0]+old|летн\w*|лет(?:[\s\u00a0]+от[\s\u00a0]+роду)|річн\w*|гадов\w*|"
    r"letni\w*|lat(?:ek|ka|kiem|ku)\b|jährig\w*|Jahre[\s\u00a0]+alt)",
    re.IGNORECASE,
)



_AGE_APPOSITION = re.compile(r"(?<=[^\W\d_]{2}),[\s\u00a0]+(\d{1,3}),")  # "Hrytsak, 46, said"



# A figure that is a time of day or the number of an article of a code, not a quantity: "o godz. 7.15",
# "0515 GMT", "art. 342 cz. 1", "ст. 361".
_CLOCK_AFTER = re.compile(r"^[\s\u00a0]*(?:GMT|UTC|CET|CEST|EET|EEST|MSK|Uhr|h\b|godz)", re.IGNORECASE)



_CLOCK_BEFORE = re.compile(r"(?:godz\.?|godzinie|\bat|\bum|\bо|\bв|\bу|\ba)[\s\u00a0]*$", re.IGNORECASE)



_CODE_BEFORE = re.compile(
    r"(?:\bart\.?|\bartikel|\barticle|\bст\.?|\bстатт\w*|\bстать\w*|\bартыкул\w*|\bcz\.?|\bч\.?|"
    r"\bpart|\bteil|\babs\.?|§|\bpkt\.?|\bп\.?|\bnr\.?|№)[\s\u00a0]*$",
    re.IGNORECASE,
)



def _ages(sentence: Sentence) -> list[NumberMention]:
    """Ages stated in a sentence, as figures in the unit ``age``."""
    found = []
    for pattern in (_AGE, _AGE_APPOSITION):
        for m in pattern.finditer(sentence.text):
            value = int(m.group(1))
            if 0 < value < 120:
                start = sentence.start + m.start(1)
                found.append(NumberMention(text=m.group(0).strip(", "), start=start, end=sentence.start + m.end(),
                                           sentence=sentence.index, value=float(value), unit=AGE_UNIT))
    return found



def _not_a_quantity(text: str, number: NumberMention) -> bool:
    """A time of day ("o godz. 7.15", "0515 GMT") or an article number of a code ("art. 342")."""
    before, after = text[max(number.start - 12, 0):number.start], text[number.end:number.end + 6]
    if _CODE_BEFORE.search(before):
        return True
    clockish = bool(re.fullmatch(r"\d{1,2}[.:]\d{2}|\d{4}", number.text.strip()))
    return clockish and number.unit is None and (bool(_CLOCK_AFTER.match(after)) or bool(_CLOCK_BEFORE.search(before)))



@lru_cache(maxsize=1)
def _role_words() -> tuple[tuple[str, str], ...]:
    path = resources.files("rashomon") / "data" / "compare" / "roles.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return tuple((role, word.strip()) for role, word in rows)



def _roles(text: str) -> frozenset[str]:
    """The event roles a clause's figures fill: requested vs imposed, daily vs cumulative, planned."""
    words = _WORD.findall(text.lower())
    return frozenset(role for role, start in _role_words() if any(w.startswith(start) for w in words))



# Words after a figure searched for what it counts: "9 autobusów", "dwa pierwsze wagony",
# "больш за 40 цягнікоў з вуглём"; a clause mark ends the search.
COUNTED_WORDS = 3



_COUNT_STOP = re.compile(r"[,.;:!?()\[\]«»„“”\"—–]")



@lru_cache(maxsize=1)
def _counted_stems() -> tuple[tuple[str, str, bool], ...]:
    """(kind, word start, whole word only) from counted.tsv, longest start first."""
    path = resources.files("rashomon") / "data" / "compare" / "counted.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    found = [(kind, stem.strip().rstrip("$"), stem.strip().endswith("$")) for kind, stem in rows]
    return tuple(sorted(found, key=lambda row: -len(row[1])))



def _counted_kind(sentence: str, end: int, unit: str | None) -> str | None:
    """The kind of thing a figure counts (``person``, ``vessel``, ...): from its unit ``people``, else
    from the first of the next :data:`COUNTED_WORDS` words of its clause found in counted.tsv."""
    if unit == "people":
        return "person"
    if unit is not None:
        return None
    tail = _COUNT_STOP.split(sentence[end:], maxsplit=1)[0]
    for word in _WORD.findall(tail.lower())[:COUNTED_WORDS]:
        for kind, stem, whole in _counted_stems():
            if word == stem or (not whole and word.startswith(stem)):
                return kind
    return None



def _year_like(number: NumberMention) -> bool:
    return number.unit is None and number.value.is_integer() and 1800 <= number.value <= 2100



@lru_cache(maxsize=1)
def _negations() -> dict[str, frozenset[str]]:
    path = resources.files("rashomon") / "data" / "compare" / "negations.tsv"
    words: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, word = line.split("\t")
            words[language].add(word.strip())
    return {k: frozenset(v) for k, v in words.items()}



def _negated(text: str, language: str | None) -> bool:
    lexicon = _negations()
    words = lexicon.get(language or "", frozenset().union(*lexicon.values()))
    for token in _WORD.findall(_NUMERO.sub(" ", text.lower())):
        if token in words or token.endswith(("n't", "n’t")):
            return True
        if any(w.endswith("*") and token.startswith(w[:-1]) for w in words):
            return True
    return False



def _mutual_best(
    by_article: dict[str, list[_Claim]], scores: np.ndarray, threshold: float
) -> list[tuple[float, _Claim, _Claim]]:
    """Pairs of sentences of two articles that are each other's best match, scoring ``>= threshold``."""
    pairs = []
    for left, right in combinations(by_article.values(), 2):
        sub = scores[np.ix_([c.row for c in left], [c.row for c in right])]
        best_right, best_left = sub.argmax(axis=1), sub.argmax(axis=0)
        for i, j in enumerate(best_right):
            if best_left[j] == i and sub[i, j] >= threshold:
                pairs.append((float(sub[i, j]), left[i], right[j]))
    return pairs
