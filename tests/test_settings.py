"""Production settings: `check --deploy` is clean and a placeholder secret is refused."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-" + "y" * 20,
    "ALLOWED_HOSTS": "casebook.example.org",
    "SITE_URL": "https://casebook.example.org",
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


# A page and a language switch answered with the production settings, in a process of their
# own (cookie names are read when settings load). No database is touched; the static files
# manifest (made by collectstatic on a real deployment) is replaced by plain storage.
PRODUCTION_REQUESTS = """
import json
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    client = Client(HTTP_HOST="casebook.example.org")
    page = client.get("/accounts/login/", secure=True)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, secure=True)
cookies = {
    name: {"secure": bool(morsel["secure"]), "samesite": morsel["samesite"], "path": morsel["path"],
           "domain": morsel["domain"]}
    for name, morsel in client.cookies.items()
}
print(json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "cookies": cookies,
                  "hsts": page.get("Strict-Transport-Security")}))
"""


def production_answers(tmp_path, **env):
    result = manage(
        "shell",
        "-c",
        PRODUCTION_REQUESTS,
        env={**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_session_and_csrf_cookies_carry_the_host_prefix(tmp_path):
    answers = production_answers(tmp_path)

    assert answers["session_cookie"] == "__Host-sessionid"
    # A __Host- cookie must be Secure, for path "/" and no Domain, or browsers drop it.
    assert answers["cookies"]["__Host-csrftoken"] == {
        "secure": True,
        "samesite": "Lax",
        "path": "/",
        "domain": "",
    }


def test_production_language_cookie_is_secure_and_same_site_lax(tmp_path):
    answers = production_answers(tmp_path)

    assert answers["cookies"]["django_language"]["secure"] is True
    assert answers["cookies"]["django_language"]["samesite"] == "Lax"


def test_hsts_leaves_subdomains_and_preloading_off_unless_chosen(tmp_path):
    assert production_answers(tmp_path)["hsts"] == "max-age=31536000"


def test_hsts_subdomains_and_preloading_are_a_documented_choice(tmp_path):
    chosen = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true", "SECURE_HSTS_PRELOAD": "true"}

    assert production_answers(tmp_path, **chosen)["hsts"] == "max-age=31536000; includeSubDomains; preload"
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **chosen})
    assert result.returncode == 0, result.stderr + result.stdout
