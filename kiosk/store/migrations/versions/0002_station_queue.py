"""The station's queue: tickets, events and ratings relayed from the station's kiosks, the holder's
printed code, the rating's channel and counter, and the ops the station relays to the district.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("kiosk_id", sa.String(64), nullable=True))
        table.add_column(sa.Column("holder_code", sa.String(16), nullable=True))
    with op.batch_alter_table("events") as table:
        table.add_column(sa.Column("kiosk_id", sa.String(64), nullable=True))
    with op.batch_alter_table("ratings") as table:
        table.add_column(sa.Column("channel", sa.String(16), nullable=False, server_default="kiosk"))
        table.add_column(sa.Column("counter_id", sa.String(64), nullable=True))
        table.add_column(sa.Column("kiosk_id", sa.String(64), nullable=True))
    op.create_table(
        "relay_ops",
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("after_own_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("reject_code", sa.String(32), nullable=True),
        sa.Column("reject_detail", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", "seq", name="pk_relay_ops"),
    )
    op.create_index("ix_relay_ops_state", "relay_ops", ["state"])


def downgrade() -> None:
    op.drop_index("ix_relay_ops_state", table_name="relay_ops")
    op.drop_table("relay_ops")
    with op.batch_alter_table("ratings") as table:
        table.drop_column("kiosk_id")
        table.drop_column("counter_id")
        table.drop_column("channel")
    with op.batch_alter_table("events") as table:
        table.drop_column("kiosk_id")
    with op.batch_alter_table("tickets") as table:
        table.drop_column("holder_code")
        table.drop_column("kiosk_id")
