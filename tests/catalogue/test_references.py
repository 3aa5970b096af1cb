"""Issue 11: citing a case. Each format is read back by the parser its users' tools use:
bibtexparser (BibTeX), rispy (RIS), citeproc-py (CSL-JSON), rdflib (the page's JSON-LD), and
an HTML parser for the meta tags Zotero and Google Scholar read."""

import json
import re
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.utils import translation
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from catalogue.models import Initiative, Source
from catalogue.references import Reference, ReferenceLookup
from tests import factories

SCHEMA = Namespace("https://schema.org/")
SNOW_LEOPARD = "tencent-charity-foundation-snow-leopard-monitoring"


def download(client, slug, format):
    response = client.get(f"/initiatives/{slug}/cite/{format}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content.decode("utf-8")


class Head(HTMLParser):
    """The <meta> tags and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.json_ld, self._in_json_ld = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.append((attrs.get("name") or attrs.get("property"), attrs["content"]))
        self._in_json_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_json_ld = False


def head_of(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def awkward_case(db):
    """A case whose title holds every character BibTeX treats specially, and Chinese."""
    source = factories.make_source(
        title="Report {2023}", publisher="UN & Co", url="https://example.org/r.pdf"
    )
    return factories.make_initiative(
        title="50% of {AI} & #1 $tools_for~kids^",
        title_zh="儿童人工智能",
        summary="Line one.\nLine two.",
        sources=[source],
    )


def test_bibtex_reads_back_with_bibtexparser_special_characters_included(client, awkward_case):
    text = download(client, awkward_case.slug, "bibtex")

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])

    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == f"casebook-{awkward_case.slug}"
    assert entry.entry_type == "misc"
    # pylatexenc decodes \textasciicircum (LaTeX's "^") as U+02C6, the modifier letter.
    assert entry["title"].strip("{}").replace("\u02c6", "^") == "50% of {AI} & #1 $tools_for~kids^"
    assert entry["url"] == f"http://testserver/initiatives/{awkward_case.slug}/"
    assert entry["year"] == str(awkward_case.updated_at.year)
    assert "Report {2023}" in entry["note"]


def test_bibtex_in_the_chinese_interface_carries_the_chinese_title(client, awkward_case):
    client.cookies["django_language"] = "zh-hans"

    library = bibtexparser.parse_string(download(client, awkward_case.slug, "bibtex"))

    assert library.entries[0]["title"] == "{儿童人工智能}"


def test_ris_reads_back_with_rispy(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)

    (entry,) = rispy.loads(download(client, SNOW_LEOPARD, "ris"))

    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == initiative.title
    assert entry["urls"] == [f"http://testserver{initiative.get_absolute_url()}"]
    assert set(entry["keywords"]) >= {sector.name for sector in initiative.sectors.all()}
    assert initiative.lead_organisation.name in entry["notes"][0]


def test_a_summary_with_line_breaks_stays_one_ris_field(client, awkward_case):
    (entry,) = rispy.loads(download(client, awkward_case.slug, "ris"))

    assert entry["abstract"] == "Line one. Line two."


def test_csl_json_renders_a_bibliography_with_citeproc(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)
    items = json.loads(download(client, SNOW_LEOPARD, "csl-json"))

    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]

    assert initiative.title in rendered
    assert "Casebook" in rendered
    assert str(initiative.updated_at.year) in rendered


def test_an_unknown_reference_format_is_a_404(client, shipped_catalogue):
    assert client.get(f"/initiatives/{SNOW_LEOPARD}/cite/endnote/").status_code == 404


def test_a_draft_has_no_reference(client, db):
    draft = factories.make_initiative(status=Initiative.Status.DRAFT)

    assert client.get(f"/initiatives/{draft.slug}/cite/bibtex/").status_code == 404


def test_the_case_page_suggests_a_citation_of_the_record_and_of_its_source(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)
    citation = initiative.citations.select_related("source").first()

    page = client.get(initiative.get_absolute_url()).content.decode()

    assert f"Casebook ({initiative.updated_at.date().isoformat()}). {initiative.title} [case study]." in page
    assert citation.location in page
    for format in ("bibtex", "ris", "csl-json"):
        assert f"/initiatives/{SNOW_LEOPARD}/cite/{format}/" in page


def test_the_case_page_links_out_to_the_original_document(client, awkward_case):
    page = client.get(awkward_case.get_absolute_url()).content.decode()

    assert '<a href="https://example.org/r.pdf" rel="external noopener">' in page


def test_the_case_page_has_the_meta_tags_reference_managers_read(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)

    meta = dict(head_of(client.get(initiative.get_absolute_url())).meta)

    assert meta["citation_title"] == initiative.title
    assert meta["citation_author"] == "Casebook"
    assert meta["citation_date"] == initiative.updated_at.strftime("%Y/%m/%d")
    assert meta["og:title"] == initiative.title
    assert meta["og:url"] == f"http://testserver{initiative.get_absolute_url()}"


def test_the_case_page_json_ld_is_linked_data_about_the_case_its_organisation_and_sources(
    client, shipped_catalogue
):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)
    (block,) = head_of(client.get(initiative.get_absolute_url())).json_ld

    graph = Graph().parse(data=block, format="json-ld")  # no network: the context is inline

    case = URIRef(f"http://testserver{initiative.get_absolute_url()}")
    assert (case, SCHEMA.name, Literal(initiative.title)) in graph
    creator = graph.value(case, SCHEMA.creator)
    assert graph.value(creator, SCHEMA.name) == Literal(initiative.lead_organisation.name)
    cited = {str(graph.value(node, SCHEMA.name)) for node in graph.objects(case, SCHEMA.citation)}
    sources = Source.objects.filter(citations__initiative=initiative)
    assert cited == set(sources.values_list("title", flat=True))


def test_json_ld_cannot_close_its_script_element(client, db):
    initiative = factories.make_initiative(title="</script><script>alert(1)</script>")

    page = client.get(initiative.get_absolute_url()).content.decode()

    (block,) = head_of(client.get(initiative.get_absolute_url())).json_ld
    assert json.loads(block)["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in page


def test_organisation_and_source_pages_describe_their_record_in_json_ld(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug=SNOW_LEOPARD)
    organisation = initiative.lead_organisation
    source = Source.objects.filter(citations__initiative=initiative).first()

    for record, kind in [(organisation, SCHEMA.Organization), (source, SCHEMA.CreativeWork)]:
        (block,) = head_of(client.get(record.get_absolute_url())).json_ld
        graph = Graph().parse(data=block, format="json-ld")
        node = URIRef(f"http://testserver{record.get_absolute_url()}")
        assert (node, SCHEMA.name, Literal(str(record))) in graph
        assert (node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), kind) in graph


# --- A whole list's references ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_list_export_writes_each_case_as_its_own_page_does(rf, shipped_catalogue, language):
    request = rf.get("/")
    with translation.override(language):
        lookup = ReferenceLookup(request)
        from_rows = {
            row["slug"]: Reference.from_row(row, lookup)
            for row in Initiative.objects.published().for_references()
        }
        from_pages = {
            initiative.slug: Reference.of(initiative, request)
            for initiative in Initiative.objects.for_detail()
        }

    assert len(from_rows) == 42
    assert from_rows == from_pages


@pytest.fixture
def thirty_in_a_sector(db):
    sector = factories.make_sector(slug="bulk-sector")
    source = factories.make_source()
    factories.add_published(30, sectors=[sector], sources=[source], prefix="bulk")
    factories.add_published(3, prefix="other")
    return sector


def test_the_list_bibtex_holds_every_matching_case_not_one_page(client, thirty_in_a_sector):
    page = client.get("/initiatives/?sector=bulk-sector")
    link = re.search(r'<a href="([^"]+)" download>BibTeX</a>', page.content.decode())[1].replace("&amp;", "&")

    response = client.get(link)

    assert response.streaming
    library = bibtexparser.parse_string(b"".join(response.streaming_content).decode())
    assert not library.failed_blocks
    assert sorted(entry.key for entry in library.entries) == sorted(f"casebook-bulk-{n}" for n in range(30))


def test_the_list_ris_reads_back_with_rispy(client, thirty_in_a_sector):
    response = client.get("/initiatives/export/ris/?sector=bulk-sector")

    entries = rispy.loads(b"".join(response.streaming_content).decode())

    assert len(entries) == 30
    assert all(entry["type_of_reference"] == "ELEC" for entry in entries)


@pytest.mark.parametrize("count", [3, 30])
def test_a_list_export_runs_the_same_queries_however_long(client, db, django_assert_num_queries, count):
    sector = factories.make_sector(slug="bulk-sector")
    factories.add_published(count, sectors=[sector], sources=[factories.make_source()])

    # The data version (the cache's key), the sector slug's check, the sectors', technologies'
    # and sources' names, the rows.
    with django_assert_num_queries(6):
        response = client.get("/initiatives/export/ris/?sector=bulk-sector")
        assert len(rispy.loads(b"".join(response.streaming_content).decode())) == count


def test_a_list_export_refuses_unknown_parameters_and_formats(client, db):
    response = client.get("/initiatives/export/ris/?secter=x")
    assert response.status_code == 400
    assert "secter" in response.content.decode()
    assert client.get("/initiatives/export/docx/").status_code == 404
