"""Calibrate the statement-alignment threshold on hand-labelled sentence pairs.

Reads ``benchmarks/data/statement_pairs.tsv`` (same statement, possibly with a conflicting detail, vs.
same event, different statement; whole sentences, as the pairs are written),
scores each pair with e5, USE and their mean, and prints ROC AUC and the threshold with the best
accuracy per scorer. Run: ``.venv/bin/python benchmarks/calibrate_alignment.py``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rashomon.embeddings import embed_texts  # noqa: E402

PAIRS = Path(__file__).parent / "data" / "statement_pairs.tsv"


def load() -> tuple[list[str], list[str], np.ndarray]:
    """Texts a, texts b and labels."""
    a, b, labels = [], [], []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _la, ta, _lb, tb = line.split("\t")
        a.append(ta)
        b.append(tb)
        labels.append(int(label != "0"))  # 1 same, 2 same with a conflicting detail: both must align
    return a, b, np.array(labels)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The cut-off with the best accuracy (midpoint between neighbours) and that accuracy."""
    order = np.sort(scores)
    best = (0.0, 0.0)
    for lo, hi in zip(order[:-1], order[1:], strict=True):
        cut = (lo + hi) / 2
        acc = float(np.mean((scores >= cut) == (labels == 1)))
        if acc > best[1]:
            best = (float(cut), acc)
    return best


def main() -> None:
    a, b, labels = load()
    scores: dict[str, np.ndarray] = {}
    for model in ("e5", "use"):
        start = time.perf_counter()
        va, vb = embed_texts(a, model=model), embed_texts(b, model=model)
        took = time.perf_counter() - start
        scores[model] = np.sum(va * vb, axis=1)
        print(f"{model}: {2 * len(a) / took:.0f} sentences/s")
    scores["mean"] = (scores["e5"] + scores["use"]) / 2
    scores["0.9 e5 + 0.1 use"] = 0.9 * scores["e5"] + 0.1 * scores["use"]  # rashomon.compare.E5_WEIGHT
    print(f"{len(labels)} pairs: {int(labels.sum())} same statement, {int((labels == 0).sum())} different")
    print("| scorer | AUC | best cut-off | accuracy | positives min/median | negatives median/max |")
    print("|---|---|---|---|---|---|")
    for name, s in scores.items():
        cut, acc = best_threshold(s, labels)
        pos, neg = s[labels == 1], s[labels == 0]
        print(f"| {name} | {auc(s, labels):.3f} | {cut:.3f} | {acc:.3f} "
              f"| {pos.min():.2f}/{np.median(pos):.2f} | {np.median(neg):.2f}/{neg.max():.2f} |")
    s = scores["0.9 e5 + 0.1 use"]
    pos, neg = s[labels == 1], s[labels == 0]
    cuts = [10, 25, 50, 75, 90]
    print("0.9 e5 + 0.1 use, percentiles 10/25/50/75/90: same statement",
          np.round(np.percentile(pos, cuts), 3), "different", np.round(np.percentile(neg, cuts), 3))


if __name__ == "__main__":
    main()
