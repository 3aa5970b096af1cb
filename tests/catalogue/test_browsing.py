"""Browsing as researchers do it (issue 16, first steps): a reversed year range is said to be
one, every tag on a result links to its filtered list, organisations sort as readers expect."""

import re

from catalogue.models import Organisation
from tests import factories


def test_a_reversed_year_range_is_an_error_on_the_page_and_in_the_api(client, db):
    page = client.get("/initiatives/?year_min=2020&year_max=2010")
    api = client.get("/api/v1/initiatives/?year_min=2020&year_max=2010")

    assert page.status_code == 400
    assert "2010 is before 2020" in page.content.decode()
    assert api.status_code == 400
    assert (
        "year_max" in api.json()["errors"] if "errors" in api.json() else "year_max" in api.content.decode()
    )


def test_a_tag_on_a_result_links_to_its_filtered_list(client, db):
    sector = factories.make_sector(slug="health", name="Health")
    technology = factories.make_technology(slug="speech", name="Speech")
    factories.make_initiative(sectors=[sector], technologies=[technology])

    page = client.get("/initiatives/").content.decode()

    assert re.search(r'<li class="tag tag-sector"><a href="/initiatives/\?sector=health">Health</a>', page)
    assert re.search(r'<li class="tag"><a href="/initiatives/\?technology=speech">Speech</a>', page)


def test_organisations_sort_without_regard_to_case(client, db):
    for name in ["Zhejiang Foundation", "iFLYTEK", "vivo", "Alibaba", "Huawei"]:
        organisation = factories.make_organisation(name=name)
        factories.make_initiative(lead_organisation=organisation)

    names = [organisation.name for organisation in client.get("/organisations/").context["object_list"]]

    assert names == ["Alibaba", "Huawei", "iFLYTEK", "vivo", "Zhejiang Foundation"]
    assert list(Organisation.objects.values_list("name", flat=True)) == names
