"""Two processes calling on one store file at once (the store level, no server): no double call."""

from __future__ import annotations

import multiprocessing
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from counter_harness import issue_cli, open_db


def drain(data_dir, counter_id, results, start):
    from kiosk.domain.numbering import business_date
    from kiosk.store import calls

    db = open_db(data_dir)
    counter = {"id": counter_id, "name": counter_id, "services": []}
    got = []
    start.wait(30)
    try:
        while True:
            now = datetime.now(ZoneInfo("Asia/Shanghai"))
            ticket = calls.call_next(db, counter, now=now, day=business_date(now, 4))
            if ticket is None:
                break
            got.append(ticket["ticket_id"])
            calls.mark_done(db, counter, now=now)
            time.sleep(0.003)  # a counter clicks again a moment later; SQLite's busy wait is not fair
    finally:
        db.close()
    results.put((counter_id, got))


def test_two_processes_never_call_the_same_ticket(data_dir):
    issued = issue_cli(data_dir, count=80)
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = context.Barrier(2)
    workers = [context.Process(target=drain, args=(data_dir, f"p{i}", results, start)) for i in range(2)]
    for worker in workers:
        worker.start()
    got = dict(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(10)
        assert worker.exitcode == 0
    results.close()
    results.join_thread()
    called = got["p0"] + got["p1"]
    assert len(called) == len(set(called)) == len(issued)
    assert set(called) == {t["ticket_id"] for t in issued}
    assert got["p0"] and got["p1"], "both processes should have called"
