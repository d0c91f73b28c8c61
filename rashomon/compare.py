"""Compare how the articles of one story report it (``contract/compare.schema.json``).

* **statements**: each article's sentences (headlines, captions and fragments skipped), embedded and
  aligned across articles by mutual-best cosine above a calibrated threshold, with shared entities as a
  support signal. A group of aligned sentences is ``shared``; a sentence no other article echoes is
  ``unique``; aligned sentences that disagree on a number with the same unit, a date, a negation or a
  place/person are a ``conflict``, with a ``note`` such as ``4.5 h vs 3 h``. Sentences of different
  articles that are related but not aligned (same entities, same unit, different figure) are checked
  for number conflicts too.
* **quotes**: grouped by speaker (global entity id), then by what was said (embedding cosine), so one
  saying quoted in different words or languages is one group with a variant per article.
* **descriptors**: how each article labels each entity; **entities**: the story's entities merged
  across articles, with every surface form seen.

Only the Store API and stored :class:`~rashomon.models.Analysis` objects are read; nothing is written.
The statements' vectors are those stored when the articles were added (:mod:`rashomon.sentence_vectors`);
only statements with none stored (older databases, changed analyses) are embedded here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import combinations
from typing import Any

import numpy as np
from anyascii import anyascii

from .analyse.sentences import split_sentences
from .embeddings import embed_texts  # cached per text in-process
from .models import Analysis, Article, DateMention, NumberMention, Quote, Sentence
from .sentence_vectors import stored_vectors, text_key
from .statements import clauses
from .store import Store

Embedder = Callable[[list[str]], np.ndarray]

# Weight of e5 in the embedding score (USE gets the rest). On benchmarks/data/statement_pairs.tsv
# (same statement vs same event, other statement; en/ru/be/uk/pl/de) 0.9*e5 + 0.1*USE has a higher
# ROC AUC than e5 alone or the plain mean: figures in docs/models.md ("Score"), from
# benchmarks/calibrate_alignment.py.
E5_WEIGHT = 0.9
# Kept above that score's best-accuracy cut-off on the same pairs (docs/models.md, "Score"): the
# conflicting pairs are found by masked figures, and mutual-best matching needs the precision.
ALIGN_THRESHOLD = 0.825
# Added to the score of two sentences that name the same resolved entity: enough to tip a borderline
# paraphrase (scores 0.80-0.83) over the cut-off, too little to align unrelated sentences (<= 0.79).
ENTITY_SUPPORT = 0.02
# Added instead when a claim is an item of a list of people (rashomon/statements.py) and the other
# claim names that person: the item says little besides the name ("The photo shows … X"), so its
# cosine with "X was also in the picture" sits at 0.76-0.81, under paraphrases of whole sentences.
FOCUS_SUPPORT = 0.06
# Sentences of different articles that are not aligned but related are checked for number conflicts
# when both carry a figure with the same explicit unit and are each other's best match among the
# sentences carrying it: "the hearing lasted about 4 hours" / "the session went on for about three
# hours" score 0.77-0.81. 0.77 sits just above the median of same-event, different-statement pairs
# (0.75 on the calibration pairs); the unit, mutual-best and magnitude tests supply the precision.
RELATED_THRESHOLD = 0.77
# Added there when both figures fill one role of the event (both "within a day", both requested): a
# slot signal like a shared entity ("the Tisza rose 3.8 m within a day" / "Cisa … podniosła się w
# ciągu doby o 4,5 metra" scores 0.76 with the river's name missed by one side's NER).
ROLE_SUPPORT = 0.02
# A negation alone flips a statement only between near-copies: paraphrases often swap a negated verb
# for an antonym ("did not recognise" / "refused to recognise"), and two different statements about
# one meeting (a duration with "details were not disclosed" vs who sat at the table) score 0.885,
# while the same sentence with its negation removed scores 0.98. Cross-lingual flips (0.85-0.90) are
# left to the reader: a false "sources disagree" costs more trust than a missed one.
NEGATION_THRESHOLD = 0.93
# A different figure lowers the cosine of two reports of one fact: on the labelled pairs, conflicting
# pairs (same statement, another figure) score 0.77-0.88 against 0.79-0.93 for agreeing ones. With
# every figure masked ("Divers recovered the bodies of # passengers") conflicting pairs score
# 0.78-0.90 (median 0.85), and different statements with figures at most 0.85. Claims with figures
# that are each other's best masked match at this score are checked for a figure in the same unit.
MASKED_THRESHOLD = 0.83
# Quotes of one speaker that are one saying: direct vs reported wording of the same words sits at
# 0.82-0.90, two different sayings of one speaker on one topic at 0.74-0.80.
QUOTE_THRESHOLD = 0.81
# Quotes attributed to two different resolved people are one saying only when closer than that:
# translations of one saying score 0.84-0.95, one speaker's two sayings on a topic 0.74-0.80, and
# a surname shared by two people ("Harelik said" of a man whose wife is quoted too) misattributes.
QUOTE_ANY_SPEAKER = 0.84
# Reported speech ("die Beschäftigten würden den Kai nicht verlassen") against the direct words it
# reports ("Nie zejdziemy z nabrzeża") scores 0.78-0.81: third person, another mood. Grouped at this
# cosine only when both variants name the same resolved person.
QUOTE_REPORTED = 0.795
# A second variant from an article already in a group: an outlet quoting one saying in two pieces,
# each a near-translation of part of another outlet's variant (0.88-0.89); two different sayings
# quoted in one article score up to 0.84 against each other's translations.
QUOTE_SAME_ARTICLE = 0.86
# Figures are equal within 1% (rounding: 1.2 km vs 1,200 m), or within 10% when either side says
# "about"/"nearly" ("about 2,000" vs "2,100" agree; "about 4 hours" vs "about 3 hours" do not).
EXACT_TOLERANCE = 0.01
APPROX_TOLERANCE = 0.10
# Two figures further apart than this factor measure different things (330 kV vs 38,000 households,
# "forty years" vs "four decades"); reported conflicts in news differ by less (3 vs 7, 18 vs 40 km).
MAX_CONFLICT_RATIO = 5.0
# Shorter sentences are captions, bylines or fragments, not statements ("Капитана баржи задержала
# милиция." is a 4-word statement: Russian and Belarusian are terse).
MIN_STATEMENT_WORDS = 4
# An unpunctuated line shorter than this is a headline or caption.
MIN_UNPUNCTUATED_WORDS = 12

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_NUMERO = re.compile(r"\bno\.?\s*\d")  # "workshop No. 3" is a number sign, not a negation
_END_PUNCT = re.compile(r"[.!?…\"'»”“)]\s*$")

__all__ = ["ALIGN_THRESHOLD", "Embedder", "compare_story", "default_embedder", "statement_texts", "syndicated_copies"]


def default_embedder(texts: list[str]) -> np.ndarray:
    """e5 and USE vectors joined so that a dot product is ``E5_WEIGHT*e5 + (1-E5_WEIGHT)*USE`` cosine."""
    return _joined(embed_texts(texts, model="e5"), embed_texts(texts, model="use"))


def _joined(e5: np.ndarray, use: np.ndarray) -> np.ndarray:
    return np.hstack([e5 * np.float32(np.sqrt(E5_WEIGHT)), use * np.float32(np.sqrt(1 - E5_WEIGHT))])


def _stored_embedder(store: Store, article_ids: Sequence[str]) -> Embedder:
    """:func:`default_embedder` taking each text's vectors from those stored for these articles."""

    def embed(texts: list[str]) -> np.ndarray:
        found = stored_vectors(store, article_ids)
        keys = [text_key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            e5, use = embed_texts(missing, model="e5"), embed_texts(missing, model="use")
            found.update((text_key(t), {"e5": e5[i], "use": use[i]}) for i, t in enumerate(missing))
        return _joined(np.vstack([found[k]["e5"] for k in keys]), np.vstack([found[k]["use"] for k in keys]))

    return embed


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


def compare_story(store: Store, story_id: str, *, embedder: Embedder | None = None) -> dict[str, Any]:
    """Compare the articles of one story.

    Args:
        store: an open store holding the story, its articles, analyses and entity links.
        story_id: the story's id.
        embedder: texts -> L2-normalised row vectors; when omitted, :func:`default_embedder`'s vectors
            as stored at add time, embedding only the statements that have none.

    Returns:
        A dict following ``compare.schema.json``.

    Raises:
        NotFound: no story with this id.
    """
    story = store.get_story(story_id)
    embed = embedder or _stored_embedder(store, story.article_ids)
    docs = [_load(store, article_id) for article_id in story.article_ids]
    entities = _merge_entities(store, docs)
    order = {d.article.id: i for i, d in enumerate(docs)}

    copies = syndicated_copies(story.article_ids, getattr(story, "copy_of", None) or {})
    sources = [d for d in docs if d.article.id not in copies]  # a copy's sentences do not count twice
    claims = [c for d in sources for c in _claims(d)]
    quotes = [(d, q) for d in sources for q in _quotes(d)]
    numbered = [c for c in claims if c.numbers or c.dates]
    texts = _texts(claims, [q for _d, q in quotes])
    vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    for row, claim in enumerate(claims):
        claim.row = row
    sims = vectors[: len(claims)] @ vectors[: len(claims)].T if claims else np.zeros((0, 0))
    masked = sims.copy()
    if numbered:
        rows = [c.row for c in numbered]
        tail = vectors[len(claims) + len(quotes):len(claims) + len(quotes) + len(numbered)]
        masked[np.ix_(rows, rows)] = tail @ tail.T
    said = _said_vectors([q for _d, q in quotes], vectors, len(claims), len(claims) + len(quotes) + len(numbered))

    names = {e.id: e.names.most_common(1)[0][0] for e in entities.values() if e.resolved}
    labels = {d.article.id: d.article.source or d.article.title or d.article.id for d in docs}
    statements = _statements(claims, sims, masked, order, names, labels)
    quote_groups = _quote_groups(quotes, said, entities, order)
    languages = story.languages or sorted({d.article.language for d in docs if d.article.language})
    return {
        "story": {
            "id": story.id,
            "title": story.title,
            "event_date": _event_date([d.analysis.event_date for d in docs]) or story.event_date,
            "languages": languages,
            "articles": [_article_json(d.article) for d in docs],
        },
        "entities": _entities_json(entities, order),
        "statements": statements,
        "quotes": quote_groups,
        "descriptors": _descriptors(docs),
    }


def syndicated_copies(article_ids: Sequence[str], copy_of: dict[str, str]) -> set[str]:
    """Members of a story that republish another member (hook for the story membership's ``copy_of``).

    Near-verbatim copies found at ingest are stored as copies, not articles, so they never reach a
    story; a syndicated copy with its own edits joins as an article, and story linking marks it with
    ``copy_of`` (article id -> original's id) when it knows. Until the story model carries that field
    :func:`compare_story` passes none.
    """
    members = set(article_ids)
    return {a for a, original in copy_of.items() if a in members and original in members and a != original}


def statement_texts(article: Article, analysis: Analysis) -> list[str]:
    """What :func:`compare_story` embeds for one article: its statements, quotes and statements with
    figures masked. They follow from the article and its analysis alone, not from entity links."""
    doc = _doc(article, analysis, {e.key: e.key for e in analysis.entities})
    return list(dict.fromkeys(_texts(_claims(doc), _quotes(doc))))


def _texts(claims: Sequence[_Claim], quotes: Sequence[Quote]) -> list[str]:
    """Claims, then quotes, then claims with figures, masked, then the sentences of quotes of several
    sentences: the rows of the vectors compare embeds."""
    return ([c.text for c in claims] + [q.text for q in quotes] + [_masked(c) for c in claims if c.numbers or c.dates]
            + [p for q in quotes for p in _quote_sentences(q)])


# A sentence of a quote shorter than this says too little to join a saying on its own ("Nein.").
MIN_QUOTE_SENTENCE_WORDS = 4


def _quote_sentences(quote: Quote) -> list[str]:
    """The sentences of a quote of several sentences: one source quotes a saying whole, another only
    one of its sentences ("I regret nothing." / "ни о чём не жалеет")."""
    parts = [s.text for s in split_sentences(quote.text, None)]
    if len(parts) < 2:
        return []
    return [p for p in parts if len(_WORD.findall(p)) >= MIN_QUOTE_SENTENCE_WORDS]


def _said_vectors(quotes: Sequence[Quote], vectors: np.ndarray, first: int, pieces: int) -> list[np.ndarray]:
    """Per quote, the rows of what it says: its whole text, then each of its sentences
    (rows ``first + i`` and, from ``pieces`` on, :func:`_quote_sentences` in quote order)."""
    out = []
    for i, quote in enumerate(quotes):
        count = len(_quote_sentences(quote))
        out.append(np.vstack([vectors[first + i: first + i + 1], vectors[pieces: pieces + count]]))
        pieces += count
    return out


# -- loading ---------------------------------------------------------------------------------------


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
        doc.ids = {}
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
            item.names[entity.name] += 1
            item.aliases[entity.name] += 1
            for mention in entity.mentions:
                item.aliases[" ".join(mention.text.split())] += 1
            if doc.article.id not in item.articles:
                item.articles.append(doc.article.id)
    return merged


def _entities_json(entities: dict[str, _StoryEntity], order: dict[str, int]) -> list[dict[str, Any]]:
    items = sorted(entities.values(), key=lambda e: (-len(e.articles), -sum(e.aliases.values()), e.id))
    return [
        {
            "id": e.id,
            "name": e.names.most_common(1)[0][0],
            "type": e.type if e.type in ("PER", "ORG", "LOC", "MISC") else "MISC",
            "aliases": [alias for alias, _n in e.aliases.most_common() if alias],
            "articles": sorted(e.articles, key=order.__getitem__),
        }
        for e in items
    ]


def _article_json(article: Article) -> dict[str, Any]:
    return article.to_json()


# -- statements ------------------------------------------------------------------------------------


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
        mentions = [
            (doc.ids[e.key], e.type, m.start - base, m.end - base)
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


# Ages are their own kind of fact ("Harelik, 34," / "36-летнему" / "der 34-Jährige"): compared only with
# ages, never with counts or prison terms ("drei und sechs Jahre alt" next to "fünf Jahren").
AGE_UNIT = "age"
_AGE = re.compile(
    r"(?<![\w.,])(\d{1,3})(?:[\s\u00a0]*-[\s\u00a0]*|[\s\u00a0]+)?"
    r"(?:year-old|years?[\s\u00a0]+old|летн\w*|лет(?:[\s\u00a0]+от[\s\u00a0]+роду)|річн\w*|гадов\w*|"
    r"letni\w*|lat(?:ek|ka|kiem|ku)\b|jährig\w*|Jahre[\s\u00a0]+alt)",
    re.IGNORECASE,
)
_AGE_APPOSITION = re.compile(r"(?<=[^\W\d_]{2}),[\s\u00a0]+(\d{1,3}),")  # "Malynovych, 46, said"
# A figure that is a time of day or the number of an article of a code, not a quantity: "o godz. 4.30",
# "0230 GMT", "art. 342 cz. 1", "ст. 361".
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
    """A time of day ("o godz. 4.30", "0230 GMT") or an article number of a code ("art. 342")."""
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


# Words after a figure searched for what it counts: "14 statków", "trzy ostatnie wagony",
# "больш за 60 грузавікоў з зернем"; a clause mark ends the search.
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


def _statements(
    claims: list[_Claim], sims: np.ndarray, masked: np.ndarray, order: dict[str, int],
    names: dict[str, str], labels: dict[str, str],
) -> list[dict[str, Any]]:
    by_article: dict[str, list[_Claim]] = defaultdict(list)
    named: dict[str, set[str]] = defaultdict(set)  # article -> entities named anywhere in it
    for claim in claims:
        by_article[claim.article].append(claim)
        named[claim.article].update(claim.entities)
    support = _support(claims, sims)

    group_of = {c.row: i for i, c in enumerate(claims)}
    groups: dict[int, list[_Claim]] = {i: [c] for i, c in enumerate(claims)}
    pairs = _mutual_best(by_article, support, ALIGN_THRESHOLD)
    for _score, a, b in sorted(pairs, key=lambda p: (-p[0], p[1].row, p[2].row)):
        ga, gb = group_of[a.row], group_of[b.row]
        if ga == gb or {c.article for c in groups[ga]} & {c.article for c in groups[gb]}:
            continue  # one sentence per article in a statement
        groups[ga].extend(groups.pop(gb))
        for c in groups[ga]:
            group_of[c.row] = ga

    notes = {g: _group_conflicts(members, sims, named, names) for g, members in groups.items()}
    extra: list[tuple[list[_Claim], list[str]]] = []
    related = _related_number_conflicts(by_article, sims, support, group_of)
    masked_found = [*_masked_number_conflicts(by_article, masked, group_of),
                    *_masked_date_conflicts(by_article, masked, support, group_of)]
    for a, b, note in [*related, *masked_found]:
        ga, gb = group_of[a.row], group_of[b.row]
        if ga == gb:
            continue
        if {c.article for c in groups[ga]} & {c.article for c in groups[gb]}:
            extra.append(([a, b], [note]))
            continue
        groups[ga].extend(groups.pop(gb))
        notes[ga] = _merge_notes([*notes[ga], *notes.pop(gb), note])
        for c in groups[ga]:
            group_of[c.row] = ga

    def place(members: list[_Claim]) -> tuple[int, int]:
        return min((order[c.article], c.sentence) for c in members)

    # (where it goes, claims, notes, status); a detail only one source gives follows its statement
    items: list[tuple[tuple[int, int, int], list[_Claim], list[str], str]] = []
    for g, members in groups.items():
        status = "conflict" if notes[g] else ("shared" if len({c.article for c in members}) > 1 else "unique")
        if status != "shared":
            items.append(((*place(members), 0), members, notes[g], status))
            continue
        details = _details(members, by_article, named, names, labels)
        items.append(((*place(members), 0), members, [note for _c, note, _f in details], status))
        items.extend(((*place(members), 1), [c], [f"only this source gives {figures}"], "unique")
                     for c, _n, figures in details if figures)
    items.extend(((*place(members), 0), members, found, "conflict") for members, found in extra)
    items.sort(key=lambda item: item[0])
    out = []
    for number, (_place, members, found, status) in enumerate(items, start=1):
        members = sorted(members, key=lambda c: (order[c.article], c.sentence))
        out.append({
            "id": f"s{number}",
            "status": status,
            "claims": [{"article": c.article, "sentence": c.sentence, "text": c.text} for c in members],
            "note": "; ".join(found) if found else None,
        })
    return out


def _details(
    members: list[_Claim], by_article: dict[str, list[_Claim]], named: dict[str, set[str]],
    names: dict[str, str], labels: dict[str, str],
) -> list[tuple[_Claim, str, str]]:
    """What one claim of a shared statement adds that the other articles never state.

    A figure with a unit that no other article of the statement gives anywhere ("four and a half
    hours" against "sat down with the prisoners"), and a resolved person or place they never name.

    Returns:
        (claim, note for the shared statement, its figures or "") per claim adding something.
    """
    found = []
    for claim in members:
        others = {c.article for c in members} - {claim.article}
        given = [n for a in others for c in by_article[a] for n in c.numbers]
        figures = [
            _number(n) for n in claim.numbers
            if n.unit and not any(_close(n, m) for m in given if _comparable(n, m))
        ]
        people = [
            names[e] for e, kind in sorted(claim.entities.items())
            if kind in ("PER", "LOC") and e in names and not any(e in named[a] for a in others)
        ]
        extra = [*dict.fromkeys(figures), *dict.fromkeys(people)]
        if extra:
            note = f"only in {labels.get(claim.article, claim.article)}: {', '.join(extra)}"
            found.append((claim, note, ", ".join(dict.fromkeys(figures))))
    return found


def _support(claims: list[_Claim], sims: np.ndarray) -> np.ndarray:
    """Cosine plus :data:`ENTITY_SUPPORT` where two claims name the same entity; -1 for a list item
    (:mod:`rashomon.statements`) against a claim that does not name the item's people."""
    support = sims.copy()
    for a, b in combinations(claims, 2):
        if a.article == b.article:
            continue
        if (a.focus and not a.focus & b.entities.keys()) or (b.focus and not b.focus & a.entities.keys()):
            support[a.row, b.row] = support[b.row, a.row] = -1.0  # one listed person is not another
        elif (a.focus & b.entities.keys()) or (b.focus & a.entities.keys()):
            support[a.row, b.row] += FOCUS_SUPPORT
            support[b.row, a.row] += FOCUS_SUPPORT
        elif set(a.entities) & set(b.entities):
            support[a.row, b.row] += ENTITY_SUPPORT
            support[b.row, a.row] += ENTITY_SUPPORT
    return support


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


def _group_conflicts(
    members: list[_Claim], sims: np.ndarray, named: dict[str, set[str]], names: dict[str, str]
) -> list[str]:
    notes: list[str] = []
    for a, b in combinations(members, 2):
        notes.extend(_number_conflicts(a, b))
        dates = _date_conflict(a, b)
        if dates:
            notes.append(dates)
        if a.negated != b.negated and sims[a.row, b.row] >= NEGATION_THRESHOLD:
            notes.append(f"negated in one source only: “{(a if a.negated else b).text}”")
        notes.extend(_name_conflicts(a, b, named, names))
    return _merge_notes(notes)


def _close(a: NumberMention, b: NumberMention) -> bool:
    tolerance = APPROX_TOLERANCE if a.approximate or b.approximate else EXACT_TOLERANCE
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value))


def _comparable(a: NumberMention, b: NumberMention, kind_a: str | None = None, kind_b: str | None = None) -> bool:
    """Same unit, or one side without a unit (analysers miss some: "rund 18 Kilometer"); an age only
    with an age. A count of known things (``kind_a``/``kind_b``, :func:`_counted_kind`) only with a
    count of the same things or of unknown ones: "14 vessels" is not "60 trucks", nor "72 hours"."""
    if AGE_UNIT in (a.unit, b.unit):
        return a.unit == b.unit
    if kind_a and kind_b:
        return kind_a == kind_b
    if (kind_a and b.unit not in (None, "people")) or (kind_b and a.unit not in (None, "people")):
        return False
    return a.unit == b.unit or a.unit is None or b.unit is None


def _ratio(a: NumberMention, b: NumberMention) -> float:
    low, high = sorted((abs(a.value), abs(b.value)))
    return high / low if low else float("inf")


def _number_conflicts(a: _Claim, b: _Claim, *, unit: str | None = None, same_unit: bool = False) -> list[str]:
    """``"4.5 h vs 3 h"``: a figure of each sentence that matches none of the other's, of one quantity.

    With ``unit``, only figures in that unit count; with ``same_unit``, a figure without a unit is
    not compared with one that has a unit (claims aligned by masked figures only: "recount in 14
    districts" and "won 52%" share a shape, not a quantity).
    """
    if a.roles != b.roles:
        return []  # requested vs imposed, daily vs total: different facts that share a unit
    def comparable(n: NumberMention, m: NumberMention) -> bool:
        return _comparable(n, m, a.counted.get(n.start), b.counted.get(m.start))

    left = [n for n in a.numbers if unit is None or n.unit == unit]
    right = [n for n in b.numbers if unit is None or n.unit == unit]
    only_left = [n for n in left if not any(_close(n, m) for m in b.numbers if comparable(n, m))]
    only_right = [m for m in right if not any(_close(m, n) for n in a.numbers if comparable(n, m))]
    candidates = [
        (n.unit is None or m.unit is None, _ratio(n, m), n, m)
        for n in only_left for m in only_right
        if comparable(n, m) and _ratio(n, m) <= MAX_CONFLICT_RATIO and (n.unit == m.unit or not same_unit)
    ]
    if not candidates:
        return []
    _unitless, _r, n, m = min(candidates, key=lambda c: (c[0], c[1]))
    return [f"{_number(n)} vs {_number(m)}"]


def _number(n: NumberMention) -> str:
    value = f"{int(n.value):,}" if n.value.is_integer() else f"{n.value:,.2f}".rstrip("0").rstrip(".")
    prefix = "~" if n.approximate else ""
    if not n.unit:
        return prefix + value
    return f"{prefix}{value}{n.unit}" if n.unit == "%" else f"{prefix}{value} {n.unit}"


def _date_parts(value: str) -> tuple[str | None, str | None, str | None]:
    if value.startswith("--"):
        month, _, day = value[2:].partition("-")
        return None, month or None, day or None
    parts = value[:10].split("-")
    parts += [""] * (3 - len(parts))
    return parts[0] or None, parts[1] or None, parts[2] or None


def _dates_compatible(x: str, y: str) -> bool:
    return all(p is None or q is None or p == q for p, q in zip(_date_parts(x), _date_parts(y), strict=True))


def _date_conflict(a: _Claim, b: _Claim) -> str | None:
    """Dates of one fact that cannot be the same day; a running total's start ("since Sunday") and a
    daily figure's day ("on Tuesday alone") fill different slots (their roles differ). Without figures,
    "since" only dates the start of a state: "in custody since 4 May" is the day of "detained on 14 May"."""
    if not a.dates or not b.dates or not _same_date_slot(a, b):
        return None
    only_a = [d for d in a.dates if not any(_dates_compatible(d.value, e.value) for e in b.dates)]
    only_b = [e for e in b.dates if not any(_dates_compatible(e.value, d.value) for d in a.dates)]
    if not only_a or not only_b:
        return None
    x, y = max(((d, e) for d in only_a for e in only_b), key=lambda de: _shared_parts(de[0].value, de[1].value))
    return f"{x.value} vs {y.value}"


def _same_date_slot(a: _Claim, b: _Claim) -> bool:
    if a.roles == b.roles:
        return True
    return not a.numbers and not b.numbers and (a.roles ^ b.roles) <= {"cumulative"}


def _shared_parts(x: str, y: str) -> int:
    """How many of year, month and day both dates give alike: the two dates most likely of one slot."""
    return sum(p is not None and p == q for p, q in zip(_date_parts(x), _date_parts(y), strict=True))


def _name_conflicts(a: _Claim, b: _Claim, named: dict[str, set[str]], names: dict[str, str]) -> list[str]:
    """The one place or person of each sentence, of one type, that the other sentence's article never
    names at all ("the crash happened near X" / "near Y").

    Only resolved entities (those in ``names``) count: an unresolved one may be the other's spelling
    in another script. Neither is an adjective
    ("Беларускія", "польский") or another spelling of the same name.
    """

    def filled(x: _Claim, kind: str) -> set[str]:
        return {e for e, t in x.entities.items() if t == kind and e in names and not _adjective(names[e])}

    notes = []
    for kind in ("LOC", "PER"):
        left, right = filled(a, kind), filled(b, kind)
        only_left = [e for e in left if e not in named[b.article]]
        only_right = [e for e in right if e not in named[a.article]]
        if len(only_left) != 1 or len(only_right) != 1 or (left - {only_left[0]}) != (right - {only_right[0]}):
            continue  # the other slots (a route's start, a person's employer) must be filled alike
        x, y = only_left[0], only_right[0]
        if not _one_spelling(names[x], names[y]):
            notes.append(f"{names[x]} vs {names[y]}")
    return notes


# Endings of adjectives (and of Slavic place adjectives: "Беларускія", "Польский", "tiaczowskiego"),
# which NER sometimes tags as places; a surname with such an ending is a PER, not checked here.
_ADJECTIVE_END = re.compile(
    r"(?:ск|цк|зк)(?:ий|ія|ая|ое|ые|і|ый|ої|ого|ага|ую|ім|им)$|(?:sk|ck)(?:i|a|ie|iego|iej)$|isch\w*$", re.IGNORECASE
)


def _adjective(name: str) -> bool:
    words = name.split()
    return len(words) == 1 and bool(_ADJECTIVE_END.search(words[0]))


# Polish digraphs to their Cyrillic transliterations; x/ch/kh and c/ts spell one sound
_SPELLINGS = (("rz", "zh"), ("sz", "sh"), ("cz", "ch"), ("w", "v"), ("kh", "h"), ("ch", "h"), ("ts", "c"), ("'", ""))


def _skeleton(word: str) -> str:
    """A spelling-free key of a transliterated word: Polish/Cyrillic digraphs folded, vowels dropped
    ("Nowicki" / "Навіцкі" / "Новіцький" -> "nvtsk")."""
    w = anyascii(word).lower()
    for old, new in _SPELLINGS:
        w = w.replace(old, new)
    w = re.sub(r"[aeiouyj]+", "", w)
    return w


def _one_spelling(x: str, y: str) -> bool:
    """True when a word of each starts with the same three Latin letters ("Warsaw"/"Warszawa", "Kaniv"/"Канева")
    or shares its consonant skeleton ("Krzysztof Nowicki" / "Кшыштаф Навіцка")."""
    # The resolver leaves some cross-script spellings apart; two different places or people named in one
    # statement rarely share a word's first three letters, and a false "sources disagree" costs more.
    if {w[:3] for w in _fold(x).split() if len(w) > 2} & {w[:3] for w in _fold(y).split() if len(w) > 2}:
        return True
    keys_x = {_skeleton(w)[:4] for w in _WORD.findall(x) if len(w) > 3}
    keys_y = {_skeleton(w)[:4] for w in _WORD.findall(y) if len(w) > 3}
    return bool({k for k in keys_x if len(k) >= 3} & keys_y)


def _related_number_conflicts(
    by_article: dict[str, list[_Claim]], sims: np.ndarray, support: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Number conflicts between related, unaligned sentences of two articles that give figures in one unit."""
    found = []
    for left, right in combinations(by_article.values(), 2):
        units = {n.unit for c in left for n in c.numbers if n.unit} & {
            n.unit for c in right for n in c.numbers if n.unit
        }
        for unit in sorted(units, key=str):
            with_left = [c for c in left if any(n.unit == unit for n in c.numbers)]
            with_right = [c for c in right if any(n.unit == unit for n in c.numbers)]
            scores = support.copy()
            for a, b in ((a, b) for a in with_left for b in with_right if a.roles and a.roles == b.roles):
                scores[a.row, b.row] += ROLE_SUPPORT
                scores[b.row, a.row] += ROLE_SUPPORT
            for _score, a, b in _mutual_best({"l": with_left, "r": with_right}, scores, RELATED_THRESHOLD):
                if group_of[a.row] == group_of[b.row]:
                    continue
                for note in _number_conflicts(a, b, unit=unit):
                    found.append((a, b, note))
    return found


def _masked_number_conflicts(
    by_article: dict[str, list[_Claim]], masked: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Number conflicts between unaligned claims that say the same once their figures are masked."""
    found: list[tuple[_Claim, _Claim, str]] = []
    for left, right in combinations(by_article.values(), 2):
        with_left = [c for c in left if c.numbers]
        with_right = [c for c in right if c.numbers]
        if not with_left or not with_right:
            continue
        for _score, a, b in _mutual_best({"l": with_left, "r": with_right}, masked, MASKED_THRESHOLD):
            if group_of[a.row] != group_of[b.row]:
                found.extend((a, b, note) for note in _number_conflicts(a, b, same_unit=True))
    return found


def _masked_date_conflicts(
    by_article: dict[str, list[_Claim]], masked: np.ndarray, support: np.ndarray, group_of: dict[int, int]
) -> list[tuple[_Claim, _Claim, str]]:
    """Date conflicts between unaligned claims that say the same, their dates masked or not ("was
    detained on # at his flat" / "sitzt seit dem # in Untersuchungshaft"), entity support included."""
    found: list[tuple[_Claim, _Claim, str]] = []
    scores = np.maximum(masked, support)
    for left, right in combinations(by_article.values(), 2):
        with_left = [c for c in left if c.dates]
        with_right = [c for c in right if c.dates]
        if not with_left or not with_right:
            continue
        for _score, a, b in _mutual_best({"l": with_left, "r": with_right}, scores, MASKED_THRESHOLD):
            note = _date_conflict(a, b) if group_of[a.row] != group_of[b.row] else None
            if note:
                found.append((a, b, note))
    return found


def _merge_notes(notes: list[str]) -> list[str]:
    """One note per kind of difference: ``38,000 vs 45,000`` and ``45,000 vs 38,000`` read as one."""
    seen: dict[frozenset[str], str] = {}
    for note in notes:
        seen.setdefault(frozenset(note.split(" vs ")), note)
    return list(seen.values())


# -- quotes, descriptors, dates --------------------------------------------------------------------


def _quote_groups(
    quotes: Sequence[tuple[_Doc, Quote]],
    vectors: Sequence[np.ndarray],
    entities: dict[str, _StoryEntity],
    order: dict[str, int],
) -> list[dict[str, Any]]:
    """Quotes grouped by what was said, across languages; then the speaker the variants agree on.

    ``vectors`` holds per quote the rows of its whole text and of its sentences; two quotes score the
    best cosine of any of them. Groups are formed by :func:`_said_clusters`; each group's speaker is
    the resolved person its variants vote for.
    """
    speakers = [doc.ids.get(quote.speaker) if quote.speaker else None for doc, quote in quotes]

    def person(i: int) -> str | None:
        entity = entities.get(speakers[i] or "")
        return entity.id if entity and entity.resolved and entity.type == "PER" else None

    clusters = _said_clusters(quotes, vectors, person)
    out: list[tuple[tuple[bool, int, str], dict[str, Any]]] = []
    for members in clusters:
        votes: dict[str, float] = defaultdict(float)
        for i in members:
            for candidate, weight in _speaker_votes(person(i), quotes[i][1].speaker_text, entities).items():
                votes[candidate] += weight
        speaker = min(votes, key=lambda e: (-votes[e], e)) if votes else None
        if speaker is None:  # no resolved person: the local speaker most variants name
            local = Counter(speakers[i] for i in members if speakers[i] in entities
                            and entities[speakers[i] or ""].type == "PER")
            speaker = local.most_common(1)[0][0] if local else None
        entity = entities.get(speaker) if speaker else None
        said_by = Counter(quotes[i][1].speaker_text for i in members
                          if quotes[i][1].speaker_text and speakers[i] == speaker)
        name = (entity.names.most_common(1)[0][0] if entity
                else said_by.most_common(1)[0][0] if said_by else "unnamed speaker")
        members.sort(key=lambda i: order[quotes[i][0].article.id])
        variants = [
            {"article": quotes[i][0].article.id, "text": " ".join(quotes[i][1].text.split()),
             "direct": bool(quotes[i][1].direct)}
            for i in members
        ]
        spread = len({quotes[i][0].article.id for i in members})
        out.append(((speaker is None, -spread, name or ""), {"speaker": speaker, "speaker_name": name,
                                                       "variants": variants}))
    return [group for _key, group in sorted(out, key=lambda item: item[0])]


def _said_clusters(
    quotes: Sequence[tuple[_Doc, Quote]], vectors: Sequence[np.ndarray], person: Callable[[int], str | None]
) -> list[list[int]]:
    """Quotes linked by what they say, the closest pairs first, whatever order the articles come in.

    Two groups join at a pair's cosine of :data:`QUOTE_THRESHOLD` when their resolved speakers do not
    differ (an unresolved or unnamed one counts as agreeing: a spelling the resolver missed must not
    split a saying); at :data:`QUOTE_REPORTED` when one side is reported speech and both name the same
    person; at :data:`QUOTE_ANY_SPEAKER` when their speakers differ or when one article would give two
    variants (a saying quoted in two pieces), whatever the speakers.
    """
    root = list(range(len(quotes)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    articles = [{doc.article.id} for doc, _q in quotes]
    voices = [{person(i)} - {None} for i in range(len(quotes))]
    pairs = sorted(((float((vectors[i] @ vectors[j].T).max()), i, j) for i, j in combinations(range(len(quotes)), 2)),
                   key=lambda p: (-p[0], p[1], p[2]))
    for score, i, j in pairs:
        a, b = find(i), find(j)
        if a == b or score < QUOTE_REPORTED:
            continue
        named = voices[a] | voices[b]
        if len(named) > 1 or articles[a] & articles[b]:
            need = max(QUOTE_ANY_SPEAKER, QUOTE_SAME_ARTICLE if articles[a] & articles[b] else 0.0)
        elif person(i) is not None and person(i) == person(j) and not (quotes[i][1].direct and quotes[j][1].direct):
            need = QUOTE_REPORTED
        else:
            need = QUOTE_THRESHOLD
        if score >= need:
            root[b] = a
            articles[a] |= articles[b]
            voices[a] |= voices[b]
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        clusters[find(i)].append(i)
    return list(clusters.values())


def _speaker_votes(speaker: str | None, said_by: str | None, entities: dict[str, _StoryEntity]) -> dict[str, float]:
    """One variant's vote for its speaker; a bare surname that several people of the story bear
    ("Harelik said", the activist and his wife) is shared among them."""
    if speaker is None:
        return {}
    words = _fold(said_by or "").split()
    if len(words) != 1:
        return {speaker: 1.0}
    bearers = [e.id for e in entities.values() if e.resolved and e.type == "PER"
               and any(words[0] in _fold(name).split() for name in e.names)]
    if speaker not in bearers:
        return {speaker: 1.0}
    return {e: 1.0 / len(bearers) for e in bearers}


def _descriptors(docs: Sequence[_Doc]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for doc in docs:
        for d in doc.analysis.descriptors:
            entity = doc.ids.get(d.entity, f"{doc.article.id}:{d.entity}")
            text = " ".join(d.text.split())
            if text and (entity, doc.article.id, text.lower()) not in seen:
                seen.add((entity, doc.article.id, text.lower()))
                out.append({"entity": entity, "article": doc.article.id, "text": text})
    return out


def _event_date(values: Sequence[str | None]) -> str | None:
    """The day most articles give; ``--MM-DD`` unless some source states the year of that day."""
    days: Counter[str] = Counter()
    years: dict[str, Counter[str]] = defaultdict(Counter)
    coarse: Counter[str] = Counter()
    for value in values:
        if not value:
            continue
        year, month, day = _date_parts(value)
        if month and day:
            days[f"{month}-{day}"] += 1
            if year:
                years[f"{month}-{day}"][year] += 1
        else:
            coarse[value] += 1
    if days:
        best = max(days, key=lambda d: (days[d], sum(years[d].values())))
        return f"{years[best].most_common(1)[0][0]}-{best}" if years[best] else f"--{best}"
    return coarse.most_common(1)[0][0] if coarse else None
