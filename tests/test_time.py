"""The temporal layer: expressions per language, calendars, year resolution, document dates."""

import datetime as dt

import pytest

from dragoman import Pipeline
from dragoman.errors import ResourceError
from dragoman.model import DateValue
from dragoman.resources import resource_dir
from dragoman.time import analyze_dates
from dragoman.time.calendars import islamic_to_gregorian, julian_to_gregorian, solar_to_gregorian
from dragoman.time.lexicon import parse_lexicon
from dragoman.time.resolve import resolve_weekday


def values(text, lang, date=None):
    mentions, _ = analyze_dates(text, lang, date)
    return {m.text: m.value for m in mentions}


# (language, sentence written for these tests, document date, expected text -> value)
CASES = [
    ("en", "Peskov said on Friday, April 4, that the talks of May 16, 2025 and of last week went well.",
     "2025-04-07", {"Friday, April 4": "2025-04-04", "May 16, 2025": "2025-05-16", "last week": "2025-W14"}),
    ("en", "The ceasefire agreed three days ago held until yesterday; talks resume in early 2026.",
     "2025-03-20", {"three days ago": "2025-03-17", "yesterday": "2025-03-19", "early 2026": "2026"}),
    ("es", "El portavoz dijo el pasado 27 de septiembre que el año pasado hubo conversaciones.",
     "2000-11-15", {"el pasado 27 de septiembre": "2000-09-27", "el año pasado": "1999"}),
    ("ru", "7 ноября Песков заявил, что в начале октября 2022 года и на прошлой неделе переговоров не было.",
     "2022-11-08", {"7 ноября": "2022-11-07", "в начале октября 2022 года": "2022-10", "прошлой неделе": "2022-W44"}),
    ("ru", "Вчера, три дня назад и в 2022 году.", "2025-05-20",
     {"Вчера": "2025-05-19", "три дня назад": "2025-05-17", "в 2022 году": "2022"}),
    ("ar", "وأجرى بوتين اتصالا مع ترامب يوم الاثنين ١٩ مايو/أيار ٢٠٢٥، وفي 24 فبراير بدأت العملية، والأسبوع الماضي.",
     "2025-05-20", {"الاثنين ١٩ مايو/أيار ٢٠٢٥": "2025-05-19", "24 فبراير": "2025-02-24", "الأسبوع الماضي": "2025-W20"}),
    ("ar", "اتفاقيات إسطنبول عام 2022 وفي 15 رمضان 1446 هـ", None,
     {"عام 2022": "2022", "15 رمضان 1446 هـ": "2025-03-15"}),
    ("fa", "هیئت‌ها روز جمعه ۲۶ اردیبهشت ۱۴۰۴ در استانبول دیدار کردند و هفته گذشته در سال ۲۰۲۲ میلادی.",
     "2025-05-20", {"جمعه ۲۶ اردیبهشت ۱۴۰۴": "2025-05-16", "هفته گذشته": "2025-W20", "در سال ۲۰۲۲ میلادی": "2022"}),
    ("fa", "دومین مکالمه ۲۸ اسفند ۱۴۰۳ و نخستین ۲۴ بهمن ۱۴۰۳ انجام شد.", None,
     {"۲۸ اسفند ۱۴۰۳": "2025-03-18", "۲۴ بهمن ۱۴۰۳": "2025-02-12"}),
]


@pytest.mark.parametrize("lang,text,date,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_expressions_and_values(lang, text, date, expected):
    got = values(text, lang, date)
    for span, value in expected.items():
        assert got.get(span) == value, (span, got)


def test_persian_month_with_stripped_zwnj_and_suffix():
    got = values("از بهمنماه ۱۴۰۳ تاکنون و جمعه ۲۶ اردیبهشت‌ماه ۱۴۰۴", "fa")
    assert got["بهمنماه ۱۴۰۳"] == "2025-02"  # most of Bahman 1403 falls in February 2025
    assert got["جمعه ۲۶ اردیبهشت‌ماه ۱۴۰۴"] == "2025-05-16"


def test_persian_month_words_that_are_other_words_need_context():
    # "تیر" is also a shot, "مهر" a seal: alone they are not months
    assert values("او یک تیر شلیک کرد و مهر نامه را زد.", "fa") == {}
    assert values("در تیرماه ۱۴۰۳", "fa") == {"تیرماه ۱۴۰۳": "2024-07"}


def test_ranges_for_other_calendars():
    mentions, _ = analyze_dates("بهمن ۱۴۰۳", "fa")
    assert mentions[0].calendar == "solar_hijri" and mentions[0].range == ("2025-01-20", "2025-02-18")


@pytest.mark.parametrize("date", [None, "2025-03-30"])
def test_year_is_never_invented(date):
    got = values("7 ноября Песков заявил, что в начале октября переговоров не было.", "ru", date)
    if date is None:
        assert got == {"7 ноября": "XXXX-11-07", "в начале октября": "XXXX-10"}
    else:
        assert got == {"7 ноября": "2024-11-07", "в начале октября": "2024-10"}


def test_relative_dates_without_document_date_have_no_value():
    mentions, doc = analyze_dates("Вчера Песков заявил журналистам.", "ru")
    assert doc.value is None and [(m.value, m.basis) for m in mentions] == [(None, "unknown")]


def test_year_from_other_dates_in_the_text_is_inferred():
    mentions, doc = analyze_dates("On March 3, 2025 the talks began. On 28 February the envoy arrived.", "en")
    assert doc == DateValue("2025-03-03", "inferred", "March 3, 2025")
    got = {m.text: (m.value, m.basis) for m in mentions}
    assert got["28 February"] == ("2025-02-28", "inferred")


def test_weekday_with_date_picks_the_matching_year():
    # 4 April was a Friday in 2025; from a 2027 anchor the Friday rule still finds 2025
    assert list(values("am Freitag, dem 4. April", "de", "2027-01-10").values()) == ["2025-04-04"]


def test_document_date_from_weekday_after_latest_date():
    text = "جمعه ۲۶ اردیبهشت ۱۴۰۴ مذاکرات برگزار شد. جزئیات مذاکره تلفنی بعدازظهر دوشنبه ارائه خواهد شد."
    mentions, doc = analyze_dates(text, "fa")
    assert doc.value == "2025-05-19" and doc.basis == "inferred"
    assert {m.text: m.value for m in mentions}["دوشنبه"] == "2025-05-19"


def test_metadata_date_wins():
    _, doc = analyze_dates("On March 3, 2025 the talks began.", "en", "2025-06-01")
    assert doc.value == "2025-06-01" and doc.basis == "metadata"


def test_weekday_resolution():
    thursday = dt.date(2013, 3, 21)
    assert resolve_weekday(5, thursday, None) == dt.date(2013, 3, 22)  # tomorrow's Friday
    assert resolve_weekday(1, thursday, None) == dt.date(2013, 3, 18)  # this week's Monday
    assert resolve_weekday(4, thursday, None) == thursday
    assert resolve_weekday(4, thursday, -1) == dt.date(2013, 3, 14)
    assert resolve_weekday(4, thursday, 1) == dt.date(2013, 3, 28)


def test_calendar_conversions():
    assert solar_to_gregorian(1404, 2, 26) == (dt.date(2025, 5, 16),) * 2
    assert solar_to_gregorian(1403, 11, 24)[0] == dt.date(2025, 2, 12)
    assert solar_to_gregorian(1403, 12, 28)[0] == dt.date(2025, 3, 18)
    assert solar_to_gregorian(1403, None, None) == (dt.date(2024, 3, 20), dt.date(2025, 3, 20))
    assert islamic_to_gregorian(1446, 9, 1)[0] == dt.date(2025, 3, 1)
    assert julian_to_gregorian(1917, 10, 25) == dt.date(1917, 11, 7)


def test_invalid_dates_are_dropped():
    assert values("on 31 February 2025", "en") == {}


def test_numbers_that_are_not_years():
    assert values("The 1,000 prisoners and 3500 soldiers.", "en") == {}


@pytest.mark.parametrize("lang", [p.parent.name for p in sorted(resource_dir().glob("*/time.toml"))])
def test_every_time_file_loads(lang):
    from dragoman.time.lexicon import lexicon_for

    lex = lexicon_for(lang)
    assert (lex.months or lex.months_solar) and lex.weekdays and lex.days


def test_lexicon_errors_name_the_section():
    with pytest.raises(ResourceError, match=r"\[months\] months are numbered"):
        parse_lexicon({"months": {"13": ["x"]}}, lang="xx", origin="f")
    with pytest.raises(ResourceError, match=r"\[units\] unknown key"):
        parse_lexicon({"units": {"fortnight": ["x"]}}, lang="xx", origin="f")


def test_annotate_fills_dates_with_contract_fields():
    result = Pipeline().annotate("Переговоры прошли 16 мая 2025 года в Стамбуле.", lang="ru")
    assert result["date"] == {"value": "2025-05-16", "basis": "inferred", "text": "16 мая 2025 года"}
    (d,) = result["dates"]
    assert result["text"][d["start"]:d["end"]] == d["text"] == "16 мая 2025 года"
    assert d["value"] == "2025-05-16" and d["basis"] == "explicit" and d["calendar"] == "gregorian"


# The seeds: every date expression with the value expected (../shared/corpus/seeds).
SEED_DATES = {
    "001_5b40241432b833c2": {"بهمنماه ۱۴۰۳": "2025-02", "در سال ۲۰۲۲": "2022", "دوشنبه": "2025-05-19",
                             "۲۸ اسفند ۱۴۰۳": "2025-03-18", "۲۴ بهمن ۱۴۰۳": "2025-02-12",
                             "جمعه ۲۶ اردیبهشتماه ۱۴۰۴": "2025-05-16"},
    "000_2edf4c7256988321": {"عام 2022": "2022"},
    "002_18daf78c714a7af7": {"24 فبراير": "XXXX-02-24", "15 ديسمبر": "XXXX-12-15", "26 يناير": "XXXX-01-26"},
    "004_7edc6db95af8553e": {"7 ноября": "XXXX-11-07", "6 ноября": "XXXX-11-06", "В начале октября": "XXXX-10"},
}


@pytest.mark.shared
@pytest.mark.parametrize("doc_id", sorted(SEED_DATES))
def test_seed_dates(seeds, doc_id):
    text = (seeds / f"{doc_id}.txt").read_text(encoding="utf-8")
    result = Pipeline().annotate(text)
    got = {d["text"]: d["value"] for d in result["dates"]}
    for span, value in SEED_DATES[doc_id].items():
        assert got.get(span) == value, (span, got)


@pytest.mark.shared
def test_seed_document_dates(seeds):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}
    dates = {k: Pipeline().annotate(t)["date"] for k, t in texts.items()}
    assert dates["001_5b40241432b833c2"]["value"] == "2025-05-19"  # Friday 16 May, then "Monday afternoon"
    assert dates["001_5b40241432b833c2"]["basis"] == "inferred"
    for k in ("000_2edf4c7256988321", "002_18daf78c714a7af7", "004_7edc6db95af8553e"):
        assert dates[k]["value"] is None  # no day with its year in the text: unknown, not guessed


@pytest.mark.shared
def test_seed_year_resolution_with_document_date(seeds):
    r = Pipeline().annotate((seeds / "002_18daf78c714a7af7.txt").read_text(encoding="utf-8"), date="2022-03-03")
    got = {d["text"]: d["value"] for d in r["dates"]}
    assert got["24 فبراير"] == "2022-02-24" and got["15 ديسمبر"] == "2021-12-15" and got["26 يناير"] == "2022-01-26"
    r = Pipeline().annotate((seeds / "004_7edc6db95af8553e.txt").read_text(encoding="utf-8"), date="2022-11-08")
    got = {d["text"]: d["value"] for d in r["dates"]}
    assert got["7 ноября"] == "2022-11-07" and got["В начале октября"] == "2022-10"


@pytest.mark.shared
@pytest.mark.parametrize("date", ["2025-04-06", "2025-01-15", "2025-12-20"])
def test_seed_german_weekday_date_with_a_2025_document_date(seeds, date):
    text = (seeds / "003_c96e93538e62335c.txt").read_text(encoding="utf-8")
    got = {d["text"]: d["value"] for d in Pipeline().annotate(text, date=date)["dates"]}
    assert "2025-04-04" in got.values(), got
    without = {d["text"]: d["value"] for d in Pipeline().annotate(text)["dates"]}
    assert "XXXX-04-04" in without.values(), without


def kinds(text, lang, date=None):
    mentions, _ = analyze_dates(text, lang, date)
    return {m.text: (m.value, m.kind) for m in mentions}


# (language, sentence written for these tests, document date, expected text -> (value, kind))
SPAN_CASES = [
    # a part of a day makes a TIMEX3 TIME on that day
    ("en", "The envoy left on Friday afternoon and called yesterday morning and last night.", "2025-05-19",
     {"Friday afternoon": ("2025-05-16TAF", "time"), "yesterday morning": ("2025-05-18TMO", "time"),
      "last night": ("2025-05-18TNI", "time")}),
    ("ru", "Стороны созвонились вчера вечером и в пятницу утром.", "2025-05-19",
     {"вчера вечером": ("2025-05-18TEV", "time"), "пятницу утром": ("2025-05-16TMO", "time")}),
    ("es", "El ministro habló ayer por la tarde y volverá a hablar esta noche.", "2025-05-21",
     {"ayer por la tarde": ("2025-05-20TAF", "time"), "esta noche": ("2025-05-21TNI", "time")}),
    # a span back or ahead is a duration, not a point
    ("en", "Talks stalled over the past two years and may resume in the coming months.", "2025-05-21",
     {"the past two years": ("P2Y", "duration"), "the coming months": ("PXM", "duration")}),
    ("ru", "За последние два года и в ближайшие дни.", "2025-05-21",
     {"последние два года": ("P2Y", "duration"), "ближайшие дни": ("PXD", "duration")}),
    ("es", "durante los próximos tres años", "2025-05-21", {"los próximos tres años": ("P3Y", "duration")}),
    # the first day of a range shares the month of the date after it
    ("ru", "Переговоры прошли 4-5 апреля.", "2025-05-21",
     {"4": ("2025-04-04", "date"), "5 апреля": ("2025-04-05", "date")}),
    ("es", "La cumbre se celebrará del 7 al 11 de septiembre.", "2025-08-01",
     {"del 7": ("2025-09-07", "date"), "al 11 de septiembre": ("2025-09-11", "date")}),
    ("fr", "Les pourparlers du 4 au 6 avril ont échoué.", "2025-04-20",
     {"4": ("2025-04-04", "date"), "6 avril": ("2025-04-06", "date")}),
    # a day of the month alone, a day in words, a day of "this month"
    ("es", "Las conversaciones siguen hasta el día 13, tras la reunión del pasado día 3.", "2025-05-08",
     {"el día 13": ("2025-05-13", "date"), "del pasado día 3": ("2025-05-03", "date")}),
    ("es", "El acuerdo entra en vigor el primero de diciembre y la tregua dura hasta el 24 de este mes.", "2025-11-10",
     {"el primero de diciembre": ("2025-12-01", "date"), "el 24 de este mes": ("2025-11-24", "date")}),
    ("es", "Ocurrió el pasado mes de mayo, hace más de 30 años en el siglo XIX.", "2025-11-10",
     {"el pasado mes de mayo": ("2025-05", "date"), "hace más de 30 años": ("1995", "date"),
      "el siglo XIX": ("18", "date")}),
    ("ru", "Это было в XX веке, более 30 лет назад, в прошлом году.", "2025-11-10",
     {"XX веке": ("19", "date"), "более 30 лет назад": ("1995", "date"), "прошлом году": ("2024", "date")}),
    # "last summer" in December is that year's summer; in July it is the year before
    ("en", "The offensive began last summer.", "2025-12-10", {"last summer": ("2025-SU", "date")}),
    ("en", "The offensive began last summer.", "2025-07-10", {"last summer": ("2024-SU", "date")}),
    ("es", "La ofensiva empezó este invierno.", "2025-12-10", {"este invierno": ("2026-WI", "date")}),
]


@pytest.mark.parametrize("lang,text,date,expected", SPAN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SPAN_CASES)])
def test_times_durations_ranges_and_days(lang, text, date, expected):
    found = kinds(text, lang, date)
    for phrase, want in expected.items():
        assert found.get(phrase) == want, (phrase, found)


@pytest.mark.parametrize("lang,text", [
    ("en", "They will leave as soon as the talks end."),  # a conjunction, not a time
    ("en", "Prices may fall further."),  # the verb, not the season
    ("es", "uno de los colaboradores más próximos del presidente"),  # "close", not "next"
    ("es", "Se reunieron por la mañana."),  # the morning, not tomorrow
    ("es", "El futuro de la candidatura depende de ello."),  # a noun with its complement
])
def test_words_that_are_not_dates(lang, text):
    mentions, _ = analyze_dates(text, lang, "2025-05-21")
    assert [(m.text, m.value) for m in mentions if m.kind == "date"] == []


def test_range_needs_a_smaller_first_day():
    # "25-4" is not a range of April; "1957 - 58" keeps its years apart
    found = kinds("Votes 25-4 April 2025.", "en", "2025-05-01")
    assert "25" not in found


def test_day_alone_without_document_date_keeps_year_and_month_unknown():
    found = kinds("hasta el día 13", "es", None)
    assert found["el día 13"] == ("XXXX-XX-13", "date")
