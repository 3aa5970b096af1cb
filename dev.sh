#!/usr/bin/env bash
# Casebook's two commands on a fresh machine:
#   ./dev.sh run    set everything up, load the catalogue, serve http://127.0.0.1:8000 (SQLite)
#   ./dev.sh test   set everything up and run the whole test suite
#   ./dev.sh setup  only the set-up (used by .ci/run)
# Set-up is idempotent: a virtualenv in .venv, requirements installed when they change,
# migrations applied, and the shipped catalogue loaded.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${CASEBOOK_VENV:-.venv}"  # .ci/run points this at a fresh folder

# Django 6 needs Python 3.12 or newer. Look on PATH first, then in pyenv's versions folder
# (pyenv's python3.12/3.13 shims fail unless that version is selected, so call it directly).
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[2-9]*/bin/python3; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    local python
    if ! python=$(find_python); then
      echo "Casebook needs Python 3.12 or newer, and none was found on PATH or in pyenv." >&2
      echo "Install one (e.g. 'pyenv install 3.12' or Debian/Ubuntu 'apt install python3.12-venv')," >&2
      echo "or point PYTHON at it: PYTHON=/path/to/python3.12 ./dev.sh $*" >&2
      exit 1
    fi
    echo "Creating $VENV with $python"
    "$python" -m venv "$VENV"
  fi
  # Reinstall only when the requirement files changed since the last install.
  local stamp="$VENV/.requirements-installed"
  if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ requirements-dev.txt -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r requirements-dev.txt
    touch "$stamp"
  fi
}

case "${1:-}" in
  run)
    setup
    "$VENV/bin/python" manage.py migrate --noinput
    "$VENV/bin/python" manage.py load_catalogue
    exec "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
    ;;
  setup)
    setup
    ;;
  test)
    setup
    shift
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh run | ./dev.sh test [pytest arguments] | ./dev.sh setup" >&2
    exit 2
    ;;
esac
