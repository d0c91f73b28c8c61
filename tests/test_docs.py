"""Docs cannot drift from the CLI: every command has help and is in the README."""

from __future__ import annotations
import __future__

from pathlib import Path
from types import ModuleType

import typer.main

import rashomon
import rashomon.errors
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


def test_public_api_is_exactly_all() -> None:
    # httpx's tests/test_exported_members.py: every public name of the package is in __all__ and
    # nothing else is; submodules and the __future__ import are not API.
    public = sorted(
        name for name, value in vars(rashomon).items()
        if not name.startswith("_") and not isinstance(value, ModuleType) and value is not __future__.annotations
    )
    assert rashomon.__all__ == sorted(rashomon.__all__)
    assert rashomon.__all__ == public


def test_every_error_is_exported() -> None:
    errors = [name for name, value in vars(rashomon.errors).items()
              if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == "rashomon.errors"]
    assert "RashomonError" in errors
    for name in errors:
        assert getattr(rashomon, name, None) is getattr(rashomon.errors, name), f"{name} is not exported"
