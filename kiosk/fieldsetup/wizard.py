"""`kiosk setup`: choose and test the devices, enrol with the district server, write the configuration.

Three ways in:

- ``kiosk setup`` on a terminal: the wizard asks for the ID card reader and the printer (detected
  ones listed, each can be tested), the station and kiosk ids, the server URL and the enrolment
  token (not echoed), the numbering block or letter (the district says which are taken at the
  station and proposes a free one) and a technician PIN (twice, not echoed), then enrols and writes
  the file. A refused token can be typed again; a block another kiosk holds is asked again.
- ``kiosk setup --server URL --token T`` with any of ``--station --kiosk-id --idcard --printer
  --write --test``: the same without questions, for scripted installs; one JSON line at the end.
- ``kiosk setup --server URL --token T [--kiosk-id ID]`` alone: enrol only, the configuration is
  not touched (the command before the wizard existed).

The file (``--write``, else ``--config``, else /etc/kiosk/kiosk.toml) keeps its other keys. It is
replaced only after enrolment succeeded, and only by a file kiosk.config loads: written beside it,
fsynced, then renamed. Nothing is written when anything fails or the wizard is stopped.

Exit codes: 0 done · 1 end of input in the wizard · 2 bad argument or configuration (the message
names the flag or key) · 4 the configuration or the secret cannot be written · 5 server
unreachable · 6 enrolment refused (token used, expired or for another kiosk) · 8 a device test
failed (``--test``) · 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.config import SYSTEM_CONFIG, load
from kiosk.config.file import ConfigWriteError, StagedConfig, check_value, merged, read_existing
from kiosk.fieldsetup.devices import PRINTER, READER, DeviceKind
from kiosk.fieldsetup.enrolment import (EXIT_CONFIG, EXIT_STORE, SetupFailed, describe_numbering, enrol_kiosk,
                                        run_setup)
from kiosk.fieldsetup.wizard_numbering import ask_numbering, ask_pin, file_numbering

EXIT_END_OF_INPUT = 1
EXIT_DEVICE = 8
EXIT_INTERRUPTED = 130


@dataclass
class Answers:
    """What the technician chose; None keeps the file's value."""

    idcard: str | None = None
    printer: str | None = None
    station: str | None = None
    kiosk_id: str | None = None
    server: str = ""
    token: str = ""
    numbering: dict | None = None  # {"mode": "block", "first", "last"} or {"mode": "letter", "letter"}
    pin_hash: str | None = None

    def updates(self) -> dict[str, object]:
        updates = {key: getattr(self, name) for name, key in KEYS.items() if getattr(self, name) is not None}
        if self.numbering is not None:
            updates.update({f"numbering.{key}": value for key, value in self.numbering.items()})
        if self.pin_hash is not None:
            updates["kiosk.technician_pin_hash"] = self.pin_hash
        return updates


# Answer -> configuration key, and the flag that gives it.
KEYS = {"idcard": "devices.idcard", "printer": "devices.printer", "station": "kiosk.station_id",
        "kiosk_id": "kiosk.id", "server": "sync.server"}
DEVICES = {"idcard": READER, "printer": PRINTER}
FLAGS = {"idcard": "--idcard", "printer": "--printer", "station": "--station", "kiosk_id": "--kiosk-id",
         "server": "--server", "token": "--token"}


def setup_command(args, *, stdin: TextIO | None = None, out: TextIO | None = None,
                  err: TextIO | None = None) -> int:
    """`kiosk setup` as the CLI parsed it; returns the exit code."""
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    try:
        if args.server is None and args.token is None:
            return _wizard(args, stdin, out, err)
        if args.server is None or args.token is None:
            raise SetupFailed("setup: --server and --token go together (or neither, for the wizard)", EXIT_CONFIG)
        if not _writes_config(args):
            return run_setup(load(args.config), args.server, args.token, args.kiosk_id, out=out, err=err)
        summary = configure(target_path(args), answers_from_flags(args), test=args.test, err=err)
        out.write(json.dumps(summary, ensure_ascii=False) + "\n")
        out.flush()
        return 0
    except SetupFailed as exc:
        print(f"kiosk: {exc}", file=err)
        return exc.code


def _writes_config(args) -> bool:
    return args.test or any(value is not None for value in (args.write, args.station, args.idcard, args.printer))


def target_path(args) -> Path:
    return Path(args.write or args.config or SYSTEM_CONFIG)


def answers_from_flags(args) -> Answers:
    """The flags as answers, each converted and checked as kiosk.config would: SetupFailed names the flag."""
    answers = Answers(**{name: getattr(args, name) for name in FLAGS})
    for name in KEYS:
        value = getattr(answers, name)
        try:
            setattr(answers, name, None if value is None else checked(name, value))
        except ValueError as exc:
            raise SetupFailed(f"{FLAGS[name]}: {exc}", EXIT_CONFIG) from None
    if not answers.server:
        raise SetupFailed("--server: the district server URL is needed", EXIT_CONFIG)
    if not answers.token.strip():
        raise SetupFailed("--token: the enrolment token is empty", EXIT_CONFIG)
    return answers


def checked(name: str, value: str) -> str:
    """An answer as it goes into the file: a typed device as its URL, and allowed by kiosk.config
    (ValueError with kiosk.config's message otherwise)."""
    kind = DEVICES.get(name)
    return _allowed(KEYS[name], kind.url_of(value) if kind else value.strip())


def _allowed(key: str, value: str) -> str:
    problem = check_value(key, value)
    if problem:
        raise ValueError(problem)
    return value


def configure(path: Path, answers: Answers, *, test: bool = False, err: TextIO | None = None) -> dict:
    """Stage the file (validated), test its devices if asked, enrol, then put the file in place."""
    try:
        staged = StagedConfig(path, merged(read_existing(path), answers.updates()))
    except ConfigWriteError as exc:
        raise SetupFailed(str(exc), EXIT_STORE) from None
    try:
        if test:
            _test_devices(staged.config, err or sys.stderr)
        summary = enrol_kiosk(staged.config, answers.server, answers.token.strip(), staged.config.kiosk.id, err=err)
        staged.commit()
    except ConfigWriteError as exc:
        raise SetupFailed(f"{exc}: the kiosk is enrolled but its configuration is not written; "
                          "ask for a new token and run kiosk setup again", EXIT_STORE) from None
    finally:
        staged.discard()
    return {**summary, "config": str(path), "idcard": staged.config.devices.idcard,
            "printer": staged.config.devices.printer}


def _test_devices(config, err: TextIO) -> None:
    devices = config.devices
    for flag, kind, url in (("--idcard", READER, devices.idcard), ("--printer", PRINTER, devices.printer)):
        result = kind.check(url)
        if not result.ok:
            raise SetupFailed(f"{flag} {url}: {result.text}", EXIT_DEVICE)
        print(f"kiosk: {kind.title} {url}: {result.text}", file=err)


# -- the wizard ---------------------------------------------------------------------------------

def _wizard(args, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    if not stdin.isatty():
        raise SetupFailed("setup: no terminal for the wizard; give --server URL --token TOKEN "
                          "(and --station, --kiosk-id, --idcard, --printer, --write for a scripted install)",
                          EXIT_CONFIG)
    path = target_path(args)
    console = Console(stdin, out)
    try:
        existing = read_existing(path)
        defaults = _wizard_defaults(existing, args)
        console.say(f"kiosk setup: the configuration goes to {path}; Ctrl-C stops without writing anything.")
        wizard = Wizard(console, defaults, file_numbering(existing),
                        ca_file=str(existing.get("sync", {}).get("ca_file", "")))
        answers = wizard.run()
        summary = _enrol_until_accepted(console, wizard, path, answers, err)
    except KeyboardInterrupt:
        console.say("")
        raise SetupFailed("setup stopped: nothing written", EXIT_INTERRUPTED) from None
    except EOFError:
        console.say("")
        raise SetupFailed("setup: end of input before the last answer: nothing written", EXIT_END_OF_INPUT) from None
    console.say(f"Enrolled kiosk {summary['kiosk_id']} at station {summary['station_id']} with {summary['server']}.")
    console.say(f"Wrote {path}. Next: sudo kiosk doctor all --json")
    return 0


def _enrol_until_accepted(console: "Console", wizard: "Wizard", path: Path, answers: Answers, err: TextIO) -> dict:
    """Enrol; a refused token is typed again (an empty answer gives up), a block in use chosen again."""
    while True:
        console.say(f"Enrolling with {answers.server} ...")
        try:
            return configure(path, answers, err=err)
        except SetupFailed as exc:
            if exc.about == "token":
                console.say(f"  {exc}")
                answers.token = wizard.token(retry=True)
                if not answers.token:
                    raise
            elif exc.about == "numbering":
                console.say(f"  {exc}")
                answers.numbering = ask_numbering(console, exc.proposal or answers.numbering)
            else:
                raise


def _wizard_defaults(existing: dict, args) -> dict[str, str]:
    """The answers offered: the flags given, else the file's values."""
    defaults = {name: _file_value(existing, key) for name, key in KEYS.items()}
    defaults.update({name: value for name, value in vars(args).items() if name in KEYS and value})
    return defaults


def _file_value(data: dict, dotted: str) -> str:
    section, _, key = dotted.partition(".")
    table = data.get(section)
    return str(table.get(key, "")) if isinstance(table, dict) else ""


class Console:
    """Questions on a terminal: one line per answer; EOFError at end of input."""

    def __init__(self, stdin: TextIO, out: TextIO):
        self.stdin, self.out = stdin, out

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, question: str, default: str = "") -> str:
        self.out.write(f"{question} [{default}]: " if default else f"{question}: ")
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip() or default

    def ask_secret(self, question: str) -> str:
        """Like ask, with the terminal's echo off while the line is typed."""
        import termios

        fd = self.stdin.fileno()
        before = termios.tcgetattr(fd)
        quiet = list(before)
        quiet[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
        try:
            return self.ask(question)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, before)
            self.say("")

    def yes(self, question: str, default: bool = True) -> bool:
        while True:
            answer = self.ask(f"{question} [{'Y/n' if default else 'y/N'}]").lower()
            if answer in ("", "y", "yes", "n", "no"):
                return answer.startswith("y") if answer else default
            self.say("  please answer y or n")


class Wizard:
    """The questions, in the order a technician on site goes through them."""

    def __init__(self, console: Console, defaults: dict[str, str], numbering: dict | None = None, *,
                 ca_file: str = ""):
        self.console = console
        self.defaults = defaults
        self.ca_file = ca_file  # a station's own certificate (sync.ca_file), for https on its LAN
        self.numbering = numbering or {"mode": "block", "first": 1, "last": 999}

    def run(self) -> Answers:
        answers = Answers(idcard=self.device("idcard"), printer=self.device("printer"),
                          station=self.value("station", "Station id (kiosk.station_id)"),
                          kiosk_id=self.value("kiosk_id", "Kiosk id, unique in the district (kiosk.id)"),
                          server=self.value("server", "District server URL"),
                          token=self.token())
        answers.numbering = self.station_numbering(answers)
        answers.pin_hash = ask_pin(self.console)
        return answers

    def station_numbering(self, answers: Answers) -> dict:
        """What the district says of the station's blocks, then the question (a refused token: again)."""
        from sync.client.enrol import station_numbering
        from sync.client.transport import TransportError, Unauthorized, Unreachable

        from kiosk.fieldsetup.wizard_numbering import free_default

        while True:
            try:
                station = station_numbering(answers.server, answers.token.strip(), answers.kiosk_id, self.numbering,
                                            ca_file=self.ca_file)
            except Unauthorized as exc:
                self.console.say(f"  {exc.detail}")
                answers.token = self.token(retry=True)
                if not answers.token:
                    raise SetupFailed(exc.detail, 6) from None
                continue
            except (Unreachable, TransportError) as exc:
                self.console.say(f"  the district cannot say which blocks are taken ({exc.detail})")
                return ask_numbering(self.console, self.numbering)
            for other in station["taken"]:
                self.console.say(f"  kiosk {other['kiosk_id']} at {station['station_id']} numbers with "
                                 f"{describe_numbering(other['numbering'])}")
            return ask_numbering(self.console, free_default(self.numbering, station))

    def device(self, name: str) -> str:
        kind = DEVICES[name]
        while True:
            url = self.choose(name, kind)
            if url.startswith("none:") or not self.console.yes(kind.test_question):
                return url
            result = kind.check(url)
            self.console.say(f"  {result.text}")
            if result.ok or self.console.yes("Use it anyway?", default=False):
                return url

    def choose(self, name: str, kind: DeviceKind) -> str:
        candidates = kind.candidates()
        self.console.say(f"\n{kind.title}, detected:" if candidates else f"\n{kind.title}, detected: none")
        for number, candidate in enumerate(candidates, 1):
            self.console.say(f"  {number}) {candidate.url}  {candidate.label}".rstrip())
        self.console.say(f"  or type {kind.typed}")
        default = self.defaults[name] or ("1" if candidates else "")
        return self.value(name, kind.title, default,
                          pick=lambda answer: _picked(candidates, answer) if answer.isdigit() else answer)

    def value(self, name: str, question: str, default: str | None = None, pick=lambda answer: answer) -> str:
        """Ask until the answer is allowed; each problem is said in one line and asked again."""
        while True:
            answer = self.console.ask(question, self.defaults[name] if default is None else default)
            try:
                if not answer:
                    raise ValueError("an answer is needed")
                return checked(name, pick(answer))
            except ValueError as exc:
                self.console.say(f"  {exc}")

    def token(self, retry: bool = False) -> str:
        """The token; on a retry an empty answer gives up (returns "")."""
        question = ("Type the token again, or nothing to stop (not shown)" if retry
                    else "Enrolment token from `district-server enrol-token` (not shown)")
        while True:
            answer = self.console.ask_secret(question)
            if answer or retry:
                return answer
            self.console.say("  an answer is needed")


def _picked(candidates: list, answer: str) -> str:
    if not 1 <= int(answer) <= len(candidates):
        raise ValueError(f"{answer} is not in the list (1 to {len(candidates)})")
    return candidates[int(answer) - 1].url
