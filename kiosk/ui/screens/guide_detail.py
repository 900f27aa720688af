"""One 办事指南: what to bring (numbered), fee, time limit, where it can be done, and what next."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.ui.i18n import shown
from kiosk.ui.widgets import QrWidget, Retranslating, WrappingButton, screen_base, title_label

translate = QCoreApplication.translate

HERE = QT_TRANSLATE_NOOP("GuideDetailScreen", "本站可办")
ONLINE = QT_TRANSLATE_NOOP("GuideDetailScreen", "网上可办")
SCOPE_TEXT = {
    "station": [HERE],
    "district": [HERE, QT_TRANSLATE_NOOP("GuideDetailScreen", "区内通办：区内各便民服务中心都能办")],
    "online": [ONLINE, QT_TRANSLATE_NOOP("GuideDetailScreen", "本站也可帮您办理")],
}
NOT_HERE = QT_TRANSLATE_NOOP("GuideDetailScreen", "本站暂不受理，请到服务台咨询")
FACTS = (QT_TRANSLATE_NOOP("GuideDetailScreen", "收费"), QT_TRANSLATE_NOOP("GuideDetailScreen", "办理时限"),
         QT_TRANSLATE_NOOP("GuideDetailScreen", "办理部门"), QT_TRANSLATE_NOOP("GuideDetailScreen", "办理窗口"))


PRINT_STATES = {
    "ready": QT_TRANSLATE_NOOP("GuideDetailScreen", "打印办事指南"),
    "printing": QT_TRANSLATE_NOOP("GuideDetailScreen", "正在打印…"),
    "printed": QT_TRANSLATE_NOOP("GuideDetailScreen", "已打印，请取走"),
    "failed": QT_TRANSLATE_NOOP("GuideDetailScreen", "打印机暂不可用"),
}


def where_lines(service, offered_here: bool = True) -> list[str]:
    """Where a resident can get this done, in a few words each."""
    lines = list(SCOPE_TEXT.get(service.scope, SCOPE_TEXT["station"]))
    if not offered_here:
        lines = [line for line in lines if line != HERE] or [NOT_HERE]
    if service.online_url and ONLINE not in lines:
        lines.append(ONLINE)
    return lines


class GuideDetailScreen(Retranslating, QWidget):
    take_number_requested = Signal(str)
    print_guide_requested = Signal(str)
    back_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self.code = ""
        self._service = None
        self._offered_here = True
        self.title = title_label()
        self.title.setWordWrap(True)
        self.back = QPushButton()
        self.back.clicked.connect(self.back_clicked)
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.materials_title = QLabel(objectName="sectionTitle")
        self.materials = QLabel(objectName="detail")
        self.materials.setWordWrap(True)
        self.materials.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(px(24))
        self.facts.setVerticalSpacing(px(10))
        self.fee = QLabel()
        self.time_limit = QLabel()
        self.department = QLabel()
        self.window = QLabel()
        self.fact_names: list[QLabel] = []
        for row, value in enumerate((self.fee, self.time_limit, self.department, self.window)):
            name = QLabel(objectName="muted")
            self.fact_names.append(name)
            self.facts.addWidget(name, row, 0)
            value.setWordWrap(True)
            self.facts.addWidget(value, row, 1)
        self.facts.setColumnStretch(1, 1)
        self.where_box = QVBoxLayout()
        self.where_box.setSpacing(px(10))
        self.where_labels: list[QLabel] = []
        self.qr = QrWidget()
        self.qr.setMinimumSize(px(260), px(260))
        self.qr_caption = QLabel(objectName="muted")
        self.qr_caption.setWordWrap(True)
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_guide = WrappingButton(inset=sizes.px(28 + 28 + 8))  # narrow in portrait, large in elder mode
        self._print_state = "ready"
        self.print_guide.clicked.connect(lambda: self.print_guide_requested.emit(self.code))
        self.take_number = QPushButton(objectName="primary")
        self.take_number.clicked.connect(lambda: self.take_number_requested.emit(self.code))
        left_host = QWidget(objectName="transparent")
        left = QVBoxLayout(left_host)
        left.setContentsMargins(0, 0, px(12), 0)
        left.setSpacing(px(16))
        left.addWidget(self.materials_title)
        left.addWidget(self.materials)
        left.addLayout(self.facts)
        left.addStretch(1)
        scroll = QScrollArea(objectName="touchScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(left_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.setSpacing(px(14))
        self.where_title = QLabel(objectName="sectionTitle")
        right.addWidget(self.where_title)
        right.addLayout(self.where_box)
        right.addWidget(self.qr, 1)
        right.addWidget(self.qr_caption)
        right.addStretch(0)
        body = QHBoxLayout()
        body.setSpacing(px(40))
        body.addWidget(scroll, 3)
        body.addLayout(right, 2)
        top = QHBoxLayout()
        top.setSpacing(px(20))
        top.addWidget(self.title, 1)
        top.addWidget(self.back)
        top.addWidget(self.home)
        actions = QHBoxLayout()
        actions.setSpacing(px(24))
        actions.addWidget(self.print_guide, 1)
        actions.addWidget(self.take_number, 2)
        layout = QVBoxLayout(self)
        margin = px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(px(20))
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText(translate("GuideDetailScreen", "返回列表"))
        self.home.setText(translate("GuideDetailScreen", "返回首页"))
        self.materials_title.setText(translate("GuideDetailScreen", "请带好以下材料"))
        for label, name in zip(self.fact_names, FACTS):
            label.setText(translate("GuideDetailScreen", name))
        self.qr_caption.setText(translate("GuideDetailScreen", "手机扫码，网上办理"))
        self.take_number.setText(translate("GuideDetailScreen", "取号办理  Take a number"))
        self.where_title.setText(translate("GuideDetailScreen", "在哪里办"))
        self.print_guide.setText(translate("GuideDetailScreen", PRINT_STATES[self._print_state]))
        if self._service is not None:
            self._show_texts(self._service, self._offered_here)

    def spoken_prompt(self) -> str:
        return self.title.text() + "。" + translate("GuideDetailScreen", "请带好以下材料")

    def set_print_state(self, state: str) -> None:
        """The print button: "ready", "printing", "printed" or "failed" (any reason it did not print)."""
        self._print_state = state if state in PRINT_STATES else "failed"
        self.print_guide.setText(translate("GuideDetailScreen", PRINT_STATES[self._print_state]))

    def show_service(self, service, offered_here: bool = True) -> None:
        self.code = service.code
        self._service, self._offered_here = service, offered_here
        self._show_texts(service, offered_here)
        has_url = bool(service.online_url)
        if has_url:
            self.qr.set_data(service.online_url)
        self.qr.setVisible(has_url)
        self.qr_caption.setVisible(has_url)
        self.take_number.setEnabled(offered_here)

    def _show_texts(self, service, offered_here: bool) -> None:
        offered, service = service, shown(service)
        self.title.setText(service.name)
        if service.materials:
            self.materials.setText("\n".join(f"{i}. {m}" for i, m in enumerate(service.materials, 1)))
        else:
            self.materials.setText(translate("GuideDetailScreen", "无需准备材料，直接取号即可。"))
        self.fee.setText(service.fee or "—")
        self.time_limit.setText(service.time_limit or "—")
        self.department.setText(service.department or "—")
        self.window.setText(service.window or translate("GuideDetailScreen", "请到服务台咨询"))
        for label in self.where_labels:
            self.where_box.removeWidget(label)
            label.deleteLater()
        self.where_labels = []
        for line in where_lines(offered, offered_here):
            label = QLabel(translate("GuideDetailScreen", line), objectName="where")
            label.setWordWrap(True)
            self.where_box.addWidget(label)
            self.where_labels.append(label)

    def where_texts(self) -> list[str]:
        return [label.text() for label in self.where_labels]
