"""Which status a ticket's page shows when its station's snapshot and its ops disagree
(sync.server.phone.states.state_of), and the words for each (texts.lines)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from sync.server.phone.states import STALE_S, Snapshot, state_of
from sync.server.phone.texts import lang_of, lines

NOW = datetime.fromisoformat("2026-11-23T10:10:00+08:00").timestamp()


def row(status: str, updated: str) -> SimpleNamespace:
    return SimpleNamespace(ticket_id="t1", status=status, updated_at=f"2026-11-23T{updated}+08:00",
                           business_date="2026-11-23")


def snapshot(at: str, **entry) -> Snapshot:
    return Snapshot(SimpleNamespace(received_at=NOW - 5, at=f"2026-11-23T{at}+08:00", data={"t1": entry} if entry else {}))


@pytest.mark.parametrize("ticket, snap, shown", [
    # the kiosk's clock runs 2 minutes ahead of the station's: its waiting ticket still gets its place
    (row("waiting", "10:07:00"), snapshot("10:05:30", status="waiting", ahead=2, estimate_minutes=8), ("waiting", 2)),
    # the station's call went up before its snapshot: the older snapshot does not undo it
    (row("called", "10:06:00"), snapshot("10:05:59", status="waiting", ahead=0), ("called", None)),
    (row("called", "10:06:00"), snapshot("10:06:00", status="called", counter="一号窗口"), ("called", None)),
    # done, and a snapshot taken before it still listing the ticket
    (row("done", "10:06:00"), snapshot("10:06:00", status="serving", counter="一号窗口"), ("done", None)),
    # a missed number called back: the newer snapshot lists it again
    (row("no_show", "10:01:00"), snapshot("10:06:00", status="called", counter="二号窗口"), ("called", None)),
    (row("done", "10:06:00"), snapshot("10:07:00"), ("done", None)),
])
def test_the_newer_word_of_the_station_wins(ticket, snap, shown):
    state = state_of(ticket, snap, False, 5.0, NOW)
    assert (state["status"], state["ahead"]) == shown


def test_words_and_the_rating_window():
    state = state_of(row("done", "10:06:00"), snapshot("10:07:00"), False, 5.0, NOW)
    assert state["rating_open"] and not state["rating_closed"] and not state["stale"]
    assert lines(state, "zh")["status"] == "已办结" and lines(state, "zh")["updated"] == "最后更新 10:07"
    late = state_of(row("done", "10:06:00"), snapshot("10:07:00"), False, 5.0, NOW + 24 * 3600)
    assert not late["rating_open"] and late["rating_closed"]
    rated = state_of(row("done", "10:06:00"), snapshot("10:07:00"), True, 5.0, NOW)
    assert rated["rated"] and not rated["rating_open"] and not rated["rating_closed"]
    quiet = state_of(row("waiting", "10:00:00"), snapshot("10:01:00", status="waiting", ahead=0), False, STALE_S * 3, NOW)
    assert quiet["stale"] and lines(quiet, "en")["stale"] == "The station has not reported for 3 min; this may be out of date"
    assert lines(quiet, "en")["detail"] == "You are next"


@pytest.mark.parametrize("query, header, lang", [
    ("en", "zh-CN", "en"), (None, "en-US,en;q=0.9", "en"), (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    (None, None, "zh"), ("xx", "fr", "zh")])
def test_the_language(query, header, lang):
    assert lang_of(query, header) == lang
