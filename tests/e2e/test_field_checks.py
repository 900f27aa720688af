"""The checks that keep a kiosk out of the field until it is fit: `kiosk run` refuses the demo's
public secrets, and `--quit-after-first-frame` (the watchdog's and the installer's smoke check)
fails when the store or the catalogue cannot be used."""

from __future__ import annotations

import json
import os
import stat

import pytest

from kiosk_process import field_config, run_kiosk


def test_kiosk_run_refuses_the_demo_pin_and_digest_key(kiosk_env):
    done = run_kiosk(kiosk_env, "run", "--offscreen", "--quit-after-first-frame")
    assert done.returncode == 2, done.stderr
    assert "kiosk.technician_pin_hash" in done.stderr and "kiosk.id_digest_key" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_kiosk_run_with_its_own_secrets_starts(kiosk_env, tmp_path):
    done = run_kiosk(kiosk_env, "--config", str(field_config(tmp_path)), "run", "--offscreen",
                     "--quit-after-first-frame")
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout.splitlines()[-1])) == {"first_frame_ms", "rss_mb"}


def test_the_smoke_check_fails_without_a_catalogue(kiosk_env, tmp_path):
    config = field_config(tmp_path)
    config.write_text(config.read_text().replace("yanta.json", "missing.json"))
    done = run_kiosk(kiosk_env, "--config", str(config), "run", "--offscreen", "--quit-after-first-frame")
    assert done.returncode == 2 and "missing.json" in done.stderr, done.stderr


def corrupt(data):
    data.mkdir()
    (data / "kiosk.sqlite3").write_bytes(b"this is not a database file" * 100)


def directory_in_the_way(data):
    data.mkdir()
    (data / "kiosk.sqlite3").mkdir()


def file_for_the_folder(data):
    data.write_text("not a folder")


def read_only_folder(data):
    data.mkdir()
    os.chmod(data, stat.S_IRUSR | stat.S_IXUSR)


@pytest.mark.parametrize("spoil", [corrupt, directory_in_the_way, file_for_the_folder, read_only_folder],
                         ids=lambda f: f.__name__)
def test_the_smoke_check_fails_on_an_unusable_store(kiosk_env, tmp_path, spoil):
    if spoil is read_only_folder and os.geteuid() == 0:
        kiosk_env = dict(kiosk_env)  # root writes anywhere: make the folder a file's child instead
        spoil = file_for_the_folder
    data = tmp_path / "data"
    spoil(data)
    try:
        done = run_kiosk(kiosk_env, "--config", str(field_config(tmp_path)), "run", "--offscreen",
                         "--quit-after-first-frame")
    finally:
        if data.is_dir():
            os.chmod(data, 0o700)
    assert done.returncode == 4, (done.returncode, done.stderr)
    assert "store" in done.stderr and "Traceback" not in done.stderr


def test_kiosk_run_demands_a_technician_pin_on_first_boot(kiosk_env, tmp_path):
    config = field_config(tmp_path)
    config.write_text("\n".join(line for line in config.read_text().splitlines()
                                if not line.startswith("technician_pin_hash")) + "\n")
    done = run_kiosk(kiosk_env, "--config", str(config), "run", "--offscreen", "--quit-after-first-frame")
    assert done.returncode == 2 and "kiosk.technician_pin_hash is not set" in done.stderr, done.stderr
    assert "kiosk setup" in done.stderr
