"""The ticket: number, people waiting ahead, where to go, the QR code, the 评价码 (with the number,
its holder rates the service once it is done), and what the printer did.

When the printer fails the ticket stays on screen, large, for the resident to photograph the QR.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import pick, shown
from kiosk.ui.widgets import QrWidget, Retranslating, screen_base

PRINTER_UNAVAILABLE = QT_TRANSLATE_NOOP("TicketScreen", "打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。")
PRINT_TEXT = {
    "printing": ("printBusy", QT_TRANSLATE_NOOP("TicketScreen", "正在打印小票…")),
    "printed": ("printOk", QT_TRANSLATE_NOOP("TicketScreen", "小票已打印，请取走小票。")),
    "paper_out": ("printWarn", QT_TRANSLATE_NOOP("TicketScreen", "打印机缺纸：请用手机拍下本页二维码，或记住您的号码。")),
    "cover_open": ("printWarn", PRINTER_UNAVAILABLE),
    "offline": ("printWarn", PRINTER_UNAVAILABLE),
    "no_answer": ("printWarn", PRINTER_UNAVAILABLE),
    "not_ready": ("printWarn", PRINTER_UNAVAILABLE),
    "failed": ("printWarn", QT_TRANSLATE_NOOP("TicketScreen", "小票打印失败：请用手机拍下本页二维码，或记住您的号码。")),
}
PRIORITY_WORDS = {"elderly": QT_TRANSLATE_NOOP("TicketScreen", "长者优先"),
                  "disabled": QT_TRANSLATE_NOOP("TicketScreen", "残疾人优先"),
                  "pregnant": QT_TRANSLATE_NOOP("TicketScreen", "孕妇优先")}
AUTO_HOME_SECONDS = 45
AUTO_HOME_SECONDS_NO_PRINT = 120


translate = QCoreApplication.translate


class TicketScreen(Retranslating, QWidget):
    done_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.ticket_id = ""
        self._shown = None
        self._print_state = "printing"
        self._elder = False
        self.service = QLabel(objectName="title")
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service.setWordWrap(True)
        self.caption = QLabel(objectName="muted")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel(objectName="number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ahead = QLabel()
        self.ahead.setWordWrap(True)
        self.ahead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.where = QLabel(objectName="notice")
        self.where.setWordWrap(True)
        self.qr = QrWidget()
        self.qr.setMinimumSize(sizes.px(300), sizes.px(300))
        self.qr_caption = QLabel(objectName="muted")
        self.qr_caption.setWordWrap(True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.holder_code = QLabel(objectName="where")
        self.holder_code.setWordWrap(True)
        self.holder_code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.holder_code.hide()
        self.print_state = QLabel()
        self.print_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_state.setWordWrap(True)
        self.card_hint = QLabel(objectName="printWarn")  # the resident's ID card is still on the reader
        self.card_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_hint.setWordWrap(True)
        self.card_hint.hide()
        self.done = QPushButton(objectName="primary")
        self.done.clicked.connect(self.done_clicked)
        left = QVBoxLayout()
        left.addWidget(self.service)
        left.addWidget(self.caption)
        left.addWidget(self.number)
        left.addWidget(self.ahead)
        left.addWidget(self.where)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.qr, 1)
        right.addWidget(self.qr_caption)
        right.addWidget(self.holder_code)
        row = QHBoxLayout()
        row.setSpacing(sizes.px(40))
        row.addLayout(left, 3)
        row.addLayout(right, 2)
        layout = QVBoxLayout(self)
        margin = sizes.px(40)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(20))
        layout.addLayout(row, 1)
        layout.addWidget(self.print_state)
        layout.addWidget(self.card_hint)
        layout.addWidget(self.done)
        self._auto_home = QTimer(self, singleShot=True, timeout=self.done_clicked.emit)
        self.retranslate()

    def show_ticket(self, ticket, service, qr_url: str) -> None:
        self.ticket_id = ticket.ticket_id
        self._shown = (ticket, service)
        self.number.setText(ticket.number)
        self._show_texts()
        self.qr.set_data(qr_url)
        self.set_print_state(ticket.ticket_id, "printing")

    def _priority_words(self) -> str:
        ticket = self._shown[0] if self._shown else None
        value = getattr(getattr(ticket, "priority", None), "value", None)
        return translate("TicketScreen", PRIORITY_WORDS[value]) if value in PRIORITY_WORDS else ""

    def set_elder(self, elder: bool) -> None:
        self._elder = elder
        self._show_texts()

    def set_card_on_reader(self, on: bool) -> None:
        """"请取走您的身份证" while the card that took this number is still on the reader."""
        self.card_hint.setVisible(on)

    def spoken_prompt(self) -> str:
        """In elder mode: the number, the people ahead, the slip, and the card if it is still there."""
        if self._shown is None:
            return ""
        ticket, _service = self._shown
        ahead = (translate("TicketScreen", "您的号码是 {number}，前面还有 1 人等候") if ticket.waiting_ahead == 1
                 else translate("TicketScreen", "您的号码是 {number}，前面还有 {n} 人等候"))
        words = [ahead.format(number=ticket.number, n=ticket.waiting_ahead)]
        if self._priority_words():
            words.append(self._priority_words())
        if self._print_state in ("printing", "printed"):
            words.append(translate("TicketScreen", "请取走小票"))
        if self.card_hint.isVisibleTo(self):
            words.append(translate("TicketScreen", "请取走您的身份证"))
        return translate("TicketScreen", "。").join(words)

    def retranslate(self) -> None:
        self.caption.setText(translate("TicketScreen", "您的号码"))
        self.qr_caption.setText(translate("TicketScreen", "扫码查看排队进度、评价服务"))
        self.done.setText(translate("TicketScreen", "完成，返回首页"))
        self.card_hint.setText(translate("TicketScreen", "请取走您的身份证"))
        self._show_texts()
        _name, text = PRINT_TEXT.get(self._print_state, PRINT_TEXT["failed"])
        self.print_state.setText(translate("TicketScreen", text) if self.ticket_id else "")

    def _show_texts(self) -> None:
        if self._shown is None:
            return
        ticket, service = self._shown
        self.service.setText(pick(service.name, service.name_en))
        priority = self._priority_words()
        self.caption.setText(translate("TicketScreen", "您的号码") + (f" · {priority}" if priority else ""))
        if priority:  # called before the others waiting: the count alone would promise a longer wait
            self.ahead.setText(translate("TicketScreen", "前面还有 <b>{n}</b> 人等候，优先号会提前叫到您")
                               .format(n=ticket.waiting_ahead))
        else:
            self.ahead.setText(translate("TicketScreen", "前面还有 <b>{n}</b> 人等候").format(n=ticket.waiting_ahead))
        window, materials = shown(service).window, shown(service).materials
        where = (translate("TicketScreen", "请到 {window} 等候叫号。").format(window=window) if window
                 else translate("TicketScreen", "请在大厅等候叫号。"))
        if materials and not self._elder:  # 长辈模式: fewer items on screen; the slip lists the materials
            where += "\n" + translate("TicketScreen", "请准备：") + translate("TicketScreen", "；").join(materials)
        if getattr(ticket, "assistance", False):
            where += "\n" + translate("TicketScreen", "已登记帮办代办：工作人员会主动来帮您。")
        self.where.setText(where)
        code = getattr(ticket, "holder_code", None)
        self.holder_code.setVisible(bool(code))
        self.holder_code.setText(translate("TicketScreen", "评价码 {code}\n办结后凭号码和评价码评价服务").format(code=code)
                                 if code else "")

    def set_print_state(self, ticket_id: str, state: str) -> None:
        if ticket_id != self.ticket_id:
            return
        self._print_state = state
        name, text = PRINT_TEXT.get(state, PRINT_TEXT["failed"])
        self.print_state.setObjectName(name)
        self.print_state.setText(translate("TicketScreen", text))
        self.print_state.style().unpolish(self.print_state)
        self.print_state.style().polish(self.print_state)
        seconds = AUTO_HOME_SECONDS if state in ("printing", "printed") else AUTO_HOME_SECONDS_NO_PRINT
        self._auto_home.start(seconds * 1000)

    def hideEvent(self, event) -> None:
        self._auto_home.stop()
        super().hideEvent(event)
