"""rashomon: cross-check how news outlets report one event, across languages and scripts."""

from __future__ import annotations

from .analyse import analyse
from .errors import (
    EmptyInput,
    EngineError,
    FetchError,
    FileTooLarge,
    InputError,
    NotFound,
    RashomonError,
    StoreError,
    UnsupportedFormat,
    UsageError,
)
from .models import (
    Analysis,
    Article,
    DateMention,
    Descriptor,
    Entity,
    Mention,
    NumberMention,
    Quote,
    Sentence,
    Story,
)
from .pipeline import AddReport, add_paths, reanalyse
from .settings import Settings
from .store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "AddReport",
    "Analysis",
    "Article",
    "DateMention",
    "Descriptor",
    "EmptyInput",
    "EngineError",
    "Entity",
    "FetchError",
    "FileTooLarge",
    "InputError",
    "Mention",
    "NotFound",
    "NumberMention",
    "Quote",
    "RashomonError",
    "Sentence",
    "Settings",
    "Store",
    "StoreError",
    "Story",
    "UnsupportedFormat",
    "UsageError",
    "add_paths",
    "analyse",
    "open_store",
    "reanalyse",
]
