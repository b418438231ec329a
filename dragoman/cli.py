"""The ``dragoman`` command line. One function per command, each thin.

Exit codes: 0 all inputs succeeded, 1 some inputs failed (summary printed),
2 usage error (bad arguments, unknown format).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from . import __version__
from .errors import DragomanError, UsageError
from .store.repository import DEFAULT_URL

EPILOG = "Database: --db URL, else $DRAGOMAN_DB, else sqlite:///dragoman.db. Docs: README.md."


def _db_url(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("DRAGOMAN_DB") or DEFAULT_URL


def _err(message: str) -> None:
    print(f"dragoman: error: {message}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.http import Fetcher
    from .ingest.run import ingest
    from .ingest.sources import SourceOptions
    from .pipeline import Options, Pipeline
    from .store.repository import Store

    store = Store.open(_db_url(args))
    fetcher = Fetcher(allow_private=args.allow_private, timeout=args.timeout, max_bytes=args.max_bytes)
    report = ingest(
        args.inputs, store,
        pipeline=Pipeline(Options(lang=args.lang, registry=tuple(args.registry), ner=args.ner)),
        source_options=SourceOptions(max_bytes=args.max_bytes, fetcher=fetcher),
        workers=args.workers,
        progress=False if args.quiet else None,
        on_error=lambda source, message: _err(f"{source}: {message}"),
    )
    print(f"ingest: {report.summary()} -> {store.engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
    if report.failed:
        print(f"ingest: {len(report.failed)} input(s) failed:", file=sys.stderr)
        for source, message in report.failed[:20]:
            print(f"  {source}: {message}", file=sys.stderr)
        if len(report.failed) > 20:
            print(f"  ... and {len(report.failed) - 20} more", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export.writers import export
    from .store.repository import Store

    store = Store.open(_db_url(args))
    written = export(store, args.format, args.output, with_text=args.with_text)
    for path in written:
        print(f"export: wrote {path}", file=sys.stderr)
    return 0



def cmd_annotate(args: argparse.Namespace) -> int:
    from .ingest.sources import SourceOptions, iter_inputs
    from .pipeline import Options, Pipeline

    pipeline = Pipeline(Options(registry=tuple(args.registry), ner=args.ner))
    if args.jsonl:
        return _annotate_jsonl(pipeline, args)
    if not args.input:
        raise UsageError("annotate needs a FILE or - (or --jsonl)")
    items = list(iter_inputs([args.input], SourceOptions()))
    if len(items) != 1:
        raise UsageError(f"annotate takes one text; {args.input} holds {len(items)} (use --jsonl for many)")
    item = items[0]
    if isinstance(item, DragomanError):
        raise item
    result = pipeline.annotate(item.content, lang=args.lang or item.lang, date=args.date or item.published,
                               doc_id=item.id, content_type=item.content_type)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
    sys.stdout.write("\n")
    return 0


def _annotate_jsonl(pipeline, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    stream = sys.stdin if args.input in (None, "-") else open(args.input, encoding="utf-8")
    failed = 0
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            doc_id = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise UsageError('each line must be a JSON object with a "text" string')
                doc_id = record.get("id")
                result = pipeline.annotate(record["text"], lang=record.get("lang") or args.lang,
                                           date=record.get("date") or args.date, doc_id=doc_id)
            except (json.JSONDecodeError, DragomanError) as exc:
                failed += 1
                message = f"line {number}: {exc}"
                _err(message)
                result = {"id": doc_id, "error": message}
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return 1 if failed else 0


def cmd_search(args: argparse.Namespace) -> int:
    from .store.repository import Store

    hits = Store.open(_db_url(args)).search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps(hits, ensure_ascii=False, indent=1))
    else:
        for hit in hits:
            print(f"{hit['id']}\t{hit['title'] or ''}\n    {hit['snippet']}")
        print(f"{len(hits)} document(s)", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .store.repository import Store

    print(json.dumps(Store.open(_db_url(args)).stats(), ensure_ascii=False, indent=1))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench

    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dragoman", description="Read news in any language; store a sourced, dated record of diplomacy.", epilog=EPILOG)
    p.add_argument("--version", action="version", version=f"dragoman {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", metavar="URL", help="database URL (default $DRAGOMAN_DB or sqlite:///dragoman.db)")

    sp = sub.add_parser("ingest", help="read files, folders, URLs, feeds or - into the database",
                        description="Ingest .txt, .html, .json, .jsonl, RSS/Atom files, folders (recursively), http(s) URLs or - (stdin). Re-ingesting unchanged content is a no-op.", epilog=EPILOG)
    sp.add_argument("inputs", nargs="+", metavar="PATH", help="file, folder, URL or - for standard input")
    db(sp)
    sp.add_argument("--lang", help="force this language (ISO 639-1) for every document")
    entity_options(sp)
    sp.add_argument("--allow-private", action="store_true", help="allow fetching private, loopback and link-local addresses")
    sp.add_argument("--timeout", type=float, default=20.0, help="seconds per HTTP request (default 20)")
    sp.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="largest input or download in bytes (default 20 MiB)")
    sp.add_argument("--workers", type=int, default=1, help="processes for the per-document step (default 1)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("export", help="write the database as json, jsonl, csv or parquet",
                        description="json follows resources/schema/export.schema.json; csv and parquet write one file per table into the folder given by -o.", epilog=EPILOG)
    db(sp)
    sp.add_argument("--format", choices=("json", "jsonl", "csv", "parquet"), default="json", help="output format (default json)")
    sp.add_argument("-o", "--output", metavar="PATH", help="file (json, jsonl; default stdout) or folder (csv, parquet)")
    sp.add_argument("--with-text", action="store_true", help="include each document's clean text")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("annotate", help="analyse one text without storing it (JSON to stdout)",
                        description="Prints the analysis of FILE (or - for stdin) following resources/schema/annotate.schema.json. With --jsonl, reads JSON lines {id, text, lang, date} and writes one result line per input.")
    sp.add_argument("input", nargs="?", metavar="FILE", help="a .txt/.html/.json file or - for stdin")
    sp.add_argument("--lang", help="force the language")
    entity_options(sp)
    sp.add_argument("--date", metavar="YYYY-MM-DD", help="the document's date")
    sp.add_argument("--format", choices=("json",), default="json", help="output format (json)")
    sp.add_argument("--jsonl", action="store_true", help="JSON lines in, JSON lines out")
    sp.add_argument("--compact", action="store_true", help="one-line JSON")
    sp.set_defaults(func=cmd_annotate)

    sp = sub.add_parser("search", help="full-text search over stored documents", epilog=EPILOG)
    sp.add_argument("query", help="words to find (SQLite FTS5 syntax allowed)")
    db(sp)
    sp.add_argument("--limit", type=int, default=20, help="most hits (default 20)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("stats", help="counts of what the database holds", epilog=EPILOG)
    db(sp)
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("bench", help="measure ingest throughput and memory, or date, entity or quote accuracy",
                        description="--task ingest (default) ingests a corpus (default ../shared/data/slavicner/raw) into a temporary SQLite database and prints documents/s, MB/s and peak memory; --task dates scores the temporal layer on TempEval-3 TimeBank (en, es); --task ner scores entity recognition and linking on the SlavicNER held-out split (../shared/data/slavicner); --task quotes scores quote extraction on PolNeAR train and dev (../shared/data/polnear/data). All compare with benchmarks/baselines/<task>.json.")
    sp.add_argument("--task", choices=("ingest", "dates", "ner", "quotes"), default="ingest",
                    help="ingest: throughput and memory; dates: TimeBank span and value F1; ner: SlavicNER "
                         "span F1 and cross-lingual linking; quotes: PolNeAR content F1 and source accuracy (default ingest)")
    sp.add_argument("path", nargs="?", default=None, help="corpus folder (default ../shared/data/slavicner/raw; for dates ../shared/data/timex/datasets/timebank)")
    sp.add_argument("--limit", type=int, default=None, help="at most this many files")
    sp.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    sp.add_argument("--baseline", default=None, help="baseline file to compare with (default benchmarks/baselines/<task>.json)")
    sp.add_argument("--save", action="store_true", help="write the figures as the new baseline")
    sp.set_defaults(func=cmd_bench)
    return p


def entity_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--registry", action="append", default=[], metavar="FILE",
                    help="your own actor registry file (TOML, format of dragoman/resources/registry/README.md); "
                         "repeatable; its actors win over bundled ones with the same key")
    sp.add_argument("--ner", metavar="BACKEND", default=None,
                    help="NER backend for every language instead of resources/ner.toml: none, crf, natasha, "
                         "spacy:<package>")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        parser.error(str(exc))  # exits 2
    except DragomanError as exc:
        _err(f"[{exc.code}] {exc}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
