"""User errors on the command line are one line on stderr, never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rashomon.cli import app

runner = CliRunner()


def test_similarity_of_a_missing_file_without_db_is_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Поводка на реке Припять\n\nВода поднялась на два метра за сутки.\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["similarity", str(missing), str(other)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "missing.txt" in lines[0], result.stderr
