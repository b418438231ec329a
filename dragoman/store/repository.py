"""The repository: opening (and migrating) a database, saving analyses atomically,
counting, searching and reading back for export.

SQLite is the default (``sqlite:///dragoman.db``); any SQLAlchemy URL works,
PostgreSQL included (``postgresql+psycopg://user@host/db``, extra ``postgres``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchModuleError, OperationalError, SQLAlchemyError

from ..errors import MissingExtraError, StoreError
from ..model import Analysis
from . import schema as s

DEFAULT_URL = "sqlite:///dragoman.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def line_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        engine = create_engine(url, future=True)
    except NoSuchModuleError as exc:
        raise StoreError(f"unknown database URL scheme: {exc}", source=url) from exc
    except ModuleNotFoundError as exc:
        raise MissingExtraError(
            f"the database driver is not installed ({exc.name}); for PostgreSQL: pip install 'dragoman[postgres]'",
            source=url,
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(f"cannot open or migrate the database: {exc.orig}", source=str(engine.url)) from exc


class Store:
    """A Dragoman database. ``Store.open(url)`` migrates it on first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    def open(cls, url: str = DEFAULT_URL, *, migrate_schema: bool = True) -> Store:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- ingest -------------------------------------------------------------------
    def stored_versions(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``(raw_hash, source)`` of those of ``ids`` already stored."""
        if not ids:
            return {}
        d = s.documents.c
        found: dict[str, tuple[str, str]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                rows = conn.execute(select(d.id, d.raw_hash, d.source).where(d.id.in_(list(ids[i : i + 500]))))
                found.update({r.id: (r.raw_hash, r.source) for r in rows})
        return found

    def line_counts(self, group: str, hashes: Iterable[str], *, exclude: Iterable[str] = ()) -> dict[str, int]:
        """How many stored documents of ``group`` (other than ``exclude``) contain each line hash."""
        hashes = list(set(hashes))
        if not hashes:
            return {}
        lo = s.line_occurrences
        counts: dict[str, int] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), 500):
                q = (
                    select(lo.c.line_hash, func.count())
                    .where(lo.c.source_group == group, lo.c.line_hash.in_(hashes[i : i + 500]))
                    .where(lo.c.doc_id.not_in(list(exclude)))
                    .group_by(lo.c.line_hash)
                )
                counts.update({h: n for h, n in conn.execute(q)})
        return counts

    def save(self, analyses: Sequence[Analysis], line_hashes: dict[str, set[str]]) -> None:
        """Store ``analyses`` in one transaction, replacing earlier versions of the same ids.

        ``line_hashes`` maps a document id to the hashes of its (raw) lines, recorded
        for cross-document boilerplate detection.
        """
        if not analyses:
            return
        now = dt.datetime.now(dt.timezone.utc)
        try:
            with self.engine.begin() as conn:
                ids = [a.id for a in analyses]
                self._delete(conn, ids)
                conn.execute(insert(s.documents), [self._document_row(a, now) for a in analyses])
                removed = [
                    {"doc_id": a.id, "position": r.position, "kind": r.kind, "text": r.text}
                    for a in analyses for r in a.removed
                ]
                if removed:
                    conn.execute(insert(s.boilerplate), removed)
                occurrences = [
                    {"source_group": (a.group or "")[:500], "line_hash": h, "doc_id": a.id}
                    for a in analyses for h in line_hashes.get(a.id or "", ())
                ]
                if occurrences:
                    conn.execute(insert(s.line_occurrences), occurrences)
                dates = [
                    {"doc_id": a.id, "start": d.start, "end": d.end, "text": d.text, "value": d.value,
                     "basis": d.basis, "calendar": d.calendar}
                    for a in analyses for d in a.dates
                ]
                if dates:
                    conn.execute(insert(s.date_mentions), dates)
                self._save_entities(conn, analyses)
                if self.dialect == "sqlite":
                    conn.execute(
                        text("INSERT INTO documents_fts (doc_id, title, text) VALUES (:doc_id, :title, :text)"),
                        [{"doc_id": a.id, "title": a.title or "", "text": a.text} for a in analyses],
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"could not store {len(analyses)} documents: {exc}", source=str(self.engine.url)) from exc

    def _save_entities(self, conn: Connection, analyses: Sequence[Analysis]) -> None:
        """Upsert the documents' entities (aliases united with stored ones), then their
        mentions, pronoun references and quotes."""
        incoming: dict[str, Any] = {}
        for a in analyses:
            for e in a.actors:
                aliases = [{"text": t, "lang": lang} for t, lang in e.aliases]
                if e.id in incoming:
                    known = incoming[e.id]["aliases"]
                    known += [x for x in aliases if x not in known]
                else:
                    incoming[e.id] = {"id": e.id, "name": e.name, "type": e.type, "wikidata": e.wikidata,
                                      "aliases": aliases}
        if incoming:
            stored = {r.id: r for r in conn.execute(select(s.entities).where(s.entities.c.id.in_(list(incoming))))}
            new = []
            for eid, row in incoming.items():
                old = stored.get(eid)
                if old is None:
                    new.append(row)
                    continue
                aliases = list(old.aliases or [])
                added = [x for x in row["aliases"] if x not in aliases]
                if added or old.name != row["name"] or old.wikidata != row["wikidata"]:
                    conn.execute(s.entities.update().where(s.entities.c.id == eid).values(
                        name=row["name"], wikidata=row["wikidata"], aliases=aliases + added))
            if new:
                conn.execute(insert(s.entities), new)
        mentions = [
            {"doc_id": a.id, "start": m.start, "end": m.end, "text": m.text, "type": m.type, "entity_id": m.entity,
             "source": m.source, "office": m.office}
            for a in analyses for m in a.entities
        ]
        if mentions:
            conn.execute(insert(s.mentions), mentions)
        refs = [{"doc_id": a.id, "start": r.start, "end": r.end, "text": r.text, "entity_id": r.entity}
                for a in analyses for r in a.references]
        if refs:
            conn.execute(insert(s.entity_references), refs)
        known = {e.id for a in analyses for e in a.actors}
        quotes = [
            {"id": f"{a.id}:q{i + 1}", "doc_id": a.id, "start": q.start, "end": q.end, "text": q.text, "lang": a.lang,
             "direct": q.direct, "speaker_id": q.speaker if q.speaker in known else None,
             "speaker_text": q.speaker_text, "speaker_start": q.speaker_span[0] if q.speaker_span else None,
             "speaker_end": q.speaker_span[1] if q.speaker_span else None, "cue": q.cue,
             "cue_start": q.cue_span[0] if q.cue_span else None, "cue_end": q.cue_span[1] if q.cue_span else None,
             "date_value": q.date.value if q.date else None, "date_basis": q.date.basis if q.date else None,
             "date_text": q.date.text if q.date else None, "act": q.act, "issues": q.issues}
            for a in analyses for i, q in enumerate(a.quotes)
        ]
        if quotes:
            conn.execute(insert(s.quotes), quotes)

    def _delete(self, conn: Connection, ids: list[str]) -> None:
        # explicit deletes: foreign-key cascades are not on in every SQLite build
        for table in (s.boilerplate, s.line_occurrences, s.date_mentions, s.mentions, s.entity_references,
                      s.event_evidence, s.story_documents, s.quotes):
            conn.execute(delete(table).where(table.c.doc_id.in_(ids)))
        conn.execute(delete(s.documents).where(s.documents.c.id.in_(ids)))
        if self.dialect == "sqlite":
            conn.execute(text("DELETE FROM documents_fts WHERE doc_id IN (SELECT value FROM json_each(:ids))"),
                         {"ids": json.dumps(ids)})

    @staticmethod
    def _document_row(a: Analysis, now: dt.datetime) -> dict[str, Any]:
        return {
            "id": a.id, "source": a.source, "url": a.url, "title": a.title, "lang": a.lang,
            "lang_score": a.lang_score, "published": a.published, "date_value": a.date.value,
            "date_basis": a.date.basis, "date_text": a.date.text, "text": a.text, "chars": len(a.text),
            "raw_hash": a.raw_hash, "content_hash": a.content_hash, "source_group": a.group,
            "segments": [{"start": g.start, "end": g.end, "lang": g.lang} for g in a.segments],
            "sentences": [[st, en] for st, en in a.sentences], "ingested_at": now,
        }

    # -- reading -------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            count = lambda t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
            langs = dict(conn.execute(
                select(s.documents.c.lang, func.count()).group_by(s.documents.c.lang).order_by(func.count().desc())
            ).all())
            kinds = dict(conn.execute(
                select(s.boilerplate.c.kind, func.count()).group_by(s.boilerplate.c.kind).order_by(func.count().desc())
            ).all())
            return {
                "documents": count(s.documents),
                "languages": {str(k): v for k, v in langs.items()},
                "boilerplate_lines": count(s.boilerplate),
                "boilerplate_by_kind": kinds,
                "date_mentions": count(s.date_mentions),
                "entities": count(s.entities),
                "mentions": count(s.mentions),
                "quotes": count(s.quotes),
                "events": count(s.events),
                "stories": count(s.stories),
            }

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Documents matching ``query`` (FTS5 syntax on SQLite, plain words on PostgreSQL)."""
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                sql = text(
                    "SELECT doc_id, title, snippet(documents_fts, 2, '[', ']', ' … ', 12) AS snippet, rank "
                    "FROM documents_fts WHERE documents_fts MATCH :q ORDER BY rank LIMIT :limit"
                )
                try:
                    rows = conn.execute(sql, {"q": query, "limit": limit}).all()
                except OperationalError:
                    quoted = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
                    rows = conn.execute(sql, {"q": quoted, "limit": limit}).all()
                return [{"id": r.doc_id, "title": r.title or None, "snippet": r.snippet} for r in rows]
            if self.dialect == "postgresql":
                from .search import postgres_search

                return postgres_search(conn, query, limit)
            pattern = f"%{query}%"
            rows = conn.execute(
                select(s.documents.c.id, s.documents.c.title, s.documents.c.text)
                .where(s.documents.c.text.like(pattern)).limit(limit)
            ).all()
            return [{"id": r.id, "title": r.title, "snippet": r.text[:160]} for r in rows]

    def iter_rows(self, table: Any, *, order_by: Any = None) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            q = select(table)
            if order_by is not None:
                q = q.order_by(order_by)
            for row in conn.execute(q):
                yield dict(row._mapping)
