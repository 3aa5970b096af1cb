"""`?format=csv` on the initiatives list: every matching row, streamed."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/v1/initiatives/"


def read_csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_streams_every_matching_row_not_one_page(client, make_initiative, make_sector):
    education = make_sector(slug="education")
    for number in range(25):
        make_initiative(slug=f"school-{number:02}", sectors=[education])
    make_initiative(slug="elsewhere")

    response = client.get(LIST, {"format": "csv", "sector": "education", "page_size": 2})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="casebook-initiatives.csv"'
    assert [row["slug"] for row in read_csv(response)] == [f"school-{number:02}" for number in range(25)]


def test_csv_has_one_column_per_field_and_joins_several_values(
    client, make_initiative, make_organisation, make_sector, make_technology, make_requirement
):
    make_initiative(
        slug="reader",
        title="Reading helper",
        title_zh="阅读助手",
        summary='Reads "aloud", line by line;\nfor children.',
        lead_organisation=make_organisation(slug="acme"),
        sectors=[make_sector(slug="education", position=1), make_sector(slug="health", position=2)],
        technologies=[make_technology(slug="speech-synthesis")],
        requirements=[make_requirement(2), make_requirement(5)],
        countries=["CN", "KE"],
        start_year=2022,
    )

    [row] = read_csv(client.get(LIST, {"format": "csv"}))

    assert list(row) == [
        "slug",
        "url",
        "html_url",
        "title",
        "title_zh",
        "summary",
        "summary_zh",
        "sectors",
        "lead_organisation",
        "countries",
        "technologies",
        "requirements",
        "sources",
        "start_year",
        "children_focus",
        "updated_at",
    ]
    assert row["url"] == "http://testserver/api/v1/initiatives/reader/"
    assert row["title_zh"] == "阅读助手"
    assert row["summary"] == 'Reads "aloud", line by line;\nfor children.'
    assert row["sectors"] == "education; health"
    assert row["lead_organisation"] == "acme"
    assert row["countries"] == "CN; KE"
    assert row["technologies"] == "speech-synthesis"
    assert row["requirements"] == "2; 5"
    assert row["sources"] == ""
    assert row["start_year"] == "2022"
    assert row["children_focus"] == "false"


def test_csv_of_no_rows_still_has_the_header(client):
    response = client.get(LIST, {"format": "csv"})

    assert b"".join(response.streaming_content).decode() == (
        "slug,url,html_url,title,title_zh,summary,summary_zh,sectors,lead_organisation,countries,"
        "technologies,requirements,sources,start_year,children_focus,updated_at\r\n"
    )


def test_accept_header_also_selects_csv(client, make_initiative):
    make_initiative(slug="reader")

    response = client.get(LIST, headers={"Accept": "text/csv"})

    assert [row["slug"] for row in read_csv(response)] == ["reader"]


def test_csv_with_a_bad_filter_is_a_json_400(client):
    response = client.get(LIST, {"format": "csv", "sector": "nowhere"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["sector"]


def test_csv_is_only_for_the_list(client, make_initiative):
    make_initiative(slug="reader")

    response = client.get(f"{LIST}reader/", {"format": "csv"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
