"""Full-text search on PostgreSQL (the GIN index of migration 0002)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

_VECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def postgres_search(conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
    sql = text(
        f"SELECT id, title, ts_headline('simple', text, q, 'StartSel=[,StopSel=],MaxWords=24') AS snippet "
        f"FROM documents, websearch_to_tsquery('simple', :q) AS q WHERE {_VECTOR} @@ q "
        f"ORDER BY ts_rank({_VECTOR}, q) DESC LIMIT :limit"
    )
    return [{"id": r.id, "title": r.title, "snippet": r.snippet} for r in conn.execute(sql, {"q": query, "limit": limit})]
