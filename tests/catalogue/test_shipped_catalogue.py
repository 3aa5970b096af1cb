"""Integrity of the shipped catalogue (fixtures/catalogue), checked against the seed documents.

The expected counts come from reading the documents, not from the fixtures: the WIC plan
presents 33 projects in six domains; the IGF launch presented 3 cases; SenseTime's news item
one; UNICRI's two items 2 and 3 efforts.
"""

import pytest
from django.db.models import Count

from catalogue.models import Initiative, Organisation, Requirement, Source

WIC = "wic-ai-for-social-good-action-plan-2023-2025"

EXPECTED_PER_SOURCE = {
    "igf-2021-ai-for-children-report-launch": 3,
    "sensetime-ai-education-case-2021": 1,
    WIC: 33,
    "unicri-itu-webinar-keeping-children-safe": 3,
    "unicri-ai-for-safer-children-stakeholder-meeting": 2,
}

# WIC plan, Part 02: projects per domain, counted paragraph by paragraph (two organisations'
# independent projects in one paragraph count twice; Lenovo's two programmes count twice).
EXPECTED_WIC_PER_SECTOR = {
    "culture": 4,
    "biodiversity": 4,
    "medical-services": 6,
    "education": 6,
    "accessibility": 7,
    "settlements-and-environment": 6,
}

pytestmark = pytest.mark.usefixtures("shipped_catalogue")


def published():
    return Initiative.objects.published()


@pytest.mark.django_db
def test_every_initiative_in_the_fixtures_is_published():
    assert published().count() == Initiative.objects.count() == sum(EXPECTED_PER_SOURCE.values())


@pytest.mark.django_db
def test_initiatives_per_source_match_the_documents():
    counts = dict(Source.objects.annotate(n=Count("initiatives", distinct=True)).values_list("slug", "n"))

    assert counts == EXPECTED_PER_SOURCE


@pytest.mark.django_db
def test_wic_initiatives_per_domain_match_the_plan():
    wic = published().filter(sources__slug=WIC)
    counts = {slug: wic.filter(sectors__slug=slug).count() for slug in EXPECTED_WIC_PER_SECTOR}

    assert counts == EXPECTED_WIC_PER_SECTOR


@pytest.mark.django_db
def test_every_initiative_has_a_lead_organisation_sector_and_citation():
    # Not an alignment: a case may honestly be "not assessed" (see test_alignment_provenance).
    incomplete = published().annotate(
        sector_count=Count("sectors", distinct=True),
        citation_count=Count("citations", distinct=True),
    )
    problems = [
        initiative.slug
        for initiative in incomplete
        if not (initiative.lead_organisation_id and initiative.sector_count and initiative.citation_count)
    ]

    assert problems == []


@pytest.mark.django_db
def test_every_citation_names_its_seed_file_location_and_quote():
    for initiative in published().prefetch_related("citations__source"):
        for citation in initiative.citations.all():
            assert citation.source.file_name.endswith(".txt"), initiative.slug
            assert citation.location.strip(), initiative.slug
            assert citation.quote.strip(), initiative.slug


@pytest.mark.django_db
def test_every_alignment_has_a_rationale_and_evidence():
    for initiative in published().prefetch_related("alignments"):
        for alignment in initiative.alignments.all():
            assert alignment.rationale.strip() and alignment.evidence_quote.strip(), initiative.slug


@pytest.mark.django_db
def test_wic_initiatives_carry_the_documents_chinese_text():
    wic = published().filter(sources__slug=WIC)
    missing = wic.exclude(title_zh_hans__gt="") | wic.exclude(summary_zh_hans__gt="")

    assert list(missing.values_list("slug", flat=True)) == []
    assert {initiative.chinese_text_origin for initiative in wic} == {"source"}


@pytest.mark.django_db
def test_wic_chinese_and_quotes_are_verbatim_from_the_seed_file(settings):
    seed = (settings.BASE_DIR / "fixtures" / "seeds" / "002_2e024a5473014254.txt").read_text("utf-8")
    seed = seed.replace("**", "").replace("\n", "")
    if not seed:
        pytest.fail("seed document missing")
    for initiative in published().filter(sources__slug=WIC).prefetch_related("citations"):
        assert initiative.title_zh in seed, initiative.slug
        assert initiative.citations.get().quote in seed, initiative.slug


@pytest.mark.django_db
def test_the_nine_requirements_are_numbered_one_to_nine_as_read_out_at_igf():
    titles = dict(Requirement.objects.values_list("number", "title"))

    assert sorted(titles) == list(range(1, 10))
    assert titles[5] == "Ensure safety for children"
    assert titles[4] == "Protect children's data and privacy"


@pytest.mark.django_db
def test_well_known_cases_are_findable_by_their_content():
    snow_leopards = published().search("snow leopard")
    assert snow_leopards.filter(lead_organisation__slug="tencent-charity-foundation").exists()
    assert published().search("hearing aid").filter(lead_organisation__slug="tencent").exists()
    assert published().filter(title__icontains="Safer Children", lead_organisation__slug="unicri").exists()


@pytest.mark.django_db
def test_organisations_are_not_duplicated_under_two_slugs():
    names = list(Organisation.objects.values_list("name", flat=True))

    assert len(names) == len(set(names))
