"""One refresh per followed station, shared by every phone that follows a ticket of it.

While phones follow tickets of a station, the hub reads that station's state once a second (three
indexed reads: its snapshot's time, the followed tickets, their ratings), and at once when this
process has just received the station's snapshot or a rating. Each phone's stream waits on its
station's channel and sends its ticket's state only when it changed; the JSON of a state is made
once per ticket, language and change, however many phones follow it. Other server processes
behind the same load balancer see the station's snapshot within the second."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, AsyncIterator, Callable

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sync.server.db import transaction
from sync.server.phone.states import Snapshot, TicketInfo, read_snapshot, ticket_states

log = logging.getLogger(__name__)
PERIOD_S = 1.0
KEEP_ALIVE_S = 20.0
MAX_STREAM_S = 30 * 60  # a stream ends after half an hour; the browser opens a new one
MAX_FOLLOWERS = 20_000  # per process


class Channel:
    def __init__(self, station_id: str):
        self.station_id = station_id
        self.followers: dict[str, int] = {}  # ticket_id -> phones following it
        self.states: dict[str, dict[str, Any]] = {}
        self.snapshot: Snapshot | None = None
        self.version = 0
        self.changed = asyncio.Event()
        self.rendered: dict[tuple[str, str], str] = {}

    def publish(self, states: dict[str, dict[str, Any]], snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if states == self.states:
            return
        self.states, self.version, self.rendered = states, self.version + 1, {}
        done, self.changed = self.changed, asyncio.Event()
        done.set()


class LiveHub:
    def __init__(self, readers: sessionmaker[Session], clock: Callable[[], float] = time.time,
                 period_s: float = PERIOD_S):
        self.readers, self.clock, self.period_s = readers, clock, period_s
        self.channels: dict[str, Channel] = {}
        self.following = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    def poke(self, station_id: str | None = None) -> None:
        """Something of this station changed here: refresh now (call on the event loop)."""
        if self._wake is not None and (station_id is None or station_id in self.channels):
            self._wake.set()

    def _read(self, channel: Channel, ticket_ids: list[str]) -> tuple[dict[str, dict[str, Any]], Snapshot]:
        with transaction(self.readers) as session:
            snapshot = read_snapshot(session, channel.station_id, channel.snapshot)
            return ticket_states(session, channel.station_id, ticket_ids, snapshot, self.clock()), snapshot

    async def _run(self) -> None:
        assert self._wake is not None
        while self.channels:
            for channel in list(self.channels.values()):
                try:
                    states, snapshot = await run_in_threadpool(self._read, channel, list(channel.followers))
                except Exception:  # the database away for a moment: the phones keep their last state
                    log.warning("phone pages: cannot read station %s now", channel.station_id, exc_info=True)
                    continue
                channel.publish(states, snapshot)
            try:
                await asyncio.wait_for(self._wake.wait(), self.period_s)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
        self._task = None

    def _join(self, info: TicketInfo) -> Channel:
        channel = self.channels.get(info.station_id)
        if channel is None:
            channel = self.channels[info.station_id] = Channel(info.station_id)
        channel.followers[info.ticket_id] = channel.followers.get(info.ticket_id, 0) + 1
        self.following += 1
        if self._wake is None:
            self._wake = asyncio.Event()
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()
        return channel

    def _leave(self, channel: Channel, ticket_id: str) -> None:
        self.following -= 1
        left = channel.followers.get(ticket_id, 1) - 1
        if left:
            channel.followers[ticket_id] = left
        else:
            channel.followers.pop(ticket_id, None)
            channel.states.pop(ticket_id, None)
        if not channel.followers:
            self.channels.pop(channel.station_id, None)

    async def follow(self, info: TicketInfo, first: dict[str, Any], lang: str,
                     render: Callable[[dict[str, Any], str], dict[str, Any]]) -> AsyncIterator[str]:
        """The server-sent events of one phone: its ticket's state now, then each change."""
        channel = self._join(info)
        started = time.monotonic()
        try:
            yield "retry: 3000\n\n"
            sent = first
            yield f"data: {json.dumps(render(first, lang), ensure_ascii=False)}\n\n"
            while time.monotonic() - started < MAX_STREAM_S and not (sent.get("rated") or sent["status"] == "cancelled"):
                state = channel.states.get(info.ticket_id)
                if state is not None and state != sent:  # no await between this look and taking the event
                    sent = state
                    key = (info.ticket_id, lang)
                    text = channel.rendered.get(key)
                    if text is None:
                        text = channel.rendered[key] = f"data: {json.dumps(render(state, lang), ensure_ascii=False)}\n\n"
                    yield text
                    continue
                try:
                    await asyncio.wait_for(channel.changed.wait(), KEEP_ALIVE_S)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
            if sent.get("rated") or sent["status"] == "cancelled":
                yield "event: end\ndata: {}\n\n"  # nothing more will change: the page closes its stream
        finally:
            self._leave(channel, info.ticket_id)
