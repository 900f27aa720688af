"""一件事一次办: the life-event bundles as big buttons; one chosen shows its services and a single
list of what to bring (the services' materials merged, each once), and takes one number for all.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QVBoxLayout, QWidget)

from kiosk.ui.i18n import bundle_text, is_english, pick
from kiosk.ui.widgets import WrappingButton, Retranslating, screen_base, title_label

translate = QCoreApplication.translate


def bundle_services(bundle: dict, catalogue) -> list:
    """The bundle's services that the catalogue knows, in the bundle's order."""
    found = (catalogue.service(code) for code in bundle.get("services", ()))
    return [service for service in found if service is not None]


def merged_materials(bundle: dict, catalogue, english: bool = False) -> list[str]:
    """Every material of the bundle's services once, in first-seen order (in English when asked:
    each material's English text, its Chinese one where the catalogue gives none)."""
    merged = catalogue.bundle_materials(bundle)
    return list(merged.values()) if english else list(merged)


class BundlesScreen(Retranslating, QWidget):
    take_number_requested = Signal(str)  # bundle code
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._sizes = sizes
        self._bundles: list[dict] = []
        self._catalogue = None
        self.code = ""
        self._elder = False
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.bundle_column = QVBoxLayout()
        self.bundle_column.setSpacing(px(18))
        self.name = QLabel(objectName="sectionTitle")
        self.name.setWordWrap(True)
        self.description = QLabel(objectName="hint")
        self.description.setWordWrap(True)
        self.services = QLabel(objectName="detail")
        self.services.setWordWrap(True)
        self.materials_title = QLabel(objectName="sectionTitle")
        self.materials_title.setWordWrap(True)
        self.materials = QLabel(objectName="detail")
        self.materials.setWordWrap(True)
        self.window = QLabel(objectName="where")
        self.window.setWordWrap(True)
        self.take_number = QPushButton(objectName="primary")
        self.take_number.clicked.connect(lambda: self.take_number_requested.emit(self.code))
        detail_host = QWidget(objectName="transparent")
        detail = QVBoxLayout(detail_host)
        detail.setContentsMargins(0, 0, px(12), 0)
        detail.setSpacing(px(10))
        for widget in (self.name, self.description, self.services, self.materials_title, self.materials):
            detail.addWidget(widget)
        detail.addStretch(1)
        scroll = QScrollArea(objectName="touchScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.setSpacing(px(18))
        right.addWidget(scroll, 1)
        right.addWidget(self.window)
        right.addWidget(self.take_number)
        body = QHBoxLayout()
        body.setSpacing(px(40))
        body.addLayout(self.bundle_column, 1)
        body.addLayout(right, 2)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        layout = QVBoxLayout(self)
        margin = px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(px(24))
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("BundlesScreen", "一件事一次办 · 相关事项一次办好"))
        self.home.setText(translate("BundlesScreen", "返回首页"))
        self.materials_title.setText(translate("BundlesScreen", "请带好以下材料（已合并，每样带一份）"))
        self.take_number.setText(translate("BundlesScreen", "取号办理  Take a number"))
        for button in self.group.buttons():
            bundle = next((b for b in self._bundles if b["code"] == button.property("bundle_code")), None)
            if bundle is not None:
                button.setText(self._button_text(bundle))
        self._show_detail(next((b for b in self._bundles if b["code"] == self.code), None))

    def set_elder(self, elder: bool) -> None:
        self._elder = elder
        self.retranslate()

    def spoken_prompt(self) -> str:
        return translate("BundlesScreen", "请在左边选择您要办的一件事")

    def _button_text(self, bundle: dict) -> str:
        count = len(bundle.get("services", ()))
        return (bundle_text(bundle, "name") + "\n"
                + (translate("BundlesScreen", "包含 1 项事项") if count == 1
                   else translate("BundlesScreen", "包含 {n} 项事项").format(n=count)))

    def set_bundles(self, bundles: list[dict], catalogue) -> None:
        """The bundles as plain dicts (code, name, services, description, window) and the catalogue."""
        self._bundles = [dict(b) for b in bundles]
        self._catalogue = catalogue
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self.bundle_column.count():
            item = self.bundle_column.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for bundle in self._bundles:
            button = WrappingButton(self._button_text(bundle), inset=self._sizes.px(32 + 28 + 8), objectName="bundle",
                                    checkable=True)
            button.setProperty("bundle_code", bundle["code"])
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.clicked.connect(lambda _=False, code=bundle["code"]: self.choose(code))
            self.group.addButton(button)
            self.bundle_column.addWidget(button)
        self.bundle_column.addStretch(1)
        self._show_detail(None)

    def choose(self, code: str) -> None:
        bundle = next((b for b in self._bundles if b["code"] == code), None)
        for button in self.group.buttons():
            button.setChecked(button.property("bundle_code") == code)
        self._show_detail(bundle)

    def reset(self) -> None:
        self.choose("")

    def bundle_buttons(self) -> list[QPushButton]:
        return list(self.group.buttons())

    def shown_materials(self) -> list[str]:
        return [line.split(". ", 1)[1] for line in self.materials.text().splitlines() if ". " in line]

    def _show_detail(self, bundle: dict | None) -> None:
        self.code = bundle["code"] if bundle else ""
        for widget in (self.description, self.services, self.materials_title, self.materials, self.window):
            widget.setVisible(bundle is not None)
        self.take_number.setEnabled(bundle is not None)
        if bundle is None:
            self.name.setText(translate("BundlesScreen", "请在左边选择您要办的一件事"))
            return
        services = bundle_services(bundle, self._catalogue)
        materials = merged_materials(bundle, self._catalogue, is_english())
        self.name.setText(bundle_text(bundle, "name"))
        description = bundle_text(bundle, "description")
        self.description.setText(description)
        self.description.setVisible(bool(description) and not (is_english() and not bundle.get("description_en")))
        self.services.setText(translate("BundlesScreen", "一次办好：")
                              + translate("BundlesScreen", "、").join(pick(s.name, s.name_en) for s in services))
        self.materials.setText("\n".join(f"{i}. {m}" for i, m in enumerate(materials, 1))
                               or translate("BundlesScreen", "无需准备材料，直接取号即可。"))
        window = bundle_text(bundle, "window")
        self.window.setText(translate("BundlesScreen", "办理窗口：{window}").format(window=window) if window
                            else translate("BundlesScreen", "请到服务台咨询办理窗口"))
