"""`kiosk demo` only: one demo ticket and its phone page. Once the demo's district and station are
up, the kiosk syncs (bringing the district's ``ticket_url``), issues one ticket, sends it, and the
terminal shows the ticket's QR code and the URL of its page on the demo district server, the page a
resident's phone opens from the printed ticket (docs/phone-page.md)."""

from __future__ import annotations

import io
import sys
import time
from typing import TextIO

import requests

WAIT_S = 15.0


def _sync(config) -> None:
    from kiosk.commands.sync import run_sync

    run_sync(config, True, False, False, start_spread_s=0, out=io.StringIO(), err=io.StringIO(), max_attempts=2)


def issue_demo_ticket(config, district_url: str):
    """Sync until the district's page URL has come down (or WAIT_S), issue a ticket, send it up."""
    from kiosk import app
    from kiosk.services.issue_ticket import IssueRequest, issue_ticket
    from kiosk.store.tickets import district_page_url

    deadline = time.monotonic() + WAIT_S
    store = app.open_store(config)
    try:
        while True:
            _sync(config)
            template = district_page_url(store.db)
            if (template and template.startswith(district_url)) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        catalogue = store.catalogue()
        ticket = issue_ticket(store, catalogue, app.issue_policy(config),
                              IssueRequest(service_code=catalogue.services[0].code), app.station_clock(config))
    finally:
        store.close()
    _sync(config)
    return ticket


def show_demo_page(config, district_url: str, out: TextIO = sys.stderr) -> str | None:
    """Issue the demo ticket and print its QR code and page URL; returns the URL (None on failure)."""
    import qrcode

    from kiosk import app

    try:
        ticket = issue_demo_ticket(config, district_url)
    except Exception as exc:  # the demo goes on without its phone page
        print(f"kiosk: no demo phone page: {exc}", file=out)
        return None
    url = app.ticket_url(config, ticket)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.3)
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    code.print_ascii(out=out, invert=True)
    print(f"kiosk: demo ticket {ticket.number}: scan the QR code above or open its phone page {url}", file=out)
    return url


__all__ = ["issue_demo_ticket", "show_demo_page"]
