"""What a syncing client sees after each kind of change: a new ETag, the changed records from
`updated_since`, removals from `/initiatives/removed/`; and that private drafts change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import (
    Citation,
    Initiative,
    KeyFigure,
    ProposedOrganisation,
    RequirementAlignment,
    StatusChange,
    SubmittedSource,
)
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"
REMOVED = "/api/v1/initiatives/removed/"


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")
    client.force_login(user)
    return client


def settle():
    """Push every initiative's `updated_at` into the past and return the moment after, so
    that `updated_since=<moment>` lists exactly what the test changes next."""
    Initiative.objects.update(updated_at=timezone.now() - timedelta(days=1))
    return timezone.now()


def updated_since(client, moment):
    response = client.get(LIST, {"updated_since": moment.isoformat(), "page_size": 100})
    assert response.status_code == 200
    return sorted(record["slug"] for record in response.json()["results"])


def removed_since(client, moment):
    response = client.get(REMOVED, {"since": moment.isoformat()})
    assert response.status_code == 200
    return [record["slug"] for record in response.json()["results"]]


def is_fresh(client, etag, path=LIST):
    """Whether a client holding `etag` for `path` would get new content (not a 304)."""
    return client.get(path, headers={"If-None-Match": etag}).status_code == 200


# --- Each kind of change renews the ETag and shows up in updated_since ---------------------------


def test_removing_a_technology_from_an_initiative_is_a_change(client, make_initiative, make_technology):
    kept, removed = make_technology(), make_technology()
    initiative = make_initiative(technologies=[kept, removed])
    make_initiative(technologies=[kept, removed])
    moment = settle()
    etag = client.get(LIST)["ETag"]

    initiative.technologies.remove(removed)

    assert is_fresh(client, etag)
    assert updated_since(client, moment) == [initiative.slug]


def test_an_alignment_edited_in_its_own_admin_page_is_a_change(superuser_client, make_initiative):
    requirement = factories.make_requirement(number=5)
    initiative = make_initiative(requirements=[requirement])
    make_initiative(requirements=[requirement])
    alignment = initiative.alignments.get()
    moment = settle()
    etag = superuser_client.get(LIST)["ETag"]

    response = superuser_client.post(
        reverse("admin:catalogue_requirementalignment_change", args=[alignment.pk]),
        {
            "initiative": initiative.pk,
            "requirement": requirement.pk,
            "strength": RequirementAlignment.Strength.PARTLY,
            "rationale": "Rewritten by an editor.",
            "evidence_quote": "",
            "evidence_location": "",
            "basis": RequirementAlignment.Basis.STATED,
            "made_by": RequirementAlignment.MadeBy.EDITORS,
        },
    )

    assert response.status_code == 302
    assert is_fresh(superuser_client, etag)
    assert updated_since(superuser_client, moment) == [initiative.slug]


def test_a_citation_edited_in_its_own_admin_page_is_a_change(superuser_client, make_initiative, make_source):
    source = make_source()
    initiative = make_initiative(sources=[source])
    make_initiative(sources=[source])
    citation = initiative.citations.get()
    moment = settle()
    etag = superuser_client.get(LIST)["ETag"]

    response = superuser_client.post(
        reverse("admin:catalogue_citation_change", args=[citation.pk]),
        {
            "initiative": initiative.pk,
            "source": source.pk,
            "location": "P42",
            "quote": "Quoted by an editor.",
            "position": 3,
        },
    )

    assert response.status_code == 302
    assert is_fresh(superuser_client, etag)
    assert updated_since(superuser_client, moment) == [initiative.slug]


def test_renaming_a_sector_returns_exactly_its_published_initiatives(client, make_initiative, make_sector):
    renamed, other = make_sector(), make_sector()
    showing = [make_initiative(sectors=[renamed]), make_initiative(sectors=[renamed, other])]
    make_initiative(sectors=[other])
    make_initiative(sectors=[renamed], status=Initiative.Status.DRAFT)
    moment = settle()
    etag = client.get(LIST)["ETag"]

    renamed.name = "Learning"
    renamed.save()

    assert is_fresh(client, etag)
    assert updated_since(client, moment) == sorted(initiative.slug for initiative in showing)
    names = {sector["name"] for record in client.get(LIST).json()["results"] for sector in record["sectors"]}
    assert "Learning" in names


def test_renaming_an_organisation_returns_the_initiatives_it_leads_or_partners(
    client, make_initiative, make_organisation
):
    renamed = make_organisation()
    led = make_initiative(lead_organisation=renamed)
    partnered = make_initiative()
    partnered.partners.add(renamed)
    make_initiative()
    moment = settle()

    renamed.name = "New name"
    renamed.save()

    assert updated_since(client, moment) == sorted([led.slug, partnered.slug])


def test_saving_a_sector_unchanged_returns_no_initiative(client, make_initiative, make_sector):
    sector = make_sector()
    make_initiative(sectors=[sector])
    moment = settle()

    sector.save()

    assert updated_since(client, moment) == []


def test_publishing_is_a_change(client, make_initiative):
    draft = make_initiative(status=Initiative.Status.DRAFT)
    make_initiative()
    moment = settle()
    etag = client.get(LIST)["ETag"]

    draft.status = Initiative.Status.PUBLISHED
    draft.save()

    assert is_fresh(client, etag)
    assert updated_since(client, moment) == [draft.slug]


def test_unpublishing_records_a_removal(client, make_initiative):
    unpublished = make_initiative()
    make_initiative()
    moment = settle()
    etag = client.get(LIST)["ETag"]
    removed_etag = client.get(REMOVED)["ETag"]

    unpublished.status = Initiative.Status.ARCHIVED
    unpublished.save()

    assert is_fresh(client, etag)
    assert is_fresh(client, removed_etag, REMOVED)
    assert removed_since(client, moment) == [unpublished.slug]
    assert unpublished.slug not in [record["slug"] for record in client.get(LIST).json()["results"]]


def test_deleting_a_published_initiative_records_a_removal(client, make_initiative):
    deleted = make_initiative()
    make_initiative()
    moment = settle()
    etag = client.get(LIST)["ETag"]

    Initiative.objects.get(pk=deleted.pk).delete()

    assert is_fresh(client, etag)
    assert removed_since(client, moment) == [deleted.slug]


def test_changing_a_published_slug_removes_the_old_address(client, make_initiative):
    initiative = make_initiative(slug="old-slug")
    moment = settle()

    initiative.slug = "new-slug"
    initiative.save()

    assert removed_since(client, moment) == ["old-slug"]
    assert updated_since(client, moment) == ["new-slug"]


def test_a_republished_initiative_comes_back_and_is_no_longer_removed(client, make_initiative):
    initiative = make_initiative()
    moment = settle()
    initiative.status = Initiative.Status.ARCHIVED
    initiative.save()

    initiative.status = Initiative.Status.PUBLISHED
    initiative.save()

    assert updated_since(client, moment) == [initiative.slug]
    assert removed_since(client, moment) == []


# --- The removed list ------------------------------------------------------------------------------


def test_removed_lists_removals_since_the_moment_given_oldest_first(client, make_initiative):
    before, after = make_initiative(), make_initiative()
    before.delete()
    moment = timezone.now()
    after.delete()

    response = client.get(REMOVED, {"since": moment.isoformat()})
    everything = client.get(REMOVED).json()

    assert response.json()["count"] == 1
    [record] = response.json()["results"]
    assert set(record) == {"slug", "removed_at"}
    assert record["slug"] == after.slug
    assert [record["slug"] for record in everything["results"]] == [before.slug, after.slug]


def test_removed_is_paginated_like_the_other_lists(client, make_initiative):
    for _ in range(3):
        make_initiative().delete()

    response = client.get(REMOVED, {"page_size": 2})

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2
    assert response.json()["next"]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "0001-01-01T00:00:00+14:00"])
def test_an_unreadable_since_is_a_400_naming_it(client, since):
    response = client.get(REMOVED, {"since": since})

    assert response.status_code == 400
    assert list(response.json()) == ["since"]


# --- Drafts, submissions and review steps change nothing public -------------------------------------


def test_a_partners_draft_changes_neither_etag_nor_last_modified(client, make_initiative, make_sector):
    sector, technology = make_sector(), factories.make_technology()
    requirement = factories.make_requirement(number=2)
    make_initiative(sectors=[sector])
    partner = factories.make_partner()
    before = {path: client.get(path) for path in [LIST, "/api/v1/sectors/", REMOVED]}

    draft = Initiative.objects.create(
        slug="private-draft", title="Private draft", summary="Secret.", submitted_by=partner
    )
    StatusChange.objects.create(initiative=draft, actor=partner, to_status=Initiative.Status.DRAFT)
    draft.title = "Private draft, edited"
    draft.save()
    draft.sectors.add(sector)
    draft.technologies.set([technology])
    KeyFigure.objects.create(initiative=draft, text="1,000 pupils")
    RequirementAlignment.objects.create(initiative=draft, requirement=requirement, rationale="Because.")
    ProposedOrganisation.objects.create(initiative=draft, name="New org")
    SubmittedSource.objects.create(initiative=draft, title="A report", url="https://example.org/report")
    draft.status = Initiative.Status.SUBMITTED
    draft.save()
    StatusChange.objects.create(
        initiative=draft,
        actor=partner,
        from_status=Initiative.Status.DRAFT,
        to_status=Initiative.Status.SUBMITTED,
    )
    draft.status = Initiative.Status.CHANGES_REQUESTED
    draft.save()
    draft.key_figures.all().delete()
    draft.status_changes.all().delete()  # an initiative's history protects it from deletion
    draft.delete()

    for path, response in before.items():
        again = client.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, path
        assert again["Last-Modified"] == response["Last-Modified"], path


def test_a_citation_of_a_draft_changes_nothing_public(client, make_initiative, make_source):
    source = make_source()
    make_initiative(sources=[source])
    draft = make_initiative(status=Initiative.Status.DRAFT)
    etag = client.get(LIST)["ETag"]

    Citation.objects.create(initiative=draft, source=source, location="P1")

    assert not is_fresh(client, etag)


def test_since_takes_any_iso_offset(client, make_initiative):
    make_initiative().delete()

    # PostgreSQL itself refuses offsets beyond ±15:59.
    late = client.get(REMOVED, {"since": "2999-01-01T00:00:00+23:56"})
    early = client.get(REMOVED, {"since": "2000-01-01T00:00:00-23:56"})

    assert (late.status_code, late.json()["count"]) == (200, 0)
    assert (early.status_code, early.json()["count"]) == (200, 1)


def test_the_schema_describes_removed_as_a_paginated_list_taking_since(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/initiatives/removed/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["since"]["schema"] == {"type": "string", "format": "date-time"}
    assert {"page", "page_size"} <= set(parameters)
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    item = schema["components"]["schemas"][page]["properties"]["results"]["items"]["$ref"].split("/")[-1]
    assert set(schema["components"]["schemas"][item]["properties"]) == {"slug", "removed_at"}
