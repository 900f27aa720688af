"""An English session's slip, end to end: a foreign permanent resident card on the reader, a number
taken in English, the printer worker's printed/*.bin read back."""

from PySide6.QtWidgets import QApplication

from kiosk.ui.i18n import install_language

from qt_waiting import caught
from test_card_flow import place_card, take_first_service


def test_an_english_session_prints_an_english_slip_naming_the_card(qtbot, make_config, kiosk_window):
    config = make_config()
    window, bridge = kiosk_window(config)
    install_language(QApplication.instance(), "en")
    try:
        place_card(qtbot, window, bridge, "foreign_2023")
        with caught(qtbot, window.ticket_flow.print_finished, timeout=10000):
            take_first_service(qtbot, window, bridge)
    finally:
        install_language(QApplication.instance(), "zh_CN")
    receipt = next((config.kiosk.data_dir / "printed").glob("*.bin")).read_bytes()
    for words in (b"Xiaozhai Road Subdistrict Service Centre", b"Social security card", b"Your number",
                  b"Foreign Permanent Resident ID Card no.", b"931100********", b"Counter: General service counter",
                  b"Please bring: Original"):
        assert words in receipt, words
    for chinese in ("您的排队号", "身份证号", "综合受理窗口", "小寨路街道便民服务中心"):
        assert chinese.encode("gb18030") not in receipt, chinese
