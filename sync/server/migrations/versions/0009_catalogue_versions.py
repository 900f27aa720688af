"""catalogue versions: every item published from the console, with who, when and its feed cursor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_versions",
        sa.Column("version_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_catalogue_versions")),
    )
    op.create_index(op.f("ix_catalogue_versions_at"), "catalogue_versions", ["at"])
    op.create_index("ix_catalogue_versions_item", "catalogue_versions", ["entity", "item_id", "version"],
                    unique=True)


def downgrade() -> None:
    op.drop_table("catalogue_versions")
