"""What may differ between the district server and a station service that embeds it.

The district server answers its kiosks and stations from its own tables. A station service runs
the same app over its own SQLite file for the kiosks of its station (docs/sync-protocol.md,
"Stations"), and changes four things through these hooks: enrolment goes on to the district,
the facts about a ticket come from the station's queue (where counters mark tickets done), every
batch it applies is handed to the station's queue at once, and its kiosks can read the queue.
"""

from __future__ import annotations

from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.protocol.ratings import TicketFacts
from sync.server.bulk import in_values
from sync.server.models import Rating, Ticket


class ServerHooks:
    """The behaviour the district and a station share. Subclass to embed the server elsewhere; the
    district itself runs sync.server.workorders.hooks.DistrictHooks."""

    rating_window_days: int = 0  # ratings close at the end of the ticket's business day, plus these days

    def ticket_facts(self, session: Session, ticket_ids: Iterable[str]) -> dict[str, TicketFacts]:
        ids = sorted(set(ticket_ids))
        if not ids:
            return {}
        rated = set(session.scalars(select(Rating.ticket_id).where(in_values(session, Rating.ticket_id, ids))))
        return {row.ticket_id: TicketFacts(row.ticket_id, row.station_id, row.status, row.business_date,
                                           row.holder_code, row.id_digest, row.ticket_id in rated,
                                           row.public_token_sha256)
                for row in session.execute(select(Ticket).where(in_values(session, Ticket.ticket_id, ids))).scalars()}

    def find_ticket(self, session: Session, station_id: str, number: str, business_date: str) -> str | None:
        """The id of the ticket with this number at this station on this day, if any."""
        return session.scalar(select(Ticket.ticket_id).where(
            Ticket.station_id == station_id, Ticket.number == number, Ticket.business_date == business_date))

    def check_ticket(self, kiosk_id: str, payload: dict[str, Any]) -> tuple[str, str] | None:
        """(code, detail) when a kiosk's ticket may not be accepted; the district accepts any valid one."""
        return None

    def enrol(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """A station relays the enrolment to the district: (status, answer). None: enrol here."""
        return None

    def ratings_stored(self, session: Session, rows: list[dict[str, Any]], now: float) -> None:
        """Called in the batch's transaction with the rating rows just stored. The district opens
        its work orders here (sync.server.workorders.hooks.DistrictHooks); by default nothing."""

    def after_batch(self, kiosk_id: str, ops: list[dict[str, Any]], response: dict[str, Any]) -> None:
        """Called after a batch is committed (or answered again from storage)."""

    def queue_view(self, kiosk_id: str, station_id: str) -> dict[str, Any] | None:
        """The station's queue as its kiosks show it; None where there is no queue (the district)."""
        return None
