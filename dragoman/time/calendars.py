"""Calendar arithmetic through well-kept libraries: jdatetime (Persian solar Hijri),
hijridate (Islamic Umm al-Qura), convertdate (Julian).

Dates of another calendar become Gregorian ranges: a solar month or year spans parts
of two Gregorian months or years, so the converted value keeps the granularity whose
span holds most of the days, and the exact first and last day travel along.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
from convertdate import julian
from hijridate import Gregorian, Hijri

SOLAR_YEARS = range(1200, 1600)  # plausible solar Hijri years in news
ISLAMIC_YEARS = range(1343, 1501)  # the range hijridate's Umm al-Qura tables cover


def _solar_month_end(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def solar_to_gregorian(year: int, month: int | None, day: int | None) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of a solar Hijri year, month or day."""
    if month is None:
        first = jdatetime.date(year, 1, 1).togregorian()
        last = jdatetime.date(year, 12, _solar_month_end(year, 12)).togregorian()
        return first, last
    if day is None:
        first = jdatetime.date(year, month, 1).togregorian()
        last = jdatetime.date(year, month, _solar_month_end(year, month)).togregorian()
        return first, last
    d = jdatetime.date(year, month, day).togregorian()
    return d, d


def islamic_to_gregorian(year: int, month: int | None, day: int | None) -> tuple[dt.date, dt.date]:
    """First and last Gregorian day of an Islamic (Umm al-Qura) year, month or day."""
    if month is None:
        first = Hijri(year, 1, 1).to_gregorian()
        last = Hijri(year + 1, 1, 1).to_gregorian() - dt.timedelta(days=1) if year + 1 in ISLAMIC_YEARS \
            else Hijri(year, 12, Hijri(year, 12, 1).month_length()).to_gregorian()
        return dt.date(first.year, first.month, first.day), dt.date(last.year, last.month, last.day)
    if day is None:
        h = Hijri(year, month, 1)
        first = h.to_gregorian()
        last = Hijri(year, month, h.month_length()).to_gregorian()
        return dt.date(first.year, first.month, first.day), dt.date(last.year, last.month, last.day)
    g = Hijri(year, month, day).to_gregorian()
    d = dt.date(g.year, g.month, g.day)
    return d, d


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    return dt.date(*julian.to_gregorian(year, month, day))


def solar_year_of(day: dt.date) -> int:
    return jdatetime.date.fromgregorian(date=day).year


def islamic_year_of(day: dt.date) -> int:
    return Gregorian(day.year, day.month, day.day).to_hijri().year


def majority_value(first: dt.date, last: dt.date, granularity: str) -> str:
    """The Gregorian value at ``granularity`` ('day', 'month', 'year') whose span holds
    most of the days from ``first`` to ``last``."""
    if granularity == "day" or first == last:
        return first.isoformat() if granularity == "day" else _at(first, granularity)
    counts: dict[str, int] = {}
    d = first
    while d <= last:
        key = _at(d, granularity)
        counts[key] = counts.get(key, 0) + 1
        d += dt.timedelta(days=1)
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _at(d: dt.date, granularity: str) -> str:
    if granularity == "year":
        return f"{d.year:04d}"
    if granularity == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()
