"""The overview's small parts: the business day turning at 04:00, the days and months asked for,
and the finished days' ticket figures kept for a while (the running day never)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from overview_day import CHINA
from sync.server.overview.days import BadDay, business_date, day_bounds, days_before, month_days, parse_day, parse_month
from sync.server.overview.tickets import PastDays, TicketFigures, days_figures


def test_the_business_day_turns_at_four():
    assert business_date(datetime(2026, 11, 28, 3, 59, 59, tzinfo=CHINA).timestamp()) == date(2026, 11, 27)
    assert business_date(datetime(2026, 11, 28, 4, 0, tzinfo=CHINA).timestamp()) == date(2026, 11, 28)
    start, end = day_bounds(date(2026, 11, 27))
    assert (start, end) == (datetime(2026, 11, 27, 4, tzinfo=CHINA).timestamp(),
                            datetime(2026, 11, 28, 4, tzinfo=CHINA).timestamp())


@pytest.mark.parametrize("text", ["2026-02-29", "2026-1-5", "1999-12-31", "2100-01-01", "", "2026-11-27 ", "２０２６-11-27"])
def test_a_bad_day_is_refused(text):
    with pytest.raises(BadDay):
        parse_day(text, date(2026, 1, 1))


def test_days_and_months():
    assert parse_day(None, date(2026, 1, 1)) == date(2026, 1, 1)
    assert parse_day("2028-02-29", date(2026, 1, 1)) == date(2028, 2, 29)
    assert days_before(date(2026, 3, 2), 3) == [date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2)]
    assert len(month_days(parse_month("2026-02"))) == 28 and month_days(parse_month("2026-12"))[-1] == date(2026, 12, 31)
    with pytest.raises(BadDay):
        parse_month("2026-00")


def test_finished_days_are_kept_for_a_while_and_the_running_day_never(monkeypatch):
    read: list[date] = []

    def facts(_session, day, _station):
        read.append(day)
        return []

    monkeypatch.setattr("sync.server.overview.tickets.ticket_facts", facts)
    clock = [1000.0]
    past = PastDays(ttl=600, clock=lambda: clock[0])
    days = [date(2026, 11, 26), date(2026, 11, 27)]
    running = date(2026, 11, 27)
    assert isinstance(days_figures(None, days, None, 60, running, past), TicketFigures)
    assert read == days
    days_figures(None, days, None, 60, running, past)
    assert read == days + [running]  # the finished day kept, the running one read again
    days_figures(None, days, None, 30, running, past)
    assert read[-2:] == days  # another rule: another figure
    clock[0] += 601
    read.clear()
    days_figures(None, days, None, 60, running, past)
    assert read == days  # kept no longer than the TTL
    read.clear()
    days_figures(None, days, "yt-xiaozhai", 60, running, past)
    assert read == days  # one station's figures are not the district's
