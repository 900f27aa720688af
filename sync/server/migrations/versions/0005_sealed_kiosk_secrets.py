"""kiosk secrets encrypted at rest (AES-GCM under the key file, sync.server.secretbox)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 09:30:00
"""

from alembic import op
import sqlalchemy as sa

from sync.server import secretbox


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

kiosks = sa.table("kiosks", sa.column("kiosk_id"), sa.column("secret"))


def upgrade() -> None:
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.VARCHAR(length=64), type_=sa.String(length=128),
                              existing_nullable=False)
    bind = op.get_bind()
    plain = [row for row in bind.execute(sa.select(kiosks.c.kiosk_id, kiosks.c.secret))
             if not secretbox.is_sealed(row.secret)]
    if not plain:
        return
    key = secretbox.ensure_key(secretbox.key_path(bind.engine.url))  # made here (0600) if missing
    for row in plain:
        bind.execute(kiosks.update().where(kiosks.c.kiosk_id == row.kiosk_id)
                     .values(secret=secretbox.seal(key, row.secret, row.kiosk_id)))


def downgrade() -> None:
    bind = op.get_bind()
    sealed = [row for row in bind.execute(sa.select(kiosks.c.kiosk_id, kiosks.c.secret))
              if secretbox.is_sealed(row.secret)]
    if sealed:
        key = secretbox.ensure_key(secretbox.key_path(bind.engine.url), create=False)
        for row in sealed:
            bind.execute(kiosks.update().where(kiosks.c.kiosk_id == row.kiosk_id)
                         .values(secret=secretbox.unseal(key, row.secret, row.kiosk_id)))
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=128), type_=sa.VARCHAR(length=64),
                              existing_nullable=False)
