"""`kiosk doctor`: device checks for technicians, as readable text or (with --json) one JSON object.

Exit codes: 0 ready · 3 no card within the time-out · 4 reader or protocol failure · 5 printer not
ready. `sim://` devices are for trying the commands without hardware: the simulated reader has a
sample card laid on it, and the simulated printer's test receipt is saved as a PNG to look at.
"""

from __future__ import annotations

import json

from pathlib import Path

SAMPLE_CARD = "resident"
READER_ERRORS = {
    "no_card": "no card was laid within the time-out: lay the card flat on the reader, photo side down",
    "port_unavailable": "the port cannot be opened: wrong name, unplugged, or held by the running kiosk "
                        "(stop kiosk-session first)",
    "no_reply": "nothing answers on that port: the reader is off, or it is another device, or another baud rate",
    "unsupported_reader": "the device answers, but not as a supported ID card reader",
    "framing_error": "the replies are garbled: check the baud rate and the cable",
    "sam_failure": "the reader's security module reports a fault: the reader needs service",
    "card_read_failed": "the card could not be read: lay it again, or try another card",
    "protocol_error": "the reader broke the protocol: note the detail and report it",
    "bad_text_block": "the card's text could not be decoded: try another card",
}
CARD_FIELDS = (("card_type", "card type"), ("name", "name"), ("gender", "gender"), ("birth", "born"),
               ("id_number", "ID number"), ("valid_to", "valid until"))


def cmd_doctor(config, args) -> int:
    if args.doctor_command == "all":
        from kiosk.fieldsetup.doctor import doctor_all

        report, code = doctor_all(config)
        print(json.dumps(report, ensure_ascii=False), flush=True)
        return code
    if args.doctor_command == "idcard":
        report, code, text = _idcard(args)
    else:
        report, code, text = _printer(config, args)
    print(json.dumps(report, ensure_ascii=False) if args.json else text, flush=True)
    return code


def _idcard(args) -> tuple[dict, int, str]:
    from drivers.idcard.doctor import doctor_idcard

    port, note = args.port, ""
    if port.rstrip("/") == "sim:":
        port, note = f"sim://?card={SAMPLE_CARD}", "simulated reader: a sample card is laid on it\n"
    report, code = doctor_idcard(port, baudrate=args.baud, timeout=args.timeout, reveal=args.reveal)
    if code == 0:
        lines = [f"reader {args.port}: ready, card read"]
        lines += [f"  {label}: {report[key]}" for key, label in CARD_FIELDS if report.get(key)]
        if not args.reveal:
            lines.append("  (masked; --reveal shows the card in full, for the card holder's eyes only)")
    else:
        error = report.get("error", "")
        lines = [f"reader {args.port}: {READER_ERRORS.get(error, error)}"]
        if report.get("detail"):
            lines.append(f"  detail: {report['detail']}")
    return report, code, note + "\n".join(lines)


def _printer(config, args) -> tuple[dict, int, str]:
    from drivers.printer.doctor import doctor_printer

    from kiosk.app import printer_url

    url = printer_url(config, args.printer)  # sim://: the receipt is kept as a picture to look at
    report, code = doctor_printer(url, test_print=args.test_print)
    image = _newest_png(url) if report.get("printed") else None
    if image:
        report["image"] = str(image)
    shown = args.printer or config.devices.printer
    if code == 0:
        text = f"printer {shown}: ready (paper {report['paper']})"
        if report.get("printed"):
            text += f"\n  test receipt printed ({report['bytes']} bytes)" + (f"; its picture: {image}" if image else "")
    else:
        state = []
        if report.get("paper") in ("out", "near_end"):
            state.append({"out": "out of paper", "near_end": "paper nearly out"}[report["paper"]])
        if report.get("cover_open"):
            state.append("cover open")
        text = f"printer {shown}: not ready: {', '.join(state) or report.get('error') or 'no status'}"
    return report, code, text


def _newest_png(url: str) -> Path | None:
    from urllib.parse import parse_qs, urlsplit

    if not url.startswith("sim:"):
        return None
    folder = parse_qs(urlsplit(url).query).get("dir", [""])[-1]
    pictures = sorted(Path(folder).glob("*.png")) if folder else []
    return pictures[-1] if pictures else None


