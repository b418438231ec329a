import pytest

from dragoman.text.langid import identify, mixed_segments
from dragoman.text.sentences import split_sentences

from .texts import SENTENCES, TWO_SENTENCES


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_language_identification(lang):
    found, score = identify(SENTENCES[lang])
    assert found == lang and score > 0.5


@pytest.mark.parametrize("text", ["", "   ", "12345 67", "https://example.org/a"])
def test_language_unknown_for_no_letters(text):
    assert identify(text) == (None, 0.0)


def test_mixed_language_paragraphs():
    text = "\n".join([SENTENCES["en"] * 2, SENTENCES["ru"] * 2, SENTENCES["en"] * 2])
    [segment] = mixed_segments(text, "en")
    assert segment.lang == "ru" and text[segment.start : segment.end] == SENTENCES["ru"] * 2


@pytest.mark.parametrize("lang", sorted(TWO_SENTENCES))
def test_two_sentences(lang):
    text = "Заголовок\n\n" + TWO_SENTENCES[lang] if lang == "ru" else TWO_SENTENCES[lang]
    spans = split_sentences(text, lang)
    body = [text[s:e] for s, e in spans if text[s:e] != "Заголовок"]
    assert len(body) == 2, body
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_russian_abbreviations_do_not_end_sentences():
    text = "Встреча прошла 16 мая 2025 г. в Стамбуле, сообщил источник. Он добавил, что стороны договорились."
    assert len(split_sentences(text, "ru")) == 2


def test_sentences_never_cross_lines():
    text = "First line without stop\nSecond line. Third one."
    spans = split_sentences(text, "en")
    assert [text[s:e] for s, e in spans] == ["First line without stop", "Second line.", "Third one."]
