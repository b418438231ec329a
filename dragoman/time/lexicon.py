"""Per-language temporal vocabulary from ``resources/<lang>/time.toml``.

Every word list is folded like the text it is matched against
(:func:`dragoman.text.normalize.fold_text`: lowercase, no diacritics, unified Arabic
and Persian letters, ASCII digits), so data files may be written naturally.

Sections of ``time.toml`` (all optional):

``[months]`` / ``[months_solar]`` / ``[months_islamic]``
    ``1 = ["january", "jan."]`` … every written form (cases, abbreviations).
``[weekdays]``
    ``1`` (Monday) … ``7`` (Sunday).
``[days]``
    day offsets from the document date: ``"0" = ["today"]``, ``"-1" = ["yesterday"]``.
``[refs]``
    ``PRESENT_REF`` / ``PAST_REF`` / ``FUTURE_REF`` = words meaning now / in the past / in future.
``[units]``
    ``day``, ``week``, ``month``, ``year``, ``quarter``, ``weekend`` = forms of each unit noun.
``[shift]``
    ``"-1"``, ``"0"``, ``"1"`` = words before a unit, month or weekday ("last", "this", "next");
    ``[shift_after]`` the same for words after it ("el año pasado", "الأسبوع الماضي").
``[ago]``
    ``before = [...]`` (es "hace", de "vor") and ``after = [...]`` (en "ago", ru "назад");
    ``[later]`` likewise for the future ("in", "later").
``[parts]``
    ``early``, ``mid``, ``late`` = words that narrow a month or year ("early", "в начале").
``[numbers]``
    ``1 = ["one", "a"]`` … number words for "three days ago".
``[ordinals]``
    ``1 = ["first"]`` … for "the third quarter", "the first half".
``[seasons]``
    ``SP``, ``SU``, ``FA``, ``WI`` = words for spring, summer, autumn, winter.
``[day_numbers]``
    ``1 = ["primero", "uno"]`` … days of the month written as words, before the month.
``[day_parts]``
    ``MO`` (morning), ``MI`` (midday), ``AF`` (afternoon), ``EV`` (evening), ``NI`` (night) =
    words for a part of a day. After a weekday or a ``[days]`` word ("Friday afternoon",
    "ayer por la tarde"), or inside a ``[days]`` phrase ("вчера вечером", "last night"),
    they make the expression a TIMEX3 ``TIME`` ("2025-05-16TAF").
``[syntax]``
    ``day_month``: words between day and month ("de"); ``month_year``: between month and year;
    ``day_suffix``: ordinal endings ("th", "er"); ``year_suffix``: words after a year ("года");
    ``year_prefix``: words before a bare year ("year", "سال"); ``weekday_link``: words between
    a weekday and its date ("dem"); ``month_suffix``: words glued to a month ("ماه");
    ``clitics``: one-letter prefixes a word may carry (Arabic "و", "ب"); ``articles``: words
    that may open an expression and belong to it ("the", "el"); ``ambiguous``: month words
    that never count alone (only with a day, year, part or shift); ``ambiguous_bare``: month
    words that count alone only with the month suffix ("مهرماه" but not "مهر");
    ``day_blockers``: words after which a ``[days]`` word means something else ("اليوم
    الثامن" is "the eighth day", not today);
    ``day_blockers_before``: words before a ``[days]`` word that make it something else (es
    "la mañana" is the morning, not tomorrow); ``not_dates``: phrases that contain a temporal
    word but are none ("as soon as"), consumed and skipped; ``month_lead``: words between a
    shift and a month ("el pasado mes de mayo"); ``approx``: hedges inside an "ago" phrase
    ("more than 30 years ago", "hace casi 100 días"); ``range_links``: words joining a bare day
    to a following full date ("del 7 al 11 de septiembre", "4-5 апреля", "4 and 5 April");
    ``day_lead``: words before a bare day number that make it a day of the month ("el día 13");
    ``plural_units``: plural unit forms, which after a shift are a vague span ("the coming
    months", "los próximos meses": ``PXM``) rather than one unit;
    ``mdy``: whether "May 16, 2025" order is used; ``capital_months``: months must be
    capitalised to count (English "may", "march"); ``julian``: marks of an Old Style date;
    ``gregorian_marks``/``solar_marks``/``islamic_marks``: words after a year naming its calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ResourceError
from ..resources import language_file, read_toml
from ..text.normalize import fold_text

UNITS = ("day", "week", "weekend", "month", "year", "quarter", "half", "decade", "century")
SEASONS = ("SP", "SU", "FA", "WI")
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
PARTS = ("early", "mid", "late")
DAY_PARTS = ("MO", "MI", "AF", "EV", "NI")


def _fold(word: str) -> str:
    return fold_text(word).strip()


@dataclass(slots=True)
class Lexicon:
    lang: str
    months: dict[str, int] = field(default_factory=dict)
    months_solar: dict[str, int] = field(default_factory=dict)
    months_islamic: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    days: dict[str, int] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    shift: dict[str, int] = field(default_factory=dict)
    shift_after: dict[str, int] = field(default_factory=dict)
    ago_before: list[str] = field(default_factory=list)
    ago_after: list[str] = field(default_factory=list)
    later_before: list[str] = field(default_factory=list)
    later_after: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    day_parts: dict[str, str] = field(default_factory=dict)
    day_numbers: dict[str, int] = field(default_factory=dict)
    day_month: list[str] = field(default_factory=list)
    month_year: list[str] = field(default_factory=list)
    day_suffix: list[str] = field(default_factory=list)
    year_suffix: list[str] = field(default_factory=list)
    year_prefix: list[str] = field(default_factory=list)
    weekday_link: list[str] = field(default_factory=list)
    month_suffix: list[str] = field(default_factory=list)
    clitics: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    ambiguous_bare: list[str] = field(default_factory=list)
    day_blockers: list[str] = field(default_factory=list)
    day_blockers_before: list[str] = field(default_factory=list)
    not_dates: list[str] = field(default_factory=list)
    month_lead: list[str] = field(default_factory=list)
    approx: list[str] = field(default_factory=list)
    range_links: list[str] = field(default_factory=list)
    day_lead: list[str] = field(default_factory=list)
    plural_units: list[str] = field(default_factory=list)
    julian: list[str] = field(default_factory=list)
    gregorian_marks: list[str] = field(default_factory=list)
    solar_marks: list[str] = field(default_factory=list)
    islamic_marks: list[str] = field(default_factory=list)
    mdy: bool = False
    capital_months: bool = False

    @property
    def empty(self) -> bool:
        return not (self.months or self.weekdays or self.days)


def alternation(words) -> str:
    """A regex alternation of folded words, longest first (so "sept." beats "sep")."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not unique:
        return r"(?!x)x"  # matches nothing
    return "(?:" + "|".join(re.escape(w) for w in unique) + ")"


def _word_map(table: dict, origin: str, section: str, *, numeric: bool = True) -> dict[str, int | str]:
    out: dict[str, int | str] = {}
    for key, words in table.items():
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list):
            raise ResourceError(f"[{section}] {key}: expected a list of words", source=origin)
        value: int | str
        if numeric:
            try:
                value = int(key)
            except ValueError as exc:
                raise ResourceError(f"[{section}] key {key!r} must be a number", source=origin) from exc
        else:
            value = key
        for w in words:
            f = _fold(str(w))
            if f:
                out[f] = value
    return out


def parse_lexicon(data: dict, *, lang: str, origin: str) -> Lexicon:
    lex = Lexicon(lang)
    try:
        lex.months = _word_map(data.get("months", {}), origin, "months")  # type: ignore[assignment]
        lex.months_solar = _word_map(data.get("months_solar", {}), origin, "months_solar")  # type: ignore[assignment]
        lex.months_islamic = _word_map(data.get("months_islamic", {}), origin, "months_islamic")  # type: ignore[assignment]
        lex.weekdays = _word_map(data.get("weekdays", {}), origin, "weekdays")  # type: ignore[assignment]
        lex.days = _word_map(data.get("days", {}), origin, "days")  # type: ignore[assignment]
        lex.refs = _word_map(data.get("refs", {}), origin, "refs", numeric=False)  # type: ignore[assignment]
        lex.units = _word_map(data.get("units", {}), origin, "units", numeric=False)  # type: ignore[assignment]
        lex.shift = _word_map(data.get("shift", {}), origin, "shift")  # type: ignore[assignment]
        lex.shift_after = _word_map(data.get("shift_after", {}), origin, "shift_after")  # type: ignore[assignment]
        lex.parts = _word_map(data.get("parts", {}), origin, "parts", numeric=False)  # type: ignore[assignment]
        lex.numbers = _word_map(data.get("numbers", {}), origin, "numbers")  # type: ignore[assignment]
        lex.ordinals = _word_map(data.get("ordinals", {}), origin, "ordinals")  # type: ignore[assignment]
        lex.seasons = _word_map(data.get("seasons", {}), origin, "seasons", numeric=False)  # type: ignore[assignment]
        lex.day_numbers = _word_map(data.get("day_numbers", {}), origin, "day_numbers")  # type: ignore[assignment]
        lex.day_parts = _word_map(data.get("day_parts", {}), origin, "day_parts", numeric=False)  # type: ignore[assignment]
    except AttributeError as exc:
        raise ResourceError(f"malformed section: {exc}", source=origin) from exc
    for name, allowed in (("refs", REFS), ("units", UNITS), ("parts", PARTS), ("seasons", SEASONS),
                          ("day_parts", DAY_PARTS)):
        bad = set(getattr(lex, name).values()) - set(allowed)
        if bad:
            raise ResourceError(f"[{name}] unknown key(s) {sorted(bad)}; known: {', '.join(allowed)}", source=origin)
    for name, table in (("months", lex.months), ("months_solar", lex.months_solar),
                        ("months_islamic", lex.months_islamic)):
        if any(not 1 <= v <= 12 for v in table.values()):
            raise ResourceError(f"[{name}] months are numbered 1-12", source=origin)
    if any(not 1 <= v <= 7 for v in lex.weekdays.values()):
        raise ResourceError("[weekdays] are numbered 1 (Monday) to 7 (Sunday)", source=origin)
    ago = data.get("ago", {})
    later = data.get("later", {})
    syntax = data.get("syntax", {})
    lex.ago_before = [_fold(w) for w in ago.get("before", [])]
    lex.ago_after = [_fold(w) for w in ago.get("after", [])]
    lex.later_before = [_fold(w) for w in later.get("before", [])]
    lex.later_after = [_fold(w) for w in later.get("after", [])]
    for name in ("day_month", "month_year", "day_suffix", "year_suffix", "year_prefix", "weekday_link",
                 "month_suffix", "clitics", "articles", "ambiguous", "ambiguous_bare", "day_blockers", "day_blockers_before", "not_dates", "month_lead", "approx",
                 "range_links", "day_lead", "plural_units", "julian", "gregorian_marks", "solar_marks", "islamic_marks"):
        value = syntax.get(name, [])
        if not isinstance(value, list):
            raise ResourceError(f"[syntax] {name} must be a list", source=origin)
        setattr(lex, name, [_fold(w) for w in value if _fold(w)])
    lex.mdy = bool(syntax.get("mdy", False))
    lex.capital_months = bool(syntax.get("capital_months", False))
    return lex


@lru_cache(maxsize=64)
def lexicon_for(lang: str | None) -> Lexicon:
    """The temporal lexicon of ``lang`` (an empty one when the language has none)."""
    if not lang:
        return Lexicon("")
    path = language_file(lang, "time.toml")
    if path is None:
        return Lexicon(lang)
    return parse_lexicon(read_toml(path, "temporal vocabulary"), lang=lang, origin=str(path))
