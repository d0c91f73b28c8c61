"""Labels an article attaches to its entities: "strongman", "a banker once seen as ...".

Three kinds, all pointing at an ``Entity.key``:

* pre-name labels: the words right before a name ("self-proclaimed President Alyaksandr ...");
* appositions: a phrase set off by commas after a name ("X, head of Y,") or before it
  ("the head of Y, X,");
* role phrases that refer back to someone without naming them ("the former head of state").

English reads spaCy's part-of-speech tags; other languages use word lists (titles, roles,
stopwords) and a verb-ending check so that "заявил Лукашенко" yields no label.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Descriptor, Entity, Sentence
from .coref import References
from .names import is_title
from .nlp import english_doc, english_token_at, english_tokens
from .wordlists import language_key, role_groups, words

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_MAX_PRE_WORDS = 8
_MAX_APPOSITION_WORDS = 25
_APPOSITION_END = re.compile(r",|;|\.(?=\s|$)|\s[—–]\s|\(|\)|\sbut\s|$")
# past-tense and infinitive endings: a word so ending before a name is a verb, not a label
_VERB_ENDING = {
    "ru": re.compile(r"(?:л|ла|ли|ло|ть|ться|лся|лась|лись|ет|ит|ют|ят)$"),
    "be": re.compile(r"(?:ў|ла|лі|ла|ць|цца|ўся|лася|лiся|е|іць|юць|яць)$"),
    "uk": re.compile(r"(?:в|ла|ли|ло|ти|тися|вся|лася|лися|є|ить|ють|ять)$"),
    "pl": re.compile(r"(?:ł|ła|li|ło|ły|ć|się|ją|a|i)$"),
    "de": re.compile(r"(?:te|ten|t|en)$"),
}
_EN_ARTICLES = {"a", "an", "the"}


@lru_cache(maxsize=65536)
def _is_role_word(word: str, lang: str) -> bool:
    lowered = word.lower()
    if is_title(word, lang):
        return True
    return any(
        lowered.startswith(r[: max(3, len(r) - 1)]) and len(lowered) <= len(r) + 3
        for g in role_groups(lang)
        for r in g
        if " " not in r
    )


def _mention_owner(entities: list[Entity]) -> list[tuple[int, int, str, str]]:
    return sorted((m.start, m.end, e.key, e.type) for e in entities for m in e.mentions)


def _english_labels(
    text: str, owners: list[tuple[int, int, str, str]], lang: str
) -> list[tuple[str, int, int]]:
    """Pre-name labels and appositions from spaCy's tags (English)."""
    doc = english_doc(text)
    by_start = {idx: t.i for idx, t in english_tokens(text).items()}
    found: list[tuple[str, int, int]] = []
    for start, end, key, etype in owners:
        if etype != "PER" or start not in by_start:
            continue
        i = by_start[start]
        j = i - 1
        while j >= 0 and i - j <= _MAX_PRE_WORDS:
            tok = doc[j]
            inside = next((o for o in owners if o[0] <= tok.idx < o[1]), None)
            if inside is not None and inside[3] == "MISC":  # "Belarusian-American political analyst"
                j = by_start.get(inside[0], j) - 1
                continue
            if inside is not None and j > 0 and doc[j - 1].lower_ == "of":  # "candidate of Belarus"
                j = by_start.get(inside[0], j) - 2
                continue
            if tok.tag_ == "POS" and j > 0:  # "head of the mayor's press office"
                j -= 1
                continue
            hyphen = tok.text == "-" and not tok.whitespace_ and j > 0 and not doc[j - 1].whitespace_
            if tok.pos_ in ("NOUN", "ADJ") or hyphen or (tok.pos_ == "PROPN" and is_title(tok.text, lang)):
                j -= 1
                continue
            if tok.pos_ == "VERB" and tok.tag_ == "VBN" and j > 0 and doc[j - 1].text == "-":
                j -= 1
                continue
            break
        words_ = doc[j + 1 : i]
        if words_ and any(t.pos_ == "NOUN" or is_title(t.text, lang) for t in words_):
            first = words_[0]
            while first.i < i and first.pos_ not in ("NOUN", "ADJ", "PROPN", "VERB"):
                first = doc[first.i + 1]
            if first.i < i:
                found.append((key, first.idx, doc[i - 1].idx + len(doc[i - 1])))
        closed = end >= len(text) or text[end] in ",.;"
        found.extend(_reverse_apposition(doc, i, key, owners) if closed else [])
    return found


def _reverse_apposition(
    doc: object, i: int, key: str, owners: list[tuple[int, int, str, str]]
) -> list[tuple[str, int, int]]:
    """ "the editor of Radio Dnipro, Ihor Savchuk," -> "the editor of Radio Dnipro"."""
    tokens = doc  # a spaCy Doc
    if i < 2 or tokens[i - 1].text != ",":  # type: ignore[index]
        return []
    j = i - 2
    head = tokens[j]  # type: ignore[index]
    while j >= 0:
        tok = tokens[j]  # type: ignore[index]
        if tok.pos_ == "DET" or tok.tag_ == "PRP$":
            if j > 0 and tokens[j - 1].lower_ == "of":  # type: ignore[index]
                j -= 2
                continue
            break  # the article opens the phrase
        if tok.pos_ in ("NOUN", "ADJ", "PROPN", "PART") or tok.lower_ == "of":
            j -= 1
            continue
        j += 1
        break
    j = max(j, 0)
    span = tokens[j : i - 1]  # type: ignore[index]
    nouns = [t for t in span if t.pos_ == "NOUN"]
    if (
        not nouns
        or head.pos_ not in ("NOUN", "PROPN")
        or not span[0].text[0].islower()
        and span[0].pos_ != "DET"
    ):
        return []
    return [(key, span[0].idx, span[-1].idx + len(span[-1]))]


def _rule_pre_labels(
    text: str, owners: list[tuple[int, int, str, str]], lang: str
) -> list[tuple[str, int, int]]:
    """Lowercase title and role words right before a name (non-English)."""
    stop, verbs = words(lang, "stopwords"), words(lang, "speech_verbs")
    verb_end = _VERB_ENDING.get(lang)
    found = []
    person_starts = {o[0] for o in owners if o[3] == "PER"}
    for start, end, key, etype in owners:
        follower = _WORD.match(text, end + 1)
        if etype != "PER" or (
            follower is not None and text[end : end + 1] == " " and follower.start() in person_starts
        ):
            continue  # "Адвокат Дубровского Марина Лис": the title is Lis's, Дубровского is its complement
        left = list(_WORD.finditer(text, max(0, start - 120), start))
        chosen: list[re.Match[str]] = []
        cursor = start
        for n in range(len(left) - 1, -1, -1):
            m = left[n]
            gap = text[m.end() : cursor]
            word = m.group(0)
            lowered = word.lower()
            titled = _is_role_word(word, lang)
            if gap not in (" ", "-") or len(chosen) >= 5 or lowered in stop or lowered in verbs:
                break
            if not titled and verb_end is not None and verb_end.search(lowered) and not word[0].isupper():
                break
            if not titled and word[0].isupper():
                before = left[n - 1] if n else None
                opens = before is None or text[before.end() : m.start()].strip() != ""
                # "Премьер-министр Украины Оксана …": a name in the genitive after a title belongs to it;
                # "Оппозиционный политик …": a capitalised first word before a title is its adjective
                of_title = before is not None and not opens and _is_role_word(before.group(0), lang)
                if not (of_title or (opens and chosen and lang != "de")):
                    break
            chosen.insert(0, m)
            cursor = m.start()
        while chosen and not _is_role_word(chosen[0].group(0), lang) and len(chosen) > 1 and lang == "de":
            chosen = chosen[1:]
        if chosen and any(_is_role_word(m.group(0), lang) for m in chosen):
            found.append((key, chosen[0].start(), chosen[-1].end()))
    return found


def _appositions(
    text: str, owners: list[tuple[int, int, str, str]], lang: str, sentences: list[Sentence]
) -> list[tuple[str, int, int]]:
    """ "X, a banker once seen as ...," -> "a banker once seen as ..."."""
    stop = words(lang, "stopwords")
    found = []
    for start, end, key, etype in owners:
        if etype not in ("PER", "ORG") or not text.startswith(", ", end):
            continue
        sentence_end = next((s.end for s in sentences if s.start <= start < s.end), len(text))
        begin = end + 2
        stop_at = _APPOSITION_END.search(text, begin, sentence_end)
        finish = stop_at.start() if stop_at else sentence_end
        phrase = text[begin:finish].strip()
        tokens = _WORD.findall(phrase)
        if not tokens or len(tokens) > _MAX_APPOSITION_WORDS or not tokens[0][0].islower():
            continue
        first = tokens[0].lower()
        if lang == "en":
            if not _english_noun_phrase(text, begin, etype):
                continue
        elif first in stop or not any(_is_role_word(t, lang) for t in tokens[:4]):
            continue
        if any(o[0] == begin for o in owners):
            continue
        found.append((key, begin, begin + len(phrase)))
    return found


def _english_noun_phrase(text: str, begin: int, etype: str) -> bool:
    """Whether an English apposition starting at ``begin`` is a noun phrase, singular for a person."""
    doc = english_doc(text)
    tok = english_token_at(text, begin)
    if tok is None:
        return False
    if tok.pos_ == "DET":
        if tok.lower_ not in _EN_ARTICLES or tok.i + 1 >= len(doc):
            return False
        tok = doc[tok.i + 1]
    if tok.pos_ not in ("ADJ", "NOUN", "PROPN") or tok.tag_ == "VBG":
        return False
    head = next((t for t in doc[tok.i : tok.i + 6] if t.pos_ == "NOUN"), None)
    return head is not None and not (etype == "PER" and head.tag_ == "NNS")


def _role_references(
    text: str,
    sentences: list[Sentence],
    owners: list[tuple[int, int, str, str]],
    lang: str,
    refs: References,
    labels: dict[str, list[str]],
) -> list[tuple[str, int, int]]:
    """Role phrases standing for a person named elsewhere ("the former head of state")."""
    roles = sorted({r for g in role_groups(lang) for r in g}, key=len, reverse=True)
    if not roles:
        return []
    modifier = r"(?:[^\W\d_][\w-]*\s+){0,2}?" if lang == "en" else r"(?:[^\W\d_][\w'’-]*\s+){0,1}?"
    lead = r"(?:\b(?:the|this|that)\s+)" if lang == "en" else r"(?<!\w)"
    pattern = re.compile(
        lead
        + "("
        + modifier
        + "(?:"
        + "|".join(re.escape(r[: max(3, len(r) - 1)]) + r"\w{0,3}" for r in roles)
        + r"))(?!\w)",
        re.IGNORECASE,
    )
    found = []
    taken = [(o[0], o[1]) for o in owners]
    for m in pattern.finditer(text):
        start, end = m.span(1)
        after = text[end : end + 2]
        if lang != "en" and text[start].isupper() and start not in {s.start for s in sentences}:
            continue
        nxt = _WORD.match(text, end + 1) if after.startswith(" ") else None
        if nxt is not None and any(a == nxt.start() for a, _ in taken):
            continue  # a pre-name label, found elsewhere
        if any(a <= start < b for a, b in taken) or (lang == "en" and _plural_en(text, end)):
            continue
        if lang == "en" and re.search(r"\bas\s+$", text[max(0, m.start() - 4) : m.start()], re.IGNORECASE):
            continue  # "refused to recognise X as the legitimate president": a status in question, not a label
        key = refs.role(m.group(1), start, labels)
        if key is not None:
            found.append((key, start, end))
    return found


def _plural_en(text: str, end: int) -> bool:
    doc = english_doc(text)
    span = doc.char_span(end - 1, end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[-1].tag_ in ("NNS", "NNPS")


def attached_labels(
    text: str, sentences: list[Sentence], entities: list[Entity], language: str | None
) -> list[Descriptor]:
    """Pre-name labels and appositions: the descriptors written next to a name."""
    lang = language_key(language)
    owners = _mention_owner(entities)
    spans = _english_labels(text, owners, lang) if lang == "en" else _rule_pre_labels(text, owners, lang)
    spans += _appositions(text, owners, lang, sentences)
    return _to_descriptors(text, sentences, spans)


def _to_descriptors(
    text: str, sentences: list[Sentence], spans: list[tuple[str, int, int]]
) -> list[Descriptor]:
    out: dict[tuple[str, int, int], Descriptor] = {}
    for key, start, end in sorted(spans, key=lambda s: (s[1], s[2])):
        index = next((s.index for s in sentences if s.start <= start < s.end), 0)
        out.setdefault(
            (key, start, end),
            Descriptor(entity=key, text=text[start:end], start=start, end=end, sentence=index),
        )
    return list(out.values())


def find_descriptors(
    text: str, sentences: list[Sentence], entities: list[Entity], language: str | None
) -> list[Descriptor]:
    """Find the labels attached to entities, and role phrases referring back to them.

    Args:
        text: the article's clean text.
        sentences: its sentences.
        entities: its entities from :func:`find_entities`.
        language: ISO 639-1 code.

    Returns:
        Descriptors in text order, each pointing at an ``Entity.key``.
    """
    lang = language_key(language)
    attached = attached_labels(text, sentences, entities, language)
    labels: dict[str, list[str]] = {}
    for d in attached:
        labels.setdefault(d.entity, []).append(d.text)
    refs = References(entities, sentences, language)
    owners = _mention_owner(entities)
    roles = _role_references(text, sentences, owners, lang, refs, labels)
    inside = [(d.start, d.end) for d in attached]
    roles = [r for r in roles if not any(a <= r[1] < b for a, b in inside)]
    merged = [(d.entity, d.start, d.end) for d in attached] + roles
    return _to_descriptors(text, sentences, merged)
