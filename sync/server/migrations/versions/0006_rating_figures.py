"""the 好差评 figures: what a rating record carries for the provincial system, and the indexes the figures read

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:30:00
"""

import json
from datetime import datetime

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDICATOR_KEY, INDICATOR_DEFAULT = "rating_indicator_version", "GB/T 39735-2020"
BATCH = 5000

ratings = sa.table("ratings", sa.column("rating_id", sa.String), sa.column("station_id", sa.Text),
                   sa.column("rated_at", sa.Text), sa.column("contact_phone", sa.Text),
                   sa.column("rated_ts", sa.Float), sa.column("region_code", sa.String),
                   sa.column("indicator_version", sa.String), sa.column("with_contact", sa.Boolean))
items = sa.table("catalogue_items", sa.column("entity", sa.String), sa.column("item_id", sa.String),
                 sa.column("data", sa.JSON))


def _seconds(rated_at):
    try:
        moment = datetime.fromisoformat(rated_at)
    except (TypeError, ValueError):
        return None
    return moment.timestamp() if moment.tzinfo is not None else None


def _region(code):
    code = str(code).strip() if isinstance(code, (str, int)) and not isinstance(code, bool) else ""
    return code if code.isdigit() and len(code) <= 12 else None


def _data(value):
    return json.loads(value) if isinstance(value, str) else value if isinstance(value, dict) else {}


def _settings(bind):
    """(indicator version, the district's region code, {station: its own region code})."""
    config = {row.item_id: _data(row.data).get("value")
              for row in bind.execute(sa.select(items.c.item_id, items.c.data).where(items.c.entity == "config"))}
    version = config.get(INDICATOR_KEY)
    if not isinstance(version, str) or not version.strip() or len(version.strip()) > 32:
        version = INDICATOR_DEFAULT
    district = config.get("district")
    default = _region(district.get("code")) if isinstance(district, dict) else None
    stations = {row.item_id: _region(_data(row.data).get("region_code"))
                for row in bind.execute(sa.select(items.c.item_id, items.c.data).where(items.c.entity == "station"))}
    return version.strip(), default, stations


def _backfill(bind):
    version, default, stations = _settings(bind)
    last = ""
    while True:
        rows = bind.execute(sa.select(ratings.c.rating_id, ratings.c.station_id, ratings.c.rated_at,
                                      ratings.c.contact_phone).where(ratings.c.rating_id > last)
                            .order_by(ratings.c.rating_id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(ratings.update().where(ratings.c.rating_id == sa.bindparam("key")).values(
            rated_ts=sa.bindparam("ts"), region_code=sa.bindparam("region"), indicator_version=sa.bindparam("version"),
            with_contact=sa.bindparam("contact")),
            [{"key": r.rating_id, "ts": _seconds(r.rated_at), "region": stations.get(r.station_id) or default,
              "version": version, "contact": r.contact_phone is not None} for r in rows])
        last = rows[-1].rating_id


def upgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rated_ts", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("region_code", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("indicator_version", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("with_contact", sa.Boolean(), server_default=sa.false(), nullable=False))
    _backfill(op.get_bind())
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index("ix_ratings_rated_ts", ["rated_ts"], unique=False,
                              postgresql_include=["station_id", "service_code", "counter_id", "channel", "level"])
        batch_op.create_index("ix_ratings_station_rated_ts", ["station_id", "rated_ts"], unique=False)
        batch_op.create_index("ix_ratings_poor_rated_ts", ["rated_ts"], unique=False,
                              postgresql_where=sa.text("level <= 2"), sqlite_where=sa.text("level <= 2"))


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ratings_poor_rated_ts")
        batch_op.drop_index("ix_ratings_station_rated_ts")
        batch_op.drop_index("ix_ratings_rated_ts")
        batch_op.drop_column("with_contact")
        batch_op.drop_column("indicator_version")
        batch_op.drop_column("region_code")
        batch_op.drop_column("rated_ts")
