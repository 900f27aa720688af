"""https on the station LAN: `kiosk station-cert` makes a self-signed certificate, the station
service serves https with it, its kiosks trust it through sync.ca_file, and the counters' session
cookie is Secure. A kiosk that does not trust it, and a certificate that cannot be read, are
refused with words, not tracebacks."""

from __future__ import annotations

import ssl

import httpx
import tomlkit

from district_process import DistrictServer
from station_harness import STATION_ID, Site, StationService, issue, kiosk, write_config


def _set(path, dotted: str, value) -> None:
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    section, key = dotted.split(".")
    doc.setdefault(section, tomlkit.table())[key] = value
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def test_https_on_the_station_lan(tmp_path):
    district = DistrictServer(tmp_path / "district.db").start()
    site = Site(tmp_path, district)
    try:
        site.enrol_station()
        made = kiosk(site.station_config, "station-cert", "--host", "localhost", "--ip", "127.0.0.1")
        assert "sync.ca_file" in made.stderr
        cert = tmp_path / "station" / "tls" / "station.pem"
        assert (tmp_path / "station" / "tls" / "station.key").stat().st_mode & 0o777 == 0o600
        trust = ssl.create_default_context(cafile=str(cert))
        site.station = StationService(site.station_config, tmp_path / "station.log", scheme="https", verify=trust)
        site.station.start()
        assert site.station.url.startswith("https://")
        site.add_counters(("w1", "一号窗口", "1111"))
        with httpx.Client(base_url=site.station.url, verify=trust) as client:
            answer = client.post("/api/login", json={"counter_id": "w1", "pin": "1111"})
            assert answer.status_code == 200
            cookies = answer.headers.get_list("set-cookie")
            assert cookies and all("Secure" in c for c in cookies)

        # a kiosk that trusts the station's certificate enrols and syncs over https
        k1 = write_config(tmp_path / "K1.toml", kiosk_id="K1", data_dir=tmp_path / "K1", server=site.station.url)
        _set(k1, "sync.ca_file", str(cert))
        token = district.token("K1")
        kiosk(k1, "setup", "--server", site.station.url, "--token", token, "--kiosk-id", "K1")
        ticket = issue(k1)[0]
        assert kiosk(k1, "sync", "--now").returncode == 0
        db = site.station_db()
        try:
            assert db.execute("SELECT kiosk_id FROM tickets WHERE ticket_id = ?", (ticket["ticket_id"],)).fetchone() \
                == ("K1",)
        finally:
            db.close()

        # one that does not trust it is told why, and keeps its tickets
        k2 = write_config(tmp_path / "K2.toml", kiosk_id="K2", data_dir=tmp_path / "K2", server=site.station.url,
                          first=501, last=999)
        refused = kiosk(k2, "setup", "--server", site.station.url, "--token", district.token("K2"), "--kiosk-id", "K2",
                        check=False)
        assert refused.returncode == 5 and "certificate" in refused.stderr and "Traceback" not in refused.stderr
    finally:
        site.close()
        district.stop()


def test_a_certificate_that_cannot_be_read_stops_the_station_with_words(tmp_path):
    config = write_config(tmp_path / "station.toml", kiosk_id=STATION_ID, data_dir=tmp_path / "station")
    _set(config, "station.tls_cert", str(tmp_path / "missing.pem"))
    _set(config, "station.tls_key", str(tmp_path / "missing.key"))
    done = kiosk(config, "station-service", "--port", "1", check=False)
    assert done.returncode == 2 and "station.tls_cert" in done.stderr and "Traceback" not in done.stderr
    _set(config, "station.tls_key", "")
    done = kiosk(config, "station-service", "--port", "1", check=False)
    assert done.returncode == 2 and "station.tls_key" in done.stderr and "Traceback" not in done.stderr
