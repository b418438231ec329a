"""entity mentions: what found them and the office a role phrase names; pronoun references

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("office", sa.String(length=80), nullable=True))
    op.create_table(
        "entity_references",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], name=op.f("fk_entity_references_doc_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_entity_references_entity_id_entities"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_references")),
    )
    with op.batch_alter_table("entity_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_references_doc_id"), ["doc_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entity_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_references_doc_id"))
    op.drop_table("entity_references")
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_column("office")
        batch_op.drop_column("source")
