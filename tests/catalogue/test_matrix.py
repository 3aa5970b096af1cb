"""The evidence matrix (issue 11): cases × the nine UNICEF requirements for any /initiatives/
filter, each cell the alignment's strength and basis with its rationale and evidence, and the
same matrix as CSV (every matching case), read back with the csv module."""

import csv
import io
from html.parser import HTMLParser

import pytest

from catalogue.models import Initiative, Requirement, RequirementAlignment
from tests import factories

CONTENT_SAFETY = "tencent-content-safety-for-children"
SNOW_LEOPARD = "tencent-charity-foundation-snow-leopard-monitoring"


class Table(HTMLParser):
    """The matrix as a screen reader meets it: header cells with their scope, and per body row
    the row header's link and each cell's text."""

    def __init__(self):
        super().__init__()
        self.column_headers, self.rows, self._cell, self._in = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th" and attrs.get("scope") == "col":
            self._in, self._cell = "col", []
        elif tag == "th" and attrs.get("scope") == "row":
            self.rows.append({"cells": []})
            self._in, self._cell = "row", []
        elif tag == "td" and self.rows:
            self._in, self._cell = "td", []
        elif tag == "a" and self._in == "row":
            self.rows[-1]["href"] = attrs["href"]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in {"th", "td"} and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._in == "col":
                self.column_headers.append(text)
            elif self._in == "td":
                self.rows[-1]["cells"].append(text)
            self._cell, self._in = None, None


def table_of(response):
    assert response.status_code == 200
    table = Table()
    table.feed(response.content.decode())
    return table


def test_the_matrix_shows_the_same_cases_as_the_list_for_the_same_filter(client, shipped_catalogue, uncached):
    query = "sector=education&ordering=title"
    listed = [
        i.get_absolute_url() for i in client.get(f"/initiatives/?{query}").context["page_obj"].object_list
    ]

    table = table_of(client.get(f"/matrix/?{query}"))

    assert [row["href"] for row in table.rows] == listed
    assert table.column_headers == ["Initiative", *(f"R{n}" for n in range(1, 10))]


def test_each_cell_gives_strength_basis_rationale_and_evidence(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=CONTENT_SAFETY)
    alignments = {a.requirement.number: a for a in initiative.alignments.select_related("requirement")}
    assert alignments

    table = table_of(client.get(f"/matrix/?q={initiative.title.split(':')[0]}&ordering=title"))

    (row,) = [row for row in table.rows if row["href"] == initiative.get_absolute_url()]
    for number, text in enumerate(row["cells"], start=1):
        alignment = alignments.get(number)
        if alignment is None:
            assert "not addressed" in text
            continue
        assert (
            f"Requirement {number}: {alignment.get_strength_display()}, {alignment.get_basis_display()}"
            in text
        )
        assert alignment.rationale in text
        assert "Editorial assessment" in text
        if alignment.evidence_quote:
            assert " ".join(alignment.evidence_quote.split()) in text


def test_a_case_not_assessed_has_one_cell_saying_why(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)

    table = table_of(client.get(f"/matrix/?q={initiative.title.split(':')[0]}&ordering=title"))

    (row,) = [row for row in table.rows if row["href"] == initiative.get_absolute_url()]
    assert row["cells"] == ["No child-specific element: not assessed against the requirements."]


def test_the_list_links_to_its_matrix_and_back(client, shipped_catalogue):
    page = client.get("/initiatives/?sector=education").content.decode()
    assert 'href="/matrix/?sector=education"' in page

    matrix = client.get("/matrix/?sector=education").content.decode()
    assert 'href="/initiatives/?sector=education"' in matrix


@pytest.mark.parametrize("count", [2, 60])
def test_the_matrix_runs_the_same_queries_however_many_cases(
    client, db, uncached, django_assert_num_queries, count
):
    requirement = factories.make_requirement(number=3)
    factories.add_published(count, requirements=[requirement])

    # Count; page of cases; their alignments; their citations with sources; the nine
    # requirements (caching off: no data version is read for a cache key).
    with django_assert_num_queries(5):
        response = client.get("/matrix/")
    assert len(table_of(response).rows) == min(count, 50)


def test_invalid_filters_show_the_error_not_a_matrix(client, db):
    response = client.get("/matrix/?year_min=abc")

    assert response.status_code == 400
    assert "evidence-matrix" not in response.content.decode()


# --- CSV --------------------------------------------------------------------------------------


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_matrix_csv_holds_every_matching_case_with_each_cells_strength_and_basis(
    client, shipped_catalogue
):
    matrix = client.get("/matrix/?sector=education").content.decode()
    assert 'href="/matrix.csv?sector=education"' in matrix

    rows = rows_of(client.get("/matrix.csv?sector=education"))

    expected = Initiative.objects.published().filter(sectors__slug="education")
    assert sorted(row["slug"] for row in rows) == sorted(expected.values_list("slug", flat=True))
    alignments = RequirementAlignment.objects.filter(initiative__in=expected).select_related(
        "initiative", "requirement"
    )
    cells = {(a.initiative.slug, a.requirement.number): (a.strength, a.basis) for a in alignments}
    for row in rows:
        for number in range(1, 10):
            got = (row[f"r{number}_strength"], row[f"r{number}_basis"])
            assert got == cells.get((row["slug"], number), ("", ""))


def test_the_matrix_csv_is_not_one_page(client, db):
    factories.add_published(120, requirements=[factories.make_requirement(number=1)])

    rows = rows_of(client.get("/matrix.csv"))

    assert len(rows) == 120
    assert {row["r1_strength"] for row in rows} == {"addressed"}


def test_a_formula_title_is_neutralised_in_the_matrix_csv(client, db):
    factories.make_initiative(title='=HYPERLINK("http://x")')

    (row,) = rows_of(client.get("/matrix.csv"))

    assert row["title"].startswith("'=")


def test_the_matrix_csv_refuses_an_unknown_parameter_by_name(client, db):
    response = client.get("/matrix.csv?sectr=education")

    assert response.status_code == 400
    assert "sectr" in response.content.decode()


def test_requirement_columns_follow_the_requirements(client, shipped_catalogue):
    assert Requirement.objects.count() == 9
    header = b"".join(client.get("/matrix.csv").streaming_content).decode().splitlines()[0]
    assert header.split(",")[3:5] == ["r1_strength", "r1_basis"]


# --- A requirement's coverage -----------------------------------------------------------------


def test_a_requirement_page_shows_its_coverage_by_strength_basis_and_sector(client, shipped_catalogue):
    requirement = Requirement.objects.get(number=8)
    published = Initiative.objects.published()
    alignments = RequirementAlignment.objects.filter(requirement=requirement, initiative__in=published)

    context = client.get(requirement.get_absolute_url()).context

    shown = {
        (strength, basis): count for strength, counts in context["by_strength"] for basis, count in counts
    }
    for alignment_strength, strength_label in RequirementAlignment.Strength.choices:
        for basis, basis_label in RequirementAlignment.Basis.choices:
            expected = alignments.filter(strength=alignment_strength, basis=basis).count()
            assert shown[(strength_label, basis_label)] == expected
    for sector, count in context["sector_counts"]:
        assert count == published.filter(sectors=sector, requirements=requirement).distinct().count() > 0


def test_a_requirement_page_lists_every_requirement_least_covered_first(client, shipped_catalogue):
    requirement = Requirement.objects.get(number=1)

    least_covered = client.get(requirement.get_absolute_url()).context["least_covered"]

    published = Initiative.objects.published()
    counts = [published.filter(requirements=other).distinct().count() for other in least_covered]
    assert len(least_covered) == 9
    assert counts == sorted(counts)
    assert [other.initiative_count for other in least_covered] == counts


def test_a_requirement_page_counts_stated_and_inferred_apart(client, shipped_catalogue):
    requirement = Requirement.objects.get(number=8)
    alignments = RequirementAlignment.objects.of_published().filter(requirement=requirement)
    stated, inferred = alignments.filter(basis="stated").count(), alignments.filter(basis="inferred").count()
    assert stated  # the Tech Caravan, SenseTime and the district state it of children

    page = client.get(requirement.get_absolute_url()).content.decode()

    assert (
        f'R8 {requirement.title}</a> <span class="muted">'
        f"{stated + inferred}: {stated} stated + {inferred} inferred" in page.replace("&#x27;", "'")
    )
