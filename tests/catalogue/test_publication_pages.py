"""/publications/ and a publication's page, the case page's "Featured in", an organisation's
reports and events, and the source text's anchors for quoted findings."""

import pytest
from django.utils import translation

from catalogue.models import Publication, PublicationItem
from tests.catalogue.test_views import text_of

pytestmark = pytest.mark.usefixtures("shipped_catalogue")

LIST = "/publications/"
IGF_REPORT = "/publications/application-of-ai-for-children-report-2021/"
WIC_PLAN = "/publications/wic-ai-for-social-good-action-plan-2023-2025/"
WEBINAR = "/publications/itu-unicri-webinar-keeping-children-safe-with-ai/"


def test_the_list_shows_reports_and_events_with_their_kind_and_organisations(client):
    text = text_of(client.get(LIST))

    assert "6 reports and events" in text
    assert "Application of Artificial Intelligence for Children" in text
    assert "Webinar · 6th October" in text
    assert "Publisher: China Federation of Internet Societies, Communication University of China" in text


def test_the_kind_filter_narrows_the_list(client):
    response = client.get(LIST, {"kind": ["webinar", "meeting"]})

    assert [p.slug for p in response.context["page_obj"].object_list] == [
        "ai-for-safer-children-first-stakeholder-meeting",
        "itu-unicri-webinar-keeping-children-safe-with-ai",
    ]


def test_an_unknown_kind_is_a_400_naming_the_field(client):
    response = client.get(LIST, {"kind": "novel"})

    assert response.status_code == 400
    assert "novel" in text_of(response)


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # the data version (the page cache's key); the total; a page of records; their roles with
    # their organisations
    with django_assert_num_queries(4):
        client.get(LIST)


def test_the_report_page_shows_its_organisations_by_role_and_its_recommendations(client):
    text = text_of(client.get(IGF_REPORT))

    assert "Publisher China Federation of Internet Societies Communication University of China" in text
    assert "Supporter UNICEF China" in text
    assert "emphasizing the active participation of parents" in text
    assert "Paragraph 2 (suggestion 4 of 5)" in text
    assert "Launched at: IGF 2021 Launch / Award Event #39" in text
    assert "4 featured cases" in text
    assert "SenseTime" in text


def test_a_finding_links_to_its_quote_in_the_source_text(client):
    item = PublicationItem.objects.get(figure="more than two-thirds")
    anchor = f"/sources/wic-ai-for-social-good-action-plan-2023-2025/text/#item-{item.pk}"

    assert anchor in client.get(WIC_PLAN).content.decode()
    assert f'id="item-{item.pk}"' in client.get(anchor.split("#")[0]).content.decode()


def test_the_plan_page_paginates_its_33_cases(client):
    first, second = (client.get(WIC_PLAN, {"page": page}) for page in (1, 2))

    assert "33 featured cases" in text_of(first)
    assert [len(r.context["initiatives"]) for r in (first, second)] == [20, 13]


def test_the_plan_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # the data version; the plan with the publication it launches; its roles with their
    # organisations; its items with their sources; its sources; the events launching it; the
    # total of featured cases; a page of them; their cards' sectors and technologies (one query)
    with django_assert_num_queries(1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1):
        client.get(WIC_PLAN)


def test_the_plan_page_shows_the_chinese_heading_in_the_chinese_interface(client):
    with translation.override("zh-hans"):
        response = client.get(WIC_PLAN, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "三是传播渠道类型广泛，但传播范围仍有待拓宽。" in text_of(response)


def test_the_webinar_page_gives_the_date_as_the_source_does(client):
    text = text_of(client.get(WEBINAR))

    assert "Date as the source gives it: “6th October” (Paragraph 1 (the news item gives no year))" in text
    assert "over 200 participants" in text


def test_an_unknown_record_is_not_found(client):
    assert client.get("/publications/no-such-report/").status_code == 404


def test_the_case_page_says_where_the_case_is_featured(client):
    text = text_of(client.get("/initiatives/sensetime-platform-content-service-ai-education/"))

    assert "Featured in Application of Artificial Intelligence for Children" in text


def test_an_organisation_page_lists_its_reports_and_events(client):
    text = text_of(client.get("/organisations/itu/"))

    assert "Reports and events Keeping our children safe with artificial intelligence Webinar" in text


def test_the_footer_links_to_reports_and_events(client):
    assert f'href="{LIST}"' in client.get("/").content.decode()


def test_every_record_has_a_page(client):
    for slug in Publication.objects.values_list("slug", flat=True):
        assert client.get(f"/publications/{slug}/").status_code == 200
