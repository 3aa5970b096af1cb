"""A source's text with the passages the catalogue quotes highlighted (issue 11): every quote
found in its document, anchored so a case page or matrix cell links straight to it."""

import html
import re

from catalogue.models import Citation, Initiative, RequirementAlignment, Source
from catalogue.passages import Passage, locate, marked_text
from tests import factories


def anchors_of(response):
    assert response.status_code == 200
    return set(re.findall(r'<span class="anchor" id="([^"]+)"></span>', response.content.decode()))


def test_every_shipped_quote_is_found_and_anchored_in_its_document(client, shipped_catalogue):
    for source in Source.objects.exclude(file_name=""):
        response = client.get(f"/sources/{source.slug}/text/")
        anchors = anchors_of(response)

        published = Initiative.objects.published()
        citations = Citation.objects.filter(source=source, initiative__in=published).exclude(quote="")
        assert {f"citation-{pk}" for pk in citations.values_list("pk", flat=True)} <= anchors
        assert not re.search(
            r"\d+ quotes? not found", client.get(f"/sources/{source.slug}/text/").content.decode()
        )


def test_a_case_pages_links_land_on_their_passages(client, shipped_catalogue):
    initiative = Initiative.objects.get(slug="tencent-charity-foundation-snow-leopard-monitoring")
    page = client.get(initiative.get_absolute_url()).content.decode()

    links = re.findall(r'href="(/sources/[^"#]+/text/)#([^"]+)"', page)

    assert links
    for path, anchor in links:
        assert anchor in anchors_of(client.get(path))
    alignment_pks = RequirementAlignment.objects.filter(initiative=initiative).exclude(evidence_quote="")
    assert {f"alignment-{pk}" for pk in alignment_pks.values_list("pk", flat=True)} <= {a for _, a in links}


def test_a_source_whose_text_may_not_be_shown_has_no_text_page(client, db):
    source = factories.make_source(file_name="000_8ce5b961cee3020c.txt", show_text=False)

    assert client.get(f"/sources/{source.slug}/text/").status_code == 404
    assert "/text/" not in client.get(source.get_absolute_url()).content.decode()


def test_a_file_name_cannot_reach_outside_the_seeds_folder(client, db):
    source = factories.make_source(file_name="../../casebook/settings.py", show_text=True)

    assert source.text() is None
    assert client.get(f"/sources/{source.slug}/text/").status_code == 404


def test_quotes_are_found_across_line_breaks_and_spacing():
    text = "The plan   says:\nchildren\tcome first, always."

    assert locate(text, "children come first") == (17, 36)
    assert locate(text, "not in the text") is None


def test_overlapping_passages_share_one_mark_and_keep_both_anchors():
    case = Initiative(title="A case")
    passages = [Passage("citation-1", "alpha beta gamma", case), Passage("alignment-2", "gamma delta", case)]

    rendered, not_found = marked_text("alpha beta gamma delta <b>", passages)

    assert not not_found
    assert rendered.count("<mark") == 1
    assert 'id="citation-1"' in rendered and 'id="alignment-2"' in rendered
    assert "&lt;b&gt;" in rendered  # the document's own text is escaped
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == "alpha beta gamma delta <b>"
