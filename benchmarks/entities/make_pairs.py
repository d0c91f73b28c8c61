"""Write pairs.tsv from the hand-written lists beside it (see README.md).

spellings.txt: one block per real entity, ``@id TYPE note`` then one spelling per line
(``name<TAB>language[<TAB>kind]``); the first spelling is the reference. negatives.tsv: pairs of
different entities, written out one by one. Positives are the reference against every other
spelling, plus one pair of two Cyrillic forms of different languages, one pair of two Latin forms
and (persons) one more Latin/Cyrillic pair per entity. The split is drawn from a hash of the entity id
(negatives: of note and first name), so all pairs of one entity are on one side.

    .venv/bin/python benchmarks/entities/make_pairs.py
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from rashomon.names import script

HERE = Path(__file__).resolve().parent
Row = tuple[str, str, str, str, str, int, str, str, str]


def _split(key: str) -> str:
    return "test" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def _entities() -> list[tuple[str, str, str, list[tuple[str, str, str]]]]:
    out: list[tuple[str, str, str, list[tuple[str, str, str]]]] = []
    for line in (HERE / "spellings.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            eid, type_, note = line[1:].split(" ", 2)
            out.append((eid, type_, note, []))
        else:
            name, lang, *kind = line.split("\t")
            out[-1][3].append((name, lang, kind[0] if kind else ""))
    return out


def _kind(a: str, b: str, tag: str) -> str:
    if tag:
        return tag
    if script(a) != script(b):
        return "cross-script"
    return "cyrillic-variant" if script(a) == "Cyrl" else "transliteration"


def pairs() -> list[Row]:
    """Every labelled pair, positives first."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()

    def add(a: tuple[str, str], b: tuple[str, str], type_: str, same: int, kind: str, note: str, split: str) -> None:
        key = (min(a[0], b[0]), max(a[0], b[0]))
        if a[0] != b[0] and key not in seen:
            seen.add(key)
            rows.append((a[0], a[1], b[0], b[1], type_, same, kind, note, split))

    for eid, type_, note, spellings in _entities():
        split, (ref, ref_lang, _) = _split(eid), spellings[0]
        for name, lang, tag in spellings[1:]:
            add((ref, ref_lang), (name, lang), type_, 1, _kind(ref, name, tag), note, split)
        cyr = [(n, la) for n, la, tag in spellings if script(n) == "Cyrl" and not tag]
        lat = [(n, la) for n, la, tag in spellings[1:] if script(n) == "Latn" and not tag]
        if len(cyr) >= 2 and cyr[0][1] != cyr[1][1]:
            add(cyr[0], cyr[1], type_, 1, "cyrillic-variant", note, split)
        if len(lat) >= 2:
            add(lat[0], lat[-1], type_, 1, "transliteration", note, split)
        if lat and cyr and type_ == "PER":
            add(lat[-1], cyr[-1], type_, 1, "cross-script", note, split)
    for line in (HERE / "negatives.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, la, b, lb, type_, kind, note = line.split("\t")
            add((a, la), (b, lb), type_, 0, kind, note, _split(note + a))
    return rows


def main() -> None:
    rows = pairs()
    header = "name_a\tlang_a\tname_b\tlang_b\ttype\tsame\tkind\tnote\tsplit\n"
    text = header + "".join("\t".join(map(str, r)) + "\n" for r in rows)
    (HERE / "pairs.tsv").write_text(text, encoding="utf-8")
    print(len(rows), "pairs:", dict(Counter(r[5] for r in rows)), dict(Counter(r[8] for r in rows)))


if __name__ == "__main__":
    main()
