"""Database tables (SQLAlchemy Core). Migrations in ``migrations/`` create them.

Documents and what was removed from them are filled by ingest; mentions, entities,
quotes, events and stories are the tables later stages fill. Every span is a pair
of character offsets (end excluded) into ``documents.text``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _doc_fk() -> Column:
    return Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True)


documents = Table(
    "documents", metadata,
    Column("id", String(200), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("lang", String(8), index=True),
    Column("lang_score", Float),
    Column("published", String(40)),
    Column("date_value", String(10), index=True),
    Column("date_basis", String(12), nullable=False),
    Column("date_text", Text),
    Column("text", Text, nullable=False),
    Column("chars", Integer, nullable=False),
    Column("raw_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("source_group", Text),
    Column("segments", JSON, nullable=False),
    Column("sentences", JSON, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

boilerplate = Table(
    "boilerplate", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False, index=True),
    Column("text", Text, nullable=False),
)

line_occurrences = Table(
    "line_occurrences", metadata,
    Column("source_group", String(500), primary_key=True),
    Column("line_hash", String(32), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

date_mentions = Table(
    "date_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", String(40)),
    Column("basis", String(12), nullable=False),
    Column("calendar", String(16)),
)

entities = Table(
    "entities", metadata,
    Column("id", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(10), nullable=False),
    Column("wikidata", String(20), index=True),
    Column("aliases", JSON, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(10), nullable=False),
    Column("entity_id", String(100), ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    Column("source", String(60)),  # the recogniser: natasha, crf, spacy:..., gazetteer, role
    Column("office", String(80)),  # the office a role phrase names
)

entity_references = Table(
    "entity_references", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("entity_id", String(100), ForeignKey("entities.id", ondelete="SET NULL")),
)

stories = Table(
    "stories", metadata,
    Column("id", String(100), primary_key=True),
    Column("title_en", Text, nullable=False),
    Column("start", String(10)),
    Column("end", String(10)),
)

story_documents = Table(
    "story_documents", metadata,
    Column("story_id", String(100), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

quotes = Table(
    "quotes", metadata,
    Column("id", String(100), primary_key=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("lang", String(8)),
    Column("direct", Boolean, nullable=False),
    Column("speaker_id", String(100), ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    Column("speaker_text", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("date_value", String(10)),
    Column("date_basis", String(12)),
    Column("date_text", Text),
    Column("act", String(12)),
    Column("issues", JSON, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(100), primary_key=True),
    Column("kind", String(20), nullable=False, index=True),
    Column("plover", String(20)),
    Column("status", String(12), nullable=False),
    Column("location_id", String(100), ForeignKey("entities.id", ondelete="SET NULL")),
    Column("date_value", String(10), index=True),
    Column("date_basis", String(12), nullable=False),
    Column("date_text", Text),
    Column("summary_en", Text),
    Column("story_id", String(100), ForeignKey("stories.id", ondelete="SET NULL"), index=True),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(100), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(100), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
)

event_evidence = Table(
    "event_evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(100), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text),
)

Index("ix_boilerplate_doc_kind", boilerplate.c.doc_id, boilerplate.c.kind)
