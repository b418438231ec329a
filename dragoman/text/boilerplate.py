"""Boilerplate removal on plain text.

Two sources of evidence, both line-based:

1. **Patterns** from ``resources/<lang>/boilerplate.txt`` and
   ``resources/_common/boilerplate.txt``: sections name the kind (``[teaser]``,
   ``[social]``, ``[comments]``, ``[mirror]``, ``[copyright]``, ``[byline_meta]``,
   ``[navigation]``, ``[tail]``); each line below is a regular expression searched in
   the folded form of a text line (see :func:`dragoman.text.normalize.fold_text`).
   A ``[tail]`` line in the last 30% of the text removes itself and the teaser-sized
   lines after it (headlines and blurbs of related stories), up to the first paragraph
   longer than ``TAIL_MAX_CHARS``: that is article text again.
2. **Rubric labels**: a short line written all in capitals as the first line of the
   text (at most 3 words: "TATSÄCHLICH", "АКТУАЛЬНО") or among its last two lines (at
   most 6 words) is a site's section label, kind ``navigation``.
3. **Repetition**: a line that also occurs in other documents of the same source
   (site or folder) is boilerplate of kind ``repeated``; the caller passes those lines.

Removed lines are returned with their kind so they can be stored and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ResourceError
from ..model import RemovedLine
from ..resources import language_file, resource_dir
from .normalize import fold_pattern, fold_text

KINDS = ("teaser", "social", "comments", "mirror", "copyright", "byline_meta", "navigation", "tail")
TAIL_FROM = 0.7  # a [tail] header only counts in the last 30% of the lines
REPEATED_MAX_CHARS = 300  # long paragraphs are content even when a site repeats them
TAIL_MAX_CHARS = 400  # a related-story blurb is shorter; a longer paragraph ends the tail
LABEL_HEAD_WORDS = 3
LABEL_TAIL_WORDS = 6


@dataclass(slots=True)
class PatternSet:
    """Compiled boilerplate patterns by kind."""

    by_kind: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)

    def match(self, folded_line: str) -> str | None:
        """The kind of the first pattern that matches, ``tail`` last."""
        for kind, patterns in self.by_kind.items():
            if kind == "tail":
                continue
            if any(p.search(folded_line) for p in patterns):
                return kind
        return None

    def is_tail(self, folded_line: str) -> bool:
        return any(p.search(folded_line) for p in self.by_kind.get("tail", ()))

    def extend(self, other: PatternSet) -> None:
        for kind, patterns in other.by_kind.items():
            self.by_kind.setdefault(kind, []).extend(patterns)

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_kind.values())


def parse_patterns(text: str, *, origin: str) -> PatternSet:
    """Parse the boilerplate pattern format; errors name the file and line."""
    result = PatternSet()
    kind: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1].strip()
            if kind not in KINDS:
                raise ResourceError(f"line {number}: unknown section [{kind}]; known: {', '.join(KINDS)}", source=origin)
            continue
        if kind is None:
            raise ResourceError(f"line {number}: pattern before any [section]", source=origin)
        try:
            # lines are matched folded; fold the pattern's letters too, so that a pattern
            # written with Arabic ي or ك, or Russian й, matches the folded line
            compiled = re.compile(fold_pattern(line), re.IGNORECASE | re.UNICODE)
        except re.error as exc:
            raise ResourceError(f"line {number}: invalid regular expression {line!r}: {exc}", source=origin) from exc
        result.by_kind.setdefault(kind, []).append(compiled)
    return result


def load_pattern_file(path: Path) -> PatternSet:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read boilerplate patterns: {exc}", source=str(path)) from exc
    return parse_patterns(text, origin=str(path))


@lru_cache(maxsize=64)
def patterns_for(lang: str | None) -> PatternSet:
    """Language-independent patterns plus those of ``lang`` (if it has a file)."""
    result = PatternSet()
    common = resource_dir() / "_common" / "boilerplate.txt"
    if common.is_file():
        result.extend(load_pattern_file(common))
    path = language_file(lang, "boilerplate.txt") if lang else None
    if path is not None:
        result.extend(load_pattern_file(path))
    return result


def line_key(line: str) -> str:
    """The key under which a line counts as repeated across documents."""
    return fold_text(line).strip()


def is_repeatable(line: str) -> bool:
    """Lines short enough that their repetition across a site means boilerplate."""
    return 0 < len(line.strip()) <= REPEATED_MAX_CHARS


def is_caps_label(line: str, max_words: int) -> bool:
    """A short line all in capitals (in a script that has case)."""
    words = line.split()
    if not words or len(words) > max_words or len(line) > 80:
        return False
    letters = [c for c in line if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    return len(cased) >= 5 and len(cased) == len(letters) and all(c.isupper() for c in cased)


def remove_boilerplate(
    text: str,
    lang: str | None,
    *,
    repeated: frozenset[str] | set[str] = frozenset(),
    patterns: PatternSet | None = None,
) -> tuple[str, list[RemovedLine]]:
    """Remove boilerplate lines from ``text``; return the kept text and what was removed.

    ``repeated`` holds :func:`line_key` values of lines seen in other documents of the
    same source. The kept text keeps the paragraph structure (blank lines).
    """
    pats = patterns if patterns is not None else patterns_for(lang)
    lines = text.split("\n")
    content_lines = [i for i, line in enumerate(lines) if line.strip()]
    tail_start = content_lines[int(len(content_lines) * TAIL_FROM)] if len(content_lines) >= 4 else len(lines)
    removed: list[RemovedLine] = []
    keep: list[str] = []
    in_tail = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            keep.append("")
            continue
        if in_tail and len(stripped) <= TAIL_MAX_CHARS:
            removed.append(RemovedLine(stripped, "tail", i))
            continue
        in_tail = False
        folded = fold_text(stripped)
        if i >= tail_start and pats.is_tail(folded):
            removed.append(RemovedLine(stripped, "tail", i))
            in_tail = True
            continue
        kind = pats.match(folded)
        if kind is None and (
            (content_lines and i == content_lines[0] and is_caps_label(stripped, LABEL_HEAD_WORDS))
            or (i in content_lines[-2:] and len(content_lines) > 2 and is_caps_label(stripped, LABEL_TAIL_WORDS))
        ):
            kind = "navigation"
        if kind is None and repeated and is_repeatable(stripped) and folded.strip() in repeated:
            kind = "repeated"
        if kind is not None:
            removed.append(RemovedLine(stripped, kind, i))
            continue
        keep.append(line)
    return "\n".join(keep).strip("\n"), removed
