import pytest
from django.db import IntegrityError, transaction

from catalogue.models import Citation, Initiative, Requirement, RequirementAlignment


@pytest.mark.django_db
def test_published_excludes_every_other_status(make_initiative):
    published = make_initiative(status=Initiative.Status.PUBLISHED)
    for status in Initiative.Status.values:
        if status != Initiative.Status.PUBLISHED:
            make_initiative(status=status)

    assert list(Initiative.objects.published()) == [published]


@pytest.mark.django_db
def test_publishing_stamps_published_at(make_initiative):
    draft = make_initiative(status=Initiative.Status.DRAFT)
    assert draft.published_at is None

    draft.status = Initiative.Status.PUBLISHED
    draft.save()

    assert draft.published_at is not None


@pytest.mark.django_db
def test_requirement_numbers_outside_one_to_nine_are_refused():
    with pytest.raises(IntegrityError):
        Requirement.objects.create(number=10, slug="ten", title="Not a requirement")


@pytest.mark.django_db
def test_an_initiative_aligns_with_a_requirement_once(make_initiative, make_requirement):
    requirement = make_requirement(5)
    initiative = make_initiative(requirements=[requirement])

    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementAlignment.objects.create(initiative=initiative, requirement=requirement, rationale="again")


@pytest.mark.django_db
def test_one_citation_per_initiative_source_and_location(make_initiative, make_source):
    source = make_source()
    initiative = make_initiative(sources=[source])

    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(initiative=initiative, source=source, location="P1")


@pytest.mark.django_db
def test_slugs_are_unique(make_organisation):
    make_organisation(slug="acme")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_organisation(slug="acme")


@pytest.mark.django_db
def test_absolute_urls_are_the_public_permalinks(make_initiative, make_requirement):
    initiative = make_initiative(slug="snow-leopards")

    assert initiative.get_absolute_url() == "/initiatives/snow-leopards/"
    assert initiative.lead_organisation.get_absolute_url().startswith("/organisations/")
    assert make_requirement(5).get_absolute_url() == "/requirements/5/"


@pytest.mark.django_db
def test_display_title_follows_the_interface_language(make_initiative):
    from django.utils import translation

    initiative = make_initiative(title="Hearing aids", title_zh="助听器")

    with translation.override("zh-hans"):
        assert initiative.display_title == "助听器"
    with translation.override("en"):
        assert initiative.display_title == "Hearing aids"
