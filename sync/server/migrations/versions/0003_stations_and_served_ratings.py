"""stations relay for their kiosks; tickets keep what the rating rule needs; ratings their channel

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 12:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="kiosk"))
    with op.batch_alter_table("enrol_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="kiosk"))
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder_code", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("id_digest", sa.String(128), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("state_by", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("state_seq", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(16), nullable=False, server_default="kiosk"))
        batch_op.add_column(sa.Column("counter_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_column("counter_id")
        batch_op.drop_column("channel")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name in ("state_seq", "state_by", "updated_at", "id_digest", "holder_code"):
            batch_op.drop_column(name)
    with op.batch_alter_table("enrol_tokens", schema=None) as batch_op:
        batch_op.drop_column("role")
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.drop_column("role")
