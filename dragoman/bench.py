"""``dragoman bench``: throughput and peak memory of ingest + clean + language id
(``--task ingest``, the default), and the accuracy of the temporal layer on TempEval-3
TimeBank (``--task dates``), and entity recognition and cross-lingual linking on
SlavicNER (``--task ner``), and quote extraction and attribution on PolNeAR
(``--task quotes``).

Ingests every file of a corpus (default: ``../shared/data/slavicner/raw``, thousands
of real ru/uk/pl/cs/bg/sl articles) into a fresh temporary SQLite database, prints
documents/s, MB/s and peak resident memory, and compares them with a baseline file.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from .errors import UsageError

DEFAULT_CORPUS = Path("..") / "shared" / "data" / "slavicner" / "raw"
TARGETS = {"docs_per_s": 200.0, "peak_mb": 1024.0}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024.0  # ru_maxrss is in KiB on Linux


def run_dates_bench(args: argparse.Namespace) -> int:
    """TempEval-3 TimeBank (en, es): span and value F1 of DATE expressions."""
    from .evaluation import timex

    t0 = time.perf_counter()
    scores = timex.run(Path(args.path) if args.path else timex.DEFAULT_DATA)
    figures = {"seconds": round(time.perf_counter() - t0, 2), "scores": scores}
    print(json.dumps(figures, indent=1))
    for key, s in scores.items():
        if key.endswith("test"):
            ok = s["value"]["f1"] >= timex.TARGET_VALUE_F1
            print(f"{key}: span F1 strict {s['span_strict']['f1']:.3f}, relaxed {s['span_relaxed']['f1']:.3f}; "
                  f"value F1 {s['value']['f1']:.3f} (target >= {timex.TARGET_VALUE_F1}: {'met' if ok else 'NOT met'})")
    _compare(figures, Path(args.baseline or "benchmarks/baselines/timex.json"), args.save,
             lambda f: {k: v["value"]["f1"] for k, v in f["scores"].items()}, drop=0.02)
    return 0


def run_ner_bench(args: argparse.Namespace) -> int:
    """SlavicNER held-out split: exact-span F1 per language and type, linking accuracy."""
    from .evaluation import ner

    root = Path(args.path) if args.path else ner.DEFAULT_DATA
    if not (root / "ner").is_dir():
        raise UsageError(f"{root} is not the SlavicNER corpus (no ner/ folder)")
    figures = ner.run(root, limit=args.limit)
    from .evaluation import factrueval

    fre = root.parent / "factrueval" / "devset"
    if fre.is_dir():
        figures["factrueval"] = factrueval.run(fre, limit=args.limit)
    print(json.dumps(figures, indent=1))
    for lang, s in figures["ner"].items():
        target = ner.TARGETS.get(lang)
        verdict = f" (target >= {target}: {'met' if s['all']['f1'] >= target else 'NOT met'})" if target else ""
        print(f"{lang}: F1 {s['all']['f1']:.3f} (PER {s['PER']['f1']:.3f}, ORG {s['ORG']['f1']:.3f}, "
              f"LOC {s['LOC']['f1']:.3f}){verdict}")
    if "factrueval" in figures:
        f = figures["factrueval"]
        print(f"factRuEval dev (ru, name extents): F1 {f['all']['f1']:.3f} (PER {f['PER']['f1']:.3f}, "
              f"ORG {f['ORG']['f1']:.3f}, LOC {f['LOC']['f1']:.3f})")
    link = figures["linking"]
    print(f"linking accuracy {link['accuracy']:.3f} (completeness {link['completeness']:.3f}, purity "
          f"{link['purity']:.3f}; target >= {ner.TARGET_LINKING}: "
          f"{'met' if link['accuracy'] >= ner.TARGET_LINKING else 'NOT met'})")
    _compare(figures, Path(args.baseline or "benchmarks/baselines/ner.json"), args.save,
             lambda f: {**{k: v["all"]["f1"] for k, v in f["ner"].items()}, "linking": f["linking"]["accuracy"],
                        **({"factrueval": f["factrueval"]["all"]["f1"]} if "factrueval" in f else {})},
             drop=0.02)
    return 0


def run_quotes_bench(args: argparse.Namespace) -> int:
    """PolNeAR train and dev: content F1 by overlap and source accuracy."""
    from .evaluation import polnear

    root = Path(args.path) if args.path else polnear.DEFAULT_DATA
    if not (root / "dev").is_dir():
        raise UsageError(f"{root} is not the PolNeAR data folder (no dev/ folder)")
    figures = {split: polnear.run(root, split=split, limit=args.limit) for split in ("train", "dev")}
    print(json.dumps(figures, indent=1))
    for split, f in figures.items():
        c, src = f["content"], f["source"]
        print(f"{split}: content P {c['p']:.3f} R {c['r']:.3f} F1 {c['f1']:.3f} (target >= "
              f"{polnear.TARGET_CONTENT_F1}: {'met' if c['f1'] >= polnear.TARGET_CONTENT_F1 else 'NOT met'}); "
              f"source {src['accuracy']:.3f} of {src['pairs']} (target >= {polnear.TARGET_SOURCE}: "
              f"{'met' if src['accuracy'] >= polnear.TARGET_SOURCE else 'NOT met'})")
        t = f["content_tokens"]
        print(f"{split}: content tokens (citron's overlap figures) P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f}")
    _compare(figures, Path(args.baseline or "benchmarks/baselines/quotes.json"), args.save,
             lambda f: {f"{k}_content_f1": v["content"]["f1"] for k, v in f.items()}
             | {f"{k}_source": v["source"]["accuracy"] for k, v in f.items()}, drop=0.02)
    return 0


def _compare(figures: dict, baseline: Path, save: bool, key_figures, *, drop: float) -> None:
    """Save ``figures`` as the baseline, or print how they compare with it."""
    if save:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"saved baseline {baseline}")
        return
    if not baseline.is_file():
        return
    old = key_figures(json.loads(baseline.read_text(encoding="utf-8")))
    for key, value in key_figures(figures).items():
        if key in old:
            print(f"  {key}: {value} (baseline {old[key]}, {value - old[key]:+.3f})")
            if value < old[key] - drop:
                print(f"REGRESSION: {key} fell below the baseline", file=sys.stderr)


def run_bench(args: argparse.Namespace) -> int:
    if getattr(args, "task", "ingest") == "dates":
        return run_dates_bench(args)
    if args.task == "ner":
        return run_ner_bench(args)
    if args.task == "quotes":
        return run_quotes_bench(args)
    from .ingest.run import ingest
    from .store.repository import Store

    corpus = Path(args.path) if args.path else DEFAULT_CORPUS
    if not corpus.is_dir():
        raise UsageError(f"corpus folder {corpus} not found (the default needs ../shared beside the project)")
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        raise UsageError(f"no .txt files under {corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        # warm-up: model loading is a one-off cost, not per-document throughput
        from .text.langid import default_identifier

        default_identifier().identify("warm up")
        t0 = time.perf_counter()
        report = ingest(files, store, workers=args.workers, progress=None)
        elapsed = time.perf_counter() - t0
        stats = store.stats()
        store.close()
    figures = {
        "documents": report.processed,
        "failed": len(report.failed),
        "seconds": round(elapsed, 2),
        "docs_per_s": round(report.processed / elapsed, 1),
        "mb_per_s": round(report.bytes / elapsed / 1e6, 3),
        "peak_mb": round(_peak_mb(), 1),
        "boilerplate_lines": stats["boilerplate_lines"],
        "languages": stats["languages"],
        "workers": args.workers,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    ok = figures["docs_per_s"] >= TARGETS["docs_per_s"] and figures["peak_mb"] < TARGETS["peak_mb"]
    print(f"targets: >= {TARGETS['docs_per_s']:.0f} docs/s and < {TARGETS['peak_mb']:.0f} MB peak: {'met' if ok else 'NOT met'}")
    baseline = Path(args.baseline or "benchmarks/baselines/ingest.json")
    if args.save:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"saved baseline {baseline}")
    elif baseline.is_file():
        old = json.loads(baseline.read_text(encoding="utf-8"))
        for key in ("docs_per_s", "mb_per_s", "peak_mb", "boilerplate_lines"):
            if key in old:
                print(f"  {key}: {figures[key]} (baseline {old[key]}, {figures[key] - old[key]:+.1f})")
        if figures["docs_per_s"] < 0.8 * old.get("docs_per_s", 0):
            print("REGRESSION: more than 20% slower than the baseline", file=sys.stderr)
    return 0
