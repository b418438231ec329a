"""Text normalisation.

Two different things:

* :func:`clean_unicode` produces the *stored* text (NFC, unified line ends, control
  characters removed). Every offset Dragoman stores points into this text.
* :func:`fold` produces a *matching key* (letter variants, digits, diacritics and
  ZWNJ folded, lowercase) together with a map back to the stored text, so a match
  found in the folded string gives exact offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata

import regex
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2060\ufeff\ufffe]")
_MARKS = regex.compile(r"\p{Mn}+")
_SPACES = re.compile(r"\s+")
_LINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Arabic-script letter variants folded to the Persian forms (one code point each).
_LETTERS = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ة": "ه", "ۀ": "ه", "ؤ": "و", "ـ": None,  # tatweel
        "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None,
        # Persian and Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
        # typographic quotes and dashes to ASCII
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-",
    }
)


def clean_unicode(text: str) -> str:
    """The stored form of a text: NFC, ``\\n`` line ends, no control characters,
    runs of horizontal space collapsed, trailing spaces and blank-line runs trimmed.

    Zero-width non-joiners (U+200C) are kept: they are part of Persian spelling.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    lines = [_LINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded matching key and, for each of its characters, the offset in the source."""

    text: str
    offsets: tuple[int, ...]
    source_length: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the folded text back to the source text."""
        if start >= len(self.offsets):
            return self.source_length, self.source_length
        s = self.offsets[start]
        e = self.offsets[end - 1] + 1 if end > start else s
        return s, e


def _fold_char(ch: str) -> str:
    mapped = ch.translate(_LETTERS)
    if not mapped:
        return ""
    out = []
    for c in unicodedata.normalize("NFKD", mapped):
        if unicodedata.combining(c):  # diacritics, Arabic harakat, shadda
            continue
        out.append(c)
    return "".join(out).lower()


def fold(text: str) -> Folded:
    """Fold ``text`` for matching, keeping a map to the original offsets.

    Folds: Arabic/Persian letter variants, Persian and Arabic-Indic digits, ZWNJ and
    other joiners, tatweel, diacritics (Latin accents, Arabic harakat), case,
    typographic apostrophes and dashes. Whitespace runs become one space.
    """
    chars: list[str] = []
    offsets: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            chars.append(" ")
            offsets.append(i)
            prev_space = True
            continue
        prev_space = False
        for c in _fold_char(ch):
            chars.append(c)
            offsets.append(i)
    return Folded("".join(chars), tuple(offsets), len(text))


def fold_pattern(pattern: str) -> str:
    """Fold a regular expression's letters like :func:`fold_text` folds text, without
    lowercasing (escapes such as ``\\S`` keep their meaning; match case-insensitively)."""
    return _MARKS.sub("", unicodedata.normalize("NFKD", pattern.translate(_LETTERS)))


def fold_text(text: str) -> str:
    """Only the folded key of ``text`` (see :func:`fold`), computed fast, without the
    offset map: equal to ``fold(text).text``."""
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = _MARKS.sub("", text).lower()
    return _SPACES.sub(" ", text)
