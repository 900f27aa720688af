"""帮办代办: a resident asks for staff help, with a number or without one."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.widgets import Retranslating, WrappingButton, screen_base, title_label

translate = QCoreApplication.translate
REASONS = (("cannot_operate", QT_TRANSLATE_NOOP("AssistanceScreen", "不会使用自助机")),
           ("mobility", QT_TRANSLATE_NOOP("AssistanceScreen", "行动不便")),
           ("sight_hearing", QT_TRANSLATE_NOOP("AssistanceScreen", "视力、听力不便")),
           ("materials", QT_TRANSLATE_NOOP("AssistanceScreen", "材料准备有疑问")),
           ("proxy", QT_TRANSLATE_NOOP("AssistanceScreen", "代他人办理")),
           ("other", QT_TRANSLATE_NOOP("AssistanceScreen", "其他")))


class AssistanceScreen(Retranslating, QWidget):
    take_number_with_help = Signal(tuple)  # reason codes
    staff_called = Signal(tuple)  # reason codes
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        self._called = False
        self.title = title_label()
        self.text = QLabel(objectName="notice")
        self.text.setWordWrap(True)
        self.reason_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(sizes.px(16))
        for i, (code, label) in enumerate(REASONS):
            button = WrappingButton(inset=sizes.px(56), objectName="category", checkable=True)
            button.setProperty("label", label)
            self.reason_buttons[code] = button
            grid.addWidget(button, i // 3, i % 3)
        self.confirmation = QLabel(objectName="printOk")
        self.confirmation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confirmation.setWordWrap(True)
        self.with_number = QPushButton(objectName="primary")
        self.with_number.clicked.connect(lambda: self.take_number_with_help.emit(self.reasons()))
        self.call = QPushButton()
        self.call.clicked.connect(self._on_call)
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.home)
        actions.addWidget(self.call)
        if sizes.portrait:  # a 1080-wide screen: the main action on a row of its own, its words whole
            actions = _stacked(self.with_number, actions, sizes.px(16))
        else:
            actions.addWidget(self.with_number, 2)
        layout = QVBoxLayout(self)
        margin = sizes.px(40)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(sizes.px(24))
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(self.confirmation)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(translate("AssistanceScreen", "帮办代办 · 工作人员帮您办"))
        self.text.setText(translate("AssistanceScreen", "行动不便、不会操作、材料有疑问？工作人员可以帮您办理，或为您代办。\n"
                                                        "请选择您的情况（可不选）："))
        for button in self.reason_buttons.values():
            button.setText(translate("AssistanceScreen", button.property("label")))
        self.with_number.setText(translate("AssistanceScreen", "取号，并请工作人员帮办"))
        self.call.setText(translate("AssistanceScreen", "只呼叫工作人员"))
        self.home.setText(translate("AssistanceScreen", "返回首页"))
        self.confirmation.setText(translate("AssistanceScreen", "已通知工作人员，请在此稍候，工作人员会尽快过来。")
                                  if self._called else "")

    def reasons(self) -> tuple:
        return tuple(code for code, button in self.reason_buttons.items() if button.isChecked())

    def _on_call(self) -> None:
        self.call.setEnabled(False)
        self.staff_called.emit(self.reasons())

    def show_staff_called(self) -> None:
        self._called = True
        self.retranslate()

    def reset(self) -> None:
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._called = False
        self.confirmation.clear()
        self.call.setEnabled(True)


def _stacked(main: QPushButton, others: QHBoxLayout, spacing: int) -> QVBoxLayout:
    stacked = QVBoxLayout()
    stacked.setSpacing(spacing)
    stacked.addWidget(main)
    stacked.addLayout(others)
    return stacked
