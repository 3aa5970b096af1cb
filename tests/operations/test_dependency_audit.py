"""scripts/audit_dependencies.py never reports "no vulnerabilities" for packages it could not
audit (pip-audit itself does, with exit status 0, when no advisory source is reachable)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


def run_with_report(tmp_path, report):
    """The script, with a stand-in pip-audit that prints `report` as pip-audit's JSON does."""
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(report))})\n")
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={"PIP_AUDIT": str(fake), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def skipped(name):
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}"}


def test_nothing_audited_fails_and_says_so(tmp_path):
    result = run_with_report(
        tmp_path, {"dependencies": [skipped("django"), skipped("gunicorn")], "fixes": []}
    )

    assert result.returncode == 2
    assert "audited 0 of 2 packages" in result.stdout
    assert "AUDITED NOTHING" in result.stdout


def test_a_partial_audit_fails(tmp_path):
    report = {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}, skipped("gunicorn")]}

    result = run_with_report(tmp_path, report)

    assert result.returncode == 2
    assert "audited 1 of 2 packages" in result.stdout


def test_a_vulnerable_package_fails_naming_it(tmp_path):
    report = {"dependencies": [{"name": "django", "version": "6.1.0", "vulns": [{"id": "PYSEC-2026-1"}]}]}

    result = run_with_report(tmp_path, report)

    assert result.returncode == 1
    assert "VULNERABLE django 6.1.0: PYSEC-2026-1" in result.stdout


def test_a_complete_clean_audit_passes(tmp_path):
    report = {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}]}

    result = run_with_report(tmp_path, report)

    assert result.returncode == 0, result.stdout
    assert "audited 1 of 1 packages; 0 with known vulnerabilities" in result.stdout


@pytest.mark.parametrize("output", ["", "not json"])
def test_no_report_is_audited_nothing(tmp_path, output):
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!{sys.executable}\nprint({output!r})\n")
    fake.chmod(0o755)

    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={"PIP_AUDIT": str(fake)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "AUDITED NOTHING" in result.stdout
