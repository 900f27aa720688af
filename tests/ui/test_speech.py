"""Spoken prompts: espeak-ng in a child process, only in elder mode, silent when it is not installed."""

import os
import stat

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.i18n import current_language, install_language
from kiosk.ui.speech import Speaker


@pytest.fixture
def fake_espeak(tmp_path, monkeypatch):
    """An espeak-ng on PATH that writes its arguments, one a line, to a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    said = tmp_path / "said.txt"
    script = bin_dir / "espeak-ng"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{said}.part"\nmv "{said}.part" "{said}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return said


@pytest.fixture
def english(qapp):
    install_language(QApplication.instance(), "en")
    yield
    install_language(QApplication.instance(), "zh_CN")


def test_silently_off_when_espeak_is_not_installed(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    speaker = Speaker()
    speaker.set_enabled(True)
    assert not speaker.available()
    assert speaker.say("请选择办理事项") is False
    assert not speaker.speaking()


def test_speaks_the_prompt_in_mandarin_in_elder_mode(qtbot, fake_espeak):
    speaker = Speaker()
    speaker.set_enabled(True)
    assert speaker.available()
    assert speaker.say("您的号码是 <b>A001</b>")
    qtbot.waitUntil(fake_espeak.exists, timeout=5000)
    assert fake_espeak.read_text(encoding="utf-8").splitlines() == ["-v", "cmn-latn-pinyin", "-s", "120", "--", "您的号码是 A001"]
    qtbot.waitUntil(lambda: not speaker.speaking(), timeout=5000)


def test_speaks_english_in_english(qtbot, fake_espeak, english):
    assert current_language() == "en"
    speaker = Speaker()
    speaker.set_enabled(True)
    assert speaker.say("Choose a service")
    qtbot.waitUntil(fake_espeak.exists, timeout=5000)
    assert fake_espeak.read_text(encoding="utf-8").splitlines() == ["-v", "en-us", "-s", "120", "--", "Choose a service"]
    qtbot.waitUntil(lambda: not speaker.speaking(), timeout=5000)


def test_says_nothing_outside_elder_mode(qtbot, fake_espeak):
    speaker = Speaker()
    assert speaker.available() and not speaker.is_enabled()
    assert speaker.say("请选择办理事项") is False
    qtbot.wait(200)
    assert not fake_espeak.exists()


def test_a_new_prompt_cuts_the_one_still_speaking(qtbot, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "espeak-ng"
    script.write_text("#!/bin/sh\nexec sleep 30\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    speaker = Speaker()
    speaker.set_enabled(True)
    assert speaker.say("第一句")
    qtbot.waitUntil(speaker.speaking, timeout=5000)
    first = speaker._process
    assert speaker.say("第二句")
    assert speaker._process is not first and speaker.speaking()
    speaker.set_enabled(False)
    assert not speaker.speaking()


def test_the_voices_are_installed_and_mandarin_is_read_as_mandarin():
    import subprocess

    from kiosk.ui.speech import VOICES

    for language, voice in VOICES.items():
        done = subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", "请取走您的身份证" if language == "zh_CN" else "Done"],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and done.stdout.strip(), (voice, done.stderr)
        if language == "zh_CN":
            assert "(en)" not in done.stdout, done.stdout  # no tone digit read out in English
