"""Kiosk secrets are sealed at rest (AES-GCM, key file 0600); signing opens them; the migration
seals the secrets of an older database and its downgrade opens them again."""

import base64
import stat

import pytest
from sqlalchemy import inspect

from district_kiosk_client import enrol, make_op, ticket_payload
from district_console import sql
from sync.server import secretbox
from sync.server.db import make_engine
from sync.server.migrations import alembic_config, upgrade


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "secret.key"
    monkeypatch.setenv(secretbox.KEY_FILE_ENV, str(path))
    secretbox.forget_keys()
    yield path
    secretbox.forget_keys()


def stored_secret(db_url, kiosk_id="YT-XZ-01"):
    return sql(db_url, "SELECT secret FROM kiosks WHERE kiosk_id = :k", k=kiosk_id)[0][0]


def test_the_row_is_not_the_secret_and_signing_still_works(server, db_url, clock, key_file):
    kiosk = enrol(server, db_url, clock=clock)
    stored = stored_secret(db_url)
    assert stored.startswith("gcm1:") and kiosk.secret not in stored
    assert base64.b64decode(kiosk.secret) not in base64.b64decode(stored[5:])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    response = kiosk.push([make_op(1, "ticket", ticket_payload())])
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "applied"


def test_a_row_copied_to_another_kiosk_does_not_open(server, db_url, clock):
    first = enrol(server, db_url, clock=clock)
    second = enrol(server, db_url, "YT-XZ-02", clock=clock)
    sql(db_url, "UPDATE kiosks SET secret = :s WHERE kiosk_id = 'YT-XZ-02'", s=stored_secret(db_url))
    second.secret = first.secret
    response = second.push([make_op(1, "ticket", ticket_payload())])
    assert response.status_code == 503 and response.json()["error"] == "secret_key_unavailable"


def test_another_key_file_opens_nothing(server, db_url, clock, key_file):
    kiosk = enrol(server, db_url, clock=clock)
    key_file.write_text(base64.b64encode(b"k" * 32).decode())
    secretbox.forget_keys()
    response = kiosk.push([make_op(1, "ticket", ticket_payload())])
    assert response.status_code == 503 and set(response.json()) == {"error", "detail"}


def test_the_migration_seals_plain_secrets_and_the_downgrade_opens_them(server, db_url, clock, key_file):
    from alembic import command

    kiosk = enrol(server, db_url, clock=clock)
    engine = make_engine(db_url)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        assert stored_secret(db_url) == kiosk.secret  # plain again, as before this release
        assert inspect(engine).get_columns("kiosks")[[c["name"] for c in inspect(engine).get_columns("kiosks")]
                                                      .index("secret")]["type"].length == 64
        key_file.unlink()
        secretbox.forget_keys()
        upgrade(engine)  # makes a new key file and seals
    finally:
        engine.dispose()
    assert stored_secret(db_url).startswith("gcm1:") and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert kiosk.push([make_op(1, "ticket", ticket_payload())]).status_code == 200
