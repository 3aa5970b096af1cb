"""A query compiled once per process gives each call its own rows (catalogue/models/compiled.py)."""

from unittest import mock

import pytest
from django.db import DataError, connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from catalogue.models import Initiative, Sector
from catalogue.models.compiled import compiled_once
from tests import factories

pytestmark = pytest.mark.django_db


@compiled_once
def sectors_of(initiative_id):
    return Sector.objects.filter(initiatives=initiative_id).order_by("name")


def test_each_call_reads_the_rows_of_its_own_ids_without_compiling_again():
    health, education, water = (factories.make_sector(name=name) for name in ["Health", "Education", "Water"])
    first = factories.make_initiative(sectors=[health, education])
    second = factories.make_initiative(sectors=[water])
    assert sectors_of(first.pk) == [education, health]

    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled again")):
        with CaptureQueriesContext(connection) as queries:
            found = sectors_of(second.pk)

    assert found == [water]
    assert found[0].name == "Water"  # whole instances, not ids
    assert len(queries) == 1
    assert sectors_of(factories.make_initiative().pk) == []


@compiled_once
def sectors_named_like(text):
    return Sector.objects.filter(name__icontains=text)


def test_an_argument_the_sql_would_transform_is_refused_at_once():
    """`__icontains` sends `%text%`: swapping the placeholder would find nothing, silently."""
    with pytest.raises(ValueError, match="argument 0 does not reach the SQL as given"):
        sectors_named_like("wat")


def test_a_case_page_compiles_its_case_query_once(client):
    case = factories.make_initiative(sectors=[factories.make_sector(name="Water")])
    other = factories.make_initiative()
    assert client.get(case.get_absolute_url()).status_code == 200
    compiled_models = []
    as_sql = SQLCompiler.as_sql

    def spy(compiler, *args, **kwargs):
        compiled_models.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "as_sql", spy):
        response = client.get(other.get_absolute_url(), HTTP_COOKIE="sessionid=x")  # not from the cache

    assert response.status_code == 200
    assert response.context["initiative"] == other
    assert Initiative not in compiled_models


@pytest.mark.postgres
def test_on_postgresql_it_is_prepared_once_per_session_and_again_after_a_reconnection(transactional_db):
    water = factories.make_sector(name="Water")
    case = factories.make_initiative(sectors=[water])

    def run_once():
        with CaptureQueriesContext(connection) as queries:
            assert sectors_of(case.pk) == [water]
        assert len(queries) == 1  # preparing costs no round trip of its own
        return queries.captured_queries[0]["sql"]

    connection.close()  # a new session
    assert run_once().startswith("PREPARE sectors_of_")
    assert run_once().startswith("EXECUTE sectors_of_")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'sectors_of_%%'")
        assert cursor.fetchone() == (1,)

    connection.close()  # PostgreSQL forgets the statement with the session; so do we
    assert run_once().startswith("PREPARE sectors_of_")


@pytest.mark.postgres
def test_on_postgresql_a_failed_run_does_not_break_the_next_ones(transactional_db):
    """The first run prepares and executes in one round trip; when it fails, whether the
    statement exists is unknown, and the next run must neither miss it nor prepare it twice."""
    water = factories.make_sector(name="Water")
    case = factories.make_initiative(sectors=[water])
    connection.close()

    with pytest.raises(DataError):  # PREPARE succeeds, EXECUTE fails: bigint out of range
        sectors_of(2**70)

    assert sectors_of(case.pk) == [water]
    assert sectors_of(case.pk) == [water]
