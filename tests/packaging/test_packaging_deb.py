"""The Debian package installed into a fresh Debian root (debootstrap minbase, chrooted as root):
the postinst builds /opt/kiosk from PyPI, then `kiosk doctor all --json` and `kiosk ticket issue`
run there; a reinstall takes the upgrade path; remove and purge leave the data directory.

The minbase root is cached as a tarball under /var/cache/kiosk-test-root (tests/packaging/test-root),
and so are the .deb files apt fetches and pip's wheels, so only the first run downloads much.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
CACHE = Path(os.environ.get("KIOSK_TEST_ROOT_CACHE", "/var/cache/kiosk-test-root"))
ROOTS = Path("/var/tmp/kiosk-test-roots")
PACKAGE = "service-circle-kiosk"
CHROOT_ENV = ["/usr/bin/env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
              "HOME=/root", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive", "PIP_CACHE_DIR=/var/cache/kiosk-pip",
              "PIP_DISABLE_PIP_VERSION_CHECK=1"]

# A network that reaches PyPI through a TLS proxy: pip in the root trusts what the host's pip trusts.
HOST_CA_BUNDLE = next((os.environ[k] for k in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")
                       if os.environ.get(k) and os.path.isfile(os.environ[k])), None)
if HOST_CA_BUNDLE:
    CHROOT_ENV.append("PIP_CERT=/etc/ssl/host-ca-bundle.crt")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


def run(cmd, timeout=300, check=True, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} exited {result.returncode}\nstdout:\n{result.stdout[-4000:]}\n"
                             f"stderr:\n{result.stderr[-4000:]}")
    return result


class Root:
    """A chroot with /proc, /sys, /dev and the download caches mounted; unmounted by close()."""

    def __init__(self, path: Path):
        self.path = path
        self.mounts: list[Path] = []

    def mount(self, source: str, target: str, *options: str) -> None:
        where = self.path / target.lstrip("/")
        where.mkdir(parents=True, exist_ok=True)
        self.mounts.append(where)
        run(["mount", *options, source, str(where)])
        if "--rbind" in options:
            run(["mount", "--make-rslave", str(where)])

    def open(self) -> Root:
        for folder in ("apt-archives/partial", "pip"):
            (CACHE / folder).mkdir(parents=True, exist_ok=True)
        self.mount("proc", "/proc", "-t", "proc")
        self.mount("/sys", "/sys", "--rbind")
        self.mount("/dev", "/dev", "--rbind")
        self.mount(str(CACHE / "apt-archives"), "/var/cache/apt/archives", "--bind")
        self.mount(str(CACHE / "pip"), "/var/cache/kiosk-pip", "--bind")
        shutil.copy("/etc/resolv.conf", self.path / "etc/resolv.conf")
        if HOST_CA_BUNDLE:
            (self.path / "etc/ssl").mkdir(exist_ok=True)
            shutil.copy(HOST_CA_BUNDLE, self.path / "etc/ssl/host-ca-bundle.crt")
        return self

    def close(self) -> None:
        for where in reversed(self.mounts):
            subprocess.run(["umount", "-R", "-l", str(where)], capture_output=True, timeout=60)
        self.mounts.clear()

    def mounted_below(self) -> list[str]:
        with open("/proc/mounts") as f:
            return [line.split()[1] for line in f if line.split()[1].startswith(str(self.path) + "/")]

    def sh(self, script: str, timeout=300, check=True):
        return run(["chroot", str(self.path), *CHROOT_ENV, "/bin/sh", "-ec", script], timeout=timeout, check=check)


@pytest.fixture(scope="module")
def deb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    result = run([str(PROJECT / "packaging" / "build-deb"), "--out", str(out)], timeout=600)
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.name.startswith(f"{PACKAGE}_")
    return path


@pytest.fixture
def root():
    """A fresh root outside pytest's tmp_path (whose clean-up must never walk into a bind-mounted
    /dev), unmounted and deleted afterwards, also when setting it up failed half-way."""
    ROOTS.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="root-", dir=ROOTS))
    chroot = Root(path)
    try:
        run([str(HERE / "test-root"), "unpack", str(path)], timeout=900)
        yield chroot.open()
    finally:
        chroot.close()
        deadline = time.monotonic() + 30
        while chroot.mounted_below() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not chroot.mounted_below(), f"still mounted, {path} left in place: {chroot.mounted_below()}"
        shutil.rmtree(path, ignore_errors=True)


def stat(root: Root, path: str) -> str:
    return root.sh(f"stat -c '%U:%G %a' {path}").stdout.strip()


def edit_config(root: Root, replacements: dict[str, str]) -> None:
    config = root.path / "etc/kiosk/kiosk.toml"
    text = config.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")


def test_the_package_installs_runs_upgrades_and_removes_in_a_fresh_debian_root(deb, root):
    shutil.copy(deb, root.path / "tmp" / deb.name)
    root.sh("apt-get update -qq", timeout=300)
    root.sh(f"apt-get install -y -qq --no-install-recommends /tmp/{deb.name}", timeout=900)

    # what the postinst made
    assert root.sh("/opt/kiosk/bin/kiosk --version").stdout.strip() == "kiosk 0.1.0"
    assert root.sh("readlink /usr/bin/kiosk").stdout.strip() == "/opt/kiosk/bin/kiosk"
    groups = root.sh("id -nG kiosk").stdout.split()
    assert {"kiosk", "dialout", "lp"} <= set(groups)
    assert root.sh("getent passwd kiosk").stdout.strip().endswith(":/var/lib/kiosk:/usr/sbin/nologin")
    assert stat(root, "/var/lib/kiosk") == "kiosk:kiosk 750"
    assert stat(root, "/etc/kiosk/kiosk.toml") == "root:kiosk 640"
    example = (PROJECT / "config" / "street-terminal.example.toml").read_text(encoding="utf-8")
    installed = (root.path / "etc/kiosk/kiosk.toml").read_text(encoding="utf-8")
    assert installed.startswith(example) and 'file = "/usr/share/kiosk/catalogue/yanta.json"' in installed
    for unit in ("kiosk-session.service", "kiosk-counter.service", "kiosk-sync.service", "kiosk-sync.timer"):
        assert (root.path / "usr/lib/systemd/system" / unit).is_file(), unit
    district_units = sorted(p.name for p in (root.path / "usr/lib/systemd/system").glob("district-*"))
    assert district_units == [], f"the district's units are not a kiosk's: {district_units}"
    assert (root.path / "usr/lib/udev/rules.d/90-kiosk.rules").is_file()

    # the site configuration as shipped: no reader, printer or district server in this root
    doctor = root.sh("kiosk doctor all --json", check=False, timeout=120)
    assert doctor.returncode == 1, doctor.stderr
    report = json.loads(doctor.stdout)
    problems = "\n".join(report["problems"])
    assert "ID card reader /dev/kiosk-idcard: port_unavailable" in problems
    assert "printer serial:///dev/kiosk-printer" in problems
    assert "sync server https://district.example.gov.cn unreachable" in problems
    assert report["store"]["exists"] is False and report["disk"]["exists"] is True

    # the technician's settings for a kiosk without hardware
    edit_config(root, {'idcard = "serial:///dev/kiosk-idcard?baudrate=115200"': 'idcard = "sim://"',
                       'printer = "serial:///dev/kiosk-printer?baudrate=115200"': 'printer = "sim://"',
                       'server = "https://district.example.gov.cn"': 'server = ""',
                       "check_opening_hours = true": "check_opening_hours = false"})
    issued = root.sh("runuser -u kiosk -- kiosk ticket issue --service SB-KSL", timeout=120)
    ticket = json.loads(issued.stdout.splitlines()[-1])
    assert ticket["number"].endswith("501"), ticket
    assert stat(root, "/var/lib/kiosk/kiosk.sqlite3").startswith("kiosk:kiosk")
    doctor = root.sh("kiosk doctor all --json", check=False, timeout=120)
    report = json.loads(doctor.stdout)
    assert (doctor.returncode, report["problems"]) == (0, []), doctor.stderr
    assert report["sync"]["pending"] == 1 and report["store"]["revision"] == report["store"]["head"]

    # the upgrade path: reinstalling runs prerm upgrade and postinst configure again
    upgraded = root.sh(f"dpkg -i /tmp/{deb.name} 2>&1", timeout=900)
    assert "upgrade-store:" in upgraded.stdout and "nothing to do" in upgraded.stdout
    report = json.loads(root.sh("kiosk doctor all --json").stdout)
    assert report["sync"]["pending"] == 1
    assert "sim://" in (root.path / "etc/kiosk/kiosk.toml").read_text(encoding="utf-8")

    # remove, then purge: the data directory and its outbox stay
    root.sh(f"apt-get remove -y -qq {PACKAGE}", timeout=300)
    for gone in ("opt/kiosk", "usr/bin/kiosk", "usr/lib/systemd/system/kiosk-session.service",
                 "usr/lib/udev/rules.d/90-kiosk.rules"):
        assert not os.path.lexists(root.path / gone), gone
    assert (root.path / "etc/kiosk/kiosk.toml").is_file()
    root.sh(f"dpkg --purge {PACKAGE}", timeout=300)
    assert not (root.path / "etc/kiosk").exists()
    assert (root.path / "var/lib/kiosk/kiosk.sqlite3").is_file()
    assert root.sh(f"dpkg-query -W -f='${{Status}}' {PACKAGE}", check=False).stdout.strip() in ("", "unknown ok not-installed")


SOURCES = ("kiosk", "drivers", "sync", "config", "assets", "packaging", "docs", "pyproject.toml", "README.md")


def test_install_sh_is_one_step_on_a_fresh_debian_and_again_for_an_upgrade(root):
    source = root.path / "usr/src/kiosk"
    source.mkdir(parents=True)
    for name in SOURCES:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(PROJECT / name, source / name)
    root.sh("apt-get update -qq", timeout=300)

    first = root.sh("bash /usr/src/kiosk/packaging/install.sh --no-start 2>&1", timeout=1200)
    assert "install.sh: installed kiosk 0.1.0" in first.stdout, first.stdout[-3000:]
    status = root.sh("dpkg-query -W -f='${Package} ${Status}\\n' cage fonts-wqy-microhei libxcb-cursor0 "
                     f"python3-venv {PACKAGE}").stdout
    assert status.count("install ok installed") == 5, status
    assert root.sh("command -v cage").stdout.strip() == "/usr/bin/cage"

    config = root.path / "etc/kiosk/kiosk.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('id = "YT-XZ-02"', 'id = "YT-XZ-07"'),
                      encoding="utf-8")
    again = root.sh("bash /usr/src/kiosk/packaging/install.sh --no-start 2>&1", timeout=1200)
    assert "install.sh: installed kiosk 0.1.0" in again.stdout, again.stdout[-3000:]
    assert 'id = "YT-XZ-07"' in config.read_text(encoding="utf-8")
    assert root.sh("runuser -u kiosk -- kiosk --version").stdout.strip() == "kiosk 0.1.0"
