#!/usr/bin/env bash
# Sets up everything the project needs on a Debian/Ubuntu machine, and is quick when nothing
# changed: system libraries (apt), a virtualenv from an interpreter whose sqlite3 can load
# extensions (SpatiaLite needs that), the pinned Python packages and a local .env.
#
#   scripts/setup.sh              what `make run` needs
#   scripts/setup.sh --browser    also Chromium and ClamAV, for the browser and scan tests (`make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

# --- 1. System libraries --------------------------------------------------------------------
# Each entry: the Debian package to install, and the file whose presence proves it is there.
declare -A NEEDS=(
  [gdal-bin]="libgdal.so"            # GDAL, with GEOS and PROJ as its dependencies
  [libgeos-c1v5]="libgeos_c.so"
  [libsqlite3-mod-spatialite]="mod_spatialite.so"
  [libpango-1.0-0]="libpango-1.0.so"
  [libpangoft2-1.0-0]="libpangoft2-1.0.so"
  [fonts-dejavu-core]="DejaVuSans.ttf"
  [fonts-hosny-amiri]="Amiri-Regular.ttf"   # Arabic (Naskh) for the documents, 2.5 MB
  [poppler-utils]="pdftotext"               # the tests read generated PDFs back
)
$want_browser && NEEDS[chromium]="chromium"
# The documents tests scan uploads with a real ClamAV daemon of their own (no signatures are
# downloaded: the test writes its own database with sigtool).
$want_browser && NEEDS[clamav-daemon]="clamd" && NEEDS[clamav]="sigtool"

have_file() {
  case "$1" in
    chromium | pdftotext) command -v "$1" >/dev/null 2>&1 ;;
    clamd | sigtool) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] ;;
    *.ttf) fc-list 2>/dev/null | grep -q "$1" || [ -n "$(find /usr/share/fonts -name "$1" -print -quit 2>/dev/null)" ] ;;
    *) ldconfig -p 2>/dev/null | grep -q "$1" \
         || [ -n "$(find /usr/lib /usr/lib64 -name "$1*" -print -quit 2>/dev/null)" ] ;;
  esac
}

missing=()
for pkg in "${!NEEDS[@]}"; do
  have_file "${NEEDS[$pkg]}" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then apt=(apt-get); elif sudo -n true 2>/dev/null; then apt=(sudo apt-get)
  else
    die "Missing system packages. Install them, then run this again:
    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die "No apt-get here. Install GDAL, GEOS, PROJ, SpatiaLite (mod_spatialite), Pango, fonts-dejavu, an Arabic font (Amiri) and poppler-utils with your package manager."
  say "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. An interpreter that can load SQLite extensions ---------------------------------------
can_load_extensions() {
  "$1" - <<'PY' 2>/dev/null
import sqlite3, sys
assert sys.version_info >= (3, 11)
sqlite3.connect(":memory:").enable_load_extension(True)
PY
}

python=""
for candidate in ${PYTHON:-} /usr/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.11 /usr/bin/python3 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if can_load_extensions "$path"; then python=$path; break; fi
done
[ -n "$python" ] || die "No Python 3.11+ whose sqlite3 can load extensions (SpatiaLite needs it).
    On Debian/Ubuntu: sudo apt-get install python3 python3-venv   (then use /usr/bin/python3)
    pyenv builds lack it unless built with PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions.
    Point PYTHON=/path/to/python3 at a suitable interpreter to choose one."

# --- 3. The virtualenv -------------------------------------------------------------------------
if [ -x "$VENV/bin/python" ] && ! can_load_extensions "$VENV/bin/python"; then
  say "Rebuilding $VENV: its interpreter cannot load SQLite extensions"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "Creating $VENV with $python ($("$python" --version))"
  if ! "$python" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$VENV"
    else
      die "Cannot create a virtualenv: sudo apt-get install -y python3-venv"
    fi
  fi
fi

# --- 4. Python packages, reinstalled only when requirements.txt changes ------------------------
stamp="$VENV/.requirements.sha256"
sum=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  say "Installing Python packages (requirements.txt)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -r requirements.txt
  echo "$sum" > "$stamp"
fi

# --- 5. Local settings -------------------------------------------------------------------------
if [ ! -f .env ]; then
  say "Writing .env for local development (DEBUG on, a random SECRET_KEY)"
  key=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
  printf 'DEBUG=true\nSECRET_KEY=%s\n' "$key" > .env
fi
