"""A kiosk whose store was lost says so calmly, takes no number, and names the technician's step."""

from __future__ import annotations

from pathlib import Path


def test_a_lost_store_shows_out_of_service_with_the_recovery_step(qtbot, make_config, kiosk_window):
    config = make_config()
    data = Path(config.kiosk.data_dir)
    data.mkdir(parents=True)
    (data / "kiosk.issued.log").write_text("store 0193f6a2-0000-7000-8000-000000000000\nt 5 2026-12-03 A 5\n")
    window, _bridge = kiosk_window(config, wait_open=False)
    status = window.home.status.text()
    assert "服务台" in status and "kiosk store recover" in status
    assert not window.home.take_number.isEnabled()
    assert not (data / "kiosk.sqlite3").exists()  # nothing was created in its place
    window.home.header.set_online(False)
    assert window.home.header.network.text() == "● 离线"  # not "取号不受影响": numbers are affected
