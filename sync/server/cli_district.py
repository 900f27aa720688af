"""`district-server user add | purge | followups | summary`: staff accounts, the retention purge, the
work orders to follow up and their daily summary (docs/district.md). Registered by sync.server.cli."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from typing import Any, Callable

ROLE_CHOICES = ("district_admin", "station_head", "unit", "caller")


def _read_password(stdin: Any = None) -> str:
    """The first line of standard input; at a terminal, asked twice without echo."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def cmd_user_add(args: argparse.Namespace, sessions_of: Callable, error: type) -> int:
    from sync.server.console.accounts import AccountError, add_user, check_account
    from sync.server.db import transaction

    try:
        check_account(args.name, args.role, args.station, args.unit)
        password = _read_password()
    except (AccountError, ValueError) as exc:
        raise error(str(exc)) from None
    with sessions_of(args.db) as sessions, transaction(sessions) as session:
        try:
            add_user(session, args.name, args.role, password, time.time(), station_id=args.station, unit=args.unit,
                     replace=args.replace)
        except AccountError as exc:
            raise error(str(exc)) from None
    scope = f" of station {args.station}" if args.station else f" of unit {args.unit}" if args.unit else ""
    print(f"account {args.name} ({args.role}{scope}) saved", file=sys.stderr)
    return 0


def cmd_purge(args: argparse.Namespace, sessions_of: Callable, error: type) -> int:
    from sync.server.db import transaction
    from sync.server.retention import purge

    with sessions_of(args.db) as sessions, transaction(sessions) as session:
        counts = purge(session, time.time(), args.days)
    print("purged personal data: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()), file=sys.stderr)
    return 0


def cmd_followups(args: argparse.Namespace, sessions_of: Callable, error: type) -> int:
    """Open work orders with a phone to call, oldest rating first, with their deadlines; the phone
    numbers shown are written to the audit log (actor ``cli:<user>``)."""
    from sqlalchemy import select

    from sync.server import audit
    from sync.server.db import transaction
    from sync.server.models import Rating
    from sync.server.workorders.access import Actor
    from sync.server.workorders.views import list_orders

    now = time.time()
    admin = Actor("cli", "district_admin")
    user = f"cli:{_os_user()}"
    with sessions_of(args.db) as sessions, transaction(sessions) as session:
        orders = list_orders(session, admin, now, open_only=not args.all, limit=100_000)
        ids = [o["rating_id"] for o in orders]
        phones = dict(session.execute(select(Rating.rating_id, Rating.contact_phone)
                                      .where(Rating.rating_id.in_(ids))).all()) if ids else {}
        items = []
        for order in orders:
            phone = phones.get(order["rating_id"])
            if phone is None and not args.all:
                continue
            if phone is not None:
                audit.record(session, actor=user, role="cli", action=audit.VIEW_CONTACT,
                             record_id=f"work_order:{order['order_id']}", now=now)
            items.append(_item(order, phone))
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for item in items:
        flags = " ".join(flag for flag, on in (("OVERDUE", item["overdue"]),
                                               ("weekends-only-calendar", item["calendar"] != "official")) if on)
        print(f"{item['deadline']}  {item['rated_at']}  level {item['level']}  {item['contact_phone'] or '-'}  "
              f"{item['station_id']}  {item['service_code'] or '-'}  {item['state']}  {item['rating_id']}"
              + (f"  {flags}" if flags else ""))
    if not items:
        print("no follow-ups due", file=sys.stderr)
    return 0


def cmd_summary(args: argparse.Namespace, sessions_of: Callable, error: type) -> int:
    """The daily summary of the work orders (no personal data): to the journal from district-summary.timer."""
    from sync.server.db import transaction
    from sync.server.workorders.summary import daily_summary, summary_lines

    with sessions_of(args.db) as sessions, transaction(sessions) as session:
        summary = daily_summary(session, time.time())
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(summary)))
    return 0


def _item(order: dict[str, Any], phone: str | None) -> dict[str, Any]:
    return {"order_id": order["order_id"], "rating_id": order["rating_id"], "rated_at": order["rated_at"],
            "deadline": order["deadlines"]["call_back"]["due"], "rectify_deadline": order["deadlines"]["rectify"]["due"],
            "overdue": order["overdue"], "calendar": order["calendar"], "state": order["state"],
            "level": order["level"], "contact_phone": phone, "station_id": order["station_id"],
            "service_code": order["service_code"], "unit": order["unit"], "ticket_id": order["ticket_id"],
            "reasons": order["reasons"]}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container): the number will do
        return str(os.getuid())


def add_commands(commands: Any, db_help: str, run: Callable[[Callable], Callable]) -> None:
    """Register the commands; ``run(handler)`` binds a handler to the CLI's sessions and errors."""
    user = commands.add_parser("user", help="console staff accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="create a staff account; the password is read on stdin")
    add.add_argument("--db", required=True, help=db_help)
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=ROLE_CHOICES,
                     help="district_admin 区管理员, station_head 站点负责人, unit 承办单位, caller 回访员")
    scope = add.add_mutually_exclusive_group()
    scope.add_argument("--station", help="the station of a station_head")
    scope.add_argument("--unit", help="the unit (department, as in the catalogue) of a unit account")
    add.add_argument("--replace", action="store_true", help="change an existing account (role, scope, password)")
    add.set_defaults(handler=run(cmd_user_add))

    purge = commands.add_parser("purge", help="clear phone numbers and comments past the retention period")
    purge.add_argument("--db", required=True, help=db_help)
    purge.add_argument("--days", type=int, default=None,
                       help="the period after 办结 (default: config personal_data_retention_days, else 180)")
    purge.set_defaults(handler=run(cmd_purge))

    followups = commands.add_parser("followups", help="open work orders to call back, oldest first, with deadlines")
    followups.add_argument("--db", required=True, help=db_help)
    followups.add_argument("--json", action="store_true")
    followups.add_argument("--all", action="store_true", help="closed orders and orders without a phone too")
    followups.set_defaults(handler=run(cmd_followups))

    summary = commands.add_parser("summary", help="the daily summary of the work orders: open, overdue, appeals")
    summary.add_argument("--db", required=True, help=db_help)
    summary.add_argument("--json", action="store_true")
    summary.set_defaults(handler=run(cmd_summary))
