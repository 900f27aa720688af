"""The kiosk's and the station's side of the phone page: the ticket's public_token and the URL in
its QR code, the station's queue snapshot, the ratings the district reports from the phone, and the
upstream worker that sends the snapshot."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk import app
from kiosk import config as kiosk_config
from kiosk.domain.numbering import NumberingScheme
from kiosk.store import calls, phone_snapshot, relay_queue, window_ratings
from kiosk.store import ratings as rating_rows
from kiosk.store.station_settings import put_counters
from kiosk.store.transaction import write_transaction
from kiosk.station.upstream import SNAPSHOT_EVERY_S, Upstream
from sync.client.transport import Refused
from sync.protocol.ratings import PUBLIC_TOKEN_RE

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI)
STATION = "yt-xiaozhai"
COUNTER = {"id": "w1", "name": "一号窗口", "services": []}


@pytest.fixture
def config(tmp_path, monkeypatch) -> kiosk_config.Config:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    return kiosk_config.load(str(kiosk_config.DEMO_CONFIG))


@pytest.fixture
def store(config):
    store = app.open_store(config)
    yield store
    store.close()


def issue(store, minutes: int = 0):
    return store.issue_ticket(scheme=NumberingScheme(), station_id=STATION, service_code="SB-KSL", prefix="A",
                              now=NOW + timedelta(minutes=minutes), day=NOW.date())


def test_each_ticket_has_its_own_random_token_in_its_payload(store):
    tickets = [issue(store, i) for i in range(20)]
    tokens = {t.public_token for t in tickets}
    assert len(tokens) == 20 and all(PUBLIC_TOKEN_RE.fullmatch(t) for t in tokens)
    payloads = [json.loads(p) for (p,) in store.db.execute("SELECT payload FROM outbox ORDER BY seq")]
    assert [p["public_token"] for p in payloads] == [t.public_token for t in tickets]
    stored = dict(store.db.execute("SELECT ticket_id, public_token FROM tickets"))
    assert stored == {t.ticket_id: t.public_token for t in tickets}
    # a counter's op on the ticket carries the same token (the station sends it up again)
    put_counters(store.db, {"w1": {"name": "一号窗口", "pin_hash": "", "services": []}})
    store.db.commit()
    calls.call_number(store.db, COUNTER, tickets[0].number, now=NOW + timedelta(minutes=30), day=NOW.date())
    last = json.loads(store.db.execute("SELECT payload FROM outbox WHERE entity = 'ticket' ORDER BY seq DESC LIMIT 1").fetchone()[0])
    assert last["status"] == "called" and last["public_token"] == tickets[0].public_token


def test_the_qr_code_opens_the_districts_page_else_the_configured_one(store, config):
    before = issue(store)
    assert app.ticket_url(config, before) == f"https://zwfw.example.gov.cn/t/{before.public_token}"
    with write_transaction(store.db):
        store.db.execute("INSERT INTO settings (key, value) VALUES ('config:ticket_url', ?)",
                         (json.dumps({"key": "ticket_url", "value": "https://district.test/t/{token}"}),))
    after = issue(store, 1)
    url = app.ticket_url(config, after)
    assert url == f"https://district.test/t/{after.public_token}"
    assert after.number not in url and after.ticket_id not in url


@pytest.mark.parametrize("value", ["https://district.test/t/{ticket_id}", "ftp://x/{token}", "https://x/{token}/{name}"])
def test_a_ticket_url_without_the_token_stops_the_kiosk(tmp_path, value):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nticket_url = "{value}"\n', encoding="utf-8")
    with pytest.raises(kiosk_config.ConfigError, match="kiosk.ticket_url"):
        kiosk_config.load(str(path))


def test_the_snapshot_has_places_estimates_and_counters(store):
    put_counters(store.db, {"w1": {"name": "一号窗口", "pin_hash": "", "services": []}})
    store.db.commit()
    first, second, third = issue(store), issue(store, 1), issue(store, 2)
    calls.call_number(store.db, COUNTER, first.number, now=NOW + timedelta(minutes=5), day=NOW.date())
    calls.mark_done(store.db, COUNTER, now=NOW + timedelta(minutes=11))  # 6 minutes of service measured
    calls.call_number(store.db, COUNTER, second.number, now=NOW + timedelta(minutes=12), day=NOW.date())
    body = phone_snapshot.snapshot(store.db, STATION, NOW.date(), NOW + timedelta(minutes=13))
    assert body["station_id"] == STATION and body["business_date"] == "2026-11-23"
    assert body["tickets"] == [
        {"ticket_id": third.ticket_id, "status": "waiting", "ahead": 0, "estimate_minutes": 0},
        {"ticket_id": second.ticket_id, "status": "called", "counter": "一号窗口"}]
    assert not re.search(r"610113|holder|public_token", json.dumps(body))


def test_a_phone_rating_closes_the_ticket_at_the_station(store):
    ticket = issue(store)
    calls.call_number(store.db, COUNTER, ticket.number, now=NOW + timedelta(minutes=5), day=NOW.date())
    calls.mark_done(store.db, COUNTER, now=NOW + timedelta(minutes=9))
    assert relay_queue.ticket_facts(store.db, [ticket.ticket_id])[ticket.ticket_id].rated is False
    assert phone_snapshot.mark_rated_on_phone(store.db, [ticket.ticket_id, "unknown-ticket"], NOW) == 1
    assert phone_snapshot.mark_rated_on_phone(store.db, [ticket.ticket_id], NOW) == 0
    assert relay_queue.ticket_facts(store.db, [ticket.ticket_id])[ticket.ticket_id].rated is True
    assert window_ratings._rated(store.db, ticket.ticket_id)
    checked = rating_rows.check_locally(store.db, ticket.number, NOW.date(), STATION,
                                        {"by": "code", "code": ticket.holder_code}, NOW + timedelta(minutes=20))
    assert checked["refusal"][0] == "already_rated"


class FakeTransport:
    kiosk_id = "YT-XZ-ST"

    def __init__(self, answers):
        self.answers, self.sent = list(answers), []

    def post(self, path, value):
        self.sent.append((path, value))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Port:
    db = object()


def test_the_upstream_sends_the_snapshot_when_it_changes_and_as_a_heartbeat():
    clock = [100.0]
    queue = {"station_id": STATION, "at": "t0", "business_date": "2026-11-23", "tickets": []}
    closed = []
    upstream = Upstream(lambda: None, lambda port: None, publish=lambda changes, snapshot: None, app_version="t",
                        monotonic=lambda: clock[0], snapshot=lambda db: dict(queue),
                        rated_on_phone=lambda db, ids: closed.append(ids))
    transport = FakeTransport([{"rated_on_phone": []}, {"rated_on_phone": ["a"]}, {"rated_on_phone": []},
                               Refused("404 not_found", status=404)])
    upstream.push_snapshot(Port(), transport)
    queue["at"] = "t1"
    upstream.push_snapshot(Port(), transport)  # only its time changed: not sent again yet
    assert len(transport.sent) == 1 and transport.sent[0][0] == "/v1/kiosks/YT-XZ-ST/queue-snapshot"
    queue["tickets"] = [{"ticket_id": "x", "status": "waiting", "ahead": 0, "estimate_minutes": None}]
    upstream.push_snapshot(Port(), transport)  # a change: at once
    assert len(transport.sent) == 2 and closed == [["a"]]
    clock[0] += SNAPSHOT_EVERY_S
    upstream.push_snapshot(Port(), transport)  # the heartbeat
    assert len(transport.sent) == 3
    clock[0] += SNAPSHOT_EVERY_S
    upstream.push_snapshot(Port(), transport)  # a district without phone pages: paused, the link goes on
    clock[0] += SNAPSHOT_EVERY_S
    upstream.push_snapshot(Port(), transport)
    assert len(transport.sent) == 4
