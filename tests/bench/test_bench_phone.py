"""Benchmarks of the phone page behind the ticket's QR code (run explicitly; they print figures):

    .venv/bin/pytest -s -p no:randomly tests/bench/test_bench_phone.py
    PHONE_BENCH_FOLLOWERS=2000 PHONE_BENCH_CALLS=10 .venv/bin/pytest -s tests/bench/test_bench_phone.py -k followers

The district server runs on PostgreSQL ($KIOSK_TEST_PG_URL, else a throwaway cluster), the station
service and the kiosk behind it are real processes, all on loopback.

1. A counter's call -> the phone page shows it: from the counter's POST /api/call-next to the
   server-sent event of the called ticket's page, through the station service's upstream (ops and
   queue snapshot) and the district server: median and p99 (target p99 <= 5 s).
2. PHONE_BENCH_FOLLOWERS (default 2,000) phones following the pages of one station's waiting
   tickets at once (raw sockets, from 100 loopback addresses, as phones behind many addresses):
   the district server's CPU and memory while they follow, and how late each call reaches every
   phone whose place in the queue it changed.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "phone"), str(Path(__file__).resolve().parents[1] / "station"),
                str(Path(__file__).resolve().parents[1] / "counter")]
from counter_harness import login  # noqa: E402
from district_process import DistrictServer, migrated_database, postgres_url  # noqa: E402
from phone_harness import COUNTER, phone_site  # noqa: E402
from station_harness import kiosk  # noqa: E402

SAMPLES = int(os.environ.get("PHONE_BENCH_SAMPLES", "40"))
FOLLOWERS = int(os.environ.get("PHONE_BENCH_FOLLOWERS", "2000"))
CALLS = int(os.environ.get("PHONE_BENCH_CALLS", "10"))
ADDRESSES = 100
TICK = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def memory_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture(scope="module")
def bench_pg():
    with postgres_url() as url:
        yield url


@pytest.fixture
def station(tmp_path, bench_pg):
    with migrated_database(bench_pg, f"kiosk_phone_bench_{os.getpid()}") as url:
        district = DistrictServer(url).start()
        site, k1 = phone_site(tmp_path, district)
        try:
            yield site, k1, district
        finally:
            site.close()
            district.stop()


def issue_and_send(site, k1, count: int) -> list[str]:
    """``count`` tickets issued on the kiosk and sent through the station; their page tokens."""
    kiosk(k1, "ticket", "issue", "--service", "SB-KSL", "--count", str(count), timeout=300)
    kiosk(k1, "sync", "--now", timeout=300)
    site.wait_drained(120)
    from kiosk.store.engine import connect

    db = connect(Path(site.root) / "YT-XZ-01" / "kiosk.sqlite3")
    try:
        return [t for (t,) in db.execute("SELECT public_token FROM tickets WHERE status = 'waiting' "
                                         "ORDER BY issued_at, seq")]
    finally:
        db.close()


async def open_stream(host: str, port: int, token: str, source: str):
    reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0), limit=1 << 20)
    writer.write(f"GET /t/{token}/events HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
                 "Accept-Language: zh-CN\r\n\r\n".encode())
    await writer.drain()
    status = await reader.readline()
    assert b" 200 " in status, status
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    return reader, writer


async def events(reader):
    """(time, state) of each event of a chunked server-sent-events stream."""
    buffer = b""
    while True:
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.strip() or b"0", 16)
        if size == 0:
            return
        buffer += await reader.readexactly(size)
        await reader.readexactly(2)
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            for line in block.split(b"\n"):
                if line.startswith(b"data: "):
                    yield time.monotonic(), json.loads(line[6:])


def test_call_to_phone_latency(station):
    site, k1, district = station
    tokens = issue_and_send(site, k1, SAMPLES)
    latencies = []

    async def measure(token: str, counter) -> float:
        reader, writer = await open_stream("127.0.0.1", district.port, token, "127.0.0.1")
        stream = events(reader)
        _t, first = await stream.__anext__()
        assert first["status"] == "waiting", first
        started = time.monotonic()
        called = await asyncio.to_thread(counter.post, "/api/call-next")
        assert called.status_code == 200, called.text
        async for at, state in stream:
            if state["status"] == "called":
                writer.close()
                return at - started
        raise AssertionError("the stream ended before the call")

    with login(site.station.url, COUNTER[0], COUNTER[2]) as counter:
        for token in tokens:
            latencies.append(asyncio.run(asyncio.wait_for(measure(token, counter), 30)))
            assert counter.post("/api/done").status_code == 200
    median, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    print(f"\ncall -> phone page (station service -> district -> SSE), {len(latencies)} calls: "
          f"median {median * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    assert p99 <= 5.0


def test_followers_of_one_station(station):
    site, k1, district = station
    tokens = issue_and_send(site, k1, 200)
    pid = district.process.pid
    rss_before = memory_mb(pid)

    async def run() -> dict:
        arrivals: list[list[float]] = [[] for _ in range(CALLS)]
        current = {"call": -1}
        connected = []

        async def follower(i: int) -> None:
            token = tokens[20 + i % (len(tokens) - 20)]  # the first 20 are called in the run
            reader, writer = await open_stream("127.0.0.1", district.port, token, f"127.0.0.{2 + i % ADDRESSES}")
            connected.append(writer)
            seen, ahead = -1, None
            async for at, state in events(reader):
                call = current["call"]
                moved = ahead is not None and state.get("ahead") is not None and state["ahead"] < ahead
                ahead = state.get("ahead") if state.get("ahead") is not None else ahead
                if call >= 0 and call != seen and moved:  # this call moved the phone's ticket up
                    seen = call
                    arrivals[call].append(at)

        tasks = [asyncio.create_task(follower(i)) for i in range(FOLLOWERS)]
        deadline = time.monotonic() + 120
        while len(connected) < FOLLOWERS and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert len(connected) == FOLLOWERS, f"only {len(connected)} of {FOLLOWERS} phones could follow"
        await asyncio.sleep(3)
        cpu0, wall0 = cpu_seconds(pid), time.monotonic()
        rss_following = memory_mb(pid)
        starts = []
        async with httpx.AsyncClient(base_url=site.station.url, timeout=10) as counter:
            answer = await counter.post("/api/login", json={"counter_id": COUNTER[0], "pin": COUNTER[2]})
            counter.headers["X-CSRF-Token"] = answer.json()["csrf"]
            for call in range(CALLS):
                current["call"] = call
                starts.append(time.monotonic())
                assert (await counter.post("/api/call-next")).status_code == 200
                await asyncio.sleep(3)
                assert (await counter.post("/api/done")).status_code == 200
        cpu1, wall1 = cpu_seconds(pid), time.monotonic()
        for task in tasks:
            task.cancel()
        for writer in connected:
            writer.close()
        return {"arrivals": arrivals, "starts": starts, "cpu": (cpu1 - cpu0) / (wall1 - wall0),
                "rss_following": rss_following, "hwm": memory_mb(pid, "VmHWM")}

    figures = asyncio.run(run())
    lates = []
    reached = []
    for start, arrivals in zip(figures["starts"], figures["arrivals"]):
        reached.append(len(arrivals))
        lates.extend(at - start for at in arrivals)
    print(f"\n{FOLLOWERS} phones following one station's queue ({CALLS} calls, one every 3 s + done):"
          f"\n  district server CPU while they follow: {figures['cpu'] * 100:.0f}% of one core"
          f"\n  memory: {rss_before:.0f} MB before, {figures['rss_following']:.0f} MB with them connected, "
          f"peak {figures['hwm']:.0f} MB"
          f"\n  each call reached {min(reached)}..{max(reached)} of {FOLLOWERS} phones; "
          f"lateness median {statistics.median(lates) * 1000:.0f} ms, p99 {percentile(lates, 0.99) * 1000:.0f} ms, "
          f"max {max(lates) * 1000:.0f} ms")
    assert min(reached) == FOLLOWERS
    assert percentile(lates, 0.99) <= 5.0
