"""Export writers: json (the contract), jsonl (one typed record a line), csv and
parquet (one file per table in a folder, nested fields as JSON strings)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import IO, Any

from ..errors import UsageError
from ..store.repository import Store
from .records import TABLES, full_export, iter_table

FORMATS = ("json", "jsonl", "csv", "parquet")


RECORD = {"documents": "document", "entities": "entity", "quotes": "quote", "events": "event", "stories": "story"}


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in record.items()}


def export(store: Store, fmt: str, output: str | None, *, with_text: bool = False) -> list[str]:
    """Write the export; returns the paths written (``[]`` for standard output)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return _write_stream(output, lambda f: json.dump(full_export(store, with_text=with_text), f, ensure_ascii=False, indent=1))
    if fmt == "jsonl":
        def write(f: IO[str]) -> None:
            for table in TABLES:
                for rec in iter_table(store, table, with_text=with_text):
                    # "record" names the table: entities have a "type" field of their own
                    line = {"record": RECORD[table], **rec}
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return _write_stream(output, write)
    if not output:
        raise UsageError(f"--format {fmt} writes one file per table: give a folder with -o")
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        rows = [_flat(r) for r in iter_table(store, table, with_text=with_text)]
        path = folder / f"{table}.{fmt}"
        if fmt == "csv":
            _write_csv(path, rows, table)
        else:
            _write_parquet(path, rows)
        written.append(str(path))
    return written


def _write_stream(output: str | None, write: Any) -> list[str]:
    if not output or output == "-":
        write(sys.stdout)
        sys.stdout.write("\n")
        return []
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        write(f)
    tmp.replace(path)
    return [str(path)]


_COLUMNS = {
    "documents": ["id", "source", "lang", "title", "published", "date", "chars", "text"],
    "entities": ["id", "name", "type", "wikidata", "aliases", "documents", "mentions"],
    "quotes": ["id", "doc", "start", "end", "text", "lang", "direct", "speaker", "speaker_text", "cue", "date", "act", "issues"],
    "events": ["id", "kind", "plover", "status", "actors", "location", "date", "evidence", "summary_en", "story"],
    "stories": ["id", "title_en", "events", "documents", "languages", "start", "end"],
}


def _write_csv(path: Path, rows: list[dict[str, Any]], table: str) -> None:
    columns = [c for c in _COLUMNS[table] if c != "text" or any("text" in r for r in rows)]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())})
    pq.write_table(table, path)
