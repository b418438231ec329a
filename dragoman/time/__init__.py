"""The temporal layer: every date in every language and calendar, and the document date.

    >>> from dragoman.time import analyze_dates
    >>> mentions, doc_date = analyze_dates("Freitag, dem 4. April", "de", "2025-03-30")

Stages: :mod:`.expressions` finds what is written (per-language grammar from
``resources/<lang>/time.toml``), :mod:`.docdate` estimates the document date when no
metadata gives it, :mod:`.resolve` turns expressions into values, with
:mod:`.calendars` for the solar Hijri, Islamic and Julian calendars.
"""

from __future__ import annotations

import datetime as dt

from ..model import DateMention, DateValue
from .docdate import estimate
from .expressions import Parsed, find_expressions
from .resolve import Anchor, resolve

__all__ = ["Anchor", "Parsed", "analyze_dates", "find_expressions", "resolve"]


def analyze_dates(text: str, lang: str | None, known: DateValue | str | None = None) -> tuple[list[DateMention], DateValue]:
    """Date mentions of ``text`` and the document's date.

    ``known`` is the document date from metadata (a :class:`DateValue` or ISO string);
    without it the date is estimated from the text (basis ``inferred``) or unknown.
    """
    if isinstance(known, str):
        known = DateValue(known[:10], "metadata", known)
    parsed = find_expressions(text, lang)
    if known is not None and known.value:
        doc_date = known
        anchor = Anchor(dt.date.fromisoformat(known.value[:10]), "document")
    else:
        doc_date = estimate(parsed)
        anchor = Anchor(dt.date.fromisoformat(doc_date.value), "inferred") if doc_date.value else None
    return resolve(parsed, anchor), doc_date
