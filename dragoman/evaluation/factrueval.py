"""factRuEval-2016 (Russian news, dev set): exact-extent F1 of PER / ORG / LOC.

Each gold object (``*.objects``: Person, Org, Location, LocOrg) is reduced to the extent
of its *name* spans (``*.spans``: name, surname, patronymic, nickname, org_name,
loc_name; descriptors such as "мэрии" or "площади" and job titles left out), so a
recogniser of names is scored on names: "мэрии Москвы" counts as the place "Москвы".
LocOrg counts as LOC; objects with the same extent are counted once. This is stricter
and simpler than the shared task's own partial-match scorer: figures are not comparable
with its published ones.
"""

from __future__ import annotations

from pathlib import Path

from ..entities import analyze_entities, load_registry
from .ner import _OURS, Counts

DEFAULT_DATA = Path("..") / "shared" / "data" / "factrueval" / "devset"
NAME_SPANS = {"name", "surname", "patronymic", "nickname", "org_name", "loc_name"}
OBJECT_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}


def gold_spans(book: Path) -> set[tuple[int, int, str]]:
    spans: dict[str, tuple[int, int, str]] = {}
    for line in book.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        f = line.split("#")[0].split()
        if len(f) >= 4:
            spans[f[0]] = (int(f[2]), int(f[2]) + int(f[3]), f[1])
    out: dict[tuple[int, int], str] = {}
    for line in book.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        f = line.split("#")[0].split()
        if len(f) < 3 or f[1] not in OBJECT_TYPES:
            continue
        parts = [spans[i] for i in f[2:] if i in spans and spans[i][2] in NAME_SPANS]
        if not parts:
            continue
        extent = (min(p[0] for p in parts), max(p[1] for p in parts))
        typ = OBJECT_TYPES[f[1]]
        if extent not in out or typ == "LOC":
            out[extent] = typ
    return {(s, e, t) for (s, e), t in out.items()}


def run(root: Path = DEFAULT_DATA, *, limit: int | None = None, backend: str | None = None) -> dict:
    registry = load_registry()
    c = Counts()
    books = sorted(root.glob("*.txt"))[:limit]
    for book in books:
        text = book.read_text(encoding="utf-8")
        gold = gold_spans(book)
        mentions, _, _ = analyze_entities(text, "ru", None, registry, backend=backend)
        pred = {(m.start, m.end, _OURS.get(m.type)) for m in mentions if m.source != "role"}
        pred = {p for p in pred if p[2] in ("PER", "ORG", "LOC")}
        for s, e, t in gold:
            (c.tp if (s, e, t) in pred else c.fn)[t] += 1
        for s, e, t in pred - gold:
            c.fp[t] += 1
    types = ("PER", "ORG", "LOC")
    return {"docs": len(books), "all": c.prf(types), **{t: c.prf([t]) for t in types}}


