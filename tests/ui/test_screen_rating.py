"""The 好差评 screen by clicks: number, face, reasons and phone, and every way back home."""

import pytest
from PySide6.QtCore import Qt

from kiosk.services.rate import RatingRequest
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.theme import Sizes, stylesheet

TICKET = {"ticket_id": "0193f6a2-0000-7000-8000-000000000001", "number": "A001", "station_id": "yt-xiaozhai",
          "service_code": "SB-KSL", "business_date": "2026-11-23", "status": "waiting", "rated": False}


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


def found_ticket(qtbot, screen, ticket=TICKET):
    type_number(qtbot, screen, "A001")
    with qtbot.waitSignal(screen.ticket_lookup_requested) as asked:
        click(qtbot, screen.lookup)
    assert asked.args == ["A001"]
    screen.show_ticket_found(ticket)


def test_digits_wait_for_a_letter_and_lookup_waits_for_a_number(qtbot, screen):
    assert screen.current_step() == "number"
    assert not screen.digits.key("1").isEnabled() and not screen.lookup.isEnabled()
    click(qtbot, screen.letters.key("A"))
    assert screen.digits.key("1").isEnabled() and not screen.lookup.isEnabled()
    click(qtbot, screen.digits.key("1"))
    assert screen.number_display.text() == "A1" and screen.lookup.isEnabled()
    assert not screen.letters.key("B").isEnabled()
    click(qtbot, screen.digits.backspace)
    click(qtbot, screen.digits.backspace)
    assert screen.number_display.text() == "—" and not screen.lookup.isEnabled()


def test_short_numbers_are_padded_like_the_ticket(qtbot, screen):
    type_number(qtbot, screen, "B7")
    with qtbot.waitSignal(screen.ticket_lookup_requested) as asked:
        click(qtbot, screen.lookup)
    assert asked.args == ["B007"]


def test_unknown_number_is_said_calmly_and_can_be_corrected(qtbot, screen):
    type_number(qtbot, screen, "A999")
    click(qtbot, screen.lookup)
    screen.show_ticket_found(None)
    assert screen.current_step() == "number"
    assert screen.not_found.isVisible() and "没有找到这个号码" in screen.not_found.text()
    click(qtbot, screen.letters.clear)
    assert not screen.not_found.isVisible()


def test_dissatisfied_needs_a_reason_and_sends_reasons_and_phone(qtbot, screen):
    found_ticket(qtbot, screen)
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
                                    contact_phone="13812345678")
    assert not screen.reason_submit.isEnabled()  # no double submit while the store answers


def test_unticking_the_last_reason_disables_submit_again(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[1])
    click(qtbot, screen.reason_buttons["other"])
    click(qtbot, screen.reason_buttons["other"])
    assert not screen.reason_submit.isEnabled()


def test_satisfied_is_two_touches_without_reasons_or_phone(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[2])
    click(qtbot, screen.reason_buttons["other"])
    click(qtbot, screen.phone_pad.key("1"))
    click(qtbot, screen.back_to_levels)
    click(qtbot, screen.level_buttons[5])
    assert screen.current_step() == "level" and screen.submit.isEnabled()
    with qtbot.waitSignal(screen.rating_submitted) as sent:
        click(qtbot, screen.submit)
    request = sent.args[0]
    assert (request.level, request.reasons, request.contact_phone) == (5, (), None)


def test_thanks_after_a_stored_rating(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[4])
    click(qtbot, screen.submit)
    screen.show_result(True, "")
    assert screen.current_step() == "result" and "谢谢" in screen.result_title.text()
    with qtbot.waitSignal(screen.home_clicked):
        click(qtbot, screen.result_home)


def test_already_rated_is_thanked_not_blamed(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[3])
    click(qtbot, screen.submit)
    screen.show_result(False, "already_rated")
    assert "这个号码已经评价过了，感谢您的参与" in screen.result_text.text()
    assert not screen.retry.isVisible()


def test_a_ticket_rated_before_goes_straight_to_the_message(qtbot, screen):
    found_ticket(qtbot, screen, dict(TICKET, rated=True))
    assert screen.current_step() == "result" and "已经评价过了" in screen.result_text.text()


def test_a_failed_store_offers_to_try_again(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[5])
    click(qtbot, screen.submit)
    screen.show_result(False, "store_unavailable")
    assert "暂时无法" in screen.result_title.text()
    click(qtbot, screen.retry)
    assert screen.current_step() == "level" and screen.submit.isEnabled()


@pytest.mark.parametrize("step", ["number", "level", "reasons", "result"])
def test_home_or_skip_is_there_at_every_step(qtbot, screen, step):
    if step != "number":
        found_ticket(qtbot, screen)
    if step == "reasons":
        click(qtbot, screen.level_buttons[1])
    if step == "result":
        screen.show_result(True)
    assert screen.current_step() == step
    assert screen.home.height() >= 60 * 800 / 1080
    with qtbot.waitSignal(screen.home_clicked):
        click(qtbot, screen.home)


def test_leaving_the_screen_forgets_the_phone_number(qtbot, screen):
    found_ticket(qtbot, screen)
    click(qtbot, screen.level_buttons[2])
    click(qtbot, screen.phone_pad.key("1"))
    screen.hide()
    screen.show()
    assert screen.current_step() == "number" and screen.phone_display.text() == "—"
    assert not screen.chosen_reasons()


def test_the_district_reason_list_replaces_the_default(qtbot, screen):
    screen.set_reasons(["queue_jumping", "other"])
    assert list(screen.reason_buttons) == ["queue_jumping", "other"]
    assert screen.reason_buttons["other"].text() == "其他"


def test_touch_targets_are_big(qtbot, screen):
    minimum = 60 * 800 / 1080
    assert all(b.height() >= minimum and b.width() >= minimum for b in screen.letters.keys.values())
    assert all(b.height() >= minimum for b in screen.digits.keys.values())
    found_ticket(qtbot, screen)
    assert all(b.height() >= 3 * minimum for b in screen.level_buttons.values())
