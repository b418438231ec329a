"""Database rows → records of the public export contract
(``resources/schema/export.schema.json``, version 1)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..store import schema as s
from ..store.repository import Store

EXPORT_FORMAT = "dragoman-export"
EXPORT_VERSION = 1
TABLES = ("documents", "entities", "quotes", "events", "stories")


def _date(value: str | None, basis: str | None, text: str | None) -> dict[str, Any]:
    return {"value": value, "basis": basis or "unknown", "text": text}


def documents(store: Store, *, with_text: bool = False) -> Iterator[dict[str, Any]]:
    for r in store.iter_rows(s.documents, order_by=s.documents.c.id):
        rec: dict[str, Any] = {
            "id": r["id"], "source": r["source"], "lang": r["lang"], "title": r["title"],
            "published": r["published"], "date": _date(r["date_value"], r["date_basis"], r["date_text"]),
            "chars": r["chars"],
        }
        if with_text:
            rec["text"] = r["text"]
        yield rec


def entities(store: Store) -> Iterator[dict[str, Any]]:
    docs: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for m in store.iter_rows(s.mentions):
        if m["entity_id"]:
            docs[m["entity_id"]].add(m["doc_id"])
            counts[m["entity_id"]] += 1
    for r in store.iter_rows(s.entities, order_by=s.entities.c.id):
        yield {
            "id": r["id"], "name": r["name"], "type": r["type"], "wikidata": r["wikidata"],
            "aliases": list(r["aliases"] or []), "documents": sorted(docs[r["id"]]), "mentions": counts[r["id"]],
        }


def quotes(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.iter_rows(s.quotes, order_by=s.quotes.c.id):
        yield {
            "id": r["id"], "doc": r["doc_id"], "start": r["start"], "end": r["end"], "text": r["text"],
            "lang": r["lang"], "direct": bool(r["direct"]), "speaker": r["speaker_id"],
            "speaker_text": r["speaker_text"], "cue": r["cue"],
            "date": _date(r["date_value"], r["date_basis"], r["date_text"]) if r["date_basis"] else None,
            "act": r["act"], "issues": list(r["issues"] or []),
        }


def events(store: Store) -> Iterator[dict[str, Any]]:
    actors: dict[str, list[str]] = defaultdict(list)
    for r in store.iter_rows(s.event_actors):
        actors[r["event_id"]].append(r["entity_id"])
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.iter_rows(s.event_evidence, order_by=s.event_evidence.c.id):
        evidence[r["event_id"]].append({"doc": r["doc_id"], "start": r["start"], "end": r["end"], "text": r["text"] or ""})
    for r in store.iter_rows(s.events, order_by=s.events.c.id):
        yield {
            "id": r["id"], "kind": r["kind"], "plover": r["plover"], "status": r["status"],
            "actors": sorted(actors[r["id"]]), "location": r["location_id"],
            "date": _date(r["date_value"], r["date_basis"], r["date_text"]), "evidence": evidence[r["id"]],
            "summary_en": r["summary_en"] or "", "story": r["story_id"],
        }


def stories(store: Store) -> Iterator[dict[str, Any]]:
    events_of: dict[str, list[str]] = defaultdict(list)
    for r in store.iter_rows(s.events, order_by=s.events.c.id):
        if r["story_id"]:
            events_of[r["story_id"]].append(r["id"])
    docs_of: dict[str, list[str]] = defaultdict(list)
    for r in store.iter_rows(s.story_documents):
        docs_of[r["story_id"]].append(r["doc_id"])
    langs = {r["id"]: r["lang"] for r in store.iter_rows(s.documents)}
    for r in store.iter_rows(s.stories, order_by=s.stories.c.id):
        documents_ = sorted(docs_of[r["id"]])
        yield {
            "id": r["id"], "title_en": r["title_en"], "events": events_of[r["id"]], "documents": documents_,
            "languages": sorted({langs[d] for d in documents_ if langs.get(d)}), "start": r["start"], "end": r["end"],
        }


def iter_table(store: Store, table: str, *, with_text: bool = False) -> Iterator[dict[str, Any]]:
    if table == "documents":
        return documents(store, with_text=with_text)
    return {"entities": entities, "quotes": quotes, "events": events, "stories": stories}[table](store)


def full_export(store: Store, *, with_text: bool = False) -> dict[str, Any]:
    """The whole database as one contract document."""
    out: dict[str, Any] = {
        "format": EXPORT_FORMAT, "version": EXPORT_VERSION,
        "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    for table in TABLES:
        out[table] = list(iter_table(store, table, with_text=with_text))
    return out
