"""On-site printer check for technicians: status, and optionally a test print.

    python -m drivers.printer.doctor --printer tcp://10.0.0.5:9100 --test-print --json
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from .errors import PrinterError
from .printer import open_printer
from .receipts import test_receipt

EXIT_READY = 0
EXIT_NOT_READY = 5


def doctor_printer(url: str, test_print: bool = False) -> tuple[dict, int]:
    """({"online", "paper", "cover_open", "printed", "bytes", "error"}, exit code). Never raises.

    Exit 0 when the printer is ready (and, if asked, the test page was sent); 5 otherwise.
    A printer that is not ready is not sent the test page.
    """
    result = {"online": False, "paper": "unknown", "cover_open": None, "printed": False,
              "bytes": 0, "error": None}
    printer = None
    try:
        printer = open_printer(url, status_timeout=0.5)
        status = printer.status()
        result.update(online=status.online is True, paper=status.paper,
                      cover_open=status.cover_open)
        if not status.ready:
            result["error"] = "printer not ready" if status.known else "no status reply"
            return result, EXIT_NOT_READY
        if test_print:
            result["bytes"] = printer.print_document(test_receipt(), require_ready=False)
            result["printed"] = True
        return result, EXIT_READY
    except PrinterError as e:
        result["error"] = str(e)
    except Exception as e:  # a doctor reports; it does not crash
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        if printer is not None:
            try:
                printer.close()
            except Exception:
                pass
    return result, EXIT_NOT_READY


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drivers.printer.doctor",
                                     description="Check a receipt printer.")
    parser.add_argument("--printer", required=True, help="device URL, e.g. tcp://10.0.0.5:9100")
    parser.add_argument("--test-print", action="store_true", help="print a test page if ready")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    result, code = doctor_printer(args.printer, test_print=args.test_print)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:>10}: {value}")
        print("ready" if code == EXIT_READY else "NOT READY")
    return code


if __name__ == "__main__":
    sys.exit(main())
