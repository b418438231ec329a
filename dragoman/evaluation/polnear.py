"""PolNeAR (English political news, brat standoff) evaluation of the quotes layer.

Gold: every attribution relation (``E`` lines of ``data/<split>/attributions/*.ann``)
with its Content span(s) and Source span (``Attribution-no-source`` relations have
none). Where a text has several annotators' files, the first in name order is used.
Each text goes through the same steps as the pipeline (sentences, dates, entities,
quotes) on the text exactly as stored, so offsets agree.

Scores:

* **content** precision / recall / F1 by overlap: predicted and gold content spans are
  paired one-to-one, greedily by overlap size; a pair counts when they share a character;
* **source**: among paired gold attributions that have a Source, the share whose
  predicted speaker span overlaps it.

PolNeAR marks every attribution, thoughts and beliefs included ("investigators have
discovered", "allegations of"), not just speech: recall is bounded by that.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..entities import analyze_entities, load_registry
from ..model import DateValue
from ..quotes import extract_quotes
from ..text import sentences
from ..time import analyze_dates

DEFAULT_DATA = Path("..") / "shared" / "data" / "polnear" / "data"
TARGET_CONTENT_F1 = 0.85
TARGET_SOURCE = 0.85


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)


def read_ann(path: Path) -> list[Attribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            try:
                parts = [(int(a), int(b)) for a, b in (frag.split() for frag in offsets.split(";"))]
            except ValueError:
                continue  # a malformed span line: skipped
            spans[fields[0]] = (label, parts)
        elif line.startswith("E") and len(fields) >= 2:
            _, args = line.split("\t")[:2]
            relations.append([tuple(a.split(":", 1)) for a in args.split()])  # type: ignore[misc]
    out = []
    for rel in relations:
        content = [p for role, tid in rel if role == "Content" and tid in spans for p in spans[tid][1]]
        source = [p for role, tid in rel if role == "Source" and tid in spans for p in spans[tid][1]]
        if content:
            out.append(Attribution(content, source))
    return out


def documents(root: Path, split: str) -> Iterator[tuple[str, str, list[Attribution]]]:
    texts = root / split / "text"
    seen: set[str] = set()
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in seen or not (texts / f"{name}.txt").is_file():
            continue
        seen.add(name)
        yield name, (texts / f"{name}.txt").read_text(encoding="utf-8"), read_ann(ann)


def _doc_date(name: str) -> DateValue | None:
    try:
        day = dt.date.fromisoformat(name.split("_")[1])
    except (IndexError, ValueError):
        return None
    return DateValue(day.isoformat(), "metadata", None)


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def run(root: Path = DEFAULT_DATA, *, split: str = "dev", limit: int | None = None) -> dict:
    registry = load_registry()
    tp = n_pred = n_gold = src_ok = src_n = 0
    direct_pred = 0
    docs = 0
    t0 = time.perf_counter()
    for name, text, gold in list(documents(root, split))[:limit]:
        date = _doc_date(name)
        spans = sentences.split_sentences(text, "en")
        dates, _ = analyze_dates(text, "en", date)
        mentions, _, refs = analyze_entities(text, "en", date, registry)
        quotes = extract_quotes(text, "en", spans, mentions, refs, dates, date)
        n_pred += len(quotes)
        n_gold += len(gold)
        direct_pred += sum(q.direct for q in quotes)
        pairs = sorted(((_overlap([(q.start, q.end)], g.content), i, j) for i, q in enumerate(quotes)
                        for j, g in enumerate(gold)), reverse=True)
        used_p: set[int] = set()
        used_g: set[int] = set()
        for ov, i, j in pairs:
            if ov <= 0:
                break
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            tp += 1
            if gold[j].source:
                src_n += 1
                q = quotes[i]
                if q.speaker_span and _overlap([q.speaker_span], gold[j].source) > 0:
                    src_ok += 1
        docs += 1
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"split": split, "docs": docs, "seconds": round(time.perf_counter() - t0, 1),
            "content": {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "gold": n_gold, "predicted": n_pred,
                        "direct_predicted": direct_pred},
            "source": {"accuracy": round(src_ok / src_n, 3) if src_n else 0.0, "pairs": src_n}}
