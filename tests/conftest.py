import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import translation

from tests import factories

# Partners, colleagues and editors, and their clients: shared by tests/accounts and tests/workflow.
pytest_plugins = ["tests.personas", "tests.mailqueue", "tests.liveserver"]


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


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Every test that makes an account would otherwise spend about half a second of CPU per
    password in the production hasher, which is slow on purpose; what the tests check does not
    depend on the hash's strength."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def tasks_run_in_the_request():
    """Queued tasks (mail) run as soon as they are enqueued, so a test needs no worker; the
    tests of the queue itself (tests/outbox) choose the database backend."""
    immediate = "django.tasks.backends.immediate.ImmediateBackend"
    with override_settings(TASKS={"default": {"BACKEND": immediate}}):
        yield


@pytest.fixture(scope="session", autouse=True)
def downloads_not_rewritten(tmp_path_factory):
    """The bulk downloads are written in a temporary folder, and only by the tests of them
    (tests/catalogue/test_bulk_downloads.py): rewriting them after every test's change would
    cost every test the time of an export."""
    folder = tmp_path_factory.mktemp("downloads") / "downloads"
    with override_settings(DOWNLOADS_DIR=folder, DOWNLOADS_AUTO_REGENERATE=False):
        yield


@pytest.fixture(scope="session", autouse=True)
def process_local_shared_cache():
    """The shared cache (the API rate limit's counters) in this process's memory: the test
    process is the only worker, and the database cache would add its queries to every API
    request that tests count. tests/api/test_throttling.py puts it back in the database, where
    two workers' counts meet."""
    shared = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
    with override_settings(CACHES={**settings.CACHES, "shared": shared}):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database is rolled back after it, so the
    next test can reach the same data version with other records. The rate limit starts
    from zero too."""
    cache.clear()
    caches["shared"].clear()
    yield
    cache.clear()
    caches["shared"].clear()


@pytest.fixture(autouse=True)
def interface_language_reset():
    """Each test starts in the default language: a request through the test client activates
    the language it asks for in this thread and leaves it active, so a test after one in
    Chinese read its labels in Chinese (test_form_figures failed that way in CI)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def uncached(settings):
    """Caching off, for tests that read a page's context (a cached answer has none)."""
    # Only the page cache: the rate limit still counts in the shared cache.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


class CatalogueSnapshot:
    """The rows `load_catalogue` writes, read once per session, to be written back cheaply.

    Loading the shipped catalogue takes 1–2 s (it validates and saves record by record); about
    a hundred tests need it. Each of them gets the same rows with one bulk INSERT per table
    instead, inside its own transaction, so it is still rolled back after the test.
    """

    def __init__(self, before, after):
        # Only the tables the load changed; rows keyed by primary key.
        self.before = {}
        self.after = {}
        for model, rows in after.items():
            if rows != before[model]:
                self.before[model] = before[model]
                self.after[model] = rows

    @staticmethod
    def read():
        """Every row of every concrete table, as {model: {pk: (field values)}}."""
        contents = {}
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            names = [field.attname for field in model._meta.concrete_fields]
            contents[model] = {
                row[0]: row for row in model._base_manager.order_by("pk").values_list("pk", *names)
            }
        return contents

    def is_applicable(self):
        """Whether the database holds what it held when the snapshot was taken, in the tables
        the load writes: untouched by the test so far (a fixture may have added records, a
        transactional test's flush may have emptied them). Counting rows is enough here,
        because a test starts from the migrated database or from an empty one."""
        return all(model._base_manager.count() == len(rows) for model, rows in self.before.items())

    def apply(self):
        # One transaction, so foreign keys (deferred) are checked once every table is written,
        # whatever order the models come in; in a transactional test, where each statement
        # would otherwise commit on its own, this matters.
        with transaction.atomic():
            self._write()

    def _write(self):
        for model, rows in self.after.items():
            old = self.before[model]
            changed = [pk for pk, row in rows.items() if pk in old and old[pk] != row]
            removed = [pk for pk in old if pk not in rows]
            model._base_manager.filter(pk__in=changed + removed)._raw_delete(connection.alias)
            names = [field.attname for field in model._meta.concrete_fields]
            model._base_manager.bulk_create(
                model(**dict(zip(names, row[1:], strict=True)))
                for pk, row in rows.items()
                if pk not in old or pk in changed
            )
        # Rows inserted with their primary keys leave PostgreSQL's sequences behind; move them
        # on, or the test's own records would collide with the catalogue's ids.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.after)):
                cursor.execute(statement)


@pytest.fixture(scope="session")
def catalogue_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        before = CatalogueSnapshot.read()
        call_command("load_catalogue", stdout=io.StringIO())
        snapshot = CatalogueSnapshot(before, CatalogueSnapshot.read())
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def shipped_catalogue(db, catalogue_snapshot):
    """The database with the shipped fixtures loaded, as `./dev.sh run` has it."""
    if catalogue_snapshot.is_applicable():
        catalogue_snapshot.apply()
    else:
        call_command("load_catalogue", stdout=io.StringIO())


@pytest.fixture
def make_initiative(db):
    return factories.make_initiative


@pytest.fixture
def make_tool_profile(db):
    return factories.make_tool_profile


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
