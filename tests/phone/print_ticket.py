"""Run as `python print_ticket.py CONFIG`: issue one ticket on the kiosk of CONFIG and print it on
its simulated printer, as the kiosk's ticket flow does (issue, the QR code's URL, the slip, the
receipt); prints one JSON line: the ticket, the URL in its QR code and the printer's PNG."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kiosk import app
from kiosk.config import load
from kiosk.services.issue_ticket import IssueRequest, issue_ticket
from kiosk.services.print_ticket import ticket_slip


def main(config_path: str) -> None:
    from drivers.printer import open_printer
    from drivers.printer.receipts import ticket_receipt

    config = load(config_path)
    store = app.open_store(config)
    try:
        catalogue = store.catalogue()
        ticket = issue_ticket(store, catalogue, app.issue_policy(config), IssueRequest(service_code="SB-KSL"),
                              app.station_clock(config))
        service = catalogue.queue_item(ticket.service_code)
        station = catalogue.station(ticket.station_id)
    finally:
        store.close()
    url = app.ticket_url(config, ticket)
    folder = Path(config.kiosk.data_dir) / "printed"
    before = set(folder.glob("*.png")) if folder.exists() else set()
    with open_printer(app.printer_url(config)) as printer:
        printer.print_document(ticket_receipt(ticket_slip(ticket, service, station, url)))
    deadline = time.monotonic() + 20
    while not (set(folder.glob("*.png")) - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    png = sorted(set(folder.glob("*.png")) - before)
    print(json.dumps({"ticket_id": ticket.ticket_id, "number": ticket.number, "url": url,
                      "png": str(png[-1]) if png else None}))


if __name__ == "__main__":
    main(sys.argv[1])
