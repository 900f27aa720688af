"""Languages: Chinese (the source strings in the code) and English, switched at run time.

Installing or removing the English translator sends every widget a LanguageChange event; each
screen answers it with its `retranslate()`. Catalogue data has its own English where the catalogue
gives one (`name_en`, `materials_en`, `window_en`...); `pick` chooses between two texts, `shown`
gives a service or station with the texts of the current language, `bundle_text` a bundle's.

The .ts sources and the compiled .qm files both live in `translations/`; `build.sh` there refreshes
the .ts from the code (pyside6-lupdate) and compiles the .qm (pyside6-lrelease).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QTranslator

from kiosk.domain.catalogue import bundle_text as _bundle_text

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).with_name("translations")
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

_state: dict = {"language": DEFAULT_LANGUAGE, "translator": None}

# Texts the main window shows; listed here so that the translation sources hold them.
MAIN_WINDOW_TEXTS = (
    QT_TRANSLATE_NOOP("MainWindow", "10分钟政务服务圈 · 自助服务"),
)


def qm_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"kiosk_{language}.qm"


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"kiosk_{language}.ts"


def current_language() -> str:
    """"zh_CN" or "en": the language the screens show now."""
    return _state["language"]


def is_english() -> bool:
    return _state["language"] == "en"


def other_language(language: str | None = None) -> str:
    """The language the 中文/English switch leads to from ``language`` (default: the current one)."""
    return "zh_CN" if (language or current_language()) == "en" else "en"


def pick(chinese: str, english: str | None) -> str:
    """Catalogue text in the current language: the English one when shown in English and present."""
    return english if english and is_english() else chinese


def shown(item):
    """A catalogue Service or Station with the texts of the current language (Chinese where the
    catalogue gives no English)."""
    in_language = getattr(item, "in_language", None)
    return in_language(is_english()) if in_language is not None else item


def bundle_text(bundle: dict, key: str) -> str:
    """A bundle's ``name``, ``description`` or ``window`` in the current language."""
    return _bundle_text(bundle, key, is_english())


def install_language(app, language: str) -> None:
    """Show ``language`` ("zh_CN" or "en") everywhere, at once; no restart.

    Chinese needs no translator (it is the source language). When the English .qm cannot be
    loaded the kiosk stays in Chinese and says so in the log.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    translator = None
    if language != DEFAULT_LANGUAGE:
        translator = QTranslator(app)
        if not translator.load(str(qm_path(language))):
            log.warning("translation %s could not be loaded; staying in Chinese", qm_path(language))
            translator.deleteLater()
            language, translator = DEFAULT_LANGUAGE, None
    old = _state["translator"]
    _state["language"], _state["translator"] = language, translator
    if old is not None:
        app.removeTranslator(old)
        old.deleteLater()
    if translator is not None:
        app.installTranslator(translator)
    # The application posts LanguageChange to each window; deliver them now, so that every
    # screen shows the new language when this returns.
    for window in app.topLevelWindows() if hasattr(app, "topLevelWindows") else ():
        QCoreApplication.sendPostedEvents(window, QEvent.Type.LanguageChange)


def lrelease_program() -> str | None:
    """pyside6-lrelease from PATH, or beside the running Python (a virtual environment's bin)."""
    import sys

    found = shutil.which("pyside6-lrelease")
    if found:
        return found
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if os.access(beside, os.X_OK) else None


def build_qm(ts: Path, qm: Path, program: str | None = None) -> Path:
    """Compile one .ts into a .qm with pyside6-lrelease."""
    program = program or lrelease_program()
    if program is None:
        raise FileNotFoundError("pyside6-lrelease is not installed")
    subprocess.run([program, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm
