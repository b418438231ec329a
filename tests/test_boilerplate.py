import pytest

from dragoman.errors import ResourceError
from dragoman.resources import language_file, languages, resource_dir
from dragoman.text.boilerplate import KINDS, is_caps_label, load_pattern_file, parse_patterns, patterns_for, remove_boilerplate

from .texts import SENTENCES

# Lines as news sites insert them (written for these tests), and the kind expected.
BOILERPLATE = {
    "ar": [("اقرأ أيضا: روسيا وأوكرانيا تتبادلان الأسرى", "teaser"), ("أخبار ذات صلة", "teaser"),
           ("تابعونا على تلغرام", "social")],
    "fa": [("بیشتر بخوانید: مذاکرات استانبول بدون نتیجه پایان یافت", "teaser"), ("انتهای پیام", None),
           ("ارسال نظر", "comments")],
    "ru": [("Читайте также: Песков прокомментировал переговоры в Стамбуле", "teaser"),
           ("Подписывайтесь на наш канал в Telegram", "social"), ("Комментарии (12)", "comments")],
    "uk": [("Читайте також: Умєров очолить делегацію", "teaser"), ("Підписуйтесь на наш Telegram-канал", "social")],
    "de": [("Lesen Sie auch: Selenskyj reist nach Ankara", "teaser"), ("Folgen Sie uns auf Facebook", "social"),
           ("Kommentare", "comments")],
    "en": [("Read also: Ukraine and Russia swap prisoners", "teaser"), ("Follow us on Telegram", "social"),
           ("Comments (3)", "comments")],
    "fr": [("À lire aussi : Les négociations reprennent à Istanbul", "teaser"), ("Suivez-nous sur X", "social")],
    "tr": [("İlgili Haber: Heyetler Dolmabahçe'de bir araya geldi", "teaser")],
}


def test_every_language_file_parses_with_known_kinds():
    files = [p for p in resource_dir().glob("*/boilerplate.txt")]
    assert len(files) >= 8
    for path in files:
        patterns = load_pattern_file(path)
        assert len(patterns) > 0 and set(patterns.by_kind) <= set(KINDS), path


@pytest.mark.parametrize("lang", sorted(BOILERPLATE))
def test_language_has_pattern_file(lang):
    assert language_file(lang, "boilerplate.txt") is not None
    assert lang in languages()


@pytest.mark.parametrize("lang,line,kind", [(lang, line, kind) for lang, items in BOILERPLATE.items() for line, kind in items])
def test_boilerplate_lines_removed(lang, line, kind):
    text = f"{SENTENCES[lang]}\n\n{line}\n\n{SENTENCES[lang]}"
    kept, removed = remove_boilerplate(text, lang)
    assert [r.text for r in removed] == [line]
    if kind:
        assert removed[0].kind == kind
    assert kept.count(SENTENCES[lang]) == 2


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_news_sentences_survive(lang):
    text = "\n".join([SENTENCES[lang]] * 3)
    kept, removed = remove_boilerplate(text, lang)
    assert removed == [] and kept == text


@pytest.mark.parametrize(
    "line",
    [
        "Peskov said he had read the article and would comment on it later.",
        "Читайте также заявление МИД, опубликованное в пятницу, сказал Песков журналистам в Кремле.",
        "The comments by the minister drew criticism in Kyiv on Monday, officials said.",
    ],
)
def test_prose_that_mentions_cues_survives(line):
    kept, removed = remove_boilerplate(f"{line}\n{line}", "en" if line[0] in "PT" else "ru")
    assert removed == []


def test_parse_errors_name_file_and_line():
    with pytest.raises(ResourceError, match=r"my\.txt: line 2: unknown section"):
        parse_patterns("# c\n[nonsense]\nx", origin="my.txt")
    with pytest.raises(ResourceError, match=r"line 1: pattern before"):
        parse_patterns("^x", origin="f")
    with pytest.raises(ResourceError, match=r"line 2: invalid regular expression"):
        parse_patterns("[teaser]\n(unclosed", origin="f")


def test_patterns_match_folded_arabic_variants():
    pats = parse_patterns("[teaser]\n^اقرا ایضا", origin="t")
    kept, removed = remove_boilerplate("نص\nاقرأ أيضاً: خبر\nنص", "ar", patterns=pats)
    assert len(removed) == 1 and kept == "نص\nنص"


def test_tail_only_near_the_end():
    pats = parse_patterns("[tail]\n^related stories$", origin="t")
    body = [f"Paragraph {i} of the article about the talks." for i in range(10)]
    text = "\n".join(body + ["Related stories", "Teaser one", "Teaser two"])
    kept, removed = remove_boilerplate(text, "en", patterns=pats)
    assert kept == "\n".join(body) and [r.kind for r in removed] == ["tail"] * 3
    early = "\n".join(["Related stories"] + body)
    assert remove_boilerplate(early, "en", patterns=pats)[1] == []


def test_caps_labels_at_head_and_tail():
    body = "\n".join([SENTENCES["de"]] * 4)
    kept, removed = remove_boilerplate(f"AKTUELL\n\n{body}\n\nMEHR ZUM THEMA", "de", patterns=parse_patterns("", origin="t"))
    assert kept == body and [r.text for r in removed] == ["AKTUELL", "MEHR ZUM THEMA"]
    assert not is_caps_label("NATO", 3)  # too short to be sure
    assert not is_caps_label("Kyiv TALKS", 3)
    assert not is_caps_label("الكرملين", 3)  # no case in Arabic script


def test_repeated_lines_need_the_callers_set():
    line = "© Example News 2025"
    text = f"{SENTENCES['en']}\n{line}"
    from dragoman.text.boilerplate import line_key

    kept, removed = remove_boilerplate(text, "en", repeated={line_key(line)}, patterns=parse_patterns("", origin="t"))
    assert kept == SENTENCES["en"] and removed[0].kind == "repeated"


def test_tail_stops_at_a_long_paragraph():
    pats = parse_patterns("[tail]\n^related stories$", origin="t")
    body = [f"Paragraph {i} of the article about the talks." for i in range(10)]
    long_paragraph = ("The delegations met again on Monday. " * 15).strip()
    text = "\n".join(body + ["Related stories", "Teaser one", long_paragraph, "Teaser two"])
    kept, removed = remove_boilerplate(text, "en", patterns=pats)
    assert [r.text for r in removed] == ["Related stories", "Teaser one"]
    assert kept.endswith(long_paragraph + "\nTeaser two")
