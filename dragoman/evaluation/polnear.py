"""PolNeAR (English political news, brat standoff) evaluation of the quotes layer.

Gold: every attribution relation (``E`` lines of ``data/<split>/attributions/*.ann``)
with its Content span(s) and Source span (``Attribution-no-source`` relations have
none). Where a text has several annotators' files, the first in name order is used.
Each text goes through the same steps as the pipeline (sentences, dates, entities,
quotes) on the text exactly as stored, so offsets agree.

Scores:

* **content** precision / recall / F1 by overlap: predicted and gold content spans are
  paired one-to-one, greedily by overlap size; a pair counts when they share a character;
* **content tokens** (citron's "overlap" figures, with each token counted once):
  precision = the share of tokens inside predicted content that are inside gold
  content, recall the other way round (tokens: runs of word characters and single
  other non-space characters);
* **source**: among paired gold attributions that have a Source, the share whose
  predicted speaker span overlaps it;
* **kinds**: predictions and precision per kind of quote — ``direct`` (in quotation
  marks or after a colon), ``reported`` (with a cue), ``no_cue`` (a quote running on,
  or content the attribution tagger found without its cue).

PolNeAR marks every attribution, thoughts and beliefs included ("investigators have
discovered", "allegations of"), not just speech: recall is bounded by that. The English
attribution tagger (:mod:`dragoman.quotes.tagger`) is trained on the *train* split, so
train figures are in-sample whenever it is on (the result says so under ``note``); dev
is the held-out figure (cross-validated train figures: ``python -m
dragoman.quotes.train_tagger --folds 4 --no-save``).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..entities import analyze_entities, load_registry
from ..model import DateValue
from ..quotes import extract_quotes
from ..quotes.tagger import tagger_for
from ..text import sentences
from ..time import analyze_dates

DEFAULT_DATA = Path("..") / "shared" / "data" / "polnear" / "data"
TARGET_CONTENT_F1 = 0.85
TARGET_SOURCE = 0.85


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)


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
        cue = [p for role, tid in rel if role == "Cue" and tid in spans for p in spans[tid][1]]
        if content:
            out.append(Attribution(content, source, cue))
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


def prf(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``hits`` among ``predicted`` and ``gold`` (0 where undefined)."""
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


_TOKEN = re.compile(r"\w+|[^\w\s]")


def token_overlap(text: str, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[int, int, int]:
    """(tokens in both, tokens in predicted, tokens in gold) content spans of one text."""
    def covered(spans: list[tuple[int, int]]) -> set[int]:
        out: set[int] = set()
        for i, (a, b) in enumerate(tokens):
            if any(a < e and s < b for s, e in spans):
                out.add(i)
        return out

    tokens = [m.span() for m in _TOKEN.finditer(text)]
    p, g = covered(predicted), covered(gold)
    return len(p & g), len(p), len(g)


@dataclass
class Match:
    tp: int = 0  # paired predictions and gold attributions
    source_ok: int = 0  # pairs whose gold Source the predicted speaker span overlaps
    source_pairs: int = 0  # pairs whose gold attribution has a Source
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (prediction index, gold index)


def match(predicted: list[tuple[tuple[int, int], tuple[int, int] | None]], gold: list[Attribution]) -> Match:
    """Pair predicted (content span, speaker span) with gold attributions one-to-one,
    greedily by content overlap size; a pair counts when they share a character."""
    pairs = sorted(((_overlap([c], g.content), i, j) for i, (c, _) in enumerate(predicted)
                    for j, g in enumerate(gold)), reverse=True)
    out = Match()
    used_p: set[int] = set()
    used_g: set[int] = set()
    for ov, i, j in pairs:
        if ov <= 0:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.tp += 1
        out.pairs.append((i, j))
        if gold[j].source:
            out.source_pairs += 1
            speaker = predicted[i][1]
            if speaker and _overlap([speaker], gold[j].source) > 0:
                out.source_ok += 1
    return out


def run(root: Path = DEFAULT_DATA, *, split: str = "dev", limit: int | None = None) -> dict:
    registry = load_registry()
    tp = n_pred = n_gold = src_ok = src_n = 0
    direct_pred = 0
    kinds = {k: [0, 0] for k in ("direct", "reported", "no_cue")}  # predicted, paired
    docs = 0
    tok = [0, 0, 0]  # content tokens in both, predicted, gold
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
        m = match([((q.start, q.end), q.speaker_span) for q in quotes], gold)
        both, in_pred, in_gold = token_overlap(text, [(q.start, q.end) for q in quotes],
                                               [c for g in gold for c in g.content])
        tok[0] += both
        tok[1] += in_pred
        tok[2] += in_gold
        tp += m.tp
        src_ok += m.source_ok
        src_n += m.source_pairs
        paired = {i for i, _ in m.pairs}
        for i, q in enumerate(quotes):
            kind = kinds["direct" if q.direct else "reported" if q.cue else "no_cue"]
            kind[0] += 1
            kind[1] += i in paired
        docs += 1
    p, r, f = prf(tp, n_pred, n_gold)
    tok_p, tok_r, tok_f = prf(*tok)
    out: dict = {"split": split, "docs": docs, "seconds": round(time.perf_counter() - t0, 1),
            "content": {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "gold": n_gold, "predicted": n_pred,
                        "direct_predicted": direct_pred},
            "content_tokens": {"p": round(tok_p, 3), "r": round(tok_r, 3), "f1": round(tok_f, 3)},
            "source": {"accuracy": round(src_ok / src_n, 3) if src_n else 0.0, "pairs": src_n},
            "kinds": {k: {"predicted": n, "p": round(ok / n, 3) if n else 0.0} for k, (n, ok) in kinds.items()}}
    tagger = tagger_for("en")
    if tagger is not None:
        out["tagger"] = tagger.model_path.name
        if tagger.neural_path is not None:
            out["tagger"] += f" + {tagger.neural_path.name} (share {tagger.neural_weight})"
        if tagger.rescorer_path is not None:
            out["tagger"] += f" + {tagger.rescorer_path.name} (keep {tagger.rescore_keep})"
        if split == "train":
            out["note"] = "in-sample: the attribution tagger was trained on this split"
    return out
