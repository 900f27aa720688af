"""Traffic at a station: kiosks issuing through `kiosk ticket issue`, counters calling through the
API, and the district's account of it. Imported by name from tests/station and tests/bench."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from station_harness import issue


def issue_many(configs: dict[str, Path], per_kiosk: int, chunk: int = 10, service: str = "SB-KSL",
               pause_s: float = 0.0) -> dict[str, list[dict]]:
    """Each kiosk issues ``per_kiosk`` tickets, ``chunk`` per process, the kiosks side by side."""

    def one_kiosk(config: Path) -> list[dict]:
        issued: list[dict] = []
        while len(issued) < per_kiosk:
            issued += issue(config, service, min(chunk, per_kiosk - len(issued)))
            time.sleep(pause_s)
        return issued

    with ThreadPoolExecutor(len(configs)) as pool:
        futures = {kiosk_id: pool.submit(one_kiosk, config) for kiosk_id, config in configs.items()}
        return {kiosk_id: future.result() for kiosk_id, future in futures.items()}


def counter_session(url: str, counter_id: str, pin: str) -> httpx.Client:
    """An HTTP client logged in as the counter, sending its CSRF token as the console does."""
    client = httpx.Client(base_url=url, timeout=10)
    answer = client.post("/api/login", json={"counter_id": counter_id, "pin": pin})
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return client


class CounterLoop(threading.Thread):
    """One counter calling, serving and finishing tickets until stopped; a station service that
    is away (killed, restarting) is waited for, as staff would press the button again."""

    def __init__(self, url: str, counter_id: str, pin: str):
        super().__init__(name=f"counter-{counter_id}", daemon=True)
        self.url, self.counter_id, self.pin = url, counter_id, pin
        self.stop_now = threading.Event()
        self.done: list[str] = []  # ticket ids this counter finished
        self.calls = 0
        self.errors: list[str] = []

    def _client(self) -> httpx.Client:
        return counter_session(self.url, self.counter_id, self.pin)

    def run(self) -> None:
        client = None
        while not self.stop_now.is_set():
            try:
                client = client or self._client()
                answer = client.post("/api/call-next")
                if answer.status_code == 404:
                    self.stop_now.wait(0.05)
                    continue
                if answer.status_code == 401:  # the service restarted: sessions live in its memory
                    client.close()
                    client = None
                    continue
                if answer.status_code == 409:  # holding a ticket from before a restart: finish it
                    for step in ("/api/serving", "/api/done"):
                        finished = client.post(step)
                    if finished.status_code == 200:
                        self.done.append(finished.json()["ticket"]["ticket_id"])
                    continue
                answer.raise_for_status()
                self.calls += 1
                client.post("/api/serving").raise_for_status()
                finished = client.post("/api/done")
                finished.raise_for_status()
                self.done.append(finished.json()["ticket"]["ticket_id"])
            except httpx.HTTPError as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                if client is not None:
                    client.close()
                client = None
                self.stop_now.wait(0.2)
        if client is not None:
            client.close()


def district_rows(district, sql: str, **params) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(district.db_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()
