"""差评 work orders, console staff accounts and sessions, login throttling, the audit log;
a pending work order for every poor rating already stored

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 09:00:00
"""

import time
import uuid

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

POOR_LEVEL = 2


def _create_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("entry_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("record", sa.String(length=160), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_sessions")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_console_sessions_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_console_sessions_user_name"), ["user_name"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.Float(), nullable=False),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("client", "account", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttle_last_failure_at"), ["last_failure_at"], unique=False)
    op.create_table(
        "staff_users",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("station_id", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_staff_users")),
    )
    op.create_table(
        "work_order_steps",
        sa.Column("step_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("step_id", name=op.f("pk_work_order_steps")),
    )
    with op.batch_alter_table("work_order_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_steps_order_id"), ["order_id"], unique=False)
    op.create_table(
        "work_orders",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("rating_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=True),
        sa.Column("station_id", sa.Text(), nullable=False),
        sa.Column("service_code", sa.Text(), nullable=True),
        sa.Column("counter_id", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("rated_at", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.Float(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("appealed_from", sa.String(length=16), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("closed_at", sa.Float(), nullable=True),
        sa.Column("purged_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_work_orders")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_work_orders_rating_id")),
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_orders_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_opened_at"), ["opened_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_station_id"), ["station_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_orders_unit"), ["unit"], unique=False)


def _open_orders_for_stored_ratings() -> None:
    """Poor ratings stored before work orders existed get one each, pending (待转派)."""
    bind = op.get_bind()
    ratings = sa.table("ratings", sa.column("rating_id"), sa.column("ticket_id"), sa.column("station_id"),
                       sa.column("service_code"), sa.column("level"), sa.column("rated_at"),
                       sa.column("data", sa.JSON()), sa.column("counter_id"))
    items = sa.table("catalogue_items", sa.column("entity"), sa.column("item_id"), sa.column("data", sa.JSON()))
    orders = sa.table("work_orders", *(sa.column(name) for name in (
        "order_id", "rating_id", "ticket_id", "station_id", "service_code", "counter_id", "unit", "level",
        "rated_at", "opened_at", "state", "updated_at")), sa.column("reasons", sa.JSON()), sa.column("facts", sa.JSON()))
    departments = {row.item_id: (row.data or {}).get("department")
                   for row in bind.execute(sa.select(items.c.item_id, items.c.data).where(items.c.entity == "service"))}
    now = time.time()
    rows = []
    for rating in bind.execute(sa.select(ratings).where(ratings.c.level <= POOR_LEVEL)):
        data = rating.data or {}
        department = departments.get(rating.service_code)
        rows.append({"order_id": str(uuid.uuid4()), "rating_id": rating.rating_id, "ticket_id": rating.ticket_id,
                     "station_id": rating.station_id, "service_code": rating.service_code,
                     "counter_id": rating.counter_id, "unit": department if isinstance(department, str) else None,
                     "level": rating.level, "reasons": list(data.get("reasons") or []), "rated_at": rating.rated_at,
                     "opened_at": now, "state": "pending", "updated_at": now, "facts": {}})
    if rows:
        bind.execute(orders.insert(), rows)


def upgrade() -> None:
    _create_tables()
    _open_orders_for_stored_ratings()


def downgrade() -> None:
    for table in ("work_orders", "work_order_steps", "staff_users", "login_throttle", "console_sessions",
                  "audit_log"):
        op.drop_table(table)
