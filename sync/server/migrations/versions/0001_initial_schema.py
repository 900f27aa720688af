"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 04:46:04.663113
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.String(length=128), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', 'batch_id', name=op.f('pk_batches'))
    )
    op.create_table('catalogue_items',
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=128), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'item_id', name=op.f('pk_catalogue_items'))
    )
    op.create_table('changes',
    sa.Column('cursor', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.String(length=128), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('committed_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('cursor', name=op.f('pk_changes'))
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_committed_at'), ['committed_at'], unique=False)

    op.create_table('enrol_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.Column('used_at', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_enrol_tokens'))
    )
    op.create_table('events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.Text(), nullable=False),
    sa.Column('at', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('feed_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_cursor', sa.BigInteger(), nullable=False),
    sa.Column('pruned_through', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_state'))
    )
    op.execute("INSERT INTO feed_state (id, last_cursor, pruned_through) VALUES (1, 0, 0)")
    op.create_table('kiosks',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('station_id', sa.String(length=64), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('app_version', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.Float(), nullable=False),
    sa.Column('high_water', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', name=op.f('pk_kiosks'))
    )
    op.create_table('nonces',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('seen_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', 'nonce', name=op.f('pk_nonces'))
    )
    with op.batch_alter_table('nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nonces_seen_at'), ['seen_at'], unique=False)

    op.create_table('ops',
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('op_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('entity', sa.Text(), nullable=True),
    sa.Column('entity_id', sa.Text(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=True),
    sa.Column('created_at', sa.Text(), nullable=True),
    sa.Column('op_day', sa.String(length=10), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('received_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', 'seq', name=op.f('pk_ops'))
    )
    with op.batch_alter_table('ops', schema=None) as batch_op:
        batch_op.create_index('ix_ops_kiosk_day', ['kiosk_id', 'op_day'], unique=False)
        batch_op.create_index('ix_ops_kiosk_op_id', ['kiosk_id', 'op_id'], unique=False)

    op.create_table('ratings',
    sa.Column('rating_id', sa.String(length=64), nullable=False),
    sa.Column('ticket_id', sa.String(length=64), nullable=True),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('station_id', sa.Text(), nullable=False),
    sa.Column('service_code', sa.Text(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('contact_phone', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('rating_id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_ratings_ticket_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_kiosk_id'), ['kiosk_id'], unique=False)

    op.create_table('tickets',
    sa.Column('ticket_id', sa.String(length=64), nullable=False),
    sa.Column('kiosk_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('station_id', sa.Text(), nullable=False),
    sa.Column('service_code', sa.Text(), nullable=False),
    sa.Column('number', sa.Text(), nullable=False),
    sa.Column('business_date', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_tickets'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_kiosk_id'), ['kiosk_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_kiosk_id'))

    op.drop_table('tickets')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_kiosk_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('ops', schema=None) as batch_op:
        batch_op.drop_index('ix_ops_kiosk_op_id')
        batch_op.drop_index('ix_ops_kiosk_day')

    op.drop_table('ops')
    with op.batch_alter_table('nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nonces_seen_at'))

    op.drop_table('nonces')
    op.drop_table('kiosks')
    op.drop_table('feed_state')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_kiosk_id'))

    op.drop_table('events')
    op.drop_table('enrol_tokens')
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_committed_at'))

    op.drop_table('changes')
    op.drop_table('catalogue_items')
    op.drop_table('batches')
