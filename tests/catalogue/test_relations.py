"""`with_relations` (catalogue/models/relations.py) loads a case's relations in one query and
must leave exactly what `prefetch_related` leaves: the same rows, in the same order, with the
same values (dates, booleans, countries and nulls survive the trip through JSON), their
select_related rows attached, and no query when a template or serializer reads them."""

from unittest import mock

import pytest
from django.db.models import Prefetch

from catalogue.models import Initiative, Safeguard, Sector, Task, ToolProfile
from catalogue.models.relations import Relation, load_relations

RELATIONS = [
    "sectors",
    "technologies",
    "citations",
    "alignments",
    "partners",
    "beneficiary_groups",
    "key_figures",
    "publications",
]


def field_values(record):
    return {field.attname: getattr(record, field.attname) for field in type(record)._meta.concrete_fields}


def in_model_order(name, *select_related):
    """Prefetch `name` in its model's order, ties broken by id (as with_relations does: two
    citations of one source at one position would otherwise come in either order)."""
    model = Initiative._meta.get_field(name).related_model
    queryset = model._default_manager.order_by(*model._meta.ordering, "pk")
    if select_related:
        queryset = queryset.select_related(*select_related)
    return Prefetch(name, queryset=queryset)


def prefetched_the_usual_way():
    return (
        Initiative.objects.published()
        .prefetch_related(
            *[in_model_order(name) for name in RELATIONS if name not in ("citations", "alignments")],
            in_model_order("citations", "source"),
            in_model_order("alignments", "requirement"),
        )
        .order_by("pk")
    )


@pytest.mark.django_db
def test_every_shipped_case_has_the_relations_prefetch_related_gives(shipped_catalogue):
    expected = {initiative.pk: initiative for initiative in prefetched_the_usual_way()}
    loaded = list(Initiative.objects.for_detail().order_by("pk"))

    assert [initiative.pk for initiative in loaded] == list(expected)
    compared = 0
    for initiative in loaded:
        for name in RELATIONS:
            mine = list(getattr(initiative, name).all())
            theirs = list(getattr(expected[initiative.pk], name).all())
            assert [field_values(row) for row in mine] == [field_values(row) for row in theirs], name
            compared += len(mine)
        usual = expected[initiative.pk]
        for citation, theirs in zip(initiative.citations.all(), usual.citations.all(), strict=True):
            assert field_values(citation.source) == field_values(theirs.source)
        for alignment, theirs in zip(initiative.alignments.all(), usual.alignments.all(), strict=True):
            assert field_values(alignment.requirement) == field_values(theirs.requirement)
    assert compared > 200  # the shipped catalogue's cases have hundreds of related rows


@pytest.mark.django_db
def test_reading_the_loaded_relations_costs_no_query(shipped_catalogue, django_assert_num_queries):
    # one case, then several at once: the compiled query is kept per number of cases
    for how_many in (1, 5, 1):
        with django_assert_num_queries(2):  # the cases, then every relation of them
            cases = list(Initiative.objects.for_detail().order_by("pk")[:how_many])
        with django_assert_num_queries(0):
            for initiative in cases:
                for citation in initiative.citations.all():
                    assert citation.source.title and citation.initiative is initiative
                for alignment in initiative.alignments.all():
                    assert alignment.requirement.number
                for name in RELATIONS:
                    list(getattr(initiative, name).all())


@pytest.mark.django_db
def test_a_case_without_relations_has_empty_ones(make_initiative):
    bare = make_initiative()
    bare.sectors.clear()
    initiative = Initiative.objects.for_detail().get(pk=bare.pk)

    assert list(initiative.sectors.all()) == [] and list(initiative.key_figures.all()) == []


@pytest.mark.django_db
def test_the_loaded_relations_still_narrow_a_new_query_to_their_case(shipped_catalogue):
    """A filter on a loaded relation is a new query, and it still reads only that case's rows."""
    loaded = list(Initiative.objects.for_detail().order_by("pk"))
    for initiative in loaded:
        for name in ["sectors", "citations"]:
            relation = getattr(initiative, name)
            assert list(relation.filter(pk__gt=0).order_by("pk")) == sorted(
                relation.all(), key=lambda row: row.pk
            )


@pytest.mark.django_db
def test_the_relations_of_many_cases_build_their_querysets_once(shipped_catalogue):
    """Each case's manager asked for its own queryset, and modeltranslation built a new
    queryset class for each: 42 classes for a list page of 20 cards. Now as many for 20 cases
    as for 2."""
    from modeltranslation import manager as modeltranslation_manager

    def classes_built(how_many):
        cases = list(Initiative.objects.published().order_by("pk")[:how_many])
        assert len(cases) == how_many
        with mock.patch.object(
            modeltranslation_manager,
            "multilingual_queryset_factory",
            wraps=modeltranslation_manager.multilingual_queryset_factory,
        ) as factory:
            load_relations(cases, [Relation("sectors"), Relation("technologies")])
        return factory.call_count

    assert classes_built(20) == classes_built(2)


@pytest.mark.django_db
def test_a_tool_profile_has_the_tasks_and_safeguards_prefetch_related_gives(
    make_initiative, make_tool_profile, make_source, django_assert_num_queries
):
    """with_relations_of() loads a tool profile's tasks and its safeguards (one without a
    source: a null foreign key) in one query, as prefetch_related would."""
    tool = make_tool_profile(
        make_initiative(slug="sorter"),
        tasks=["triage", "detection"],
        safeguards=[
            {
                "kind": "human-review",
                "description": "An officer confirms every flag.",
                "source": make_source(),
            },
            {"kind": "data-protection", "description": "Nothing leaves the agency."},
        ],
    )
    usual = ToolProfile.objects.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.order_by(*Task._meta.ordering, "pk")),
        Prefetch("safeguards", queryset=Safeguard.objects.select_related("source")),
    ).get(pk=tool.pk)

    # the case with its tool profile, the case's relations, then the profile's (two before)
    with django_assert_num_queries(3):
        (initiative,) = Initiative.objects.for_detail().filter(slug="sorter")
    with django_assert_num_queries(0):
        tasks, safeguards = list(initiative.tool.tasks.all()), list(initiative.tool.safeguards.all())
        sources = [safeguard.source for safeguard in safeguards]

    assert [field_values(task) for task in tasks] == [field_values(task) for task in usual.tasks.all()]
    assert [field_values(row) for row in safeguards] == [field_values(row) for row in usual.safeguards.all()]
    assert [field_values(source) for source in sources[:1]] == [
        field_values(usual.safeguards.all()[0].source)
    ]
    assert sources[1] is None
    assert all(safeguard.profile is initiative.tool for safeguard in safeguards)


@pytest.mark.django_db
def test_a_case_that_is_no_tool_costs_no_query_for_tool_relations(make_initiative, django_assert_num_queries):
    make_initiative(slug="programme")
    with django_assert_num_queries(2):  # the case, then its relations; none for a tool
        (initiative,) = Initiative.objects.for_detail().filter(slug="programme")
    assert initiative.tool is None


def test_a_translated_models_queryset_class_is_built_once():
    """modeltranslation built a new queryset class on every get_queryset(): five a case page
    (catalogue/translation.py)."""
    assert type(Sector.objects.all()) is type(Sector.objects.all())
    assert type(Initiative.objects.published()) is type(Initiative.objects.all())
