"""The real application: first frame offscreen, and a real X window under Xvfb with Chinese text."""

import json
import os
import shutil
import subprocess

from kiosk_process import KIOSK, PROJECT, field_config, run_kiosk

BLUE = (0x0B, 0x4F, 0x9C)


def test_demo_reports_its_first_frame_and_exits(kiosk_env):
    result = run_kiosk(kiosk_env, "demo", "--offscreen", "--quit-after-first-frame")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report) == {"first_frame_ms", "rss_mb"}
    assert 0 < report["first_frame_ms"] < 20000 and 10 < report["rss_mb"] < 2000


def test_bad_window_size_is_refused(kiosk_env):
    result = run_kiosk(kiosk_env, "demo", "--offscreen", "--size", "big")
    assert result.returncode == 2 and "window size" in result.stderr


def test_real_window_under_xvfb_draws_every_screen_with_chinese(kiosk_env, tmp_path):
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: `bash packaging/install-deps --test` installs it"
    env = dict(kiosk_env, QT_QPA_PLATFORM="xcb")
    env.pop("DISPLAY", None)
    out = tmp_path / "shots"
    result = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1920x1080x24", *KIOSK, "screenshots",
                             "--out", str(out), "--size", "1920x1080"],
                            env=env, cwd=PROJECT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage

    shots = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.png"))
    for variant in ("", "en/", "elder/"):  # every screen, in Chinese, in English and in elder mode
        for name in ("home", "services", "ticket", "rating-levels", "rating-reasons", "home-invitation",
                     "assistance", "technician"):
            assert f"{variant}{name}.png" in shots
    too_big = [name for name in shots if (QImage(str(out / name)).width(), QImage(str(out / name)).height())
               != (1920, 1080)]
    assert not too_big, f"these screens need more than 1920×1080: {too_big}"
    home = QImage(str(out / "home.png"))
    header = home.pixelColor(1900, 5)
    assert (header.red(), header.green(), header.blue()) == BLUE
    greeting_band = [home.pixelColor(x, y) for x in range(500, 1420, 3) for y in range(200, 320, 3)]
    glyph_pixels = sum(1 for c in greeting_band if c.lightness() < 140)
    assert glyph_pixels > 100, "the greeting under the header drew no glyphs"


def test_kiosk_run_stops_cleanly_on_sigterm(kiosk_env, tmp_path):
    import signal
    import time

    proc = subprocess.Popen([*KIOSK, "--config", str(field_config(tmp_path)), "run", "--offscreen"],
                            env=kiosk_env, cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("kiosk run ignored SIGTERM (systemd could not stop it)") from None
    assert proc.returncode == 0, err[-1000:]


def test_portrait_elder_screens_meet_the_figures(kiosk_env, tmp_path):
    """The walk in a 1080×1920 street-terminal window: every elder screen passes the 适老化 check
    (kiosk/ui/elder_audit.py), and the figures it measured are written beside the PNGs."""
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: `bash packaging/install-deps --test` installs it"
    env = dict(kiosk_env, QT_QPA_PLATFORM="xcb")
    env.pop("DISPLAY", None)
    out = tmp_path / "portrait"
    result = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1080x1920x24", *KIOSK, "screenshots",
                             "--out", str(out), "--size", "1080x1920"],
                            env=env, cwd=PROJECT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split("\t") for line in (out / "elder" / "elder-figures.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert len(rows) >= 20
    for screen, main_px, body_px, target_px, contrast in rows:
        assert float(main_px) >= 40 and float(body_px) >= 24 and float(target_px) >= 60 and float(contrast) >= 4.5, screen
