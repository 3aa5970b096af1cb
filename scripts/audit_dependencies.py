"""Audit the installed dependencies for known vulnerabilities, and say honestly what was audited.

    .venv/bin/python scripts/audit_dependencies.py            # the virtualenv running this script
    PIP_AUDIT=/path/to/pip-audit .venv/bin/python scripts/audit_dependencies.py

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could audit nothing
(no advisory source reachable: every package "not found on PyPI"). This runs it with JSON
output (pip-audit from PIP_AUDIT, PATH, or `python -m pip_audit`; install it with `pipx install
pip-audit` or into any virtualenv: it is not a project dependency) and counts: exit 0 only when
every package was audited and none is vulnerable; 1 when one is vulnerable; 2 when some or all
could not be audited ("AUDITED NOTHING" when none was), or pip-audit did not run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig


def summarise(report):
    """(audited, vulnerable, skipped) from pip-audit's JSON: lists of names (skipped with reasons)."""
    audited, vulnerable, skipped = [], [], []
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        audited.append(dependency["name"])
        if dependency.get("vulns"):
            ids = ", ".join(vuln["id"] for vuln in dependency["vulns"])
            vulnerable.append(f"{dependency['name']} {dependency.get('version', '')}: {ids}")
    return audited, vulnerable, skipped


def pip_audit_command():
    chosen = os.environ.get("PIP_AUDIT") or shutil.which("pip-audit")
    return [chosen] if chosen else [sys.executable, "-m", "pip_audit"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default=sysconfig.get_paths()["purelib"], help="site-packages to audit")
    args = parser.parse_args()
    command = [*pip_audit_command(), "--path", args.path, "-f", "json", "--progress-spinner", "off"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
        report = json.loads(result.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        print(f"AUDITED NOTHING: pip-audit did not run or gave no report ({error})")
        sys.exit(2)
    audited, vulnerable, skipped = summarise(report)
    total = len(audited) + len(skipped)
    print(f"audited {len(audited)} of {total} packages; {len(vulnerable)} with known vulnerabilities")
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    if vulnerable:
        sys.exit(1)
    if skipped:
        print(("AUDITED NOTHING" if not audited else "NOT AUDITED") + f": {len(skipped)} packages, e.g.")
        for line in skipped[:5]:
            print(f"  {line}")
        sys.exit(2)


if __name__ == "__main__":
    main()
