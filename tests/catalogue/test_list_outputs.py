"""Issue 11, first step: an index page for every vocabulary, and on every list of initiatives
"Download this list" (the API's CSV of every matching record) and an Atom feed of the same
filter, read here with the parsers a researcher would use (csv, feedparser)."""

import csv
import io
import re
from html.parser import HTMLParser

import feedparser
import pytest
from django.core.exceptions import ValidationError

from catalogue.models import BeneficiaryGroup, Initiative, Requirement, Sector, Source, Technology
from catalogue.models.initiatives import validate_not_reserved
from tests import factories

INDEXES = [
    ("/requirements/", Requirement),
    ("/sectors/", Sector),
    ("/technologies/", Technology),
    ("/beneficiaries/", BeneficiaryGroup),
    ("/sources/", Source),
]


class Links(HTMLParser):
    """Every <a href> and <link rel=alternate> of a page, as a browser sees them."""

    def __init__(self):
        super().__init__()
        self.anchors, self.alternates = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.anchors.append(attrs["href"])
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type"), attrs["href"]))


def links_of(response):
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def download_link(response, text):
    """The href of the "Download this list" link labelled `text`."""
    block = re.search(r'class="list-downloads">(.*?)</p>', response.content.decode(), re.S)
    assert block, "no 'Download this list' links on the page"
    hrefs = dict((label, href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block[1]))
    return hrefs[text].replace("&amp;", "&")


# --- Index pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "model"), INDEXES)
def test_each_vocabulary_has_an_index_with_the_published_count_of_each_record(
    client, shipped_catalogue, url, model
):
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    records = list(model.objects.all())
    assert records
    for record in records:
        published = (
            Initiative.objects.published().filter(model.initiatives_matching(record)).distinct().count()
        )
        item = re.search(rf'<li><a href="{re.escape(record.get_absolute_url())}"[^>]*>.*?</li>', page, re.S)
        assert item, f"{record} is not on {url}"
        assert f"{published} initiative" in item[0]


def test_the_footer_of_every_page_leads_to_every_index(client, shipped_catalogue):
    anchors = links_of(client.get("/initiatives/")).anchors

    for url, _ in INDEXES:
        assert url in anchors
        assert client.get(url).status_code == 200


def test_a_record_page_leads_back_to_its_index(client, shipped_catalogue):
    sector = Sector.objects.get(slug="education")

    anchors = links_of(client.get(sector.get_absolute_url())).anchors

    assert "/sectors/" in anchors


@pytest.mark.parametrize(("url", "model"), INDEXES)
def test_an_index_page_runs_a_fixed_number_of_queries(
    client, shipped_catalogue, uncached, django_assert_num_queries, url, model
):
    # the page count, the records with their counts (caching off: no data version for a key)
    with django_assert_num_queries(2):
        client.get(url)


# --- Download this list -----------------------------------------------------------------------


@pytest.fixture
def two_pages_of_one_sector(db):
    sector = factories.make_sector(slug="bulk-sector", name="Bulk sector")
    factories.add_published(45, sectors=[sector], prefix="bulk")
    factories.add_published(5, prefix="other")
    return sector


def test_list_csv_link_downloads_every_matching_initiative_not_one_page(
    client, uncached, two_pages_of_one_sector
):
    page = client.get("/initiatives/?sector=bulk-sector&ordering=title&page=2")
    assert len(page.context["page_obj"].object_list) < 45

    response = client.get(download_link(page, "CSV"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 45
    assert {row["slug"] for row in rows} == {f"bulk-{n}" for n in range(45)}


def test_a_vocabulary_page_downloads_its_own_initiatives(client, two_pages_of_one_sector):
    page = client.get("/sectors/bulk-sector/")

    response = client.get(download_link(page, "CSV"))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 45


def test_no_download_links_while_the_filters_are_invalid(client, two_pages_of_one_sector):
    page = client.get("/initiatives/?year_min=abc")

    assert page.status_code == 400
    assert "list-downloads" not in page.content.decode()


# --- Atom feed --------------------------------------------------------------------------------


def feed_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_list_page_announces_a_feed_of_its_own_filter(client, shipped_catalogue):
    page = client.get("/initiatives/?sector=education&requirement=8")

    alternates = links_of(page).alternates
    assert ("application/atom+xml", "/initiatives/feed/?sector=education&requirement=8") in [
        (kind, href.replace("&amp;", "&")) for kind, href in alternates
    ]
    assert download_link(page, "Atom feed") == "/initiatives/feed/?sector=education&requirement=8"


def test_the_feed_holds_the_filtered_initiatives_newest_published_first(client, shipped_catalogue):
    expected = list(
        Initiative.objects.published().filter(sectors__slug="education").order_by("-published_at", "-pk")[:50]
    )

    feed = feed_of(client, "/initiatives/feed/?sector=education")

    assert [entry.link for entry in feed.entries] == [
        f"http://testserver{i.get_absolute_url()}" for i in expected
    ]
    assert feed.entries[0].title == expected[0].title
    assert "Education" in " ".join(tag.term for tag in feed.entries[0].tags)


def test_a_newly_published_case_heads_the_feed(client, shipped_catalogue):
    newest = factories.make_initiative(title="Newest case", sectors=[Sector.objects.get(slug="education")])

    feed = feed_of(client, "/initiatives/feed/?sector=education")

    assert feed.entries[0].title == "Newest case"
    assert feed.entries[0].link.endswith(newest.get_absolute_url())


def test_the_feed_speaks_chinese_in_the_chinese_interface(client, shipped_catalogue):
    client.cookies["django_language"] = "zh-hans"
    with_chinese = Initiative.objects.published().filter(title_zh_hans__gt="")
    assert with_chinese.exists()

    feed = feed_of(client, "/initiatives/feed/")  # all 42 shipped cases

    titles = {entry.title for entry in feed.entries}
    assert {initiative.title_zh for initiative in with_chinese} <= titles


def test_the_feed_refuses_an_unknown_parameter_by_name(client, db):
    response = client.get("/initiatives/feed/?secter=education")

    assert response.status_code == 400
    assert "secter" in response.content.decode()


def test_no_initiative_can_take_the_feeds_address():
    with pytest.raises(ValidationError):
        validate_not_reserved("feed")
