"""`district-server serve|enrol-token|import-catalogue|user add|purge|followups`."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from sync.server.cli_district import add_commands
from sync.server.settings import ServerSettings


class CliError(Exception):
    pass


def _engine(db_url: str):  # type: ignore[no-untyped-def]
    from sync.server.db import make_engine
    from sync.server.migrations import upgrade

    try:
        engine = make_engine(db_url)
    except (ArgumentError, ValueError) as exc:
        raise CliError(f"bad --db URL {db_url!r}: {exc}") from None
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def _sessions(db_url: str) -> Iterator[Any]:
    """A migrated database's session factory; the engine is disposed on exit."""
    from sqlalchemy.orm import sessionmaker

    engine = _engine(db_url)
    try:
        yield sessionmaker(engine, expire_on_commit=False)
    finally:
        engine.dispose()


def _first_start(db_url: str) -> None:
    """Migrate, and make the key that seals the kiosks' secrets if there is none yet (0600)."""
    from sync.server.secretbox import SecretKeyError, ensure_key, key_path

    engine = _engine(db_url)
    try:
        ensure_key(key_path(engine.url))
    except (OSError, SecretKeyError) as exc:
        raise CliError(f"the key file for kiosk secrets: {exc}") from None
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.app import create_app, tune_gc_for_serving

    _first_start(args.db)
    options = {"host": args.host, "port": args.port, "log_level": args.log_level, "date_header": False,
               "server_header": False, "access_log": False}
    if args.workers > 1:
        os.environ["DISTRICT_SERVER_DB"] = args.db
        os.environ["DISTRICT_SERVER_RETENTION_S"] = str(args.retention_days * 86400)
        uvicorn.run("sync.server.app:app_from_environment", factory=True, workers=args.workers, **options)
        return 0
    settings = ServerSettings(change_retention_s=args.retention_days * 86400)
    app = create_app(args.db, settings=settings)
    tune_gc_for_serving()
    uvicorn.run(app, **options)
    return 0


def cmd_enrol_token(args: argparse.Namespace) -> int:
    from sync.server.catalogue import ensure_station
    from sync.server.db import transaction
    from sync.server.enrolment import create_token, valid_id

    for name in ("station", "kiosk"):
        if not valid_id(getattr(args, name)):
            raise CliError(f"--{name} {getattr(args, name)!r} must be 1 to 64 characters of [A-Za-z0-9_.-]")
    settings = ServerSettings()
    now = settings.clock()
    with _sessions(args.db) as sessions, transaction(sessions) as session:
        if ensure_station(session, args.station, now):
            print(f"warning: station {args.station!r} was unknown; created it bare (import the catalogue "
                  "to describe it)", file=sys.stderr)
        token = create_token(session, args.station, args.kiosk, now, settings.enrol_token_ttl_s, role=args.role)
    print(token)
    return 0


def cmd_import_catalogue(args: argparse.Namespace) -> int:
    from sync.server.catalogue import CatalogueError, import_catalogue, load_catalogue_file
    from sync.server.db import transaction

    try:
        parsed = load_catalogue_file(Path(args.file))
    except CatalogueError as exc:
        raise CliError(f"bad catalogue file: {exc}") from None
    settings = ServerSettings(change_retention_s=args.retention_days * 86400)
    with _sessions(args.db) as sessions, transaction(sessions) as session:
        counts = import_catalogue(session, parsed, settings.clock(), settings.change_retention_s)
    print(f"imported {args.file}: {counts['upserted']} upserted, {counts['deleted']} deleted, "
          f"{counts['pruned']} old changes pruned; catalogue version {counts['catalogue_version']}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="district-server", description="District server of sync protocol v1")
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "database URL: sqlite:///PATH (default kind) or postgresql+psycopg://USER@HOST/DB"

    serve = commands.add_parser("serve", help="migrate the database, then serve HTTP")
    serve.add_argument("--db", required=True, help=db_help)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.add_argument("--retention-days", type=float, default=90.0, help="change-feed history kept")
    serve.set_defaults(handler=cmd_serve)

    token = commands.add_parser("enrol-token", help="print a single-use enrolment token (valid 24 h)")
    token.add_argument("--db", required=True, help=db_help)
    token.add_argument("--station", required=True)
    token.add_argument("--kiosk", required=True, help="the kiosk id (or the station service's id, with --role station)")
    token.add_argument("--role", default="kiosk", choices=["kiosk", "station"],
                       help="station: for the station service, which relays its kiosks' ops (default kiosk)")
    token.set_defaults(handler=cmd_enrol_token)

    catalogue = commands.add_parser("import-catalogue", help="import the district catalogue (JSON)")
    catalogue.add_argument("--db", required=True, help=db_help)
    catalogue.add_argument("--retention-days", type=float, default=90.0, help="change-feed history kept")
    catalogue.add_argument("file")
    catalogue.set_defaults(handler=cmd_import_catalogue)

    add_commands(commands, db_help, lambda handler: lambda args: handler(args, _sessions, CliError))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliError as exc:
        print(f"district-server: {exc}", file=sys.stderr)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        print(f"district-server: database {args.db!r} unreachable or unusable: {reason}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(f"district-server: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
