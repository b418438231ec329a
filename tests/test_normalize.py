import pytest

from dragoman.text.normalize import clean_unicode, fold, fold_text


def test_clean_unicode_nfc_lines_and_controls():
    raw = "Cafe\u0301\r\nline  two\t\x07\n\n\n\nlast \u00a0 word "
    assert clean_unicode(raw) == "Café\nline two\n\nlast word"


def test_clean_unicode_keeps_zwnj():
    assert "\u200c" in clean_unicode("رئیس\u200cجمهوری")


@pytest.mark.parametrize(
    "lang,a,b",
    [
        ("fa", "رئیس\u200cجمهوری", "رئیسجمهوری"),  # ZWNJ present or stripped
        ("fa", "۲۶ اردیبهشت ۱۴۰۴", "26 اردیبهشت 1404"),  # Persian digits
        ("ar", "١٥ ديسمبر", "15 دیسمبر"),  # Arabic-Indic digits, Arabic yeh
        ("ar", "أخبار ذات علاقة", "اخبار ذات علاقه"),  # hamza forms, teh marbuta
        ("ar", "مُشَدِّدًا", "مشددا"),  # harakat
        ("fa", "كرملين", "کرملین"),  # Arabic kaf/yeh vs Persian
        ("de", "Gespräch", "GESPRÄCH"),
        ("fr", "À lire aussi", "a lire aussi"),
        ("ru", "Песков", "песков"),
        ("tr", "İlgili Haberler", "ilgili haberler"),
    ],
)
def test_fold_equates_variants(lang, a, b):
    assert fold_text(a) == fold_text(b)


@pytest.mark.parametrize(
    "text",
    ["رئیس\u200cجمهوری روسیه گفت", "وقال  بيسكوف: «نعم»", "Café – naïve", "۲۶ اردیبهشت ۱۴۰۴", "ـــالكرملين"],
)
def test_fold_offsets_map_back(text):
    folded = fold(text)
    assert folded.text == fold_text(text)
    for start in range(len(folded.text)):
        s, e = folded.source_span(start, start + 1)
        assert 0 <= s < e <= len(text)
        assert fold_text(text[s:e]).strip() == folded.text[start].strip() or folded.text[start] == " "
