"""A deep page of the list costs what the first page costs (issue 9: at 100,000 initiatives
`?ordering=newest&page=250` took 120 ms in the database, sorting or skipping 5,000 whole rows)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Initiative
from tests.factories import add_published

pytestmark = pytest.mark.django_db

PAGE_SIZE = 20


def whole_rows_read(node):
    """Rows of the initiatives table read with their columns, in an EXPLAIN ANALYZE plan:
    every scan of the table except one that reads only an index."""
    own = 0
    if node.get("Relation Name") == "catalogue_initiative" and node["Node Type"] != "Index Only Scan":
        own = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
    return own + sum(whole_rows_read(child) for child in node.get("Plans", []))


def page_query(captured):
    """The query that reads the page's initiatives (it selects their summaries)."""
    return next(q["sql"] for q in captured if '"catalogue_initiative"."summary"' in q["sql"])


@pytest.mark.postgres
@pytest.mark.parametrize("ordering", ["newest", "title"])
def test_a_deep_page_reads_its_own_rows_only(client, ordering):
    add_published(3000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_initiative")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/initiatives/?ordering={ordering}&page=100")
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == PAGE_SIZE
    with connection.cursor() as cursor:
        # At 3,000 rows a sequential scan is the planner's cheapest way to fetch the page's 20
        # rows by id; at 100,000 it fetches them by primary key. Sequential scans are switched
        # off so that this small table is planned as a large one: before the ordering indexes
        # the page was still a scan of every row (then sorted), now it is 20 rows.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + page_query(queries.captured_queries))
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert whole_rows_read(plan[0]["Plan"]) <= PAGE_SIZE, json.dumps(plan, indent=1)


@pytest.mark.parametrize("ordering", ["newest", "title", "relevance"])
def test_pages_in_any_order_hold_every_initiative_once(client, ordering):
    # Equal titles and dates everywhere: only the id tells the rows apart, and the pages
    # must still neither repeat nor skip one.
    now_published = add_published(45, prefix="same")
    Initiative.objects.filter(pk__in=[i.pk for i in now_published]).update(title="Same title")
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/initiatives/?ordering={ordering}&page={page}")
        seen += [initiative.pk for initiative in response.context["page_obj"].object_list]
    assert sorted(seen) == sorted(i.pk for i in now_published)


def test_the_api_pages_hold_every_initiative_once(client):
    published = add_published(45, prefix="same")
    Initiative.objects.filter(pk__in=[i.pk for i in published]).update(title="Same title")
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"/api/v1/initiatives/?ordering=title&page={page}").json()
        seen += [row["slug"] for row in body["results"]]
    assert sorted(seen) == sorted(i.slug for i in published)


@pytest.mark.postgres
def test_postgresql_connections_never_jit_compile(db):
    # At 100,000 initiatives the facet counts' estimated cost passed jit_above_cost, and
    # PostgreSQL spent 200-300 ms compiling a query that then ran for under a second.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
