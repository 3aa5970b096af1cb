"""Every field of the shipped catalogue says where it comes from (issue 12, section 4): the
rules fixtures/README.md writes down under "Provenance", checked against the fixture files
and the seed documents themselves."""

import pytest

from catalogue.models import Initiative

from .shipped import INITIATIVES, found_in

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
