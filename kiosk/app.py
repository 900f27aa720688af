"""Composition root: the only place that builds concrete objects from the configuration."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from kiosk.config import Config
from kiosk.domain.numbering import NumberingScheme, business_date
from kiosk.services.issue_ticket import IssuePolicy


def numbering_scheme(config: Config) -> NumberingScheme:
    n = config.numbering
    return NumberingScheme(mode=n.mode, first=n.first, last=n.last, letter=n.letter)


def issue_policy(config: Config) -> IssuePolicy:
    return IssuePolicy(station_id=config.kiosk.station_id, scheme=numbering_scheme(config),
                       rollover_hour=config.kiosk.day_rollover_hour,
                       check_opening_hours=config.kiosk.check_opening_hours)


def station_clock(config: Config):
    """Now, in the station's time zone."""
    return partial(datetime.now, config.tz)


def today(config: Config):
    return business_date(station_clock(config)(), config.kiosk.day_rollover_hour)


def open_store(config: Config):
    """Open the local store (migrating it) and seed the catalogue on first start."""
    from kiosk.store.store import Store

    store = Store(config.database_path)
    try:
        store.seed_catalogue(config.catalogue.file)
    except BaseException:
        store.close()
        raise
    return store


def ticket_url(config: Config, ticket) -> str:
    return config.kiosk.ticket_url.format(station_id=ticket.station_id, ticket_id=ticket.ticket_id,
                                          number=ticket.number)
