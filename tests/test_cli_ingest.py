"""`rashomon add / articles / show / search` end to end on a real database."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rashomon.cli import app

from .conftest import RESOURCES, validate

FIXTURES = RESOURCES / "cli"
runner = CliRunner()


def run(*args: str) -> Any:
    """Invoke the CLI in-process; never let an exception escape as a pass."""
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_add_stores_each_article_once_and_says_so_on_rerun(db_url: str) -> None:
    first = run("add", str(FIXTURES), "--db", db_url)
    assert first.exit_code == 0, first.stderr
    assert "added 4, already present 0" in first.stdout

    again = run("add", str(FIXTURES), "--db", db_url)
    assert again.exit_code == 0
    assert "nothing new" in again.stdout
    assert "added 0, already present 4" in again.stdout

    listed = json.loads(run("articles", "--json", "--db", db_url).stdout)
    assert len(listed) == 4


def test_articles_and_show_follow_the_contract(db_url: str, schemas: dict[str, Any]) -> None:
    run("add", str(FIXTURES), "--db", db_url)
    listed = json.loads(run("articles", "--json", "--db", db_url).stdout)
    for item in listed:
        validate(item, "article.schema.json", schemas)
    river = next(a for a in listed if a["title"].startswith("River barges"))
    shown = json.loads(run("show", river["id"], "--json", "--db", db_url).stdout)
    validate(shown, "article.schema.json", schemas)
    assert shown["source"] == "Dnipro Daily"
    assert shown["updated"].startswith("2023-05-03T08:40")
    assert shown["photo_credits"] == ["Olena Marchuk"]
    assert shown["language"] == "en"
    assert "Photo:" not in shown["text"] and "Updated at" not in shown["text"]
    assert shown["text"].count("River barges halted") == 0  # the title is not repeated in the body


def test_language_and_source_filters(db_url: str) -> None:
    run("add", str(FIXTURES), "--db", db_url)
    belarusian = json.loads(run("articles", "--json", "--lang", "be", "--db", db_url).stdout)
    assert [a["title"] for a in belarusian] == ["У Гродне адкрылі новую гарадскую бібліятэку"]
    russian = json.loads(run("articles", "--json", "--lang", "ru", "--db", db_url).stdout)
    assert len(russian) == 1 and "Днепре" in russian[0]["title"]


def test_source_option_overrides_the_file(db_url: str) -> None:
    run("add", str(FIXTURES / "river_en.txt"), "--source", "Wire Service", "--db", db_url)
    listed = json.loads(run("articles", "--json", "--db", db_url).stdout)
    assert listed[0]["source"] == "Wire Service"


def test_search_finds_words_in_any_script(db_url: str) -> None:
    run("add", str(FIXTURES), "--db", db_url)
    hits = json.loads(run("search", "шлюза", "--json", "--db", db_url).stdout)
    assert [h["language"] for h in hits] == ["ru"]
    assert json.loads(run("search", "Lazouskaya", "--json", "--db", db_url).stdout)[0]["language"] == "en"
    assert json.loads(run("search", "zzzunknownword", "--json", "--db", db_url).stdout) == []


def test_near_duplicate_is_recorded_as_a_copy(db_url: str, tmp_path: Path) -> None:
    original = (FIXTURES / "library_en.txt").read_text(encoding="utf-8")
    syndicated = original.replace("local media reported", "the city council said")
    copy_path = tmp_path / "syndicated.txt"
    copy_path.write_text(syndicated, encoding="utf-8")
    run("add", str(FIXTURES / "library_en.txt"), "--db", db_url)
    result = run("add", str(copy_path), "--db", db_url)
    assert "near-duplicates 1" in result.stdout
    listed = json.loads(run("articles", "--json", "--db", db_url).stdout)
    assert len(listed) == 1
    shown = json.loads(run("show", listed[0]["id"], "--json", "--db", db_url).stdout)
    assert [c["path"] for c in shown["copies"]] == [str(copy_path)]


def test_bad_input_fails_per_file_and_keeps_the_rest(db_url: str, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(FIXTURES / "river_en.txt", batch / "good.txt")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "junk.bin").write_bytes(bytes(range(256)) * 40)
    with gzip.open(batch / "cut.warc.gz", "wb") as handle:
        handle.write(b"WARC/1.0\r\nWARC-Type: response\r\n" + b"x" * 5000)
    truncated = (batch / "cut.warc.gz").read_bytes()[:60]
    (batch / "cut.warc.gz").write_bytes(truncated)
    (batch / "lines.jsonl").write_text(
        '{"title": "Ferry service resumes", "text": "The ferry between the islands resumed on Monday."}\n'
        "{not json\n",
        encoding="utf-8",
    )
    (batch / "big.txt").write_text("Big file\n\n" + "word " * 5000, encoding="utf-8")
    result = run("add", str(batch), "--max-size", "10000", "--db", db_url, str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    named = {Path(line.split(": ")[1].split(" (")[0]).name for line in errors}
    assert {"empty.txt", "junk.bin", "cut.warc.gz", "lines.jsonl", "big.txt", "missing.txt"} <= named
    assert "Traceback" not in result.stderr + result.stdout
    assert any("line 2" in line for line in errors)
    assert any("10000" in line or "10 kB" in line or "limit" in line for line in errors if "big.txt" in line)
    titles = {a["title"] for a in json.loads(run("articles", "--json", "--db", db_url).stdout)}
    assert titles == {"River barges halted after lock failure near Dnipro", "Ferry service resumes"}


def test_unknown_ids_are_one_line_errors(db_url: str) -> None:
    result = run("show", "doesnotexist", "--db", db_url)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no article with id 'doesnotexist'"


def _make_corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    cities = ["Lviv", "Gdansk", "Vilnius", "Brest", "Leipzig", "Riga", "Poznan", "Kaunas"]
    for i in range(count):
        city = cities[i % len(cities)]
        (folder / f"n{i:04d}.txt").write_text(
            f"Council of {city} approves budget number {i}\n\n"
            f"The city council of {city} approved spending plan {i} on Monday by {i % 30 + 10} votes. "
            f"The plan funds {i * 3 + 7} new tram stops and a bridge repair programme worth {i + 2} million. "
            f"Mayor number {i} said the vote ended a debate that had lasted {i % 9 + 2} months.",
            encoding="utf-8",
        )


def test_interrupted_batch_resumes_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, 80)
    db = tmp_path / "kill.db"
    command = [sys.executable, "-m", "rashomon", "add", str(corpus), "--db", str(db)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as conn:
                    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 5:
                break
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored > 0, "the run was not interrupted after it had stored something"
    finish = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert finish.returncode == 0, finish.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 80
        assert conn.execute("SELECT COUNT(DISTINCT fingerprint) FROM articles").fetchone()[0] == 80
        orphans = conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE n.article_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0


@pytest.mark.parametrize("args", [["add"], ["show"], ["articles", "--lang"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_worker_processes_store_the_same_analysis(tmp_path: Path) -> None:
    single, pooled = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    assert run("add", str(FIXTURES), "--db", single).exit_code == 0
    result = run("add", str(FIXTURES), "--workers", "2", "--db", pooled)
    assert result.exit_code == 0, result.stderr
    assert "added 4" in result.stdout
    for listed in json.loads(run("articles", "--json", "--db", single).stdout):
        one = json.loads(run("show", listed["id"], "--json", "--db", single).stdout)
        two = json.loads(run("show", listed["id"], "--json", "--db", pooled).stdout)
        assert one["entities"] and one["sentences"]
        for key in ("entities", "quotes", "event_date"):
            assert one[key] == two[key], key
