"""The document model and text width rules."""

import pytest

from drivers.printer.document import Cut, Document, Feed, QrCode, Rule, Text, display_width, wrap


def test_builder_records_elements_in_order():
    doc = Document().text("a", size=2, align="center", bold=True).qr("u").feed(2).rule().cut()
    assert list(doc.lines) == [Text("a", 2, "center", True), QrCode("u"), Feed(2), Rule(), Cut()]
    assert doc.width_chars == 48


def test_multi_line_text_becomes_one_element_per_line():
    assert [el.text for el in Document().text("a\nb").lines] == ["a", "b"]


@pytest.mark.parametrize("call", [
    lambda d: d.text("x", size=4), lambda d: d.text("x", align="middle"),
    lambda d: d.qr(""), lambda d: d.qr("x", ec="X"), lambda d: d.qr("x", module=0),
    lambda d: d.feed(-1), lambda d: d.cut(feed=300), lambda d: d.rule("中"),
])
def test_invalid_arguments_are_refused(call):
    with pytest.raises(ValueError):
        call(Document())


def test_cjk_is_two_columns():
    assert display_width("A017") == 4
    assert display_width("前面还有") == 8
    assert display_width("（：）") == 6


def test_wrap_respects_display_width_and_indent():
    text = "请携带本人身份证原件及近期一寸白底免冠照片，到二楼3号窗口办理。"
    lines = wrap(text, 20, indent="  ")
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines) == text
    assert all(line.startswith("  ") for line in lines[1:])


def test_wrap_does_not_start_a_line_with_closing_punctuation():
    lines = wrap("一二三四五，六七", 10)
    assert not any(line.startswith("，") for line in lines)


def test_wrap_keeps_ascii_words_whole():
    assert wrap("hello world again", 12) == ["hello world", "again"]
