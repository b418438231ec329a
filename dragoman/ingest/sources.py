"""Turning command-line inputs into raw documents.

Inputs are files (.txt, .html/.htm, .json, .jsonl, .xml/.rss/.atom feeds),
directories (recursively), ``-`` for standard input, and http(s) URLs of pages or
feeds. Each yields :class:`RawDocument` objects or, for what cannot be read, a
:class:`DragomanError` naming it, so a batch goes on past a bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import DragomanError, InputError
from ..model import RawDocument
from .decode import decode_bytes
from .feeds import looks_like_feed, parse_feed
from .http import Fetcher

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Item = RawDocument | DragomanError


@dataclass(kw_only=True)
class SourceOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    fetcher: Fetcher | None = None


def is_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")


def iter_inputs(inputs: Iterable[str], options: SourceOptions | None = None) -> Iterator[Item]:
    """Raw documents (or errors) for every input, in order."""
    opts = options or SourceOptions()
    for value in inputs:
        try:
            if value == "-":
                yield from _from_bytes(sys.stdin.buffer.read(opts.max_bytes + 1), "<stdin>", None, opts, group="stdin")
            elif is_url(value):
                yield from _from_url(value, opts)
            else:
                path = Path(value)
                if path.is_dir():
                    yield from _from_dir(path, opts)
                elif path.is_file():
                    yield from _from_file(path, opts)
                elif not path.exists():
                    yield InputError("no such file, directory or URL", source=value)
                else:
                    yield InputError("not a regular file or directory", source=value)
        except DragomanError as exc:
            yield exc
        except OSError as exc:
            yield InputError(f"cannot read: {exc.strerror or exc}", source=value)


def _from_dir(root: Path, opts: SourceOptions) -> Iterator[Item]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES)
    for path in files:
        try:
            yield from _from_file(path, opts)
        except DragomanError as exc:
            yield exc
        except OSError as exc:
            yield InputError(f"cannot read: {exc.strerror or exc}", source=str(path))


def _from_file(path: Path, opts: SourceOptions) -> Iterator[Item]:
    size = path.stat().st_size
    if size > opts.max_bytes:
        raise InputError(f"file of {size:,} bytes exceeds the {opts.max_bytes:,}-byte limit (--max-bytes)", source=str(path))
    data = path.read_bytes()
    yield from _from_bytes(data, str(path), path.suffix.lower(), opts, group=str(path.parent), file_id=path.stem)


def _from_url(url: str, opts: SourceOptions) -> Iterator[Item]:
    fetcher = opts.fetcher or Fetcher(max_bytes=opts.max_bytes)
    resp = fetcher.fetch(url)
    host = urlsplit(resp.url).hostname or url
    if looks_like_feed(resp.content):
        yield from parse_feed(resp.content, source=url, fetcher=fetcher)
        return
    text = decode_bytes(resp.content, source=url)
    kind = "html" if "html" in resp.content_type or text.lstrip()[:1] == "<" else "text"
    yield RawDocument(source=url, content=text, content_type=kind, url=resp.url, group=host)


def _from_bytes(
    data: bytes, source: str, suffix: str | None, opts: SourceOptions, *, group: str, file_id: str | None = None
) -> Iterator[Item]:
    if len(data) > opts.max_bytes:
        raise InputError(f"input exceeds the {opts.max_bytes:,}-byte limit (--max-bytes)", source=source)
    if suffix in FEED_SUFFIXES or (suffix is None and looks_like_feed(data)):
        yield from parse_feed(data, source=source, fetcher=opts.fetcher)
        return
    text = decode_bytes(data, source=source)
    head = text.lstrip()[:1]
    if suffix in JSONL_SUFFIXES or (suffix is None and head == "{" and "\n{" in text.strip()):
        yield from _from_jsonl(text, source, group)
    elif suffix in JSON_SUFFIXES or (suffix is None and head in "[{"):
        yield from _from_json(text, source, group, file_id)
    elif suffix in HTML_SUFFIXES or (suffix is None and head == "<"):
        yield RawDocument(source=source, content=text, content_type="html", id=file_id, group=group)
    else:
        yield RawDocument(source=source, content=text, content_type="text", id=file_id, group=group)


def record_to_raw(record: object, *, source: str, group: str, default_id: str | None = None) -> RawDocument:
    """A JSON record ``{"text"|"html", "id", "title", "url", "published", "lang"}`` as a raw document."""
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", source=source)
    html = record.get("html")
    text = record.get("text")
    if not isinstance(text, str) and not isinstance(html, str):
        raise InputError('record has no "text" (or "html") string field', source=source)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    rid = record.get("id")
    return RawDocument(
        source=url or source,
        content=text if isinstance(text, str) else html,
        content_type="text" if isinstance(text, str) else "html",
        id=str(rid) if rid not in (None, "") else default_id,
        title=_opt_str(record.get("title")),
        url=url,
        published=_opt_str(record.get("published") or record.get("date")),
        lang=_opt_str(record.get("lang") or record.get("language")),
        group=(urlsplit(url).hostname if url else None) or group,
    )


def _opt_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _from_jsonl(text: str, source: str, group: str) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield record_to_raw(json.loads(line), source=where, group=group)
        except json.JSONDecodeError as exc:
            yield InputError(f"malformed JSON line: {exc.msg} at column {exc.colno}", source=where)
        except DragomanError as exc:
            yield exc


def _from_json(text: str, source: str, group: str, file_id: str | None) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", source=source) from exc
    if isinstance(data, dict) and not ("text" in data or "html" in data):
        data = data.get("documents") or data.get("items") or data.get("articles") or data
    if isinstance(data, list):
        for n, record in enumerate(data, 1):
            try:
                yield record_to_raw(record, source=f"{source}[{n}]", group=group)
            except DragomanError as exc:
                yield exc
    else:
        yield record_to_raw(data, source=source, group=group, default_id=file_id)
