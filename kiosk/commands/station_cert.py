"""`kiosk station-cert --host NAME [--ip ADDRESS]`: https on the station LAN.

Makes a self-signed certificate for the station service (10 years, the host name and address as
subject alternative names) and its key (0600) in ``<data_dir>/tls/``, and sets ``station.tls_cert``
and ``station.tls_key`` in the configuration file. The station's kiosks trust that certificate
alone: copy ``station.pem`` to each kiosk and set ``sync.ca_file`` to it (docs/technician.md).
Exit codes: 0 done · 2 bad arguments or configuration not writable · 5 openssl failed.
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
from pathlib import Path

from kiosk.config import ConfigError
from kiosk.config.file import ConfigWriteError, StagedConfig, merged, read_existing
from kiosk.store.private_files import private_dir

EXIT_CONFIG, EXIT_OPENSSL = 2, 5
HOST_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")


def make_station_cert(config, host: str, ip: str | None, *, write: Path, err=None) -> int:
    err = err or sys.stderr
    if not HOST_RE.fullmatch(host) or len(host) > 253:
        print(f"kiosk: --host {host!r} must be a host name such as station-xiaozhai.lan", file=err)
        return EXIT_CONFIG
    names = [f"DNS:{host}"]
    if ip:
        try:
            names.append(f"IP:{ipaddress.ip_address(ip)}")
        except ValueError:
            print(f"kiosk: --ip {ip!r} is not an IP address", file=err)
            return EXIT_CONFIG
    folder = Path(config.kiosk.data_dir) / "tls"
    private_dir(folder)
    cert, key = folder / "station.pem", folder / "station.key"
    done = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-days", "3650", "-subj", f"/CN={host}", "-addext",
                           f"subjectAltName={','.join(names)}", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"kiosk: openssl could not make the certificate: {done.stderr.strip()[-300:]}", file=err)
        return EXIT_OPENSSL
    key.chmod(0o600)
    try:
        staged = StagedConfig(write, merged(read_existing(write), {"station.tls_cert": str(cert),
                                                                    "station.tls_key": str(key)}))
        staged.commit()
    except (ConfigError, ConfigWriteError) as exc:
        print(f"kiosk: {exc}", file=err)
        return EXIT_CONFIG
    print(f"kiosk: https on the station LAN: {cert} (give it to each kiosk as sync.ca_file), key {key}; "
          f"{write} updated; restart the station service", file=err)
    return 0
