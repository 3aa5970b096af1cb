"""Editors find, edit and cross-link records in the Django admin."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from catalogue.models import Initiative


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label == "catalogue"])
def test_every_catalogue_changelist_loads_for_an_editor(editor_client, model, shipped_catalogue):
    url = reverse(f"admin:catalogue_{model._meta.model_name}_changelist")

    response = editor_client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_initiative_change_page_shows_its_citations_alignments_and_figures(editor_client, shipped_catalogue):
    initiative = Initiative.objects.published().filter(key_figures__isnull=False).first()

    response = editor_client.get(reverse("admin:catalogue_initiative_change", args=[initiative.pk]))

    content = response.content.decode()
    assert escape(initiative.title) in content
    assert escape(initiative.citations.first().location) in content
    assert escape(initiative.alignments.first().rationale) in content
    assert escape(initiative.key_figures.first().text) in content
    # Where each figure, the start year and the title come from (issue 12, section 4).
    assert escape(initiative.key_figures.first().location) in content
    assert 'name="title_origin"' in content and 'name="start_year_location"' in content


@pytest.mark.django_db
def test_initiative_changelist_filters_by_status(editor_client, make_initiative):
    make_initiative(title="Published case")
    make_initiative(title="Draft case", status=Initiative.Status.DRAFT)

    response = editor_client.get(reverse("admin:catalogue_initiative_changelist"), {"status__exact": "draft"})

    assert "Draft case" in response.content.decode()
    assert "Published case" not in response.content.decode()


@pytest.mark.django_db
def test_initiative_search_finds_chinese_titles(editor_client, make_initiative):
    make_initiative(title="Hearing aids", title_zh="助听器")
    make_initiative(title="Snow leopards")

    response = editor_client.get(reverse("admin:catalogue_initiative_changelist"), {"q": "助听器"})

    assert "Hearing aids" in response.content.decode()
    assert "Snow leopards" not in response.content.decode()


@pytest.mark.django_db
def test_organisation_autocomplete_answers_for_the_initiative_form(editor_client, make_organisation):
    make_organisation(name="Tencent")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Tenc",
            "app_label": "catalogue",
            "model_name": "initiative",
            "field_name": "lead_organisation",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Tencent"]


@pytest.mark.django_db
def test_an_editors_change_is_kept_with_who_made_it_and_shown_in_the_history(
    client, django_user_model, make_sector
):
    editor = django_user_model.objects.create_superuser("editor-on-duty", "ed@example.org", "a-long-pw-1")
    client.force_login(editor)
    sector = make_sector(name="Education")
    page = client.get(reverse("admin:catalogue_sector_change", args=[sector.pk]))
    data = {
        name: value for name, value in page.context["adminform"].form.initial.items() if value is not None
    }

    client.post(reverse("admin:catalogue_sector_change", args=[sector.pk]), {**data, "name_en": "Schooling"})

    latest, first = sector.history.all()[:2]
    assert (first.name, latest.name) == ("Education", "Schooling")
    assert latest.history_user == editor
    history = client.get(reverse("admin:catalogue_sector_history", args=[sector.pk])).content.decode()
    assert "Schooling" in history
    assert "editor-on-duty" in history


@pytest.mark.django_db
def test_removing_a_technology_from_an_initiative_is_kept_in_its_history(make_initiative, make_technology):
    speech, vision = make_technology(name="Speech"), make_technology(name="Vision")
    initiative = make_initiative(technologies=[speech, vision])

    initiative.technologies.remove(vision)

    latest = initiative.history.first()
    assert [row.technology_id for row in latest.technologies.all()] == [speech.pk]


def changelist_parameters(editor_client, model):
    """The query parameters a model's changelist understands: its filters' and the search."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    changelist = editor_client.get(url).context["cl"]
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    return url, [*names, "q", "o", "p", "\x00"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_a_nul_character_in_a_changelist_parameter_is_refused_not_a_500(editor_client, model):
    """PostgreSQL refuses a NUL in a query (psycopg raises ValueError); a changelist filter such
    as ?status__exact=%00 passed it on and answered 500."""
    url, parameters = changelist_parameters(editor_client, model)

    for name in parameters:
        response = editor_client.get(url, {name: "a\x00b"}, follow=True)

        assert response.status_code in (200, 400), (name, response.status_code)
