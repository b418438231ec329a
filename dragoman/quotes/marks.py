"""Quotation marks: the top-level quoted spans of a text, in every quoting style.

Handles « », „ “ / „ ”, “ ”, " ", ‹ ›, 「 」, 『 』, two apostrophes as a double mark
(''so'', as in typewritten and some archived English news) and single ' ' / ‘ ’ (the
latter only where they cannot be apostrophes), nested quotes (the outer span wins), and quotes that
run over paragraphs in the English way (a paragraph left open whose successor reopens
with the same mark). An opening mark never closed in its paragraph is dropped.
"""

from __future__ import annotations

from typing import NamedTuple

# opener -> the closers it accepts
PAIRS = {"«": "»", "„": "“”", "“": "”", '"': '"', "‹": "›", "「": "」", "『": "』", "‘": "’", "'": "'", "»": "«",
         "''": ("''",)}
SINGLE = {"'", "‘", "’"}
DOUBLED = "''"  # two apostrophes: one double quotation mark


class Quoted(NamedTuple):
    start: int  # first character inside the marks
    end: int  # the closing mark's offset
    open_mark: str


def _single_role(text: str, i: int, width: int = 1) -> str | None:
    """'open', 'close' or None (an apostrophe) for a single quote (``width`` 2: two
    apostrophes) at ``i``."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None  # don't, Putin's, Putin'in
    if not before.isalnum() and after.isalnum() and before not in "'’":
        return "open"
    if (before.isalnum() or before in ".,!?;:…") and not after.isalnum():
        return "close"
    return None


def quoted_spans(text: str) -> list[Quoted]:
    """Top-level quoted spans (inside the marks), in text order."""
    out: list[Quoted] = []
    stack: list[tuple[str, int]] = []  # (opener, offset)
    # German and Danish use » « the other way round: decide per text by the first guillemet
    first = next((c for c in text if c in "«»"), "«")
    pairs = dict(PAIRS)
    if first == "»":
        pairs["»"], pairs["«"] = "«", "»"
    else:
        pairs.pop("»")
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            j = i + 1
            while j < n and text[j] in " \t\n":
                j += 1
            if stack and j < n and text.startswith(stack[0][0], j):
                i = j + len(stack[0][0])  # the quote goes on in the next paragraph
                continue
            stack.clear()
            i += 1
            continue
        role = None
        if text.startswith(DOUBLED, i):
            c = DOUBLED
            role = _single_role(text, i, 2)
            if role is None:
                i += 2
                continue
        elif c in SINGLE:
            role = _single_role(text, i)
            if role is None:
                i += 1
                continue
        if stack and c in pairs[stack[-1][0]] and role != "open":
            opener, pos = stack.pop()
            if not stack:
                out.append(Quoted(pos + len(opener), i, opener))
        elif c in pairs and role != "close":
            stack.append((c, i))
        i += len(c)
    return out
