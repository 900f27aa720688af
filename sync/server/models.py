"""SQLAlchemy tables of the district server. Times the server stamps are Unix seconds (float)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, Index, Integer, MetaData, String, Text, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, Any: JSON}


class Kiosk(Base):
    __tablename__ = "kiosks"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    secret: Mapped[str] = mapped_column(String(128))  # AES-GCM sealed (sync.server.secretbox)
    app_version: Mapped[str | None] = mapped_column(String(64))
    enrolled_at: Mapped[float] = mapped_column(Float)
    high_water: Mapped[int] = mapped_column(BigInteger, default=0)
    numbering: Mapped[Any] = mapped_column(JSON, nullable=True)  # {"mode": "block", "first", "last"} or letter
    role: Mapped[str] = mapped_column(String(16), server_default="kiosk")  # kiosk | station


class EnrolToken(Base):
    __tablename__ = "enrol_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), server_default="kiosk")
    created_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    used_at: Mapped[float | None] = mapped_column(Float)


class Nonce(Base):
    __tablename__ = "nonces"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[float] = mapped_column(Float, index=True)


class Batch(Base):
    __tablename__ = "batches"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    batch_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    response: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)


class Op(Base):
    """Every settled op of every kiosk: the full history, applied and rejected."""

    __tablename__ = "ops"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    op_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str | None] = mapped_column(Text)
    op_day: Mapped[str | None] = mapped_column(String(10))
    payload: Mapped[Any] = mapped_column(JSON, nullable=True)
    received_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        Index("ix_ops_kiosk_op_id", "kiosk_id", "op_id"),
        Index("ix_ops_kiosk_day", "kiosk_id", "op_day"),
    )


class Ticket(Base):
    """Current state of a ticket. ``kiosk_id`` issued it; its fields come from that kiosk's op with
    the highest seq, whose payload is ops(kiosk_id, seq). Once the station that serves the ticket
    has written its status (``state_by``, ``state_seq``: the station and the seq of its op), the
    status is the station's (docs/sync-protocol.md, "Stations")."""

    __tablename__ = "tickets"
    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[str] = mapped_column(Text)
    service_code: Mapped[str] = mapped_column(Text)
    number: Mapped[str] = mapped_column(Text)
    business_date: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16))
    holder_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    id_digest: Mapped[str | None] = mapped_column(String(128), nullable=True)
    updated_at: Mapped[str | None] = mapped_column(Text, nullable=True)
    state_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    state_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # hex sha256 of the ticket's public_token: the key of its phone page (sync.server.phone)
    public_token_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class Rating(Base):
    __tablename__ = "ratings"
    rating_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[str] = mapped_column(Text)
    service_code: Mapped[str | None] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    contact_phone: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16), server_default="kiosk")
    counter_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # What the provincial 好差评 system needs, stamped at store time (sync.server.figures.record).
    rated_ts: Mapped[float | None] = mapped_column(Float, nullable=True)  # rated_at as Unix seconds
    region_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    indicator_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    with_contact: Mapped[bool] = mapped_column(Boolean, server_default=false())  # a phone was given (实名)

    __table_args__ = (
        # a month's ratings counted from the index alone on PostgreSQL (sync.server.figures.queries)
        Index("ix_ratings_rated_ts", "rated_ts",
              postgresql_include=["station_id", "service_code", "counter_id", "channel", "level"]),
        Index("ix_ratings_station_rated_ts", "station_id", "rated_ts"),
        Index("ix_ratings_poor_rated_ts", "rated_ts", postgresql_where=text("level <= 2"),
              sqlite_where=text("level <= 2")),  # the month's 差评 and their work orders
    )


class StationQueue(Base):
    """The latest queue snapshot each station pushed (sync.server.phone.snapshots): the phone pages
    read positions, estimates and calls from it."""

    __tablename__ = "station_queues"
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sent_by: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(Text)  # the station's clock, as it wrote it
    business_date: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[float] = mapped_column(Float)
    data: Mapped[Any] = mapped_column(JSON)  # {ticket_id: {"status", "ahead", "estimate_minutes", "counter"}}


class Event(Base):
    """Latest state of an event; its payload is ops(kiosk_id, seq)."""

    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(Text)


class CatalogueItem(Base):
    """Current rows of the download side: service, bundle, station, notice, config."""

    __tablename__ = "catalogue_items"
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[Any] = mapped_column(JSON)
    cursor: Mapped[int] = mapped_column(BigInteger)


class Change(Base):
    __tablename__ = "changes"
    cursor: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(128))
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[Any] = mapped_column(JSON, nullable=True)
    committed_at: Mapped[float] = mapped_column(Float, index=True)


class FeedState(Base):
    """One row: the last cursor handed out (its row lock orders change writers) and the prune mark."""

    __tablename__ = "feed_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_cursor: Mapped[int] = mapped_column(BigInteger)
    pruned_through: Mapped[int] = mapped_column(BigInteger)


# -- the district's 好差评 follow-up (docs/district.md) ------------------------------------------------

class WorkOrder(Base):
    """One 差评 work order per accepted rating of level <= 2 (sync.server.workorders). The resident's
    phone and comment stay in the rating; ``facts`` holds what each step recorded."""

    __tablename__ = "work_orders"
    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rating_id: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    station_id: Mapped[str] = mapped_column(Text, index=True)
    service_code: Mapped[str | None] = mapped_column(Text, nullable=True)
    counter_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unit: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[Any] = mapped_column(JSON)
    rated_at: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[float] = mapped_column(Float, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    appealed_from: Mapped[str | None] = mapped_column(String(16), nullable=True)
    facts: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[float] = mapped_column(Float)
    closed_at: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    purged_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class WorkOrderStep(Base):
    """Every transition of a work order: who, when, from and to which state, and what was said."""

    __tablename__ = "work_order_steps"
    step_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[float] = mapped_column(Float)
    data: Mapped[Any] = mapped_column(JSON, nullable=True)


class StaffUser(Base):
    """A district staff account of the console (sync.server.console.accounts)."""

    __tablename__ = "staff_users"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unit: Mapped[str | None] = mapped_column(Text, nullable=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)


class ConsoleSession(Base):
    """A console login: the cookie's token is kept only as its sha256."""

    __tablename__ = "console_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[float] = mapped_column(Float)
    seen_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class LoginThrottle(Base):
    """Failed console logins per (client address, account name), for the back-off."""

    __tablename__ = "login_throttle"
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[float] = mapped_column(Float, index=True)
    blocked_until: Mapped[float] = mapped_column(Float)


class AuditEntry(Base):
    """Who saw which personal data when (sync.server.console.audit)."""

    __tablename__ = "audit_log"
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    record: Mapped[str] = mapped_column(String(160))
    client: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DeviceHealth(Base):
    """The latest heartbeat of each kiosk and station service (sync.server.fleet)."""

    __tablename__ = "device_health"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))  # kiosk | station
    received_at: Mapped[float] = mapped_column(Float)
    sent_at: Mapped[str | None] = mapped_column(Text, nullable=True)
    app_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    catalogue_version: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    printer: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reader: Mapped[str | None] = mapped_column(String(32), nullable=True)
    outbox: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dead_letters: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[Any] = mapped_column(JSON)
    history_at: Mapped[float | None] = mapped_column(Float, nullable=True)  # the last one kept in device_heartbeats


class DeviceHeartbeat(Base):
    """The heartbeats that changed something, and one every 10 minutes besides, kept for the
    retention period (sync.server.fleet.heartbeat, sync.server.retention)."""

    __tablename__ = "device_heartbeats"
    heartbeat_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                              autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[float] = mapped_column(Float, index=True)
    data: Mapped[Any] = mapped_column(JSON)
    __table_args__ = (Index("ix_device_heartbeats_kiosk_received", "kiosk_id", "received_at"),)


class FleetAlert(Base):
    """A condition of one device (silent, paper_out, ...): seen since `since`, raised once it has
    held long enough, cleared when it has gone."""

    __tablename__ = "fleet_alerts"
    alert_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    station_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    since: Mapped[float] = mapped_column(Float)
    raised_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    gone_since: Mapped[float | None] = mapped_column(Float, nullable=True)  # the condition went away, not yet long enough
    cleared_at: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    __table_args__ = (Index("ix_fleet_alerts_kiosk_kind", "kiosk_id", "kind"),)


class CatalogueVersion(Base):
    """Every published version of a catalogue item: who, when, what, and its cursor in the feed."""

    __tablename__ = "catalogue_versions"
    version_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[Any] = mapped_column(JSON, nullable=True)  # None: the item was withdrawn
    author: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Float, index=True)
    cursor: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    __table_args__ = (Index("ix_catalogue_versions_item", "entity", "item_id", "version", unique=True),)
