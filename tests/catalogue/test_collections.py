"""Collections (issue 11): a signed-in reader saves a filtered list; its cases are frozen as
they read then; anyone with the address reads, cites and downloads it; later changes show as
"updated since" without changing the collection."""

import csv
import html
import io
import re

import bibtexparser
import pytest
import rispy

from catalogue.models import Collection, Initiative
from tests import factories

QUERY = "sector=education&requirement=8"


@pytest.fixture
def reader(client, db):
    user = factories.make_partner(confirmed=True)
    client.force_login(user)
    return user


def save(client, query=QUERY, name="WIC education cases, R8", note="For chapter 3."):
    response = client.post("/collections/new/", {"name": name, "note": note, "query": query})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Collection.objects.get(key=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_reader_goes_from_a_filtered_list_to_a_saved_collection(client, shipped_catalogue, reader):
    page = client.get(f"/initiatives/?{QUERY}").content.decode()
    link = re.search(r'<a href="(/collections/new/\?[^"]+)">Save as a collection</a>', page)[1]
    form = client.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    assert f'value="{QUERY.replace("&", "&amp;")}"' in form.content.decode()

    collection = save(client)

    expected = (
        Initiative.objects.published().filter(sectors__slug="education", requirements__number=8).distinct()
    )
    assert collection.items.count() == expected.count() > 0
    assert {item.slug for item in collection.items.all()} == set(expected.values_list("slug", flat=True))
    assert collection.owner == reader


def test_saving_needs_an_account(client, shipped_catalogue):
    response = client.post("/collections/new/", {"name": "x", "query": QUERY})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Collection.objects.exists()


def test_anyone_with_the_address_reads_and_cites_it(client, shipped_catalogue, reader):
    collection = save(client)
    client.logout()

    page = client.get(collection.get_absolute_url())

    text = page.content.decode()
    assert page.status_code == 200
    assert "WIC education cases, R8" in text
    assert f"a collection of {collection.items.count()} cases, saved" in text
    assert f"http://testserver{collection.get_absolute_url()}" in text


def test_a_collection_stays_frozen_and_shows_what_changed_since(client, shipped_catalogue, reader):
    collection = save(client)
    first = collection.items.first()
    initiative = first.initiative
    old_title = initiative.title
    initiative.title = "Renamed after saving"
    initiative.save()
    withdrawn = collection.items.last().initiative
    withdrawn.status = Initiative.Status.ARCHIVED
    withdrawn.save()

    text = html.unescape(client.get(collection.get_absolute_url()).content.decode())

    assert old_title in text
    assert "Renamed after saving" not in text
    assert "updated since saved" in text
    assert "no longer published" in text
    library = bibtexparser.parse_string(
        b"".join([client.get(f"{collection.get_absolute_url()}download/bibtex/").content]).decode()
    )
    titles = {entry["title"].strip("{}") for entry in library.entries}
    assert old_title in titles
    assert "Renamed after saving" not in titles


def test_a_collection_downloads_in_every_format(client, shipped_catalogue, reader):
    collection = save(client)
    count = collection.items.count()
    base = f"{collection.get_absolute_url()}download"

    bib = bibtexparser.parse_string(client.get(f"{base}/bibtex/").content.decode())
    ris = rispy.loads(client.get(f"{base}/ris/").content.decode())
    csl = client.get(f"{base}/csl-json/").json()
    response = client.get(f"{base}/csv/")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert len(bib.entries) == len(ris) == len(csl) == len(rows) == count
    assert [row["slug"] for row in rows] == [item.slug for item in collection.items.all()]
    assert client.get(f"{base}/pdf/").status_code == 404


def test_a_collection_keeps_chinese_titles_for_the_chinese_interface(client, shipped_catalogue, reader):
    collection = save(client)
    with_chinese = [item for item in collection.items.all() if item.initiative.title_zh]
    assert with_chinese

    client.cookies["django_language"] = "zh-hans"
    text = html.unescape(client.get(collection.get_absolute_url()).content.decode())

    assert with_chinese[0].initiative.title_zh in text


def test_a_list_too_long_for_a_collection_is_a_form_error(client, db, reader, monkeypatch):
    monkeypatch.setattr(Collection, "MAX_ITEMS", 5)
    factories.add_published(6)

    response = client.post("/collections/new/", {"name": "Everything", "query": ""})

    assert response.status_code == 200
    assert "holds 6 cases; a collection holds at most 5" in response.content.decode()
    assert not Collection.objects.exists()


def test_invalid_filters_are_a_form_error(client, db, reader):
    response = client.post("/collections/new/", {"name": "Bad", "query": "year_min=abc"})

    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert not Collection.objects.exists()


def test_my_collections_lists_only_mine(client, shipped_catalogue, reader):
    mine = save(client, name="Mine")
    other = factories.make_partner(confirmed=True)
    Collection.objects.create(owner=other, name="Someone else's")

    text = client.get("/collections/").content.decode()

    assert mine.get_absolute_url() in text
    assert "Someone else" not in text


def make_french_case():
    return factories.make_initiative(
        title="Reading Buddy",
        title_fr="Compagnon de lecture",
        summary="Reads stories aloud.",
        summary_fr="Lit des histoires à voix haute.",
        text_origins={"fr": "partner"},
    )


def test_a_collection_in_french_says_it_shows_an_english_only_case_in_english(client, reader):
    make_french_case()
    factories.make_initiative(title="Sign Language Tutor")
    collection = save(client, query="")
    client.cookies["django_language"] = "fr"

    page = client.get(collection.get_absolute_url()).content.decode()

    assert page.count('class="content-language-note"') == 1
    assert "Certaines fiches de cette page ne sont pas disponibles en français" in page
    assert 'lang="en">Sign Language Tutor</a>' in page
    assert 'lang="fr">Compagnon de lecture</a>' in page


def test_a_collection_of_cases_all_in_french_shows_them_in_french_without_the_notice(client, reader):
    make_french_case()
    collection = save(client, query="")
    client.cookies["django_language"] = "fr"

    page = client.get(collection.get_absolute_url()).content.decode()

    assert 'lang="fr">Compagnon de lecture</a>' in page
    assert '<p lang="fr">Lit des histoires à voix haute.</p>' in page
    assert "content-language-note" not in page


def test_a_collection_saved_before_french_was_kept_shows_english_and_says_so(client, reader):
    make_french_case()
    collection = save(client, query="")
    item = collection.items.get()
    item.references = {language: item.references[language] for language in ("en", "zh-hans")}
    item.save()
    client.cookies["django_language"] = "fr"

    page = client.get(collection.get_absolute_url()).content.decode()

    assert 'lang="en">Reading Buddy</a>' in page
    assert page.count('class="content-language-note"') == 1
    assert "Non disponible en français" in page


def test_a_collection_saved_before_references_said_their_language_keeps_its_chinese(client, reader):
    factories.make_initiative(title="Reading Buddy", title_zh="阅读伙伴", summary_zh="朗读故事。")
    collection = save(client, query="")
    item = collection.items.get()
    item.references = {
        language: {key: value for key, value in item.references[language].items() if key != "languages"}
        for language in ("en", "zh-hans")
    }
    item.save()
    client.cookies["django_language"] = "zh-hans"

    page = client.get(collection.get_absolute_url()).content.decode()

    assert 'lang="zh-Hans">阅读伙伴</a>' in page
    assert "content-language-note" not in page
