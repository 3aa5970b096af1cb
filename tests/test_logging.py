"""The development server's log: each record is printed once, whoever logs it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

# What `./dev.sh run` prints: the autoreloader's start-up line (Django, INFO), a request
# warning (Django, WARNING), a request line of the development server, and a warning from the
# project's own code.
RECORDS = {
    "django.server": ("info", '"GET /initiatives/ HTTP/1.1" 200 31337'),
    "django.utils.autoreload": ("info", "Watching for file changes with StatReloader"),
    "django.request": ("warning", "Not Found: /nope/"),
    "catalogue.views": ("warning", "Something the operator should see"),
}


@pytest.fixture(scope="module")
def development_log():
    """stderr of a Django process configured as `./dev.sh run` configures it, after it logged RECORDS."""
    code = "import logging\n" + "".join(
        f"logging.getLogger({name!r}).{level}({message!r})\n" for name, (level, message) in RECORDS.items()
    )
    env = {**os.environ, "DEBUG": "true"}
    for name in ("LOG_LEVEL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


@pytest.mark.parametrize("logger", RECORDS)
def test_each_log_record_is_printed_once(development_log, logger):
    message = RECORDS[logger][1]

    assert development_log.count(message) == 1, development_log


def test_server_request_lines_keep_their_time(development_log):
    line = next(line for line in development_log.splitlines() if "GET /initiatives/" in line)

    # runserver passes the time as dd/Mon/yyyy hh:mm:ss; a bare record gets milliseconds too.
    assert re.fullmatch(r'\[[\d/\w]+ \d\d:\d\d:\d\d(,\d+)?\] "GET .*', line), line
