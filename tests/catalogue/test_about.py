"""The About page (issue 11): what the catalogue holds and from where, what "stated" and
"inferred" mean, the licences, how to cite it, and what changed in the data."""

import html
import re

from catalogue.models import Initiative, Source
from catalogue.revisions import catalogue_version
from tests import factories


def text_of(response):
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_about_says_what_the_catalogue_holds_and_from_which_documents(client, shipped_catalogue):
    text = text_of(client.get("/about/"))

    assert "Casebook holds 42 published case studies" in text
    for source in Source.objects.in_use():
        assert source.title in text
    assert "Stated in the source" in text and "Editorial inference" in text
    assert "MIT licence" in text and "CC BY 4.0" in text


def test_about_cites_the_catalogue_at_its_data_version_and_lists_recent_changes(client, shipped_catalogue):
    changed = factories.make_initiative(title="Changed a moment ago")
    version = catalogue_version()

    text = text_of(client.get("/about/"))

    assert f"Data version {version.number} ({version.changed_at:%Y-%m-%d})" in text
    recent = text[text.index("Cases changed most recently") :]
    assert recent.split(" · ")[0].endswith(changed.title)
    assert Initiative.objects.published().count() == 43


def test_every_page_links_to_about(client, db):
    assert 'href="/about/"' in client.get("/").content.decode()
