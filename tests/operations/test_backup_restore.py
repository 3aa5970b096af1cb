"""scripts/backup_restore_check.py dumps the database, restores the dump into a scratch
database and compares the row counts of every table."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories
from tests.browser.conftest import running_in_ci

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup_restore_check.py"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_every_row(tmp_path):
    if not shutil.which("pg_dump"):
        # .ci/run installs postgresql-client, so in CI its absence is an error.
        if running_in_ci():
            pytest.fail("needs pg_dump and pg_restore (postgresql-client)")
        pytest.skip("needs pg_dump and pg_restore (apt install postgresql-client)")
    factories.make_initiative(title="Kept in the backup")
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"

    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--database-url", url, "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "tables match" in result.stdout
    assert len(list(tmp_path.glob("*.dump"))) == 1
