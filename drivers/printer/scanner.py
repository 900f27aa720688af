"""Find real-time status requests (``DLE EOT n``) in an ESC/POS byte stream, as a printer does.

Payloads of ``GS ( k`` (QR data) and ``GS v 0`` (raster image) are skipped, so data bytes
that happen to read ``10 04 n`` are not taken for requests.
"""

from __future__ import annotations


class CommandScanner:
    def __init__(self) -> None:
        self._pending = bytearray()
        self._skip = 0
        self.printed = bytearray()  # everything except the real-time requests

    def feed(self, data: bytes) -> list[int]:
        """Consume bytes; return the ``n`` of each ``DLE EOT n`` found, in order."""
        buf = self._pending + data
        found: list[int] = []
        i = 0
        while i < len(buf):
            if self._skip:
                take = min(self._skip, len(buf) - i)
                self.printed += buf[i:i + take]
                i += take
                self._skip -= take
                continue
            b = buf[i]
            if b == 0x10:
                if len(buf) - i < 3:
                    break
                if buf[i + 1] == 0x04:
                    found.append(buf[i + 2])
                    i += 3
                    continue
            elif b == 0x1D:
                need = {0x28: 5, 0x76: 8}.get(buf[i + 1], 1) if len(buf) - i >= 2 else 2
                if len(buf) - i < need:
                    break
                if need == 5:
                    self._skip = buf[i + 3] | (buf[i + 4] << 8)
                elif need == 8:
                    self._skip = (buf[i + 4] | (buf[i + 5] << 8)) * (buf[i + 6] | (buf[i + 7] << 8))
                self.printed += buf[i:i + need]
                i += need
                continue
            self.printed.append(b)
            i += 1
        self._pending = bytearray(buf[i:])
        return found
