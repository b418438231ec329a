"""From written pieces to values: calendars, missing years, relative expressions.

:func:`resolve` turns each :class:`~dragoman.time.expressions.Parsed` into a
:class:`~dragoman.model.DateMention` against an *anchor* (the document's date, or a
date the text itself makes likely). Rules, in the spirit of 'unknown beats wrong':

* A full date is ``explicit``; dates of the solar Hijri, Islamic and Julian calendars
  are converted, and the mention keeps its calendar and exact Gregorian ``range``.
* A year-less date takes its year from the anchor — the year that puts it nearest,
  leaning to the past as news does (up to 8 months back, 3 ahead), or the direction
  its shift word gives ("el pasado 27 de septiembre"). Basis ``document`` when the
  anchor is the document's date, ``inferred`` when it comes from other dates in the text.
  A weekday given with the date picks the year whose calendar agrees.
* Without an anchor the year stays ``XXXX`` (basis ``unknown``); relative expressions
  ("yesterday", "last week") get no value at all.
* A day of the month alone ("el día 13") takes the anchor's month; "del pasado día 3" the
  latest such day on or before it. Seasons take the year of the season the anchor is in,
  the last one over ("last summer" in December: that year's) or the next.
* A part of the day ("Friday afternoon", "вчера вечером") makes a TIMEX3 ``TIME``
  (``2025-05-16TAF``); a span back or ahead ("the past two years", "los próximos meses")
  a ``duration`` (``P2Y``, ``PXM``), never a point.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..model import DateMention
from . import calendars
from .expressions import Parsed

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")
PAST_MONTHS = 8  # a year-less month may lie this many months before the anchor
FUTURE_MONTHS = 3  # ... or this many after
WEEKDAY_AHEAD = 2  # a bare weekday up to this many days after the anchor is ahead; else the past one


@dataclass(frozen=True, slots=True)
class Anchor:
    day: dt.date
    basis: str  # "document" (metadata or given date) or "inferred" (estimated from the text)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def _pick_year(month: int, day: int | None, anchor: dt.date, shift: int | None, weekday: int | None,
               make) -> int | None:
    """The year for a month (and day) nearest the anchor, in the window or shift direction."""
    if weekday is not None and day is not None:
        # the weekday decides: the matching year nearest the anchor
        matches = []
        for y in range(anchor.year - 11, anchor.year + 12):
            d = make(y, month, day)
            if d is not None and d.isoweekday() == weekday:
                matches.append((abs((d - anchor).days), y))
        return min(matches)[1] if matches else None
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = make(y, month, day or 1)
        if d is None:
            continue
        delta = _months_between(anchor, d) if day is None else (d - anchor).days / 30.44
        if shift is not None and shift < 0 and (d > anchor if day else _months_between(anchor, d) >= 0):
            continue
        if shift is not None and shift > 0 and (d < anchor if day else _months_between(anchor, d) <= 0):
            continue
        if shift is None and not (-PAST_MONTHS - 0.5 <= delta <= FUTURE_MONTHS + 0.5):
            continue
        score = abs(delta) if shift is not None else abs(delta) + (0 if delta <= 0 else 0.5)
        if best is None or score < best[0]:
            best = (score, y)
    return best[1] if best else None


def _gregorian(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _solar(y: int, m: int, d: int) -> dt.date | None:
    try:
        return calendars.solar_to_gregorian(y, m, d)[0]
    except ValueError:
        return None


def _islamic(y: int, m: int, d: int) -> dt.date | None:
    try:
        return calendars.islamic_to_gregorian(y, m, d)[0]
    except (ValueError, OverflowError):
        return None


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _shift_unit(unit: str, n: int, anchor: dt.date) -> str | None:
    """The value of the ``unit`` ``n`` steps from the anchor (0 = the current one)."""
    if unit == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return _week(anchor + dt.timedelta(weeks=n))
    if unit == "weekend":
        return _week(anchor + dt.timedelta(weeks=n)) + "-WE"
    if unit == "month":
        total = anchor.year * 12 + anchor.month - 1 + n
        return f"{total // 12:04d}-{total % 12 + 1:02d}"
    if unit == "quarter":
        q = anchor.year * 4 + (anchor.month - 1) // 3 + n
        return f"{q // 4:04d}-Q{q % 4 + 1}"
    if unit == "year":
        return f"{anchor.year + n:04d}"
    if unit == "decade":
        return f"{anchor.year // 10 + n:03d}"
    if unit == "century":
        return f"{anchor.year // 100 + n:02d}"
    return None


_DURATION_CODES = {"day": "D", "week": "W", "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y",
                   "decade": "DE", "century": "CE"}


def _duration(unit: str, n: int | None) -> str | None:
    """A TIMEX3 duration: ``P2Y``, or ``PXM`` for an unsaid number of months."""
    code = _DURATION_CODES.get(unit)
    return f"P{'X' if n is None else n}{code}" if code else None


def _mention(p: Parsed, value: str | None, basis: str, rng: tuple[dt.date, dt.date] | None = None,
             calendar: str | None = None, kind: str = "date") -> DateMention:
    return DateMention(
        start=p.start, end=p.end, text=p.text, value=value, basis=basis,  # type: ignore[arg-type]
        calendar=calendar or p.calendar,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
        range=(rng[0].isoformat(), rng[1].isoformat()) if rng else None,
    )


def resolve_one(p: Parsed, anchor: Anchor | None) -> DateMention | None:
    m = _resolve(p, anchor)
    if m is not None and p.day_part:
        # "Friday afternoon", "вчера вечером": a TIMEX3 TIME on that day
        value = f"{m.value}T{p.day_part}" if m.value and _FULL_DATE.match(m.value) else m.value
        m = replace(m, kind="time", value=value)
    return m


def _resolve(p: Parsed, anchor: Anchor | None) -> DateMention | None:
    a = anchor.day if anchor else None
    if p.kind == "duration":  # "the past two years", "the coming months"
        return _mention(p, _duration(p.unit, p.count), "explicit", kind="duration")  # type: ignore[arg-type]
    if p.ref:
        return _mention(p, p.ref, "relative")
    if p.decade is not None:
        return _mention(p, f"{p.decade:02d}" if p.unit == "century" else f"{p.decade:03d}", "explicit")
    if p.ordinal is not None:  # a quarter or half of a year
        code = f"Q{p.ordinal}" if p.unit == "quarter" else f"H{p.ordinal}"
        if p.year is not None:
            return _mention(p, f"{p.year:04d}-{code}", "explicit")
        if a is None:
            return _mention(p, f"XXXX-{code}", "unknown")
        return _mention(p, f"{a.year:04d}-{code}", anchor.basis)  # type: ignore[union-attr]
    if p.season is not None:
        if p.year is not None:
            return _mention(p, f"{p.year:04d}-{p.season}", "explicit")
        if a is None:
            return _mention(p, f"XXXX-{p.season}", "unknown")
        year = _season_year(p.season, a, p.shift)
        return _mention(p, f"{year:04d}-{p.season}", "relative" if p.shift is not None else anchor.basis)  # type: ignore[union-attr]
    # calendar-specific construction
    make = {"solar_hijri": _solar, "islamic": _islamic}.get(p.calendar, _gregorian)
    if p.month is not None and p.day is not None:
        year = p.year
        basis = "explicit"
        if year is None:
            year = _missing_year(p, a) if a is not None else None
            if year is None:
                return _mention(p, f"XXXX-{p.month:02d}-{p.day:02d}" if p.calendar == "gregorian" else None, "unknown")
            basis = anchor.basis  # type: ignore[union-attr]
        if p.calendar == "julian":
            try:
                d = calendars.julian_to_gregorian(year, p.month, p.day)
            except ValueError:
                return None
        else:
            d = make(year, p.month, p.day)
        if d is None:
            return None
        return _mention(p, d.isoformat(), basis, (d, d) if p.calendar != "gregorian" else None)
    if p.month is not None:
        year = p.year
        basis = "explicit"
        if year is None and p.unit == "year" and p.shift is not None and a is not None:
            year = a.year + p.shift
            if p.calendar == "solar_hijri":
                year = calendars.solar_year_of(a) + p.shift
            basis = "relative"
        elif year is None:
            year = _missing_year(p, a) if a is not None else None
            if year is None:
                return _mention(p, f"XXXX-{p.month:02d}" if p.calendar == "gregorian" else None, "unknown")
            basis = anchor.basis if p.shift is None else "relative"  # type: ignore[union-attr]
        if p.calendar in ("solar_hijri", "islamic"):
            return _native_period(p, year, p.month, basis)
        return _mention(p, f"{year:04d}-{p.month:02d}", basis)
    if p.day is not None and p.year is None:  # "el día 13": a day of the anchor's month
        if a is None:
            return _mention(p, f"XXXX-XX-{p.day:02d}", "unknown")
        if p.unit == "month":  # "al 24 de este mes"
            total = a.year * 12 + a.month - 1 + (p.shift or 0)
            d = _gregorian(total // 12, total % 12 + 1, p.day)
        else:
            d = _day_of_month(p.day, a, p.shift)
        if d is None:
            return None
        return _mention(p, d.isoformat(), anchor.basis if p.shift is None else "relative")  # type: ignore[union-attr]
    if p.year is not None:
        if p.calendar in ("solar_hijri", "islamic"):
            return _native_period(p, p.year, None, "explicit")
        return _mention(p, f"{p.year:04d}", "explicit")
    if p.day_offset is not None:
        if a is None:
            return _mention(p, None, "unknown")
        return _mention(p, (a + dt.timedelta(days=p.day_offset)).isoformat(), "relative")
    if p.weekday is not None:
        if a is None:
            return _mention(p, None, "unknown")
        return _mention(p, resolve_weekday(p.weekday, a, p.shift).isoformat(), "weekday")
    if p.unit is not None and p.count is not None:
        if p.count > 0 or a is None:
            # "two days later", "in five years": an amount of time from some other point,
            # kept as a duration rather than guessed into a date
            return _mention(p, _duration(p.unit, abs(p.count)), "unknown", kind="duration")
        return _mention(p, _shift_unit(p.unit, p.count, a), "relative")
    if p.unit is not None and p.shift is not None:
        if a is None:
            return _mention(p, None, "unknown")
        return _mention(p, _shift_unit(p.unit, p.shift, a), "relative")
    return None


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # winter Y runs from December Y-1


def _season_year(season: str, anchor: dt.date, shift: int | None) -> int:
    """The year of a season around the anchor: the one it is in ("this summer"), the last
    one over ("last summer", in December: that year's) or the next to come."""
    now = anchor.year * 12 + anchor.month - 1
    spans = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        first = (year - (season == "WI")) * 12 + _SEASON_START[season] - 1
        spans.append((year, first, first + 2))
    if shift is not None and shift < 0:
        return max(y for y, _, last in spans if last < now)
    if shift is not None and shift > 0:
        return min(y for y, first, _ in spans if first > now)
    for year, first, last in spans:
        if first <= now <= last:
            return year
    return anchor.year


def _day_of_month(day: int, anchor: dt.date, shift: int | None) -> dt.date | None:
    """Day ``day`` of the anchor's month; with a 'last' shift the latest such day on or
    before the anchor, with 'next' the first after it."""
    def of(total: int) -> dt.date | None:
        return _gregorian(total // 12, total % 12 + 1, day)

    month = anchor.year * 12 + anchor.month - 1
    if shift is not None and shift < 0:
        return of(month) if day <= anchor.day else of(month - 1)
    if shift is not None and shift > 0:
        return of(month) if day > anchor.day else of(month + 1)
    return of(month)


def resolve_weekday(weekday: int, anchor: dt.date, shift: int | None) -> dt.date:
    """The day of ``weekday`` around the anchor: news reports the past, so the last
    such day on or before the anchor unless it comes within ``WEEKDAY_AHEAD`` days
    after; after the anchor for a 'next' shift, before it for 'last'."""
    delta = (weekday - anchor.isoweekday()) % 7  # 0..6 days ahead
    if shift is not None and shift < 0:
        return anchor - dt.timedelta(days=(7 - delta) if delta else 7)
    if shift is not None and shift > 0:
        return anchor + dt.timedelta(days=delta or 7)
    if delta <= WEEKDAY_AHEAD:
        return anchor + dt.timedelta(days=delta)
    return anchor - dt.timedelta(days=7 - delta)


def _native_period(p: Parsed, year: int, month: int | None, basis: str) -> DateMention | None:
    """A solar Hijri or Islamic month or year: the Gregorian value holding most of its
    days, with its exact range."""
    convert = calendars.solar_to_gregorian if p.calendar == "solar_hijri" else calendars.islamic_to_gregorian
    try:
        first, last = convert(year, month, None)
    except (ValueError, OverflowError):
        return None
    return _mention(p, calendars.majority_value(first, last, "month" if month else "year"), basis, (first, last))


def _missing_year(p: Parsed, anchor: dt.date) -> int | None:
    """The year of a year-less month (and day) in its own calendar, from the anchor."""
    if p.calendar == "solar_hijri":
        return _pick_native_year(p, anchor, calendars.solar_year_of(anchor), _solar)
    if p.calendar == "islamic":
        return _pick_native_year(p, anchor, calendars.islamic_year_of(anchor), _islamic)
    return _pick_year(p.month, p.day, anchor, p.shift, p.weekday if p.day else None, _gregorian)  # type: ignore[arg-type]


def _pick_native_year(p: Parsed, anchor: dt.date, native_year: int, make) -> int | None:
    """Year resolution in a non-Gregorian calendar: the native year (around the anchor's)
    whose date lies nearest the anchor within the window."""
    best: tuple[float, int] | None = None
    for y in (native_year - 1, native_year, native_year + 1):
        d = make(y, p.month, p.day or 1)
        if d is None:
            continue
        if p.weekday is not None and p.day is not None and d.isoweekday() != p.weekday:
            continue
        delta = (d - anchor).days / 30.44
        if not (-PAST_MONTHS - 1 <= delta <= FUTURE_MONTHS + 1):
            continue
        score = abs(delta) + (0 if delta <= 0 else 0.5)
        if best is None or score < best[0]:
            best = (score, y)
    return best[1] if best else None


def resolve(parsed: list[Parsed], anchor: Anchor | None) -> list[DateMention]:
    out = []
    for p in parsed:
        m = resolve_one(p, anchor)
        if m is not None:
            out.append(m)
    return out
