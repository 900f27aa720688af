#!/usr/bin/env bash
# Installs (or upgrades) a kiosk on Debian 12 or Ubuntu 24.04, as root, in one step:
#   sudo packaging/install.sh [--deb FILE] [--with-deps] [--no-start] [--station [--tls-host NAME]]
# the system packages (Qt's libraries, fonts-wqy-microhei, cage), then the kiosk's Debian package
# built from this tree (or FILE). The package's postinst makes the `kiosk` user (dialout, lp), the
# virtual environment /opt/kiosk, /etc/kiosk/kiosk.toml (when absent), /var/lib/kiosk, migrates
# the local store (keeping a backup and the outbox) and enables the units. Then the kiosk starts.
# --station: this machine is also the station service (/etc/kiosk/station.toml from the example
# when absent, kiosk-station.service enabled); --tls-host NAME gives it https on the station LAN.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deb=""
build_args=()
start=1
station=0
tls_host=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --deb) deb=$(realpath "$2"); shift 2 ;;
        --with-deps) build_args+=(--with-deps); shift ;;
        --no-start) start=0; shift ;;
        --station) station=1; shift ;;
        --tls-host) tls_host="$2"; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [[ $(id -u) -ne 0 ]]; then
    echo "install.sh: run as root (sudo packaging/install.sh)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install.sh: system packages" >&2
bash "$here/install-deps"
apt-get update -qq
apt-get install -y -qq --no-install-recommends cage python3 python3-venv udev \
    libwayland-client0 libwayland-cursor0 libwayland-egl1 >/dev/null

if [[ -z "$deb" ]]; then
    echo "install.sh: building the package from $(dirname "$here")" >&2
    out=$(mktemp -d /tmp/kiosk-install.XXXXXX)
    trap 'rm -rf "$out"' EXIT
    deb=$("$here/build-deb" --out "$out" "${build_args[@]}")
fi

echo "install.sh: installing $(basename "$deb")" >&2
apt-get install -y -qq --no-install-recommends "$deb" >/dev/null

if [[ $station -eq 1 ]]; then
    if [[ ! -e /etc/kiosk/station.toml ]]; then
        install -m 0640 -g kiosk /opt/kiosk/share/station.toml.example /etc/kiosk/station.toml
        echo "install.sh: wrote /etc/kiosk/station.toml: set the ids and the district URL, then enrol it" >&2
    fi
    if [[ -n "$tls_host" ]]; then
        runuser -u kiosk -- /opt/kiosk/bin/kiosk --config /etc/kiosk/station.toml station-cert --host "$tls_host" \
            --write /etc/kiosk/station.toml
    fi
    if [[ -d /run/systemd/system ]]; then
        systemctl enable kiosk-station.service >/dev/null 2>&1
        [[ $start -eq 1 ]] && systemctl restart kiosk-station.service
    fi
fi

if [[ -d /run/systemd/system ]]; then
    systemctl set-default graphical.target >/dev/null
    systemctl enable kiosk-session.service kiosk-counter.service kiosk-sync.timer >/dev/null 2>&1
    if [[ $start -eq 1 ]]; then
        systemctl restart kiosk-counter.service kiosk-sync.timer
        systemctl restart kiosk-session.service
    fi
fi
echo "install.sh: installed $(/opt/kiosk/bin/kiosk --version)" >&2
echo "install.sh: next: sudo kiosk setup (devices, ids, enrolment), then: kiosk doctor all --json" >&2
