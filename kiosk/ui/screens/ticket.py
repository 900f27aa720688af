"""The ticket: number, people waiting ahead, where to go, the QR code, and what the printer did.

When the printer fails the ticket stays on screen, large, for the resident to photograph the QR.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import QrWidget, screen_base

PRINT_TEXT = {
    "printing": ("printBusy", "正在打印小票…"),
    "printed": ("printOk", "小票已打印，请取走小票。"),
    "paper_out": ("printWarn", "打印机缺纸：请用手机拍下本页二维码，或记住您的号码。"),
    "cover_open": ("printWarn", "打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。"),
    "offline": ("printWarn", "打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。"),
    "no_answer": ("printWarn", "打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。"),
    "not_ready": ("printWarn", "打印机暂不可用：请用手机拍下本页二维码，或记住您的号码。"),
    "failed": ("printWarn", "小票打印失败：请用手机拍下本页二维码，或记住您的号码。"),
}
AUTO_HOME_SECONDS = 45
AUTO_HOME_SECONDS_NO_PRINT = 120


class TicketScreen(QWidget):
    done_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.ticket_id = ""
        self.service = QLabel(objectName="title")
        self.service.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.service.setWordWrap(True)
        self.caption = QLabel("您的号码", objectName="muted")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel(objectName="number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ahead = QLabel()
        self.ahead.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.where = QLabel(objectName="notice")
        self.where.setWordWrap(True)
        self.qr = QrWidget()
        self.qr.setMinimumSize(sizes.px(300), sizes.px(300))
        self.qr_caption = QLabel("扫码查看排队进度、评价服务", objectName="muted")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_state = QLabel()
        self.print_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_state.setWordWrap(True)
        self.done = QPushButton("完成，返回首页", objectName="primary")
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
        layout.addWidget(self.done)
        self._auto_home = QTimer(self, singleShot=True, timeout=self.done_clicked.emit)

    def show_ticket(self, ticket, service, qr_url: str) -> None:
        self.ticket_id = ticket.ticket_id
        self.service.setText(service.name)
        self.number.setText(ticket.number)
        self.ahead.setText(f"前面还有 <b>{ticket.waiting_ahead}</b> 人等候")
        where = f"请到 {service.window} 等候叫号。" if service.window else "请在大厅等候叫号。"
        if service.materials:
            where += "\n请准备：" + "；".join(service.materials)
        self.where.setText(where)
        self.qr.set_data(qr_url)
        self.set_print_state(ticket.ticket_id, "printing")

    def set_print_state(self, ticket_id: str, state: str) -> None:
        if ticket_id != self.ticket_id:
            return
        name, text = PRINT_TEXT.get(state, PRINT_TEXT["failed"])
        self.print_state.setObjectName(name)
        self.print_state.setText(text)
        self.print_state.style().unpolish(self.print_state)
        self.print_state.style().polish(self.print_state)
        seconds = AUTO_HOME_SECONDS if state in ("printing", "printed") else AUTO_HOME_SECONDS_NO_PRINT
        self._auto_home.start(seconds * 1000)

    def hideEvent(self, event) -> None:
        self._auto_home.stop()
        super().hideEvent(event)
