"""Fair priority calling (kiosk.domain.calling), property-tested over arrival sequences, and the
store functions built on it (the counter commands of kiosk.store.calls, the queue views and
statistics, the counter store) on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain import calling
from kiosk.domain.calling import CallRatio, FairState

KINDS = ("normal", "elderly", "disabled", "pregnant")
# A scenario: steps that are either an arrival (a priority kind) or a call ("call").
steps = st.lists(st.one_of(st.sampled_from(KINDS), st.just("call")), max_size=120)
ratios = st.builds(CallRatio, st.integers(1, 4), st.integers(1, 4))


def simulate(scenario, ratio):
    """Run arrivals and calls, then call until empty. Returns (calls, both_waited flags, arrivals)."""
    waiting, arrivals, made, both = [], [], [], []
    state = FairState()

    def call():
        nonlocal state
        has_p = any(calling.is_priority(t["priority"]) for t in waiting)
        has_n = any(not calling.is_priority(t["priority"]) for t in waiting)
        ticket, state = calling.pick(waiting, state, ratio)
        if ticket is not None:
            waiting.remove(ticket)
            made.append(ticket)
            both.append(has_p and has_n)

    for i, step in enumerate(scenario):
        if step == "call":
            call()
        else:
            ticket = {"id": i, "priority": step}
            waiting.append(ticket)
            arrivals.append(ticket)
    while waiting:
        call()
    return made, both, arrivals


@settings(max_examples=300, deadline=None)
@given(steps, ratios)
def test_every_ticket_is_called_exactly_once(scenario, ratio):
    made, _, arrivals = simulate(scenario, ratio)
    assert sorted(t["id"] for t in made) == sorted(t["id"] for t in arrivals)


@settings(max_examples=300, deadline=None)
@given(steps, ratios)
def test_order_within_a_kind_is_first_come_first_served(scenario, ratio):
    made, _, _ = simulate(scenario, ratio)
    for priority in (True, False):
        ids = [t["id"] for t in made if calling.is_priority(t["priority"]) == priority]
        assert ids == sorted(ids)


@settings(max_examples=300, deadline=None)
@given(steps, ratios)
def test_while_both_wait_priority_never_exceeds_the_ratio(scenario, ratio):
    made, both, _ = simulate(scenario, ratio)
    window = ratio.priority + ratio.normal
    run = []  # consecutive calls made while both kinds waited
    for ticket, both_waited in zip(made + [None], both + [False]):
        if both_waited:
            run.append(calling.is_priority(ticket["priority"]))
            continue
        streak = longest = 0
        for is_p in run:
            streak = streak + 1 if is_p else 0
            longest = max(longest, streak)
        assert longest <= ratio.priority, run
        for start in range(len(run) - window + 1):
            assert sum(run[start:start + window]) <= ratio.priority, run
        run = []


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 30), ratios)
def test_a_normal_ticket_is_not_starved_by_a_stream_of_priority_ones(ahead, ratio):
    """A priority ticket arrives before every call, forever: the normal tickets still come."""
    waiting = [{"id": i, "priority": "normal"} for i in range(ahead + 1)]
    state, calls, next_id = FairState(), 0, 1000
    while any(t["id"] == ahead for t in waiting):
        waiting.append({"id": next_id, "priority": "elderly"})
        next_id += 1
        ticket, state = calling.pick(waiting, state, ratio)
        waiting.remove(ticket)
        calls += 1
    normal_calls = ahead + 1
    assert calls <= normal_calls + ratio.priority * (-(-normal_calls // ratio.normal))


def test_priority_goes_first_then_the_default_ratio_is_one_to_two():
    waiting = [{"id": i, "priority": p} for i, p in enumerate(["normal"] * 4 + ["elderly", "pregnant", "disabled"])]
    state, order = FairState(), []
    while waiting:
        ticket, state = calling.pick(waiting, state, CallRatio())
        waiting.remove(ticket)
        order.append(ticket["priority"])
    assert order == ["elderly", "normal", "normal", "pregnant", "normal", "normal", "disabled"]


def test_ratio_parses_and_refuses_nonsense():
    assert CallRatio.parse("2:3") == CallRatio(2, 3)
    for bad in ("", "0:2", "1-2", "a:b"):
        with pytest.raises(ValueError):
            CallRatio.parse(bad)


def test_wait_levels_and_estimates():
    assert [calling.wait_level(m) for m in (0, 44.9, 45, 59.9, 60, 200)] == ["ok", "ok", "amber", "amber", "red", "red"]
    assert calling.estimate_minutes(0, [600], 1) == 0
    assert calling.estimate_minutes(3, [], 1) == 3 * calling.DEFAULT_SERVICE_MINUTES
    assert calling.estimate_minutes(4, [300, 600, 900], 2) == 20


# store ------------------------------------------------------------------------------------------
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


@pytest.fixture
def db(store):
    from kiosk.counter.accounts import add_counter

    add_counter(store.db, "w1", "1号窗口", "1111")
    add_counter(store.db, "w2", "2号窗口", "2222", services=["HJ-QY"])
    return store.db


def issue(db, minute, priority="normal", service="SB-KSL", prefix="A"):
    from kiosk.domain.numbering import NumberingScheme
    from kiosk.domain.tickets import Priority
    from kiosk.store import tickets

    return tickets.issue(db, scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code=service,
                         prefix=prefix, now=START + timedelta(minutes=minute), day=START.date(),
                         priority=Priority(priority))


def counter(counter_id, services=()):
    return {"id": counter_id, "name": counter_id, "services": list(services)}


def test_a_call_commits_the_status_with_its_outbox_op_and_event(db):
    import json

    from kiosk.store import calls

    ticket = issue(db, 0)
    called = calls.call_next(db, counter("w1"), now=START + timedelta(minutes=5), day=START.date())
    assert called.ticket_id == ticket.ticket_id and called.status == "called"
    ops = db.execute("SELECT entity, payload FROM outbox ORDER BY seq DESC LIMIT 2").fetchall()
    by_entity = {entity: json.loads(body) for entity, body in ops}
    assert by_entity["ticket"]["status"] == "called"
    assert by_entity["ticket"]["updated_at"] == "2026-11-23T09:05:00+08:00"
    assert set(by_entity["ticket"]) == set(ticket.sync_payload())
    assert by_entity["event"]["type"] == "ticket_called" and by_entity["event"]["detail"]["counter_id"] == "w1"
    with pytest.raises(calls.CallRefused) as refused:
        calls.call_next(db, counter("w1"), now=START, day=START.date())
    assert refused.value.code == "busy"


def test_serve_no_show_transfer_and_pause(db):
    from kiosk.store import calls

    day, w1, w2 = START.date(), counter("w1"), counter("w2", ["HJ-QY"])
    a, b, c = issue(db, 0), issue(db, 1), issue(db, 2)
    assert calls.call_next(db, w1, now=START, day=day).ticket_id == a.ticket_id
    assert calls.start_serving(db, w1, now=START).status == "serving"
    assert calls.mark_done(db, w1, now=START + timedelta(minutes=10)).status == "done"
    calls.call_next(db, w1, now=START, day=day)
    assert calls.mark_no_show(db, w1, now=START).ticket_id == b.ticket_id
    calls.call_next(db, w1, now=START, day=day)
    moved = calls.transfer(db, w1, now=START, to_service="HJ-QY", to_counter="w2")
    assert (moved.ticket_id, moved.status, moved.service_code) == (c.ticket_id, "waiting", "HJ-QY")
    assert calls.call_next(db, w1, now=START, day=day) is None
    assert calls.call_next(db, w2, now=START, day=day).ticket_id == c.ticket_id
    assert calls.call_number(db, w1, b.number, now=START, day=day).ticket_id == b.ticket_id
    calls.mark_done(db, w1, now=START)
    calls.set_paused(db, "w1", True)
    issue(db, 3)
    with pytest.raises(calls.CallRefused):
        calls.call_next(db, w1, now=START, day=day)


def test_one_hour_rule_estimate_and_recently_served(db):
    from kiosk.store import calls, queue_statistics, queue_views

    day, w1 = START.date(), counter("w1")
    issue(db, 0), issue(db, 1), issue(db, 2)
    for i, call_at in enumerate((30, 75, 80)):  # waited 30, 74 and 78 minutes
        calls.call_next(db, w1, now=START + timedelta(minutes=call_at), day=day)
        calls.mark_done(db, w1, now=START + timedelta(minutes=call_at + 4 + i))
    figures = queue_statistics.one_hour_rule(db, day)
    assert figures == {"business_date": "2026-11-23", "served": 3, "within_hour": 1, "share": 0.3333}
    assert queue_statistics.record_one_hour_rule(db, day, START + timedelta(hours=10)) == figures
    assert queue_statistics.record_one_hour_rule(db, day, START + timedelta(hours=11)) is None
    assert len(queue_views.last_calls(db, day)) == 3  # the daily figure is not a call
    issue(db, 90), issue(db, 91)
    # 2 ahead x 5 min median
    assert queue_statistics.estimate_wait(db, "SB-KSL", day, START + timedelta(minutes=92)) == 10
    served = queue_views.recently_served(db, START + timedelta(minutes=80))
    assert [s["served_at"] for s in served] == ["2026-11-23T10:20:00+08:00", "2026-11-23T10:26:00+08:00"]


def test_the_kiosk_estimates_waits_only_from_times_measured_today(db):
    from kiosk.store import calls
    from kiosk.store.queue_statistics import wait_estimates

    day, w1 = START.date(), counter("w1")
    issue(db, 0), issue(db, 1), issue(db, 2), issue(db, 3, service="HJ-QY", prefix="B")
    assert wait_estimates(db, day) == {}  # nothing served yet today: no guess shown
    calls.call_next(db, w1, now=START + timedelta(minutes=10), day=day)
    calls.mark_done(db, w1, now=START + timedelta(minutes=16))  # one real service time: 6 minutes
    estimates = wait_estimates(db, day)
    # SB-KSL: 2 waiting x 6 min over its 1 open counter (w1); HJ-QY: 1 x 6 min over w1 and w2
    assert estimates == {"SB-KSL": 12, "HJ-QY": 3}
    calls.set_paused(db, "w2", True)
    assert wait_estimates(db, day)["HJ-QY"] == 6
    assert wait_estimates(db, day + timedelta(days=1)) == {}


def test_store_lists_a_cards_tickets_and_records_past_days_once(store, db):
    from kiosk.domain.numbering import NumberingScheme
    from kiosk.store import tickets

    day = START.date()
    mine = tickets.issue(db, scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL", prefix="A",
                         now=START, day=day, id_digest="d" * 64, id_masked="610113********1234")
    issue(db, 1)
    store.rate(station_id="yt-xiaozhai", level=5, now=START, ticket_id=mine.ticket_id, service_code="SB-KSL",
               holder={"by": "card", "id_digest": "d" * 64})
    found = store.tickets_of_resident(day, id_digest="d" * 64, id_masked="610113********1234", station_id="yt-xiaozhai")
    assert [(t["number"], t["rated"]) for t in found] == [(mine.number, True)]
    assert store.tickets_of_resident(day, id_digest="e" * 64, id_masked="610113********1234") == []
    assert store.tickets_of_resident(day, id_digest=None, id_masked="610113********1234") == []  # it has a digest
    later = START + timedelta(days=1)
    assert store.record_one_hour_rule(day - timedelta(days=1), later) is None  # no ticket that day: nothing
    assert store.record_one_hour_rule(day, later)["served"] == 0
    assert store.record_one_hour_rule(day, later) is None  # once per day
    status = store.technician_status(day)
    assert status["tickets_today"] == 2 and status["one_hour_today"]["business_date"] == day.isoformat()
    assert [figures["business_date"] for figures in status["one_hour_recorded"]] == [day.isoformat()]


def test_a_kiosk_behind_a_station_leaves_the_one_hour_figures_to_the_station(tmp_path):
    from kiosk.domain.numbering import NumberingScheme
    from kiosk.store import tickets
    from kiosk.store.store import Store
    from kiosk.store.sync_store import save_station_queue

    store = Store(tmp_path / "kiosk.sqlite3")
    try:
        day = START.date()
        tickets.issue(store.db, scheme=NumberingScheme(), station_id="yt-xiaozhai", service_code="SB-KSL",
                      prefix="A", now=START, day=day)
        save_station_queue(store.db, {"station_id": "yt-xiaozhai", "at": START.isoformat(), "waiting": {}})
        assert store.record_one_hour_rule(day, START + timedelta(days=1)) is None
        assert store.db.execute("SELECT count(*) FROM events WHERE type = 'one_hour_rule_daily'").fetchone()[0] == 0
        save_station_queue(store.db, None)  # no station (any more): the kiosk's own figures
        assert store.record_one_hour_rule(day, START + timedelta(days=1))["business_date"] == day.isoformat()
    finally:
        store.close()
