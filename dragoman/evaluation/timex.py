"""TempEval-3 TimeBank evaluation of the temporal layer (English and Spanish).

Reads ``../shared/data/timex/datasets/timebank/<lang>/<split>.tsv`` (token, BIO type,
normalised value; ``*!-DCTVALUE="..."-!*`` lines open documents), rebuilds each
document's text from its tokens, runs :func:`dragoman.time.analyze_dates` with the
document creation date as the known document date, and scores DATE expressions:

* span precision/recall/F1, strict (same offsets) and relaxed (overlap), one-to-one;
* value precision/recall/F1: a prediction counts when it overlaps a gold DATE and its
  value equals the gold value exactly (TempEval-3's value F1 over DATE expressions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..time import analyze_dates

DCT = re.compile(r'\*!-DCTVALUE="([^"]+)"-!\*')


@dataclass
class GoldDoc:
    dct: str
    text: str
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, type, value


def read_tsv(path: Path) -> list[GoldDoc]:
    docs: list[GoldDoc] = []
    parts: list[str] = []
    pos = 0
    cur: list | None = None
    doc: GoldDoc | None = None

    def close_span() -> None:
        nonlocal cur
        if cur is not None and doc is not None:
            doc.spans.append((cur[0], cur[1], cur[2], cur[3]))
        cur = None

    def finish() -> None:
        if doc is not None:
            close_span()
            doc.text = "".join(parts)
            docs.append(doc)

    for raw in path.read_text(encoding="utf-8").splitlines():
        m = DCT.match(raw)
        if m:
            finish()
            doc, parts, pos, cur = GoldDoc(m.group(1)[:10], ""), [], 0, None
            continue
        if doc is None:
            continue
        cols = raw.split("\t")
        if len(cols) < 3 or not cols[0]:
            close_span()
            if parts and not parts[-1].endswith("\n"):
                parts.append("\n")
                pos += 1
            continue
        token, tag, value = cols[0], cols[1], cols[2]
        if parts and not parts[-1].endswith("\n"):
            parts.append(" ")
            pos += 1
        start, pos = pos, pos + len(token)
        parts.append(token)
        if tag.startswith("B-"):
            close_span()
            cur = [start, pos, tag[2:], value]
        elif tag.startswith("I-") and cur is not None:
            cur[1] = pos
        else:
            close_span()
    finish()
    return docs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def evaluate(docs: list[GoldDoc], lang: str, *, errors: list | None = None) -> dict:
    n_gold = n_pred = strict = relaxed = value_ok = 0
    for doc in docs:
        gold = [g for g in doc.spans if g[2] == "DATE"]
        mentions, _ = analyze_dates(doc.text, lang, doc.dct)
        pred = [m for m in mentions if m.kind == "date"]
        n_gold += len(gold)
        n_pred += len(pred)
        used: set[int] = set()
        for m in pred:
            best = None
            for i, g in enumerate(gold):
                if i in used or g[1] <= m.start or m.end <= g[0]:
                    continue
                best = i
                break
            if best is None:
                if errors is not None:
                    errors.append(("spurious", doc.dct, m.text, m.value, None))
                continue
            used.add(best)
            g = gold[best]
            relaxed += 1
            strict += (g[0], g[1]) == (m.start, m.end)
            if m.value == g[3]:
                value_ok += 1
            elif errors is not None:
                errors.append(("value", doc.dct, m.text, m.value, g[3]))
        if errors is not None:
            for i, g in enumerate(gold):
                if i not in used:
                    errors.append(("missed", doc.dct, doc.text[g[0]:g[1]], None, g[3]))
    return {
        "documents": len(docs), "gold": n_gold, "predicted": n_pred,
        "span_strict": _prf(strict, n_pred, n_gold), "span_relaxed": _prf(relaxed, n_pred, n_gold),
        "value": _prf(value_ok, n_pred, n_gold),
    }


DEFAULT_DATA = Path("..") / "shared" / "data" / "timex" / "datasets" / "timebank"
TARGET_VALUE_F1 = 0.85


def run(data: Path = DEFAULT_DATA, *, langs=("en", "es"), splits=("test", "train")) -> dict:
    """Scores per language and split; raises :class:`UsageError` when the data is absent."""
    from ..errors import UsageError

    if not data.is_dir():
        raise UsageError(f"TimeBank data {data} not found (the default needs ../shared beside the project)")
    out: dict = {}
    for lang in langs:
        for split in splits:
            path = data / lang / f"{split}.tsv"
            if path.is_file():
                out[f"{lang}-{split}"] = evaluate(read_tsv(path), lang)
    return out
