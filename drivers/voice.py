"""Offline speech rendered to audio files: one small interface (``Voice.render``) and the engine
installed here, espeak-ng. A better offline engine replaces ``EspeakVoice`` without touching callers.

Mandarin uses espeak-ng's ``cmn-latn-pinyin`` voice. Its ``cmn`` voice (1.51, Debian 12) turns each
character into pinyin and then reads every syllable of tone 2, 3 or 4 as English with its tone
digit ("请" comes out as "qing three": `espeak-ng -v cmn -x 请` prints ``(en)kI55NTr'i:55``), while
``cmn-latn-pinyin`` reads the same pinyin as Mandarin (``tS;h'i214N``).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PROGRAM = "espeak-ng"
ESPEAK_VOICES = {"zh": "cmn-latn-pinyin", "en": "en-us"}
WORDS_PER_MINUTE = {"normal": 150, "slow": 120}
RENDER_TIMEOUT_S = 20.0
MAX_TEXT = 400


class VoiceUnavailable(Exception):
    """No speech engine here, or it failed: the caller goes on without speech."""


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit PCM."""

    frames: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.frames) / 2 / self.rate


class Voice(Protocol):
    def available(self) -> bool: ...

    def render(self, text: str, language: str, *, pace: str = "normal") -> Clip: ...


class EspeakVoice:
    """espeak-ng as a child process writing a WAV file (its ``--stdout`` WAV has no length)."""

    def __init__(self, program: str = PROGRAM):
        self._program = program

    def available(self) -> bool:
        return shutil.which(self._program) is not None

    def render(self, text: str, language: str, *, pace: str = "normal") -> Clip:
        path = shutil.which(self._program)
        if path is None:
            raise VoiceUnavailable(f"{self._program} is not installed")
        if language not in ESPEAK_VOICES:
            raise VoiceUnavailable(f"no voice for language {language!r}")
        text = " ".join(text.split())[:MAX_TEXT]
        with tempfile.TemporaryDirectory(prefix="voice-") as folder:
            out = Path(folder) / "clip.wav"
            command = [path, "-v", ESPEAK_VOICES[language], "-s", str(WORDS_PER_MINUTE.get(pace, 150)),
                       "-w", str(out), "--", text]
            try:
                subprocess.run(command, check=True, capture_output=True, timeout=RENDER_TIMEOUT_S)
                return read_wav(out.read_bytes())
            except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as exc:
                raise VoiceUnavailable(f"{self._program} failed: {exc}") from None


def read_wav(data: bytes) -> Clip:
    with wave.open(io.BytesIO(data)) as source:
        if source.getnchannels() != 1 or source.getsampwidth() != 2:
            raise wave.Error("expected mono 16-bit audio")
        return Clip(source.readframes(source.getnframes()), source.getframerate())


def silence(seconds: float, rate: int) -> Clip:
    return Clip(b"\x00\x00" * int(seconds * rate), rate)


def join(clips: list[Clip], gap_s: float) -> Clip:
    """The clips one after the other with ``gap_s`` of silence between them (one sample rate)."""
    if not clips:
        raise ValueError("nothing to join")
    rate = clips[0].rate
    if any(clip.rate != rate for clip in clips):
        raise ValueError("clips of different sample rates")
    gap = silence(gap_s, rate).frames
    return Clip(gap.join(clip.frames for clip in clips), rate)


def wav_bytes(clip: Clip) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(clip.rate)
        sink.writeframes(clip.frames)
    return out.getvalue()
