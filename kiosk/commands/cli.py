"""The `kiosk` command. Heavy modules are imported inside the commands that need them.

Exit codes: 0 done · 2 bad configuration or arguments · 3 refused (unknown service, station
closed, number block exhausted) · 4 local store unavailable (disk full, read-only, corrupt).
`kiosk doctor` has its own: 3 no card within the time-out, 4 reader or protocol failure,
5 printer not ready. `kiosk sync`: 2 not enrolled, 3 another run holds the lock, 4 store
unavailable, 5 server unreachable, 6 refused, 7 days still mismatched after re-sending, 8 ops rejected.
`kiosk store recover`: 0 rebuilt, 2 not enrolled, 4 store cannot be written, 5 server unreachable,
6 refused.
`kiosk setup` (kiosk/fieldsetup/wizard.py): 1 end of input in the wizard, 2 bad argument, 4 cannot write,
5 server unreachable, 6 enrolment refused, 8 device test failed, 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

EXIT_CONFIG = 2
EXIT_REFUSED = 3
EXIT_STORE = 4


class CommandError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def _version() -> str:
    from kiosk.version import app_version

    return app_version()


class _VersionAction(argparse.Action):
    """--version, looked up only when asked (importlib.metadata is slow to import at start-up)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"kiosk {_version()}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Service-circle kiosk (10分钟政务服务圈)")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument("--config", help="configuration file (TOML)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, text in (("demo", "the kiosk in a window with simulated devices"),
                       ("run", "the kiosk fullscreen, from the configuration")):
        p = commands.add_parser(name, help=text)
        p.add_argument("--offscreen", action="store_true", help="no window system (tests, benchmarks)")
        p.add_argument("--quit-after-first-frame", action="store_true",
                       help="print {first_frame_ms, rss_mb} once the home screen is painted, then exit")
        p.add_argument("--size", default="1280x800", type=_size, help="window size in demo mode, WxH")

    ticket = commands.add_parser("ticket", help="issue or list tickets without the UI")
    ticket_commands = ticket.add_subparsers(dest="ticket_command", required=True, metavar="ACTION")
    issue = ticket_commands.add_parser("issue", help="issue tickets; one JSON line each, after commit")
    issue.add_argument("--service", required=True, help="service code (see `kiosk catalogue list`)")
    issue.add_argument("--count", type=_positive, default=1)
    issue.add_argument("--interval", type=float, default=0.0, metavar="SECONDS",
                       help="pause between tickets (load and crash tests)")
    listing = ticket_commands.add_parser("list", help="the tickets of a business day")
    listing.add_argument("--date", type=_iso_date, help="YYYY-MM-DD (default: today's business day)")
    listing.add_argument("--json", action="store_true", required=True)

    shots = commands.add_parser("screenshots", help="walk the screens in a real window and save PNGs")
    shots.add_argument("--out", required=True, help="folder for the PNG files")
    shots.add_argument("--size", default="1920x1080", type=_size, help="window size, WxH")

    doctor = commands.add_parser("doctor", help="diagnose devices on site (technicians)")
    doctor_commands = doctor.add_subparsers(dest="doctor_command", required=True, metavar="DEVICE")
    idcard = doctor_commands.add_parser("idcard", help="wait for one ID card and print what was read")
    idcard.add_argument("--port", required=True,
                        help="serial port, e.g. /dev/ttyUSB0; sim:// is a simulated reader with a sample card laid")
    idcard.add_argument("--baud", type=_positive, default=115200)
    idcard.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    idcard.add_argument("--reveal", action="store_true", help="show name, address and ID number unmasked")
    idcard.add_argument("--json", action="store_true", help="one JSON object instead of text")
    printer = doctor_commands.add_parser("printer", help="printer status, and a test print when ready")
    printer.add_argument("--printer", help="device URL (default: devices.printer from the configuration)")
    printer.add_argument("--test-print", action="store_true", help="print a sample ticket (打印测试) when ready")
    printer.add_argument("--json", action="store_true", help="one JSON object instead of text")
    everything = doctor_commands.add_parser("all", help="devices, disk, clock, sync queue and recent errors")
    everything.add_argument("--json", action="store_true", required=True)

    sync = commands.add_parser("sync", help="one sync run with the district server (push, pull; --reconcile nightly)")
    sync.add_argument("--now", action="store_true", help="start at once, not at this kiosk's start offset")
    sync.add_argument("--reconcile", action="store_true",
                      help="compare per-day counts and digests; re-send days that differ")
    sync.add_argument("--follow", action="store_true",
                      help="keep running: sync at once after every local commit and on the interval, until stopped")
    setup = commands.add_parser("setup", help="first-boot wizard: devices, enrolment, configuration (technicians)",
                                description="Without --server and --token, on a terminal: the wizard. With them: "
                                            "enrol; with any of --station, --idcard, --printer, --write, --test also "
                                            "write the configuration, as the wizard does.")
    setup.add_argument("--server", help="district server URL")
    setup.add_argument("--token", help="token from `district-server enrol-token`")
    setup.add_argument("--kiosk-id", help="default: kiosk.id from the configuration")
    setup.add_argument("--station", help="kiosk.station_id to write")
    setup.add_argument("--idcard", metavar="PORT|URL",
                       help="ID card reader: /dev/ttyUSB0, serial://…?baudrate=N or none://")
    setup.add_argument("--printer", metavar="DEVICE|URL",
                       help="printer: /dev/usb/lp0, tcp://HOST:9100, serial://…, usb://VID:PID")
    setup.add_argument("--write", metavar="PATH",
                       help="configuration file to update (default: --config, else /etc/kiosk/kiosk.toml)")
    setup.add_argument("--test", action="store_true", help="test the reader and print a test receipt before enrolling")

    store = commands.add_parser("store", help="the local store (technicians)")
    store_commands = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    store_commands.add_parser("recover", help="rebuild a lost store from the district: numbering resumes after "
                                             "the last number this kiosk issued")

    for name in ("station-service", "counter-service"):
        station = commands.add_parser(name, help="the station service: its kiosks' sync server, counter console, "
                                      "hall display, window rating pads, and the link to the district"
                                      + (" (old name of station-service)" if name == "counter-service" else ""))
        station.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve the station network")
        station.add_argument("--port", type=_positive, default=8470)
    cert = commands.add_parser("station-cert", help="https on the station LAN: a self-signed certificate for the "
                               "station service, set in the configuration")
    cert.add_argument("--host", required=True, help="the station's host name on the LAN")
    cert.add_argument("--ip", help="the station's LAN address, if kiosks use it")
    cert.add_argument("--write", metavar="PATH", help="configuration file to update (default: --config)")
    counter_add = commands.add_parser("counter-add", help="add or replace a counter; its PIN is read from stdin")
    counter_add.add_argument("counter_id")
    counter_add.add_argument("name")
    counter_add.add_argument("--services", nargs="*", default=[], metavar="CODE")

    commands.add_parser("pin-hash", help="read a technician PIN on standard input, print its hash for the config")

    catalogue = commands.add_parser("catalogue", help="the service catalogue")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    cat_list = catalogue_commands.add_parser("list", help="services with their codes and names")
    cat_list.add_argument("--json", action="store_true", required=True)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def _size(text: str) -> str:
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and 480 <= int(width) <= 7680 and 480 <= int(height) <= 7680):
        raise argparse.ArgumentTypeError(f"{text!r} is not a window size like 1280x800 (480 to 7680 each side)")
    return text.lower()


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD") from None


def _emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_ticket_issue(config, args) -> int:
    from kiosk import app
    from kiosk.services.issue_ticket import IssueRequest, issue_ticket

    store = app.open_store(config)
    try:
        catalogue = store.catalogue()
        policy = app.issue_policy(config)
        clock = app.station_clock(config)
        for i in range(args.count):
            if i and args.interval > 0:
                time.sleep(args.interval)
            ticket = issue_ticket(store, catalogue, policy, IssueRequest(service_code=args.service), clock)
            _emit(ticket.summary())
    finally:
        store.close()
    return 0


def cmd_ticket_list(config, args) -> int:
    from kiosk import app

    store = app.open_store(config)
    try:
        _emit(store.tickets_of_day(args.date or app.today(config)))
    finally:
        store.close()
    return 0


def cmd_catalogue_list(config, args) -> int:
    from kiosk import app

    store = app.open_store(config)
    try:
        catalogue = store.catalogue()
    finally:
        store.close()
    _emit([{"code": s.code, "name": s.name, "name_en": s.name_en, "category": s.category,
            "prefix": s.prefix} for s in catalogue.services])
    return 0


def cmd_window(config, args) -> int:
    """`kiosk demo` starts a local district server and station service beside the window (unless
    the configuration names a server); `kiosk run` and the first-frame measurement do not."""
    from kiosk.app import run_window

    demo = args.command == "demo"
    if not demo:
        from kiosk.config import demo_secrets_in

        public = demo_secrets_in(config)
        if public:
            print(f"kiosk: {', '.join(public)} in {config.source} is the demo's, which anyone can read: `kiosk run` "
                  "needs this kiosk's own (a PIN hash from `kiosk pin-hash`, a digest key from the district)",
                  file=sys.stderr)
            return EXIT_CONFIG
        if not config.kiosk.technician_pin_hash:
            print(f"kiosk: kiosk.technician_pin_hash is not set in {config.source}: run `sudo kiosk setup` on the "
                  "kiosk's console first (it asks for the technician PIN)", file=sys.stderr)
            return EXIT_CONFIG
    demo_server = None
    if demo and not args.quit_after_first_frame and not config.sync.server:
        from kiosk.commands.demo_station import start_demo_station

        demo_server = start_demo_station(config)
    try:
        return run_window(config, demo=demo, offscreen=args.offscreen,
                          quit_after_first_frame=args.quit_after_first_frame, size=args.size)
    finally:
        if demo_server is not None:
            demo_server.stop()


def cmd_counter_add(config, args) -> int:
    from kiosk import app
    from kiosk.counter.accounts import add_counter

    store = app.open_store(config)
    try:
        _emit(add_counter(store.db, args.counter_id, args.name, sys.stdin.readline().strip(), args.services))
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    finally:
        store.close()
    return 0


def cmd_pin_hash() -> int:
    from kiosk.domain.pin import hash_pin

    pin = sys.stdin.readline().strip()
    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _run(args) -> int:
    from kiosk.config import load

    if args.command == "pin-hash":
        return cmd_pin_hash()
    if args.command == "setup":
        from kiosk.fieldsetup.wizard import setup_command

        return setup_command(args)

    config = load(args.config)
    if args.command == "ticket":
        return cmd_ticket_issue(config, args) if args.ticket_command == "issue" else cmd_ticket_list(config, args)
    if args.command == "catalogue":
        return cmd_catalogue_list(config, args)
    if args.command == "doctor":
        from kiosk.commands.doctor import cmd_doctor

        return cmd_doctor(config, args)
    if args.command in ("station-service", "counter-service"):
        from kiosk import app
        from kiosk.station.service import serve_station

        return serve_station(config, args.host, args.port, open_store=app.open_store,
                             open_sync_store=app.open_sync_store, clock=app.station_clock(config))
    if args.command == "store":
        from kiosk.commands.store_recover import recover_store

        return recover_store(config)
    if args.command == "counter-add":
        return cmd_counter_add(config, args)
    if args.command == "station-cert":
        from pathlib import Path

        from kiosk.commands.station_cert import make_station_cert

        return make_station_cert(config, args.host, args.ip, write=Path(args.write or config.source))
    if args.command == "sync" and args.follow:
        from kiosk.commands.sync_follow import follow

        return follow(config)
    if args.command == "sync":
        from kiosk.commands.sync import run_sync

        return run_sync(config, now=args.now, reconcile=args.reconcile, progress=sys.stderr.isatty(),
                        start_spread_s=config.sync.start_spread_seconds)
    if args.command == "screenshots":
        from pathlib import Path

        from kiosk.app import capture_screens

        for path in capture_screens(config, Path(args.out), args.size):
            print(path)
        return 0
    return cmd_window(config, args)


def _refusal_code(exc: BaseException) -> int | None:
    from kiosk.config import ConfigError
    from kiosk.domain.errors import kind_of
    from kiosk.domain.hours import StationClosed
    from kiosk.domain.numbering import NumberBlockExhausted
    from kiosk.services.issue_ticket import UnknownService
    from kiosk.store.catalogue import CatalogueFileError
    from kiosk.store.engine import StoreUnavailable

    if isinstance(exc, (ConfigError, CatalogueFileError)):
        return EXIT_CONFIG
    if isinstance(exc, (UnknownService, StationClosed, NumberBlockExhausted)):
        return EXIT_REFUSED
    if isinstance(exc, StoreUnavailable):
        return EXIT_STORE
    if kind_of(exc, "") == "screenshots_not_taken":  # kiosk.ui.screenshots.ScreenshotError
        return 1
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        code = _refusal_code(exc)
        if code is None:
            raise
        print(f"kiosk: {exc}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
