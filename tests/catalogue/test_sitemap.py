"""robots.txt and sitemap.xml (issue 11): a search engine finds every published case once,
and no draft, by following the sitemap index from robots.txt."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from catalogue.models import Initiative, Publication, Sector
from catalogue.sitemaps import SITEMAPS
from tests import factories

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def path_of(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    # Our own sitemap, not untrusted XML.
    return [loc.text for loc in ET.fromstring(response.content).iterfind(".//sm:loc", NS)]  # noqa: S314


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_accounts(client, db):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /accounts/", "Disallow: /review/"} <= set(lines)


def test_the_sitemap_lists_every_published_case_once_across_its_pages(client, monkeypatch, db):
    monkeypatch.setattr(SITEMAPS["initiatives"], "limit", 10)
    sector = factories.make_sector()
    factories.add_published(25, sectors=[sector])
    draft = factories.make_initiative(status=Initiative.Status.DRAFT)

    sections = locations(client, "/sitemap.xml")
    pages = [path_of(url) for url in sections if "/sitemap-initiatives.xml" in url]
    listed = [path_of(url) for page in pages for url in locations(client, page)]

    assert len(pages) == 3
    expected = {initiative.get_absolute_url() for initiative in Initiative.objects.published()}
    assert sorted(listed) == sorted(expected)
    assert draft.get_absolute_url() not in listed
    assert sector.get_absolute_url() in {
        path_of(url) for url in locations(client, path_of(next(u for u in sections if "sector" in u)))
    }


def test_a_vocabulary_record_without_published_cases_is_not_in_the_sitemap(client, db):
    unused = factories.make_sector()
    factories.make_initiative(sectors=[factories.make_sector()])

    listed = {path_of(url) for url in locations(client, "/sitemap-sector.xml")}

    assert unused.get_absolute_url() not in listed
    assert len(listed) == Sector.objects.filter(Sector.in_use_condition()).count() == 1


def test_the_tasks_of_published_tools_are_in_the_sitemap(client, db):
    factories.make_tool_profile(factories.make_initiative(), tasks=["triage"])
    factories.make_tool_profile(factories.make_initiative(status="draft"), tasks=["detection"])

    listed = {path_of(url) for url in locations(client, "/sitemap-task.xml")}

    assert listed == {"/tasks/triage/"}


def test_every_report_and_event_is_in_the_sitemap(client, shipped_catalogue):
    listed = {path_of(url) for url in locations(client, "/sitemap-publications.xml")}

    assert listed == {publication.get_absolute_url() for publication in Publication.objects.all()}
