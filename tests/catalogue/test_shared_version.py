"""With production's cache (Redis), the data version is kept in Redis too, so an answer served
from the cache touches no database; it is never stale after a change (catalogue/shared_version.py).

These tests commit (transaction=True): the version is written to Redis when a change commits,
and a request inside a transaction reads the database instead.
"""

import threading
import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casebook.settings import cache_from_url
from catalogue import shared_version
from catalogue.models import CatalogueRevision, Initiative
from catalogue.revisions import catalogue_version
from tests import factories
from workflow import transitions

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/initiatives/snow-leopard-counts/"


@pytest.fixture
def redis_cache(settings, monkeypatch):
    """Production's cache, under a prefix of this test's own (Redis keeps other tests' keys).
    The version kept in Redis is trusted for a minute, so that no read of a test on a busy
    machine finds it expired and reads the database (the test of expiry sets its own)."""
    monkeypatch.setattr(shared_version, "VERSION_SECONDS", 60)
    prefix = f"casebook-test-{uuid.uuid4().hex}"
    redis = {**cache_from_url("redis://127.0.0.1:6379/0"), "KEY_PREFIX": prefix}
    settings.CACHES = {**settings.CACHES, "default": redis}


@pytest.fixture
def case(redis_cache):
    return factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")


def read(path=PAGE):
    """A new anonymous reader's GET, and how many SQL queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    return response, len(queries)


def version_in_redis():
    client, key = shared_version._redis_and_key()
    return shared_version._decoded(client.get(key))


@pytest.mark.parametrize("path", [PAGE, "/initiatives/", "/api/v1/initiatives/snow-leopard-counts/"])
def test_an_answer_served_from_redis_touches_no_database(case, path):
    first, first_queries = read(path)
    second, second_queries = read(path)

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first_queries > 1
    assert second_queries == 0
    assert second.get("ETag") == first.get("ETag")


@pytest.mark.parametrize("path", [PAGE, "/initiatives/", "/api/v1/initiatives/snow-leopard-counts/"])
def test_an_answer_served_from_redis_takes_one_round_trip(case, path, monkeypatch):
    """The version and the answer are read together (MGET), not one after the other."""
    read(path)
    commands = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    response, queries = read(path)

    assert (response["X-Cache"], queries) == ("hit", 0)
    assert commands == ["MGET"]


def test_a_request_keeps_one_entry_which_the_answer_after_a_change_replaces(case):
    """Redis holds one answer per request, not one per version the catalogue has been at."""
    client, _ = shared_version._redis_and_key()
    entries = cache.make_key("public-response:*")

    read(PAGE)
    for step in range(3):
        case.title = f"Snow leopard counts, edit {step}"
        case.save()
        assert f"Snow leopard counts, edit {step}" in read(PAGE)[0].content.decode()

    assert len(client.keys(entries)) == 1
    assert read(PAGE)[0]["X-Cache"] == "hit"


def test_a_publish_an_edit_and_an_archive_show_at_once(case):
    # A member of staff reviews: the Editors group, made by a migration, went with the flush.
    editor = factories.make_partner("staff@example.org")
    editor.is_staff = True
    editor.save()
    draft = factories.make_initiative(
        slug="river-blindness-screening",
        title="River blindness screening",
        status=Initiative.Status.SUBMITTED,
    )
    assert "River blindness screening" not in read("/initiatives/")[0].content.decode()
    assert read("/initiatives/")[1] == 0  # served from the cache

    transitions.publish(draft, editor)
    assert "River blindness screening" in read("/initiatives/")[0].content.decode()

    read(PAGE)
    case.title = "Snow leopard counts in the Pamirs"
    case.save()
    assert "Snow leopard counts in the Pamirs" in read(PAGE)[0].content.decode()

    transitions.archive(case, editor)
    assert read(PAGE)[0].status_code == 404
    assert read("/api/v1/initiatives/snow-leopard-counts/")[0].status_code == 404


def test_a_reader_putting_back_an_older_version_never_hides_a_change(case):
    """A reader that read the database just before a change committed writes what it read
    after the change's own write: the older number does not replace the newer."""
    before = catalogue_version()
    read(PAGE)
    case.title = "Snow leopard counts in the Pamirs"
    case.save()

    client, key = shared_version._redis_and_key()
    shared_version._raise_to(client, key, before)

    assert version_in_redis() == catalogue_version()
    assert "Snow leopard counts in the Pamirs" in read(PAGE)[0].content.decode()


@pytest.mark.postgres
def test_changes_committing_at_once_leave_redis_at_the_last_version(case):
    """Four threads change the case 10 times each while two others read it: afterwards Redis
    holds the database's version, and a new reader sees the last title."""
    start = threading.Barrier(6)
    errors = []

    def change(thread):
        try:
            start.wait()
            for step in range(10):
                with transaction.atomic():
                    initiative = Initiative.objects.select_for_update().get(pk=case.pk)
                    initiative.title = f"Snow leopard counts, thread {thread} step {step}"
                    initiative.save()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def keep_reading():
        try:
            start.wait()
            for _ in range(40):
                assert Client().get(PAGE).status_code == 200
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=keep_reading) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert version_in_redis() == catalogue_version()
    last_title = Initiative.objects.get(pk=case.pk).title
    assert last_title in read(PAGE)[0].content.decode()


def test_a_change_made_behind_the_applications_back_shows_once_the_version_expires(case, monkeypatch):
    """SQL by hand (or a restored backup) moves no version in Redis: the pages show it when
    the version kept there expires, and then from the database again."""
    # long enough for the two reads below on a busy machine
    monkeypatch.setattr(shared_version, "VERSION_SECONDS", 3)
    cache.delete(shared_version.KEY)  # let the next read keep the version with the short expiry
    read(PAGE)
    Initiative.objects.filter(pk=case.pk).update(title="Snow leopard counts by hand")
    CatalogueRevision.objects.bump()

    assert "Snow leopard counts by hand" not in read(PAGE)[0].content.decode()
    time.sleep(3.1)
    assert "Snow leopard counts by hand" in read(PAGE)[0].content.decode()
    assert version_in_redis() == catalogue_version()


def test_inside_a_transaction_a_request_reads_its_own_change(case, rf):
    from catalogue.revisions import version_for

    read(PAGE)
    with transaction.atomic():
        case.title = "Snow leopard counts in the Pamirs"
        case.save()
        assert version_for(rf.get(PAGE)) == catalogue_version()
        assert version_in_redis() != catalogue_version()  # written when it commits
    assert version_in_redis() == catalogue_version()


def test_with_redis_gone_every_read_answers_from_the_database(settings, db):
    settings.CACHES = {**settings.CACHES, "default": cache_from_url("redis://127.0.0.1:1/0")}
    factories.make_initiative(slug="snow-leopard-counts", title="Snow leopard counts")
    for path in [PAGE, "/initiatives/", "/api/v1/initiatives/snow-leopard-counts/"]:
        first, second = read(path), read(path)
        assert (first[0].status_code, second[0].status_code) == (200, 200)
        assert second[1] > 0  # computed again: nothing was kept
