"""Every field of the shipped catalogue says where it comes from (issue 12, section 4): the
rules fixtures/README.md writes down under "Provenance", checked against the fixture files
and the seed documents themselves."""

import pytest
from django.utils import translation

from catalogue.models import Initiative, Requirement, Sector, TextOrigin

from .shipped import INITIATIVES, SEEDS, cited_seeds, entries, fixture_files, found_in

KEY_FIGURES = [
    pytest.param(initiative, figure, id=f"{initiative['slug']}-{position}")
    for initiative in INITIATIVES
    for position, figure in enumerate(initiative.get("key_figures", []), start=1)
]


@pytest.mark.parametrize(("initiative", "figure"), KEY_FIGURES)
def test_every_key_figure_has_a_locator_and_the_sources_words(initiative, figure):
    assert figure.get("location", "").strip(), "a key figure says where the source states it"
    # The source's words: its quote, or the document's own Chinese figure, verbatim in a cited seed.
    quote, text_zh = figure.get("quote", ""), figure.get("text_zh", "")
    assert quote or text_zh, "a key figure quotes the source"
    if quote:
        assert found_in(quote, initiative), f"quote not in the cited seeds: {quote!r}"
    if text_zh:
        assert found_in(text_zh, initiative), f"Chinese figure not in the cited seeds: {text_zh!r}"


def test_case_page_and_api_show_where_each_key_figure_comes_from(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug="tencent-content-safety-for-children")
    figure = initiative.key_figures.first()

    page = client.get(initiative.get_absolute_url()).content.decode()
    detail = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()

    assert figure.location and figure.location in page
    assert "we have over 100 categories of detected algorithm" in page
    assert detail["key_figures"][0]["location"] == figure.location
    assert detail["key_figures"][0]["quote"] == figure.quote


LABELS = [  # (section, the translated field) of every bilingual vocabulary in the fixtures
    ("requirements", "title_zh"),
    ("sectors", "name_zh"),
    ("technologies", "name_zh"),
    ("beneficiary_groups", "name_zh"),
]


@pytest.mark.parametrize(("section", "field"), LABELS)
def test_every_translated_label_has_an_origin(section, field):
    for entry in entries(section):
        origin = entry.get(f"{field}_origin", "")
        if entry.get(field):
            # None of the seeds gives these labels in Chinese: they are the catalogue's own.
            assert origin == TextOrigin.EDITORIAL, f"{section} {entry['slug']}: {field} has no origin"
        else:
            assert origin == TextOrigin.NONE


def test_every_chinese_organisation_name_says_whose_words_it_is():
    # The WIC plan names its organisations in Chinese: those names are the document's own
    # (spacing aside: it writes "360 集团"); a name no seed gives would be the catalogue's.
    seeds = "".join("".join(text.split()) for text in SEEDS.values())
    organisations = list(entries("organisations"))
    assert any(organisation.get("name_zh") for organisation in organisations)
    for organisation in organisations:
        origin, name_zh = organisation.get("name_zh_origin", ""), organisation.get("name_zh", "")
        if not name_zh:
            assert origin == TextOrigin.NONE, organisation["slug"]
        elif origin == TextOrigin.SOURCE:
            assert "".join(name_zh.split()) in seeds, organisation["slug"]
        else:
            assert origin == TextOrigin.EDITORIAL, f"{organisation['slug']}: its Chinese name has no origin"


@pytest.mark.parametrize("initiative", INITIATIVES, ids=lambda initiative: initiative["slug"])
def test_every_title_and_chinese_text_has_an_origin(initiative):
    # An English title is the source's only when the source uses those very words.
    if initiative.get("title_origin") == TextOrigin.SOURCE:
        title = initiative["title"].lower()
        assert any(title in seed.lower() for seed in cited_seeds(initiative))
    else:
        assert initiative.get("title_origin") == TextOrigin.EDITORIAL
    has_chinese = bool(initiative.get("title_zh") or initiative.get("summary_zh"))
    assert bool(initiative.get("chinese_text_origin")) == has_chinese
    if initiative.get("chinese_text_origin") == TextOrigin.SOURCE:
        # The document's own Chinese, where "……" marks words left out between two of its sentences.
        assert all(found_in(part, initiative) for part in initiative["summary_zh"].split("……"))


def test_pages_mark_the_catalogues_translations_and_titles(client, shipped_catalogue):
    wic_case = Initiative.objects.get(slug="iflytek-suzhou-dialect")
    sector = Sector.objects.get(slug=wic_case.sectors.first().slug)

    english_case = client.get(wic_case.get_absolute_url()).content.decode()
    assert "Title written by the catalogue, not the document." in english_case
    source_titled = client.get(Initiative.objects.get(slug="ai-for-safer-children").get_absolute_url())
    assert "Title written by the catalogue" not in source_titled.content.decode()

    client.cookies["django_language"] = "zh-hans"
    chinese_case = client.get(wic_case.get_absolute_url())
    chinese_sector = client.get(sector.get_absolute_url())
    with translation.override("zh-hans"):
        note = translation.gettext(
            "Names of sectors, AI technologies, beneficiary groups and requirements in this language "
            "are the catalogue's translations."
        )
        sector_note = translation.gettext("This name is the catalogue's translation.")
    assert note in chinese_case.content.decode()
    # The Chinese title is the document's own: no note about the title there.
    assert "Title written by the catalogue" not in chinese_case.content.decode()
    assert sector_note in chinese_sector.content.decode()


def test_api_says_whose_words_each_label_and_title_is(client, shipped_catalogue):
    requirement = client.get(f"/api/v1/requirements/{Requirement.objects.first().number}/").json()
    sector = client.get("/api/v1/sectors/education/").json()
    case = client.get("/api/v1/initiatives/iflytek-suzhou-dialect/").json()

    assert requirement["title_zh_origin"] == "editorial"
    assert sector["name_zh_origin"] == "editorial"
    assert case["title_origin"] == "editorial"
    assert case["chinese_text_origin"] == "source"
    assert client.get("/api/v1/organisations/iflytek/").json()["name_zh_origin"] == "source"


@pytest.mark.parametrize("initiative", INITIATIVES, ids=lambda initiative: initiative["slug"])
def test_every_start_year_says_where_the_source_gives_it(initiative):
    year, location = initiative.get("start_year"), initiative.get("start_year_location", "")
    if year is None:
        assert not location
        return
    assert location.strip()
    assert any(str(year) in seed for seed in cited_seeds(initiative))


def test_year_filter_says_how_many_cases_have_no_start_year(client, shipped_catalogue):
    undated = Initiative.objects.published().filter(start_year__isnull=True).count()

    page = client.get("/initiatives/").content.decode()

    assert undated == Initiative.objects.published().count() - 2
    assert f"{undated} cases have no start year in their sources; a year filter leaves them out." in page


def test_case_page_and_api_say_where_the_start_year_comes_from(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug="ai-for-safer-children")

    page = client.get(initiative.get_absolute_url()).content.decode()
    detail = client.get(f"/api/v1/initiatives/{initiative.slug}/").json()

    assert (
        'started 2020 <span class="figure-source">(Paragraph 2 (launch and goal of the initiative))' in page
    )
    assert detail["start_year_location"] == "Paragraph 2 (launch and goal of the initiative)"


# The words that place an organisation in a country.
COUNTRY_WORDS = {
    "CN": ["China", "Chinese", "中国", "Shanghai", "Shenzhen", "Zhejiang", "上海", "深圳", "浙江"],
    "AE": ["UAE", "United Arab Emirates"],
}


def test_organisations_claim_nothing_the_seeds_do_not_give():
    organisations = list(entries("organisations"))
    wic = [
        o
        for path, content in fixture_files(named=True)
        if path.startswith("wic-")
        for o in content.get("organisations", [])
    ]
    # An organisation's country is one its name or its seed-based description places it in
    # (Starbucks, Google, Microsoft, Intel and FedEx had "US", Tencent or Baidu "CN", from
    # general knowledge).
    unplaced = [
        o["slug"]
        for o in organisations
        if o.get("country")
        and not any(
            word in " ".join([o["name"], o.get("name_zh", ""), o.get("description", "")])
            for word in COUNTRY_WORDS.get(o["country"], [])
        )
    ]
    assert not unplaced
    # A WIC organisation's description says only what the plan says, and says so.
    assert wic
    assert not [o["slug"] for o in wic if o.get("description") and "WIC plan" not in o["description"]]
