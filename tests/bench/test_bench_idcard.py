"""Benchmark of the ID card reader driver (run explicitly):

    .venv/bin/pytest tests/bench/test_bench_idcard.py -s

The simulated reader runs in its own process (as real hardware would), paced at the baud rate,
so this process's CPU time is the polling loop's alone.
  * latency: card placed -> CardRead returned by the polling loop (``wait_for_card``), against
    the protocol floor: the wire time of every byte of find, select and read base, both ways.
  * idle CPU: process CPU time / wall time of the polling loop with no card on the reader.
"""

import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from drivers.idcard import frames as fr
from drivers.idcard.reader import (
    BASE_REPLY_LEN,
    FIND_REPLY_LEN,
    POLL_INTERVAL,
    SELECT_REPLY_LEN,
    CardRead,
    CardRemoved,
    SerialCardReader,
)

ROOT = Path(__file__).resolve().parents[2]
BAUD = 115200
TRIALS = 20
IDLE_SECONDS = 4.0
WIRE_BYTES = 3 * len(fr.FIND_CARD) + FIND_REPLY_LEN + SELECT_REPLY_LEN + BASE_REPLY_LEN


class SimulatorProcess:
    def __init__(self, link: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "drivers.idcard.simulator", "--link", str(link),
             "--baud", str(BAUD), "--pace"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        word, _, self.path = self.proc.stdout.readline().strip().partition(" ")
        assert word == "ready", word

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "ok"

    def close(self) -> None:
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(10)
        self.proc.stdout.close()


@pytest.fixture
def sim(tmp_path):
    process = SimulatorProcess(tmp_path / "ttyIDCARD")
    yield process
    process.close()


def wait_removed(reader: SerialCardReader) -> None:
    deadline = time.monotonic() + 5
    while reader.poll() != CardRemoved():
        assert time.monotonic() < deadline


def test_bench_card_latency_and_idle_cpu(sim):
    rng = random.Random(7)
    floor = fr.wire_time(WIRE_BYTES, BAUD)
    latencies, transactions = [], []
    with SerialCardReader(sim.path, BAUD, poll_interval=POLL_INTERVAL) as reader:
        assert reader.poll() is None
        for _ in range(TRIALS):
            placed = []
            timer = threading.Timer(
                0.05 + rng.uniform(0, POLL_INTERVAL * 3),
                lambda: (placed.append(time.monotonic()), sim.send("place resident")),
            )
            timer.start()
            event = reader.wait_for_card(timeout=5.0)
            done = time.monotonic()
            timer.join()
            assert isinstance(event, CardRead)
            latencies.append(done - placed[0])
            sim.send("remove")
            wait_removed(reader)

        sim.send("place resident_young")
        started = time.monotonic()
        assert isinstance(reader.poll(), CardRead)
        transactions.append(time.monotonic() - started)
        sim.send("remove")
        wait_removed(reader)

        wall0, cpu0 = time.monotonic(), time.process_time()
        assert reader.wait_for_card(timeout=IDLE_SECONDS) is None
        idle_cpu = (time.process_time() - cpu0) / (time.monotonic() - wall0)

    median = statistics.median(latencies)
    ratio = median / floor
    print(
        f"\nidcard bench @ {BAUD} baud, poll interval {POLL_INTERVAL * 1000:.0f} ms, "
        f"{TRIALS} placements"
        f"\n  protocol floor ({WIRE_BYTES} bytes both ways): {floor * 1000:.1f} ms"
        f"\n  placed -> CardRead: median {median * 1000:.1f} ms, "
        f"min {min(latencies) * 1000:.1f}, max {max(latencies) * 1000:.1f} ms"
        f"\n  ratio median/floor: {ratio:.3f} (max/floor {max(latencies) / floor:.3f})"
        f"\n  find+select+read transaction alone: {transactions[0] * 1000:.1f} ms"
        f"\n  idle CPU of the polling loop: {idle_cpu * 100:.2f} % of a core"
    )
    assert ratio <= 1.2
    assert idle_cpu < 0.01
