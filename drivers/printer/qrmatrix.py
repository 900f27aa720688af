"""QR code modules as a boolean matrix (for raster printing and previews)."""

from __future__ import annotations

_EC = {"L": 1, "M": 0, "Q": 3, "H": 2}  # qrcode.constants.ERROR_CORRECT_*


def qr_matrix(data: str, ec: str = "M", border: int = 2) -> list[list[bool]]:
    """Rows of modules (True = dark), including a quiet zone of ``border`` modules."""
    import qrcode

    code = qrcode.QRCode(version=None, error_correction=_EC[ec], border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()
