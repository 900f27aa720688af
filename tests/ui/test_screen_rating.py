"""The 好差评 screen by clicks: the number, the 评价码 or the card, the check's answers in words, the
faces, reasons and phone, and every way back home."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.services.rate import RatingRequest
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.rating_texts import REFUSALS
from kiosk.ui.theme import Sizes, stylesheet
from sync.protocol.ratings import WORDS

TICKET = {"ticket_id": "0193f6a2-0000-7000-8000-000000000001", "number": "A001", "station_id": "yt-xiaozhai",
          "service_code": "SB-KSL"}
CODE = {"by": "code", "code": "482913"}
CARD = {"by": "card", "id_digest": "d" * 64}


@pytest.fixture
def screen(qtbot):
    widget = RatingScreen(Sizes(800))
    widget.setStyleSheet(stylesheet(Sizes(800)))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def click(qtbot, button):
    qtbot.waitUntil(button.isVisible, timeout=2000)  # buttons added to a shown layout appear on the next loop
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_number(qtbot, screen, text):
    for key in text:
        pad = screen.letters if key.isalpha() else screen.digits
        click(qtbot, pad.key(key))


def type_code(qtbot, screen, code):
    for key in code:
        click(qtbot, screen.code_entry.keys[key])


def checked(qtbot, screen, number="A001", code="482913"):
    """Number, code, 确定: the check is asked; returns what it asked."""
    type_number(qtbot, screen, number)
    click(qtbot, screen.next)
    type_code(qtbot, screen, code)
    with qtbot.waitSignal(screen.check_requested) as asked:
        click(qtbot, screen.code_entry.ok)
    return asked.args


def passed(qtbot, screen, ticket=TICKET):
    checked(qtbot, screen)
    screen.show_check_passed(ticket)


def test_the_screen_says_the_rules_words():
    assert REFUSALS == WORDS


def test_digits_wait_for_a_letter_and_next_waits_for_a_number(qtbot, screen):
    assert screen.current_step() == "number"
    assert not screen.digits.key("1").isEnabled() and not screen.next.isEnabled()
    click(qtbot, screen.letters.key("A"))
    assert screen.digits.key("1").isEnabled() and not screen.next.isEnabled()
    click(qtbot, screen.digits.key("1"))
    assert screen.number_display.text() == "A1" and screen.next.isEnabled()
    assert not screen.letters.key("B").isEnabled()
    click(qtbot, screen.digits.backspace)
    click(qtbot, screen.digits.backspace)
    assert screen.number_display.text() == "—" and not screen.next.isEnabled()


def test_short_numbers_are_padded_like_the_ticket_and_the_code_is_asked(qtbot, screen):
    type_number(qtbot, screen, "B7")
    click(qtbot, screen.next)
    assert screen.current_step() == "code"
    assert screen.code_entry.ticket_line.text() == "号码 B007"
    assert "6位" in screen.code_entry.hint.text() and "身份证" in screen.code_entry.card_hint.text()


def test_the_code_takes_six_digits_and_then_asks_the_check(qtbot, screen):
    type_number(qtbot, screen, "A1")
    click(qtbot, screen.next)
    type_code(qtbot, screen, "48291")
    assert screen.code_entry.display.text() == "4 8 2 9 1 _" and not screen.code_entry.ok.isEnabled()
    type_code(qtbot, screen, "3")
    assert not screen.code_entry.keys["7"].isEnabled()  # six is all
    click(qtbot, screen.code_entry.keys["⌫"])
    type_code(qtbot, screen, "3")
    with qtbot.waitSignal(screen.check_requested) as asked:
        click(qtbot, screen.code_entry.ok)
    assert asked.args == ["A001", CODE]
    assert screen.current_step() == "checking" and screen.asked() == ("A001", CODE)
    assert not screen.code_entry.ok.isEnabled() and not screen.code_entry.keys["1"].isEnabled()
    assert screen.code_entry.ok.text() == "正在核对…"
    assert not screen.wants_card()


def test_the_code_step_goes_back_to_the_number(qtbot, screen):
    type_number(qtbot, screen, "A12")
    click(qtbot, screen.next)
    click(qtbot, screen.code_entry.back)
    assert screen.current_step() == "number" and screen.number_display.text() == "A12"


@pytest.mark.parametrize("code, back_to", [("not_holder", "code"), ("no_ticket", "number"), ("wrong_station", "number"),
                                           ("not_served", "number"), ("rating_closed", None), ("already_rated", None)])
def test_each_refusal_is_said_calmly_in_the_rules_words_with_a_way_back(qtbot, screen, code, back_to):
    checked(qtbot, screen)
    screen.show_refusal(code, "words the server sent")
    assert screen.current_step() == "result" and screen.result_kind() == ("refused", code)
    assert screen.result_title.text() == "这张号票现在不能评价"
    assert screen.result_text.text() == WORDS[code]
    assert screen.result_home.isVisible()
    assert screen.retry.isVisible() == (back_to is not None)
    if back_to is not None:
        click(qtbot, screen.retry)
        assert screen.current_step() == back_to
        if back_to == "code":
            assert screen.code_entry.code == "" and screen.code_entry.number == "A001"
        else:
            assert screen.number_display.text() == "A001"


def test_a_refusal_the_kiosk_does_not_know_is_said_in_the_servers_words(qtbot, screen):
    checked(qtbot, screen)
    screen.show_refusal("window_moved", "请到新窗口评价")
    assert screen.result_text.text() == "请到新窗口评价"


def test_when_nobody_can_check_it_the_screen_says_where_else_to_rate_and_can_ask_again(qtbot, screen):
    checked(qtbot, screen)
    screen.show_cannot_check()
    assert screen.result_kind() == ("cannot_check", "")
    assert "窗口评价器" in screen.result_text.text() and "二维码" in screen.result_text.text()
    assert screen.retry.text() == "再试一次"
    with qtbot.waitSignal(screen.check_requested) as asked:
        click(qtbot, screen.retry)
    assert asked.args == ["A001", CODE] and screen.current_step() == "checking"


def test_a_card_on_the_code_step_proves_the_holder_instead(qtbot, screen):
    type_number(qtbot, screen, "A1")
    click(qtbot, screen.next)
    assert screen.wants_card()
    screen.check_with_card(None)  # this kiosk keeps no card digests
    assert screen.current_step() == "code" and "请输入号票上的评价码" in screen.code_entry.card_hint.text()
    with qtbot.waitSignal(screen.check_requested) as asked:
        screen.check_with_card(CARD)
    assert asked.args == ["A001", CARD]
    assert screen.code_entry.display.text() == "已读取身份证"
    screen.show_check_passed(TICKET)
    assert screen.rated_ticket()["holder"] == CARD


def test_the_cards_tickets_are_listed_and_the_chosen_one_checked_by_card(qtbot, screen):
    tickets = [dict(TICKET, number="A003", rated=False), dict(TICKET, number="A001", rated=True)]
    screen.show_resident_tickets(tickets, CARD)
    assert screen.card_tickets.shown_numbers() == ["A003", "A001"]
    assert not screen.card_tickets.buttons[1].isEnabled()
    with qtbot.waitSignal(screen.check_requested) as asked:
        click(qtbot, screen.card_tickets.buttons[0])
    assert asked.args == ["A003", CARD]
    screen.reset()
    with qtbot.waitSignal(screen.check_requested) as asked:  # one open ticket: checked at once
        screen.show_resident_tickets([dict(TICKET, rated=False)], CARD)
    assert asked.args == ["A001", CARD]
    screen.reset()
    screen.show_resident_tickets([dict(TICKET, rated=False)], None)  # no card proof: ask the code
    assert screen.current_step() == "code" and screen.code_entry.number == "A001"


def test_dissatisfied_needs_a_reason_and_sends_reasons_phone_and_holder(qtbot, screen):
    passed(qtbot, screen)
    assert screen.current_step() == "level"
    assert not any(button.isChecked() for button in screen.level_buttons.values())
    assert not screen.submit.isEnabled()
    click(qtbot, screen.level_buttons[2])
    assert screen.current_step() == "reasons"
    assert not screen.reason_submit.isEnabled()
    click(qtbot, screen.reason_buttons["wait_too_long"])
    assert screen.reason_submit.isEnabled()
    click(qtbot, screen.reason_buttons["attitude"])
    for digit in "1381234":
        click(qtbot, screen.phone_pad.key(digit))
    assert not screen.reason_submit.isEnabled() and "不完整" in screen.phone_hint.text()
    for digit in "5678":
        click(qtbot, screen.phone_pad.key(digit))
    assert screen.phone_display.text() == "138 1234 5678"
    with qtbot.waitSignal(screen.rating_submitted) as sent:
        click(qtbot, screen.reason_submit)
    request = sent.args[0]
    assert isinstance(request, RatingRequest)
    assert request == RatingRequest(station_id="yt-xiaozhai", level=2, ticket_id=TICKET["ticket_id"], number="A001",
                                    service_code="SB-KSL", reasons=("attitude", "wait_too_long"),
                                    contact_phone="13812345678", holder=CODE)
    assert not screen.reason_submit.isEnabled()  # no double submit while the store answers


def test_unticking_the_last_reason_disables_submit_again(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[1])
    click(qtbot, screen.reason_buttons["other"])
    click(qtbot, screen.reason_buttons["other"])
    assert not screen.reason_submit.isEnabled()


def test_satisfied_is_two_touches_without_reasons_or_phone(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[2])
    click(qtbot, screen.reason_buttons["other"])
    click(qtbot, screen.phone_pad.key("1"))
    click(qtbot, screen.back_to_levels)
    click(qtbot, screen.level_buttons[5])
    assert screen.current_step() == "level" and screen.submit.isEnabled()
    with qtbot.waitSignal(screen.rating_submitted) as sent:
        click(qtbot, screen.submit)
    request = sent.args[0]
    assert (request.level, request.reasons, request.contact_phone, request.holder) == (5, (), None, CODE)


def test_thanks_after_a_stored_rating(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[4])
    click(qtbot, screen.submit)
    screen.show_result(True, "")
    assert screen.current_step() == "result" and "谢谢" in screen.result_title.text()
    with qtbot.waitSignal(screen.home_clicked):
        click(qtbot, screen.result_home)


def test_already_rated_by_the_store_is_thanked_not_blamed(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[3])
    click(qtbot, screen.submit)
    screen.show_result(False, "already_rated")
    assert "这个号码已经评价过了，感谢您的参与" in screen.result_text.text()
    assert not screen.retry.isVisible()


def test_a_failed_store_offers_to_try_again(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[5])
    click(qtbot, screen.submit)
    screen.show_result(False, "store_unavailable")
    assert "暂时无法" in screen.result_title.text()
    click(qtbot, screen.retry)
    assert screen.current_step() == "level" and screen.submit.isEnabled()


@pytest.mark.parametrize("step", ["number", "code", "checking", "level", "reasons", "result"])
def test_home_or_skip_is_there_at_every_step(qtbot, screen, step):
    if step == "code":
        type_number(qtbot, screen, "A1")
        click(qtbot, screen.next)
    elif step == "checking":
        checked(qtbot, screen)
    elif step != "number":
        passed(qtbot, screen)
    if step == "reasons":
        click(qtbot, screen.level_buttons[1])
    if step == "result":
        screen.show_result(True)
    assert screen.current_step() == step
    assert screen.home.height() >= 60 * 800 / 1080
    with qtbot.waitSignal(screen.home_clicked):
        click(qtbot, screen.home)


def test_leaving_the_screen_forgets_the_phone_the_code_and_the_card(qtbot, screen):
    passed(qtbot, screen)
    click(qtbot, screen.level_buttons[2])
    click(qtbot, screen.phone_pad.key("1"))
    screen.hide()
    screen.show()
    assert screen.current_step() == "number" and screen.phone_display.text() == "—"
    assert not screen.chosen_reasons() and screen.rated_ticket() is None and screen.code_entry.code == ""


def test_the_district_reason_list_replaces_the_default(qtbot, screen):
    screen.set_reasons(["queue_jumping", "other"])
    assert list(screen.reason_buttons) == ["queue_jumping", "other"]
    assert screen.reason_buttons["other"].text() == "其他"


def test_touch_targets_are_big(qtbot, screen):
    minimum = 60 * 800 / 1080
    assert all(b.height() >= minimum and b.width() >= minimum for b in screen.letters.keys.values())
    assert all(b.height() >= minimum for b in screen.digits.keys.values())
    type_number(qtbot, screen, "A1")
    click(qtbot, screen.next)
    assert all(b.height() >= 1.5 * minimum and b.width() >= 2 * minimum for b in screen.code_entry.keys.values())
    screen.reset()
    passed(qtbot, screen)
    assert all(b.height() >= 3 * minimum for b in screen.level_buttons.values())


def test_the_number_pad_offers_the_queues_letters_and_one_pair_of_delete_keys(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    window.navigation.show_fresh("rating")
    rating = window.rating
    shown = sorted(k for k, b in rating.letters.keys.items() if not b.isHidden())
    assert shown == ["A", "B", "C", "D", "E", "F", "G", "Y", "Z"]  # the demo catalogue's prefixes, not A–Z
    actions = [b.text() for b in rating.findChildren(QPushButton) if b.text() in ("删除", "清空") and b.isVisibleTo(rating)]
    assert sorted(actions) == ["删除", "清空"]
    rating.letters.key("A").click()
    assert not any(b.isEnabled() for k, b in rating.letters.keys.items() if not b.isHidden())  # one letter only
    rating.digits.key("7").click()
    rating.digits.backspace.click()
    rating.digits.backspace.click()
    assert rating.entry.typed == ""


def test_letter_numbering_offers_a_second_letter(qtbot, make_config, kiosk_window):
    window, _bridge = kiosk_window(make_config())
    window.session.letter_numbers = True
    window.navigation.show_fresh("rating")
    rating = window.rating
    assert len([b for b in rating.letters.keys.values() if not b.isHidden()]) == 26
    assert not rating.letters.key("K").isEnabled() and rating.letters.key("A").isEnabled()
    rating.letters.key("A").click()
    assert rating.letters.key("K").isEnabled()  # AK001: the kiosk's letter after the prefix
