"""the phone page behind a ticket's QR code

A ticket's public_token is kept as its sha256 (unique: the page's key), and each station's latest
queue snapshot (positions, estimates, calls) for the pages to read (sync.server.phone).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 15:30:00
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_token_sha256", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_tickets_public_token_sha256"), ["public_token_sha256"])
    op.create_table(
        "station_queues",
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("sent_by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("business_date", sa.String(length=10), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_station_queues")),
    )


def downgrade() -> None:
    op.drop_table("station_queues")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_tickets_public_token_sha256"), type_="unique")
        batch_op.drop_column("public_token_sha256")
