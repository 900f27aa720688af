"""Staff accounts of the console: a name, a role, a station or unit where the role needs one, and
an Argon2id password hash (`district-server user add`)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.console.passwords import hash_password
from sync.server.models import StaffUser
from sync.server.workorders.access import Actor
from sync.server.workorders.states import ROLES, STATION_HEAD, UNIT

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


class AccountError(ValueError):
    pass


def check_account(name: str, role: str, station_id: str | None, unit: str | None) -> None:
    if not NAME_RE.fullmatch(name or ""):
        raise AccountError(f"name {name!r} must be 1 to 64 characters of [A-Za-z0-9_.@-]")
    if role not in ROLES:
        raise AccountError(f"role {role!r} must be one of {', '.join(ROLES)}")
    if role == STATION_HEAD and not station_id:
        raise AccountError("a station_head needs --station")
    if role == UNIT and not (unit and unit.strip()):
        raise AccountError("a unit account needs --unit (the department's name as in the catalogue)")
    if role != STATION_HEAD and station_id:
        raise AccountError("--station belongs to a station_head only")
    if role != UNIT and unit:
        raise AccountError("--unit belongs to a unit account only")
    if unit is not None and len(unit) > 128:
        raise AccountError("--unit has at most 128 characters")


def add_user(session: Session, name: str, role: str, password: str, now: float, *, station_id: str | None = None,
             unit: str | None = None, replace: bool = False) -> StaffUser:
    """Create the account (or, with ``replace``, set its role, scope and password anew)."""
    check_account(name, role, station_id, unit)
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    user = session.get(StaffUser, name)
    if user is not None and not replace:
        raise AccountError(f"account {name!r} exists (use --replace to change it)")
    if user is None:
        user = StaffUser(name=name, created_at=now)
        session.add(user)
    user.role, user.station_id, user.unit, user.password_hash = role, station_id, unit and unit.strip(), password_hash
    return user


def find_user(session: Session, name: str) -> StaffUser | None:
    if not NAME_RE.fullmatch(name or ""):
        return None
    return session.scalars(select(StaffUser).where(StaffUser.name == name)).one_or_none()


def actor_of(user: StaffUser, client: str | None = None) -> Actor:
    return Actor(user.name, user.role, user.station_id, user.unit, client)
