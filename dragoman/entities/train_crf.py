"""Train a CRF NER model for one language and score it on held-out data.

    python -m dragoman.entities.train_crf --lang uk
    python -m dragoman.entities.train_crf --lang de --data wikineural
    python -m dragoman.entities.train_crf --lang fa --data arman --c1 0.1 --c2 0.01

Data (under ``--shared``, default ``../shared`` beside the repository):

* ``slavicner`` (bg cs pl ru sl uk): ``data/slavicner``; trains on every topic's *train*
  split of the language (:func:`dragoman.evaluation.slavicner.split_of`) and, by default,
  of its close relatives (:data:`RELATED`: uk+ru+bg, pl+cs+sl, ...), scores on the
  language's own *test* split. ``--holdout-topic`` scores on a topic left out instead.
* ``wikineural`` (de): ``data/wikineural/{wikineural,wikiann}/<lang>/*.conllu`` (index,
  token, BIO tag with PER ORG LOC MISC). WikiNEuRal ships only val and test for German:
  trains on WikiNEuRal val, scores on WikiNEuRal test. ``--wikiann`` adds the (silver,
  noisier) WikiANN train and val to training and scores on WikiANN test too; it lowered
  the WikiNEuRal-test F1 (85.7 against 89.0). MISC is learnt but never reported.
* ``arman`` (fa): ``data/arman/train_fold1.txt`` (token and BIO tag per line); pers→PER,
  org→ORG, loc→LOC, fac→LOC, event→EVT, pro→PRO; the last 10% of sentences are held out.

Token files carry no text: each sentence's text is its tokens joined by single spaces,
and the gold spans are character offsets into that. Every source then goes the same way
as the runtime tagger: :func:`~dragoman.entities.crf.chunks`, :func:`tokenize`, BIO
labels projected from the character spans.

Scores are exact-span micro P/R/F1 (start, end and type must all match).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .crf import LABEL_TYPES, MODELS_DIR, CrfTagger, Gazetteer, bio_labels, chunks, sentence_features
from .tokens import tokenize

REPO = Path(__file__).resolve().parents[2]
SLAVIC = ("bg", "cs", "pl", "ru", "sl", "uk")
#: SlavicNER languages whose training documents join a language's own by default: same
#: script, close languages. Leaving one topic out, they raised the mean PER+ORG+LOC F1 by
#: about 9 points for uk (least data of its own), 1.4–2.1 for bg pl sl, nothing for ru
#: (which gained 2.4 on factRuEval); on the standard split they moved it by -0.3 to +0.7.
RELATED = {"uk": ("ru", "bg"), "ru": ("uk", "bg"), "bg": ("ru", "uk"),
           "pl": ("cs", "sl"), "cs": ("pl", "sl"), "sl": ("cs", "pl")}
ARMAN_TYPES = {"pers": "PER", "org": "ORG", "loc": "LOC", "fac": "LOC", "event": "EVT", "pro": "PRO"}
_FROM_OURS = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "EVENT": "EVT", "OTHER": "PRO"}


@dataclass
class Doc:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, label type


@dataclass
class Dataset:
    name: str
    train: Callable[[], Iterator[Doc]]
    evals: dict[str, Callable[[], Iterator[Doc]]]  # name → held-out docs; the first is the main one
    notes: str = ""


# ------------------------------------------------------------------------ sources

def slavicner_data(shared: Path, lang: str, topic: str | None = None, extra: Iterable[str] = ()) -> Dataset:
    """The standard split, or with ``topic`` a leave-one-topic-out experiment: train on
    every document of the other topics, score on all documents of ``topic``.

    ``extra`` languages add their *training* documents (same split rule) to the training
    set; scoring stays on ``lang`` alone. No held-out document of any language is trained on.
    """
    from ..evaluation import slavicner

    root = shared / "data" / "slavicner"
    if not root.is_dir():
        raise SystemExit(f"no SlavicNER corpus at {root}")
    extra = tuple(x for x in extra if x != lang)

    def docs(split: str) -> Iterator[Doc]:
        stats = slavicner.LoadStats()
        langs = [lang] + (list(extra) if split == "train" else [])
        if topic is None:
            it = slavicner.load(root, langs=langs, split=split, stats=stats)  # type: ignore[arg-type]
        else:
            it = (d for d in slavicner.load(root, langs=langs, stats=stats) if (d.topic == topic) == (split == "test"))
        for d in it:
            yield Doc(d.text, [(s.start, s.end, s.type) for s in d.spans])
        if stats.bad_rows or stats.mismatches or stats.missing_raw:
            print(f"  slavicner {split}: {stats.bad_rows} bad rows, {stats.mismatches} surface mismatches, "
                  f"{len(stats.missing_raw)} tsv without raw text (skipped)", flush=True)

    name = f"slavicner/{'+'.join((lang, *extra))}"
    also = f"; training also on {', '.join(extra)}" if extra else ""
    if topic is not None:
        return Dataset(name, lambda: docs("train"), {f"topic {topic}": lambda: docs("test")},
                       f"SlavicNER, leave-one-topic-out: every topic but {topic} for training, {topic} held out{also}")
    return Dataset(
        name,
        lambda: docs("train"),
        {"slavicner-test": lambda: docs("test")},
        f"SlavicNER, all topics, sha1(path) % 5 != 0 for training, == 0 held out{also}",
    )


def token_sentences(path: Path, sep: str | None) -> Iterator[list[tuple[str, str]]]:
    """(token, tag) sentences of a one-token-per-line file, blank line between sentences.
    ``sep=None``: tab-separated ``index token tag``; else ``token<sep>tag``."""
    sent: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            if sep is None:
                cols = line.split("\t")
                if len(cols) < 3:
                    continue
                tok, tag = cols[1], cols[2]
            else:
                tok, _, tag = line.rpartition(sep)
            tok = tok.strip()
            if tok:
                sent.append((tok, tag.strip()))
    if sent:
        yield sent


def sentence_doc(sent: list[tuple[str, str]], types: dict[str, str] | None = None) -> Doc:
    """Text = tokens joined by spaces; BIO tags → character spans (I- without B- opens)."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    cur: list | None = None
    for tok, tag in sent:
        if parts:
            pos += 1
        start, end = pos, pos + len(tok)
        parts.append(tok)
        pos = end
        bi, _, typ = tag.partition("-")
        if types is not None and typ:
            typ = types.get(typ, "")
        if bi in ("B", "I") and typ:
            if bi == "I" and cur is not None and cur[2] == typ:
                cur[1] = end
                continue
            if cur is not None:
                spans.append(tuple(cur))  # type: ignore[arg-type]
            cur = [start, end, typ]
        else:
            if cur is not None:
                spans.append(tuple(cur))  # type: ignore[arg-type]
            cur = None
    if cur is not None:
        spans.append(tuple(cur))  # type: ignore[arg-type]
    return Doc(" ".join(parts), spans)


def conll_docs(paths: Iterable[Path], sep: str | None = None, types: dict[str, str] | None = None) -> Iterator[Doc]:
    for p in paths:
        for sent in token_sentences(p, sep):
            yield sentence_doc(sent, types)


def wikineural_data(shared: Path, lang: str, wikiann: bool = False) -> Dataset:
    base = shared / "data" / "wikineural"
    wn = base / "wikineural" / lang
    wa = base / "wikiann" / lang
    if not wn.is_dir():
        raise SystemExit(f"no WikiNEuRal data at {wn}")
    train = [p for p in (wn / "train.conllu", wn / "val.conllu") if p.is_file()]
    if wikiann:
        train += [p for p in (wa / "train.conllu", wa / "val.conllu") if p.is_file()]
    evals = {"wikineural-test": lambda: conll_docs([wn / "test.conllu"])}
    if wikiann and (wa / "test.conllu").is_file():
        evals["wikiann-test"] = lambda: conll_docs([wa / "test.conllu"])
    return Dataset(
        f"wikineural/{lang}",
        lambda: conll_docs(train),
        evals,
        "train: " + ", ".join(str(p.relative_to(base)) for p in train) + "; held out: wikineural/{}/test.conllu".format(lang),
    )


def arman_data(shared: Path, holdout: float = 0.1) -> Dataset:
    path = shared / "data" / "arman" / "train_fold1.txt"
    if not path.is_file():
        raise SystemExit(f"no ArmanPersoNER file at {path}")
    sents = list(token_sentences(path, " "))
    cut = int(round(len(sents) * (1 - holdout)))
    return Dataset(
        "arman/fa",
        lambda: (sentence_doc(s, ARMAN_TYPES) for s in sents[:cut]),
        {"arman-last10%": lambda: (sentence_doc(s, ARMAN_TYPES) for s in sents[cut:])},
        f"ArmanPersoNER train_fold1.txt: first {cut} of {len(sents)} sentences for training, last {len(sents) - cut} held out; "
        "pers→PER org→ORG loc→LOC fac→LOC event→EVT pro→PRO",
    )


def dataset(kind: str, shared: Path, lang: str, wikiann: bool = False, topic: str | None = None,
            extra: Iterable[str] = ()) -> Dataset:
    if kind == "slavicner":
        return slavicner_data(shared, lang, topic, extra)
    if kind == "wikineural":
        return wikineural_data(shared, lang, wikiann)
    if kind == "arman":
        return arman_data(shared)
    raise SystemExit(f"unknown data source {kind!r}")


def default_data(lang: str) -> str:
    if lang in SLAVIC:
        return "slavicner"
    if lang == "fa":
        return "arman"
    return "wikineural"


# ----------------------------------------------------------------------- training

def sequences(doc: Doc, drop: frozenset[str] = frozenset(), gazetteer: Gazetteer | None = None
              ) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of each chunk of a document, labels projected from its spans."""
    spans = [(s, e, t) for s, e, t in doc.spans if t not in drop]
    text = doc.text
    for s, e in chunks(text):
        toks = tokenize(text, s, e)
        if not toks:
            continue
        inside = [sp for sp in spans if sp[0] < e and sp[1] > s]
        gaz = gazetteer(text, toks) if gazetteer is not None else None
        yield sentence_features([t.text for t in toks], gaz), bio_labels(toks, inside)


def train(
    data: Dataset,
    out: Path,
    *,
    c1: float,
    c2: float,
    max_iter: int,
    minfreq: float = 0,
    drop: frozenset[str] = frozenset(),
    gazetteer: Gazetteer | None = None,
    every: int = 10,
) -> dict:
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        def on_start(self, log): pass
        def on_featgen_progress(self, log, percent): pass
        def on_featgen_end(self, log):
            print(f"  {self.logparser.featgen_num_features} candidate features (attribute × label)", flush=True)
        def on_prepared(self, log): pass
        def on_prepare_error(self, log): print(log, end="")
        def on_iteration(self, log, info):
            if info["num"] == 1 or info["num"] % every == 0:
                print(f"  iter {info['num']:4d}  loss {info['loss']:.1f}  active {info.get('active_features')}  "
                      f"{info.get('time', 0):.2f}s", flush=True)
        def on_optimization_end(self, log): print("  " + " ".join(log.split()), flush=True)
        def on_end(self, log): pass

    trainer = Trainer(verbose=True)
    t0 = time.time()
    n_docs = n_seq = n_tok = 0
    types: Counter = Counter()
    for doc in data.train():
        n_docs += 1
        for xseq, yseq in sequences(doc, drop, gazetteer):
            trainer.append(xseq, yseq)
            n_seq += 1
            n_tok += len(yseq)
            types.update(y[2:] for y in yseq if y[0] == "B")
    print(f"training data {data.name}: {n_docs} docs, {n_seq} chunks, {n_tok} tokens, "
          f"mentions {dict(types.most_common())}  ({time.time() - t0:.1f}s to extract)", flush=True)
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iter,
        "feature.possible_transitions": True,
        "feature.minfreq": minfreq,
    })
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    t0 = time.time()
    trainer.train(str(tmp))
    os.replace(tmp, out)
    print(f"trained in {time.time() - t0:.0f}s → {out} ({out.stat().st_size / 1e6:.2f} MB)", flush=True)
    return {"docs": n_docs, "chunks": n_seq, "tokens": n_tok, "mentions": dict(types)}


# ---------------------------------------------------------------------- scoring

def score(tagger: CrfTagger, docs: Iterable[Doc]) -> tuple[dict[str, list[int]], int, float]:
    """Exact-span counts per type: {type: [tp, fp, fn]} ("*": offsets only, type ignored),
    plus chunks tagged and seconds spent."""
    counts: dict[str, list[int]] = {}
    kinds = {lab[2:] for lab in tagger.labels() if lab != "O" and LABEL_TYPES.get(lab[2:])}
    n_chunks = 0
    spent = 0.0
    for doc in docs:
        gold = set(doc.spans)
        t0 = time.perf_counter()
        found = tagger.find(doc.text)
        spent += time.perf_counter() - t0
        n_chunks += len(chunks(doc.text))
        pred = {(m.start, m.end, _FROM_OURS[m.type]) for m in found}
        for s in gold | pred:
            c = counts.setdefault(s[2], [0, 0, 0])
            if s in gold and s in pred:
                c[0] += 1
            elif s in pred:
                c[1] += 1
            else:
                c[2] += 1
        # offsets only, over the types the model can report
        gold_spans = {s[:2] for s in gold if s[2] in kinds}
        pred_spans = {s[:2] for s in pred}
        c = counts.setdefault("*", [0, 0, 0])
        c[0] += len(gold_spans & pred_spans)
        c[1] += len(pred_spans - gold_spans)
        c[2] += len(gold_spans - pred_spans)
    return counts, n_chunks, spent


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(counts: dict[str, list[int]], predicted: set[str]) -> dict[str, tuple[float, float, float, int]]:
    """Rows per type plus "ALL" (types the model reports), "ALL untyped" and "PER+ORG+LOC"."""
    rows: dict[str, tuple[float, float, float, int]] = {}

    def add(name: str, types: Iterable[str]) -> None:
        tp = fp = fn = 0
        for t in types:
            c = counts.get(t, [0, 0, 0])
            tp, fp, fn = tp + c[0], fp + c[1], fn + c[2]
        rows[name] = (*prf(tp, fp, fn), tp + fn)

    add("ALL", [t for t in counts if t in predicted])
    if "*" in counts:
        rows["ALL untyped"] = (*prf(*counts["*"]), sum(counts["*"][0::2]))
    add("PER+ORG+LOC", ["PER", "ORG", "LOC"])
    for t in ("PER", "ORG", "LOC", "EVT", "PRO"):
        if t in counts:
            add(t, [t])
    return rows


def print_report(name: str, rows: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"held-out {name}: exact-span P / R / F1 (gold count)")
    for t, (p, r, f, n) in rows.items():
        print(f"  {t:12s} {100 * p:5.1f} {100 * r:5.1f} {100 * f:5.1f}  ({n})")


def load_hook(spec: str | None) -> Gazetteer | None:
    if not spec:
        return None
    mod, _, attr = spec.partition(":")
    return getattr(importlib.import_module(mod), attr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dragoman.entities.train_crf", description=__doc__.split("\n")[0])
    ap.add_argument("--lang", required=True)
    ap.add_argument("--data", choices=("slavicner", "wikineural", "arman"), help="default: by language")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, help="default: dragoman/resources/models/ner-<lang>.crfsuite")
    ap.add_argument("--c1", type=float, default=0.1, help="L1 penalty (prunes features)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iter", type=int, default=150)
    ap.add_argument("--minfreq", type=float, default=0, help="crfsuite feature.minfreq")
    ap.add_argument("--drop", default="", help="comma-separated label types to train as O, e.g. PRO")
    ap.add_argument("--extra-langs", help="slavicner: comma-separated languages whose training split joins the "
                    "training data (default: RELATED[lang]; 'none' for none)")
    ap.add_argument("--wikiann", action="store_true",
                    help="wikineural: add WikiANN train+val to training (scored 85.7 vs 89.0 F1 without, on WikiNEuRal test)")
    ap.add_argument("--holdout-topic", help="slavicner: leave this topic out of training and score on it "
                    "(an estimate for unseen news; give --out so the shipped model is not replaced)")
    ap.add_argument("--gazetteer", help="module:callable gazetteer hook (see crf.Gazetteer); off by default")
    ap.add_argument("--eval-only", action="store_true", help="score an existing model, do not train")
    args = ap.parse_args(argv)

    kind = args.data or default_data(args.lang)
    if args.extra_langs is None:
        extra = RELATED.get(args.lang, ())
    else:
        extra = tuple(x for x in args.extra_langs.split(",") if x and x != "none")
    data = dataset(kind, args.shared, args.lang, wikiann=args.wikiann, topic=args.holdout_topic, extra=extra)
    out = args.out or MODELS_DIR / f"ner-{args.lang}.crfsuite"
    drop = frozenset(t for t in args.drop.split(",") if t)
    hook = load_hook(args.gazetteer)
    print(f"lang {args.lang}  data {data.name}  ({data.notes})", flush=True)
    print(f"params c1={args.c1} c2={args.c2} max_iter={args.max_iter} minfreq={args.minfreq} "
          f"drop={sorted(drop) or '-'} gazetteer={args.gazetteer or '-'}", flush=True)
    if not args.eval_only:
        train(data, out, c1=args.c1, c2=args.c2, max_iter=args.max_iter, minfreq=args.minfreq, drop=drop, gazetteer=hook)
    tagger = CrfTagger(out, hook)
    predicted = {lab[2:] for lab in tagger.labels() if lab != "O" and LABEL_TYPES.get(lab[2:])}
    for name, docs in data.evals.items():
        counts, n_chunks, spent = score(tagger, docs())
        print_report(name, report(counts, predicted))
        print(f"  speed: {n_chunks} chunks in {spent:.2f}s = {n_chunks / max(spent, 1e-9):.0f} chunks/s", flush=True)
    print(f"model {out}: {out.stat().st_size / 1e6:.2f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
