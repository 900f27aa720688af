"""A SAM card reader that speaks the exact byte protocol over a pseudo-terminal.

The real serial driver opens ``simulator.path`` (a symlink to the current pty slave, which
vanishes on ``unplug()`` and comes back on ``replug()``), so tests exercise the real driver.
"""

from __future__ import annotations

import collections
import errno
import os
import select
import shutil
import struct
import sys
import tempfile
import threading
import time
import tty

from . import frames as fr
from .sample_cards import ELDERLY_RESIDENT, SAMPLE_CARDS, SampleCard

DEFAULT_SAM_ID = struct.pack("<HHIII", 5, 1, 20230915, 123456, 987654321)
GARBAGE_REPLY = b"\x02OK\x03\xaa\x00\x55\xaa\xaa\x96" * 3
PACE_CHUNK = 16


class ReaderSimulator:
    """Simulated reader on a pty, served by one thread (``start()`` / ``stop()`` joins it).

    Behaviour switches may be changed while running: ``reply_delay`` (seconds before each
    reply), ``chunk_size``/``chunk_delay`` (fragmented writes), ``stray`` (bytes sent before
    each reply), ``read_error`` (SW3 answered to a base read, e.g. 0x41), ``sam_failure``
    (every command answers 0x60), ``garbage`` (answers bytes that never form a frame),
    ``pace`` (output paced at ``baudrate``, and replies wait for the command's wire time).
    """

    def __init__(
        self,
        card: SampleCard | str | None = None,
        *,
        link_path: str | None = None,
        baudrate: int = 115200,
        pace: bool = False,
        reply_delay: float = 0.0,
        chunk_size: int = 0,
        chunk_delay: float = 0.0,
        stray: bytes = b"",
        read_error: int | None = None,
        sam_failure: bool = False,
        garbage: bool = False,
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        self._own_dir = None
        if link_path is None:
            self._own_dir = tempfile.mkdtemp(prefix="idcard-sim-")
            link_path = os.path.join(self._own_dir, "ttyIDCARD")
        self.path = link_path
        self.baudrate = baudrate
        self.pace = pace
        self.reply_delay = reply_delay
        self.chunk_size = chunk_size
        self.chunk_delay = chunk_delay
        self.stray = stray
        self.read_error = read_error
        self.sam_failure = sam_failure
        self.garbage = garbage
        self.sam_id = sam_id
        self.counts: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._card: SampleCard | None = None
        self._selected = False
        self._master: int | None = None
        self._slave: int | None = None
        self._decoder = fr.CommandDecoder()
        self._requests: collections.deque = collections.deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = os.pipe()
        if card is not None:
            self.place(card)

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> ReaderSimulator:
        self._plug()
        self._thread = threading.Thread(target=self._run, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._unplug()
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1
        if self._own_dir:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def __enter__(self) -> ReaderSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scenarios --------------------------------------------------------------------------

    def place(self, card: SampleCard | str) -> None:
        """Put a card (a SampleCard or the key of one in SAMPLE_CARDS) on the reader."""
        if isinstance(card, str):
            card = SAMPLE_CARDS[card]
        with self._lock:
            self._card, self._selected = card, False

    def remove(self) -> None:
        with self._lock:
            self._card, self._selected = None, False

    @property
    def card(self) -> SampleCard | None:
        return self._card

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def unplug(self) -> None:
        """Close the pty: the reader's port fails, the stable path disappears."""
        self._call(self._unplug)

    def replug(self) -> None:
        """A new pty appears behind the same stable path."""
        self._call(self._plug)

    # -- pty handling (runs on the simulator thread once it is started) ---------------------

    def _call(self, fn) -> None:
        if self._thread is None or not self._thread.is_alive():
            fn()
            return
        done = threading.Event()
        self._requests.append((fn, done))
        self._wake()
        if not done.wait(5):
            raise RuntimeError("simulator thread did not answer")

    def _wake(self) -> None:
        if self._wake_w >= 0:
            os.write(self._wake_w, b"x")

    def _plug(self) -> None:
        if self._master is not None:
            return
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        tmp = self.path + ".new"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(os.ttyname(slave), tmp)
        os.replace(tmp, self.path)
        self._decoder.reset()

    def _unplug(self) -> None:
        if os.path.lexists(self.path):
            os.unlink(self.path)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def _run(self) -> None:
        while not self._stop.is_set():
            while self._requests:
                fn, done = self._requests.popleft()
                fn()
                done.set()
            fds = [self._wake_r] + ([self._master] if self._master is not None else [])
            ready, _, _ = select.select(fds, [], [], 1.0)
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            if self._master is not None and self._master in ready:
                try:
                    data = os.read(self._master, 4096)
                except OSError as exc:
                    if exc.errno != errno.EAGAIN:
                        self._stop.wait(0.01)
                    continue
                for command in self._decoder.feed(data):
                    self._serve(command)

    def _serve(self, command: fr.Command) -> None:
        raw = fr.encode_command(command.cmd, command.para, command.data)
        self.counts[fr.COMMAND_NAMES.get(raw, "unknown")] += 1
        reply = self._reply_to(command)
        delay = self.reply_delay
        if self.pace:
            delay += fr.wire_time(len(raw), self.baudrate)
        if delay > 0 and self._stop.wait(delay):
            return
        self._send(self.stray + reply)

    def _reply_to(self, c: fr.Command) -> bytes:
        if self.garbage:
            return GARBAGE_REPLY
        if self.sam_failure:
            return fr.encode_response(fr.SW3_SAM_FAILED)
        key = (c.cmd, c.para)
        with self._lock:
            card = self._card
            if key in ((fr.CMD_SAM, fr.PARA_SAM), (fr.CMD_SAM_STATUS, fr.PARA_SAM)):
                return fr.encode_response(fr.SW3_OK)
            if key == (fr.CMD_SAM_ID, fr.PARA_SAM):
                return fr.encode_response(fr.SW3_OK, self.sam_id)
            if key == (fr.CMD_CARD, fr.PARA_FIND):
                self._selected = False
                if card is None:
                    return fr.encode_response(fr.SW3_NO_CARD)
                return fr.encode_response(fr.SW3_FIND_OK, bytes(4))
            if key == (fr.CMD_CARD, fr.PARA_SELECT):
                if card is None:
                    return fr.encode_response(fr.SW3_SELECT_FAILED)
                self._selected = True
                return fr.encode_response(fr.SW3_OK, bytes(8))
            if c.cmd == fr.CMD_READ:
                return self._read_reply(card, c.para)
        return fr.encode_response(0x21)

    def _read_reply(self, card: SampleCard | None, para: int) -> bytes:
        if card is None or not self._selected:
            return fr.encode_response(fr.SW3_READ_FAILED)
        if para == fr.PARA_NEW_ADDRESS:
            return fr.encode_response(0x91)
        if para not in (fr.PARA_BASE, fr.PARA_BASE_FP):
            return fr.encode_response(0x21)
        if self.read_error is not None:
            return fr.encode_response(self.read_error)
        fingerprint = None
        if para == fr.PARA_BASE_FP:
            fingerprint = card.fingerprint or bytes(fr.FINGERPRINT_LEN)
        return fr.encode_response(
            fr.SW3_OK, fr.encode_base_message(card.text, card.photo, fingerprint)
        )

    def _send(self, data: bytes) -> None:
        """Write a reply: whole, in ``chunk_size`` pieces, or paced so that each piece is
        written when its last byte would have arrived on a real line."""
        if self.pace:
            size = PACE_CHUNK
        elif self.chunk_size > 0:
            size = self.chunk_size
        else:
            size = len(data)
        started = time.monotonic()
        for pos in range(0, len(data), size):
            chunk = data[pos : pos + size]
            if self.pace:
                gap = started + fr.wire_time(pos + len(chunk), self.baudrate) - time.monotonic()
            else:
                gap = self.chunk_delay if pos else 0.0
            if gap > 0 and self._stop.wait(gap):
                return
            if not self._write(chunk):
                return

    def _write(self, chunk: bytes) -> bool:
        while chunk:
            if self._master is None:
                return False
            try:
                n = os.write(self._master, chunk)
            except BlockingIOError:
                _, ready, _ = select.select([], [self._master], [], 1.0)
                if not ready:
                    return False
                continue
            except OSError:
                return False
            chunk = chunk[n:]
        return True


def main(argv: list[str] | None = None) -> int:
    """Run a simulator in the foreground; stdin lines: place KEY | remove | unplug | replug |
    quit. Prints ``ready PATH`` first and ``ok`` after each handled line."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m drivers.idcard.simulator")
    parser.add_argument("--link", default=None, help="stable path of the simulated port")
    parser.add_argument("--card", default=None, choices=sorted(SAMPLE_CARDS))
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--pace", action="store_true", help="pace output at the baud rate")
    args = parser.parse_args(argv)
    sim = ReaderSimulator(args.card, link_path=args.link, baudrate=args.baud, pace=args.pace)
    with sim:
        print(f"ready {sim.path}", flush=True)
        for line in sys.stdin:
            word, _, arg = line.strip().partition(" ")
            if word == "quit":
                break
            if word == "place":
                sim.place(arg or ELDERLY_RESIDENT)
            elif word in ("remove", "unplug", "replug"):
                getattr(sim, word)()
            print("ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
