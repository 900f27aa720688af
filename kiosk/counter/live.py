"""Live updates for the hall display and the consoles: server-sent events.

The counter service may not be the only writer (the kiosk issues tickets from its own process),
so one task watches the store with ``PRAGMA data_version`` (it changes whenever another connection
commits), every ``poll_seconds`` or at once when this process pokes it after a write, and, when it changed or every ``refresh_seconds`` (waiting times grow by themselves),
rebuilds the display state and sends it to every subscriber that has not seen it.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import AsyncIterator, Callable

KEEP_ALIVE_SECONDS = 15.0


class Hub:
    def __init__(self, open_store: Callable, snapshot: Callable, *, poll_seconds: float = 0.1,
                 refresh_seconds: float = 20.0):
        self._open_store = open_store
        self._snapshot = snapshot
        self._poll = poll_seconds
        self._refresh = refresh_seconds
        self._subscribers: set[asyncio.Queue] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._wake: asyncio.Event | None = None
        self.latest: dict | None = None
        self.version = 0
        self.closed = False
        self.listeners: list[Callable[[], None]] = []  # told after every write of this process

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._watch(), name="counter-store-watch")

    async def stop(self) -> None:
        self.close()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    def close(self) -> None:
        """End every stream (at shutdown, so the server need not wait for open displays)."""
        self.closed = True
        for queue in list(self._subscribers):
            queue.put_nowait(None)

    def close_threadsafe(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.close)
        else:
            self.closed = True

    def poke(self) -> None:
        """Look at the store now (this process just wrote), from any thread."""
        for listener in self.listeners:
            listener()
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def _publish(self, state: dict) -> None:
        self.version += 1
        self.latest = dict(state, version=self.version)
        message = _sse("state", self.latest)
        for queue in list(self._subscribers):
            queue.put_nowait(message)

    async def _watch(self) -> None:
        store = self._open_store()
        try:
            seen_version = None
            refreshed = 0.0
            while True:
                data_version = store.data_version()
                clock = time.monotonic()
                if data_version != seen_version or clock - refreshed >= self._refresh:
                    seen_version = data_version
                    refreshed = clock
                    state = self._snapshot(store)
                    if self.latest is None or _without(self.latest, "version", "now") != _without(state, "now"):
                        self._publish(state)
                try:
                    await asyncio.wait_for(self._wake.wait(), self._poll)
                except asyncio.TimeoutError:
                    pass
                self._wake.clear()
        finally:
            store.close()

    async def stream(self, is_disconnected: Callable) -> AsyncIterator[str]:
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.add(queue)
        try:
            yield "retry: 1000\n\n"
            if self.latest is not None:
                yield _sse("state", self.latest)
            while not self.closed:
                try:
                    message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except asyncio.TimeoutError:
                    if await is_disconnected():
                        break
                    yield ": keep-alive\n\n"
                    continue
                if message is None:
                    break
                yield message
        finally:
            self._subscribers.discard(queue)


def _without(state: dict, *keys: str) -> dict:
    return {k: v for k, v in state.items() if k not in keys}


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
