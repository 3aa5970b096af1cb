"""Production settings: `check --deploy` is clean and a placeholder secret is refused."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-" + "y" * 20,
    "ALLOWED_HOSTS": "casebook.example.org",
}


def deployment_environment(**overrides):
    """This process's environment, without what the browser-test harness sets for itself."""
    env = {**os.environ, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=deployment_environment(**env),
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={k: v for k, v in deployment_environment(**env).items() if k != "SECRET_KEY"},
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = manage("check", env={"DEBUG": "ture"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
