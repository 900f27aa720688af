"""A station with three kiosks and two counters, all real processes on loopback, the district on
PostgreSQL: every ticket reaches the queue and the district with the kiosk that issued it, no
number twice, calling goes on while the district link is cut, and the district holds exactly what
the station did once the link returns."""

from __future__ import annotations

import time

from station_harness import STATION_ID
from station_traffic import CounterLoop, district_rows, issue_many

PER_KIOSK = 100
BLOCKS = {"K1": (1, 299), "K2": (301, 599), "K3": (601, 899)}


def _start(site):
    configs = {kiosk_id: site.add_kiosk(kiosk_id, *block) for kiosk_id, block in BLOCKS.items()}
    for kiosk_id in configs:
        site.follow(kiosk_id)
    site.add_counters(("w1", "一号窗口", "1111"), ("w2", "二号窗口", "2222"))
    counters = [CounterLoop(site.station.url, "w1", "1111"), CounterLoop(site.station.url, "w2", "2222")]
    for counter in counters:
        counter.start()
    return configs, counters


def _finish(site, counters, total: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while sum(len(c.done) for c in counters) < total and time.monotonic() < deadline:
        time.sleep(0.2)
    for counter in counters:
        counter.stop_now.set()
        counter.join(15)
    site.wait_drained()


def _check_district(site, issued: dict[str, list[dict]], counters) -> None:
    district = site.district
    every = {t["ticket_id"]: kiosk_id for kiosk_id, tickets in issued.items() for t in tickets}
    rows = district_rows(district, "SELECT ticket_id, kiosk_id, number, status, state_by FROM tickets")
    assert {r[0]: r[1] for r in rows} == every  # every ticket, with the kiosk that issued it
    assert len({r[2] for r in rows}) == len(rows)  # no number twice
    done = {t for c in counters for t in c.done}
    assert len(done) == sum(len(c.done) for c in counters) == len(every)  # no ticket finished twice
    assert {r[0] for r in rows if r[3] == "done" and r[4] == STATION_ID} == set(every)
    calls = district_rows(district, "SELECT count(*) FROM events WHERE kiosk_id = :s AND type = 'ticket_called'",
                          s=STATION_ID)[0][0]
    assert calls == len(every)
    db = site.station_db()
    try:  # the district holds exactly what the station did: its own ops and its kiosks', nothing twice
        own = set(db.execute("SELECT seq, op_id FROM outbox"))
        relayed = set(db.execute("SELECT kiosk_id, seq, op_id FROM relay_ops"))
        assert db.execute("SELECT count(*) FROM relay_ops WHERE state != 'acked'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM outbox WHERE state != 'acked'").fetchone()[0] == 0
    finally:
        db.close()
    assert set(district_rows(district, "SELECT seq, op_id FROM ops WHERE kiosk_id = :s", s=STATION_ID)) == own
    assert set(district_rows(district, "SELECT kiosk_id, seq, op_id FROM ops WHERE kiosk_id != :s",
                             s=STATION_ID)) == relayed
    for kiosk_id, tickets in issued.items():
        assert district_rows(district, "SELECT count(*) FROM ops WHERE kiosk_id = :k", k=kiosk_id)[0][0] == len(tickets)


def test_three_kiosks_two_counters_300_tickets(site):
    configs, counters = _start(site)
    issued = issue_many(configs, PER_KIOSK)
    _finish(site, counters, 3 * PER_KIOSK)
    assert not [c.errors for c in counters if c.errors]
    _check_district(site, issued, counters)


def test_calling_goes_on_while_the_district_link_is_cut(site):
    configs, counters = _start(site)
    first = issue_many(configs, 20)
    site.district_link.cut()
    cut_at = sum(len(c.done) for c in counters)
    during = issue_many(configs, 30)
    deadline = time.monotonic() + 60
    while sum(len(c.done) for c in counters) < cut_at + 60 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sum(len(c.done) for c in counters) >= cut_at + 60, "the counters stopped calling without the district"
    display = __import__("httpx").get(site.station.url + "/api/display").json()
    assert display["calls"], "the hall display shows no calls"
    assert not site.drained()  # everything waits for the link
    site.district_link.restore()
    last = issue_many(configs, 10)
    issued = {k: first[k] + during[k] + last[k] for k in configs}
    _finish(site, counters, 3 * 60)
    _check_district(site, issued, counters)


def test_a_kiosk_cut_off_from_the_station_issues_offline_and_joins_in_issue_order(site, tmp_path):
    from link_cut import LinkCut

    with LinkCut(site.station.port) as lan:
        k1 = site.add_kiosk("K1", *BLOCKS["K1"])
        k3 = site.add_kiosk("K3", *BLOCKS["K3"], station_url=lan.url)
        site.follow("K1")
        site.follow("K3")
        site.wait_synced("K3")  # it has been online and knows its station
        lan.cut()
        offline, online = [], []
        for _ in range(4):  # interleaved in time: K3 offline, K1 online, a second apart
            offline += issue_many({"K3": k3}, 2)["K3"]
            time.sleep(1.1)
            online += issue_many({"K1": k1}, 2)["K1"]
            time.sleep(1.1)
        time.sleep(1.0)
        db = site.station_db()
        try:
            numbers = [n for (n,) in db.execute("SELECT number FROM tickets ORDER BY issued_at, prefix, seq")]
        finally:
            db.close()
        assert numbers == [t["number"] for t in online]  # K3's tickets are not there yet
        lan.restore()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db = site.station_db()
            try:
                queue = [(n, k) for n, k in db.execute(
                    "SELECT number, kiosk_id FROM tickets WHERE status = 'waiting' ORDER BY issued_at, prefix, seq")]
            finally:
                db.close()
            if len(queue) == 16:
                break
            time.sleep(0.2)
        assert len(queue) == 16, queue
        # the waiting list is in order of issue (to the second, as tickets carry it): K3's offline
        # tickets sit between K1's, not after them
        by_time = sorted(offline + online, key=lambda t: int(t["ticket_id"].replace("-", "")[:12], 16) // 1000)
        assert [n for n, _k in queue] == [t["number"] for t in by_time]
        assert queue[0][0] == offline[0]["number"] and queue[-1][0] == online[-1]["number"]
        assert {k for n, k in queue if n in {t["number"] for t in offline}} == {"K3"}
        site.wait_drained()
