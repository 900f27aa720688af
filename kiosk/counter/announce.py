"""The hall display's spoken calls (叫号播报), rendered by the station service so that no browser
voice is needed: "请 A007 号，到 1号窗口 办理" twice in Mandarin, then in English where the station
is configured for it, as one WAV per call. The display plays them in order (docs/counter-api.md).

The words are built here; the sound comes from drivers.voice (espeak-ng today). A call's audio is
rendered once and kept for the recent calls only, so the display's many requests cost one render.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from drivers.voice import Clip, EspeakVoice, Voice, VoiceUnavailable, join, silence, wav_bytes

REPEATS_ZH = 2
GAP_S = 0.8  # between the spoken segments: the order of the segments can be told from the file
LEAD_S = 0.2  # before the first word: the chime has just faded
KEEP = 32
_DIGITS = re.compile(r"\d+")
CHINESE_DIGITS = dict(zip("零一二三四五六七八九", "0123456789"))
_COUNTER_NUMBER = re.compile(r"(\d+|[零一二三四五六七八九十]+)\s*号")


def spoken_number(number: str) -> str:
    """The ticket number read as a hall reads it: letter by letter and digit by digit (A 0 0 7:
    "A 零 零 七", not "A 七" or "A 一百")."""
    return " ".join(number.strip())


def counter_number(counter_name: str) -> str | None:
    """The window's number in a name like "1号窗口" or "一号窗口" (for the English words)."""
    found = _COUNTER_NUMBER.search(counter_name or "")
    if not found:
        return None
    text = found.group(1)
    if text.isdigit():
        return str(int(text))
    if text == "十":
        return "10"
    if text.startswith("十"):
        return "1" + CHINESE_DIGITS.get(text[1:], "")
    if text.endswith("十"):
        return CHINESE_DIGITS.get(text[:-1], "") + "0"
    return "".join(CHINESE_DIGITS.get(c, "") for c in text.replace("十", "")) or None


def words_zh(number: str, counter_name: str) -> str:
    counter = _DIGITS.sub(lambda m: " ".join(m.group(0)) if len(m.group(0)) > 2 else m.group(0), counter_name)
    return f"请 {spoken_number(number)} 号，到 {counter} 办理。"


def words_en(number: str, counter_name: str, counter_id: str) -> str:
    window = counter_number(counter_name)
    where = f"counter {window}" if window else f"counter {' '.join(counter_id)}"
    return f"Number {', '.join(number.strip())}, please go to {where}."


def segments(call: dict, languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(language, words) in the order spoken."""
    out = [("zh", words_zh(call["number"], call["counter_name"]))] * REPEATS_ZH
    if "en" in languages:
        out.append(("en", words_en(call["number"], call["counter_name"], call["counter_id"])))
    return out


class Announcer:
    """Renders and keeps the audio of recent calls; thread-safe (the API renders in a worker thread)."""

    def __init__(self, voice: Voice | None = None, languages: tuple[str, ...] = ("zh",)):
        self.voice = voice or EspeakVoice()
        self.languages = languages
        self._lock = threading.Lock()
        self._rendering: dict[int, threading.Lock] = {}
        self._kept: OrderedDict[int, bytes] = OrderedDict()

    def available(self) -> bool:
        return self.voice.available()

    def render(self, call: dict) -> Clip:
        clips = [self.voice.render(words, language) for language, words in segments(call, self.languages)]
        spoken = join(clips, GAP_S)
        return Clip(silence(LEAD_S, spoken.rate).frames + spoken.frames, spoken.rate)

    def audio(self, call: dict) -> bytes:
        """The call's WAV, rendered at most once while it is recent; VoiceUnavailable without a voice."""
        seq = int(call["seq"])
        with self._lock:
            if seq in self._kept:
                self._kept.move_to_end(seq)
                return self._kept[seq]
            guard = self._rendering.setdefault(seq, threading.Lock())
        with guard:
            with self._lock:
                if seq in self._kept:
                    return self._kept[seq]
            try:
                data = wav_bytes(self.render(call))
            finally:
                with self._lock:
                    self._rendering.pop(seq, None)
            with self._lock:
                self._kept[seq] = data
                while len(self._kept) > KEEP:
                    self._kept.popitem(last=False)
            return data


__all__ = ["Announcer", "VoiceUnavailable", "segments", "spoken_number", "words_en", "words_zh"]
