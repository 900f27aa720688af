"""好差评: rate the service of a ticket in three touches, or skip.

Step 1 the ticket number on a letter pad and a digit pad, or the ID card laid on the reader to
list today's tickets of that card; step 2 five faces, none chosen;
step 3 (不满意 / 非常不满意 only) what went wrong, and a phone number for the follow-up call if
the resident wants one. The screen asks; the store answers through `show_ticket_found` and
`show_result`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QStackedWidget,
                               QToolButton, QVBoxLayout, QWidget)

from kiosk.domain.ratings import LEVELS_BEST_FIRST, Level, reason_choices
from kiosk.services.rate import RatingRequest
from kiosk.ui.card_tickets import CardTickets
from kiosk.ui.i18n import pick
from kiosk.ui.icons import face_icon
from kiosk.ui.letter_pad import DigitPad, LetterPad
from kiosk.ui.phone_entry import PhoneEntry
from kiosk.ui.screens.rating_texts import RESULTS, level_name
from kiosk.ui.widgets import Retranslating, screen_base, stacked_page, title_label, wrapped_label

translate = QCoreApplication.translate

NUMBER = re.compile(r"[A-Z]{1,2}\d{1,4}")
RESULT_HOME_SECONDS = 20


class RatingScreen(Retranslating, QWidget):
    ticket_lookup_requested = Signal(str)
    rating_submitted = Signal(object)  # RatingRequest
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._sizes = sizes
        self._catalogue = None
        self._ticket: dict | None = None
        self._level: int | None = None
        self._typed = ""
        self._result_key = ""
        self._looking_up = False
        self._not_found_number = ""
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_number_page(px))
        self.pages.addWidget(self._build_level_page(px))
        self.pages.addWidget(self._build_reason_page(px))
        self.pages.addWidget(self._build_result_page(px))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.home)
        layout = QVBoxLayout(self)
        margin = px(36)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(px(24))
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self._auto_home = QTimer(self, singleShot=True, timeout=self.home_clicked.emit)
        self.set_reasons(None)
        self.reset()

    def retranslate(self) -> None:
        self.title.setText(translate("RatingScreen", "服务评价 · 好差评"))
        self.number_hint.setText(translate("RatingScreen", "请输入小票上的号码：先按字母，再按数字（例如 A001）"))
        self.question.setText(translate("RatingScreen", "您对本次服务满意吗？请点一个表情"))
        for level, button in self.level_buttons.items():
            button.setText(level_name(level))
        self.submit.setText(translate("RatingScreen", "提交评价  Submit"))
        self.back_to_number.setText(translate("RatingScreen", "重新输入号码"))
        self.reason_title.setText(translate("RatingScreen", "哪里不满意？（可多选，至少选一项）"))
        for code, button in self.reason_buttons.items():
            button.setText(translate("RatingScreen", button.property("label")))
        self.reason_submit.setText(translate("RatingScreen", "提交评价  Submit"))
        self.back_to_levels.setText(translate("RatingScreen", "上一步"))
        self.retry.setText(translate("RatingScreen", "再试一次"))
        self.result_home.setText(translate("RatingScreen", "返回首页"))
        self.lookup.setText(translate("RatingScreen", "正在查询…") if self._looking_up
                            else translate("RatingScreen", "查询号码  Look up"))
        skip = self._ticket is not None and self.pages.currentIndex() in (1, 2)
        self.home.setText(translate("RatingScreen", "跳过评价") if skip else translate("RatingScreen", "返回首页"))
        if self._not_found_number:
            self.not_found.setText(translate("RatingScreen", "没有找到这个号码（{number}），请核对小票上的号码。")
                                   .format(number=self._not_found_number))
        if self._ticket is not None:
            self._show_ticket_line()
        if self._result_key:
            title, text = RESULTS[self._result_key]
            self.result_title.setText(translate("RatingScreen", title))
            self.result_text.setText(translate("RatingScreen", text))

    def spoken_prompt(self) -> str:
        return self.number_hint.text()

    # building the four steps

    def _build_number_page(self, px) -> QWidget:
        self.number_hint = wrapped_label("", "hint")
        self.number_display = wrapped_label("", "query", centre=True)
        self.letters = LetterPad(self._sizes, columns=7)
        self.digits = DigitPad(self._sizes)
        self.lookup = QPushButton(objectName="primary")
        self.not_found = wrapped_label("", "calm", centre=True)
        self.card_tickets = CardTickets(self._sizes)
        self.card_tickets.ticket_chosen.connect(self.show_ticket_found)
        self.letters.key_pressed.connect(self._on_number_key)
        self.digits.key_pressed.connect(self._on_number_key)
        for pad in (self.letters, self.digits):
            pad.backspace_pressed.connect(lambda: self._set_typed(self._typed[:-1]))
            pad.clear_pressed.connect(lambda: self._set_typed(""))
        self.lookup.clicked.connect(self._on_lookup)
        pads = QVBoxLayout() if self._sizes.portrait else QHBoxLayout()
        pads.setSpacing(px(40))
        pads.addWidget(self.letters, 7)
        pads.addWidget(self.digits, 3)
        return stacked_page(self.number_hint, self.number_display, pads, self.not_found, self.lookup, self.card_tickets,
                     spacing=px(18))

    def _build_level_page(self, px) -> QWidget:
        self.ticket_line = wrapped_label("", "sectionTitle", centre=True)
        self.question = question = wrapped_label("", "", centre=True)
        self.level_buttons: dict[int, QToolButton] = {}
        row = QGridLayout()  # one row of five; in portrait three over two
        row.setSpacing(px(20))
        face = px(150 if self._sizes.portrait else 180)
        for index, level in enumerate(LEVELS_BEST_FIRST):
            button = QToolButton(objectName="levelFace", checkable=True, autoExclusive=True)
            button.setText(level_name(level))
            button.setIcon(face_icon(int(level)))
            button.setIconSize(QSize(face, face))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, lv=int(level): self.choose_level(lv))
            self.level_buttons[int(level)] = button
            if self._sizes.portrait:
                row.addWidget(button, index // 3, (index % 3) * 2 + index // 3, 1, 2)
            else:
                row.addWidget(button, 0, index)
        self.level_hint = wrapped_label("", "hint", centre=True)
        self.submit = QPushButton(objectName="primary")
        self.submit.clicked.connect(self._on_submit)
        self.back_to_number = QPushButton()
        self.back_to_number.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_to_number, 1)
        buttons.addWidget(self.submit, 2)
        return stacked_page(self.ticket_line, question, row, self.level_hint, 1, buttons, spacing=px(24))

    def _build_reason_page(self, px) -> QWidget:
        self.reason_title = wrapped_label("", "sectionTitle")
        self.reason_grid = QGridLayout()
        self.reason_grid.setSpacing(px(14))
        self.reason_buttons: dict[str, QPushButton] = {}
        self.phone = PhoneEntry(self._sizes)
        self.phone.changed.connect(self._update_submit)
        # the parts the tests and the screenshot walk reach
        self.phone_display, self.phone_hint, self.phone_pad = self.phone.display, self.phone.hint, self.phone.pad
        self.reason_submit = QPushButton(objectName="primary")
        self.reason_submit.clicked.connect(self._on_submit)
        self.back_to_levels = QPushButton()
        self.back_to_levels.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        left = QVBoxLayout()
        left.setSpacing(px(18))
        left.addWidget(self.reason_title)
        left.addLayout(self.reason_grid)
        left.addStretch(1)
        columns = QVBoxLayout() if self._sizes.portrait else QHBoxLayout()
        columns.setSpacing(px(48))
        columns.addLayout(left, 3)
        columns.addWidget(self.phone, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_to_levels, 1)
        buttons.addWidget(self.reason_submit, 2)
        return stacked_page(columns, buttons, spacing=px(24))

    def _build_result_page(self, px) -> QWidget:
        self.result_title = wrapped_label("", "bigThanks", centre=True)
        self.result_text = wrapped_label("", "notice", centre=True)
        self.retry = QPushButton()
        self.retry.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.result_home = QPushButton(objectName="primary")
        self.result_home.clicked.connect(self.home_clicked)
        return stacked_page(1, self.result_title, self.result_text, self.retry, self.result_home, 1, spacing=px(36))

    # what the main window calls

    def set_catalogue(self, catalogue) -> None:
        """Optional: lets the screen name the service of the ticket found."""
        self._catalogue = catalogue
        self.card_tickets.set_catalogue(catalogue)

    def start_with_number(self, number: str) -> None:
        """Opened from home's invitation of a ticket just served: look that number up at once."""
        self.reset()
        self._set_typed(number)
        self._on_lookup()

    def rated_ticket(self) -> dict | None:
        """The ticket being rated (its summary), once found."""
        return self._ticket

    def wants_card(self) -> bool:
        """True while the screen asks for a ticket, so a card laid down lists the card's tickets."""
        return self.pages.currentIndex() == 0

    def show_card_looking(self) -> None:
        self.card_tickets.show_looking()

    def show_resident_tickets(self, tickets: list[dict]) -> None:
        """Today's tickets of the card on the reader; one ticket not yet rated is opened at once."""
        open_tickets = [t for t in tickets if not t.get("rated")]
        if len(tickets) == 1 and open_tickets:
            self.card_tickets.reset()
            self.show_ticket_found(open_tickets[0])
            return
        self.card_tickets.show_tickets(tickets)

    def set_reasons(self, codes: list[str] | None) -> None:
        """The district's reason codes (None: the default list of sync-v1)."""
        for button in self.reason_buttons.values():
            self.reason_grid.removeWidget(button)
            button.deleteLater()
        self.reason_buttons = {}
        for i, (code, label) in enumerate(reason_choices(codes)):
            button = QPushButton(translate("RatingScreen", label), objectName="reason", checkable=True)
            button.setProperty("label", label)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.toggled.connect(self._update_submit)
            self.reason_grid.addWidget(button, i // 2, i % 2)
            self.reason_buttons[code] = button
        self._update_submit()

    def reset(self) -> None:
        """Back to step 1 with nothing typed or chosen (also when the screen is left)."""
        self._auto_home.stop()
        self._ticket = None
        self._result_key = ""
        self._looking_up = False
        self._not_found_number = ""
        self._set_typed("")
        self._set_phone("")
        self.not_found.hide()
        self.card_tickets.reset()
        for button in self.level_buttons.values():
            button.setAutoExclusive(False)
            button.setChecked(False)
            button.setAutoExclusive(True)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._level = None
        self.pages.setCurrentIndex(0)
        self.retranslate()
        self._update_submit()

    def show_ticket_found(self, summary: dict | None) -> None:
        """The answer to `ticket_lookup_requested`: a ticket summary, or None when there is none."""
        self._looking_up = False
        self.lookup.setText(translate("RatingScreen", "查询号码  Look up"))
        self._set_typed(self._typed)
        if summary is None:
            self._not_found_number = self._number_text()
            self.retranslate()
            self.not_found.show()
            return
        if summary.get("rated"):
            self.show_result(False, "already_rated")
            return
        self._ticket = dict(summary)
        self.pages.setCurrentIndex(1)
        self.retranslate()
        self._update_submit()

    def show_result(self, ok: bool, kind: str = "") -> None:
        """The answer to `rating_submitted`: thanks, or a calm word on why not."""
        key = "ok" if ok else (kind if kind in RESULTS else "failed")
        self._result_key = key
        self.result_title.setObjectName("bigThanks" if ok else "bigCalm")
        self.result_title.style().unpolish(self.result_title)
        self.result_title.style().polish(self.result_title)
        self.retry.setVisible(key in ("invalid_rating", "failed") and self._ticket is not None)
        self.pages.setCurrentIndex(3)
        self.retranslate()
        self._update_submit()
        self._auto_home.start(RESULT_HOME_SECONDS * 1000)

    def choose_level(self, level: int) -> None:
        self._level = level
        self.level_buttons[level].setChecked(True)
        if Level(level).is_low:
            self.pages.setCurrentIndex(2)
        else:
            self._set_phone("")
            for button in self.reason_buttons.values():
                button.setChecked(False)
        self._update_submit()

    def chosen_reasons(self) -> tuple[str, ...]:
        return tuple(code for code, button in self.reason_buttons.items() if button.isChecked())

    def current_step(self) -> str:
        return ("number", "level", "reasons", "result")[self.pages.currentIndex()]

    # internals

    def _show_ticket_line(self) -> None:
        summary = self._ticket
        service = self._catalogue.service(summary.get("service_code") or "") if self._catalogue else None
        name = summary.get("service_name") or (service.name if service else "")
        if service is not None:
            name = pick(name, service.name_en)
        self.ticket_line.setText(translate("RatingScreen", "号码 {number}").format(number=summary.get("number", ""))
                                 + (f" · {name}" if name else ""))

    def _number_text(self) -> str:
        letters = self._typed.rstrip("0123456789")
        digits = self._typed[len(letters):]
        return letters + digits.zfill(3) if digits else letters

    def _set_typed(self, text: str) -> None:
        self._typed = text
        letters = len(text.rstrip("0123456789"))
        has_digits = letters < len(text)
        self.number_display.setText(text or "—")
        self.letters.set_available(set() if has_digits or letters >= 2 else None)
        for digit in "0123456789":
            self.digits.key(digit).setEnabled(letters > 0 and len(text) - letters < 4)
        self.lookup.setEnabled(bool(NUMBER.fullmatch(text)))
        self.not_found.hide()

    def _on_number_key(self, key: str) -> None:
        self._set_typed(self._typed + key)

    def _on_lookup(self) -> None:
        if not NUMBER.fullmatch(self._typed):
            return
        self.lookup.setEnabled(False)
        self._looking_up = True
        self.lookup.setText(translate("RatingScreen", "正在查询…"))
        self.ticket_lookup_requested.emit(self._number_text())

    def _set_phone(self, digits: str) -> None:
        self.phone.set_digits(digits)

    def _update_submit(self) -> None:
        low = self._level is not None and Level(self._level).is_low
        self.submit.setEnabled(self._ticket is not None and self._level is not None and not low)
        self.reason_submit.setEnabled(self._ticket is not None and low and bool(self.chosen_reasons())
                                      and self.phone.is_ok())
        if self._level is None:
            self.level_hint.setText("")
        elif low:
            self.level_hint.setText(translate("RatingScreen", "请告诉我们哪里不满意"))
        else:
            self.level_hint.setText(translate("RatingScreen", "您选择了“{level}”，请按“提交评价”")
                                    .format(level=level_name(self._level)))

    def _on_submit(self) -> None:
        if self._ticket is None or self._level is None:
            return
        low = Level(self._level).is_low
        request = RatingRequest(
            station_id=self._ticket.get("station_id", ""), level=self._level,
            ticket_id=self._ticket.get("ticket_id"), number=self._ticket.get("number"),
            service_code=self._ticket.get("service_code"),
            reasons=self.chosen_reasons() if low else (),
            contact_phone=(self.phone.digits or None) if low else None)
        self.submit.setEnabled(False)
        self.reason_submit.setEnabled(False)
        self.rating_submitted.emit(request)

    def hideEvent(self, event) -> None:
        self.reset()
        super().hideEvent(event)
