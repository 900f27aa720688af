"""The phone page behind the ticket's QR code: each ticket's public_token (the page's key, made at
issue and sent with the ticket), and the tickets the district reports rated on the phone (their
rating is closed here too: one rating per ticket across every channel).

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
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("public_token", sa.String(64), nullable=True))
    op.create_table(
        "rated_on_phone",
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("noted_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_rated_on_phone"),
    )


def downgrade() -> None:
    op.drop_table("rated_on_phone")
    with op.batch_alter_table("tickets") as table:
        table.drop_column("public_token")
