"""Pick a service: categories on the left, that category's services with their waiting counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from kiosk.ui.widgets import screen_base


class ServicesScreen(QWidget):
    service_chosen = Signal(str)
    home_clicked = Signal()
    type_id_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._sizes = sizes
        self._catalogue = None
        self._counts: dict[str, int] = {}
        self._category = ""
        self.title = QLabel("请选择办理事项", objectName="title")
        self.home = QPushButton("返回首页")
        self.home.clicked.connect(self.home_clicked)
        self.categories = QVBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.list_host = QWidget(objectName="transparent")
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setSpacing(sizes.px(18))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.list_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        self.identity = QLabel(objectName="notice")
        self.identity.setWordWrap(True)
        self.type_id = QPushButton("输入身份证号")
        self.type_id.clicked.connect(self.type_id_clicked)
        identity_row = QHBoxLayout()
        identity_row.addWidget(self.identity, 1)
        identity_row.addWidget(self.type_id)
        left_host = QWidget(objectName="transparent")
        left_host.setLayout(self.categories)
        self.categories.setSpacing(sizes.px(10))
        self.categories.setContentsMargins(0, 0, 0, 0)
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setWidget(left_host)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.setFixedWidth(sizes.px(400))
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
        self.set_resident(None)

    def set_resident(self, resident, note: str = "") -> None:
        """Who is taking the number (None: nobody identified yet; identifying is optional)."""
        if resident is None:
            text = note or "可在读卡区放置身份证，长者自动优先（可跳过，直接选择事项）"
        else:
            who = resident.display_name or resident.id_masked
            text = f"已识别：{who}" + ("　·　长者优先" if resident.elderly else "")
        self.identity.setText(text)

    def set_catalogue(self, catalogue, counts: dict[str, int]) -> None:
        self._catalogue = catalogue
        self._counts = dict(counts)
        while self.categories.count():
            item = self.categories.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for name in catalogue.categories:
            button = QPushButton(name, objectName="category", checkable=True)
            button.clicked.connect(lambda _=False, n=name: self.show_category(n))
            self.group.addButton(button)
            self.categories.addWidget(button)
        self.categories.addStretch(1)
        if catalogue.categories:
            self.show_category(self._category or catalogue.categories[0])

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = dict(counts)
        if self._category:
            self.show_category(self._category)

    def show_category(self, name: str) -> None:
        self._category = name
        for button in self.group.buttons():
            button.setChecked(button.text() == name)
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for service in self._catalogue.services:
            if service.category != name:
                continue
            waiting = self._counts.get(service.code, 0)
            button = QPushButton(f"{service.name}\n当前等候 {waiting} 人", objectName="service")
            button.setProperty("service_code", service.code)
            button.clicked.connect(lambda _=False, code=service.code: self.service_chosen.emit(code))
            self.list_layout.addWidget(button)
        self.list_layout.addStretch(1)

    def service_buttons(self) -> list[QPushButton]:
        return [self.list_layout.itemAt(i).widget() for i in range(self.list_layout.count())
                if self.list_layout.itemAt(i).widget() is not None]
