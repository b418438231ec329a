"""The error tree. Every error names the input it is about and what to do.

    DragomanError
    ├── InputError        an input could not be read or understood (file, line, page)
    │   └── FetchError    a URL could not be fetched (refused address, timeout, size cap, HTTP status)
    ├── ResourceError     a bundled or user data file (patterns, registry) is malformed
    ├── StoreError        the database could not be opened or migrated
    └── UsageError        the command line or API was called wrongly
"""

from __future__ import annotations


class DragomanError(Exception):
    """Base of every error Dragoman raises on purpose. ``code`` helps searching."""

    code = "D000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(message)

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.source}: {msg}" if self.source else msg


class InputError(DragomanError):
    code = "D100"


class FetchError(InputError):
    code = "D110"


class ResourceError(DragomanError):
    code = "D200"


class StoreError(DragomanError):
    code = "D300"


class UsageError(DragomanError):
    code = "D400"


class MissingExtraError(DragomanError):
    """An optional dependency is not installed; the message says how to install it."""

    code = "D500"
