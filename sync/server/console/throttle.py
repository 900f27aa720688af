"""Login throttling per (client address, account name): after five failures in a row from one
address for one name, each further attempt waits twice as long (1 s, 2 s, 4 s … at most 15 min),
and a success from that address clears it. Other addresses are never slowed: nobody can lock
someone else out from elsewhere. Kept in the database, so every server process agrees."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.server.db import is_postgres

from sync.server.models import LoginThrottle

FREE_FAILURES = 5
MAX_WAIT_S = 15 * 60
FORGET_AFTER_S = 24 * 3600


def _key(client: str, account: str) -> tuple[str, str]:
    return (client or "unknown")[:64], account[:64]


def wait_s(session: Session, client: str, account: str, now: float) -> float:
    """Seconds this client must wait before trying this account again (0: go ahead)."""
    row = session.get(LoginThrottle, _key(client, account))
    if row is None:
        return 0.0
    return max(0.0, row.blocked_until - now)


def failed(session: Session, client: str, account: str, now: float) -> None:
    key = _key(client, account)
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    session.execute(insert(LoginThrottle).values(client=key[0], account=key[1], failures=0, last_failure_at=now,
                                                 blocked_until=0.0).on_conflict_do_nothing())  # two at once: one row
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    if now - row.last_failure_at > FORGET_AFTER_S:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    over = row.failures - FREE_FAILURES
    row.blocked_until = now + min(float(2 ** min(over, 20)), MAX_WAIT_S) if over >= 0 else 0.0


def succeeded(session: Session, client: str, account: str) -> None:
    client_key, account_key = _key(client, account)
    session.execute(delete(LoginThrottle).where(LoginThrottle.client == client_key,
                                                LoginThrottle.account == account_key))


def forget_old(session: Session, now: float) -> int:
    return session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER_S)).rowcount

