"""Composition root: the only place that builds concrete objects from the configuration."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from kiosk.config import Config
from kiosk.config.paths import lock_path, secret_path
from kiosk.domain.numbering import NumberingScheme, business_date
from kiosk.services.issue_ticket import IssuePolicy
from kiosk.version import app_version


def numbering_scheme(config: Config) -> NumberingScheme:
    n = config.numbering
    return NumberingScheme(mode=n.mode, first=n.first, last=n.last, letter=n.letter)


def issue_policy(config: Config) -> IssuePolicy:
    return IssuePolicy(station_id=config.kiosk.station_id, scheme=numbering_scheme(config),
                       rollover_hour=config.kiosk.day_rollover_hour,
                       check_opening_hours=config.kiosk.check_opening_hours)


def station_clock(config: Config):
    """Now, in the station's time zone."""
    return partial(datetime.now, config.tz)


def today(config: Config):
    return business_date(station_clock(config)(), config.kiosk.day_rollover_hour)


def open_store(config: Config):
    """Open the local store (migrating it) and seed the catalogue on first start."""
    from kiosk.store.store import Store

    store = Store(config.database_path)
    try:
        store.seed_catalogue(config.catalogue.file)
    except BaseException:
        store.close()
        raise
    return store


def ticket_url(config: Config, ticket) -> str:
    """The URL in the ticket's QR code: its phone page, ``{token}`` being its public_token. The
    district's template (config item ``ticket_url``, read with the ticket at issue) comes first;
    ``kiosk.ticket_url`` is the fallback (docs/phone-page.md)."""
    template = getattr(ticket, "page_url", None) or config.kiosk.ticket_url
    return template.format(token=getattr(ticket, "public_token", None) or "", station_id=ticket.station_id,
                           ticket_id=ticket.ticket_id, number=ticket.number)


def printer_url(config: Config, url: str | None = None) -> str:
    """``url``, else the configured printer; the simulated printer keeps its receipts (bytes and
    preview) in the data directory."""
    url = url or config.devices.printer
    if url == "sim://":
        return f"sim://?dir={config.kiosk.data_dir / 'printed'}"
    return url


def open_card_reader(config: Config):
    url = config.devices.idcard
    if url.startswith("none:"):
        raise LookupError("no ID card reader is configured (devices.idcard = none://)")
    from drivers.idcard import open_reader

    return open_reader(url)


def open_sync_store(config: Config):
    """The sync client's view of the local store, with the enrolment secret beside it."""
    from kiosk.store.sync_store import SqliteSyncStore

    return SqliteSyncStore.open(config.database_path, secret_path(config))


def sync_runner(config: Config, store, *, max_attempts: int, clock=None):
    """A sync runner over `store`. The retention period counts days of the station's calendar (the
    date part of the ops' created_at, written in the station's time zone)."""
    from sync.client.runner import RunOptions, build_runner

    options = RunOptions(app_version=app_version(), max_attempts=max_attempts,
                         retention_days=config.sync.retention_days, today=lambda: datetime.now(config.tz).date())
    extra = {"clock": clock} if clock is not None else {}
    return build_runner(store, lock_path=lock_path(config), app_version=app_version(),
                        server_url=config.sync.server or None, options=options, ca_file=config.sync.ca_file, **extra)


def fetch_station_queue(store, transport) -> dict | None:
    """Behind a station service: its queue view (waiting counts, estimates, tickets just served),
    kept in the local store for the screens; None (and nothing kept) where the server has no
    queue (the district) or cannot be asked now."""
    from sync.client.transport import Refused, TransportError

    try:
        view = transport.get(f"/v1/kiosks/{transport.kiosk_id}/queue")
    except Refused as exc:
        if exc.status == 404:
            store.save_station_queue(None)
        return None
    except TransportError:
        return None
    store.save_station_queue(view)
    return view


RATING_CHECK_CONNECT_S = 2.0  # a resident is waiting at the screen: not the sync run's 5 s
RATING_CHECK_READ_S = 3.0


def rating_check_transport(config: Config):
    """A signed transport to this kiosk's sync server (the station service, or the district) with
    short time-outs, for the rating check. Raises NotEnrolled until `kiosk setup` has run."""
    from sync.client.runner import NotEnrolled
    from sync.client.transport import Transport

    if not secret_path(config).exists():
        raise NotEnrolled("this kiosk is not enrolled: run `kiosk setup --server URL --token TOKEN`")
    store = open_sync_store(config)
    try:
        enrolment = store.load_enrolment()
    finally:
        store.close()
    if enrolment is None:
        raise NotEnrolled("this kiosk is not enrolled: run `kiosk setup --server URL --token TOKEN`")
    return Transport(config.sync.server or enrolment.server_url, enrolment.kiosk_id, enrolment.secret,
                     connect_timeout=RATING_CHECK_CONNECT_S, read_timeout=RATING_CHECK_READ_S,
                     ca_file=config.sync.ca_file)


def ask_rating_check(transport, number: str, business_date: str, holder: dict) -> dict:
    """``POST /v1/kiosks/{id}/rating-check``: may the holder of today's ticket ``number`` rate it?
    The server's answer ({"ok": true, "ticket_id", …} or {"ok": false, "code", "words"}); raises a
    TransportError when there is none."""
    return transport.post(f"/v1/kiosks/{transport.kiosk_id}/rating-check",
                          {"number": number, "business_date": business_date, "holder": holder})


def keep_station_queue(runner) -> dict | None:
    """After a sync run, on the sync worker's thread: the station's queue view into the local store."""
    return fetch_station_queue(runner.port, runner.transport)


def printer_word(status) -> str:
    """A drivers.printer PrinterStatus in the heartbeat's one word."""
    from sync.protocol.heartbeat import printer_state

    return printer_state(status.online, status.paper, status.cover_open, status.error)


def printer_probe(config: Config):
    """Asks the configured printer itself (``kiosk sync --follow``: no window owns it)."""
    if config.devices.printer.startswith("none:"):
        return lambda: "absent"

    def ask() -> str:
        from drivers.printer import open_printer

        printer = open_printer(printer_url(config))
        try:
            return printer_word(printer.status())
        finally:
            printer.close()

    return ask


def reader_word(config: Config) -> str:
    """The card reader as ``kiosk sync --follow`` knows it: absent, simulated, or not its to ask."""
    url = config.devices.idcard
    return "absent" if url.startswith("none:") else "ok" if url.startswith("sim:") else "unknown"


def heartbeat(config: Config, printer=None, reader=None):
    """The heartbeat sent after each good sync run (sync.client.heartbeat); ``printer`` and
    ``reader`` say each device's state (by default: asked as ``kiosk sync --follow`` asks)."""
    from sync.client.heartbeat import Heartbeat

    return Heartbeat(app_version=app_version(), data_dir=config.kiosk.data_dir,
                     printer=printer or printer_probe(config), reader=reader or partial(reader_word, config),
                     probe_every_s=max(1.0, min(60.0, float(config.sync.interval_seconds))))


class DeviceWords:
    """The kiosk window's devices as its workers last reported them (set from their threads)."""

    def __init__(self, config: Config):
        self.printer = "unknown"
        self.reader = reader_word(config)

    def printer_status(self, status) -> None:
        self.printer = printer_word(status)

    def reader_failed(self, kind: str, _detail: str) -> None:
        if kind != "card_read_failed":  # a resident's card misread is not the reader's fault
            self.reader = "offline"

    def reader_ready(self) -> None:
        self.reader = "ok"


def after_sync_run(beat, runner) -> dict | None:
    """After a good sync run of the window's sync worker: the station's queue view, then the heartbeat."""
    view = keep_station_queue(runner)
    beat.after_sync(runner.port, runner.transport)
    return view


def open_sync_runner(config: Config, *, max_attempts: int = 1):
    """A runner over a store connection of its own, for the sync worker's thread.

    One attempt per request: the worker's timer does the backing off, so its thread never sleeps
    and shutdown never waits for a retry. Raises NotEnrolled until `kiosk setup` has run.
    """
    store = open_sync_store(config)
    try:
        return sync_runner(config, store, max_attempts=max_attempts)
    except BaseException:
        store.close()
        raise


def build_bridge(config: Config):
    from kiosk.qt.bridge import KioskBridge
    from kiosk.qt.card_router import CardRouter
    from kiosk.qt.card_worker import CardWorker
    from kiosk.qt.printer_worker import PrinterWorker
    from kiosk.qt.store_worker import StoreWorker

    def make_printer():
        from drivers.printer import open_printer

        return open_printer(printer_url(config))

    store_worker = StoreWorker(partial(open_store, config), issue_policy(config), station_clock(config),
                               partial(today, config))
    card_worker = CardWorker(partial(open_card_reader, config), CardRouter(*resident_policy(config)),
                             poll_ms=config.devices.idcard_poll_ms)
    sync_worker = rating_checker = None
    if config.sync.server or secret_path(config).exists():
        from kiosk.qt.rating_check import RatingCheckWorker
        from kiosk.qt.sync_worker import SyncWorker

        words = DeviceWords(config)
        beat = heartbeat(config, printer=lambda: words.printer, reader=lambda: words.reader)
        sync_worker = SyncWorker(partial(open_sync_runner, config), interval_s=config.sync.interval_seconds,
                                 after_run=partial(after_sync_run, beat))
        rating_checker = RatingCheckWorker(partial(rating_check_transport, config), ask_rating_check)
    printer_worker = PrinterWorker(make_printer)
    if sync_worker is not None:
        printer_worker.printer_status_changed.connect(words.printer_status)
        card_worker.reader_failed.connect(words.reader_failed)
        card_worker.reader_ready.connect(words.reader_ready)
    return KioskBridge(store_worker, printer_worker, card_worker, sync_worker, rating_checker)


def resident_policy(config: Config):
    """What the identify use case needs: today, the elderly age and the district digest key."""
    return partial(today, config), config.kiosk.elderly_age, bytes.fromhex(config.kiosk.id_digest_key)


def main_window(config: Config, bridge, sizes, *, kiosk_mode: bool):
    from kiosk.ui.main_window import MainWindow
    from kiosk.ui.screens.technician import ENROLLED

    window = MainWindow(bridge, clock=station_clock(config), sizes=sizes, station_id=config.kiosk.station_id,
                        qr_url=partial(ticket_url, config), kiosk_mode=kiosk_mode,
                        resident_policy=resident_policy(config), idle_seconds=config.kiosk.idle_seconds,
                        letter_numbers=config.numbering.mode == "letter",
                        technician={"pin_hash": config.kiosk.technician_pin_hash, "kiosk_id": config.kiosk.id,
                                    "version": app_version,
                                    "sync_server": config.sync.server or (ENROLLED if bridge.sync is not None else "")})
    window.first_frame_painted.connect(after_first_frame)
    return window


WARM_UP_DELAY_MS = 300  # after the first frame is on screen and reported, before a resident can act


def after_first_frame() -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(WARM_UP_DELAY_MS, warm_up)


def warm_up() -> None:
    """Once home is on screen and before any resident touches it: pay the first-use costs of the
    ticket screen, then keep what start-up built out of the cyclic garbage collector.

    Measured on the UI thread: the first ticket's QR code took 62 ms (importing qrcode and Pillow,
    building its tables), and a full collection over everything imported and built 60-130 ms,
    holding every Python thread while it ran. Frozen, a collection walks only what came since.
    """
    import gc

    from kiosk.ui.widgets import qr_matrix

    qr_matrix("https://example.org/t/warm-up")
    gc.freeze()


def run_window(config: Config, *, demo: bool, offscreen: bool, quit_after_first_frame: bool, size: str) -> int:
    from kiosk.ui import launch

    app = launch.make_application(offscreen)
    bridge = build_bridge(config)

    panel = []

    def window_factory(sizes):
        window = main_window(config, bridge, sizes, kiosk_mode=not demo)
        simulated = {config.devices.idcard.partition(":")[0], config.devices.printer.partition(":")[0]} == {"sim"}
        if demo and simulated and not offscreen:
            from kiosk.ui.demo_panel import DemoPanel

            panel.append(DemoPanel(bridge))
            window.first_frame_painted.connect(lambda: panel[0].show_beside(window))
        return window

    code = launch.run_window(app, window_factory, bridge, fullscreen=not demo and not offscreen,
                             size=launch.parse_size(size), quit_after_first_frame=quit_after_first_frame)
    if quit_after_first_frame and code == 0:
        smoke_check(config)
    return code


def smoke_check(config: Config) -> None:
    """What the kiosk opens after its first frame, opened now: the store (StoreUnavailable, exit 4)
    and the catalogue (CatalogueFileError, exit 2). The watchdog's and the installer's check."""
    store = open_store(config)
    try:
        store.catalogue()
    finally:
        store.close()


def capture_screens(config: Config, out_dir, size: str) -> list:
    """Show the real window, walk every screen in Chinese, English and elder mode, save a PNG of each."""
    from kiosk.ui import launch, screenshots
    from kiosk.ui.theme import Sizes

    app = launch.make_application(offscreen=False)
    width, height = launch.parse_size(size)
    sizes = Sizes(min(width, height), portrait=height > width)
    app.setStyleSheet(launch.stylesheet(sizes))
    bridge = build_bridge(config)
    window = main_window(config, bridge, sizes, kiosk_mode=False)
    window.setFixedSize(width, height)  # a kiosk screen of that size: a screen that needs more is reported
    window.show()
    bridge.start()
    try:
        if not screenshots.cjk_font_present():
            raise screenshots.ScreenshotError("no CJK font is installed (fonts-wqy-microhei): Chinese would draw as boxes")
        return screenshots.capture(window, bridge, out_dir)
    finally:
        bridge.stop()
        window.close()
