"""full-text index on documents

SQLite: an FTS5 table ``documents_fts`` (doc_id, title, text) kept in step by the
repository. PostgreSQL: a GIN index on the 'simple' text-search vector of title and
text (language-neutral, since documents come in many languages).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PG_VECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_documents_fulltext ON documents USING gin ({PG_VECTOR})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE documents_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_documents_fulltext")
