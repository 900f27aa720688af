"""The 适老化 check `kiosk screenshots` runs on every elder screen: each figure caught on a real widget."""

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.elder_audit import audit


def screen_with(qtbot, *widgets, size=(800, 600)):
    screen = QWidget()
    screen.setStyleSheet("QWidget { background: #ffffff; color: #102030; }")
    layout = QVBoxLayout(screen)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def label(text, px, name="", css=""):
    widget = QLabel(text, objectName=name)
    widget.setStyleSheet(f"font-size: {px}px; {css}")
    return widget


def test_a_screen_that_meets_the_figures_passes(qtbot):
    button = QPushButton("返回首页")
    button.setStyleSheet("font-size: 30px; min-height: 80px; min-width: 200px;")
    screen = screen_with(qtbot, label("服务评价", 44, "title"), label("请选择", 26), button)
    assert audit(screen) == []


def test_small_type_tiny_targets_cut_text_and_faint_text_are_named(qtbot):
    tiny = QPushButton("好")
    tiny.setStyleSheet("font-size: 24px; min-height: 40px; max-height: 40px; min-width: 40px; max-width: 40px;")
    cut = label("一段很长很长很长很长很长很长很长很长很长很长很长很长的说明文字", 26)
    cut.setMaximumWidth(200)
    faint = label("浅色的字", 30, css="color: #c8c8c8;")
    screen = screen_with(qtbot, label("标题", 36, "title"), label("正文", 20), tiny, cut, faint)
    found = "\n".join(audit(screen))
    assert "QLabel#title '标题': text 36 px < 40 px" in found
    assert "'正文': text 20 px < 24 px" in found
    assert "'好': target 42×42 px < 60×60" in found  # 40 px and the style's border
    assert "text cut off" in found and "很长" in found
    assert "'浅色的字': contrast" in found
