"""The heartbeat's sender without a network: what it reports, when it goes (at most once a
minute, at once on a change), a server that refuses it, the printer's status bytes in one word,
and the station's relay of its kiosks' fresh heartbeats only."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from sync.client.heartbeat import Heartbeat, catalogue_version
from sync.client.transport import Refused, Unreachable
from sync.protocol.heartbeat import HeartbeatError, check_heartbeat, printer_state


def demo_config():
    from pathlib import Path

    from kiosk.config import load

    return load(str(Path(__file__).resolve().parents[2] / "config" / "demo.toml"))


class FakeTransport:
    kiosk_id = "YT-XZ-01"

    def __init__(self, fail=None):
        self.posts, self.fail = [], fail
        self.offset = SimpleNamespace(seconds=-1.26)

    def post(self, path, body):
        if self.fail is not None:
            raise self.fail
        self.posts.append((path, body))
        return {"received_at": 0}


class FakePort:
    def __init__(self, pending=2, dead=1, version=None):
        self.pending, self.dead, self.version = pending, dead, version

    def pending_count(self):
        return self.pending

    def dead_letters(self):
        return [object()] * self.dead

    def setting(self, entity, item_id):
        assert (entity, item_id) == ("config", "catalogue_version")
        return None if self.version is None else {"value": self.version}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def make(tmp_path, printer, monotonic):
    return Heartbeat(app_version="1.4.0", data_dir=tmp_path, printer=lambda: printer[0], reader=lambda: "ok",
                     probe_every_s=5, monotonic=monotonic)


def test_it_says_what_a_technician_asks_first_and_passes_the_servers_check(tmp_path):
    monotonic = Clock()
    transport = FakeTransport()
    beat = make(tmp_path, ["paper_near_end"], monotonic)
    assert beat.after_sync(FakePort(version=12), transport)
    path, body = transport.posts[0]
    assert path == "/v1/kiosks/YT-XZ-01/heartbeat"
    assert check_heartbeat(body) == body
    assert (body["outbox"], body["dead_letters"], body["printer"], body["reader"]) == (2, 1, "paper_near_end", "ok")
    assert body["catalogue_version"] == 12 and body["clock_offset_s"] == -1.3 and body["disk_free_mb"] > 0
    assert body["last_sync_at"] and body["at"][-6] in "+-"


def test_at_most_once_a_minute_unless_something_changed(tmp_path):
    monotonic, printer = Clock(), ["ok"]
    transport = FakeTransport()
    beat = make(tmp_path, printer, monotonic)
    port = FakePort()
    assert beat.after_sync(port, transport)
    monotonic.now += 10
    assert not beat.after_sync(port, transport)  # nothing new
    printer[0] = "paper_out"
    monotonic.now += 5
    assert beat.after_sync(port, transport)  # the printer ran out: at once
    monotonic.now += 5
    port.pending = 7
    assert beat.after_sync(port, transport)
    monotonic.now += 30
    assert not beat.after_sync(port, transport)
    monotonic.now += 31
    assert beat.after_sync(port, transport)  # a minute since the last one
    assert [b["printer"] for _p, b in transport.posts] == ["ok", "paper_out", "paper_out", "paper_out"]


def test_the_printer_is_asked_once_per_probe_period_and_a_failing_device_is_unknown(tmp_path):
    monotonic, asked = Clock(), []

    def printer():
        asked.append(1)
        raise OSError("gone")

    beat = Heartbeat(app_version="1", data_dir=tmp_path, printer=printer, probe_every_s=5, monotonic=monotonic)
    transport = FakeTransport()
    for _ in range(4):
        beat.after_sync(FakePort(), transport)
    assert len(asked) == 1 and transport.posts[0][1]["printer"] == "unknown"
    monotonic.now += 5
    beat.after_sync(FakePort(), transport)
    assert len(asked) == 2


def test_a_server_without_the_endpoint_is_asked_again_only_later_and_failures_never_raise(tmp_path):
    monotonic = Clock()
    beat = make(tmp_path, ["ok"], monotonic)
    old = FakeTransport(fail=Refused("404 not_found", status=404, code="not_found"))
    assert not beat.after_sync(FakePort(), old)
    old.fail = None
    monotonic.now += 60
    assert not beat.after_sync(FakePort(), old) and old.posts == []  # paused for 10 minutes
    monotonic.now += 600
    assert beat.after_sync(FakePort(), old)
    down = FakeTransport(fail=Unreachable("connection refused"))
    monotonic.now += 61
    assert not beat.after_sync(FakePort(), down)


def test_catalogue_version_comes_from_the_local_catalogue_when_it_is_there():
    assert catalogue_version(FakePort(version=3)) == 3
    assert catalogue_version(FakePort(version=None)) is None
    assert catalogue_version(FakePort(version="3")) is None
    assert catalogue_version(object()) is None


@pytest.mark.parametrize("status, word", [
    ((True, "ok", False, False), "ok"), ((True, "near_end", False, False), "paper_near_end"),
    ((False, "out", False, False), "paper_out"), ((False, "ok", True, False), "cover_open"),
    ((False, "unknown", None, None), "offline"), ((None, "unknown", None, None), "unknown"),
    ((True, "ok", False, True), "offline")])
def test_the_printers_status_in_one_word(status, word):
    assert printer_state(*status) == word


def test_the_check_names_the_field():
    with pytest.raises(HeartbeatError, match="reader"):
        check_heartbeat({"at": "2026-11-23T10:00:00+08:00", "app_version": "1", "outbox": 0, "dead_letters": 0,
                         "printer": "ok", "reader": "broken"})


def test_the_station_relays_only_fresh_heartbeats_once(tmp_path):
    from sqlalchemy.orm import sessionmaker

    from kiosk.station.heartbeats import StationHeartbeats
    from sync.server.db import make_engine, transaction
    from sync.server.migrations import upgrade
    from sync.server.models import DeviceHealth

    engine = make_engine(f"sqlite:///{tmp_path / 'relay.db'}")
    upgrade(engine)
    sessions = sessionmaker(engine)
    now = time.time()
    with transaction(sessions) as session:
        for kiosk_id, age in (("K1", 5), ("K2", 600)):
            session.add(DeviceHealth(kiosk_id=kiosk_id, station_id="s", role="kiosk", received_at=now - age,
                                     data={"printer": "ok", "kiosk": kiosk_id}))
    own = SimpleNamespace(after_sync=lambda port, transport: None)
    relay = StationHeartbeats(sessions, own)
    transport = FakeTransport()
    assert relay.send(None, transport) == 1
    assert relay.send(None, transport) == 0  # already relayed
    assert transport.posts == [("/v1/kiosks/K1/heartbeat", {"printer": "ok", "kiosk": "K1"})]
    engine.dispose()


def test_the_kiosk_window_reports_what_its_device_workers_last_said(tmp_path):
    from drivers.printer import PrinterStatus
    from kiosk import app
    config = demo_config()
    words = app.DeviceWords(config)
    assert (words.printer, words.reader) == ("unknown", app.reader_word(config))
    words.printer_status(PrinterStatus(online=False, paper="out", cover_open=False, error=False))
    words.reader_failed("card_read_failed", "a resident's card")  # not the reader's fault
    assert (words.printer, words.reader) == ("paper_out", app.reader_word(config))
    words.reader_failed("reader_offline", "port gone")
    assert words.reader == "offline"
    words.reader_ready()
    beat = app.heartbeat(config, printer=lambda: words.printer, reader=lambda: words.reader)
    transport = FakeTransport()
    runner = SimpleNamespace(port=FakePort(), transport=SimpleNamespace(
        kiosk_id="YT-XZ-01", offset=SimpleNamespace(seconds=None), post=transport.post,
        get=lambda path: (_ for _ in ()).throw(Unreachable("no station"))))
    assert app.after_sync_run(beat, runner) is None
    assert [(b["printer"], b["reader"]) for _p, b in transport.posts] == [("paper_out", "ok")]


def test_sync_follow_asks_the_configured_printer_itself(tmp_path):
    from drivers.printer.simulator import SimulatedNetworkPrinter
    from kiosk import app
    config = demo_config()
    with SimulatedNetworkPrinter(paper="near_end") as printer:
        object.__setattr__(config.devices, "printer", printer.url)
        ask = app.printer_probe(config)
        assert ask() == "paper_near_end"
        printer.set_status(paper="out", online=False)
        assert ask() == "paper_out"
        printer.set_status(cover_open=True, paper="ok")
        assert ask() == "cover_open"
    assert ask() == "offline"  # gone
