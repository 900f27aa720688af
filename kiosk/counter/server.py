"""The station queue service: a separate process on the kiosk machine, sharing the local store.

``create_counter_app`` builds the FastAPI app (console at /, hall display at /display, the window
rating pad at /pad, JSON API under /api/); ``serve_counter`` runs it with uvicorn from the kiosk configuration
(``kiosk counter-service --host 0.0.0.0 --port 8470``). The station's time zone, and so its
business day, is the configuration's (``kiosk.timezone``).
"""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Callable

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kiosk.counter import guard
from kiosk.counter.announce import Announcer
from kiosk.counter.api import build_router
from kiosk.counter.desk import Desk
from kiosk.counter.live import Hub
from kiosk.domain.calling import CallRatio

STATIC = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_counter_app(store_path: Path, *, tz: tzinfo, clock: Callable[[], datetime] | None = None,
                       rollover_hour: int = 4, ratio: CallRatio | None = None,
                       station_name: str = "便民服务中心", poll_seconds: float = 0.1,
                       announcer: Announcer | None = None) -> FastAPI:
    """The queue service over the store at ``store_path`` (already migrated by the kiosk).

    ``clock`` gives the station's now; without one, the time now in ``tz``."""
    desk = Desk(Path(store_path), clock or partial(datetime.now, tz),
                rollover_hour=rollover_hour, ratio=ratio, station_name=station_name)
    hub = Hub(desk.open_store, desk.display_state, poll_seconds=poll_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()

    app = FastAPI(title="站点叫号服务", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = desk
    app.state.hub = hub
    app.state.announcer = announcer = announcer or Announcer()
    app.include_router(build_router(desk, hub, announcer))
    guard.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def security_headers(request, call_next):
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.get("/", include_in_schema=False)
    def console():
        return FileResponse(STATIC / "console.html", headers={"Cache-Control": "no-store"})

    @app.get("/display", include_in_schema=False)
    def display():
        return FileResponse(STATIC / "display.html", headers={"Cache-Control": "no-store"})

    @app.get("/pad", include_in_schema=False)
    def pad():
        return FileResponse(STATIC / "pad.html", headers={"Cache-Control": "no-store"})

    return app


def counter_app_for(config, *, open_store, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The queue service of the kiosk configured by ``config``: its store, station name, business
    day rollover and time zone (``config.tz``).

    ``open_store`` (and a ``clock``, if not the time now in ``config.tz``) come from the
    composition root (kiosk.app).
    """
    store = open_store(config)  # migrates and seeds the catalogue on a first start
    try:
        station = store.catalogue().station(config.kiosk.station_id)
    finally:
        store.close()
    languages = ("zh", "en") if config.station.announce_english else ("zh",)
    return create_counter_app(config.database_path, tz=config.tz, clock=clock,
                              rollover_hour=config.kiosk.day_rollover_hour,
                              station_name=station.name if station is not None else "便民服务中心",
                              announcer=Announcer(languages=languages))


def serve_counter(config, host: str, port: int, *, open_store, clock: Callable[[], datetime] | None = None) -> int:
    """Run the queue service (`counter_app_for`) until SIGINT/SIGTERM. Returns the exit code."""
    counter_app = counter_app_for(config, open_store=open_store, clock=clock)
    return run_uvicorn(counter_app, counter_app.state.hub, host, port, name="counter-service")


def run_uvicorn(app, hub: Hub, host: str, port: int, *, name: str, tls: tuple[str, str] | None = None) -> int:
    """Serve ``app`` on the station network until SIGINT/SIGTERM; ``hub``'s streams end first.
    ``tls``: (certificate, key) PEM files for https."""
    import resource

    import uvicorn

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # many idle sockets must not starve the console
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            hub.close_threadsafe()  # end the display streams so shutdown does not wait for them
            super().handle_exit(sig, frame)

    server = Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                   timeout_graceful_shutdown=3, lifespan="on", timeout_keep_alive=5,
                                   proxy_headers=False,  # no proxy in front: X-Forwarded-For is no address
                                   h11_max_incomplete_event_size=16 * 1024,
                                   **({"ssl_certfile": tls[0], "ssl_keyfile": tls[1]} if tls else {})))
    try:
        server.run()
    except OSError as exc:
        print(f"{name}: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0 if server.started else 1
