"""A fault-injecting HTTP/1.1 proxy on loopback, between the kiosk's sync client and the server.

Per request, with probability `rate`, one fault chosen at random:
- before_request: the connection is reset once the request is read; the server never sees it;
- after_request: the request is forwarded and answered (the server committed), then the
  connection is reset; the client never hears the answer;
- mid_body: the response headers and half of its body are relayed, then the connection is reset.
Resets are real TCP RSTs (SO_LINGER 0). Messages are framed by Content-Length (what requests and
uvicorn send for these routes).
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from collections import Counter

KINDS = ("before_request", "after_request", "mid_body")


class _Reader:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def message(self) -> tuple[bytes, int] | None:
        """One whole HTTP message and the length of its head; None at a clean end of stream."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                if self.buffer:
                    raise ConnectionError("stream ended inside a message head")
                return None
        head_end = self.buffer.index(b"\r\n\r\n") + 4
        length = 0
        for line in self.buffer[:head_end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
            if name.strip().lower() == b"transfer-encoding":
                raise ConnectionError("chunked messages are not supported by this proxy")
        while len(self.buffer) < head_end + length:
            if not self._fill():
                raise ConnectionError("stream ended inside a message body")
        message, self.buffer = self.buffer[:head_end + length], self.buffer[head_end + length:]
        return message, head_end


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int, rate: float = 0.2, seed: int = 1):
        self.upstream_port = upstream_port
        self.rate = rate
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy-accept")

    def start(self) -> "FaultProxy":
        self._acceptor.start()
        return self

    def set_rate(self, rate: float) -> None:
        with self._lock:
            self.rate = rate

    def stop(self) -> None:
        self._stopping.set()
        self._acceptor.join(5)
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in list(self._threads):
            thread.join(5)
        self.listener.close()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _decide(self) -> str | None:
        with self._lock:
            self.counts["requests"] += 1
            if self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(KINDS)
            self.counts[kind] += 1
            return kind

    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._lock:
            (self._sockets.add if add else self._sockets.discard)(sock)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            client.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(client,), name="fault-proxy-conn")
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        self._track(client, True)
        upstream: socket.socket | None = None
        try:
            requests_in = _Reader(client)
            responses = None
            while not self._stopping.is_set():
                request = requests_in.message()
                if request is None:
                    return
                kind = self._decide()
                if kind == "before_request":
                    _reset(client)
                    return
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
                    self._track(upstream, True)
                    responses = _Reader(upstream)
                upstream.sendall(request[0])
                response = responses.message()
                if response is None:
                    _reset(client)
                    return
                data, head = response
                if kind == "after_request":
                    _reset(client)
                    return
                if kind == "mid_body":
                    client.sendall(data[: head + (len(data) - head) // 2])
                    _reset(client)
                    return
                client.sendall(data)
        except OSError:
            _reset(client)
        finally:
            self._track(client, False)
            client.close()
            if upstream is not None:
                self._track(upstream, False)
                upstream.close()
