"""办事指南: every service as a big button, a category filter, and pinyin-initial search on a letter pad.

Typing S then B keeps 社会保障卡申领 (SBKSL); letters that would find nothing are dimmed, so the
list is never empty. Choosing a category clears the letters, and typing a letter shows all
categories again: one filter at a time, easy to undo.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from kiosk.domain.search import next_letters, search_services
from kiosk.ui.letter_pad import LetterPad
from kiosk.ui.widgets import screen_base

ALL = "全部"


def _scroll(host: QWidget) -> QScrollArea:
    scroll = QScrollArea(objectName="touchScroll")
    scroll.setWidgetResizable(True)
    scroll.setWidget(host)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


class GuidesScreen(QWidget):
    guide_chosen = Signal(str)
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._services = ()
        self._category = ALL
        self._query = ""
        self.title = QLabel("办事指南 · 查一查要带什么", objectName="title")
        self.home = QPushButton("返回首页")
        self.home.clicked.connect(self.home_clicked)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        category_host = QWidget(objectName="transparent")
        self.categories = QVBoxLayout(category_host)
        self.categories.setContentsMargins(0, 0, 0, 0)
        self.categories.setSpacing(px(10))
        categories = _scroll(category_host)
        categories.setFixedWidth(px(300))
        list_host = QWidget(objectName="transparent")
        self.list_layout = QVBoxLayout(list_host)
        self.list_layout.setContentsMargins(0, 0, px(12), 0)
        self.list_layout.setSpacing(px(14))
        self.count = QLabel(objectName="hint")
        self.empty = QLabel("没有找到，请按“清空”重新输入", objectName="calm")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.search_title = QLabel("按拼音首字母查找", objectName="sectionTitle")
        self.search_hint = QLabel("例：社保卡 → 按 S、B", objectName="hint")
        self.query_display = QLabel(objectName="query")
        self.query_display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = LetterPad(sizes, columns=7)
        self.pad.key_pressed.connect(lambda letter: self.set_query(self._query + letter))
        self.pad.backspace_pressed.connect(lambda: self.set_query(self._query[:-1]))
        self.pad.clear_pressed.connect(lambda: self.set_query(""))
        middle = QVBoxLayout()
        middle.setSpacing(px(10))
        middle.addWidget(self.count)
        middle.addWidget(self.empty)
        middle.addWidget(_scroll(list_host), 1)
        search = QVBoxLayout()
        search.setSpacing(px(14))
        search.addWidget(self.search_title)
        search.addWidget(self.search_hint)
        search.addWidget(self.query_display)
        search.addWidget(self.pad, 1)
        body = QHBoxLayout()
        body.setSpacing(px(30))
        body.addWidget(categories)
        body.addLayout(middle, 5)
        body.addLayout(search, 4)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        layout = QVBoxLayout(self)
        margin = px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(px(20))
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def set_catalogue(self, catalogue) -> None:
        self._services = tuple(catalogue.services)
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self.categories.count():
            item = self.categories.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for name in (ALL, *catalogue.categories):
            button = QPushButton(name, objectName="category", checkable=True)
            button.clicked.connect(lambda _=False, n=name: self.show_category(n))
            self.group.addButton(button)
            self.categories.addWidget(button)
        self.categories.addStretch(1)
        self.reset()

    def reset(self) -> None:
        """All services, no letters typed."""
        self._query = ""
        self.show_category(ALL)

    def show_category(self, name: str) -> None:
        self._category = name
        self._query = ""
        self._refresh()

    def set_query(self, text: str) -> None:
        self._query = text.upper()
        if self._query:
            self._category = ALL
        self._refresh()

    def query(self) -> str:
        return self._query

    def visible_codes(self) -> list[str]:
        return [button.property("service_code") for button in self.service_buttons()]

    def service_buttons(self) -> list[QPushButton]:
        return [self.list_layout.itemAt(i).widget() for i in range(self.list_layout.count())
                if isinstance(self.list_layout.itemAt(i).widget(), QPushButton)]

    def category_button(self, name: str) -> QPushButton:
        return next(b for b in self.group.buttons() if b.text() == name)

    def _matching(self) -> list:
        if self._query:
            return search_services(self._services, self._query)
        return [s for s in self._services if self._category in (ALL, s.category)]

    def _refresh(self) -> None:
        for button in self.group.buttons():
            button.setChecked(button.text() == self._category)
        self.query_display.setText(" ".join(self._query) if self._query else "—")
        self.pad.set_available(next_letters(self._services, self._query) if self._services else None)
        self.pad.backspace.setEnabled(bool(self._query))
        self.pad.clear.setEnabled(bool(self._query))
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        found = self._matching()
        for service in found:
            button = QPushButton(f"{service.name}\n{service.category} · {service.initials}", objectName="service")
            button.setProperty("service_code", service.code)
            button.clicked.connect(lambda _=False, code=service.code: self.guide_chosen.emit(code))
            self.list_layout.addWidget(button)
        self.list_layout.addStretch(1)
        self.count.setText(f"共 {len(found)} 项，点一项查看办事指南")
        self.empty.setVisible(not found)
