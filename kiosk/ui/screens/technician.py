"""Technician mode: devices, last errors, the sync queue and its dead letters, the one-hour rule,
tests, quit.

The screen keeps what it was told (printer status, reader state, store status, last sync) and
words it in the current language, so switching language shows the same facts again.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from kiosk.ui.widgets import Retranslating, screen_base, title_label

translate = QCoreApplication.translate
PAPER = {"ok": QT_TRANSLATE_NOOP("TechnicianScreen", "纸充足"),
         "near_end": QT_TRANSLATE_NOOP("TechnicianScreen", "纸将尽"),
         "out": QT_TRANSLATE_NOOP("TechnicianScreen", "缺纸"),
         "unknown": QT_TRANSLATE_NOOP("TechnicianScreen", "未知")}
ENROLLED = QT_TRANSLATE_NOOP("TechnicianScreen", "已注册")  # enrolled, the server's URL kept with the secret
ROWS = (("printer", QT_TRANSLATE_NOOP("TechnicianScreen", "打印机")),
        ("reader", QT_TRANSLATE_NOOP("TechnicianScreen", "读卡器")),
        ("card", QT_TRANSLATE_NOOP("TechnicianScreen", "读卡测试")),
        ("queue", QT_TRANSLATE_NOOP("TechnicianScreen", "待上传")),
        ("one_hour", QT_TRANSLATE_NOOP("TechnicianScreen", "一小时办结")),
        ("sync", QT_TRANSLATE_NOOP("TechnicianScreen", "同步")),
        ("catalogue", QT_TRANSLATE_NOOP("TechnicianScreen", "目录版本")))


# What the events and faults mean, in the words a technician on site reads (the codes stay in the log).
WORDS = {
    "device_fault": QT_TRANSLATE_NOOP("TechnicianScreen", "设备故障"),
    "device_recovered": QT_TRANSLATE_NOOP("TechnicianScreen", "设备恢复"),
    "paper_low": QT_TRANSLATE_NOOP("TechnicianScreen", "纸将用完"),
    "paper_out": QT_TRANSLATE_NOOP("TechnicianScreen", "缺纸"),
    "assistance_request": QT_TRANSLATE_NOOP("TechnicianScreen", "帮办代办请求"),
    "app_started": QT_TRANSLATE_NOOP("TechnicianScreen", "程序启动"),
    "sync_error": QT_TRANSLATE_NOOP("TechnicianScreen", "同步出错"),
    "one_hour_rule_daily": QT_TRANSLATE_NOOP("TechnicianScreen", "一小时办结统计"),
    "op_lost": QT_TRANSLATE_NOOP("TechnicianScreen", "丢失记录的补记"),
    "cover_open": QT_TRANSLATE_NOOP("TechnicianScreen", "机盖打开"),
    "offline": QT_TRANSLATE_NOOP("TechnicianScreen", "打印机离线"),
    "failed": QT_TRANSLATE_NOOP("TechnicianScreen", "打印失败"),
    "reader_unavailable": QT_TRANSLATE_NOOP("TechnicianScreen", "读卡器不可用（检查连线与端口）"),
    "port_unavailable": QT_TRANSLATE_NOOP("TechnicianScreen", "端口打不开"),
    "no_reply": QT_TRANSLATE_NOOP("TechnicianScreen", "读卡器无应答"),
    "unsupported_reader": QT_TRANSLATE_NOOP("TechnicianScreen", "不支持的读卡器"),
    "framing_error": QT_TRANSLATE_NOOP("TechnicianScreen", "通信数据错误（检查波特率与连线）"),
    "sam_failure": QT_TRANSLATE_NOOP("TechnicianScreen", "安全模块故障（需维修）"),
    "card_read_failed": QT_TRANSLATE_NOOP("TechnicianScreen", "读卡失败"),
    "protocol_error": QT_TRANSLATE_NOOP("TechnicianScreen", "通信协议错误"),
    "bad_text_block": QT_TRANSLATE_NOOP("TechnicianScreen", "证件信息无法解析"),
    "invalid_payload": QT_TRANSLATE_NOOP("TechnicianScreen", "内容不合规"),
    "unknown_entity": QT_TRANSLATE_NOOP("TechnicianScreen", "服务器不认识的记录"),
    "seq_conflict": QT_TRANSLATE_NOOP("TechnicianScreen", "序号冲突"),
    "op_id_conflict": QT_TRANSLATE_NOOP("TechnicianScreen", "记录号冲突"),
    "already_rated": QT_TRANSLATE_NOOP("TechnicianScreen", "已评价过"),
    "ticket": QT_TRANSLATE_NOOP("TechnicianScreen", "取号"),
    "rating": QT_TRANSLATE_NOOP("TechnicianScreen", "评价"),
    "event": QT_TRANSLATE_NOOP("TechnicianScreen", "事件"),
}


def words(code: str) -> str:
    """A code in words; an unknown code as it is."""
    return translate("TechnicianScreen", WORDS[code]) if code in WORDS else code


def printer_text(status) -> str:
    if status is None:
        return translate("TechnicianScreen", "尚未检测")
    if status.online is None and status.paper == "unknown":
        return translate("TechnicianScreen", "无应答（检查电源与连线）")
    online = translate("TechnicianScreen", "在线") if status.online else translate("TechnicianScreen", "离线")
    parts = [online, translate("TechnicianScreen", PAPER.get(status.paper, "未知"))]
    if status.cover_open:
        parts.append(translate("TechnicianScreen", "机盖打开"))
    return translate("TechnicianScreen", "，").join(parts)


def reader_text(state: str | None) -> str:
    """None: not heard from yet; "ok"; else the fault kind the card worker reported."""
    if state is None:
        return translate("TechnicianScreen", "尚未检测")
    if state == "ok":
        return translate("TechnicianScreen", "正常")
    return translate("TechnicianScreen", "故障：{kind}").format(kind=words(state))


def one_hour_text(today: dict | None, recorded: list[dict]) -> str:
    """Today's share of served tickets called within the hour, and the last recorded day."""
    if not today:
        return "—"
    if today["served"]:
        text = translate("TechnicianScreen", "今日已办结 {served} 张，其中 {within} 张在一小时内开始办理").format(
            served=today["served"], within=today["within_hour"])
    else:
        text = translate("TechnicianScreen", "今日尚无办结")
    if recorded:
        last = recorded[0]
        share = f"{last['share'] * 100:.0f}%" if last.get("share") is not None else "—"
        text += translate("TechnicianScreen", "；{day}：{within}/{served}（{share}）").format(
            day=last["business_date"], within=last["within_hour"], served=last["served"], share=share)
    return text


def catalogue_text(version: int | None) -> str:
    """The district's catalogue version the kiosk holds (None: only the installation's file so far)."""
    if version is None:
        return translate("TechnicianScreen", "安装时的目录文件（尚未从区里同步目录）")
    return translate("TechnicianScreen", "区目录第 {version} 版").format(version=version)


def sync_text(server: str, result: tuple | None) -> str:
    if not server:
        return translate("TechnicianScreen", "同步服务器：未配置（仅离线）")
    if result is None:
        shown = translate("TechnicianScreen", ENROLLED) if server == ENROLLED else server
        return translate("TechnicianScreen", "同步服务器：{server}").format(server=shown)
    kind, detail = result
    if kind == "ok":
        done = translate("TechnicianScreen", "上次同步成功：上传 {acked} 条，下载 {pulled} 条，待上传 {pending} 条，{seconds} 秒")
        return done.format(
            acked=detail.get("acked", 0), pulled=detail.get("pulled", 0), pending=detail.get("pending", 0),
            seconds=detail.get("seconds", 0))
    return translate("TechnicianScreen", "同步失败（{kind}）：{detail}").format(kind=kind, detail=detail)[:160]


class TechnicianScreen(Retranslating, QWidget):
    refresh_clicked = Signal()
    test_print_clicked = Signal()
    sync_now_clicked = Signal()
    quit_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, sizes, *, kiosk_id: str, station_id: str, version: str, sync_server: str,
                 can_quit: bool, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._ids = (kiosk_id, station_id, version)
        self._server = sync_server
        self._printer_status = None
        self._reader_state: str | None = None
        self._card_test = ""
        self._store_status: dict | None = None
        self._sync_result: tuple | None = None
        self.title = title_label()
        self.identity = QLabel()
        self.values = {key: QLabel() for key, _caption in ROWS}
        for label in self.values.values():
            label.setWordWrap(True)
        self.captions = {key: QLabel(objectName="muted") for key, _caption in ROWS}
        self.printer, self.reader, self.card = self.values["printer"], self.values["reader"], self.values["card"]
        self.queue, self.one_hour, self.sync = self.values["queue"], self.values["one_hour"], self.values["sync"]
        self.catalogue = self.values["catalogue"]
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.events = QListWidget()
        self.dead_letters = QListWidget()
        grid = QGridLayout()
        for row, (key, _caption) in enumerate(ROWS):
            grid.addWidget(self.captions[key], row, 0)
            grid.addWidget(self.values[key], row, 1)
        grid.addWidget(self.progress, len(ROWS), 1)
        grid.setColumnStretch(1, 1)
        self.events_caption = QLabel(objectName="muted")
        self.dead_caption = QLabel(objectName="muted")
        lists = QHBoxLayout()
        for caption, widget in ((self.events_caption, self.events), (self.dead_caption, self.dead_letters)):
            column = QVBoxLayout()
            column.addWidget(caption)
            column.addWidget(widget, 1)
            lists.addLayout(column, 1)
        self.refresh = QPushButton()
        self.test_print = QPushButton()
        self.sync_now = QPushButton()
        self.sync_now.setEnabled(bool(sync_server))
        self.quit = QPushButton()
        self.quit.setVisible(can_quit)
        self.home = QPushButton(objectName="primary")
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
        self.retranslate()

    def retranslate(self) -> None:
        kiosk_id, station_id, version = self._ids
        self.title.setText(translate("TechnicianScreen", "技术人员模式"))
        self.identity.setText(translate("TechnicianScreen", "终端 {kiosk} · 站点 {station} · 版本 {version}").format(
            kiosk=kiosk_id, station=station_id, version=version))
        for key, caption in ROWS:
            self.captions[key].setText(translate("TechnicianScreen", caption))
        self.events_caption.setText(translate("TechnicianScreen", "最近事件"))
        self.dead_caption.setText(translate("TechnicianScreen", "服务器拒收的记录（已保留）"))
        self.refresh.setText(translate("TechnicianScreen", "刷新"))
        self.test_print.setText(translate("TechnicianScreen", "测试打印"))
        self.sync_now.setText(translate("TechnicianScreen", "立即同步"))
        self.quit.setText(translate("TechnicianScreen", "退出到桌面"))
        self.home.setText(translate("TechnicianScreen", "返回首页"))
        self.printer.setText(printer_text(self._printer_status))
        self.reader.setText(reader_text(self._reader_state))
        self.card.setText(translate("TechnicianScreen", "读卡成功：{card}").format(card=self._card_test) if self._card_test
                          else translate("TechnicianScreen", "放一张证件到读卡区以测试读卡"))
        self.sync.setText(sync_text(self._server, self._sync_result))
        self._show_store_status()

    def set_printer_status(self, status) -> None:
        self._printer_status = status
        self.printer.setText(printer_text(status))

    def set_reader_state(self, state: str | None) -> None:
        self._reader_state = state
        self.reader.setText(reader_text(state))

    def set_card_test(self, masked_card: str) -> None:
        """What the test read found, already masked (card type, name, masked number)."""
        self._card_test = masked_card
        self.retranslate()

    def set_store_status(self, status: dict) -> None:
        self._store_status = status
        self._show_store_status()

    def _show_store_status(self) -> None:
        status = self._store_status
        if status is None:
            self.queue.setText("—")
            self.one_hour.setText("—")
            self.catalogue.setText("—")
            return
        self.catalogue.setText(catalogue_text(status.get("catalogue_version")) if "catalogue_version" in status else "—")
        self.queue.setText(translate("TechnicianScreen", "{pending} 条待上传 · 今日已取号 {tickets} 张").format(
            pending=status["pending"], tickets=status["tickets_today"]))
        self.one_hour.setText(one_hour_text(status.get("one_hour_today"), status.get("one_hour_recorded", [])))
        self.events.clear()
        for event in status["events"]:
            reason = event["detail"].get("reason", "")
            self.events.addItem(f"{event['at'][5:16].replace('T', ' ')}  {words(event['type'])}  "
                                f"{words(reason) if reason else ''}".rstrip())
        self.dead_letters.clear()
        for letter in status["dead_letters"]:
            # the code too, for the call to the district's support: they search by it
            self.dead_letters.addItem(f"#{letter['seq']} {words(letter['entity'])}  {words(letter['code'])} "
                                      f"({letter['code']})：{letter['detail']}")

    def set_sync_result(self, kind: str, detail) -> None:
        """("ok", the run's summary) or (failure kind, detail)."""
        self._sync_result = (kind, detail)
        self.sync.setText(sync_text(self._server, self._sync_result))

    def set_sync_progress(self, done: int, total: int) -> None:
        self.progress.setValue(100 if total == 0 else round(100 * done / total))
