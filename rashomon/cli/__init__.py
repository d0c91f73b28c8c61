"""The ``rashomon`` command line: a thin typer layer over the library.

:mod:`.main` holds the root command and the ingest/read commands, :mod:`.links` stories, entities
and similarity, :mod:`.origin` ``brief`` and ``watch``; :mod:`.common` what they share.
"""

from __future__ import annotations

from .main import app, main, sample_corpus

__all__ = ["app", "main", "sample_corpus"]
