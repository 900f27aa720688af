#!/bin/sh
# Refresh the translation sources from the code, then compile them:
#   pyside6-lupdate  kiosk/ui/**/*.py  ->  kiosk_en.ts   (new texts appear as unfinished)
#   pyside6-lrelease kiosk_en.ts       ->  kiosk_en.qm   (what the kiosk loads)
# Usage: kiosk/ui/translations/build.sh [--release-only]
# The tools are looked up on PATH, then in .venv/bin; LUPDATE and LRELEASE override both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ui=$(dirname "$here")
root=$(cd "$ui/../.." && pwd)

tool() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"
    elif [ -x "$root/.venv/bin/$1" ]; then echo "$root/.venv/bin/$1"
    else echo "build.sh: $1 not found (pip install pyside6)" >&2; exit 1
    fi
}
LUPDATE=${LUPDATE:-$(tool pyside6-lupdate)}
LRELEASE=${LRELEASE:-$(tool pyside6-lrelease)}

if [ "${1:-}" != "--release-only" ]; then
    sources=$(cd "$root" && find kiosk/ui -name '*.py' | sort)
    (cd "$root" && "$LUPDATE" -silent -locations none -no-obsolete -source-language zh_CN \
        -target-language en $sources -ts "kiosk/ui/translations/kiosk_en.ts")
fi
for ts in "$here"/kiosk_*.ts; do
    "$LRELEASE" -silent "$ts" -qm "${ts%.ts}.qm"
done
