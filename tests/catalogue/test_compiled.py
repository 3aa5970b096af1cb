"""A query compiled once per process gives each call its own rows (catalogue/models/compiled.py)."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from catalogue.models import Sector
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


def test_a_call_with_another_number_of_ids_is_refused():
    sectors_of(1)
    with pytest.raises(TypeError, match="compiled for 1 ids, not 2"):
        sectors_of(1, 2)
