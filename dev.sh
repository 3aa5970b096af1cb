#!/usr/bin/env bash
# Casebook's two commands on a fresh machine:
#   ./dev.sh run    set up the runtime, load the catalogue, serve http://127.0.0.1:8000 (SQLite)
#                   and run the worker that sends queued mail
#   ./dev.sh test   set up the runtime and the test tools, then run the whole test suite
#   ./dev.sh setup  only the set-up, test tools included (used by .ci/run)
# Set-up is idempotent: a virtualenv in .venv (rebuilt if it has the wrong Python), requirements
# installed when they change, migrations applied, and the shipped catalogue loaded.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${CASEBOOK_VENV:-.venv}" # .ci/run points this at a fresh folder
COMMAND="${1:-}"
started=$SECONDS

# One line per step, with the seconds since the start, so a first run (a minute or so of
# installing) is never silent.
step() { printf '==> %s (%ss)\n' "$*" "$((SECONDS - started))"; }

# Django 6 needs Python 3.12 or newer.
is_supported_python() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# Look on PATH first, then in pyenv's versions folder (pyenv's python3.12/3.13 shims fail unless
# that version is selected, so call it directly).
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3 \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[2-9]*/bin/python3; do
    [ -n "$candidate" ] || continue
    if is_supported_python "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# A .venv made earlier with another Python (the reflex `python3 -m venv .venv` may give 3.11)
# or whose interpreter has since been removed would make pip fail with a long, unrelated error.
# Such a virtualenv holds nothing but installed packages, so rebuild it.
check_venv() {
  [ -e "$VENV" ] || return 0
  if is_supported_python "$VENV/bin/python"; then
    return 0
  fi
  local found
  found=$("$VENV/bin/python" --version 2>&1) || found="a Python that no longer runs"
  if [ ! -f "$VENV/pyvenv.cfg" ]; then
    echo "$VENV is not a virtualenv (no pyvenv.cfg); move it away or set CASEBOOK_VENV." >&2
    exit 1
  fi
  step "$VENV was made with $found; Casebook needs Python 3.12 or newer, so rebuilding it"
  rm -rf "$VENV"
}

create_venv() {
  [ -x "$VENV/bin/python" ] && return 0
  local python
  if ! python=$(find_python); then
    echo "Casebook needs Python 3.12 or newer, and none was found on PATH or in pyenv." >&2
    echo "Install one (e.g. 'pyenv install 3.12' or Debian/Ubuntu 'apt install python3.12-venv')," >&2
    echo "or point PYTHON at it: PYTHON=/path/to/python3.12 ./dev.sh $COMMAND" >&2
    exit 1
  fi
  step "Creating $VENV with $("$python" --version) ($python)"
  "$python" -m venv "$VENV"
  step "Upgrading pip in $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
}

# install <requirements file> <stamp name> <what>: pip install, skipped while the stamp is newer
# than the requirement files. Running the site needs only requirements.txt; the tests add
# requirements-dev.txt (Playwright, schemathesis: most of the virtualenv), with a stamp of its
# own so that switching between `run` and `test` installs only what is missing.
install() {
  local requirements="$1" stamp="$VENV/.installed-$2" what="$3"
  if [ -f "$stamp" ] && [ ! requirements.txt -nt "$stamp" ] && [ ! "$requirements" -nt "$stamp" ]; then
    return 0
  fi
  step "Installing $what from $requirements (log: $VENV/pip.log)"
  if ! "$VENV/bin/python" -m pip install --progress-bar off -r "$requirements" >"$VENV/pip.log" 2>&1; then
    tail -n 30 "$VENV/pip.log" >&2
    echo "pip failed installing $requirements; the whole log is in $VENV/pip.log" >&2
    exit 1
  fi
  grep '^Successfully installed' "$VENV/pip.log" | fold -s -w 100 | sed 's/^/    /' || true
  touch "$stamp"
}

setup() {
  step "Checking the virtualenv $VENV"
  check_venv
  create_venv
  install requirements.txt runtime "the runtime dependencies"
  if [ "$1" = dev ]; then
    install requirements-dev.txt dev "the test and lint tools"
  fi
}

case "$COMMAND" in
  run)
    setup runtime
    step "Applying migrations"
    "$VENV/bin/python" manage.py migrate --noinput
    # The shared cache's table (API rate-limit counters); the migration made it, this is a no-op
    # unless the cache settings have changed since.
    "$VENV/bin/python" manage.py createcachetable
    step "Loading the shipped catalogue"
    "$VENV/bin/python" manage.py load_catalogue
    # The worker sends queued mail (README, "The worker"). It runs beside the web server and
    # stops with it: Ctrl-C reaches both, and the trap stops the worker however the server
    # ends. No --reload: its file-watching parent would outlive a killed child; restart
    # ./dev.sh run after changing a task's code.
    step "Starting the worker (sends queued mail)"
    "$VENV/bin/python" manage.py worker --no-reload &
    worker=$!
    trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
    step "Serving http://127.0.0.1:8000/ (Ctrl-C stops it and the worker)"
    "$VENV/bin/python" manage.py runserver 127.0.0.1:8000
    ;;
  setup)
    setup dev
    step "Set-up done"
    ;;
  test)
    setup dev
    shift
    # One pytest worker per core (pytest-xdist): the fuzz and browser tests wait on a live
    # server in the same process, so a second worker keeps the other core busy. Pass `-n 0`
    # to run in one process (e.g. with --pdb).
    step "Running the tests"
    exec "$VENV/bin/python" -m pytest -n auto "$@"
    ;;
  *)
    echo "usage: ./dev.sh run | ./dev.sh test [pytest arguments] | ./dev.sh setup" >&2
    exit 2
    ;;
esac
