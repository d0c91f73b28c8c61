"""Direct quotations and reported speech, with the speaker resolved to an entity where possible.

Direct quotes are found by their marks in every style (“…”, "…", «…», „…“, ‘…’, ‚…‘, »…«).
Reported speech is a verb of saying followed by a clause ("said that …", "заявіў, што …"; for
English any clause spaCy parses as the verb's complement) or an attribution phrase ("according to
X, …", "по словам X", "laut X"). Speakers: a named entity next to the verb (its subject for
English), else a pronoun resolved to the last person of a matching gender, else a role phrase
("the former head of state") resolved through the article's descriptors. Verb and phrase lists
live in ``data/lexicons/<lang>/``.
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Entity, Quote, Sentence
from .coref import References
from .descriptors import attached_labels
from .entities import _is_org_word
from .nlp import english_doc, english_token_at
from .wordlists import language_key, role_groups, tagged, words

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
# (opening, closing) marks, outermost styles first; ‘…’ only between non-letters (apostrophes)
_MARKS = [
    re.compile(r"«((?:[^«»\n]|«[^«»\n]*»)+)»"),
    re.compile(r"„([^„“”\n]+)[“”]"),
    re.compile(r"“([^“”\n]+)”"),
    re.compile(r"‚([^‚‘’\n]+)[‘’]"),
    re.compile(r"‹([^‹›\n]+)›"),
    re.compile(r"»([^»«\n]+)«"),
    re.compile(r'"([^"\n]+)"'),
    re.compile(r"(?<!\w)‘([^‘’\n]+)’(?!\w)"),
]
_MIN_QUOTE_WORDS = 3
_MIN_CLAUSE_WORDS = 2  # "сказал, что страна просыпается": a complementizer makes a two-word clause speech
_TITLE_WORD_LEN = 3  # "Pool of the First": every word longer than this capitalised -> a name, not a quote
_WINDOW_WORDS = 4
_SOURCE_WORDS = 4  # "nach Angaben der Zeitung „X“": words between the phrase and a source's name in marks
_CLAUSE_TRIM = " \t,.;:—–-"
_PARTICLE_WORDS = 6  # a separable verb's particle follows within this many words ("gibt Piotr Nowak zu")
# Languages that capitalise common nouns: a capitalised one- or two-word quotation (»Racheakt«) is no name.
_NOUN_CAPITALS = frozenset({"de"})
# Languages that report speech as a bare clause after a comma, the verb in the subjunctive ("sagte, er sei").
_COMMA_CLAUSE = frozenset({"de"})
_CLAUSE_PUNCT = re.compile(r"[,;:.!?«»„“”\"]")
_SEGMENT_END = re.compile(r"[,;:.!?]")  # marks around a name («Белавія») do not end an attribution

# Dependencies that keep a word part of the name or apposition of the noun they hang on.
_NAME_LINKS = frozenset({"compound", "flat", "appos", "nmod"})


def _direct_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(mark start, mark end, inner start, inner end) of every quotation, outermost first."""
    found: list[tuple[int, int, int, int]] = []
    for pattern in _MARKS:
        for m in pattern.finditer(text):
            if all(m.end() <= a or m.start() >= b for a, b, *_ in found):
                found.append((m.start(), m.end(), m.start(1), m.end(1)))
    return sorted(found)


def _is_quotation(inner: str, *, capitalised_ok: bool = False) -> bool:
    """Whether quoted text is a quotation rather than a name or title.

    Args:
        inner: the text between the marks.
        capitalised_ok: whether a short capitalised phrase may be a quotation (German nouns, no entity).
    """
    tokens = _WORD.findall(inner)
    if len(tokens) < _MIN_QUOTE_WORDS:  # a scare-quoted phrase ("aktem zemsty"), kept if a verb says it
        return bool(tokens) and (capitalised_ok or inner.strip()[:1].islower())
    long_words = [t for t in tokens if len(t) > _TITLE_WORD_LEN]
    # "ein Signal der Stabilität" starts with a small word: a phrase, not a title like "Pool of the First"
    title_like = len(long_words) >= 2 and tokens[0][0].isupper() and all(t[0].isupper() for t in long_words)
    return not title_like or inner.rstrip()[-1:] in ".!?…"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _CLAUSE_TRIM + " ":
        start += 1
    while end > start and text[end - 1] in _CLAUSE_TRIM + " ":
        end -= 1
    return start, end


class _Finder:
    """Quote finding over one article, sharing the look-ups the steps need."""

    def __init__(self, text: str, sentences: list[Sentence], entities: list[Entity], lang: str) -> None:
        self.text, self.sentences, self.lang = text, sentences, lang
        self.refs = References(entities, sentences, lang)
        self.labels: dict[str, list[str]] = {}
        for d in attached_labels(text, sentences, entities, lang):
            self.labels.setdefault(d.entity, []).append(d.text)
        self.verbs = tagged(lang, "speech_verbs")
        # separable verbs ("fügte hinzu", "gibt zu"): first word -> particles that complete it
        self.particles: dict[str, set[str]] = {}
        for form in self.verbs:
            if " " in form:
                self.particles.setdefault(form.split()[0], set()).add(form.split()[-1])
        self.pronouns = tagged(lang, "pronouns")
        self.roles = {r for g in role_groups(lang) for r in g}
        self.according = _phrase_pattern(words(lang, "according_to"))
        self.as_words = words(lang, "as_words")
        self.attributions: list[tuple[int, int]] = []  # "– mówi Suchy" inside a quotation's marks
        spans = _direct_spans(text)
        self.marks = [
            m
            for m in spans
            if _is_quotation(
                text[m[2] : m[3]],
                capitalised_ok=lang in _NOUN_CAPITALS and not self.refs.at(m[2], m[3], overlapping=True),
            )
            and not self._names_source(m[0])
            and not self._inside_name(m[2], m[3])
        ]
        self.named = [m for m in spans if m not in self.marks]  # names and titles in marks: «Białe Wieże»
        self.marks += self._dash_lines()
        self.marks.sort()
        self.splits = {m: self._split_attribution(m[2], m[3]) for m in self.marks}
        self.attributions = [a for _, a in self.splits.values() if a is not None]

    def _inside_name(self, start: int, end: int) -> bool:
        """Whether quoted text is part of a non-person name the tagger found: ОАО «X», the «Y» party."""
        return any(
            a <= start and end <= b and self.refs.type_of(key) != "PER"
            for a, b, key in self.refs.at(start, end, overlapping=True)
        )

    def _names_source(self, mark_start: int) -> bool:
        """Whether marks opening at ``mark_start`` hold the name of a source: "laut dem Sender „X“"."""
        sentence = self.sentence_of(mark_start)
        phrases = list(self.according.finditer(self.text, sentence.start, mark_start))
        if not phrases:
            return False
        between = self.text[phrases[-1].end() : mark_start]
        return not _CLAUSE_PUNCT.search(between) and len(_WORD.findall(between)) <= _SOURCE_WORDS

    def sentence_of(self, position: int) -> Sentence:
        return next((s for s in self.sentences if s.start <= position < s.end), self.sentences[-1])

    def quoted(self, position: int) -> bool:
        """Whether ``position`` lies inside a quotation's marks but not in an attribution there."""
        return any(a <= position < b for a, b, *_ in self.marks) and not any(
            a <= position < b for a, b in self.attributions
        )

    # speakers ---------------------------------------------------------------------------------

    def resolve(self, start: int, end: int, *, gender: str = "-") -> tuple[str | None, str | None]:
        """(entity key, words naming it) for a speaker phrase at ``[start, end)``."""
        start, end = _trim(self.text, start, end)
        if start >= end:
            return None, None
        inside = [m for m in self.refs.at(start, end, overlapping=True) if not self.quoted(m[0])]
        people = [m for m in inside if self.refs.type_of(m[2]) == "PER"]
        # an organisation, else whatever the tagger called it when it opens the phrase: a country or a
        # mistyped name can speak ("Poland said"), a place inside "residents of the X district" does not
        speakers = (people or [m for m in inside if self.refs.type_of(m[2]) == "ORG"]
                    or [m for m in inside if not _lowercase_words(self.text[start : m[0]])])
        if speakers:
            return speakers[-1][2], self.text[speakers[-1][0] : speakers[-1][1]]
        phrase = self.text[start:end]
        tokens = [t.lower() for t in _WORD.findall(phrase)]
        for token in tokens:
            if token in self.pronouns:
                return self.refs.pronoun(start, self.pronouns[token]), phrase
        if any(r in phrase.lower() for r in self.roles):
            return self.refs.role(phrase, start, self.labels), phrase
        return None, None

    def near_verb(
        self, verb_start: int, verb_end: int, limit: tuple[int, int]
    ) -> tuple[str | None, str | None]:
        """Speaker of a verb by the rules: a person named before it in its clause (the subject), else
        one right after it ("— сказал Сухой", "sagte Müller"), else any entity there, else the name an
        apposition puts before the comma ("Der Vorsitzende, Marek Z., sagte"), a pronoun, a role."""
        after = [m for m in _WORD.finditer(self.text, verb_end, limit[1])][:_WINDOW_WORDS]
        after = [m for m in after if not self.quoted(m.start())]
        cut = next(
            (
                k
                for k, m in enumerate(after)
                if re.search(r"[,.;:]", self.text[verb_end : m.start()])
                or any(verb_end <= mark[0] < m.start() for mark in self.marks)  # not «Аэрофлота», a name
            ),
            None,
        )
        after = after[:cut] if cut is not None else after
        before_start = max(limit[0], self._clause_start(verb_start, limit[0]))
        windows = []
        if before_start < verb_start:
            windows.append((before_start, verb_start))
        if after:
            windows.append((after[0].start(), after[-1].end()))
        named = [[m for m in self.refs.at(a, b, overlapping=True) if not self.quoted(m[0])] for a, b in windows]
        for kind in ("PER", None):
            for (a, b), mentions in zip(windows, named, strict=True):
                if any(kind is None or self.refs.type_of(m[2]) == kind for m in mentions):
                    return self.resolve(a, b)
        if not _WORD.search(self.text, before_start, verb_start):
            apposition = self._apposition_before(before_start, limit[0])
            if apposition is not None:
                return apposition
        for a, b in windows:
            key, said = self.resolve(a, b)
            if said is not None:
                return key, said
        gender = self.verbs.get(self.text[verb_start:verb_end].lower(), "-")
        if gender in ("M", "F"):
            return self.refs.pronoun(verb_start, gender), None
        return None, None

    def _apposition_before(self, comma_end: int, floor: int) -> tuple[str, str] | None:
        """The person in ", Name," right before a verb: the subject's apposition."""
        segment_start = self._clause_start(max(floor, comma_end - 1), floor)
        if segment_start >= comma_end or self.text[comma_end - 1 : comma_end] != ",":
            return None
        people = [
            m
            for m in self.refs.at(segment_start, comma_end, overlapping=True)
            if self.refs.type_of(m[2]) == "PER" and not self.quoted(m[0])
        ]
        words_ = _WORD.findall(self.text, segment_start, comma_end)
        if len(people) != 1 or len(words_) > len(self.text[people[0][0] : people[0][1]].split()):
            return None
        return people[0][2], self.text[people[0][0] : people[0][1]]

    def _clause_start(self, position: int, floor: int) -> int:
        """Where the clause ending at ``position`` starts: after the last comma, colon, dash or quotation.

        Marks around a name («Укрзализныця») do not end a clause; only those of quotations do.
        """
        cut = floor
        edges = {x for mark in self.marks for x in (mark[0], mark[1])}
        for m in re.finditer(r"[,;:»”\"“«„—–]", self.text[floor:position]):
            if m.group(0) in ",;:—–" or floor + m.start() in edges or floor + m.end() in edges:
                cut = floor + m.end()
        return cut

    def verb_speaker(
        self, verb_start: int, verb_end: int, limit: tuple[int, int]
    ) -> tuple[str | None, str | None]:
        if self.lang == "en":
            tok = english_token_at(self.text, verb_start)
            while (
                tok is not None
                and tok.dep_ == "conj"
                and not any(c.dep_.startswith("nsubj") for c in tok.children)
            ):
                tok = tok.head  # "… but claimed that …": the subject of the first verb
            subject = (
                next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None) if tok else None
            )
            if subject is not None:
                named = self._named_subject(subject)
                if named is not None:
                    return named
                sub = list(subject.subtree)
                return self.resolve(sub[0].idx, sub[-1].idx + len(sub[-1]))
        return self.near_verb(verb_start, verb_end, limit)

    def _named_subject(self, subject: Any) -> tuple[str, str] | None:
        """The person the subject itself names, not one inside its modifiers.

        In "the head of X, Alexei V., following a meeting between P and L, said …" the subject
        is "head"; V. is its apposition, while P and L sit in a prepositional modifier.
        """
        for start, end, key in self.refs.at(subject.idx, subject.head.idx if subject.head.i > subject.i
                                            else len(self.text)):
            if self.refs.type_of(key) != "PER" or self.quoted(start):
                continue
            token = english_token_at(self.text, start)
            while token is not None and token.i != subject.i and token.dep_ in _NAME_LINKS:
                token = token.head
            if token is not None and token.i == subject.i:
                return key, self.text[start:end]
        return None

    def speech_verbs(self, start: int, end: int) -> list[re.Match[str]]:
        return [m for m in _WORD.finditer(self.text, start, end) if self.is_verb(m) and not self.quoted(m.start())]

    def is_verb(self, word: re.Match[str]) -> bool:
        """Whether a word is a verb of saying; a separable one needs its particle later in the clause."""
        lowered = word.group(0).lower()
        if lowered in self.verbs:
            return True
        particles = self.particles.get(lowered)
        if not particles:
            return False
        stop = _CLAUSE_PUNCT.search(self.text, word.end())
        clause_end = stop.start() if stop else len(self.text)
        following = _WORD.findall(self.text, word.end(), clause_end)[:_PARTICLE_WORDS]
        return any(w.lower() in particles for w in following)

    # quotes -----------------------------------------------------------------------------------

    def direct(self) -> list[Quote]:
        quotes = []
        previous: tuple[int, str | None] = (-1, None)  # (end of the last quotation's sentence, its speaker)
        for mark in self.marks:
            mark_start, mark_end, inner_start, inner_end = mark
            first, last = self.sentence_of(mark_start), self.sentence_of(max(mark_start, mark_end - 1))
            limit = (first.start, last.end)
            parts, attribution = self.splits[mark]
            verbs = self.speech_verbs(*limit)
            source = self._source_phrase(limit)
            key, said = None, None
            if attribution is not None:  # „A – przyznaje X. – B”: the speaker is named inside the marks
                verb = _WORD.match(self.text, attribution[0])
                assert verb is not None  # _split_attribution starts an attribution at its verb
                key, said = self.near_verb(verb.start(), verb.end(), attribution)
            elif verbs:
                verb = min(verbs, key=lambda m: min(abs(m.start() - mark_end), abs(m.end() - mark_start)))
                key, said = self.verb_speaker(verb.start(), verb.end(), limit)
            elif source is not None:  # "По её словам, «…»"
                key, said = self.resolve(*source)
            elif len(_WORD.findall(self.text[inner_start:inner_end])) < _MIN_QUOTE_WORDS:
                continue  # a short quoted phrase no verb attributes: a title or a scare quote
            else:
                key, said = self._colon_speaker(mark_start, limit)
                if key is None and not self.text[previous[0] : mark_start].strip(" \t\n–—-"):
                    key = previous[1]  # a quotation opening the next sentence or paragraph: the same voice
            previous = (last.end, key)
            for a, b in parts:
                while a < b and (self.text[a].isspace() or self.text[a] in "–—"):
                    a += 1
                while b > a and (self.text[b - 1].isspace() or self.text[b - 1] in ",:;–—"):
                    b -= 1  # '"…," he said': the comma is the reporter's, a full stop is the speaker's
                if b > a:
                    index = self.sentence_of(a).index
                    quotes.append(Quote(self.text[a:b], a, b, index, True, key, said))
            if key is not None:
                self.refs.speakers.append((mark_start, key))
        return quotes

    def _split_attribution(
        self, start: int, end: int
    ) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
        """Cut "A – przyznaje X. – B" into the quoted parts and the attribution between them."""
        for dash in re.finditer(r"\s[–—]\s*", self.text[start:end]):
            word = _WORD.match(self.text, start + dash.end())
            if word is None or not self.is_verb(word):
                continue
            attr_start = start + dash.start()
            resume = re.compile(r"[.,]\s*[–—]\s").search(self.text, word.end(), end)
            attr_end = resume.start() + 1 if resume else end
            parts = [(start, attr_start)] + ([(resume.end(), end)] if resume else [])
            return parts, (start + dash.end(), attr_end)
        return [(start, end)], None

    def _dash_lines(self) -> list[tuple[int, int, int, int]]:
        """Dialogue dashes: "– Zakład nie może działać bez nas – mówi Suchy" and the dash lines that
        directly follow one such line (the same speaker goes on)."""
        found: list[tuple[int, int, int, int]] = []
        for line in re.finditer(r"(?m)^[ \t]*[–—-][ \t]+(.+)$", self.text):
            if self.quoted(line.start(1)):
                continue
            _, attribution = self._split_attribution(line.start(1), line.end(1))
            follows = bool(found) and not self.text[found[-1][1] : line.start()].strip()
            if attribution is not None or follows:
                found.append((line.start(), line.end(), line.start(1), line.end(1)))
        # "… łodzi. – Stan jest wyjątkowy – mówi Kim.": a dash opening a sentence inside a paragraph
        for dash in re.finditer(r"(?<=[.!?…]) [–—][ \t]+", self.text):
            end = self.sentence_of(dash.end()).end
            if self.quoted(dash.end()) or any(a <= dash.end() < b for a, b, *_ in found):
                continue
            _, attribution = self._split_attribution(dash.end(), end)
            if attribution is not None:
                found.append((dash.start() + 1, end, dash.end(), end))
        return found

    def _source_phrase(self, limit: tuple[int, int]) -> tuple[int, int] | None:
        """The source after "according to" / "по словам" outside quotations in ``limit``, up to a comma."""
        for m in self.according.finditer(self.text, *limit):
            if self.quoted(m.start()):
                continue
            stop = _CLAUSE_PUNCT.search(self.text, m.end(), limit[1])
            return m.start(), stop.start() if stop else limit[1]  # from the phrase: "по её словам"
        return None

    def _colon_speaker(self, mark_start: int, limit: tuple[int, int]) -> tuple[str | None, str | None]:
        """ "X: «…»" (a name, "Его ответ был коротким:"), or the only person named outside the quotes."""
        lead = self.text[limit[0] : mark_start].rstrip()
        outside = [m for m in self.refs.at(*limit) if not self.quoted(m[0])]
        people = [m for m in outside if self.refs.type_of(m[2]) == "PER"]
        if lead.endswith(":"):
            key, said = self.resolve(limit[0], mark_start)
            if said is not None:
                return key, said
        if len({m[2] for m in people}) == 1:
            return people[0][2], self.text[people[0][0] : people[0][1]]
        return None, None

    def reported(self) -> list[Quote]:
        quotes = self._english_reported() if self.lang == "en" else self._rule_reported()
        return quotes + self._according_to() + self._as_clauses()

    def _english_reported(self) -> list[Quote]:
        doc = english_doc(self.text)
        quotes: list[Quote] = []
        for tok in doc:
            if tok.lower_ not in self.verbs or self.quoted(tok.idx):
                continue
            clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if clause is None:
                continue
            span = list(clause.subtree)
            words_ = [t for t in span if t.dep_ != "mark"]
            sentence = self.sentence_of(tok.idx)
            if words_[0].idx < sentence.start:
                continue
            a, b = _trim(self.text, words_[0].idx, min(span[-1].idx + len(span[-1]), sentence.end))
            if b <= tok.idx + len(tok) and any(a < m[1] and b > m[0] for m in self.marks):
                continue  # the verb introduces a quote before it: '"…," he said'
            if len(_WORD.findall(self.text[a:b])) < _MIN_QUOTE_WORDS or self._overlaps_quote(a, b):
                continue
            key, said = self.verb_speaker(tok.idx, tok.idx + len(tok), (sentence.start, sentence.end))
            self._add(quotes, Quote(self.text[a:b], a, b, sentence.index, False, key, said))
        return quotes

    def _comma_after(self, verb: re.Match[str], end: int) -> int | None:
        """The comma after "sagte [am Dienstag]" that opens a clause of reported speech, if any.

        Not when the verb attributes a quotation just before it ("„…“, sagte er, als …").
        """
        stop = _CLAUSE_PUNCT.search(self.text, verb.end(), end)
        if stop is None or stop.group(0) != ",":
            return None
        if len(_WORD.findall(self.text, verb.end(), stop.start())) > _WINDOW_WORDS:
            return None
        if any(m[1] <= verb.start() and not _WORD.search(self.text, m[1], verb.start()) for m in self.marks):
            return None
        return stop.start()

    def _as_clauses(self) -> list[Quote]:
        """ "Как сообщила пресс-служба X, …", "…, wie das Statistikamt mitteilte": the rest is reported."""
        quotes: list[Quote] = []
        for sentence in self.sentences:
            for word in _WORD.finditer(self.text, sentence.start, sentence.end):
                if word.group(0).lower() not in self.as_words or self.quoted(word.start()):
                    continue
                lead = self.text[sentence.start : word.start()].rstrip(" –—")
                if lead and not lead.endswith(","):
                    continue
                stop = _SEGMENT_END.search(self.text, word.end(), sentence.end)
                seg_end = stop.start() if stop else sentence.end
                verbs = self.speech_verbs(word.end(), seg_end)
                if not verbs:
                    continue
                if lead:
                    a, b = _trim(self.text, sentence.start, word.start())
                else:
                    a, b = _trim(self.text, seg_end, sentence.end)
                if len(_WORD.findall(self.text[a:b])) < _MIN_QUOTE_WORDS or self._overlaps_quote(a, b):
                    continue
                key, said = self.near_verb(verbs[0].start(), verbs[0].end(), (word.end(), seg_end))
                self._add(quotes, Quote(self.text[a:b], a, b, sentence.index, False, key, said))
        return quotes

    def _verb_between(self, a: int, b: int) -> bool:
        """Whether words follow the source before the comma ("Zdaniem X wybory były …, bo …")."""
        return len(_WORD.findall(self.text[a:b])) >= 2

    def _overlaps_quote(self, a: int, b: int) -> bool:
        inner = [(s, e) for _, _, s, e in self.marks]
        return any(a <= s and e <= b and (e - s) > (b - a) * 0.6 for s, e in inner) or any(
            s <= a and b <= e for s, e in inner
        )

    def _rule_reported(self) -> list[Quote]:
        complementizers = words(self.lang, "complementizers")
        quotes: list[Quote] = []
        for sentence in self.sentences:
            for verb in self.speech_verbs(sentence.start, sentence.end):
                follow = list(_WORD.finditer(self.text, verb.end(), sentence.end))[:_WINDOW_WORDS]
                comp = next((m for m in follow if m.group(0).lower() in complementizers), None)
                lead = self.text[sentence.start : verb.start()].rstrip(" –—")
                comma = self._comma_after(verb, sentence.end) if self.lang in _COMMA_CLAUSE else None
                if comp is not None:
                    a, b = _trim(self.text, comp.end(), sentence.end)
                    limit = (sentence.start, comp.start())
                elif comma is not None:  # "sagte am Dienstag, die Lage sei …", "X, Y, teilte mit, …"
                    a, b = _trim(self.text, comma + 1, sentence.end)
                    limit = (sentence.start, comma)
                elif lead.endswith(",") and not self.quoted(sentence.start):  # "…, podał GUS."
                    a, b = _trim(self.text, sentence.start, len(lead) + sentence.start - 1)
                    limit = (verb.end(), sentence.end)
                else:
                    continue
                least = _MIN_CLAUSE_WORDS if comp is not None else _MIN_QUOTE_WORDS
                if len(_WORD.findall(self.text[a:b])) < least or self._overlaps_quote(a, b):
                    continue
                if limit[0] == verb.end():  # the speaker follows the verb: "…, poinformowała jego żona Daria"
                    key, said = self.resolve(verb.end(), sentence.end)
                else:
                    key, said = self.near_verb(verb.start(), verb.end(), limit)
                self._add(quotes, Quote(self.text[a:b], a, b, sentence.index, False, key, said))
        return quotes

    def _according_to(self) -> list[Quote]:
        quotes: list[Quote] = []
        for sentence in self.sentences:
            seen_end = sentence.start
            for m in self.according.finditer(self.text, sentence.start, sentence.end):
                if m.start() < seen_end or self.quoted(m.start()):
                    continue
                lead = self.text[sentence.start : m.start()].strip(" ,")
                trailing = len(_WORD.findall(lead)) >= _MIN_QUOTE_WORDS  # "…, according to its captain, X."
                comma = -1 if trailing else self.text.find(",", m.end(), sentence.end)
                source_end = comma if comma != -1 else sentence.end
                mentions = [
                    x for x in self.refs.at(m.end(), source_end, overlapping=True) if not self.quoted(x[0])
                ]
                words_after = bool(mentions) and self._verb_between(mentions[0][1], comma)
                if not trailing and (comma == -1 or words_after):
                    source_end = mentions[0][1] if mentions else source_end  # "Laut X ist …": no comma
                    if not mentions and self.resolve(m.start(), m.end())[1] is not None:
                        source_end = m.end()  # "Jej zdaniem strony są …": the phrase names its source
                    # "Laut dem Sender „X“ sprach …": the source's name in marks is part of the source
                    source_end = next((b for a, b, *_ in self.named
                                       if source_end <= a and not self.text[source_end:a].strip()), source_end)
                key, said = self.resolve(m.start(), source_end)  # the phrase may hold a pronoun: "jej zdaniem"
                if said is not None and self.outlet(m.end(), source_end):
                    # the channel, not a person its name was mistaken for: the words tell what it is
                    said = " ".join(self.text[slice(*_trim(self.text, m.end(), source_end))].split())
                if trailing:
                    a, b = _trim(self.text, sentence.start, m.start())
                else:
                    a, b = _trim(self.text, source_end, sentence.end)
                seen_end = max(source_end, m.end())
                if len(_WORD.findall(self.text[a:b])) < _MIN_QUOTE_WORDS or self._overlaps_quote(a, b):
                    continue
                self._add(quotes, Quote(self.text[a:b], a, b, sentence.index, False, key, said))
        return quotes

    def outlet(self, start: int, end: int) -> bool:
        """Whether the source named in ``[start, end)`` is an organisation by its words ("the channel",
        "агенцтва", "der Zeitung") or a name set in marks («…»), whatever type the tagger gave it."""
        return names_organisation(self.text[start:end], self.lang)

    def _add(self, quotes: list[Quote], quote: Quote) -> None:
        """Keep a reported quote and remember its speaker for the pronouns and roles that follow."""
        quotes.append(quote)
        if quote.speaker is not None:
            self.refs.speakers.append((quote.start, quote.speaker))


def _lowercase_words(text: str) -> bool:
    """Whether ``text`` holds a lowercase word of four letters or more (a head noun such as "residents";
    "the", "die", "of" are shorter)."""
    return any(w[0].islower() and len(w) > 3 for w in _WORD.findall(text))


def names_organisation(phrase: str, language: str | None) -> bool:
    """Whether the words naming a speaker name an organisation: a kind of organisation or outlet
    ("the channel", "агенцтва", "der Zeitung"; ``org_keywords``) or a name set in marks («…», “…”)."""
    if any(m[0] < m[1] for m in _direct_spans(phrase)):
        return True
    lang = language_key(language)
    return any(_is_org_word(word, lang) for word in _WORD.findall(phrase))


def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word ``phrases``, longest first (never matches if none)."""
    ordered = sorted(phrases, key=len, reverse=True)
    body = "|".join(map(re.escape, ordered)) if ordered else r"(?!x)x"
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)


def find_quotes(
    text: str, sentences: list[Sentence], entities: list[Entity], language: str | None
) -> list[Quote]:
    """Find direct quotations and reported speech with their speakers.

    Args:
        text: the article's clean text.
        sentences: its sentences.
        entities: its entities; ``Quote.speaker`` is one of their keys.
        language: ISO 639-1 code selecting the verb and phrase lists.

    Returns:
        Quotes in text order; ``direct`` tells quotation from reported speech.
    """
    if not sentences:
        return []
    finder = _Finder(text, sentences, entities, language_key(language))
    quotes = finder.direct() + finder.reported()
    unique = {(q.start, q.end): q for q in sorted(quotes, key=lambda q: (q.start, not q.direct))}
    return sorted(unique.values(), key=lambda q: (q.start, q.end))
