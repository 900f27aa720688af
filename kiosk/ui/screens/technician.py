"""Technician mode: devices, last errors, the sync queue and its dead letters, tests, quit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from kiosk.ui.widgets import screen_base

PAPER = {"ok": "纸充足", "near_end": "纸将尽", "out": "缺纸", "unknown": "未知"}


def printer_text(status) -> str:
    if status is None:
        return "尚未检测"
    if status.online is None and status.paper == "unknown":
        return "无应答（检查电源与连线）"
    parts = ["在线" if status.online else "离线", PAPER.get(status.paper, status.paper)]
    if status.cover_open:
        parts.append("机盖打开")
    return "，".join(parts)


class TechnicianScreen(QWidget):
    refresh_clicked = Signal()
    test_print_clicked = Signal()
    sync_now_clicked = Signal()
    quit_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, sizes, *, kiosk_id: str, station_id: str, version: str, sync_server: str,
                 can_quit: bool, parent=None):
        super().__init__(parent)
        screen_base(self)
        self.title = QLabel("技术人员模式 · Technician", objectName="title")
        self.identity = QLabel(f"终端 {kiosk_id} · 站点 {station_id} · 版本 {version}")
        self.printer = QLabel("尚未检测")
        self.reader = QLabel("尚未检测")
        self.card = QLabel("放一张证件到读卡区以测试读卡")
        self.queue = QLabel("—")
        self.sync = QLabel(f"同步服务器：{sync_server}" if sync_server else "同步服务器：未配置（仅离线）")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.events = QListWidget()
        self.dead_letters = QListWidget()
        grid = QGridLayout()
        for row, (label, widget) in enumerate((("打印机", self.printer), ("读卡器", self.reader),
                                               ("读卡测试", self.card), ("待上传", self.queue),
                                               ("同步", self.sync))):
            grid.addWidget(QLabel(label, objectName="muted"), row, 0)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self.progress, 5, 1)
        lists = QHBoxLayout()
        for caption, widget in (("最近事件", self.events), ("无法上传的记录（死信）", self.dead_letters)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption, objectName="muted"))
            column.addWidget(widget, 1)
            lists.addLayout(column, 1)
        self.refresh = QPushButton("刷新")
        self.test_print = QPushButton("测试打印")
        self.sync_now = QPushButton("立即同步")
        self.sync_now.setEnabled(bool(sync_server))
        self.quit = QPushButton("退出到桌面")
        self.quit.setVisible(can_quit)
        self.home = QPushButton("返回首页", objectName="primary")
        buttons = QHBoxLayout()
        for button, signal in ((self.refresh, self.refresh_clicked), (self.test_print, self.test_print_clicked),
                               (self.sync_now, self.sync_now_clicked), (self.quit, self.quit_clicked),
                               (self.home, self.home_clicked)):
            button.clicked.connect(signal)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        margin = sizes.px(32)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(14))
        layout.addWidget(self.title)
        layout.addWidget(self.identity)
        layout.addLayout(grid)
        layout.addLayout(lists, 1)
        layout.addLayout(buttons)

    def set_printer_status(self, status) -> None:
        self.printer.setText(printer_text(status))

    def set_reader_state(self, text: str) -> None:
        self.reader.setText(text)

    def set_card_test(self, text: str) -> None:
        self.card.setText(text)

    def set_store_status(self, status: dict) -> None:
        self.queue.setText(f"{status['pending']} 条待上传 · 今日已取号 {status['tickets_today']} 张")
        self.events.clear()
        for event in status["events"]:
            self.events.addItem(f"{event['at'][5:16].replace('T', ' ')}  {event['type']}  "
                                f"{event['detail'].get('reason', '')}")
        self.dead_letters.clear()
        for letter in status["dead_letters"]:
            self.dead_letters.addItem(f"#{letter['seq']} {letter['entity']}  {letter['code']}: {letter['detail']}")

    def set_sync_result(self, text: str) -> None:
        self.sync.setText(text[:160])

    def set_sync_progress(self, done: int, total: int) -> None:
        self.progress.setValue(100 if total == 0 else round(100 * done / total))
