"""The shipped catalogue says what its sources say (issue 12, section 3): each correction
checked against the seed text that proves it."""

import pytest

from catalogue.models import Initiative, Organisation, Requirement, Source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_catalogue")]


def seed(settings, name):
    text = (settings.BASE_DIR / "fixtures" / "seeds" / name).read_text("utf-8")
    return " ".join(text.replace("**", "").split())


def test_the_igf_transcript_has_no_date_the_seed_does_not_give(settings):
    transcript = Source.objects.get(slug="igf-2021-ai-for-children-report-launch")

    assert seed(settings, transcript.file_name).startswith("IGF 2021 - Day 4 - Launch / Award Event #39")
    assert transcript.published_on is None


def test_every_source_date_is_one_its_seed_gives(settings):
    # A date the source does not give is left out (issue 12, section 3): the WIC plan was
    # dated 1 January 2023, though the document gives no date at all.
    dated = 0
    for source in Source.objects.exclude(file_name=""):
        if source.published_on is not None:
            assert source.published_on.isoformat() in seed(settings, source.file_name), source.slug
            dated += 1
    wic_plan = Source.objects.get(slug="wic-ai-for-social-good-action-plan-2023-2025")
    assert dated and wic_plan.published_on is None


def test_the_district_is_not_placed_in_a_city_the_text_does_not_name():
    district = Organisation.objects.get(slug="chongqing-district-cyberspace-administration")
    case = Initiative.objects.get(slug="western-china-district-ai-education")

    for text in [district.name, district.description, case.title, case.summary, case.description]:
        assert "Chongqing" not in text
    assert "western China" in district.name


def test_requirement_titles_are_the_published_ones_and_the_captions_stay_as_quotes():
    titles = dict(Requirement.objects.values_list("number", "title"))
    described = dict(Requirement.objects.values_list("number", "description"))

    assert titles[3] == "Prioritize fairness and non-discrimination for children"
    assert titles[7] == "Empower governments and businesses with knowledge of AI and children's rights"
    assert '"Number three, prioritize fairness and nondiscrimination of children."' in described[3]
    assert "empower governments and business with knowledge" in described[7]


def test_wic_cases_use_the_english_texts_names_and_partners(settings):
    wic = seed(settings, "002_2e024a5473014254.txt")
    ant = Initiative.objects.get(slug="zhejiang-ant-foundation-ai-bean-plan")
    camp = Initiative.objects.get(slug="tencent-light-technology-charity-camp")

    assert 'The "Idol Plan" launched by Zhejiang Ant Foundation' in wic
    assert ant.title.startswith("Idol Plan") and "Bean" not in ant.title
    assert "Tencent Charity Foundation collaborates with Tencent YouTu Lab" in wic
    assert [(o.name, o.name_zh) for o in camp.partners.all()] == [("Tencent YouTu Lab", "腾讯优图实验室")]
    assert "腾讯公益慈善基金会联合腾讯优图实验室" in wic


def test_a_summary_that_skips_part_of_the_paragraph_marks_the_gap(settings):
    wic = seed(settings, "002_2e024a5473014254.txt")
    dream = Initiative.objects.get(slug="lenovo-dream-center-ai-teacher-training")

    for text, gap in [(dream.summary, " […] "), (dream.summary_zh, "……")]:
        parts = text.split(gap)
        assert len(parts) == 2
        assert all(part in wic for part in parts)
        assert text not in wic  # the two sentences are not adjacent in the source


def test_countries_are_those_the_paragraphs_give():
    starbucks = Initiative.objects.get(slug="starbucks-microsoft-angel-partner-assistant")
    bifn = Initiative.objects.get(slug="bifn-china-branch-ai-cancer-cooperation-platform")

    assert list(starbucks.countries) == []
    # "China's authoritative Grade A tertiary hospitals"; the other BRICS countries are not named.
    assert [country.code for country in bifn.countries] == ["CN"]
