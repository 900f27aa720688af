"""办事指南: every service as a big button, a category filter, and pinyin-initial search on a letter pad.

Typing S then B keeps 社会保障卡申领 (SBKSL); letters that would find nothing are dimmed, so the
list is never empty. Choosing a category clears the letters, and typing a letter shows all
categories again: one filter at a time, easy to undo.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from kiosk.domain.search import next_letters, search_services
from kiosk.ui.i18n import is_english, pick
from kiosk.ui.letter_pad import LetterPad
from kiosk.ui.screens.services import category_names_en
from kiosk.ui.widgets import WrappingButton, Retranslating, screen_base, title_label

translate = QCoreApplication.translate

ALL = QT_TRANSLATE_NOOP("GuidesScreen", "全部")


def _scroll(host: QWidget) -> QScrollArea:
    scroll = QScrollArea(objectName="touchScroll")
    scroll.setWidgetResizable(True)
    scroll.setWidget(host)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


class GuidesScreen(Retranslating, QWidget):
    guide_chosen = Signal(str)
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._services = ()
        self._category = ALL
        self._query = ""
        self._sizes = sizes
        self._elder = False
        self._categories_en: dict[str, str] = {}
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        category_host = QWidget(objectName="transparent")
        self.categories = QVBoxLayout(category_host)
        self.categories.setContentsMargins(0, 0, 0, 0)
        self.categories.setSpacing(px(10))
        categories = _scroll(category_host)
        categories.setFixedWidth(px(300))
        self.category_column = categories
        list_host = QWidget(objectName="transparent")
        self.list_layout = QVBoxLayout(list_host)
        self.list_layout.setContentsMargins(0, 0, px(12), 0)
        self.list_layout.setSpacing(px(14))
        self.count = QLabel(objectName="hint")
        self.count.setWordWrap(True)
        self.empty = QLabel(objectName="calm")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.search_title = QLabel(objectName="sectionTitle")
        self.search_title.setWordWrap(True)
        self.search_hint = QLabel(objectName="hint")
        self.search_hint.setWordWrap(True)
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
        lists = QHBoxLayout()
        lists.setSpacing(px(30))
        lists.addWidget(categories)
        lists.addLayout(middle, 5)
        body = QVBoxLayout() if sizes.portrait else QHBoxLayout()
        body.setSpacing(px(30))
        body.addLayout(lists, 5)
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
        self.body = body
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("GuidesScreen", "办事指南 · 查一查要带什么"))
        self.home.setText(translate("GuidesScreen", "返回首页"))
        self.empty.setText(translate("GuidesScreen", "没有找到，请按“清空”重新输入"))
        self.search_title.setText(translate("GuidesScreen", "按拼音首字母查找"))
        self.search_hint.setText(translate("GuidesScreen", "例：社保卡 → 按 S、B"))
        self.category_column.setFixedWidth(self._sizes.px((420 if self._elder else 300) + (80 if is_english() else 0)))
        for button in self.group.buttons():
            button.setText(self._category_text(button.property("category")))
        self._refresh()

    def set_elder(self, elder: bool) -> None:
        """长辈模式: no letter search, so the list of guides has the room and the eye."""
        self._elder = elder
        for widget in (self.search_title, self.search_hint, self.query_display, self.pad):
            widget.setVisible(not elder)
        self.body.setStretch(1, 0 if elder else 4)  # the (hidden) search column gives its room to the list
        self.retranslate()

    def spoken_prompt(self) -> str:
        return translate("GuidesScreen", "办事指南 · 查一查要带什么")

    def _category_text(self, name: str) -> str:
        if name == ALL:
            return translate("GuidesScreen", ALL)
        return self._categories_en.get(name, name) if is_english() else name

    def set_catalogue(self, catalogue) -> None:
        self._services = tuple(catalogue.services)
        self._categories_en = category_names_en(catalogue)
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self.categories.count():
            item = self.categories.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for name in (ALL, *catalogue.categories):
            button = WrappingButton(inset=self._sizes.px(28 + 20 + 8), objectName="category", checkable=True)
            button.setProperty("category", name)
            button.setText(self._category_text(name))
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
        return next(b for b in self.group.buttons() if b.property("category") == name)

    def _matching(self) -> list:
        if self._query:
            return search_services(self._services, self._query)
        return [s for s in self._services if self._category in (ALL, s.category)]

    def _refresh(self) -> None:
        for button in self.group.buttons():
            button.setChecked(button.property("category") == self._category)
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
            category = pick(service.category, service.category_en)
            button = WrappingButton(f"{pick(service.name, service.name_en)}\n{category} · {service.initials}",
                                    inset=self._sizes.px(28 + 28 + 8), objectName="service")
            button.setProperty("service_code", service.code)
            button.clicked.connect(lambda _=False, code=service.code: self.guide_chosen.emit(code))
            self.list_layout.addWidget(button)
        self.list_layout.addStretch(1)
        n = len(found)
        self.count.setText(translate("GuidesScreen", "共 1 项，点它查看办事指南") if n == 1
                           else translate("GuidesScreen", "共 {n} 项，点一项查看办事指南").format(n=n))
        self.empty.setVisible(not found)
