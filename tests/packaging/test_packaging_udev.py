"""The udev rules: parsed by udev itself (`udevadm test` over only these files, in a private mount
namespace), and what they name, worked out for the USB devices a kiosk meets."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path

import pytest

UDEV = Path(__file__).resolve().parents[2] / "packaging" / "udev"
RULES = UDEV / "90-kiosk.rules"
SITE_EXAMPLE = UDEV / "89-kiosk-site.rules.example"
PAIR = re.compile(r'\s*(?P<key>[A-Z_]+)(?:\{(?P<attr>[^}]+)\})?\s*(?P<op>==|!=|\+=|-=|:=|=)\s*"(?P<value>[^"]*)"\s*(?:,|$)')
MATCH_KEYS = {"ACTION", "SUBSYSTEM", "KERNEL", "ATTR", "ATTRS", "ENV"}
ASSIGN_KEYS = {"ENV", "SYMLINK", "GROUP", "MODE", "GOTO", "LABEL"}


def site_rules_from_example() -> str:
    """The example with every rule line uncommented: what a technician's site file holds."""
    lines = SITE_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return "\n".join(line[1:] for line in lines if line.startswith("#SUBSYSTEM")) + "\n"


def parse_rules(text: str, name: str) -> list[list[tuple[str, str | None, str, str]]]:
    rules = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pairs, pos = [], 0
        while pos < len(line):
            m = PAIR.match(line, pos)
            assert m, f"{name}:{number}: cannot read from column {pos}: {line[pos:]!r}"
            key, attr, op, value = m["key"], m["attr"], m["op"], m["value"]
            if op in ("==", "!="):
                assert key in MATCH_KEYS, f"{name}:{number}: {key} is not a match key here"
            else:
                assert key in ASSIGN_KEYS, f"{name}:{number}: {key} is not an assignment here"
            assert (attr is not None) == (key in ("ATTR", "ATTRS", "ENV")), f"{name}:{number}: {key}{{{attr}}}"
            pairs.append((key, attr, op, value))
            pos = m.end()
        rules.append(pairs)
    return rules


def glob(pattern: str, value: str | None) -> bool:
    return value is not None and any(fnmatch.fnmatchcase(value, p) for p in pattern.split("|"))


def apply(rule_files: list[tuple[str, str]], device: dict) -> dict:
    """udev's evaluation, for the keys these rules use: files in name order, ATTRS over the device
    and its parents (flattened here into one dict), GOTO to a LABEL."""
    env = dict(device.get("ENV", {}))
    result = {"SYMLINK": [], "GROUP": None, "MODE": None, "ENV": env}
    rules = [rule for name, text in sorted(rule_files) for rule in parse_rules(text, name)]
    skip_to = None
    for rule in rules:
        label = next((v for k, _, op, v in rule if k == "LABEL"), None)
        if skip_to is not None:
            if label == skip_to:
                skip_to = None
            continue
        ok = True
        for key, attr, op, value in rule:
            if op not in ("==", "!="):
                continue
            actual = {"ACTION": device.get("ACTION", "add"), "SUBSYSTEM": device.get("SUBSYSTEM"),
                      "KERNEL": device.get("KERNEL")}.get(key)
            if key == "ATTR":
                actual = device.get("ATTR", {}).get(attr)
            if key == "ATTRS":
                actual = device.get("ATTRS", {}).get(attr)
            if key == "ENV":
                actual = env.get(attr)
            if glob(value, actual) != (op == "=="):
                ok = False
                break
        if not ok:
            continue
        for key, attr, op, value in rule:
            if key == "GOTO":
                skip_to = value
            elif key == "SYMLINK":
                result["SYMLINK"] += value.split()
            elif key == "ENV" and op not in ("==", "!="):
                env[attr] = value
            elif key in ("GROUP", "MODE") and op not in ("==", "!="):
                result[key] = value
    return result


def tty(kernel: str, vid: str, pid: str, serial: str | None = None, id_path: str = "pci-0000:00:14.0-usb-0:2:1.0",
        action: str = "add") -> dict:
    attrs = {"idVendor": vid, "idProduct": pid}
    if serial:
        attrs["serial"] = serial
    return {"ACTION": action, "SUBSYSTEM": "tty", "KERNEL": kernel, "ATTRS": attrs, "ENV": {"ID_PATH": id_path}}


def lp(vid: str, pid: str) -> dict:
    return {"SUBSYSTEM": "usbmisc", "KERNEL": "lp0", "ATTRS": {"idVendor": vid, "idProduct": pid}}


SHIPPED = [("90-kiosk.rules", RULES.read_text(encoding="utf-8"))]
WITH_SITE = SHIPPED + [("89-kiosk-site.rules", site_rules_from_example())]


@pytest.mark.parametrize("vid, pid", [("0416", "5011"), ("0483", "5743"), ("1fc9", "2016")])
def test_printers_are_named_by_id_as_usb_printer_or_serial(vid, pid):
    as_lp = apply(SHIPPED, lp(vid, pid))
    assert (as_lp["SYMLINK"], as_lp["GROUP"], as_lp["MODE"]) == (["kiosk-printer"], "lp", "0660")
    as_acm = apply(SHIPPED, tty("ttyACM0", vid, pid))
    assert (as_acm["SYMLINK"], as_acm["GROUP"]) == (["kiosk-printer"], "dialout")
    assert as_acm["ENV"]["ID_MM_DEVICE_IGNORE"] == "1"
    raw = apply(SHIPPED, {"SUBSYSTEM": "usb", "ENV": {"DEVTYPE": "usb_device"},
                          "ATTR": {"idVendor": vid, "idProduct": pid}})
    assert (raw["SYMLINK"], raw["GROUP"], raw["MODE"]) == ([], "lp", "0660")


@pytest.mark.parametrize("vid, pid", [("1a86", "7523"), ("067b", "2303"), ("10c4", "ea60"), ("0403", "6001")])
def test_generic_usb_serial_chips_are_never_named_by_their_id_alone(vid, pid):
    assert apply(SHIPPED, tty("ttyUSB0", vid, pid, serial="A10KZ3XY"))["SYMLINK"] == []


def test_the_site_file_names_the_reader_by_serial_number_or_by_port():
    assert apply(WITH_SITE, tty("ttyUSB0", "0403", "6001", serial="A10KZ3XY"))["SYMLINK"] == ["kiosk-idcard"]
    assert apply(WITH_SITE, tty("ttyUSB1", "0403", "6001", serial="OTHER123"))["SYMLINK"] == []
    at_port = apply(WITH_SITE, tty("ttyUSB0", "1a86", "7523", id_path="pci-0000:00:14.0-usb-0:3:1.0"))
    assert (at_port["SYMLINK"], at_port["GROUP"]) == (["kiosk-idcard"], "dialout")
    assert apply(WITH_SITE, tty("ttyUSB0", "1a86", "7523", id_path="pci-0000:00:14.0-usb-0:4:1.0"))["SYMLINK"] == []


def test_the_site_file_adds_a_printer_model():
    assert apply(SHIPPED, lp("28e9", "0289"))["SYMLINK"] == []
    assert apply(WITH_SITE, lp("28e9", "0289"))["SYMLINK"] == ["kiosk-printer"]


def test_nothing_is_done_on_remove():
    assert apply(SHIPPED, tty("ttyACM0", "0416", "5011", action="remove"))["SYMLINK"] == []


def udevadm_reads(files: dict[str, str], tmp_path: Path) -> str:
    """`udevadm test` with only ``files`` as rules: /etc/udev/rules.d replaced, the system's rule
    folders and udev's run-time folder emptied, all inside a private mount namespace."""
    udevadm = shutil.which("udevadm")
    if udevadm is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "udev"], check=True, capture_output=True, timeout=600)
        udevadm = shutil.which("udevadm")
    assert udevadm, "udevadm is needed (apt-get install udev)"
    rules = tmp_path / "rules.d"
    rules.mkdir()
    for name, text in files.items():
        (rules / name).write_text(text, encoding="utf-8")
    script = (f"mount --bind {rules} /etc/udev/rules.d && "
              "for d in /usr/lib/udev/rules.d /lib/udev/rules.d /run/udev; do "
              "[ -d $d ] && mount -t tmpfs tmpfs $d; done; "
              f"{udevadm} test /sys/class/tty/tty0 2>&1")
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                            capture_output=True, text=True, timeout=120)
    return result.stdout + result.stderr


def complaints_about(output: str, names) -> list[str]:
    return [line for line in output.splitlines()
            if any(re.search(rf"/{re.escape(n)}:\d+", line) for n in names)]


def test_udev_itself_reads_the_rules_without_a_complaint(tmp_path):
    files = {"90-kiosk.rules": RULES.read_text(encoding="utf-8"), "89-kiosk-site.rules": site_rules_from_example()}
    output = udevadm_reads(files, tmp_path)
    for name in files:
        assert f"Reading rules file: /etc/udev/rules.d/{name}" in output, output[-2000:]
    assert complaints_about(output, files) == []


def test_udev_would_complain_about_a_broken_rule(tmp_path):
    broken = RULES.read_text(encoding="utf-8").replace('SYMLINK+="kiosk-idcard"', 'SYMLNK+="kiosk-idcard"')
    output = udevadm_reads({"90-kiosk.rules": broken}, tmp_path)
    assert any("SYMLNK" in line for line in complaints_about(output, ["90-kiosk.rules"])), output[-2000:]
