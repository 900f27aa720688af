"""One QThread per worker: started by the app, stopped and joined at shutdown."""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread


class WorkerThread:
    """Moves ``worker`` to a thread of its own named ``name``; `stop()` quits and joins it."""

    def __init__(self, worker: QObject, name: str):
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout_ms: int = 5000) -> bool:
        self.thread.quit()
        return self.thread.wait(timeout_ms)
