"""The hall display's spoken calls: the words, the audio rendered by the real espeak-ng and checked
from the files themselves (length, not silence, the order of the segments), and the route."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import wave
from io import BytesIO

import httpx

from counter_harness import issue_cli, login
from drivers.voice import EspeakVoice, VoiceUnavailable
from kiosk.counter.announce import GAP_S, LEAD_S, Announcer, counter_number, segments, spoken_number, words_en, words_zh


def espeak() -> EspeakVoice:
    voice = EspeakVoice()
    assert voice.available(), "espeak-ng is needed: packaging/install-deps installs it"
    return voice


def test_the_words_read_a_number_as_a_hall_does():
    assert spoken_number("A007") == "A 0 0 7"
    assert words_zh("A007", "1号窗口") == "请 A 0 0 7 号，到 1号窗口 办理。"
    assert words_en("B120", "一号窗口", "w1") == "Number B, 1, 2, 0, please go to counter 1."
    assert words_en("A001", "综合受理", "w7") == "Number A, 0, 0, 1, please go to counter w 7."
    assert [counter_number(n) for n in ("12号窗口", "十号窗口", "十二号窗口", "二十号", "三号", "咨询台")] == \
        ["12", "10", "12", "20", "3", None]


def test_mandarin_twice_then_english_where_configured():
    call = {"seq": 1, "number": "A007", "counter_name": "1号窗口", "counter_id": "w1"}
    assert [lang for lang, _ in segments(call, ("zh",))] == ["zh", "zh"]
    assert [lang for lang, _ in segments(call, ("zh", "en"))] == ["zh", "zh", "en"]


def test_the_mandarin_voice_reads_tones_as_mandarin_not_english():
    """espeak-ng's `cmn` voice reads "请" as English "qing three"; the voice used must not."""
    done = subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin", "-q", "-x", words_zh("A007", "1号窗口")],
                          capture_output=True, text=True, timeout=30, check=True)
    assert "(en)" not in done.stdout, done.stdout
    assert "214" in done.stdout or "21N" in done.stdout  # qing3 with its third tone


def spoken_runs(data: bytes, gap_s: float = GAP_S * 0.75) -> list[float]:
    """The lengths (s) of the sounding stretches of a WAV, split where it is silent for ``gap_s``."""
    with wave.open(BytesIO(data)) as clip:
        rate, frames = clip.getframerate(), clip.readframes(clip.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    window = rate // 100  # 10 ms
    loud = [max(abs(s) for s in samples[i:i + window]) > 300 for i in range(0, len(samples), window)]
    runs, start, quiet = [], None, 0
    for index, on in enumerate(loud + [False] * int(gap_s * 100 + 1)):
        if on:
            start = index if start is None else start
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet * 0.01 >= gap_s:
                runs.append((index - quiet + 1 - start) * 0.01)
                start, quiet = None, 0
    return runs


def sox_stats(path) -> dict[str, float]:
    assert shutil.which("sox"), "sox is needed: packaging/install-deps --test installs it"
    done = subprocess.run(["sox", str(path), "-n", "stats"], capture_output=True, text=True, timeout=30)
    return {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"^(.+?)\s+(-?[\d.]+)\s*$", done.stderr, re.M)}


def test_fifty_calls_rendered_and_checked_from_the_files(tmp_path):
    voice = espeak()
    announcer = Announcer(voice, languages=("zh", "en"))
    report = []
    for seq in range(1, 51):
        call = {"seq": seq, "number": f"{'ABCD'[seq % 4]}{seq * 7 % 1000:03d}", "counter_name": f"{seq % 9 + 1}号窗口",
                "counter_id": f"w{seq % 9 + 1}"}
        data = announcer.audio(call)
        path = tmp_path / f"call-{seq:02d}.wav"
        path.write_bytes(data)
        stats = sox_stats(path)
        assert 6.0 < stats["Length s"] < 25.0, (call, stats["Length s"])
        assert stats["RMS lev dB"] > -35.0 and stats["Max level"] > 0.2, (call, stats)  # not silence
        clips = [voice.render(words, lang) for lang, words in segments(call, announcer.languages)]
        assert clips[0].frames == clips[1].frames and clips[2].frames != clips[0].frames
        # each segment's own samples, found in the file in the order spoken, a gap of silence apart
        with wave.open(BytesIO(data)) as rendered:
            frames = rendered.readframes(rendered.getnframes())
        at = 0
        for clip in clips:
            found = frames.find(clip.frames, at)
            assert found >= at + int((GAP_S if at else LEAD_S) * clip.rate) * 2 - 2, (call, found, at)
            at = found + len(clip.frames)
        assert at == len(frames)
        assert len(spoken_runs(data)) >= 3
        report.append(stats["Length s"])
    print(f"50 calls: {min(report):.1f}-{max(report):.1f} s each")
    assert announcer.audio({"seq": 50, "number": "X999", "counter_name": "", "counter_id": "w0"}) == data  # kept


class Silent:
    def available(self) -> bool:
        return False

    def render(self, text, language, *, pace="normal"):
        raise VoiceUnavailable("espeak-ng is not installed")


def test_the_route_speaks_recent_calls_only(server, data_dir):
    issued = issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        called = w1.post("/api/call-next")
        assert called.status_code == 200, called.text
        display = httpx.get(server.url + "/api/display").json()
    [call] = [c for c in display["calls"] if c["number"] == issued[0]["number"]]
    answer = httpx.get(f"{server.url}/api/announcements/{call['seq']}.wav", timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/wav"
    assert len(spoken_runs(answer.content)) == 3  # Mandarin twice, then English (the demo configuration)
    missing = httpx.get(f"{server.url}/api/announcements/{call['seq'] + 1000}.wav")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    assert httpx.get(f"{server.url}/api/announcements/x.wav").status_code == 422


def test_without_a_voice_the_route_answers_503_and_the_display_keeps_its_chime(server, data_dir):
    from zoneinfo import ZoneInfo

    from fastapi.testclient import TestClient

    from kiosk.counter.server import create_counter_app

    issue_cli(data_dir, count=1)
    with login(server.url, "w1", "1111") as w1:
        assert w1.post("/api/call-next").status_code == 200
    app = create_counter_app(data_dir / "kiosk.sqlite3", tz=ZoneInfo("Asia/Shanghai"), announcer=Announcer(Silent()))
    with TestClient(app) as client:
        seq = client.get("/api/display").json()["calls"][0]["seq"]
        answer = client.get(f"/api/announcements/{seq}.wav")
    assert answer.status_code == 503 and answer.json()["error"] == "no_voice"
    assert "espeak-ng is not installed" in answer.json()["detail"]


def test_the_station_speaks_english_where_configured(tmp_path):
    from kiosk.app import open_store
    from kiosk.config import ConfigError, load
    from kiosk.counter.server import counter_app_for

    def station(extra: str):
        path = tmp_path / f"station-{len(extra)}.toml"
        path.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n\n[station]\n{extra}\n', encoding="utf-8")
        return load(path)

    assert counter_app_for(station(""), open_store=open_store).state.announcer.languages == ("zh",)
    english = counter_app_for(station("announce_english = true"), open_store=open_store)
    assert english.state.announcer.languages == ("zh", "en")
    try:
        station('announce_english = "yes"')
    except ConfigError as exc:
        assert "station.announce_english" in str(exc)
    else:
        raise AssertionError("a string was taken for announce_english")
