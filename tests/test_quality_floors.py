"""Eval gate (trafilatura's tests/eval_gate.py): the fast, deterministic quality benchmarks, run on the
labelled data in the repository, must stay above pinned floors a little under today's figures.

The figures come from the benchmark functions themselves (benchmarks/bench_*.py), so this gate and
``make bench`` cannot measure different things. About 20 s. When a change really lowers a figure,
lower its floor in the same commit and say why; when it raises one, raise the floor.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_analysis  # noqa: E402
import bench_entities  # noqa: E402
import bench_language  # noqa: E402

pytestmark = pytest.mark.quality

# Floors, measured 2026-12-05 (today's figure in the comment; benchmarks/results.md has the tables).
FLOORS = {
    "language accuracy": 0.98,  # 253/255 = 0.992, 6 languages
    "entity pairs precision": 0.995,  # 1.000 on 1,259 pairs, name-only, no embeddings
    "entity pairs recall": 0.87,  # 0.890
    "date accuracy": 0.97,  # 128/128
    "number accuracy": 0.91,  # 183/195 = 0.938
    "NER F1": 0.82,  # P 365/437, R 365/421: 0.851
    "speaker accuracy": 0.93,  # 135/141 = 0.957
    "speaker accuracy (held-out quotes)": 0.90,  # 193/208 = 0.928
    "descriptor recall": 0.69,  # 98/135 = 0.726
}


def _share(right: int, total: int) -> float:
    assert total, "no labelled items"
    return right / total


@pytest.fixture(scope="module")
def analysis() -> dict[str, float]:
    """Micro-averaged analysis figures over the six labelled languages."""
    sums: dict[str, int] = {}
    for language in bench_analysis.LANGUAGES:
        tally, held = bench_analysis.quality(language)
        for key, value in {**vars(tally), **{f"held_{k}": v for k, v in vars(held).items()}}.items():
            if isinstance(value, int):
                sums[key] = sums.get(key, 0) + value
    precision = _share(sums["ent_pred_ok"], sums["ent_pred"])
    recall = _share(sums["ent_gold_ok"], sums["ent_gold"])
    return {
        "date accuracy": _share(sums["dates_ok"], sums["dates"]),
        "number accuracy": _share(sums["numbers_ok"], sums["numbers"]),
        "NER F1": 2 * precision * recall / (precision + recall),
        "speaker accuracy": _share(sums["spk_ok"], sums["spk"]),
        "speaker accuracy (held-out quotes)": _share(sums["held_spk_ok"], sums["held_spk"]),
        "descriptor recall": _share(sums["desc_ok"], sums["desc"]),
    }


def _check(name: str, value: float) -> None:
    assert value >= FLOORS[name], f"{name} fell to {value:.3f}, below its floor {FLOORS[name]}"


def test_language_identification() -> None:
    items = bench_language._texts()
    _check("language accuracy", _share(bench_language.right_answers(items), len(items)))


def test_entity_alias_pairs_without_embeddings() -> None:
    pairs = bench_entities._pairs()
    gold = [pair["same"] == "1" for pair in pairs]
    precision, recall, _ = bench_entities._prf(gold, bench_entities.pair_decisions(pairs, pool=False, embeddings=False))
    _check("entity pairs precision", precision)
    _check("entity pairs recall", recall)


@pytest.mark.parametrize("name", [
    "date accuracy", "number accuracy", "NER F1", "speaker accuracy", "speaker accuracy (held-out quotes)",
    "descriptor recall",
])
def test_analysis(analysis: dict[str, Any], name: str) -> None:
    _check(name, analysis[name])
