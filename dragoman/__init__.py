"""Dragoman: read news in any language; keep a sourced, dated, cross-lingual record
of diplomacy and conflict.

    >>> import dragoman
    >>> result = dragoman.Pipeline().annotate("Песков заявил журналистам ...", date="2022-11-07")
    >>> store = dragoman.Store.open("sqlite:///dragoman.db")
    >>> report = dragoman.ingest(["articles/"], store)
    >>> dragoman.export(store, "json", "export.json")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    DragomanError, FetchError, InputError, MissingExtraError, ResourceError, StoreError, UsageError,
)
from .export.writers import export
from .ingest.run import IngestReport, ingest
from .model import Analysis, DateMention, DateValue, RawDocument, RemovedLine, Segment, Span
from .pipeline import Options, Pipeline
from .store.repository import Store

__all__ = [
    "Analysis", "DateMention", "DateValue", "DragomanError", "FetchError", "IngestReport", "InputError",
    "MissingExtraError", "Options", "Pipeline", "RawDocument", "RemovedLine", "ResourceError", "Segment",
    "Span", "Store", "StoreError", "UsageError", "__version__", "export", "ingest",
]
