"""A TCP proxy on loopback that a test can cut and restore: the district link of a station, or a
kiosk's LAN. While cut, it drops every open connection and resets new ones at once, as a dead link
looks to the client (connection refused or reset, never a hang)."""

from __future__ import annotations

import socket
import threading

from district_process import free_port


class LinkCut:
    def __init__(self, target_port: int, port: int | None = None):
        self.target_port = target_port
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cut_now = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", self.port), backlog=256)
        self._listener.settimeout(0.2)
        self._threads: list[threading.Thread] = []
        self.refused = 0

    def __enter__(self) -> "LinkCut":
        thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._drop_all()
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def cut(self) -> None:
        self.cut_now.set()
        self._drop_all()

    def restore(self) -> None:
        self.cut_now.clear()

    def _drop_all(self) -> None:
        with self._lock:
            for sock in list(self._open):
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    sock.close()
                except OSError:
                    pass
            self._open.clear()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            if self.cut_now.is_set():
                self.refused += 1
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                thread = threading.Thread(target=self._pipe, args=(a, b), daemon=True)
                thread.start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with self._lock:
                    self._open.discard(sock)
                try:
                    sock.close()
                except OSError:
                    pass
