"""Related initiatives on the case page: the same ranking rule, a cost that does not grow with
the catalogue."""

import pytest
from django.utils import timezone

from catalogue.models import Initiative, RequirementAlignment

pytestmark = pytest.mark.django_db


def add_published(count, *, sectors=(), technologies=(), requirements=(), prefix="bulk"):
    """`count` published initiatives sharing `sectors`, `technologies` and `requirements`,
    written in bulk so that a test can afford hundreds."""
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"{prefix}-{n}",
            title=f"{prefix.title()} {n:04}",
            summary="A bulk initiative.",
            status=Initiative.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    for relation, target, values in [
        ("sectors", "sector", sectors),
        ("technologies", "technology", technologies),
    ]:
        through = getattr(Initiative, relation).through
        through.objects.bulk_create(
            through(initiative_id=initiative.pk, **{f"{target}_id": value.pk})
            for initiative in initiatives
            for value in values
        )
    RequirementAlignment.objects.bulk_create(
        RequirementAlignment(initiative=initiative, requirement=requirement, rationale="Bulk.")
        for initiative in initiatives
        for requirement in requirements
    )
    return initiatives


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
def test_case_page_queries_do_not_grow_with_the_catalogue(
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

    # The data version (the page cache's key); the initiative with its lead organisation; sectors;
    # technologies; citations; alignments; their requirements; partners; beneficiary groups; key
    # figures (no citation sources: there are no citations); the six related initiatives ranked from
    # the through tables; those six with their lead organisations.
    with django_assert_num_queries(12):
        response = client.get(case.get_absolute_url())

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
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "SubPlan" not in plan
