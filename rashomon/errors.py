"""Exceptions raised by rashomon. Every user-facing failure is a ``RashomonError``.

    RashomonError
    ├── InputError            a file or record cannot be read as an article
    │   ├── UnsupportedFormat the content is none of the formats we read
    │   ├── FileTooLarge      the file is over the size limit
    │   ├── EmptyInput        the file holds no article text
    │   └── FetchError        a feed or page cannot be fetched (timeout, HTTP error, too large)
    ├── StoreError            the database cannot be opened or written
    │   └── NotFound          an article, story or entity id does not exist
    ├── UsageError            arguments that make no sense together
    └── EngineError           the batch engine (pyspark, Java) is missing or cannot start
"""

from __future__ import annotations


class RashomonError(Exception):
    """Base class of every error rashomon reports to a user."""


class InputError(RashomonError):
    """A file or record cannot be read as an article."""


class UnsupportedFormat(InputError):
    """The content is none of the formats rashomon reads."""


class FileTooLarge(InputError):
    """The file is larger than the configured limit."""


class EmptyInput(InputError):
    """The file holds no article text."""


class FetchError(InputError):
    """A feed or page cannot be fetched: timeout, HTTP error status, too large, too many redirects."""


class StoreError(RashomonError):
    """The database cannot be opened, migrated or written."""


class NotFound(StoreError):
    """An article, story or entity id does not exist."""


class UsageError(RashomonError):
    """Arguments that make no sense together."""


class EngineError(RashomonError):
    """The batch engine (pyspark, Java) is missing or cannot start."""
