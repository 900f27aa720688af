"""First tables: catalogue, stations, tickets, outbox, ratings, events, settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_services"),
    )
    op.create_table(
        "bundles",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_bundles"),
    )
    op.create_table(
        "stations",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stations"),
    )
    op.create_table(
        "tickets",
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("service_code", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(4), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("business_date", sa.String(10), nullable=False),
        sa.Column("issued_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("assistance", sa.Boolean(), nullable=False),
        sa.Column("bundle_code", sa.String(64), nullable=True),
        sa.Column("id_digest", sa.String(64), nullable=True),
        sa.Column("id_masked", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_tickets"),
        sa.UniqueConstraint("station_id", "business_date", "number", name="uq_tickets_number"),
    )
    op.create_index("ix_tickets_queue", "tickets", ["business_date", "prefix", "seq"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reject_code", sa.String(32), nullable=True),
        sa.Column("reject_detail", sa.Text(), nullable=True),
        sa.Column("settled_at", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("op_id", name="uq_outbox_op_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.create_table(
        "ratings",
        sa.Column("rating_id", sa.String(36), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=True),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("service_code", sa.String(64), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.String(32), nullable=True),
        sa.Column("rated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("rating_id", name="pk_ratings"),
        sa.UniqueConstraint("ticket_id", name="uq_ratings_ticket_id"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_events"),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )


def downgrade() -> None:
    for name in ("settings", "events", "ratings", "outbox", "tickets", "stations", "bundles", "services"):
        op.drop_table(name)
