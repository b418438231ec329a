"""Finding temporal expressions: a small grammar per language, built from its lexicon.

The text is folded (see :func:`dragoman.text.normalize.fold`) and scanned once with one
compiled pattern whose branches are tried in order, the most specific first: a full
date before a month and year, before a month alone. Each match becomes a
:class:`Parsed` expression — the pieces the text gives (day, month, year, weekday,
shift, unit, part, calendar) with exact offsets into the original text. Nothing is
resolved here: :mod:`dragoman.time.resolve` turns pieces into values.

This is cheap (one regex pass over the article), so no expensive parser is needed
on whole texts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..text.normalize import Folded, fold
from .lexicon import Lexicon, alternation, lexicon_for

B = r"(?<![\p{L}\p{N}])"  # start of a word
E = r"(?![\p{L}\p{N}])"  # end of a word


@dataclass(slots=True)
class Parsed:
    """The pieces of one temporal expression as written."""

    start: int
    end: int
    text: str
    calendar: str = "gregorian"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    part: str | None = None  # early / mid / late
    shift: int | None = None  # -1 last, 0 this, +1 next (of a unit, month or weekday)
    unit: str | None = None  # day / week / month / year / quarter / weekend / decade / century
    count: int | None = None  # "three days ago": 3 (negative for the past)
    day_offset: int | None = None  # today 0, yesterday -1
    ref: str | None = None  # PRESENT_REF / PAST_REF / FUTURE_REF
    decade: int | None = None  # 199 for "the 1990s"
    ordinal: int | None = None  # "the third quarter": 3
    season: str | None = None  # SP / SU / FA / WI
    kind: str = "date"  # date / duration
    day_part: str | None = None  # MO / MI / AF / EV / NI: "Friday afternoon"


def _build(lex: Lexicon) -> regex.Pattern[str]:
    A = alternation
    clitic = rf"(?:{A(lex.clitics)})?" if lex.clitics else ""
    wd = rf"{B}{clitic}(?P<wd>{A(lex.weekdays)}){E}"
    months = []
    if lex.months:
        months.append(rf"(?P<m>{A(lex.months)})")
    if lex.months_solar:
        months.append(rf"(?P<ms>{A(lex.months_solar)})")
    if lex.months_islamic:
        months.append(rf"(?P<mi>{A(lex.months_islamic)})")
    msuf = rf"(?:\s?{A(lex.month_suffix)})?" if lex.month_suffix else ""
    all_months = A(list(lex.months) + list(lex.months_solar) + list(lex.months_islamic))
    # a second name after a slash belongs to the date: "19 مايو/أيار"
    month = rf"{B}{clitic}(?:{'|'.join(months) or '(?!x)x'}){msuf}(?!\p{{L}})(?:\s?/\s?{all_months}(?!\p{{L}}))?"
    day = rf"{B}(?P<d>[0-3]?\d)(?:{A(lex.day_suffix)})?\.?(?!\d)"
    if lex.day_numbers:  # "el primero de diciembre", "del siete de noviembre"
        day = rf"(?:{day}|{B}(?P<dn>{A(lex.day_numbers)}){E})"
    year_digits = r"(?P<y>(?:1[0-9]|20)\d\d)"
    cal_marks = "".join(
        rf"|(?P<{g}>{A(words)})" for g, words in
        (("calg", lex.gregorian_marks), ("cals", lex.solar_marks), ("cali", lex.islamic_marks), ("calj", lex.julian))
        if words
    )
    calmark = rf"(?:\s*,?\s*\(?(?:{cal_marks[1:]})\)?{E})?" if cal_marks else ""
    # a year ends the word or takes one of the language's year words ("2022г.", "2022 года"):
    # "1990er" or "2025-ci" are not the year 2025 alone
    ysuf = rf"(?:\s*{A(lex.year_suffix)}(?!\p{{L}})|(?!\p{{L}}))" if lex.year_suffix else r"(?!\p{L})"
    year = rf"{year_digits}(?!\d){ysuf}{calmark}"
    dm = rf"(?:{A(lex.day_month)}\s+)?" if lex.day_month else ""
    my = rf"(?:{A(lex.month_year)}\s+)?" if lex.month_year else ""
    link = rf"(?:{A(lex.weekday_link)}\s+)?" if lex.weekday_link else ""
    article = rf"(?:{B}{A(lex.articles)}\s+)?"
    part = rf"(?:{B}(?P<part>{A(lex.parts)})\s*)?" if lex.parts else ""
    shift = rf"(?:{B}(?P<sh>{A(lex.shift)})\s+)?" if lex.shift else ""
    shift_after = rf"(?:\s+(?P<sha>{A(lex.shift_after)}){E})?" if lex.shift_after else ""
    unit = rf"(?P<u>{A(lex.units)})"
    number = rf"(?P<n>\d{{1,3}}|{A(lex.numbers)})"
    weekday_lead = rf"(?:{wd}\s*,?\s*{link})?"
    # words after which "today" is not today (Arabic "اليوم الثامن", the eighth day), or
    # before which it is not (Spanish "la mañana", the morning)
    blockers = rf"(?!\s+{A(lex.day_blockers)}{E})" if lex.day_blockers else ""
    blockers_before = rf"(?<!{B}{A(lex.day_blockers_before)}\s+)" if lex.day_blockers_before else ""
    day_part = rf"(?:\s+(?P<dp>{A(lex.day_parts)}){E})?" if lex.day_parts else ""
    month_lead = rf"(?:{A(lex.month_lead)}\s+)?" if lex.month_lead else ""
    day_lead = rf"(?:{A(lex.day_lead)}\s+)?" if lex.day_lead else ""
    approx = rf"(?:{A(lex.approx)}\s+)?" if lex.approx else ""

    branches = []
    if lex.not_dates:
        # 0. phrases with a temporal word that are none ("as soon as"): consumed, skipped
        branches.append(rf"{B}(?P<stop>{A(lex.not_dates)}){E}")
    branches += [
        # 1. day month year, with an optional weekday and shift: "Freitag, dem 4. April 2025",
        #    "26 اردیبهشت 1404", "el pasado 27 de septiembre", "el próximo día 9 de julio"
        rf"{article}{shift}{day_lead}{weekday_lead}{day}\s*{dm}{month}(?:\s*,?\s*{my}{year})?{shift_after}",
    ]
    # 1c. a day of this, last or next month: "al 24 de este mes"
    branches.append(rf"{article}{shift}{day_lead}{day}\s*{dm}(?P<shm>{A(lex.shift)})\s+"
                    rf"(?P<um>{A(_units(lex, 'month'))}){E}")
    if lex.day_lead:
        # 1b. a day of the month alone: "el día 13", "del pasado día 3"
        branches.append(rf"{article}{shift}{B}{A(lex.day_lead)}\s+(?P<dd>[0-3]?\d)(?!\d)(?![.,]?\d)")
    if lex.mdy:
        # 2. month day, year: "March 15, 2007", "Friday, Oct. 13"
        branches.append(rf"{weekday_lead}{month}\s+(?P<d>[0-3]?\d)(?:{A(lex.day_suffix)})?(?!\d)(?:\s*,?\s*{year})?")
    branches += [
        # 3. month year: "May 2010", "بهمن 1403", "мае 2025 года"
        rf"{article}{part}{month_lead}{month}\s*,?\s*{my}{year}",
        # 4. a month with a shift or a year unit: "last June", "abril pasado", "june last year"
        rf"{article}{part}{shift}{month_lead}{month}(?:\s+{my}(?:{B}(?P<sh2>{A(lex.shift)})\s+(?P<u2>{A(_units(lex, 'year'))}){E}"
        rf"|{B}(?P<u3>{A(_units(lex, 'year'))})\s+(?P<sha2>{A(lex.shift_after)}){E}))?{shift_after}",
        # 5a. a quarter or half: "the third quarter", "1989's fourth quarter", "el primer trimestre"
        rf"{article}(?:{B}(?P<qy>(?:1[0-9]|20)\d\d)(?:'s)?\s+)?{B}(?P<ord>{A(lex.ordinals)})[\s-]?"
        rf"(?P<qu>{A(_units(lex, 'quarter', 'half'))}){E}(?:\s+{my}{year})?",
        # 5c. a century: "the 20th century", "XX век" is not covered (Roman numerals)
        rf"{article}{B}(?P<cen>\d{{1,2}})(?:{A(lex.day_suffix)})?\s+(?P<cu>{A(_units(lex, 'century'))}){E}",
        #     in Roman numerals, after or before the noun: "el siglo XIX", "XX век"
        rf"{article}{B}{A(_units(lex, 'century'))}\s+(?P<rom>[ivxl]{{1,6}}){E}",
        rf"{B}(?P<rom>[ivxl]{{1,6}})\s+{A(_units(lex, 'century'))}{E}",
        # 5b. a season: "this summer", "last spring", "el pasado verano", "summer 2024"
        rf"{article}{shift}{B}(?P<season>{A(lex.seasons)}){E}(?:\s+{my}{year})?{shift_after}",
        # 6. a decade: "the 1990s", "the late 1970s"
        rf"{article}{part}{B}(?P<dec>1[0-9]\d|20\d)0\'?s{E}",
        # 5. a year, maybe narrowed: "2022", "early 2011", "в 2022 году", "سال 1403"
        rf"{article}{part}(?:{B}{A(lex.year_prefix)}\s+)?{B}{year}" if lex.year_prefix else rf"{article}{part}{B}{year}",
        # 7. N units ago / later: "three days ago", "hace dos semanas", "vor drei Tagen"
        rf"{B}(?P<agob>{A(lex.ago_before)})\s+{approx}{article}{number}\s+{unit}{E}",
        rf"{B}{article}{approx}{number}\s+{unit}\s+(?P<agoa>{A(lex.ago_after)}){E}",
        rf"{B}(?P<laterb>{A(lex.later_before)})\s+{approx}{number}\s+{unit}{E}",
        rf"{B}{approx}{number}\s+{unit}\s+(?P<latera>{A(lex.later_after)}){E}",
        # 7b. a span back or ahead: "the past two years", "los próximos tres meses", and a
        #     vague one with a plural unit: "the coming months", "recent weeks" (PXM)
        rf"{article}{B}(?P<dsh>{A(lex.shift)})\s+{approx}{number}\s+{unit}{E}",
        rf"{article}{B}(?P<dsh>{A(lex.shift)})\s+(?P<pu>{A(lex.plural_units)}){E}" if lex.plural_units else r"(?!x)x",
        # 8. today / yesterday, maybe with the weekday: "hoy miércoles", "вчера"
        rf"{blockers_before}{B}{clitic}(?P<dw>{A(lex.days)}){E}{blockers}{day_part}(?:\s*,?\s*{wd})?",
        # 9. a weekday with a shift: "last Friday", "el miércoles pasado", "Friday afternoon"
        rf"{article}{shift}{wd}{shift_after}{day_part}",
        # 10. a unit with a shift: "this week", "earlier this month", "el año pasado"
        rf"{article}{part}{B}(?P<sh>{A(lex.shift)})\s+(?:{A(lex.articles)}\s+)?{unit}{E}",
        rf"{article}{part}{B}{clitic}{unit}\s+(?P<sha>{A(lex.shift_after)}){E}",
        # 11. now / recently / soon
        #     (not when a unit follows: "в прошлом году" is last year, not "in the past")
        rf"{B}(?P<ref>{A(lex.refs)}){E}(?!\s+{A(lex.units)}{E})",
    ]
    # every branch starts a word with a digit or a lexicon word: checking the first
    # character before trying fifteen branches makes the scan several times faster
    starters = {"0123456789"} | {w[:1] for w in _starting_words(lex)}
    first = "".join(sorted({c for chars in starters for c in chars}))
    guard = rf"(?<![\p{{L}}\p{{N}}])(?=[{regex.escape(first)}])"
    return regex.compile(guard + "(?:" + "|".join(f"(?:{b})" for b in branches) + ")", regex.IGNORECASE)


def _starting_words(lex: Lexicon):
    """Every word a branch of the grammar may begin with."""
    yield from lex.articles
    yield from lex.shift
    yield from lex.parts
    yield from lex.months
    yield from lex.months_solar
    yield from lex.months_islamic
    yield from lex.weekdays
    yield from lex.days
    yield from lex.refs
    yield from lex.numbers
    yield from lex.ordinals
    yield from lex.seasons
    yield from lex.units
    yield from lex.ago_before
    yield from lex.later_before
    yield from lex.year_prefix
    yield from lex.clitics
    yield from lex.not_dates
    yield from lex.approx
    yield from lex.day_lead
    yield from lex.day_numbers
    if _units(lex, "century"):
        yield from "ivxl"  # Roman numerals before a century noun: "XX век"


def _units(lex: Lexicon, *units: str) -> list[str]:
    return [w for w, u in lex.units.items() if u in units]



@lru_cache(maxsize=64)
def grammar_for(lang: str) -> regex.Pattern[str] | None:
    lex = lexicon_for(lang)
    if lex.empty:
        return None
    return _build(lex)


def _number(lex: Lexicon, word: str | None) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return lex.numbers.get(word)


def _shift(lex: Lexicon, m: regex.Match[str], *names: str) -> int | None:
    for name in names:
        value = m.group(name) if name in m.re.groupindex else None
        if value:
            table = lex.shift_after if name.startswith("sha") else lex.shift
            return table.get(value)
    return None


def _group(m: regex.Match[str], name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def find_expressions(text: str, lang: str | None) -> list[Parsed]:
    """Temporal expressions in ``text`` with offsets into it (nothing resolved yet)."""
    if not lang:
        return []
    pattern = grammar_for(lang)
    if pattern is None:
        return []
    lex = lexicon_for(lang)
    folded = fold(text)
    out: list[Parsed] = []
    for m in pattern.finditer(folded.text):
        if m.end() == m.start():
            continue
        begin = m.start()
        if lex.clitics:  # a clitic ("و" and) is not part of the expression's span
            first = min((m.start(g) for g in m.re.groupindex if m.start(g) >= 0), default=begin)
            if folded.text[begin:first] in lex.clitics:
                begin = first
        start, end = folded.source_span(begin, m.end())
        # trim spaces the optional parts may have swallowed; take in marks that fold
        # to nothing right after the match (the tatweel of "هـ", a final ZWNJ)
        while end > start and text[end - 1].isspace():
            end -= 1
        while end < len(text) and (text[end] in "\u0640\u200c\u200d" or unicodedata.category(text[end]) == "Mn"):
            end += 1
        p = _parse(lex, m, text, start, end, folded)
        if p is None:
            continue
        first = _range_start(lex, p, m, text, folded)
        if first is not None:
            out = [q for q in out if q.end <= first.start or first.end <= q.start]
            out.append(first)
        out.append(p)
    return out


@lru_cache(maxsize=64)
def _range_pattern(lang: str) -> regex.Pattern[str] | None:
    """A bare day and a link word right before a full date: "del 7 al", "4-", "5 and"."""
    lex = lexicon_for(lang)
    if not lex.range_links:
        return None
    A = alternation
    lead = rf"(?:{B}{A(list(lex.articles) + list(lex.day_lead))}\s+)*" if lex.articles or lex.day_lead else ""
    suffix = rf"(?:{A(lex.day_suffix)})?" if lex.day_suffix else ""
    article = rf"(?:{A(lex.articles)}\s+)?" if lex.articles else ""
    return regex.compile(rf"(?P<all>{lead}(?<![\p{{L}}\p{{N}}])(?P<rd>[0-3]?\d)){suffix}\.?\s*{A(lex.range_links)}\s*{article}$",
                         regex.IGNORECASE)


def _range_start(lex: Lexicon, p: Parsed, m: regex.Match[str], text: str, folded: Folded) -> Parsed | None:
    """The first day of a range that shares the month of the date after it: in "del 7 al
    11 de septiembre" or "4-5 апреля" the 7 and the 4 are dates too."""
    if p.day is None or (p.month is None and p.unit != "month") or _group(m, "d") is None:
        return None
    pattern = _range_pattern(lex.lang)
    if pattern is None:
        return None
    day_at = m.start("d")
    found = pattern.search(folded.text, max(0, day_at - 40), day_at)
    if found is None:
        return None
    day = int(found.group("rd"))
    if not 1 <= day < p.day:
        return None
    start, end = folded.source_span(found.start("all"), found.end("all"))
    return Parsed(start, end, text[start:end], calendar=p.calendar, year=p.year, month=p.month, day=day,
                  shift=p.shift, unit=p.unit)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral up to L (centuries), or None if it is not one."""
    total = 0
    values = [_ROMAN[c] for c in numeral]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    # only canonical spellings count: "iix" or "vv" are words, not numbers
    return total if total and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _day_part(lex: Lexicon, phrase: str) -> str | None:
    """The part of the day a ``[days]`` phrase names ("вчера вечером" → EV), if any."""
    words = phrase.split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            part = lex.day_parts.get(" ".join(words[i:i + size]))
            if part:
                return part
    return None


def _parse(lex: Lexicon, m: regex.Match[str], text: str, start: int, end: int, folded: Folded) -> Parsed | None:
    p = Parsed(start, end, text[start:end])
    g = lambda name: _group(m, name)  # noqa: E731
    if g("stop"):
        return None
    if g("dp"):
        p.day_part = lex.day_parts[g("dp")]
    if g("ref"):
        p.ref = lex.refs[g("ref")]
        return p
    if g("part"):
        p.part = lex.parts.get(g("part"))
    if g("wd"):
        p.weekday = lex.weekdays.get(g("wd"))
    # months: which calendar
    if g("m"):
        p.month = lex.months[g("m")]
        if lex.capital_months and not text[folded.source_span(m.start("m"), m.end("m"))[0]].isupper():
            return None
    elif g("ms"):
        p.month, p.calendar = lex.months_solar[g("ms")], "solar_hijri"
    elif g("mi"):
        p.month, p.calendar = lex.months_islamic[g("mi")], "islamic"
    if p.month is not None and not (g("d") or g("dn") or g("y") or g("part") or g("sh") or g("sha") or g("u2") or g("u3")):
        # a month name alone: only where it cannot be another word ("تیر" is also a shot,
        # "صفر" zero), and never an Islamic month, whose year nobody can guess
        word = g("m") or g("ms") or g("mi")
        if p.calendar == "islamic" or word in lex.ambiguous or (word in lex.ambiguous_bare and not _has_suffix(word, m, lex)):
            return None
    if g("d") or g("dn"):
        p.day = int(g("d")) if g("d") else lex.day_numbers[g("dn")]
        if not 1 <= p.day <= 31:
            return None
    if g("y"):
        p.year = int(g("y"))
    if g("dec"):
        p.decade = int(g("dec"))
        p.unit = "decade"
        return p
    if g("ord"):
        p.ordinal = lex.ordinals[g("ord")]
        p.unit = lex.units[g("qu")]
        if g("qy"):
            p.year = int(g("qy"))
        if not 1 <= p.ordinal <= (4 if p.unit == "quarter" else 2):
            return None
        return p
    if g("cen") or g("rom"):
        n = int(g("cen")) if g("cen") else _roman(g("rom"))  # type: ignore[arg-type]
        if n is None:
            return None
        if not 1 <= n <= 21:
            return None
        p.decade, p.unit = n - 1, "century"  # TIMEX3 writes the 20th century as "19"
        return p
    if g("season"):
        if g("season") in lex.ambiguous and m.group(0).strip() == g("season"):
            return None  # "fall" alone is the verb; "the fall", "this fall" are the season
        p.season = lex.seasons[g("season")]
        p.shift = _shift(lex, m, "sh", "sha")
        return p
    if g("calg"):
        p.calendar = "gregorian"
    elif g("cals"):
        p.calendar = "solar_hijri"
    elif g("cali"):
        p.calendar = "islamic"
    elif g("calj"):
        p.calendar = "julian"
    if p.year is not None and p.calendar == "gregorian" and not g("calg") and lex.months_solar \
            and 1200 <= p.year < 1600 and p.month is None:
        p.calendar = "solar_hijri"  # a bare year like 1403 in Persian text
    if p.year is not None and p.month is not None and p.calendar == "gregorian" and lex.months_solar \
            and 1200 <= p.year < 1600 and not g("calg"):
        return None  # a Gregorian month name with a solar year: not a date we can trust
    p.shift = _shift(lex, m, "sh", "sha")
    if g("u2") or g("u3"):  # "june last year"
        s = _shift(lex, m, "sh2", "sha2")
        p.unit, p.shift = "year", s
    if g("dw"):
        p.day_offset = lex.days[g("dw")]
        if p.day_part is None and lex.day_parts:
            p.day_part = _day_part(lex, g("dw"))
        return p
    if g("dd"):  # "el día 13": a day of a month the text leaves to the anchor
        p.day = int(g("dd"))
        p.shift = _shift(lex, m, "sh")
        return p if 1 <= p.day <= 31 else None
    if g("um"):  # "al 24 de este mes": the day of a month counted from the anchor's
        p.unit, p.shift = "month", lex.shift[g("shm")]
        return p
    if g("dsh"):  # "the past two years" / "the coming months": a span, not a point
        p.kind = "duration"
        p.shift = lex.shift.get(g("dsh"))
        if g("pu"):
            p.unit = lex.units.get(g("pu"))
        else:
            p.unit = lex.units[g("u")]
            p.count = _number(lex, g("n"))
        return p if p.unit else None
    if g("u") and not (g("u2") or g("u3")):
        p.unit = lex.units[g("u")]
        n = _number(lex, g("n"))
        if n is not None:
            if g("agob") or g("agoa"):
                p.count = -n
            elif g("laterb") or g("latera"):
                p.count = n
            else:
                return None
            p.shift = None
        elif p.shift is None:
            return None
    if p.year is not None and p.month is None and p.calendar == "gregorian" and not (1500 <= p.year <= 2100):
        return None
    return p


def _has_suffix(word: str, m: regex.Match[str], lex: Lexicon) -> bool:
    """Whether a month word is followed by the language's month suffix ("بهمن‌ماه")."""
    rest = m.group(0)[m.group(0).find(word) + len(word):].lstrip()
    return any(rest.startswith(s) for s in lex.month_suffix)
