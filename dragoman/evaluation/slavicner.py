"""Reader of the SlavicNER corpus (Piskorski, Marcińczuk & Yangarber, LREC-COLING 2024).

Layout under the corpus root (``../shared/data/slavicner`` beside the repository)::

    raw/<topic>/<lang>/<name>.txt   plain text, UTF-8
    ner/<topic>/<lang>/<name>.tsv   start, end (exclusive), surface, lemma, type, entity id

The gold offsets are character offsets into the raw file decoded as UTF-8 exactly as
stored (no newline translation, no BOM stripping); :func:`load` reads it that way and
checks every row against the surface. Rows that do not parse or whose surface differs
from ``text[start:end]`` are skipped and counted in :class:`LoadStats`.

Types are PER ORG LOC EVT PRO; :func:`to_ours` / :func:`from_ours` map them to the
project's :data:`~dragoman.entities.mentions.EntityType` and back.

The split is ours, not the corpus's: :func:`split_of` hashes the relative path, so a
fifth of every topic and language is held out (cross-topic, deterministic).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Literal

SLAVIC_LANGS = ("bg", "cs", "pl", "ru", "sl", "uk")
TYPES = ("PER", "ORG", "LOC", "EVT", "PRO")

_TO_OURS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "EVT": "EVENT", "PRO": "OTHER"}
_FROM_OURS = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "EVENT": "EVT", "OTHER": "PRO"}


def to_ours(slavic_type: str) -> str | None:
    """SlavicNER type → our entity type (PER→PERSON, EVT→EVENT, PRO→OTHER), or None."""
    return _TO_OURS.get(slavic_type)


def from_ours(our_type: str) -> str | None:
    """Our entity type → SlavicNER type; GPE counts as LOC. None for unknown types."""
    return _FROM_OURS.get(our_type)


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    text: str
    type: str  # SlavicNER type: PER ORG LOC EVT PRO
    entity_id: str


@dataclass
class GoldDoc:
    path: str  # "topic/lang/name", no extension
    topic: str
    lang: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)


@dataclass
class LoadStats:
    """What :func:`load` met on its way; pass one in to collect it."""

    docs: int = 0
    spans: int = 0
    missing_raw: list[str] = field(default_factory=list)
    bad_rows: int = 0  # rows that do not parse (column count, integers, range)
    mismatches: int = 0  # rows whose surface differs from text[start:end]
    examples: list[str] = field(default_factory=list)
    by_lang: Counter = field(default_factory=Counter)

    def note(self, msg: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(msg)


def split_of(rel_path: str) -> Literal["train", "test"]:
    """Deterministic split of a document by its relative path ("topic/lang/name")."""
    return "test" if int(hashlib.sha1(rel_path.encode()).hexdigest(), 16) % 5 == 0 else "train"


def read_raw(path: Path) -> str:
    """A raw file as the offsets see it: UTF-8, newlines untouched."""
    return path.read_bytes().decode("utf-8")


def read_spans(tsv: Path, text: str, rel: str = "", stats: LoadStats | None = None) -> list[GoldSpan]:
    """The checked rows of one annotation file, in file order."""
    spans: list[GoldSpan] = []
    for n, line in enumerate(read_raw(tsv).split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cols = line.split("\t")
        try:
            if len(cols) < 5:
                raise ValueError("too few columns")
            start, end = int(cols[0]), int(cols[1])
            if not 0 <= start < end <= len(text):
                raise ValueError("offsets out of range")
        except ValueError as exc:
            if stats is not None:
                stats.bad_rows += 1
                stats.note(f"{rel}:{n}: {exc}: {line[:80]!r}")
            continue
        surface = cols[2]
        if text[start:end] != surface:
            if stats is not None:
                stats.mismatches += 1
                stats.note(f"{rel}:{n}: {surface!r} != text {text[start:end]!r}")
            continue
        spans.append(GoldSpan(start, end, surface, cols[4].strip(), cols[5].strip() if len(cols) > 5 else ""))
    return spans


def documents(root: str | Path, *, langs: Iterable[str] | None = None) -> list[tuple[str, Path, Path]]:
    """(rel_path, tsv, raw) of every annotated document, sorted by rel_path."""
    root = Path(root)
    wanted = set(langs) if langs is not None else None
    out = []
    for tsv in sorted((root / "ner").glob("*/*/*.tsv")):
        topic, lang, name = tsv.parent.parent.name, tsv.parent.name, tsv.stem
        if wanted is not None and lang not in wanted:
            continue
        rel = f"{topic}/{lang}/{name}"
        out.append((rel, tsv, root / "raw" / topic / lang / f"{name}.txt"))
    return out


def load(
    root: str | Path,
    *,
    langs: Iterable[str] | None = None,
    split: Literal["train", "test"] | None = None,
    stats: LoadStats | None = None,
) -> Iterator[GoldDoc]:
    """Gold documents under ``root``, optionally only some languages and one split.

    An annotation file without its raw text is skipped (listed in ``stats.missing_raw``).
    """
    for rel, tsv, raw in documents(root, langs=langs):
        if split is not None and split_of(rel) != split:
            continue
        if not raw.is_file():
            if stats is not None:
                stats.missing_raw.append(rel)
            continue
        text = read_raw(raw)
        spans = read_spans(tsv, text, rel, stats)
        topic, lang, _ = rel.split("/", 2)
        if stats is not None:
            stats.docs += 1
            stats.spans += len(spans)
            stats.by_lang[lang] += 1
        yield GoldDoc(rel, topic, lang, text, spans)


def check(root: str | Path, *, langs: Iterable[str] | None = None) -> LoadStats:
    """Read everything once and return what was found (docs, spans, mismatches, ...)."""
    stats = LoadStats()
    for _ in load(root, langs=langs, stats=stats):
        pass
    return stats


if __name__ == "__main__":  # python -m dragoman.evaluation.slavicner [root]
    import sys

    default = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "slavicner"
    st = check(sys.argv[1] if len(sys.argv) > 1 else default)
    print(f"docs {st.docs}  spans {st.spans}  missing raw {len(st.missing_raw)}  "
          f"bad rows {st.bad_rows}  surface mismatches {st.mismatches}")
    print("by language:", dict(sorted(st.by_lang.items())))
    for ex in st.examples:
        print("  ", ex)
