"""Entity recognition and cross-lingual linking on SlavicNER (ru, uk, pl, cs, bg, sl).

Runs :func:`dragoman.entities.analyze_entities` on each held-out document (the
cross-topic split of :func:`dragoman.evaluation.slavicner.split_of`: our CRF models
are trained on the other 80%) and scores:

* **exact-span F1** per language and per type PER / ORG / LOC (a prediction counts
  when start, end and type all equal a gold span; our GPE counts as LOC), micro-averaged
  over the three types; EVT and PRO are left out of the figures (role phrases too);
* **linking**: over gold mentions found with the exact span, grouped by their gold
  cross-lingual id across all documents and languages: *completeness* is the share of
  mentions carrying the entity most of their gold group carries, *purity* the share of
  mentions whose predicted entity has their gold id as its majority gold id; the
  linking accuracy is the share meeting both. Mentions with no predicted entity fail both.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..entities import analyze_entities, load_registry
from . import slavicner

DEFAULT_DATA = Path("..") / "shared" / "data" / "slavicner"
LANGS = ("ru", "uk", "pl", "cs", "bg", "sl")
TYPES = ("PER", "ORG", "LOC")
TARGETS = {"ru": 0.85, "uk": 0.85, "pl": 0.80, "cs": 0.80}
TARGET_LINKING = 0.90
_OURS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "EVENT": "EVT", "OTHER": "PRO"}


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def prf(self, types: Iterable[str]) -> dict[str, float]:
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "gold": tp + fn}


def run(root: Path = DEFAULT_DATA, *, langs: Iterable[str] = LANGS, split: str | None = "test",
        limit: int | None = None, backend: str | None = None, progress: bool = True) -> dict:
    registry = load_registry()
    counts: dict[str, Counts] = defaultdict(Counts)
    links: list[tuple[str, str | None]] = []  # (gold id, predicted entity) of exactly found gold mentions
    docs = chars = 0
    t0 = time.perf_counter()
    for lang in langs:
        items = list(slavicner.load(root, langs=[lang], split=split))[:limit]
        iterator = items
        if progress:
            from tqdm import tqdm

            iterator = tqdm(items, desc=f"ner {lang}", unit="doc", leave=False)
        for doc in iterator:
            mentions, _, _ = analyze_entities(doc.text, lang, None, registry, backend=backend)
            pred = {(m.start, m.end): (_OURS.get(m.type), m.entity) for m in mentions if m.source != "role"}
            gold = {(g.start, g.end): (g.type, g.entity_id) for g in doc.spans}
            c = counts[lang]
            for span, (typ, gid) in gold.items():
                if typ not in TYPES:
                    continue
                hit = pred.get(span)
                if hit and hit[0] == typ:
                    c.tp[typ] += 1
                else:
                    c.fn[typ] += 1
            for span, (typ, _) in pred.items():
                if typ in TYPES and gold.get(span, (None,))[0] != typ:
                    c.fp[typ] += 1
            for span, (_, gid) in gold.items():
                if span in pred:
                    links.append((gid, pred[span][1]))
            docs += 1
            chars += len(doc.text)
    seconds = time.perf_counter() - t0
    scores = {lang: {"all": c.prf(TYPES), **{t: c.prf([t]) for t in TYPES}} for lang, c in counts.items()}
    return {"docs": docs, "seconds": round(seconds, 1), "docs_per_s": round(docs / seconds, 1) if seconds else None,
            "split": split or "all", "ner": scores, "linking": linking_scores(links)}


def linking_scores(links: list[tuple[str, str | None]]) -> dict[str, float]:
    if not links:
        return {"mentions": 0, "completeness": 0.0, "purity": 0.0, "accuracy": 0.0}
    by_gold: dict[str, Counter] = defaultdict(Counter)
    by_pred: dict[str, Counter] = defaultdict(Counter)
    for gid, pid in links:
        if pid is not None:
            by_gold[gid][pid] += 1
            by_pred[pid][gid] += 1
    major_pred = {g: c.most_common(1)[0][0] for g, c in by_gold.items()}
    major_gold = {p: c.most_common(1)[0][0] for p, c in by_pred.items()}
    complete = pure = both = 0
    for gid, pid in links:
        ok_c = pid is not None and major_pred.get(gid) == pid
        ok_p = pid is not None and major_gold.get(pid) == gid
        complete += ok_c
        pure += ok_p
        both += ok_c and ok_p
    n = len(links)
    return {"mentions": n, "completeness": round(complete / n, 3), "purity": round(pure / n, 3),
            "accuracy": round(both / n, 3)}
