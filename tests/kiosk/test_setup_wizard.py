"""`kiosk setup` as a technician runs it: the wizard on a real pseudo-terminal and the scripted form,
against the reader simulator on a pty, the printer simulator on TCP and a real `district-server serve`."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "sync" / "client"))
sys.path.insert(0, str(TESTS / "e2e"))

from kiosk_process import KIOSK, PROJECT, kiosk_env, run_kiosk  # noqa: E402,F401 (kiosk_env: the fixture)
from sync_client_support import free_port  # noqa: E402

from drivers.idcard.sample_cards import ELDERLY_RESIDENT  # noqa: E402
from drivers.idcard.simulator import ReaderSimulator  # noqa: E402
from drivers.printer.simulator import PtyPrinter, SimulatedNetworkPrinter  # noqa: E402
from kiosk import config as kiosk_config  # noqa: E402
from kiosk.domain.pin import pin_matches  # noqa: E402

pytestmark = pytest.mark.slow

STATION = "yt-xiaozhai"
KIOSK_ID = "YT-XZ-07"
EXISTING = """[kiosk]
id = "YT-XZ-01"
station_id = "yt-old"
check_opening_hours = false

[numbering]
first = 501
last = 999
"""


@pytest.fixture
def reader():
    with ReaderSimulator(ELDERLY_RESIDENT) as simulator:
        yield simulator


@pytest.fixture
def printer():
    with SimulatedNetworkPrinter() as simulated:
        yield simulated


@pytest.fixture
def not_a_reader():
    """A serial printer on a pty: a real port that answers, but not as a card reader."""
    with PtyPrinter() as device:
        yield device.device


@pytest.fixture
def existing(tmp_path) -> Path:
    path = tmp_path / "etc" / "kiosk.toml"
    path.parent.mkdir()
    path.write_text(EXISTING, encoding="utf-8")
    return path


class Terminal:
    """`kiosk setup` on a pseudo-terminal: wait for a prompt, type an answer, as a technician does."""

    def __init__(self, env: dict, *args: str):
        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen([*KIOSK, "setup", *args], stdin=slave, stdout=slave, stderr=slave,
                                        env=env, cwd=PROJECT, start_new_session=True)
        os.close(slave)
        self.transcript = ""
        self.seen = 0

    def expect(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.transcript[self.seen:]:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"no {text!r} in:\n{self.transcript}")
        start = self.transcript.index(text, self.seen)
        self.seen = start + len(text)
        return self.transcript[start:self.seen]

    def answer(self, prompt: str, line: str) -> None:
        self.expect(prompt)
        os.write(self.master, line.encode("utf-8") + b"\r")

    def end(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self._read(deadline - time.monotonic()):
            pass
        code = self.process.wait(max(0.1, deadline - time.monotonic()))
        os.close(self.master)
        return code

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 4096)
        except OSError:  # EIO: the process has closed the terminal
            return False
        self.transcript += data.decode("utf-8", errors="replace").replace("\r\n", "\n")
        return bool(data)


def loaded(path: Path) -> kiosk_config.Config:
    return kiosk_config.load(str(path))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def secret(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sync-secret.json"


# -- the wizard -----------------------------------------------------------------------------------

def test_wizard_tests_devices_enrols_and_writes_the_configuration(tmp_path, kiosk_env, district, reader, printer,
                                                                   not_a_reader, existing):
    token = district.token(KIOSK_ID, STATION)
    term = Terminal(kiosk_env, "--write", str(existing))
    term.answer("ID card reader [", not_a_reader)
    term.answer("Lay an ID card on it first [Y/n]: ", "")
    term.expect("not a working reader: no_reply")
    term.answer("Use it anyway? [y/N]: ", "n")
    term.answer("ID card reader [", reader.path)
    term.answer("Lay an ID card on it first [Y/n]: ", "y")
    term.expect("reader found, card read: 王**")
    term.answer("Receipt printer: ", "ftp://nowhere")
    term.expect("unknown printer URL scheme 'ftp'")
    term.answer("Receipt printer: ", printer.url)
    term.answer("Print a test receipt now? [Y/n]: ", "")
    term.expect("test receipt printed")
    term.answer("Station id (kiosk.station_id) [yt-old]: ", "yt xiaozhai")
    term.expect("kiosk.station_id = 'yt xiaozhai': 1-64 letters")
    term.answer("Station id (kiosk.station_id) [yt-old]: ", STATION)
    term.answer("Kiosk id, unique in the district (kiosk.id) [YT-XZ-01]: ", KIOSK_ID)
    term.answer("District server URL: ", district.url)
    term.answer("(not shown): ", token)
    term.answer("one letter for letter mode [501-999]: ", "")  # the file's block, free at the station
    term.answer("4 to 12 digits (not shown): ", "12")
    term.expect("a technician PIN is 4 to 12 digits")
    term.answer("4 to 12 digits (not shown): ", "2468")
    term.expect("the demo's PIN")
    term.answer("4 to 12 digits (not shown): ", "735190")
    term.answer("The same PIN again (not shown): ", "735190")
    term.expect(f"Wrote {existing}.")
    assert term.end() == 0, term.transcript
    assert token not in term.transcript and "王建国" not in term.transcript and "735190" not in term.transcript

    config = loaded(existing)
    assert config.devices.idcard == f"serial://{reader.path}?baudrate=115200"
    assert config.devices.printer == printer.url
    assert (config.kiosk.id, config.kiosk.station_id, config.sync.server) == (KIOSK_ID, STATION, district.url)
    assert (config.numbering.first, config.kiosk.check_opening_hours) == (501, False)  # other keys kept
    assert pin_matches("735190", config.kiosk.technician_pin_hash)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640 and leftovers(existing.parent) == []
    assert "打印测试".encode("gb18030") in printer.printed
    assert json.loads(secret(tmp_path).read_text())["kiosk_id"] == KIOSK_ID
    synced = run_kiosk(kiosk_env, "--config", str(existing), "sync", "--now")
    assert synced.returncode == 0, synced.stderr


@pytest.mark.parametrize("stop", ["\x04", "ctrl-c"])
def test_wizard_stopped_midway_writes_nothing(tmp_path, kiosk_env, printer, stop):
    target = tmp_path / "etc" / "kiosk.toml"
    target.parent.mkdir()
    term = Terminal(kiosk_env, "--write", str(target))
    term.answer("ID card reader [", "none://")
    term.answer("Receipt printer: ", printer.url)
    term.answer("Print a test receipt now? [Y/n]: ", "n")
    term.expect("Station id (kiosk.station_id): ")
    if stop == "ctrl-c":
        term.process.send_signal(signal.SIGINT)
    else:
        os.write(term.master, stop.encode())
    code = term.end()
    assert code == (130 if stop == "ctrl-c" else 1), term.transcript
    assert "nothing written" in term.transcript and "Traceback" not in term.transcript
    assert list(target.parent.iterdir()) == [] and not secret(tmp_path).exists()


def test_wizard_with_a_used_token_exits_6_and_keeps_the_file(kiosk_env, district, existing):
    token = district.token(KIOSK_ID, STATION)
    assert scripted(kiosk_env, district.url, token, "--write", str(existing)).returncode == 0
    before = existing.read_bytes()
    term = Terminal(kiosk_env, "--write", str(existing), "--idcard", "none://")
    term.answer("ID card reader [none://]: ", "")
    term.answer("Receipt printer: ", "sim://")
    term.answer("Print a test receipt now? [Y/n]: ", "n")
    term.answer("Station id (kiosk.station_id) [yt-xiaozhai]: ", "")
    term.answer(f"[{KIOSK_ID}]: ", "")
    term.answer(f"District server URL [{district.url}]: ", "")
    term.answer("(not shown): ", token)
    term.answer("Type the token again, or nothing to stop (not shown): ", "")
    assert term.end() == 6, term.transcript
    assert "enrolment refused: 401" in term.transcript and "Traceback" not in term.transcript
    assert existing.read_bytes() == before and leftovers(existing.parent) == []


def test_wizard_needs_a_terminal(kiosk_env):
    done = subprocess.run([*KIOSK, "setup"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env=kiosk_env, cwd=PROJECT, timeout=60)
    assert done.returncode == 2 and "no terminal for the wizard" in done.stderr and "Traceback" not in done.stderr


# -- the scripted form ----------------------------------------------------------------------------

def scripted(env, district_url: str, token: str, *extra: str):
    return run_kiosk(env, "setup", "--server", district_url, "--token", token, "--station", STATION,
                     "--kiosk-id", KIOSK_ID, *extra)


def test_scripted_setup_tests_devices_enrols_and_writes(tmp_path, kiosk_env, district, reader, printer, existing):
    done = scripted(kiosk_env, district.url, district.token(KIOSK_ID, STATION), "--idcard", reader.path,
                    "--printer", printer.url, "--write", str(existing), "--test")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["kiosk_id"] == KIOSK_ID and summary["config"] == str(existing)
    assert "reader found, card read" in done.stderr and "test receipt printed" in done.stderr
    config = loaded(existing)
    assert config.devices.idcard == f"serial://{reader.path}?baudrate=115200" and config.devices.printer == printer.url
    assert config.numbering.first == 501 and secret(tmp_path).exists()


def test_enrol_only_form_leaves_the_configuration_alone(tmp_path, kiosk_env, district, existing):
    before = existing.read_bytes()
    done = run_kiosk(kiosk_env, "--config", str(existing), "setup", "--server", district.url,
                     "--token", district.token("YT-XZ-01", STATION))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["kiosk_id"] == "YT-XZ-01" and existing.read_bytes() == before


@pytest.mark.parametrize("server, token, code, message", [
    ("unreachable", "made", 5, "district server unreachable"),
    ("district", "not-a-token", 6, "enrolment refused: 401"),
])
def test_scripted_setup_refused_or_unreachable_writes_nothing(tmp_path, kiosk_env, district, existing,
                                                               server, token, code, message):
    before = existing.read_bytes()
    url = district.url if server == "district" else f"http://127.0.0.1:{free_port()}"
    token = district.token(KIOSK_ID, STATION) if token == "made" else token
    done = scripted(kiosk_env, url, token, "--idcard", "none://", "--write", str(existing))
    assert done.returncode == code and message in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert existing.read_bytes() == before and leftovers(existing.parent) == [] and not secret(tmp_path).exists()


def test_a_port_that_is_not_a_reader_fails_the_test_before_enrolling(tmp_path, kiosk_env, district, existing,
                                                                     not_a_reader):
    token = district.token(KIOSK_ID, STATION)
    done = scripted(kiosk_env, district.url, token, "--idcard", not_a_reader, "--printer", "sim://",
                    "--write", str(existing), "--test")
    assert done.returncode == 8 and "--idcard" in done.stderr and "not a working reader" in done.stderr, done.stderr
    assert loaded(existing).devices.idcard == "sim://" and not secret(tmp_path).exists()
    assert scripted(kiosk_env, district.url, token, "--write", str(existing)).returncode == 0  # token unused


def test_an_unwritable_configuration_path_fails_before_enrolling(tmp_path, kiosk_env, district):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    token = district.token(KIOSK_ID, STATION)
    done = scripted(kiosk_env, district.url, token, "--write", str(blocker / "kiosk.toml"))
    assert done.returncode == 4 and f"cannot write {blocker / 'kiosk.toml'}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not secret(tmp_path).exists()


@pytest.mark.parametrize("args, message", [
    (["--station", "yt xiaozhai"], "--station: configuration error: kiosk.station_id = 'yt xiaozhai'"),
    (["--kiosk-id", "_bad"], "--kiosk-id: configuration error: kiosk.id = '_bad'"),
    (["--printer", "ftp://x"], "--printer: unknown printer URL scheme 'ftp'"),
    (["--idcard", "COM3"], "--idcard: 'COM3' is not a reader port or URL"),
    (["--server", "district.example"], "--server: configuration error: sync.server = 'district.example'"),
    (["--token", "  "], "--token: the enrolment token is empty"),
])
def test_bad_flags_name_the_flag_and_exit_2(tmp_path, kiosk_env, existing, args, message):
    before = existing.read_bytes()
    base = {"--server": "http://127.0.0.1:9", "--token": "t", "--write": str(existing)}
    base.update(dict(zip(args[::2], args[1::2])))
    done = run_kiosk(kiosk_env, "setup", *[part for pair in base.items() for part in pair])
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1 and existing.read_bytes() == before


def test_server_without_token_exits_2(kiosk_env):
    done = run_kiosk(kiosk_env, "setup", "--server", "http://127.0.0.1:9")
    assert done.returncode == 2 and "--server and --token go together" in done.stderr


@pytest.mark.parametrize("content, message", [
    ("[kiosk\n", "valid TOML to update"),
    ('[kiosk]\ncolour = "red"\n', "kiosk.colour"),
])
def test_a_bad_existing_file_is_not_replaced(tmp_path, kiosk_env, content, message):
    target = tmp_path / "kiosk.toml"
    target.write_text(content)
    done = run_kiosk(kiosk_env, "setup", "--server", "http://127.0.0.1:9", "--token", "t", "--write", str(target))
    assert done.returncode == 2 and message in done.stderr and str(target) in done.stderr, done.stderr
    assert target.read_text() == content and leftovers(tmp_path) == []


# -- numbering blocks, checked at the district ------------------------------------------------------

def config_with_block(tmp_path, name: str, first: int, last: int) -> Path:
    path = tmp_path / name
    path.write_text(f'[kiosk]\nstation_id = "{STATION}"\n\n[numbering]\nfirst = {first}\nlast = {last}\n',
                    encoding="utf-8")
    return path


def test_two_kiosks_with_overlapping_blocks_are_refused(tmp_path, kiosk_env, district):
    first = config_with_block(tmp_path, "k1.toml", 1, 499)
    done = run_kiosk(kiosk_env, "--config", str(first), "setup", "--server", district.url,
                     "--token", district.token("YT-XZ-01", STATION), "--kiosk-id", "YT-XZ-01")
    assert done.returncode == 0, done.stderr
    second = config_with_block(tmp_path, "k2.toml", 400, 899)
    env2 = dict(kiosk_env, KIOSK_DATA_DIR=str(tmp_path / "data2"))
    token = district.token("YT-XZ-02", STATION)
    done = run_kiosk(env2, "--config", str(second), "setup", "--server", district.url, "--token", token,
                     "--kiosk-id", "YT-XZ-02")
    assert done.returncode == 6 and "YT-XZ-01" in done.stderr and "1-499" in done.stderr.replace("001-499", "1-499")
    assert "a free one: 501-999" in done.stderr and "Traceback" not in done.stderr
    second.write_text(second.read_text().replace("first = 400", "first = 501"))
    done = run_kiosk(env2, "--config", str(second), "setup", "--server", district.url, "--token", token,
                     "--kiosk-id", "YT-XZ-02")  # the refused token was not used up
    assert done.returncode == 0, done.stderr


def test_wizard_proposes_the_next_free_block_and_lets_a_refused_token_be_typed_again(tmp_path, kiosk_env,
                                                                                   district, existing):
    first = config_with_block(tmp_path, "k1.toml", 501, 999)
    assert run_kiosk(kiosk_env, "--config", str(first), "setup", "--server", district.url, "--token",
                     district.token("YT-XZ-01", STATION), "--kiosk-id", "YT-XZ-01").returncode == 0
    env2 = dict(kiosk_env, KIOSK_DATA_DIR=str(tmp_path / "data2"))
    term = Terminal(env2, "--write", str(existing), "--idcard", "none://")
    term.answer("ID card reader [none://]: ", "")
    term.answer("Receipt printer: ", "sim://")
    term.answer("Print a test receipt now? [Y/n]: ", "n")
    term.answer("Station id (kiosk.station_id) [yt-old]: ", STATION)
    term.answer("[YT-XZ-01]: ", KIOSK_ID)
    term.answer("District server URL: ", district.url)
    term.answer("(not shown): ", "t-not-a-token")
    term.expect("enrolment refused: 401")
    term.answer("Type the token again, or nothing to stop (not shown): ", district.token(KIOSK_ID, STATION))
    term.expect("kiosk YT-XZ-01 at yt-xiaozhai numbers with 501-999")
    term.answer("one letter for letter mode [1-499]: ", "600-700")  # taken: refused at enrolment, asked again
    term.answer("4 to 12 digits (not shown): ", "735190")
    term.answer("The same PIN again (not shown): ", "735190")
    term.expect("numbering refused")
    term.answer("one letter for letter mode [1-101]: ", "1-499")  # the free block of the size asked, or any
    term.expect(f"Wrote {existing}.")
    assert term.end() == 0, term.transcript
    config = loaded(existing)
    assert (config.numbering.first, config.numbering.last) == (1, 499)
