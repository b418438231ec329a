"""Cross-script name keys: Peskov, Песков, بيسكوف and پسکوف meet at ``bskf``.

Names are transliterated to ASCII (anyascii), then reduced to a consonant skeleton that
survives what Arabic script leaves out or spells differently: vowels go (Arabic writes
few), so do ``w``, ``y`` and ``j`` (و and ي also write the vowels u/o and i/e) and ``h``
(kh, sh, ch, gh); confusable letters fold together: p/b (Arabic has no p), v/f,
k/q/c/x, z/s; doubled letters count once. ``g`` stays (Persian گ, Russian г).
"""

from __future__ import annotations

import re

from anyascii import anyascii

_NON_LETTERS = re.compile(r"[^a-z ]+")
_FOLD = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "x": "k", "z": "s"})
_DROP = re.compile(r"[aeiouyjhw]")
_DOUBLE = re.compile(r"(.)\1+")


def translit(text: str) -> str:
    """ASCII transliteration of a name (no vowels added to Arabic script)."""
    return anyascii(text)


def skeleton(word: str) -> str:
    """The consonant skeleton of one word (may be empty for a vowel-only word)."""
    s = _NON_LETTERS.sub("", anyascii(word).lower())
    s = s.replace("ph", "f").replace("ck", "k")
    s = _DROP.sub("", s.translate(_FOLD))
    return _DOUBLE.sub(r"\1", s)


def name_key(words: list[str]) -> str:
    """Skeleton of a multi-word name, words joined by '-' (empty words left out)."""
    return "-".join(k for k in (skeleton(w) for w in words) if k)
