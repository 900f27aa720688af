"""Deadlines in Chinese working days over the State Council's 2026 schedule (国办发明电〔2025〕
号 notice of 2025-11-04): 春节 2月15日–23日 off, 2月14日 (Sat) and 2月28日 (Sat) worked; 国庆节
10月1日–7日 off, 9月20日 (Sun) and 10月10日 (Sat) worked. A year the calendar does not cover yet
falls back to Monday–Friday and says so."""

from datetime import date, datetime

import pytest

from sync.server.workorders import deadlines
from sync.server.workorders.deadlines import add_working_days, calendar_years, working_day


def at(text):
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("day, works", [
    ("2026-02-13", True), ("2026-02-14", True), ("2026-02-15", False), ("2026-02-20", False),
    ("2026-02-23", False), ("2026-02-24", True), ("2026-02-28", True), ("2026-03-01", False),
    ("2026-09-19", False), ("2026-09-20", True), ("2026-10-01", False), ("2026-10-07", False),
    ("2026-10-08", True), ("2026-10-10", True), ("2026-10-11", False),
    ("2026-01-01", False), ("2026-01-04", True), ("2026-05-05", False), ("2026-05-09", True),
])
def test_the_2026_schedule(day, works):
    assert working_day(date.fromisoformat(day)) == (works, True)


def test_the_calendar_covers_2026():
    first, last = calendar_years()
    assert first <= 2026 <= last


@pytest.mark.parametrize("start, days, due", [
    # National Day: a rating the day before the holiday waits for it, and the make-up Saturday counts
    ("2026-09-30T10:00:00+08:00", 1, "2026-10-08T10:00:00+08:00"),
    ("2026-09-30T10:00:00+08:00", 3, "2026-10-10T10:00:00+08:00"),
    ("2026-09-30T10:00:00+08:00", 5, "2026-10-13T10:00:00+08:00"),
    ("2026-09-30T10:00:00+08:00", 15, "2026-10-27T10:00:00+08:00"),
    ("2026-09-18T16:30:00+08:00", 1, "2026-09-20T16:30:00+08:00"),  # Sunday 9月20日 is worked
    # Spring Festival: 2月14日 (Saturday) is worked, 15–23 are not, 2月28日 (Saturday) is worked
    ("2026-02-13T09:00:00+08:00", 1, "2026-02-14T09:00:00+08:00"),
    ("2026-02-13T09:00:00+08:00", 2, "2026-02-24T09:00:00+08:00"),
    ("2026-02-13T09:00:00+08:00", 5, "2026-02-27T09:00:00+08:00"),
    ("2026-02-13T09:00:00+08:00", 6, "2026-02-28T09:00:00+08:00"),
    ("2026-02-13T09:00:00+08:00", 15, "2026-03-12T09:00:00+08:00"),
    ("2026-02-16T11:00:00+08:00", 5, "2026-02-28T11:00:00+08:00"),  # rated on a holiday: 24–27, then 28
    ("2026-11-20T10:00:00+08:00", 5, "2026-11-27T10:00:00+08:00"),  # an ordinary week
])
def test_official_deadlines(start, days, due):
    deadline = add_working_days(at(start), days)
    assert deadline.due == at(due) and deadline.official


def test_a_year_not_covered_falls_back_to_weekends_and_says_so():
    deadline = add_working_days(at("2026-12-30T10:00:00+08:00"), 5)
    # 12-31 (Thu) from the calendar; then 2027 counted Monday to Friday: 1-1 (Fri), 1-4, 1-5, 1-6
    assert deadline.due == at("2027-01-06T10:00:00+08:00")
    assert deadline.official is False
    assert add_working_days(at("2026-12-21T10:00:00+08:00"), 5).official is True


def test_without_the_library_weekends_only(monkeypatch):
    monkeypatch.setattr(deadlines, "chinese_calendar", None)
    deadline = add_working_days(at("2026-09-30T10:00:00+08:00"), 5)
    assert deadline.due == at("2026-10-07T10:00:00+08:00") and deadline.official is False
