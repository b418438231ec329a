"""Word tokens with character offsets, shared by the NER backends and the gazetteer.

A token is a run of letters/digits joined by inner hyphens, apostrophes or ZWNJ
(Persian ``می‌گوید``), or one punctuation character. Offsets index the text as given.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[-'’\u200c][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]", regex.V1)


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]
