"""The local store's tables. The Alembic migrations build exactly these (tested)."""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    })


class ServiceRow(Base):
    """A service item (事项) with its guide (办事指南); `data` is the catalogue entry as JSON."""

    __tablename__ = "services"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(2))
    position: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[str] = mapped_column(Text)


class BundleRow(Base):
    """A life-event bundle (一件事一次办)."""

    __tablename__ = "bundles"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)


class StationRow(Base):
    """A service station of the district (hours, location, services)."""

    __tablename__ = "stations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text)


class TicketRow(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("station_id", "business_date", "number", name="uq_tickets_number"),
        Index("ix_tickets_queue", "business_date", "prefix", "seq"),
    )
    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(4))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    assistance: Mapped[bool] = mapped_column(Boolean, default=False)
    bundle_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    id_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    id_masked: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the issuing kiosk, at a station
    holder_code: Mapped[str | None] = mapped_column(String(16), nullable=True)  # printed on the ticket
    public_token: Mapped[str | None] = mapped_column(String(64), nullable=True)  # its phone page's key (QR code)


class OutboxRow(Base):
    """One op of sync-v1, written in the same transaction as the record it carries.

    `seq` is AUTOINCREMENT so a number is never reused, even after purging.
    """

    __tablename__ = "outbox"
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16), default="upsert")
    created_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reject_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reject_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    settled_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class RatingRow(Base):
    """A 好差评 rating; one per ticket (一次一评)."""

    __tablename__ = "ratings"
    rating_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(36), nullable=True, unique=True)
    station_id: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    rated_at: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16), server_default="kiosk")  # kiosk, window_pad, phone
    counter_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # relayed from a station's kiosk


class EventRow(Base):
    """A device, sync or assistance event, for the technician screen and the district."""

    __tablename__ = "events"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    kiosk_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # relayed from a station's kiosk


class SettingRow(Base):
    """Small key/value state: sync cursor, district-pushed settings."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RatedOnPhoneRow(Base):
    """A ticket of this station the district reports rated on the phone page: closed here too."""

    __tablename__ = "rated_on_phone"
    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    noted_at: Mapped[str] = mapped_column(String(40))


class RelayOpRow(Base):
    """An op a kiosk of this station sent, kept until the district has settled it.

    `after_own_seq` is the station's own last outbox seq when the op arrived: the district gets
    every op in the order the station committed it (a kiosk's ticket before the station's call
    on it, the station's "done" before a kiosk's rating of it)."""

    __tablename__ = "relay_ops"
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    op_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    after_own_seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), server_default="pending", index=True)
    reject_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reject_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    settled_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
