"""Language identification: py3langid (as used, with the Cyrillic second pass) vs lingua.

Accuracy on the labelled sentences of tests/resources/labelled/<lang>.jsonl (one news sentence or
short paragraph each, six languages) and time per text. Rewrites its section of benchmarks/results.md.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

from results_file import replace_section  # benchmarks/ is on sys.path when run as a script

from rashomon.analyse.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "resources" / "labelled"
LANGUAGES = ["en", "ru", "be", "uk", "pl", "de"]


def _texts() -> list[tuple[str, str]]:
    items = []
    for lang in LANGUAGES:
        for line in (LABELLED / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append((lang, json.loads(line)["text"]))
    return items


def _lingua() -> object | None:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    chosen = [Language.ENGLISH, Language.RUSSIAN, Language.BELARUSIAN, Language.UKRAINIAN, Language.POLISH,
              Language.GERMAN]
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()


def right_answers(items: list[tuple[str, str]]) -> int:
    """How many of the (language, text) items rashomon's detector labels right."""
    return sum(detect_language(text) == lang for lang, text in items)


def main() -> None:
    """Measure both detectors and write the table."""
    items = _texts()
    rows = []
    detect_language("warm up the model")
    started = time.perf_counter()
    right = right_answers(items)
    rows.append(("py3langid (all languages, Cyrillic re-ranked)", right, time.perf_counter() - started))
    detector = _lingua()
    if detector is not None:
        started = time.perf_counter()
        found = [detector.detect_language_of(text) for _, text in items]  # type: ignore[attr-defined]
        codes = [f.iso_code_639_1.name.lower() if f else None for f in found]
        right = sum(code == lang for code, (lang, _) in zip(codes, items, strict=True))
        rows.append(("lingua (6 languages, preloaded)", right, time.perf_counter() - started))
    lines = [
        f"Run {date.today()}, `python benchmarks/bench_language.py`: {len(items)} labelled news sentences "
        f"({', '.join(LANGUAGES)}).", "",
        "| detector | accuracy | ms per text |", "|---|---|---|",
    ]
    for name, right, seconds in rows:
        share, per_text = right / len(items), 1000 * seconds / len(items)
        lines.append(f"| {name} | {right}/{len(items)} ({share:.3f}) | {per_text:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    replace_section(ROOT / "benchmarks" / "results.md", "## Language identification", text)


if __name__ == "__main__":
    main()
