"""On PostgreSQL the facets without a selection of their own are counted from each initiative's
array of facet keys (migration 0022), kept by triggers: the counts must be exactly those of
counting each relation, and follow every kind of change at once."""

import dataclasses
import random

import pytest
from django.db import connection
from django.http import QueryDict

from catalogue import facets
from catalogue.filters import InitiativeFilterSet
from catalogue.models import Citation, Initiative, Organisation, RequirementAlignment, Task, ToolProfile
from catalogue.models.initiatives import FACET_KEY_TOTALS

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def counted(query="", *, from_keys=True, monkeypatch=None):
    """count_facets() for every facet over `query` (the counts and how many options each facet
    has), from the keys or by counting each relation. (Not the list's total, which only the
    second counts, over the id set the keys make unnecessary.)"""
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    assert filterset.is_valid(), filterset.errors
    if not from_keys:
        for name, facet in facets.FACETS.items():
            monkeypatch.setitem(facets.FACETS, name, dataclasses.replace(facet, key_kind=0))
    counts, totals = facets.count_facets(filterset, list(facets.FACETS))
    del totals[facets.MATCHING]
    return counts, totals


@pytest.fixture
def varied_catalogue(make_organisation, make_sector, make_technology, make_requirement, make_source):
    rng = random.Random(11)  # noqa: S311 — a fixed, repeatable catalogue
    sectors = [make_sector() for _ in range(4)]
    technologies = [make_technology() for _ in range(4)]
    requirements = [make_requirement(number) for number in range(1, 5)]
    sources = [make_source() for _ in range(3)]
    organisations = [make_organisation() for _ in range(25)]
    for n in range(60):
        initiative = Initiative.objects.create(
            slug=f"varied-{n}",
            title=f"Varied {n}",
            summary="Varied.",
            status=rng.choice([Initiative.Status.PUBLISHED] * 4 + [Initiative.Status.DRAFT]),
            lead_organisation=rng.choice([*organisations, None]),
            countries=rng.sample(["CN", "US", "KE", "BR", "IN"], rng.randint(0, 3)),
            children_focus=rng.choice([True, False]),
        )
        initiative.sectors.set(rng.sample(sectors, rng.randint(0, 2)))
        initiative.technologies.set(rng.sample(technologies, rng.randint(0, 3)))
        initiative.partners.set(rng.sample(organisations, rng.randint(0, 2)))
        for requirement in rng.sample(requirements, rng.randint(0, 2)):
            RequirementAlignment.objects.create(
                initiative=initiative, requirement=requirement, rationale="R."
            )
        for position, source in enumerate(rng.choices(sources, k=rng.randint(0, 3)), start=1):
            Citation.objects.create(
                initiative=initiative, source=source, location=f"P{position}", position=position
            )
    # About half are tools (migration 0033's keys), from a random source of their own so that
    # the rest of the catalogue stays as it was.
    tools = random.Random(12)  # noqa: S311 — a fixed, repeatable catalogue
    # Migration 0033 seeds the tasks; a test that flushes the database (the concurrent
    # writers below) has none, so it makes its own.
    tasks = list(Task.objects.all()) or [
        Task.objects.create(slug=f"task-{n}", name=f"Task {n}", position=n) for n in range(1, 5)
    ]
    for initiative in Initiative.objects.order_by("pk"):
        if tools.random() < 0.5:
            profile = ToolProfile.objects.create(
                initiative=initiative,
                deployment=tools.choice(["", *ToolProfile.Deployment.values]),
                licence=tools.choice(["", *ToolProfile.Licence.values]),
            )
            profile.tasks.set(tools.sample(tasks, tools.randint(0, 3)))
    # Start years (migration 0043's keys) from a random source of their own, set by an UPDATE
    # statement as a bulk edit would.
    years = random.Random(13)  # noqa: S311 — a fixed, repeatable catalogue
    for initiative in Initiative.objects.order_by("pk"):
        year = years.choice([None, 2015, 2016, 2017, 2018, 2019, 2020])
        Initiative.objects.filter(pk=initiative.pk).update(start_year=year)
    # and organisations of two kinds (migration 0024's trigger refreshes their initiatives' keys)
    Organisation.objects.filter(pk__in=[o.pk for o in organisations[::2]]).update(kind="ngo")
    return {"sector": sectors, "technology": technologies, "organisation": organisations}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "children_focus=true",
        "country=CN",
        "q=Varied",
        "country=US&children_focus=false",
        "task=detection",
        "deployment=cloud&licence=open-source",
    ],
)
def test_counts_from_the_keys_are_those_of_counting_each_relation(varied_catalogue, monkeypatch, query):
    from_keys = counted(query)
    assert any(from_keys[0].values())
    assert from_keys == counted(query, from_keys=False, monkeypatch=monkeypatch)


def test_a_facet_with_its_own_selection_is_counted_as_before(varied_catalogue, monkeypatch):
    sector = varied_catalogue["sector"][0].slug
    query = f"sector={sector}&technology={varied_catalogue['technology'][1].slug}"
    assert counted(query) == counted(query, from_keys=False, monkeypatch=monkeypatch)


def test_the_keys_follow_every_kind_of_change(varied_catalogue, monkeypatch, make_organisation):
    initiative = Initiative.objects.published().order_by("pk").first()
    other_sector = varied_catalogue["sector"][3]
    newcomer = make_organisation(slug="newcomer")

    initiative.sectors.add(other_sector)  # a many-to-many row
    initiative.partners.add(newcomer)
    initiative.lead_organisation = make_organisation(slug="new-lead")  # the initiative's own row
    initiative.countries = ["FR"]
    initiative.save()
    RequirementAlignment.objects.filter(initiative=initiative).delete()  # a child row
    Citation.objects.filter(initiative=initiative).update(source=Citation.objects.first().source)

    only_this_one, _totals = counted("country=FR")
    assert only_this_one["organisation"]["new-lead"] == only_this_one["organisation"]["newcomer"] == 1
    assert only_this_one["sector"][other_sector.slug] == 1
    assert counted()[0]["country"]["FR"] == 1
    assert counted() == counted(from_keys=False, monkeypatch=monkeypatch)


def test_a_deleted_initiative_leaves_no_keys(varied_catalogue):
    initiative = Initiative.objects.first()
    pk = initiative.pk
    initiative.delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {facets.KEYS_TABLE} WHERE initiative_id = %s", [pk])  # noqa: S608
        assert cursor.fetchone()[0] == 0


def test_a_filtered_list_counts_every_facet_from_the_keys(varied_catalogue):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        counted("children_focus=true&year_min=2016")
    (sql,) = [q["sql"] for q in queries.captured_queries if "facet_key_counts" in q["sql"]]
    assert facets.KEYS_TABLE in sql
    for relation in ["catalogue_initiative_sectors", "catalogue_citation", "string_to_array"]:
        assert relation not in sql


def test_the_unfiltered_list_reads_the_totals_not_every_initiative(varied_catalogue):
    # Migration 0024: the unfiltered list's facets come from totals the triggers keep, so they
    # cost the same at a million initiatives as at ten.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        counted("ordering=newest")
    (sql,) = [q["sql"] for q in queries.captured_queries if "facet_key_totals" in q["sql"]]
    assert FACET_KEY_TOTALS in sql
    assert f"JOIN {facets.KEYS_TABLE}" not in sql
    assert "facet_ids" not in sql  # no pass over the published initiatives at all


def test_a_facet_whose_own_selection_is_the_only_filter_is_counted_from_the_totals(
    varied_catalogue, monkeypatch
):
    # `?sector=a` counts the sector facet over every published initiative (a facet leaves out
    # its own selection): the totals, as on the unfiltered list. The selected organisation is
    # counted even when it is not among the best.
    sector = varied_catalogue["sector"][0].slug
    leading = Initiative.objects.published().filter(lead_organisation__in=varied_catalogue["organisation"])
    rarest = min(
        (o for o in varied_catalogue["organisation"] if leading.filter(lead_organisation=o).exists()),
        key=lambda o: (leading.filter(lead_organisation=o).count(), o.slug),
    ).slug
    for query in [f"sector={sector}", f"organisation={rarest}", f"organisation={rarest}&sector={sector}"]:
        from_keys = counted(query)
        assert from_keys == counted(query, from_keys=False, monkeypatch=monkeypatch), query
    assert rarest in counted(f"organisation={rarest}")[0]["organisation"]


def test_the_totals_follow_publishing_and_everything_else(varied_catalogue, monkeypatch, make_organisation):
    published = list(Initiative.objects.published().order_by("pk")[:3])
    draft = Initiative.objects.exclude(status=Initiative.Status.PUBLISHED).order_by("pk").first()
    before = Initiative.objects.filter(status=Initiative.Status.PUBLISHED).order_by().values("pk")

    draft.status = Initiative.Status.PUBLISHED  # published: all its keys count
    draft.save()
    published[0].status = Initiative.Status.ARCHIVED  # withdrawn: none do
    published[0].save()
    published[1].children_focus = not published[1].children_focus
    published[1].save()
    lead = published[2].lead_organisation or make_organisation(slug="lead-now")
    published[2].lead_organisation = lead
    published[2].save()
    lead.kind = "research" if lead.kind != "research" else "ngo"  # its kind: read at count time
    lead.save()
    Initiative.objects.filter(pk=published[1].pk).delete()

    assert counted() == counted(from_keys=False, monkeypatch=monkeypatch)
    assert Initiative.objects.published().count() == len(list(before))


def test_every_published_initiative_is_counted_from_the_totals_and_a_filter_is_not(varied_catalogue):
    from django.test.utils import CaptureQueriesContext

    truly = Initiative.objects.filter(status=Initiative.Status.PUBLISHED).order_by().values("pk")
    with CaptureQueriesContext(connection) as queries:
        every = Initiative.objects.published().order_by("-published_at").count()
        focused = Initiative.objects.published().filter(children_focus=True).count()
    assert every == len(list(truly))
    assert focused == len([1 for i in Initiative.objects.published() if i.children_focus])
    assert FACET_KEY_TOTALS in queries.captured_queries[0]["sql"]
    assert FACET_KEY_TOTALS not in queries.captured_queries[1]["sql"]


def test_the_country_filter_through_the_keys_matches_the_codes(varied_catalogue):
    # On PostgreSQL `?country=` reads the facet keys through their GIN index (a substring of
    # "CN,US" has no index, and at 100,000 initiatives each id set read the whole table); it
    # must select exactly the initiatives whose codes hold the country.
    for code in ["KE", "CN", "US"]:
        filterset = InitiativeFilterSet(QueryDict(f"country={code}"), queryset=Initiative.objects.published())
        assert filterset.is_valid()
        expected = {
            pk for pk, codes in Initiative.objects.published().values_list("pk", "countries") if code in codes
        }
        assert expected
        assert {initiative.pk for initiative in filterset.qs} == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_neither_deadlock_nor_lose_a_count(varied_catalogue, monkeypatch):
    # Two editors' transactions change published initiatives at the same moment, touching the
    # same keys in opposite orders: the totals' writers queue on key 0 (migration 0024), so
    # both commit and every count is exact.
    import threading
    import time

    from django.db import connections, transaction

    first, second = Initiative.objects.published().order_by("pk")[:2]
    sectors, technologies = varied_catalogue["sector"], varied_catalogue["technology"]
    both_started = threading.Barrier(2)
    errors = []

    def edit(initiative, plan):
        try:
            both_started.wait(timeout=10)
            with transaction.atomic():
                for step in plan:
                    step(initiative)
                    time.sleep(0.2)  # the other transaction has begun its own first step
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    add_sector = lambda initiative: initiative.sectors.add(*sectors)  # noqa: E731
    add_technology = lambda initiative: initiative.technologies.add(*technologies)  # noqa: E731
    threads = [
        threading.Thread(target=edit, args=(first, [add_sector, add_technology])),
        threading.Thread(target=edit, args=(second, [add_technology, add_sector])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert counted() == counted(from_keys=False, monkeypatch=monkeypatch)


def test_every_kind_of_lead_organisation_is_counted_and_follows_a_change_of_kind(
    varied_catalogue, monkeypatch, make_organisation
):
    # The keys hold the lead organisation's kind by its place in the list migration 0024 froze:
    # a kind added to Organisation.Kind later needs a migration that rewrites that list.
    import importlib

    frozen = importlib.import_module("catalogue.migrations.0024_facet_key_totals").LEAD_ORGANISATION_KINDS
    assert frozen == list(Organisation.Kind.values)
    published = list(Initiative.objects.published().order_by("pk")[: len(frozen)])
    for initiative, kind in zip(published, frozen, strict=True):
        initiative.lead_organisation = make_organisation(slug=f"lead-{kind}".replace("_", "-"), kind=kind)
        initiative.save()
    counts, _totals = counted()
    assert set(counts["organisation_kind"]) == set(frozen)
    assert counts == counted(from_keys=False, monkeypatch=monkeypatch)[0]

    Organisation.objects.filter(slug="lead-company").update(kind=Organisation.Kind.NGO)
    assert counted() == counted(from_keys=False, monkeypatch=monkeypatch)


def test_the_cases_without_a_start_year_are_counted_from_the_totals(varied_catalogue):
    # The year filter says how many published cases have no start year: on every list page,
    # so on PostgreSQL it is a total the triggers keep, exact after every kind of change.
    from django.test.utils import CaptureQueriesContext

    dated = Initiative.objects.published().order_by("pk").first()
    dated.start_year = 2019
    dated.save()
    draft = Initiative.objects.exclude(status=Initiative.Status.PUBLISHED).order_by("pk").first()
    draft.status, draft.published_at = Initiative.Status.PUBLISHED, "2024-01-01T00:00Z"
    draft.save()
    with CaptureQueriesContext(connection) as queries:
        undated = Initiative.objects.without_start_year().count()
    assert undated == len([1 for i in Initiative.objects.published() if i.start_year is None])
    assert FACET_KEY_TOTALS in queries.captured_queries[0]["sql"]


def test_the_keys_and_totals_follow_a_tool_profile(varied_catalogue, monkeypatch):
    def keyed_and_counted(query=""):
        keyed = counted(query)
        relations = counted(query, from_keys=False, monkeypatch=monkeypatch)
        monkeypatch.undo()  # back to the keys
        return keyed, relations

    initiative = Initiative.objects.published().filter(tool_profile__isnull=True).order_by("pk").first()
    before = counted()[0]
    profile = ToolProfile.objects.create(
        initiative=initiative, deployment="on-premises", licence="commercial"
    )
    profile.tasks.add(Task.objects.get(slug="prosecution"))

    after = counted()[0]  # from the totals: every published initiative
    assert after["deployment"]["on-premises"] == before["deployment"].get("on-premises", 0) + 1
    assert after["licence"]["commercial"] == before["licence"].get("commercial", 0) + 1
    assert after["task"]["prosecution"] == before["task"].get("prosecution", 0) + 1
    keyed, relations = keyed_and_counted("children_focus=true")
    assert keyed == relations

    profile.deployment = "cloud"
    profile.save()
    profile.tasks.clear()
    keyed, relations = keyed_and_counted()
    assert keyed == relations
    profile.delete()
    assert counted()[0] == before


def filtered(query, monkeypatch=None):
    """The published initiatives `?query` selects: through the facet keys, or with
    `monkeypatch`, through each filter's relation or column (as on SQLite)."""
    if monkeypatch is not None:
        monkeypatch.setattr(InitiativeFilterSet, "keyed_filters", staticmethod(lambda cleaned: (set(), [])))
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def values_in_use(name):
    """Two values of filter `name` that published initiatives have, as the query string gives
    them."""
    published = Initiative.objects.published()
    paths = {
        "sector": "sectors__slug",
        "technology": "technologies__slug",
        "requirement": "requirements__slug",
        "source": "sources__slug",
        "task": "tool_profile__tasks__slug",
        "organisation": "partners__slug",
        "organisation_kind": "lead_organisation__kind",
        "deployment": "tool_profile__deployment",
        "licence": "tool_profile__licence",
    }
    if name == "country":
        values = {
            code for codes in published.values_list("countries", flat=True) for code in codes.split(",")
        }
    else:
        values = set(
            published.exclude(**{f"{paths[name]}__isnull": True}).values_list(paths[name], flat=True)
        )
    values = sorted(str(value) for value in values if value)
    assert len(values) >= 2, (name, values)
    return values[0], values[-1]


KEYED_FILTERS = [
    "sector",
    "technology",
    "requirement",
    "source",
    "task",
    "organisation",
    "organisation_kind",
    "country",
    "deployment",
    "licence",
]


@pytest.mark.parametrize("name", KEYED_FILTERS)
def test_a_filter_selects_exactly_what_its_relation_does(varied_catalogue, monkeypatch, name):
    first, last = values_in_use(name)
    for query in [f"{name}={first}", f"{name}={last}", f"{name}={first}&{name}={last}"]:  # either
        from_keys = filtered(query)
        assert from_keys  # a value in use: never an empty comparison
        with monkeypatch.context() as patched:
            assert from_keys == filtered(query, patched), query


@pytest.mark.parametrize(
    "query",
    [
        "children_focus=true",
        "children_focus=false",
        "year_min=2016&year_max=2018",
        "year_min=2017&year_max=2017",
        "year_min=2016",  # open: the plausible years from 2016
        "year_max=2016",
        "year_min=1900&year_max=2020",  # from before the plausible years
        "year_min=1950&year_max=2100",  # all of them
        "country=CN&year_min=2015&year_max=2019&children_focus=true",
        "q=Varied&year_min=2015&year_max=2018&deployment=cloud",
    ],
)
def test_years_and_yes_no_select_exactly_what_their_columns_do(varied_catalogue, monkeypatch, query):
    from_keys = filtered(query)
    assert from_keys
    assert from_keys == filtered(query, monkeypatch)


@pytest.mark.parametrize("query", ["year_min=1990", "year_max=2010", "year_min=1900&year_max=3000"])
def test_an_open_or_wide_range_of_years_is_a_search_of_the_keys(varied_catalogue, query):
    # `?year_min=1990` compared the column of every row it matched: at 100,000 initiatives its
    # list's facet query took ~470 ms, where a closed range of the same years took ~75.
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    assert filterset.is_valid(), filterset.errors
    sql = str(filterset.qs.query)
    assert sql.count("keys &&") == 1
    assert '"start_year" >=' not in sql
    assert '"start_year" <=' not in sql


@pytest.mark.parametrize("query", ["year_min=2101", "year_max=1949", "year_min=3000&year_max=4000"])
def test_a_range_without_a_plausible_year_matches_nothing(varied_catalogue, query):
    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    assert filterset.is_valid(), filterset.errors
    assert not filterset.qs.exists()


def test_vocabulary_country_and_year_filters_are_one_search_of_the_keys(varied_catalogue):
    # Django writes a filter on a related slug as a join of the relation and of the
    # initiatives again, and a start year is compared row by row: at 100,000 initiatives ~25 ms
    # for one sector and 16,671 row lookups for its years, in each id set of a list page.
    sector, technology = varied_catalogue["sector"][0].slug, varied_catalogue["technology"][0].slug
    organisation = varied_catalogue["organisation"][0].slug
    query = f"sector={sector}&technology={technology}&organisation={organisation}&country=CN"
    filterset = InitiativeFilterSet(
        QueryDict(f"{query}&year_min=2015&year_max=2020"), queryset=Initiative.objects.published()
    )
    assert filterset.is_valid(), filterset.errors
    sql = str(filterset.qs.query)
    assert sql.count(facets.KEYS_TABLE) == 1
    assert sql.count("keys &&") == 5
    for relation in [
        "catalogue_initiative_sectors",
        "catalogue_initiative_technologies",
        "catalogue_initiative_partners",
        '"start_year" >=',
        '"start_year" <=',
    ]:
        assert relation not in sql


@pytest.mark.parametrize(
    "query",
    [
        "country=CN",
        "children_focus=false&task=detection",
        "year_min=2016&year_max=2018&deployment=cloud",
        "country=US&country=KE&children_focus=true&ordering=newest",
    ],
)
def test_a_list_filtered_by_keys_alone_is_counted_from_the_keys_table(varied_catalogue, monkeypatch, query):
    # Every filter answered by the keys: the facets and the list's total are counted from the
    # published keys rows matching them, without reading the initiatives (at 100,000 one
    # sector's facet query ~100 -> 74 ms).
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        from_keys = counted(query)
    (sql,) = [q["sql"] for q in queries.captured_queries if "facet_key_counts" in q["sql"]]
    assert "facet_ids (" not in sql  # the id set of every filter: not computed
    if "&" not in query:  # one filter: its own facet is counted from the totals, as unfiltered
        assert 'catalogue_initiative"' not in sql
    assert from_keys == counted(query, from_keys=False, monkeypatch=monkeypatch)

    filterset = InitiativeFilterSet(QueryDict(query), queryset=Initiative.objects.published())
    assert filterset.is_valid()
    _counts, totals = facets.count_facets(filterset, list(facets.FACETS))
    assert totals[facets.MATCHING] == filterset.qs.count() > 0


@pytest.mark.parametrize(
    "query",
    [
        "country=US&children_focus=true",
        "country=US&country=KE&task=detection&year_min=2016&year_max=2018",
        "{sector}&country=CN&year_min=2015&year_max=2020",
        "{sector}&{technology}&{organisation}",
    ],
)
def test_facets_with_their_own_selections_are_counted_from_the_keys_table(
    varied_catalogue, monkeypatch, query
):
    # Every filter answered by the keys, several of them facets with a selection: each such
    # facet is counted over the keys rows the other filters match, without reading the
    # initiatives or a relation (at 100,000 a sector, a country and years, the benchmark's q3:
    # the country facet read every published initiative's countries).
    from django.test.utils import CaptureQueriesContext

    query = query.format(
        **{
            name: f"{name}={varied_catalogue[name][1].slug}"
            for name in ["sector", "technology", "organisation"]
        }
    )
    with CaptureQueriesContext(connection) as queries:
        from_keys = counted(query)
    (sql,) = [q["sql"] for q in queries.captured_queries if "facet_key_counts" in q["sql"]]
    for read in ['catalogue_initiative"', "catalogue_initiative_sectors", "string_to_array", "facet_ids"]:
        assert read not in sql
    assert from_keys == counted(query, from_keys=False, monkeypatch=monkeypatch)
