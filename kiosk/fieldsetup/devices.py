"""Which ports may be the ID card reader, which devices the receipt printer, and a test of each.

What `kiosk setup` offers a technician. Detection only looks (``/dev``, ``/sys`` and pyserial's
port list): nothing is opened until a test is asked for. When a test fails, the processes that
hold the device open (the running kiosk) are named. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

DEV = Path("/dev")
SYS_USB = Path("/sys/bus/usb/devices")
BAUDRATE = 115200
READER_TEST_S = 10.0
SERIAL_GLOBS = ("ttyUSB*", "ttyACM*", "ttyS*")
USB_PRINTER_CLASS = "07"
# The POS printers packaging/udev/90-kiosk.rules names (vendor, product), for those that do not
# announce the USB printer class.
KNOWN_PRINTERS = {("0416", "5011"), ("0483", "5743"), ("1fc9", "2016")}
NO_READER = "none://"


@dataclass(frozen=True)
class Candidate:
    url: str
    label: str = ""


@dataclass(frozen=True)
class Check:
    """A device test's outcome: ``ok`` when the device may be used, ``text`` for the technician."""

    ok: bool
    text: str


def serial_url(path: str) -> str:
    return f"serial://{path}?baudrate={BAUDRATE}"


# -- the ID card reader -----------------------------------------------------------------------

def reader_candidates(dev: Path = DEV, listed: Callable[[], list] | None = None) -> list[Candidate]:
    """/dev/kiosk-idcard first, then the ports pyserial lists, then ttyUSB*, ttyACM*, ttyS* in ``dev``."""
    seen: dict[str, str] = {}
    link = dev / "kiosk-idcard"
    if link.exists():
        seen[str(link)] = f"-> {link.resolve().name} (named by the udev rules)"
    for port in (listed or _listed_ports)():
        seen.setdefault(port.device, port.description if port.description != "n/a" else "")
    for pattern in SERIAL_GLOBS:
        for path in sorted(dev.glob(pattern), key=_natural):
            seen.setdefault(str(path), "")
    return [Candidate(serial_url(path), label) for path, label in seen.items()]


def _listed_ports() -> list:
    from serial.tools import list_ports

    return list_ports.comports()


def _natural(path: Path) -> tuple[str, int]:
    stem = path.name.rstrip("0123456789")
    digits = path.name[len(stem):]
    return stem, int(digits) if digits else -1


def reader_url(text: str) -> str:
    """A typed port (/dev/ttyUSB0) or reader URL as a device URL; ValueError says what is wrong."""
    text = text.strip()
    if text.startswith("/"):
        return serial_url(text)
    scheme = text.partition("://")[0] if "://" in text else ""
    if scheme not in ("serial", "sim", "none"):
        raise ValueError(f"{text!r} is not a reader port or URL: a path such as /dev/ttyUSB0, "
                         "serial:///dev/ttyUSB0?baudrate=115200, sim:// or none://")
    if scheme == "serial":
        from drivers.idcard import open_reader

        open_reader(text)  # checks the path and parameters; the port is opened only by a read
    return text


def check_reader(url: str, timeout: float = READER_TEST_S) -> Check:
    """Ask the reader for its SAM status and wait up to ``timeout`` s for a card (shown masked)."""
    if url.startswith("none:"):
        return Check(True, "no reader: residents type their ID number on the keypad")
    from drivers.idcard.doctor import EXIT_OK, doctor_idcard

    result, code = doctor_idcard(url, timeout=timeout)
    if code == EXIT_OK:
        return Check(True, f"reader found, card read: {result['name']} {result['id_number']} ({result['card_type']})")
    if result.get("error") == "no_card":
        return Check(True, f"reader found, no card within {timeout:g} s")
    return Check(False, f"not a working reader: {result['error']} ({result['detail']}){_in_use(url)}")


# -- the receipt printer ----------------------------------------------------------------------

def printer_candidates(dev: Path = DEV, sys_usb: Path = SYS_USB) -> list[Candidate]:
    """/dev/kiosk-printer first, then /dev/usb/lp*, then USB printers by id (usb://VID:PID)."""
    found: list[Candidate] = []
    link = dev / "kiosk-printer"
    if link.exists():
        found.append(Candidate(_printer_path_url(link), f"-> {link.resolve().name} (named by the udev rules)"))
    ports = sorted((dev / "usb").glob("lp*"), key=_natural)
    found += [Candidate(f"file://{path}", "USB printer port") for path in ports]
    found += [Candidate(f"usb://{vid}:{pid}", label) for vid, pid, label in _usb_printers(sys_usb)]
    return found


def _printer_path_url(path: Path) -> str:
    """A device node as a URL: /dev/usb/lpN (or a link to one) is a file, a tty a serial port."""
    return f"file://{path}" if path.resolve().name.startswith("lp") else serial_url(str(path))


def _usb_printers(sys_usb: Path) -> list[tuple[str, str, str]]:
    printers = []
    for device in sorted(sys_usb.glob("*")):
        if ":" in device.name or not (device / "idVendor").exists():
            continue
        vid, pid = _attr(device, "idVendor"), _attr(device, "idProduct")
        classes = {_attr(interface, "bInterfaceClass") for interface in device.glob(f"{device.name}:*")}
        if (vid, pid) in KNOWN_PRINTERS or USB_PRINTER_CLASS in classes:
            label = " ".join(filter(None, (_attr(device, "manufacturer"), _attr(device, "product"))))
            printers.append((vid, pid, label))
    return printers


def _attr(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def printer_url(text: str) -> str:
    """A typed device path or printer URL (tcp://HOST:9100 …) as a device URL; ValueError says what is wrong."""
    text = text.strip()
    if text.startswith("/"):
        return _printer_path_url(Path(text))
    from drivers.printer import open_printer

    open_printer(text)  # checks the URL; the printer is connected only by a print or status
    return text


def check_printer(url: str) -> Check:
    """Print the driver's test receipt (打印测试) when the printer says it is ready."""
    from drivers.printer.doctor import EXIT_READY, doctor_printer

    result, code = doctor_printer(url, test_print=True)
    if code == EXIT_READY:
        return Check(True, f"test receipt printed ({result['bytes']} bytes), paper {result['paper']}")
    state = [f"paper {result['paper']}"] + (["cover open"] if result["cover_open"] else [])
    return Check(False, f"printer not ready: {result['error']} ({', '.join(state)}){_in_use(url)}")


def _in_use(url: str) -> str:
    """After a failed test: which other processes hold the device open ("" when none do)."""
    from kiosk.fieldsetup.doctor import device_holders

    parts = urlsplit(url)
    holders = device_holders(parts.path) if parts.scheme in ("serial", "file") else []
    if not holders:
        return ""
    return (f"; {parts.path} is open in process {', '.join(map(str, holders))} (the running kiosk? "
            "sudo systemctl stop kiosk-session)")


# -- what the wizard asks about ---------------------------------------------------------------

@dataclass(frozen=True)
class DeviceKind:
    key: str
    title: str
    typed: str
    test_question: str
    candidates: Callable[[], list[Candidate]]
    url_of: Callable[[str], str]
    check: Callable[[str], Check]


READER = DeviceKind(
    key="devices.idcard", title="ID card reader",
    typed="a port (/dev/ttyUSB0) or URL (serial:///dev/ttyUSB0?baudrate=115200, none://)",
    test_question="Test the reader now? Lay an ID card on it first",
    candidates=lambda: [*reader_candidates(), Candidate(NO_READER, "no reader: residents type their ID number")],
    url_of=reader_url, check=check_reader)

PRINTER = DeviceKind(
    key="devices.printer", title="Receipt printer",
    typed="a device (/dev/usb/lp0) or URL (tcp://10.0.0.5:9100, serial:///dev/ttyACM0?baudrate=115200)",
    test_question="Print a test receipt now?",
    candidates=printer_candidates, url_of=printer_url, check=check_printer)
