"""Reliability: fuzzed inputs, kill -9 during `rashomon add`, overlapping concurrent writers, resource limits.

CI-sized versions; the full runs (10,000 fuzz inputs per format, 1,000 files killed at 20 points,
full-size bombs) are benchmarks/fuzz_ingest.py and benchmarks/bench_reliability.py.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rashomon.ingest import RecordError, read_path
from rashomon.models import Article
from rashomon.pipeline import add_paths
from rashomon.settings import Settings
from rashomon.store import Store, open_store

from .corpus import article, write_mixed
from .fuzzing import (
    FORMATS,
    RESOURCES,
    big_feed,
    bomb_warc,
    check_bytes,
    check_file,
    deep_html,
    measure_read,
    strategy,
    write_jsonl_single_line,
    write_single_line,
)

ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# -- fuzzing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzzed_inputs_are_read_or_rejected_in_one_line(fmt: str, tmp_path: Path) -> None:
    @FUZZ
    @given(strategy(fmt))
    def check(case: tuple[str, bytes]) -> None:
        check_bytes(tmp_path, *case)

    check()


def test_rejections_name_the_file_and_the_reason(tmp_path: Path) -> None:
    """Fuzzed files through the pipeline: every failure is (file, one-line reason); nothing escapes."""
    folder = tmp_path / "in"
    folder.mkdir()
    names: list[Path] = []

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy("html") | strategy("jsonl") | strategy("warc") | strategy("encodings"))
    def collect(case: tuple[str, bytes]) -> None:
        path = folder / f"{len(names):03d}_{case[0]}"
        path.write_bytes(case[1])
        names.append(path)

    collect()
    with open_store(str(tmp_path / "f.db")) as store:
        report = add_paths(store, [folder], settings=Settings(analyse=False, cluster=False))
    assert report.files == len(names)
    assert report.failures, "the fuzzed inputs should include rejected files"
    for where, reason in report.failures:
        assert Path(where.split(" (")[0]) in names, where
        assert reason.strip() and "\n" not in reason, reason


def test_control_characters_never_reach_an_article(tmp_path: Path) -> None:
    """Found by fuzzing: a JSON "\\u0000" went into the title, text and source (PostgreSQL refuses NUL)."""
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"title": "Dam\u0000 opens", "text": "The dam\u0000 opened\u001b today.",
                                "source": "Wire\u0000", "author": "\u0000"}) + "\n", encoding="utf-8")
    (record,) = read_path(path, max_bytes=10_000)
    assert isinstance(record, Article)
    assert (record.title, record.text, record.source, record.author) == (
        "Dam opens", "The dam opened today.", "Wire", None)


def test_a_bad_content_length_prints_nothing_but_the_result(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Found by fuzzing: warcio wrote a 4-line warning to stderr for a record with a wrong length."""
    from .fuzzing import seeds_cached

    data = dict(seeds_cached("warc"))["crawl.warc"]
    path = tmp_path / "bad.warc"
    path.write_bytes(data.replace(b"Content-Length: ", b"Content-Length: 1", 1))
    check_file(path)
    assert capfd.readouterr().err == ""


def test_an_unreadable_feed_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<title>A\n\x01\n</rss>')
    outcome = check_file(path)
    assert outcome.rejected and "\n" not in outcome.rejected


# -- crash safety -------------------------------------------------------------------------------------


def _check_archive(db: Path, *, expected: int | None) -> int:
    """integrity_check, each article once, analysis with every article, each in at most one story."""
    with open_store(str(db)) as store:
        assert store.integrity_ok()
        count = store.count_articles()
        assert store.scalar("SELECT COUNT(DISTINCT fingerprint) FROM articles") == count
        assert store.scalar("SELECT COUNT(DISTINCT title) FROM articles") == count
        assert store.scalar("SELECT COUNT(*) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
                            "WHERE n.article_id IS NULL") == 0
        assert not store.query("SELECT article_id FROM story_articles GROUP BY article_id HAVING COUNT(*) > 1")
        if expected is not None:
            assert count == expected
            _check_stories(store)
        return count


def _check_stories(store: Store) -> None:
    ids = [a.id for a in store.list_articles()]
    in_story = [i for i in ids if store.story_of(i) is not None]
    if in_story:  # once stories exist, every article is in exactly one
        assert len(in_story) == len(ids)


def kill_and_resume(corpus: Path, db: Path, *, expected: int, kills: int, max_delay: float,
                    rng: random.Random) -> dict[str, float]:
    """Start `rashomon add`, kill -9 it after a random delay, check, repeat; rerun to the end, check.

    A run that finishes before its kill point ends a round: the archive is checked complete, deleted,
    and the next round starts from an empty database, so kill points fall in every phase.
    """
    command = [sys.executable, "-m", "rashomon", "add", str(corpus), "--db", str(db)]
    survived = rounds = 0
    while survived < kills:
        rounds += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        while survived < kills:
            proc = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                proc.wait(timeout=rng.uniform(0.5, max_delay))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                survived += 1
                if db.exists():
                    _check_archive(db, expected=None)
                continue
            assert proc.stderr is not None
            assert "Traceback" not in proc.stderr.read().decode()
            break
        finish = subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=900)
        assert finish.returncode == 0, finish.stderr[-2000:]
        assert "locked" not in finish.stderr
        _check_archive(db, expected=expected)
    return {"kills": survived, "rounds": rounds}


@pytest.mark.slow
def test_kill_minus_9_at_random_points_then_rerun(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_mixed(corpus, 120)
    result = kill_and_resume(corpus, tmp_path / "k.db", expected=120, kills=3, max_delay=12,
                             rng=random.Random(7))
    assert result["kills"] == 3


# -- concurrency --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_four_writers_with_overlapping_files(db_url: str, tmp_path: Path) -> None:
    """Each file is given to two of four processes, in different orders: nothing lost, nothing twice."""
    corpus = tmp_path / "corpus"
    files = write_mixed(corpus, 24)
    paths = sorted(corpus.iterdir())
    assert len(paths) == files
    procs = []
    for k in range(4):
        mine = [p for i, p in enumerate(paths) if i % 4 in (k, (k + 1) % 4)]
        if k % 2:
            mine.reverse()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "rashomon", "add", *map(str, mine), "--db", db_url],
            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
        assert "locked" not in err and "Traceback" not in err
    added = sum(int(out.split("added ")[1].split(",")[0]) for out, _ in outputs)
    assert added == 24
    with open_store(db_url) as store:
        assert store.count_articles() == 24
        titles = {a.title for a in store.list_articles()}
    assert titles == {article(n).title for n in range(24)}


# -- resource limits ----------------------------------------------------------------------------------

MB = 1024 * 1024


def test_a_200_mb_single_line_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    write_single_line(path, 200 * MB)
    result = measure_read(path, warm=RESOURCES / "ingest" / "uk_bom.txt", max_bytes=50 * MB)
    assert result["rejected"] == f"FileTooLarge: {200 * MB} bytes, over the {50 * MB}-byte limit"
    assert result["extra_mb"] < 10  # reading up to the limit first cost 50 MB


def test_a_200_mb_json_line_is_skipped_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "line.jsonl"
    write_jsonl_single_line(path, 200 * MB)
    result = measure_read(path, warm=RESOURCES / "ingest" / "articles.jsonl", max_bytes=10 * MB)
    assert result["reasons"] == ["line 1: line longer than the 10485760-byte limit"]
    assert result["extra_mb"] < 40  # one line up to the limit, never the 200 MB


def test_a_gzip_bomb_in_a_warc_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    bomb_warc(path, 2048 * MB)  # 2 GB of zeros behind Content-Encoding: gzip
    result = measure_read(path, warm=RESOURCES / "ingest" / "de_latin1.html", max_bytes=10 * MB)
    assert result["articles"] == 1
    assert result["reasons"] == ["record 2: payload larger than the 10485760-byte limit"]
    assert result["extra_mb"] < 60 and float(result["seconds"]) < 10  # type: ignore[arg-type]


def test_deeply_nested_html_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    deep_html(path, 100_000)
    result = measure_read(path, warm=RESOURCES / "ingest" / "de_latin1.html", max_bytes=50 * MB)
    assert result["rejected"] or result["articles"] == 1
    assert result["extra_mb"] < 100


def test_a_feed_of_many_entries_is_parsed_in_batches(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    big_feed(path, 30_000)  # 2.3 MB; parsed whole it held ~45 MB of feedparser entries
    result = measure_read(path, warm=RESOURCES / "ingest" / "wire.rss", max_bytes=50 * MB)
    assert result["articles"] == 30_000 and result["record_errors"] == 0
    assert result["extra_mb"] < 25


def test_batched_feed_numbers_entries_across_batches(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    big_feed(path, 2_500)
    records = list(read_path(path, max_bytes=10 * MB))
    assert len(records) == 2_500
    assert all(isinstance(r, Article) and r.source == "Wire" for r in records)
    assert [r.title for r in records[998:1002]] == [f"Item {n}" for n in range(998, 1002)]  # type: ignore[union-attr]
    assert not any(isinstance(r, RecordError) for r in records)


def test_time_bound_of_the_probe() -> None:
    """The probe's own overhead stays small, so the RSS figures above measure the input."""
    started = time.perf_counter()
    result = measure_read(RESOURCES / "ingest" / "uk_bom.txt", warm=RESOURCES / "ingest" / "uk_bom.txt",
                          max_bytes=MB)
    assert result["articles"] == 1 and result["extra_mb"] < 5
    assert time.perf_counter() - started < 30


def test_an_odd_target_uri_prints_nothing(tmp_path: Path) -> None:
    """Found by fuzzing: warcio logged "Replacing spaces in invalid WARC-Target-URI" to stderr."""
    from .fuzzing import seeds_cached

    data = dict(seeds_cached("warc"))["crawl.warc"]
    path = tmp_path / "uri.warc"
    path.write_bytes(data.replace(b"WARC-Target-URI: https://news.example/0",
                                  b"WARC-Target-URI: https://news.example/a b", 1))
    result = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                             "from rashomon.ingest import read_path; "
                             "print(len(list(read_path(Path(sys.argv[1]), max_bytes=10**6))))", str(path)],
                            capture_output=True, text=True, env=ENV, check=True)
    assert result.stderr == "" and int(result.stdout) >= 1


def test_a_control_character_in_feed_html_is_dropped(tmp_path: Path) -> None:
    """Found by fuzzing: "&lt;p&gt;\\x01" in an entry made lxml raise ValueError (a crash)."""
    path = tmp_path / "feed.rss"
    path.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>Port '
                     b"strike ends</title><description>&lt;p&gt;\x01Port workers voted to end the strike."
                     b"&lt;/p&gt;</description></item></channel></rss>")
    (record,) = read_path(path, max_bytes=10_000)
    assert isinstance(record, Article) and record.text == "Port workers voted to end the strike."


def test_an_out_of_range_character_reference_in_a_feed_is_a_rejection(tmp_path: Path) -> None:
    """Found by fuzzing: feedparser's loose parser raised ValueError (chr() arg) on "&#x110000;"."""
    path = tmp_path / "feed"
    path.write_bytes(b'<rss version="2.0"><channel><title>W</title><item><title>A &#x110000; b</title>'
                     b"<description>Text of the entry.</description></item></channel>")
    outcome = check_file(path)
    assert outcome.rejected and outcome.rejected.startswith("InputError: not a readable feed")
