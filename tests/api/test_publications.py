"""/api/v1/publications/: the reports and events, their findings with quotes and locators,
organisations by role and featured cases; and an initiative's `featured_in`."""

import pytest

from catalogue.models import PublicationItem

pytestmark = pytest.mark.usefixtures("shipped_catalogue")

LIST = "/api/v1/publications/"
REPORT_TITLE = (
    "Application of Artificial Intelligence for Children – Research Report and Case Study Collection"
)
WEBINAR = f"{LIST}itu-unicri-webinar-keeping-children-safe-with-ai/"


def test_the_list_holds_every_record_with_its_organisations_by_role(client):
    response = client.get(LIST)

    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert response.json()["count"] == len(rows) == 6
    report = rows["application-of-ai-for-children-report-2021"]
    assert report["kind"] == "report"
    assert report["html_url"] == "http://testserver/publications/application-of-ai-for-children-report-2021/"
    assert [(o["slug"], o["role"]) for o in report["organisations"]] == [
        ("china-federation-of-internet-societies", "publisher"),
        ("communication-university-of-china", "publisher"),
        ("unicef-china", "supporter"),
    ]
    assert report["organisations"][2]["url"] == "http://testserver/api/v1/organisations/unicef-china/"


def test_the_kind_filter_is_the_pages(client):
    response = client.get(LIST, {"kind": "webinar"})

    assert [row["slug"] for row in response.json()["results"]] == [
        "itu-unicri-webinar-keeping-children-safe-with-ai"
    ]


def test_an_unknown_kind_is_a_400_naming_the_field(client):
    response = client.get(LIST, {"kind": "novel"})

    assert response.status_code == 400
    assert "kind" in response.json()


def test_the_webinar_detail_has_its_date_as_given_its_participants_and_cases(client):
    body = client.get(WEBINAR).json()

    assert body["date"] is None
    assert body["date_in_source"] == "6th October"
    participants = next(item for item in body["items"] if item["figure"] == "over 200 participants")
    assert participants["kind"] == "fact"
    assert participants["location"] == "Paragraph 3"
    assert participants["source"]["slug"] == "unicri-itu-webinar-keeping-children-safe"
    item = PublicationItem.objects.get(figure="over 200 participants")
    assert participants["text_url"] == (
        f"http://testserver/sources/unicri-itu-webinar-keeping-children-safe/text/#item-{item.pk}"
    )
    assert [case["slug"] for case in body["initiatives"]] == [
        "bracket-foundation-unicri-law-enforcement-tools",
        "ijm-end-osec-center",
        "end-violence-safe-online-investments",
    ]


def test_a_launch_names_the_publication_it_launched(client):
    body = client.get(f"{LIST}igf-2021-launch-event-39/").json()

    assert body["launches"]["slug"] == "application-of-ai-for-children-report-2021"
    assert body["launches"]["kind"] == "report"


def test_an_unknown_record_is_a_json_404(client):
    response = client.get(f"{LIST}no-such-report/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_list_and_detail_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    # the data version; the total; a page; their roles with their organisations
    with django_assert_num_queries(4):
        client.get(LIST)
    # the data version; the record with the publication it launches; roles with organisations;
    # items with sources; sources; the events launching it; its published featured cases
    with django_assert_num_queries(7):
        client.get(f"{LIST}wic-ai-for-social-good-action-plan-2023-2025/")


def test_a_conditional_request_for_an_unchanged_record_is_a_304(client):
    etag = client.get(WEBINAR)["ETag"]

    assert client.get(WEBINAR, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_initiative_detail_says_where_it_is_featured(client):
    body = client.get("/api/v1/initiatives/sensetime-platform-content-service-ai-education/").json()

    assert body["featured_in"] == [
        {
            "slug": "application-of-ai-for-children-report-2021",
            "name": REPORT_TITLE,
            "url": "http://testserver/api/v1/publications/application-of-ai-for-children-report-2021/",
            "kind": "report",
        }
    ]


@pytest.mark.parametrize("query", ["", "kind=report&kind=action_plan", "kind=launch", "kind=novel"])
def test_the_page_and_the_api_answer_a_query_string_alike(client, query):
    page = client.get(f"/publications/?{query}")
    api = client.get(f"{LIST}?{query}")

    assert page.status_code == api.status_code
    if api.status_code == 200:
        page_slugs = [publication.slug for publication in page.context["page_obj"].object_list]
        assert page_slugs == [row["slug"] for row in api.json()["results"]]
