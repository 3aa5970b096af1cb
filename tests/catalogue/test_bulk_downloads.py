"""/downloads/ (issue 11): the whole published catalogue as nested JSON and a CSV per table,
described by a Frictionless Data Package that frictionless validates (types, keys, foreign
keys); rewritten by the worker after a publish, never inside the editor's request."""

import csv
import json
import tracemalloc

import pytest
from frictionless import validate

from catalogue import bulk, dataset
from catalogue.models import Initiative, RequirementAlignment
from catalogue.revisions import catalogue_version
from tests import factories


@pytest.fixture
def downloads(settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    return settings.DOWNLOADS_DIR


def test_the_data_package_is_valid_and_holds_every_published_case(shipped_catalogue, downloads):
    draft = factories.make_initiative(status=Initiative.Status.DRAFT, title="=cmd|' /C calc'!A0")

    version = bulk.write_downloads()

    report = validate(str(downloads / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((downloads / "datapackage.json").read_text())
    assert package["version"] == f"{dataset.current_version()}+revision.{version}"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert "Quoted source text" in package["description"]
    with (downloads / "initiatives.csv").open(encoding="utf-8") as file:
        slugs = [row["slug"] for row in csv.DictReader(file)]
    assert sorted(slugs) == sorted(Initiative.objects.published().values_list("slug", flat=True))
    assert draft.slug not in slugs


def test_the_json_nests_each_case_with_its_evidence_citations_and_figures(shipped_catalogue, downloads):
    bulk.write_downloads()

    document = json.loads((downloads / "casebook.json").read_text(encoding="utf-8"))

    assert document["version"] == catalogue_version().number
    assert document["dataset_version"] == dataset.current_version()
    assert document["licence"] == bulk.LICENCE
    by_slug = {record["slug"]: record for record in document["initiatives"]}
    assert len(by_slug) == Initiative.objects.published().count() == 42
    initiative = Initiative.objects.published().filter(alignments__evidence_quote__gt="").first()
    record = by_slug[initiative.slug]
    alignment = RequirementAlignment.objects.filter(initiative=initiative).exclude(evidence_quote="").first()
    assert {
        "requirement": alignment.requirement.number,
        "strength": alignment.strength,
        "basis": alignment.basis,
        "rationale": alignment.rationale,
        "evidence_quote": alignment.evidence_quote,
        "evidence_location": alignment.evidence_location,
        "made_by": "editors",
    } in record["alignments"]
    assert sorted(record["sectors"]) == sorted(initiative.sectors.values_list("slug", flat=True))
    assert len(record["citations"]) == initiative.citations.count()
    assert record["title_zh"] == initiative.title_zh  # Chinese intact


def test_a_publish_rewrites_the_downloads_through_the_task_queue(
    shipped_catalogue, downloads, settings, django_capture_on_commit_callbacks
):
    settings.DOWNLOADS_AUTO_REGENERATE = True
    bulk.write_downloads()
    before = bulk.written_version()

    # Tasks run when enqueued in the tests; the enqueue itself waits for the commit.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.make_initiative(title="Published after the last export")
        assert bulk.written_version() == before  # nothing inside the change's transaction

    assert len(callbacks) == 1  # one rewrite however many rows the change touched
    assert bulk.written_version() == catalogue_version().number != before
    assert "Published after the last export" in (downloads / "casebook.json").read_text(encoding="utf-8")


def test_the_downloads_page_offers_the_files_and_serves_them(client, shipped_catalogue, downloads):
    first = client.get("/downloads/")  # nothing written yet: the worker is asked (inline in tests)
    assert "being prepared" in first.content.decode()

    page = client.get("/downloads/").content.decode()

    release, revision = dataset.current_version(), catalogue_version().number
    assert f"These files hold dataset version {release}, data revision {revision}" in page
    for name in ["casebook.json", "datapackage.json", "initiatives.csv", "alignments.csv"]:
        assert f'href="/downloads/{name}"' in page
    response = client.get("/downloads/initiatives.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get("/downloads/../settings.py").status_code == 404
    assert client.get("/downloads/VERSION").status_code == 404


def test_a_lists_json_holds_every_matching_case_as_downloads_does(client, shipped_catalogue, downloads):
    page = client.get("/initiatives/?sector=education").content.decode()
    assert 'href="/initiatives/export/json/?sector=education"' in page

    response = client.get("/initiatives/export/json/?sector=education")

    records = json.loads(b"".join(response.streaming_content))
    expected = Initiative.objects.published().filter(sectors__slug="education")
    assert sorted(r["slug"] for r in records) == sorted(expected.values_list("slug", flat=True))
    bulk.write_downloads()
    whole = {r["slug"]: r for r in json.loads((downloads / "casebook.json").read_text())["initiatives"]}
    assert all(record == whole[record["slug"]] for record in records)


def _peak_memory_writing_downloads(settings, folder):
    settings.DOWNLOADS_DIR = folder
    tracemalloc.start()
    try:
        bulk.write_downloads()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_the_downloads_takes_no_more_memory_for_a_four_times_larger_catalogue(
    db, settings, tmp_path, monkeypatch
):
    """At 100,000 initiatives the whole casebook.json used to be built in memory (~1 GB);
    the files are now streamed a chunk of initiatives at a time (issue 9)."""
    monkeypatch.setattr(bulk, "CHUNK_SIZE", 50, raising=False)  # small chunks, to keep the test fast
    shared = {
        "sectors": [factories.make_sector(), factories.make_sector()],
        "technologies": [factories.make_technology()],
        "requirements": [factories.make_requirement(number) for number in (1, 2, 3)],
        "sources": [factories.make_source(), factories.make_source()],
    }
    factories.add_published(150, prefix="first", **shared)
    small = _peak_memory_writing_downloads(settings, tmp_path / "small")

    factories.add_published(450, prefix="more", **shared)
    large = _peak_memory_writing_downloads(settings, tmp_path / "large")

    document = json.loads((tmp_path / "large" / "casebook.json").read_text(encoding="utf-8"))
    assert len(document["initiatives"]) == 600
    assert large < small * 1.3, f"peak {small / 1e6:.2f} MB for 150 cases, {large / 1e6:.2f} MB for 600"


def test_the_json_takes_the_same_queries_for_each_chunk_of_cases(db, monkeypatch, django_assert_num_queries):
    """One query for the cases, then one per related table for each chunk: never one per case."""
    monkeypatch.setattr(bulk, "CHUNK_SIZE", 10)
    factories.add_published(
        35,
        sectors=[factories.make_sector()],
        requirements=[factories.make_requirement()],
        sources=[factories.make_source()],
    )

    # 4 chunks, each with its tool profiles (none here: their tasks and safeguards are not read)
    with django_assert_num_queries(1 + 4 * (len(bulk.NESTED) + 1)):
        records = list(bulk.nested_records(Initiative.objects.published()))

    assert len(records) == 35
    assert all(
        len(record["sectors"]) == len(record["alignments"]) == len(record["citations"]) == 1
        for record in records
    )


def test_a_failure_while_writing_leaves_the_previous_files_served_and_nothing_behind(
    client, shipped_catalogue, downloads, monkeypatch
):
    bulk.write_downloads()
    before = {path.name: path.read_bytes() for path in downloads.iterdir()}
    factories.make_initiative(title="Published after the last export")
    original, calls = bulk._countries, []

    def failing_halfway(value):  # called once per case, while casebook.json is being written
        calls.append(value)
        if len(calls) == 20:
            raise OSError("No space left on device")
        return original(value)

    monkeypatch.setattr(bulk, "_countries", failing_halfway)

    with pytest.raises(OSError, match="No space left"):
        bulk.write_downloads()

    assert {path.name: path.read_bytes() for path in downloads.iterdir()} == before
    assert [path.name for path in downloads.parent.iterdir()] == [downloads.name]  # no half-written copy
    response = client.get("/downloads/casebook.json")
    assert b"".join(response.streaming_content) == before["casebook.json"]


def test_the_downloads_hold_the_reports_and_events_with_the_cases_they_feature(shipped_catalogue, downloads):
    # The reports the seeds are about are records (issue 12 §2): the bulk files carry them,
    # their quoted findings and organisations, and which published cases each features.
    from catalogue.models import FeaturedInitiative, Publication

    bulk.write_downloads()

    package = json.loads((downloads / "datapackage.json").read_text())
    names = {resource["name"] for resource in package["resources"]}
    assert {
        "publications",
        "publication_items",
        "publication_organisations",
        "publication_initiatives",
    } <= names
    with (downloads / "publications.csv").open(encoding="utf-8") as file:
        assert sorted(row["slug"] for row in csv.DictReader(file)) == sorted(
            Publication.objects.values_list("slug", flat=True)
        )
    catalogue = json.loads((downloads / "casebook.json").read_text())
    report = next(
        p for p in catalogue["publications"] if p["slug"] == "application-of-ai-for-children-report-2021"
    )
    featured = FeaturedInitiative.objects.filter(publication__slug=report["slug"])
    assert [i["initiative"] for i in report["initiatives"]] == list(
        featured.values_list("initiative__slug", flat=True)
    )
    assert report["organisations"] and report["items"]
    assert all(item["quote"] and item["location"] for item in report["items"])


def test_the_downloads_hold_the_tool_profiles_valid_and_nested(db, downloads):
    source = factories.make_source(slug="webinar")
    tool = factories.make_initiative(slug="detector", sectors=[factories.make_sector()])
    factories.make_tool_profile(
        tool,
        tasks=["detection", "prosecution"],
        deployment="on-premises",
        licence="open-source",
        available_to="Law enforcement.",
        safeguards=[{"kind": "human-review", "description": "Checked by an officer.", "source": source}],
    )
    factories.make_initiative(slug="programme", sectors=[factories.make_sector()])

    bulk.write_downloads()

    report = validate(str(downloads / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]
    with (downloads / "tool_profiles.csv").open(encoding="utf-8") as file:
        [row] = list(csv.DictReader(file))
    assert (row["initiative"], row["deployment"], row["licence"]) == (
        "detector",
        "on-premises",
        "open-source",
    )
    with (downloads / "tool_profile_tasks.csv").open(encoding="utf-8") as file:
        assert [row["task"] for row in csv.DictReader(file)] == ["detection", "prosecution"]
    records = {
        record["slug"]: record
        for record in json.loads((downloads / "casebook.json").read_text(encoding="utf-8"))["initiatives"]
    }
    assert records["programme"]["tool_profile"] is None
    profile = records["detector"]["tool_profile"]
    assert profile["tasks"] == ["detection", "prosecution"]
    assert profile["available_to"] == "Law enforcement."
    assert profile["safeguards"] == [
        {
            "position": 1,
            "kind": "human-review",
            "description": "Checked by an officer.",
            "evidence": "",
            "source": "webinar",
            "location": "",
        }
    ]
