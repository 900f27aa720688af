import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.app import issue_policy
from kiosk.domain.hours import StationClosed
from kiosk.services.issue_ticket import IssueRequest, UnknownService, issue_ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_MORNING = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)
SUNDAY = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)


def policy(config, check_hours):
    return dataclasses.replace(issue_policy(config), check_opening_hours=check_hours)


def test_issues_in_opening_hours(store, config):
    ticket = issue_ticket(store, store.catalogue(), policy(config, True), IssueRequest("SB-KSL"),
                          lambda: MONDAY_MORNING)
    assert ticket.number == "A001" and ticket.business_date.isoformat() == "2026-11-23"


def test_closed_station_refuses_and_stores_nothing(store, config):
    with pytest.raises(StationClosed, match="周六 09:00-12:00"):
        issue_ticket(store, store.catalogue(), policy(config, True), IssueRequest("SB-KSL"), lambda: SUNDAY)
    assert store.tickets_of_day(SUNDAY.date()) == []


def test_unknown_service_names_the_code_and_the_known_ones(store, config):
    with pytest.raises(UnknownService, match="'XX-1'.*SB-KSL"):
        issue_ticket(store, store.catalogue(), policy(config, False), IssueRequest("XX-1"), lambda: SUNDAY)
