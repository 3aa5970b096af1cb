"""The reports and events the seed documents describe, as records (issue 12, section 2): checked
against the seeds, not against the fixtures."""

import re

import pytest
from django.conf import settings

from catalogue.models import FeaturedInitiative, Initiative, Publication, PublicationItem

IGF_REPORT = "application-of-ai-for-children-report-2021"
IGF_LAUNCH = "igf-2021-launch-event-39"
WIC_PLAN = "wic-ai-for-social-good-action-plan-2023-2025"
WEBINAR = "itu-unicri-webinar-keeping-children-safe-with-ai"

pytestmark = pytest.mark.usefixtures("shipped_catalogue")


def in_seed(text, file_name):
    """Whether `text` is word for word in the seed file, spacing aside."""
    seed = (settings.CATALOGUE_SEEDS_DIR / file_name).read_text(encoding="utf-8")
    return re.search(r"\s+".join(re.escape(word) for word in text.split()), seed) is not None


def roles(publication, role):
    return set(publication.roles.filter(role=role).values_list("organisation__slug", flat=True))


def test_the_igf_report_is_a_record_with_its_publishers_and_supporter():
    report = Publication.objects.get(slug=IGF_REPORT)
    assert report.kind == Publication.Kind.REPORT
    assert roles(report, "publisher") == {
        "china-federation-of-internet-societies",
        "communication-university-of-china",
    }
    assert roles(report, "supporter") == {"unicef-china"}


def test_the_igf_report_features_the_sensetime_case_and_the_three_presented_at_its_launch():
    featured = set(Publication.objects.get(slug=IGF_REPORT).initiatives.values_list("slug", flat=True))
    presented = {
        "alibaba-cloud-smart-physical-education",
        "tencent-content-safety-for-children",
        "western-china-district-ai-education",
    }
    assert featured == {"sensetime-platform-content-service-ai-education"} | presented
    launch = Publication.objects.get(slug=IGF_LAUNCH)
    assert launch.launches.slug == IGF_REPORT
    assert set(launch.initiatives.values_list("slug", flat=True)) == presented


def test_the_igf_report_collected_39_cases_and_suggests_five_perspectives():
    report = Publication.objects.get(slug=IGF_REPORT)
    assert report.items.filter(kind="fact", figure="39 case studies").exists()
    assert report.items.filter(kind="recommendation", quote="emphasizing the active participation of parents")
    assert (
        report.items.filter(kind="recommendation", location__startswith="Paragraph 2 (suggestion").count()
        == 5
    )


def test_the_wic_plan_finds_more_than_two_thirds_of_projects_use_social_media():
    plan = Publication.objects.get(slug=WIC_PLAN)
    finding = plan.items.get(kind="finding", figure="more than two-thirds")
    assert "social media platforms" in finding.quote
    assert "社交平台" in finding.quote_zh
    assert finding.location == "P37–P42, Part 03 §3"


def test_the_wic_plan_has_its_four_actions_in_order():
    actions = Publication.objects.get(slug=WIC_PLAN).items.filter(kind="recommendation")
    assert [action.location for action in actions] == [
        "P45, Part 04 §1",
        "P46, Part 04 §2",
        "P47, Part 04 §3",
        "P48, Part 04 §4",
    ]
    assert actions[1].heading_zh == "推动全球项目合作，共享人工智能技术红利"


def test_every_case_the_wic_plan_presents_is_featured_by_it():
    plan = Publication.objects.get(slug=WIC_PLAN)
    cited = Initiative.objects.published().filter(citations__source__slug=WIC_PLAN).distinct()
    assert cited.count() == 33
    assert set(plan.initiatives.values_list("pk", flat=True)) == set(cited.values_list("pk", flat=True))


def test_the_webinar_has_its_date_as_the_source_gives_it_and_over_200_participants():
    webinar = Publication.objects.get(slug=WEBINAR)
    assert webinar.kind == Publication.Kind.WEBINAR
    assert webinar.date is None  # the news item gives no year
    assert webinar.date_in_source == "6th October"
    assert webinar.items.filter(kind="fact", figure="over 200 participants").exists()
    assert roles(webinar, "organiser") == {"unicri", "itu"}
    assert set(webinar.initiatives.values_list("slug", flat=True)) == {
        "bracket-foundation-unicri-law-enforcement-tools",
        "ijm-end-osec-center",
        "end-violence-safe-online-investments",
    }


def test_every_item_is_quoted_word_for_word_from_its_seed_with_a_locator():
    items = PublicationItem.objects.select_related("source")
    assert items.count() >= 30
    for item in items:
        assert item.location, item
        for text in (item.quote, item.quote_zh, item.heading, item.heading_zh):
            if text:
                assert in_seed(text, item.source.file_name), (item.publication_id, text)
        assert item.figure in item.quote, item


def test_every_record_is_described_in_a_seeded_source_and_dated_only_as_the_source_dates_it():
    for publication in Publication.objects.prefetch_related("sources"):
        files = [source.file_name for source in publication.sources.all()]
        assert files and all(files), publication
        if publication.date_in_source:
            assert publication.date_location, publication
            assert any(in_seed(publication.date_in_source, name) for name in files), publication
        if publication.date:
            assert publication.date_in_source, publication


def test_every_featured_case_is_published_and_every_organisation_linked_has_a_role():
    assert not FeaturedInitiative.objects.exclude(initiative__status="published").exists()
    unlinked = {
        "china-federation-of-internet-societies",
        "communication-university-of-china",
        "unicef-china",
        "itu",
    }
    linked = set(Publication.objects.values_list("roles__organisation__slug", flat=True))
    assert unlinked <= linked
