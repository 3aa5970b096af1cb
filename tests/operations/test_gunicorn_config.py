"""gunicorn.conf.py, as gunicorn itself reads it from the repository."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_config(**env):
    """gunicorn's effective settings ({name: value as printed}) with the repository's file."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--print-config", "casebook.wsgi:application"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "casebook.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))


@pytest.fixture(scope="module")
def config():
    return gunicorn_config()


def test_workers_follow_the_cpu_count(config):
    assert int(config["workers"]) == 2 * os.cpu_count() + 1


def test_stuck_workers_are_replaced_and_restarts_are_graceful(config):
    assert int(config["timeout"]) == 30
    assert int(config["graceful_timeout"]) == 30


def test_workers_are_recycled_with_jitter(config):
    assert int(config["max_requests"]) == 1000
    assert int(config["max_requests_jitter"]) == 100


def test_the_access_log_is_left_to_the_application(config):
    assert config["accesslog"] == "None"


def test_the_environment_overrides_the_worker_count_and_timeout():
    config = gunicorn_config(WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="45")

    assert (config["workers"], config["timeout"]) == ("3", "45")
