"""Batch ingest: inputs → raw documents → per-document analysis → store.

Work goes in chunks. For each chunk: HTML is extracted, unchanged documents are
skipped (same id, same content hash), lines repeated across documents of the same
source are counted (in the chunk and in the database), every document is analysed
(optionally in a process pool), and the chunk is stored in one transaction. A bad
input is reported and skipped; a crash loses at most the chunk in flight, and the
database stays consistent because each chunk commits or rolls back as a whole.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from ..errors import DragomanError
from ..model import Analysis, RawDocument
from ..pipeline import Pipeline, raw_content_hash, stable_id
from ..store.repository import Store, line_hash
from ..text.boilerplate import is_repeatable, line_key
from ..text.normalize import clean_unicode
from .html import extract_html
from .sources import SourceOptions, iter_inputs

REPEAT_MIN_DOCS = 3  # a line in this many documents of one source is boilerplate


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, message)
    bytes: int = 0

    @property
    def processed(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


@dataclass
class _Prepared:
    raw: RawDocument
    keys: set[str]
    named: bool  # the id came from a file name or record (not from the content hash)


def _prepare(raw: RawDocument) -> _Prepared:
    raw.raw_hash = raw.raw_hash or raw_content_hash(raw.content)
    if raw.content_type == "html":
        raw = extract_html(raw)
    named = bool(raw.id)
    raw.id = raw.id or stable_id(raw.raw_hash or "")
    lines = clean_unicode(raw.content).split("\n")
    return _Prepared(raw, {line_key(line) for line in lines if is_repeatable(line)}, named)


def _analyze(args: tuple[Pipeline, RawDocument, frozenset[str]]) -> Analysis | DragomanError:
    pipeline, raw, repeated = args
    try:
        return pipeline.analyze(raw, repeated=repeated)
    except DragomanError as exc:
        return exc


def _chunks(items: Iterable[RawDocument | DragomanError], size: int) -> Iterator[list[RawDocument | DragomanError]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ingest(
    inputs: Iterable[str],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    source_options: SourceOptions | None = None,
    chunk_size: int = 200,
    workers: int = 1,
    progress: bool | None = None,
    on_error: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Ingest every input into ``store``; returns what happened. Never raises for a bad
    input: it is reported through ``on_error`` and in the report."""
    from tqdm import tqdm

    pipe = pipeline or Pipeline()
    report = IngestReport()

    def fail(source: str, message: str) -> None:
        report.failed.append((source, message))
        if on_error:
            on_error(source, message)

    bar = tqdm(desc="ingest", unit="doc", disable=(not sys.stderr.isatty()) if progress is None else not progress,
               file=sys.stderr, dynamic_ncols=True)
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for chunk in _chunks(iter_inputs(inputs, source_options), chunk_size):
            prepared: list[_Prepared] = []
            for item in chunk:
                if isinstance(item, DragomanError):
                    fail(item.source or "?", str(item.args[0]))
                    bar.update(1)
                    continue
                report.bytes += len(item.content.encode("utf-8"))
                try:
                    p = _prepare(item)
                except DragomanError as exc:
                    fail(exc.source or item.source, str(exc.args[0]))
                    bar.update(1)
                    continue
                prepared.append(p)
            stored = _assign_ids(prepared, store)
            todo = []
            seen: set[str] = set()
            for p in prepared:
                if p.raw.id in seen or stored.get(p.raw.id, ("", ""))[0] == p.raw.raw_hash:
                    report.unchanged += 1
                    bar.update(1)
                else:
                    todo.append(p)
                seen.add(p.raw.id or "")
            repeated = _repeated_lines(todo, store)
            jobs = [(pipe, p.raw, repeated.get(p.raw.id, frozenset())) for p in todo]
            results = pool.map(_analyze, jobs, chunksize=8) if pool else map(_analyze, jobs)
            analyses = []
            hashes: dict[str, set[str]] = {}
            for p, result in zip(todo, results, strict=True):
                bar.update(1)
                if isinstance(result, DragomanError):
                    fail(result.source or p.raw.source, str(result.args[0]))
                    continue
                analyses.append(result)
                hashes[result.id] = {line_hash(k) for k in p.keys}
            store.save(analyses, hashes)
            for a in analyses:
                if a.id in stored:
                    report.updated += 1
                else:
                    report.added += 1
    finally:
        bar.close()
        if pool:
            pool.shutdown(cancel_futures=True)
    return report


def _assign_ids(prepared: list[_Prepared], store: Store) -> dict[str, tuple[str, str]]:
    """Make ids unique: a document whose id (a file name, a record id) is already taken
    by another source gets ``<id>-<hash of its source>``; the same source always gets
    the same id, so re-ingesting stays a no-op. Returns the stored versions by id."""
    stored = store.stored_versions([p.raw.id for p in prepared if p.raw.id])
    owner = {doc_id: source for doc_id, (_, source) in stored.items()}
    for p in prepared:
        doc_id = p.raw.id or ""
        if owner.setdefault(doc_id, p.raw.source) != p.raw.source and p.named:
            p.raw.id = f"{doc_id}-{raw_content_hash(p.raw.source)[:8]}"
            owner.setdefault(p.raw.id, p.raw.source)
    extra = [p.raw.id for p in prepared if p.raw.id and p.raw.id not in stored]
    stored.update(store.stored_versions(extra))
    return stored


def _repeated_lines(todo: list[_Prepared], store: Store) -> dict[str, frozenset[str]]:
    """For each document, the line keys that occur in at least ``REPEAT_MIN_DOCS``
    documents of its source (counting this chunk and the database)."""
    by_group: dict[str, list[_Prepared]] = defaultdict(list)
    for p in todo:
        by_group[p.raw.group or ""].append(p)
    result: dict[str, frozenset[str]] = {}
    for group, docs in by_group.items():
        in_chunk = Counter(k for p in docs for k in p.keys)
        key_of = {line_hash(k): k for k in in_chunk}
        in_db = store.line_counts(group[:500], key_of, exclude=[p.raw.id for p in docs if p.raw.id])
        total = {k: n + in_db.get(line_hash(k), 0) for k, n in in_chunk.items()}
        for p in docs:
            result[p.raw.id or ""] = frozenset(k for k in p.keys if total[k] >= REPEAT_MIN_DOCS)
    return result
