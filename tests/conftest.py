import io

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import factories

# Partners, colleagues and editors, and their clients: shared by tests/accounts and tests/workflow.
pytest_plugins = ["tests.personas"]


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need PostgreSQL; on SQLite they are skipped with a reason.

    CI runs the suite a second time on PostgreSQL, where they run (see .ci/run).
    """
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only feature; run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shipped_catalogue(db):
    """The database with the shipped fixtures loaded, as `./dev.sh run` has it."""
    call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture
def make_initiative(db):
    return factories.make_initiative


@pytest.fixture
def make_organisation(db):
    return factories.make_organisation


@pytest.fixture
def make_sector(db):
    return factories.make_sector


@pytest.fixture
def make_technology(db):
    return factories.make_technology


@pytest.fixture
def make_source(db):
    return factories.make_source


@pytest.fixture
def make_requirement(db):
    return factories.make_requirement
