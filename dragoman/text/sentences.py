"""Sentence segmentation with character offsets.

Backends: ``razdel`` for Russian (it knows Russian abbreviations), ``sentencex``
for every other language (it handles Ukrainian and Persian, where pysbd fails).
Extra non-breaking abbreviations per language come from
``resources/<lang>/abbreviations.txt`` (one per line, with the final dot).
"""

from __future__ import annotations

from functools import lru_cache

from ..resources import language_file

_RAZDEL = {"ru"}


@lru_cache(maxsize=64)
def _abbreviations(lang: str) -> frozenset[str]:
    path = language_file(lang, "abbreviations.txt")
    if path is None:
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _pieces(paragraph: str, lang: str | None) -> list[str]:
    if lang in _RAZDEL:
        from razdel import sentenize

        return [s.text for s in sentenize(paragraph)]
    import sentencex

    return list(sentencex.segment(lang or "en", paragraph))


def split_sentences(text: str, lang: str | None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering the non-blank text; a sentence never
    crosses a line break (news paragraphs are lines)."""
    spans: list[tuple[int, int]] = []
    abbreviations = _abbreviations(lang) if lang else frozenset()
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cursor = 0
        line_spans: list[tuple[int, int]] = []
        for piece in _pieces(line, lang):
            piece = piece.strip()
            if not piece:
                continue
            at = line.find(piece, cursor)
            if at < 0:  # the backend changed the text; fall back to the whole line
                line_spans = [(0, len(line))]
                break
            cursor = at + len(piece)
            prev = line_spans[-1] if line_spans else None
            if prev and abbreviations:
                last_word = line[prev[0] : prev[1]].rsplit(None, 1)[-1].lower()
                if last_word in abbreviations:
                    line_spans[-1] = (prev[0], cursor)
                    continue
            line_spans.append((at, cursor))
        spans.extend((line_start + s, line_start + e) for s, e in line_spans)
    return spans
