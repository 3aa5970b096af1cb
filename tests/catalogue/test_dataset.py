"""The dataset version (issue 12, section 4): the editors' releases with what each added,
corrected or withdrawn, on a public page, and named, with the licence, by the API and by
every download."""

import datetime

from django.urls import reverse

from catalogue import bulk, dataset
from catalogue.revisions import catalogue_version

DATASET = reverse("catalogue:dataset")


def test_every_release_says_when_and_what_it_added_corrected_or_withdrew():
    releases = dataset.releases()

    versions = [tuple(int(part) for part in release["version"].split(".")) for release in releases]
    dates = [datetime.date.fromisoformat(release["date"]) for release in releases]
    assert versions == sorted(versions, reverse=True) and dates == sorted(dates, reverse=True)
    assert dataset.current_version() == releases[0]["version"]
    for release in releases:
        assert release["summary"] and release["changes"]
        assert {change["kind"] for change in release["changes"]} <= set(dataset.KINDS)
    # The corrections of issue 12's sections 1 and 3, with the numbers a reader can check.
    (issue_12,) = [release for release in releases if release["version"] == "1.1.0"]
    corrections = " ".join(change["text"] for change in issue_12["changes"])
    assert "65 alignments became 30" in corrections
    assert "Chongqing" in corrections and "Idol Plan" in corrections


def test_the_dataset_page_lists_each_release_and_is_linked_from_about_and_downloads(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the data revision
        page = client.get(DATASET).content.decode()

    for release in dataset.releases():
        assert f'id="release-{release["version"].replace(".", "")}"' in page
    assert "Withdrawn" in page and "Corrected" in page and "Added" in page
    assert bulk.LICENCE["path"] in page
    assert f'href="{DATASET}"' in client.get("/about/").content.decode()
    assert f'href="{DATASET}"' in client.get("/downloads/").content.decode()


def test_the_api_root_names_the_dataset_version_and_the_licence(client, db):
    root = client.get("/api/v1/").json()

    assert root["dataset_version"] == dataset.current_version()
    assert root["dataset_changelog"] == f"http://testserver{DATASET}"
    assert root["licence"] == bulk.LICENCE
    assert "source documents' terms" in root["quoted_text"]


def test_the_data_package_names_the_release_and_the_revision(shipped_catalogue, settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path

    descriptor = bulk.descriptor(catalogue_version(), datetime.datetime.now(datetime.UTC))

    assert descriptor["version"] == f"{dataset.current_version()}+revision.{catalogue_version().number}"


def test_every_download_and_api_answer_names_its_licence_and_dataset_version(
    client, shipped_catalogue, settings, tmp_path
):
    settings.DOWNLOADS_DIR = tmp_path
    bulk.write_downloads()
    licence = f'<{bulk.LICENCE["path"]}>; rel="license"'
    data = [
        "/api/v1/",
        "/api/v1/initiatives/",
        "/api/v1/initiatives/?format=csv",
        "/initiatives/export/json/?sector=education",
        "/initiatives/export/ris/",
        "/initiatives/iflytek-suzhou-dialect/cite/bibtex/",
        "/api/v1/sectors/",
        "/matrix.csv",
        "/vocabularies/sectors.ttl",
        "/downloads/initiatives.csv",
        "/downloads/datapackage.json",
    ]

    for url in data:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Casebook-Dataset-Version"] == dataset.current_version(), url
        assert licence in response["Link"], url
    # A page is not a download: its licence is on the About page.
    assert "Casebook-Dataset-Version" not in client.get("/initiatives/")
