"""fleet health: each device's latest heartbeat, the heartbeats of the retention period, and alerts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_health",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("sent_at", sa.Text(), nullable=True),
        sa.Column("app_version", sa.String(length=64), nullable=True),
        sa.Column("catalogue_version", sa.BigInteger(), nullable=True),
        sa.Column("printer", sa.String(length=32), nullable=True),
        sa.Column("reader", sa.String(length=32), nullable=True),
        sa.Column("outbox", sa.Integer(), nullable=True),
        sa.Column("dead_letters", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("history_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("kiosk_id", name=op.f("pk_device_health")),
    )
    op.create_index(op.f("ix_device_health_station_id"), "device_health", ["station_id"])
    op.create_table(
        "device_heartbeats",
        sa.Column("heartbeat_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("heartbeat_id", name=op.f("pk_device_heartbeats")),
    )
    op.create_index(op.f("ix_device_heartbeats_received_at"), "device_heartbeats", ["received_at"])
    op.create_index("ix_device_heartbeats_kiosk_received", "device_heartbeats", ["kiosk_id", "received_at"])
    op.create_table(
        "fleet_alerts",
        sa.Column("alert_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("since", sa.Float(), nullable=False),
        sa.Column("raised_at", sa.Float(), nullable=True),
        sa.Column("gone_since", sa.Float(), nullable=True),
        sa.Column("cleared_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_fleet_alerts")),
    )
    op.create_index(op.f("ix_fleet_alerts_cleared_at"), "fleet_alerts", ["cleared_at"])
    op.create_index("ix_fleet_alerts_kiosk_kind", "fleet_alerts", ["kiosk_id", "kind"])


def downgrade() -> None:
    op.drop_table("fleet_alerts")
    op.drop_table("device_heartbeats")
    op.drop_table("device_health")
