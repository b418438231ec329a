"""When was a document written, if its metadata does not say?

:func:`estimate` looks at what the text itself anchors: the latest full date it
gives (a day with its year, in any calendar), then weekday cues that point past it — an
article that dates talks to Friday 16 May and also speaks of "Monday afternoon's call"
was written on Monday 19 May at the earliest: a bare weekday (one without its own date
or a 'last'/'next') moves the estimate to its first occurrence after the latest date,
at most ``WEEKDAY_LOOKAHEAD`` days on. The result has basis ``inferred``, or is unknown when the
text anchors no day. Metadata dates always win (the caller checks them first).
"""

from __future__ import annotations

import datetime as dt

from ..model import DateValue
from .expressions import Parsed
from .resolve import resolve_one

WEEKDAY_LOOKAHEAD = 6  # a weekday cue moves the estimate at most this many days


def estimate(parsed: list[Parsed]) -> DateValue:
    """An inferred document date from the expressions of its text, else unknown."""
    latest: tuple[dt.date, Parsed] | None = None
    for p in parsed:
        if p.day is None or p.month is None or p.year is None:
            continue
        m = resolve_one(p, None)
        if m is None or m.value is None or len(m.value) != 10:
            continue
        day = dt.date.fromisoformat(m.value)
        if latest is None or day > latest[0]:
            latest = (day, p)
    if latest is None:
        return DateValue(None, "unknown")
    day, source = latest
    best, best_text = day, source.text
    for p in parsed:
        # a bare weekday ("on Monday"), not one that belongs to a dated expression
        if p.weekday is None or p.day is not None or p.shift is not None:
            continue
        ahead = (p.weekday - day.isoweekday()) % 7
        if 0 < ahead <= WEEKDAY_LOOKAHEAD:
            candidate = day + dt.timedelta(days=ahead)
            if candidate > best:
                best, best_text = candidate, p.text
    return DateValue(best.isoformat(), "inferred", best_text)
