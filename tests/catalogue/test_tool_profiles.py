"""Tool profiles (issue 14): the `task`, `deployment` and `licence` filters and facets, on the
list page and in the API alike, on both databases."""

import importlib
import io

import pytest

from catalogue.models import Task, ToolProfile

pytestmark = pytest.mark.django_db

LIST = "/initiatives/"
API = "/api/v1/initiatives/"


def api_slugs(client, **params):
    response = client.get(API, {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    return sorted(row["slug"] for row in response.json()["results"])


def page_slugs(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(initiative.slug for initiative in response.context["page_obj"].object_list)


@pytest.fixture
def three_tools(make_initiative, make_tool_profile):
    """A detection tool run on premises (open source), a hosted triage and victim
    identification service (free to eligible agencies), and a case that is no tool."""
    make_tool_profile(
        make_initiative(slug="detector"),
        tasks=["detection"],
        deployment=ToolProfile.Deployment.ON_PREMISES,
        licence=ToolProfile.Licence.OPEN_SOURCE,
    )
    make_tool_profile(
        make_initiative(slug="sorter"),
        tasks=["triage", "victim-identification"],
        deployment=ToolProfile.Deployment.HOSTED,
        licence=ToolProfile.Licence.FREE_TO_ELIGIBLE,
    )
    make_initiative(slug="programme")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"task": "detection"}, ["detector"]),
        ({"task": "victim-identification"}, ["sorter"]),
        ({"task": ["detection", "triage"]}, ["detector", "sorter"]),
        ({"deployment": "hosted-service"}, ["sorter"]),
        ({"deployment": ["on-premises", "hosted-service"]}, ["detector", "sorter"]),
        ({"licence": "open-source"}, ["detector"]),
        ({"licence": "free-to-eligible-agencies", "task": "detection"}, []),
        ({"task": "prosecution"}, []),
    ],
)
def test_tool_filters_select_the_same_initiatives_on_the_page_and_in_the_api(
    client, three_tools, params, expected
):
    assert api_slugs(client, **params) == expected
    assert page_slugs(client, **params) == expected


@pytest.mark.parametrize(
    ("name", "value"), [("task", "hacking"), ("deployment", "satellite"), ("licence", "stolen")]
)
def test_an_unknown_value_is_a_400_naming_the_parameter_and_a_form_error_on_the_page(
    client, three_tools, name, value
):
    response = client.get(API, {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert value in response.json()[name][0]

    page = client.get(LIST, {name: value})
    assert page.context["filter"].form.errors[name]
    assert value in page.content.decode()


def facet_counts(client, query):
    response = client.get(API, {**query, "facets": "task,deployment,licence"})
    assert response.status_code == 200, response.content
    return {
        name: {option["value"]: option["count"] for option in options}
        for name, options in response.json()["facets"].items()
    }


@pytest.mark.parametrize(
    "query",
    [{}, {"task": "triage"}, {"deployment": "on-premises"}, {"licence": "open-source", "q": "detector"}],
)
def test_each_facet_count_is_the_number_of_rows_its_option_lists(client, three_tools, query):
    counts = facet_counts(client, query)
    assert counts["task"]  # something to check
    for name, options in counts.items():
        for value, count in options.items():
            params = {**query, name: value}
            assert count == len(api_slugs(client, **params)), (name, value)


def test_the_unfiltered_facets_count_the_tools(client, three_tools):
    counts = facet_counts(client, {})
    assert counts["task"] == {"detection": 1, "triage": 1, "victim-identification": 1}
    assert counts["deployment"] == {"on-premises": 1, "hosted-service": 1}
    assert counts["licence"] == {"open-source": 1, "free-to-eligible-agencies": 1}


def test_the_sidebar_offers_the_tool_facets_with_their_counts(client, three_tools):
    page = client.get(LIST).content.decode()
    assert 'name="task" value="detection"' in page
    assert 'name="deployment" value="hosted-service"' in page
    assert 'name="licence" value="open-source"' in page
    assert "Victim identification" in page


def test_the_task_facet_follows_a_profile_change_at_once(client, three_tools):
    assert facet_counts(client, {})["task"].get("prosecution") is None
    ToolProfile.objects.get(initiative__slug="detector").tasks.add(Task.objects.get(slug="prosecution"))
    assert facet_counts(client, {})["task"]["prosecution"] == 1


def test_the_tasks_seeded_by_the_migration_follow_an_investigation():
    assert list(Task.objects.values_list("slug", flat=True)) == [
        "prevention",
        "detection",
        "triage",
        "victim-identification",
        "offender-identification",
        "prosecution",
    ]
    assert all(task.name_zh for task in Task.objects.all())


def test_the_migration_numbers_deployments_and_licences_as_the_model_does():
    migration = importlib.import_module("catalogue.migrations.0033_tool_profiles")
    assert migration.DEPLOYMENTS == list(ToolProfile.Deployment.values)
    assert migration.LICENCES == list(ToolProfile.Licence.values)


# --- The case page and the card


@pytest.fixture
def hosted_tool(make_initiative, make_tool_profile, make_source):
    return make_tool_profile(
        make_initiative(slug="sorter", title="Sorter"),
        tasks=["triage"],
        inputs="Reports from platforms.",
        deployment=ToolProfile.Deployment.HOSTED,
        licence=ToolProfile.Licence.FREE_TO_ELIGIBLE,
        languages="English, Arabic",
        available_to="Vetted law enforcement agencies.",
        access="Apply through the hub's form.",
        safeguards=[
            {
                "kind": "human-review",
                "description": "An officer confirms every flag.",
                "evidence": "“flags are confirmed by an officer”",
                "source": make_source(slug="hub-notes", title="Hub notes"),
                "location": "Section 2",
            }
        ],
    )


def test_the_case_page_shows_the_tool_profile_with_its_safeguards(client, hosted_tool):
    page = client.get("/initiatives/sorter/").content.decode()

    assert "As a tool" in page
    for text in [
        "Triage",
        "Reports from platforms.",
        "Hosted service",
        "Free to eligible agencies",
        "English, Arabic",
        "Vetted law enforcement agencies.",
        "Apply through the hub&#x27;s form.",
        "Human review",
        "An officer confirms every flag.",
        "flags are confirmed by an officer",
        "Hub notes",
        "Section 2",
    ]:
        assert text in page, text
    assert 'href="/tasks/triage/"' in page  # the task's page, listing its tools


def test_a_case_that_is_no_tool_has_no_tool_section(client, make_initiative):
    make_initiative(slug="programme")
    assert "As a tool" not in client.get("/initiatives/programme/").content.decode()


def test_a_tool_case_page_costs_one_query_more_whatever_its_size(
    client, hosted_tool, make_initiative, django_assert_num_queries
):
    # the data version; the initiative with its lead organisation and tool profile; its eight
    # relations in one query; the communities with members-only content about it (the Hub);
    # and for a tool, its tasks and its safeguards with their sources, in one query
    make_initiative(slug="programme")
    with django_assert_num_queries(4):
        client.get("/initiatives/programme/")
    with django_assert_num_queries(5):
        client.get("/initiatives/sorter/")


def test_the_list_card_says_a_case_is_a_tool_and_how_it_is_deployed(client, hosted_tool, make_initiative):
    make_initiative(slug="programme", title="Programme")
    page = client.get(LIST).content.decode()
    assert page.count("Tool offered as a hosted service") == 1


@pytest.mark.parametrize(
    ("language", "badge"),
    [("ru", "Инструмент в виде размещенного сервиса"), ("fr", "Outil proposé comme service hébergé")],
    ids=["ru", "fr"],
)
def test_the_cards_tool_badge_is_one_phrase_each_language_words_its_own_way(
    client, settings, hosted_tool, language, badge
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(LIST).content.decode()

    assert f'<span class="badge badge-muted">{badge}</span>' in page


# --- The shipped tool profiles: only what the seeds say


def test_every_shipped_safeguards_evidence_is_word_for_word_in_its_seed(shipped_catalogue, settings):
    profiles = ToolProfile.objects.select_related("initiative").prefetch_related("safeguards__source")
    assert sorted(profile.initiative.slug for profile in profiles) == [
        "ai-for-safer-children-global-hub",
        "bracket-foundation-unicri-law-enforcement-tools",
    ]
    for profile in profiles:
        assert profile.location
        for safeguard in profile.safeguards.all():
            seed = (settings.CATALOGUE_SEEDS_DIR / safeguard.source.file_name).read_text(encoding="utf-8")
            assert " ".join(safeguard.evidence.split()) in " ".join(seed.split())
            assert safeguard.location


def test_the_shipped_tools_give_only_what_their_seeds_state(shipped_catalogue):
    hub = ToolProfile.objects.get(initiative__slug="ai-for-safer-children-global-hub")
    tools = ToolProfile.objects.get(initiative__slug="bracket-foundation-unicri-law-enforcement-tools")

    assert (hub.deployment, hub.licence, hub.access, list(hub.tasks.all())) == ("hosted-service", "", "", [])
    assert list(tools.tasks.values_list("slug", flat=True)) == ["prevention", "detection", "prosecution"]
    assert (tools.deployment, tools.licence, tools.access) == ("", "", "")


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_loads_into_a_database_emptied_since_its_migrations():
    from django.core.management import call_command

    Task.objects.all().delete()  # as a flushed test database is
    call_command("load_catalogue", stdout=io.StringIO())

    tools = ToolProfile.objects.get(initiative__slug="bracket-foundation-unicri-law-enforcement-tools")
    assert list(tools.tasks.values_list("slug", flat=True)) == ["prevention", "detection", "prosecution"]
    assert Task.objects.count() == 6


def test_the_task_facet_has_a_page_of_its_own_with_the_other_filters(client, three_tools):
    response = client.get("/initiatives/facets/task/", {"deployment": "hosted-service"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Victim identification" in page and "Triage" in page
    assert "Detection" not in page  # the on-premises tool's task: left out by the deployment filter
