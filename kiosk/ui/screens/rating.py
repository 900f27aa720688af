"""好差评: the holder of a served ticket rates its service in a few touches, or skips.

Step 1 the ticket's number on a letter pad and a digit pad, or the ID card that took it laid on
the reader (today's tickets of that card are listed); step 2 the 6-digit 评价码 printed on the
ticket, on a big keypad, or the card. Then the screen asks whether this holder may rate the
ticket (`check_requested`); the flow answers with `show_check_passed`, `show_refusal` (the rule's
words: not served yet, wrong code, rated already…) or `show_cannot_check`. Step 3 five faces,
none chosen; step 4 (不满意 / 非常不满意 only) what went wrong, and a phone number for the
follow-up call if the resident wants one. The rating carries the holder's proof.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QStackedWidget,
                               QToolButton, QVBoxLayout, QWidget)

from kiosk.domain.ratings import LEVELS_BEST_FIRST, Level, holder_by_code, reason_choices
from kiosk.services.rate import RatingRequest
from kiosk.ui.holder_code_entry import HolderCodeEntry
from kiosk.ui.i18n import is_english, pick
from kiosk.ui.icons import face_icon
from kiosk.ui.phone_entry import PhoneEntry
from kiosk.ui.rating_result import RatingResult
from kiosk.ui.screens.rating_texts import RESULTS, RETRY_STEP, level_name
from kiosk.ui.ticket_number_entry import TicketNumberEntry
from kiosk.ui.widgets import Retranslating, WrappingButton, screen_base, stacked_page, title_label, wrapped_label

translate = QCoreApplication.translate

RESULT_HOME_SECONDS = 20
STEPS = ("number", "code", "level", "reasons", "result")
NUMBER_PAGE, CODE_PAGE, LEVEL_PAGE, REASON_PAGE, RESULT_PAGE = range(len(STEPS))



def face_text(level) -> str:
    """A level's name under its face: in English one word a line ("Very\nsatisfied"), so the five
    faces share the row evenly and large type fits."""
    name = level_name(level)
    return name.replace(" ", "\n", 1) if is_english() else name

class RatingScreen(Retranslating, QWidget):
    check_requested = Signal(str, dict)  # the ticket's number, the holder's proof ({"by": "code"|"card", …})
    rating_submitted = Signal(object)  # RatingRequest
    home_clicked = Signal()

    def __init__(self, sizes, parent=None):
        super().__init__(parent)
        screen_base(self)
        px = sizes.px
        self._sizes = sizes
        self._catalogue = None
        self._ticket: dict | None = None  # the ticket checked, with the holder's proof
        self._asked: tuple[str, dict] | None = None  # (number, holder) of the last check asked
        self._card_holder: dict | None = None  # the proof of the card on the reader, while here
        self._level: int | None = None
        self.title = title_label()
        self.home = QPushButton()
        self.home.clicked.connect(self.home_clicked)
        self.entry = TicketNumberEntry(sizes)
        self.entry.number_entered.connect(self._on_number_entered)
        self.code_entry = HolderCodeEntry(sizes)
        self.code_entry.code_entered.connect(lambda code: self._check(holder_by_code(code), "code"))
        self.code_entry.back_clicked.connect(lambda: self.pages.setCurrentIndex(NUMBER_PAGE))
        # the parts the tests and the screenshot walk reach
        self.letters, self.digits, self.number_display = self.entry.letters, self.entry.digits, self.entry.display
        self.next, self.card_tickets = self.entry.next, self.entry.card_tickets
        self.card_tickets.ticket_chosen.connect(self._on_card_ticket_chosen)
        self.result = RatingResult(sizes)
        self.result.retry_clicked.connect(self._on_retry)
        self.result.home_clicked.connect(self.home_clicked)
        self.result_title, self.result_text, self.retry, self.result_home = (
            self.result.title, self.result.text, self.result.retry, self.result.home)
        self.pages = QStackedWidget()
        for page in (self.entry, self.code_entry, self._build_level_page(px), self._build_reason_page(px),
                     self.result):
            self.pages.addWidget(page)
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
        self.question.setText(translate("RatingScreen", "您对本次服务满意吗？请点一个表情"))
        for level, button in self.level_buttons.items():
            button.setText(face_text(level))
        self.submit.setText(translate("RatingScreen", "提交评价  Submit"))
        self.back_to_number.setText(translate("RatingScreen", "重新输入号码"))
        self.reason_title.setText(translate("RatingScreen", "哪里不满意？（可多选，至少选一项）"))
        for code, button in self.reason_buttons.items():
            button.setText(translate("RatingScreen", button.property("label")))
        self.reason_submit.setText(translate("RatingScreen", "提交评价  Submit"))
        self.back_to_levels.setText(translate("RatingScreen", "上一步"))
        skip = self._ticket is not None and self.pages.currentIndex() in (LEVEL_PAGE, REASON_PAGE)
        self.home.setText(translate("RatingScreen", "跳过评价") if skip else translate("RatingScreen", "返回首页"))
        if self._ticket is not None:
            self._show_ticket_line()

    def spoken_prompt(self) -> str:
        page = self.pages.currentIndex()
        if page == CODE_PAGE:
            return self.code_entry.hint.text()
        if page == RESULT_PAGE:
            return self.result_text.text()
        return self.entry.hint.text()

    # building the steps after the ticket's number and code

    def _build_level_page(self, px) -> QWidget:
        self.ticket_line = wrapped_label("", "sectionTitle", centre=True)
        self.question = question = wrapped_label("", "", centre=True)
        self.level_buttons: dict[int, QToolButton] = {}
        row = QGridLayout()  # one row of five; in portrait three over two
        row.setSpacing(px(20))
        face = px(150 if self._sizes.portrait else 180)
        for index, level in enumerate(LEVELS_BEST_FIRST):
            button = QToolButton(objectName="levelFace", checkable=True, autoExclusive=True)
            button.setText(face_text(level))
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
        self.back_to_levels.clicked.connect(lambda: self.pages.setCurrentIndex(LEVEL_PAGE))
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

    # what the flow calls

    def set_catalogue(self, catalogue) -> None:
        """Optional: lets the screen name the service of the ticket checked."""
        self._catalogue = catalogue
        self.card_tickets.set_catalogue(catalogue)

    def start_with_number(self, number: str) -> None:
        """Opened from home's invitation of a ticket just served: its number is known, ask the code."""
        self.reset()
        self.entry.set_typed(number)
        self._on_number_entered(number)

    def rated_ticket(self) -> dict | None:
        """The ticket being rated (as checked, with the holder's proof), once checked."""
        return self._ticket

    def asked(self) -> tuple[str, dict] | None:
        """(number, holder) of the check on its way, or None when none is."""
        return self._asked if self.current_step() == "checking" else None

    def wants_card(self) -> bool:
        """True while the screen asks for the ticket or its proof, so a card laid down is used."""
        return self.current_step() in ("number", "code")

    def show_card_looking(self) -> None:
        self.card_tickets.show_looking()

    def show_resident_tickets(self, tickets: list[dict], holder: dict | None) -> None:
        """Today's tickets of the card on the reader (``holder``: its proof, None when the kiosk keeps
        no card digests); one ticket not yet rated is checked at once."""
        self._card_holder = holder
        open_tickets = [t for t in tickets if not t.get("rated")]
        if len(tickets) == 1 and open_tickets:
            self.card_tickets.reset()
            self._on_card_ticket_chosen(open_tickets[0])
            return
        self.card_tickets.show_tickets(tickets)

    def check_with_card(self, holder: dict | None) -> None:
        """A card laid on the code step: its proof instead of the code (None: the kiosk cannot use it)."""
        if holder is None:
            self.code_entry.say_card_unusable()
            return
        self._card_holder = holder
        self._check(holder, "card")

    def show_check_passed(self, ticket: dict) -> None:
        """The holder may rate this ticket (its id, number, station and service): the five faces."""
        holder = self._asked[1] if self._asked else None
        self.code_entry.set_checking("")
        self._ticket = dict(ticket, holder=holder)
        self.pages.setCurrentIndex(LEVEL_PAGE)
        self.retranslate()
        self._update_submit()

    def show_refusal(self, code: str, words: str = "") -> None:
        """The rule says no (sync.protocol.ratings): said calmly in its words, with a way back."""
        self.code_entry.set_checking("")
        self._show_result_page("refused", code, words)

    def show_cannot_check(self) -> None:
        """Nobody could say whether this holder may rate the ticket: later, or the window's pad."""
        self.code_entry.set_checking("")
        self._show_result_page("cannot_check", "", "")

    def show_result(self, ok: bool, kind: str = "") -> None:
        """The answer to `rating_submitted`: thanks, or a calm word on why not."""
        self._show_result_page("result", "ok" if ok else (kind if kind in RESULTS else "failed"), "")

    def set_reasons(self, codes: list[str] | None) -> None:
        """The district's reason codes (None: the default list of sync-v1)."""
        for button in self.reason_buttons.values():
            self.reason_grid.removeWidget(button)
            button.deleteLater()
        self.reason_buttons = {}
        for i, (code, label) in enumerate(reason_choices(codes)):
            button = WrappingButton(translate("RatingScreen", label), inset=self._sizes.px(40), objectName="reason",
                                    checkable=True)
            button.setProperty("label", label)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.toggled.connect(self._update_submit)
            self.reason_grid.addWidget(button, i // 2, i % 2)
            self.reason_buttons[code] = button
        self._update_submit()

    def reset(self) -> None:
        """Back to step 1 with nothing typed or chosen (also when the screen is left)."""
        self._auto_home.stop()
        self._ticket = self._asked = self._card_holder = None
        self.result.clear()
        self.entry.set_typed("")
        self.code_entry.start("")
        self.phone.set_digits("")
        self.card_tickets.reset()
        for button in self.level_buttons.values():
            button.setAutoExclusive(False)
            button.setChecked(False)
            button.setAutoExclusive(True)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._level = None
        self.pages.setCurrentIndex(NUMBER_PAGE)
        self.retranslate()
        self._update_submit()

    def choose_level(self, level: int) -> None:
        self._level = level
        self.level_buttons[level].setChecked(True)
        if Level(level).is_low:
            self.pages.setCurrentIndex(REASON_PAGE)
        else:
            self.phone.set_digits("")
            for button in self.reason_buttons.values():
                button.setChecked(False)
        self._update_submit()

    def chosen_reasons(self) -> tuple[str, ...]:
        return tuple(code for code, button in self.reason_buttons.items() if button.isChecked())

    def current_step(self) -> str:
        """number, code, checking (the answer is awaited), level, reasons or result."""
        if self.code_entry.checking():
            return "checking"
        return STEPS[self.pages.currentIndex()]

    def result_kind(self) -> tuple[str, str]:
        """What the result page says: (result | refused | cannot_check, the kind or rule code)."""
        return self.result.said[:2]

    # internals

    def _on_number_entered(self, number: str) -> None:
        self.code_entry.start(number)
        self.pages.setCurrentIndex(CODE_PAGE)
        self.retranslate()

    def _on_card_ticket_chosen(self, summary: dict) -> None:
        self.code_entry.start(summary["number"])
        self.pages.setCurrentIndex(CODE_PAGE)
        if self._card_holder is not None:
            self._check(self._card_holder, "card")
        self.retranslate()

    def _check(self, holder: dict, how: str) -> None:
        number = self.code_entry.number
        self._asked = (number, dict(holder))
        self.pages.setCurrentIndex(CODE_PAGE)
        self.code_entry.set_checking(how)
        self.check_requested.emit(number, dict(holder))

    def _show_result_page(self, mode: str, kind: str, words: str) -> None:
        self.result.say(mode, kind, words, self._retry_step(mode, kind))
        self.pages.setCurrentIndex(RESULT_PAGE)
        self.retranslate()
        self._update_submit()
        self._auto_home.start(RESULT_HOME_SECONDS * 1000)

    def _retry_step(self, mode: str, kind: str) -> str | None:
        """Where 再试 leads from the result page: code, number, level, check (ask again) or nowhere."""
        if mode == "result":
            return "level" if kind in ("invalid_rating", "failed") and self._ticket is not None else None
        if mode == "cannot_check":
            return "check" if self._asked else None
        return RETRY_STEP.get(kind)

    def _on_retry(self) -> None:
        step = self.result.retry_step
        self._auto_home.stop()
        self.result.clear()
        if step == "check" and self._asked:
            holder = self._asked[1]
            self._check(holder, "card" if holder.get("by") == "card" else "code")
            return
        if step == "code":
            self.code_entry.start(self.code_entry.number)
        self.pages.setCurrentIndex({"code": CODE_PAGE, "number": NUMBER_PAGE, "level": LEVEL_PAGE}.get(step or "",
                                                                                                   NUMBER_PAGE))
        self.retranslate()
        self._update_submit()

    def _show_ticket_line(self) -> None:
        summary = self._ticket
        service = self._catalogue.service(summary.get("service_code") or "") if self._catalogue else None
        name = summary.get("service_name") or (service.name if service else "")
        if service is not None:
            name = pick(name, service.name_en)
        self.ticket_line.setText(translate("RatingScreen", "号码 {number}").format(number=summary.get("number", ""))
                                 + (f" · {name}" if name else ""))

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
            contact_phone=(self.phone.digits or None) if low else None,
            holder=self._ticket.get("holder"))
        self.submit.setEnabled(False)
        self.reason_submit.setEnabled(False)
        self.rating_submitted.emit(request)

    def hideEvent(self, event) -> None:
        self.reset()
        super().hideEvent(event)
