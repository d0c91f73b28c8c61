"""Settings with bundled defaults; every threshold carries the reason for its value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

# 50 MB: the largest news pages seen are a few MB; anything bigger is an archive (WARC is streamed).
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
# Near-duplicate: Jaccard similarity of 5-word shingles; syndicated copies with small edits score > 0.8,
# two outlets' own reports of one event score < 0.3 in the sample corpus.
DEFAULT_NEAR_DUPLICATE = 0.8


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Options shared by the library, the CLI and the web app."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    near_duplicate: float = DEFAULT_NEAR_DUPLICATE
    analyse: bool = True
    cluster: bool = True
    # Processes that analyse articles; 1 analyses in the calling process (no start-up cost).
    workers: int = 1


def default_db_path() -> str:
    """``$RASHOMON_DB`` if set, else ``rashomon.db`` in the user data directory."""
    env = os.environ.get("RASHOMON_DB")
    if env:
        return env
    directory = Path(platformdirs.user_data_dir("rashomon", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / "rashomon.db")
