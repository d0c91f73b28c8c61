"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL on a throwaway server), the
output contract, and a closing line per missing system component (PostgreSQL, Chromium, Java)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rashomon import contract

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RESOURCES = Path(__file__).parent / "resources"
CHROMIUM = "/usr/bin/chromium"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin/pg_ctl"
PG_START_ATTEMPTS = 3  # another process may take the free port between choosing and binding it


def _pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or None."""
    found = [Path(p) for p in glob.glob(PG_BIN_GLOB)]
    found.sort(key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()])  # 9.6 < 15 < 16
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class _PgServer:
    """A throwaway PostgreSQL cluster in a temporary folder; PostgreSQL refuses to run as root, so as
    root its binaries run as the ``postgres`` user (as Debian's own scripts do)."""

    bin: Path
    folder: Path
    port: int = 0

    def _run(self, *args: str) -> None:
        as_user: dict[str, Any] = {}
        if os.geteuid() == 0:
            as_user = {"user": "postgres", "group": pwd.getpwnam("postgres").pw_gid, "extra_groups": [],
                       "env": {**os.environ, "HOME": str(self.folder)}}
        subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True, text=True, **as_user)

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        data = str(self.folder / "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-sync")
        for attempt in range(PG_START_ATTEMPTS):
            self.port = _free_port()
            options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            try:
                self._run("pg_ctl", "-D", data, "-o", options, "-l", str(self.folder / "log"), "-w", "start")
                break
            except subprocess.CalledProcessError:
                if attempt == PG_START_ATTEMPTS - 1:
                    raise
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # it never started
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _pg_missing() -> str | None:
    """Why no PostgreSQL server can be had, or None when one can."""
    if os.environ.get("RASHOMON_TEST_PG"):
        return None
    if _pg_bin() is None:
        return "PostgreSQL is not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run PostgreSQL as"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server: $RASHOMON_TEST_PG, else a throwaway one started for this session
    (one per pytest-xdist worker) from the installed binaries, stopped at the end."""
    given = os.environ.get("RASHOMON_TEST_PG")
    if given:
        yield given
        return
    reason = _pg_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    bin_dir = _pg_bin()
    assert bin_dir is not None
    server = _PgServer(bin_dir, Path(tempfile.mkdtemp(prefix="rashomon-pg-")))
    try:
        url = server.start()
    except subprocess.CalledProcessError as exc:
        log = server.folder / "log"
        server.stop()
        pytest.fail(f"cannot start PostgreSQL: {exc.stderr or exc}{log.read_text() if log.exists() else ''}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database URL on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    base: str = request.getfixturevalue("postgres_server")
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def schemas() -> dict[str, Any]:
    """The JSON schemas of the CLI's output shipped in the package, by file name."""
    return contract.schemas()


def validate(instance: Any, schema_name: str, schemas: dict[str, Any]) -> None:
    """Validate against a contract schema, resolving its references to the sibling schemas."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items()
    )
    Draft202012Validator(schemas[schema_name], registry=registry).validate(instance)


# Component, marker of the tests that need it, why it is missing (None when present), install command.
def _missing_components() -> list[tuple[str, str, str | None, str]]:
    java = shutil.which("java") or os.environ.get("JAVA_HOME")
    return [
        ("PostgreSQL", "postgres", _pg_missing(), "apt-get install postgresql"),
        ("Chromium", "browser", None if os.path.exists(CHROMIUM) else f"{CHROMIUM} is missing",
         "apt-get install chromium"),
        ("Java", "spark", None if java else "no java on PATH and no $JAVA_HOME",
         "apt-get install default-jre-headless"),
    ]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """End the run with one line per missing component whose tests were skipped, and how to install it."""
    skipped = terminalreporter.stats.get("skipped", [])
    for component, marker, reason, install in _missing_components():
        if reason is None:
            continue
        count = sum(1 for report in skipped if marker in getattr(report, "keywords", {}))
        if count:
            terminalreporter.write_line(
                f"{component} missing ({reason}): skipped {count} {marker} test(s); install with `{install}`",
                yellow=True,
            )
