"""Related initiatives on the case page: the same ranking rule, a cost that does not grow with
the catalogue."""

import pytest

from catalogue.models import Initiative, RequirementAlignment
from tests.factories import add_published

pytestmark = pytest.mark.django_db


def slugs(initiatives):
    return [initiative.slug for initiative in initiatives]


def test_related_counts_sectors_technologies_and_requirements_alike(
    make_initiative, make_sector, make_technology, make_requirement
):
    education, vision, privacy = make_sector(), make_technology(), make_requirement(5)
    case = make_initiative(sectors=[education], technologies=[vision], requirements=[privacy])
    make_initiative(slug="shares-requirement", requirements=[privacy])
    make_initiative(slug="shares-three", sectors=[education], technologies=[vision], requirements=[privacy])
    make_initiative(slug="shares-technology-and-requirement", technologies=[vision], requirements=[privacy])

    related = Initiative.objects.related(case)

    assert slugs(related) == ["shares-three", "shares-technology-and-requirement", "shares-requirement"]
    assert [r.overlap for r in related] == [3, 2, 1]


def test_related_breaks_ties_by_title(make_initiative, make_sector):
    education = make_sector()
    case = make_initiative(sectors=[education])
    make_initiative(slug="b", title="Beta", sectors=[education])
    make_initiative(slug="a", title="Alpha", sectors=[education])

    assert slugs(Initiative.objects.related(case)) == ["a", "b"]


def test_related_leaves_out_unpublished_initiatives_and_the_case_itself(make_initiative, make_sector):
    education = make_sector()
    case = make_initiative(sectors=[education])
    make_initiative(slug="draft", sectors=[education], status=Initiative.Status.DRAFT)
    make_initiative(slug="published", sectors=[education])

    assert slugs(Initiative.objects.related(case)) == ["published"]


def test_related_keeps_the_best_six_of_many(make_initiative, make_sector, make_technology):
    education, vision = make_sector(), make_technology()
    case = make_initiative(sectors=[education], technologies=[vision])
    add_published(20, sectors=[education], prefix="one")
    best = add_published(7, sectors=[education], technologies=[vision], prefix="two")

    related = Initiative.objects.related(case)

    assert slugs(related) == slugs(best[:6])
    assert {r.overlap for r in related} == {2}


@pytest.mark.parametrize("catalogue_size", [50, 500])
def test_related_page_queries_do_not_grow_with_the_catalogue(
    client,
    make_initiative,
    make_sector,
    make_technology,
    make_requirement,
    catalogue_size,
    django_assert_num_queries,
):
    education, vision, privacy = make_sector(), make_technology(), make_requirement(5)
    case = make_initiative(sectors=[education], technologies=[vision], requirements=[privacy])
    add_published(catalogue_size, sectors=[education], technologies=[vision], requirements=[privacy])

    # The data version (the page cache's key); the initiative; its sectors, technologies and
    # alignments (its tags); the six related initiatives ranked; those six with their lead
    # organisations.
    with django_assert_num_queries(7):
        response = client.get(case.get_absolute_url() + "related/")

    assert len(response.context["related"]) == 6


@pytest.mark.postgres
def test_related_ranks_from_the_through_tables_not_per_initiative(
    make_initiative, make_sector, make_technology
):
    # The rule used to be computed as three correlated subqueries for every published
    # initiative (a SubPlan per row in the plan): 3 s for a case page at 100,000.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    education, vision = make_sector(), make_technology()
    case = make_initiative(sectors=[education], technologies=[vision])
    add_published(10, sectors=[education])
    with CaptureQueriesContext(connection) as queries:
        assert len(list(Initiative.objects.related(case)[:6])) == 6

    assert queries.captured_queries
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            # related() switches JIT off for its statement: EXPLAIN the statement itself.
            cursor.execute("EXPLAIN " + query["sql"].split("; ")[-1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "SubPlan" not in plan


def test_related_follows_a_change_of_sectors(make_initiative, make_sector):
    education, health = make_sector(), make_sector()
    case = make_initiative(sectors=[education])
    other = make_initiative(slug="other", sectors=[education])
    assert slugs(Initiative.objects.related(case)) == ["other"]

    other.sectors.set([health])
    assert slugs(Initiative.objects.related(case)) == []

    other.sectors.add(education)
    assert slugs(Initiative.objects.related(case)) == ["other"]


def test_related_follows_a_removed_requirement_alignment(make_initiative, make_requirement):
    privacy = make_requirement(5)
    case = make_initiative(requirements=[privacy])
    make_initiative(slug="other", requirements=[privacy])
    assert slugs(Initiative.objects.related(case)) == ["other"]

    RequirementAlignment.objects.filter(initiative__slug="other").delete()
    assert slugs(Initiative.objects.related(case)) == []


def test_related_ranks_a_varied_catalogue_as_counting_every_shared_row_does(
    make_sector, make_technology, make_requirement
):
    # Every case of a catalogue whose initiatives share one to nine of their tags; on
    # PostgreSQL the index walk must give what counting gives, order and overlaps included.
    import random

    from catalogue.related import _ranked_by_counting

    rng = random.Random(7)  # noqa: S311 — a fixed, repeatable catalogue
    sectors = [make_sector() for _ in range(4)]
    technologies = [make_technology() for _ in range(4)]
    requirements = [make_requirement(number) for number in range(1, 5)]
    initiatives = add_published(120)
    for initiative in initiatives:
        initiative.sectors.set(rng.sample(sectors, rng.randint(1, 3)))
        initiative.technologies.set(rng.sample(technologies, rng.randint(0, 3)))
        for requirement in rng.sample(requirements, rng.randint(0, 3)):
            RequirementAlignment.objects.create(
                initiative=initiative, requirement=requirement, rationale="R."
            )
    Initiative.objects.filter(pk__in=[i.pk for i in initiatives[::10]]).update(status=Initiative.Status.DRAFT)

    for case in initiatives[:40]:
        expected = _ranked_by_counting(Initiative.objects.published(), case, 6)
        related = Initiative.objects.related(case)
        assert [(r.pk, r.overlap) for r in related] == [tuple(row) for row in expected]


@pytest.mark.postgres
def test_related_reads_a_few_rows_however_many_share_a_tag(make_initiative, make_sector, make_technology):
    # Counting every shared through-table row read every initiative sharing any tag with the
    # case: 0.3 s of database CPU at 100,000 initiatives. The index walk reads the level of
    # initiatives sharing everything, here the seven, not the 300 sharing the sector.
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    education, vision, speech = make_sector(), make_technology(), make_technology()
    case = make_initiative(sectors=[education], technologies=[vision, speech])
    add_published(300, sectors=[education], prefix="crowd")
    add_published(7, sectors=[education], technologies=[vision, speech], prefix="close")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        assert {r.overlap for r in Initiative.objects.related(case)} == {3}

    def rows_read(node):
        return node.get("Actual Rows", 0) * node.get("Actual Loops", 1) + sum(
            rows_read(child) for child in node.get("Plans", [])
        )

    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            statement = query["sql"].split("; ")[-1]
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            assert rows_read(plan[0]["Plan"]) < 100, statement
