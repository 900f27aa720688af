"""Guards the pinned PySide6: a release that drops a reference to None on every call returning
nothing (6.12.0 on Python 3.11) aborts the interpreter after a few thousand such calls, which a
kiosk's clock alone makes within the hour."""

import sys

from PySide6.QtWidgets import QLabel


def test_calls_that_return_nothing_do_not_drop_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(3000):
        label.setText(str(i % 10))
        label.hide()
    assert sys.getrefcount(None) - before > -100
