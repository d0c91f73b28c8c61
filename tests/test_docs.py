"""Docs cannot drift from the CLI: every command has help and is in the README."""

from __future__ import annotations

from pathlib import Path

import typer.main

import rashomon
from rashomon.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, str]:
    group = typer.main.get_command(app)
    names: dict[str, str] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        names[name] = command.help or ""
        for sub_name, sub in getattr(command, "commands", {}).items():
            names[f"{name} {sub_name}"] = sub.help or ""
    return names


def test_every_command_has_help_and_is_documented() -> None:
    commands = _commands()
    assert "add" in commands and "demo" in commands
    for name, help_text in commands.items():
        assert help_text.strip(), f"`rashomon {name}` has no help"
        assert f"rashomon {name}" in README, f"`rashomon {name}` is missing from README.md"


def test_public_api_is_sorted_and_importable() -> None:
    assert rashomon.__all__ == sorted(rashomon.__all__)
    for name in rashomon.__all__:
        assert getattr(rashomon, name) is not None
