"""Pick a service: categories on the left, that category's services with their waiting counts."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from kiosk.ui.i18n import is_english, pick
from kiosk.ui.widgets import WrappingButton, Retranslating, screen_base, title_label


translate = QCoreApplication.translate

READER_UNAVAILABLE = QT_TRANSLATE_NOOP("ServicesScreen", "读卡器暂不可用：可点“输入身份证号”，或直接选择事项")
READER_PROBLEMS = {"card_read_failed": QT_TRANSLATE_NOOP("ServicesScreen", "读卡失败：请拿起身份证，再重新放到读卡区")}

def category_names_en(catalogue) -> dict[str, str]:
    """Each category's English name, from the first service that gives one."""
    names: dict[str, str] = {}
    for service in catalogue.services:
        if service.category_en and service.category not in names:
            names[service.category] = service.category_en
    return names


def _row_button(sizes, inset: float, **kwargs) -> QPushButton:
    """A button of the row under the identity line. In portrait the three share a row of their own and
    wrap rather than cut their words off (English, elder mode); in landscape, beside the identity
    line, they keep their words on one line."""
    return WrappingButton(inset=sizes.px(inset), **kwargs) if sizes.portrait else QPushButton(**kwargs)


class ServicesScreen(Retranslating, QWidget):
    service_chosen = Signal(str)
    home_clicked = Signal()
    type_id_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._sizes = sizes
        self._catalogue = None
        self._counts: dict[str, int] = {}
        self._estimates: dict[str, int] = {}
        self._category = ""
        self._elder = False
        self._resident = None
        self._note = ""
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.categories = QVBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.list_host = QWidget(objectName="transparent")
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setSpacing(sizes.px(18))
        scroll = QScrollArea(objectName="touchScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        self.identity = QLabel(objectName="notice")
        self.identity.setWordWrap(True)
        self.type_id = _row_button(sizes, 28 + 28 + 8)
        self.type_id.clicked.connect(self.type_id_clicked)
        self.disabled = _row_button(sizes, 28 + 20 + 8, objectName="category", checkable=True)
        self.pregnant = _row_button(sizes, 28 + 20 + 8, objectName="category", checkable=True)
        self.disabled.clicked.connect(lambda on: on and self.pregnant.setChecked(False))
        self.pregnant.clicked.connect(lambda on: on and self.disabled.setChecked(False))
        buttons_row = QHBoxLayout()  # in portrait under the identity line, which then has the full width
        for button in (self.disabled, self.pregnant, self.type_id):
            buttons_row.addWidget(button)
        identity_row = QVBoxLayout() if sizes.portrait else QHBoxLayout()
        identity_row.addWidget(self.identity, 1)
        identity_row.addLayout(buttons_row)
        left_host = QWidget(objectName="transparent")
        left_host.setLayout(self.categories)
        self.categories.setSpacing(sizes.px(10))
        self.categories.setContentsMargins(0, 0, 0, 0)
        left = QScrollArea(objectName="touchScroll")  # a wide scroll bar shows that more categories follow
        left.setWidgetResizable(True)
        left.setWidget(left_host)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.setFixedWidth(self._category_width())
        self.category_column = left
        middle = QHBoxLayout()
        middle.setSpacing(sizes.px(30))
        middle.addWidget(left)
        middle.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        margin = sizes.px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(24))
        layout.addLayout(top)
        layout.addLayout(identity_row)
        layout.addLayout(middle, 1)
        self.retranslate()

    def chosen_priority(self) -> str | None:
        """The priority the resident asked for by a tap: "disabled", "pregnant" or None."""
        return "disabled" if self.disabled.isChecked() else "pregnant" if self.pregnant.isChecked() else None

    def clear_priority(self) -> None:
        self.disabled.setChecked(False)
        self.pregnant.setChecked(False)

    def show_reader_problem(self, kind: str) -> None:
        """The card could not be read (card_read_failed) or the reader is not there: nobody identified."""
        self.set_resident(None, READER_PROBLEMS.get(kind, READER_UNAVAILABLE))

    def set_resident(self, resident, note: str = "") -> None:
        """Who is taking the number (None: nobody identified yet; identifying is optional).

        ``note`` is one of this screen's reader texts, in Chinese (shown translated).
        """
        self._resident, self._note = resident, note
        if resident is None:
            text = (translate("ServicesScreen", note) if note
                    else translate("ServicesScreen", "可在读卡区放置身份证，长者自动优先（可跳过，直接选择事项）"))
        else:
            who = resident.display_name or resident.id_masked
            text = translate("ServicesScreen", "已识别：{who}").format(who=who) + (translate("ServicesScreen", "　·　长者优先") if resident.elderly else "")
        self.identity.setText(text)

    def set_elder(self, elder: bool) -> None:
        """长辈模式: a wider category column; the style sheet makes the rows taller, so fewer show at once."""
        self._elder = elder
        self.category_column.setFixedWidth(self._category_width())
        self._show_categories()

    def _category_width(self) -> int:
        """Wide enough for a category name (English ones are longer: wider, so that they seldom
        wrap); in portrait the services keep most of the 1080 px."""
        english = is_english()
        if self._sizes.portrait:
            return self._sizes.px((420 if english else 330) if self._elder else (390 if english else 300))
        return self._sizes.px((700 if english else 460) if self._elder else (560 if english else 400))

    def spoken_prompt(self) -> str:
        return translate("ServicesScreen", "请选择办理事项")

    def retranslate(self) -> None:
        self.title.setText(translate("ServicesScreen", "请选择办理事项"))
        self.home.setText(translate("ServicesScreen", "返回首页"))
        self.type_id.setText(translate("ServicesScreen", "输入身份证号"))
        self.disabled.setText(translate("ServicesScreen", "残疾人优先"))
        self.pregnant.setText(translate("ServicesScreen", "孕妇优先"))
        self.set_resident(self._resident, self._note)
        self.category_column.setFixedWidth(self._category_width())
        self._show_categories()
        if self._catalogue is not None and self._category:
            self.show_category(self._category)

    def _category_text(self, name: str) -> str:
        return category_names_en(self._catalogue).get(name, name) if is_english() else name

    def _show_categories(self) -> None:
        for button in self.group.buttons():
            button.setText(self._category_text(button.property("category")))

    def set_catalogue(self, catalogue, counts: dict[str, int]) -> None:
        self._catalogue = catalogue
        self._counts = dict(counts)
        while self.categories.count():
            item = self.categories.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for name in catalogue.categories:
            button = WrappingButton(inset=self._sizes.px(28 + 20 + 8), objectName="category", checkable=True)
            button.setProperty("category", name)
            button.setText(self._category_text(name))
            button.clicked.connect(lambda _=False, n=name: self.show_category(n))
            self.group.addButton(button)
            self.categories.addWidget(button)
        self.categories.addStretch(1)
        if catalogue.categories:
            self.show_category(self._category or catalogue.categories[0])

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        self._refresh_waiting()

    def set_estimates(self, minutes: dict[str, int]) -> None:
        """Minutes of waiting per service code, from today's measured service times (may be empty)."""
        self._estimates = dict(minutes)
        self._refresh_waiting()

    def _refresh_waiting(self) -> None:
        """New figures change the texts in place: a button under a resident's finger stays put."""
        for button in self.service_buttons():
            code = button.property("service_code")
            if code:
                button.setText(f"{self._service_name(code)}\n" + self.waiting_text(code))

    def _service_name(self, code: str) -> str:
        service = self._catalogue.service(code)
        return pick(service.name, service.name_en)

    def waiting_text(self, code: str) -> str:
        waiting = self._counts.get(code, 0)
        text = translate("ServicesScreen", "当前等候 {n} 人").format(n=waiting)
        if waiting and code in self._estimates:
            text += translate("ServicesScreen", " · 约 {minutes} 分钟").format(minutes=max(1, self._estimates[code]))
        return text

    def show_category(self, name: str) -> None:
        self._category = name
        for button in self.group.buttons():
            button.setChecked(button.property("category") == name)
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for service in self._catalogue.services:
            if service.category != name:
                continue
            button = WrappingButton(f"{self._service_name(service.code)}\n" + self.waiting_text(service.code),
                                    inset=self._sizes.px(28 + 28 + 8), objectName="service")
            button.setProperty("service_code", service.code)
            button.clicked.connect(lambda _=False, code=service.code: self.service_chosen.emit(code))
            self.list_layout.addWidget(button)
        self.list_layout.addStretch(1)

    def service_buttons(self) -> list[QPushButton]:
        return [self.list_layout.itemAt(i).widget() for i in range(self.list_layout.count())
                if self.list_layout.itemAt(i).widget() is not None]
