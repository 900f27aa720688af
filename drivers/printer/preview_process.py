"""The simulated printer's receipt pictures, drawn in a process of their own.

Drawing a receipt (Pillow's text rasterising, PNG encoding) holds the interpreter lock for tens of
milliseconds at a time; in the kiosk's process that stalled the UI thread by 60-90 ms per ticket
(tests/ui/test_event_loop_stall.py). A child process started on the first job draws them instead:
the printer hands it the document and the file name over a pipe and goes on at once.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Optional


def _serve(connection) -> None:
    import os

    from .preview import render_png

    os.umask(0o077)  # the pictures show residents' tickets: 0600, whatever the kiosk's umask

    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        doc, path, width_px = job
        try:
            render_png(doc, path, width_px=width_px)
        except Exception:  # a picture that cannot be drawn is no reason to stop drawing the next
            pass


class PreviewProcess:
    """One drawing process per simulated printer; `close()` lets it finish its queue and ends it."""

    def __init__(self) -> None:
        self._process: Optional[multiprocessing.process.BaseProcess] = None
        self._connection = None

    def draw(self, doc, path: Path, width_px: int) -> None:
        if self._process is None:
            context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs,), name="receipt-preview", daemon=True)
            self._process.start()
            theirs.close()
            self._connection = ours
        self._connection.send((doc, str(path), width_px))

    def close(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            self._connection.send(None)
        except (BrokenPipeError, OSError):
            pass
        self._connection.close()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
