"""The station service killed with SIGKILL five times while three kiosks issue and two counters
call: nothing lost, nothing twice, at the station and at the district."""

from __future__ import annotations

import threading
import time

from station_harness import STATION_ID
from station_traffic import CounterLoop, district_rows, issue_many

BLOCKS = {"K1": (1, 299), "K2": (301, 599), "K3": (601, 899)}


def _station_counts(site) -> tuple[int, int]:
    db = site.station_db()
    try:
        return db.execute("SELECT count(*), count(CASE WHEN status != 'done' THEN 1 END) FROM tickets").fetchone()
    finally:
        db.close()


def test_five_sigkills_mid_traffic_lose_nothing_and_repeat_nothing(site):
    configs = {kiosk_id: site.add_kiosk(kiosk_id, *block) for kiosk_id, block in BLOCKS.items()}
    for kiosk_id in configs:
        site.follow(kiosk_id)
        site.wait_synced(kiosk_id)
    site.add_counters(("w1", "一号窗口", "1111"), ("w2", "二号窗口", "2222"))
    counters = [CounterLoop(site.station.url, "w1", "1111"), CounterLoop(site.station.url, "w2", "2222")]
    for counter in counters:
        counter.start()
    issued: dict[str, list[dict]] = {}
    issuing = threading.Thread(target=lambda: issued.update(issue_many(configs, 40, chunk=4, pause_s=0.2)))
    issuing.start()
    kills = 0
    while kills < 5:
        time.sleep(1.5)
        site.station.kill()
        kills += 1
        time.sleep(0.3)
        site.station.start()
    issuing.join(300)
    total = sum(len(t) for t in issued.values())
    assert total == 120
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _station_counts(site) != (total, 0):
        time.sleep(0.3)
    for counter in counters:
        counter.stop_now.set()
        counter.join(15)
    assert _station_counts(site) == (total, 0)  # every ticket reached the queue and was served
    site.wait_drained(120)

    every = {t["ticket_id"]: kiosk_id for kiosk_id, tickets in issued.items() for t in tickets}
    rows = district_rows(site.district, "SELECT ticket_id, kiosk_id, number, status FROM tickets")
    assert {r[0]: r[1] for r in rows} == every
    assert len({r[2] for r in rows}) == len(rows) == total
    assert {r[3] for r in rows} == {"done"}
    db = site.station_db()
    try:
        own = set(db.execute("SELECT seq, op_id FROM outbox"))
        relayed = set(db.execute("SELECT kiosk_id, seq, op_id FROM relay_ops"))
        calls = db.execute("SELECT count(*) FROM events WHERE type = 'ticket_called'").fetchone()[0]
    finally:
        db.close()
    district_own = district_rows(site.district, "SELECT seq, op_id FROM ops WHERE kiosk_id = :s", s=STATION_ID)
    assert len(district_own) == len(set(district_own)) and set(district_own) == own
    assert set(district_rows(site.district, "SELECT kiosk_id, seq, op_id FROM ops WHERE kiosk_id != :s",
                             s=STATION_ID)) == relayed
    assert len(relayed) == total  # each kiosk op once: the kiosks' own seqs, relayed as they were
    assert district_rows(site.district, "SELECT count(*) FROM events WHERE kiosk_id = :s AND type = 'ticket_called'",
                         s=STATION_ID)[0][0] == calls
    for kiosk_id in configs:  # every kiosk's outbox is acknowledged: nothing waits, nothing refused
        from kiosk.store.engine import connect

        kdb = connect(site.root / kiosk_id / "kiosk.sqlite3")
        try:
            assert kdb.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall() == [("acked", 40)]
        finally:
            kdb.close()
