"""`load_catalogue`'s publications section: what it creates, that a second load changes
nothing, that a link to an unknown record is refused naming it, and that a changed record
moves the catalogue revision and stamps the cases it features."""

import pytest
from django.core.management import CommandError

from catalogue.models import Initiative, Publication
from catalogue.revisions import catalogue_version

from .test_load_catalogue import MINIMAL_FIXTURE, load, write_fixture

pytestmark = pytest.mark.django_db

REPORT = {
    "slug": "acme-report",
    "kind": "report",
    "title": "The Acme report",
    "date": None,
    "date_in_source": "6th October",
    "date_location": "Paragraph 1",
    "sources": ["doc"],
    "organisations": [{"organisation": "acme", "role": "publisher"}],
    "items": [{"kind": "finding", "source": "doc", "location": "P2", "quote": "Tutors help.", "figure": ""}],
    "initiatives": [{"initiative": "acme-tutor", "location": "P3"}],
}
LAUNCH = {
    "slug": "acme-launch",
    "kind": "launch",
    "title": "The Acme launch",
    "launches": "acme-report",
    "sources": ["doc"],
}


def fixtures(tmp_path, *publications):
    folder = write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)
    return write_fixture(folder, {"publications": list(publications)}, name="publications.json")


def test_a_publication_is_loaded_with_its_roles_items_cases_and_launch(tmp_path):
    # The launch comes first in the file: the publication it launches is linked once all exist.
    load(fixtures(tmp_path, LAUNCH, REPORT))

    report = Publication.objects.get(slug="acme-report")
    assert report.date is None and report.date_in_source == "6th October"
    assert [(r.organisation.slug, r.role) for r in report.roles.all()] == [("acme", "publisher")]
    assert [item.quote for item in report.items.all()] == ["Tutors help."]
    assert [i.slug for i in report.initiatives.all()] == ["acme-tutor"]
    assert Publication.objects.get(slug="acme-launch").launches == report


def test_a_second_load_changes_nothing(tmp_path):
    folder = fixtures(tmp_path, LAUNCH, REPORT)
    load(folder)
    before = catalogue_version()

    output = load(folder)

    assert "publications: 0 created, 0 updated, 2 unchanged" in output
    assert catalogue_version() == before


def test_a_link_to_an_unknown_case_is_refused_naming_it(tmp_path):
    broken = {**REPORT, "initiatives": [{"initiative": "no-such-case"}]}

    with pytest.raises(
        CommandError, match="publication 'acme-report' refers to unknown initiatives 'no-such-case'"
    ):
        load(fixtures(tmp_path, broken))
    assert not Publication.objects.exists()


def test_a_changed_publication_moves_the_version_and_stamps_its_cases(tmp_path):
    load(fixtures(tmp_path, REPORT))
    case = Initiative.objects.get(slug="acme-tutor")
    before = catalogue_version()

    load(fixtures(tmp_path, {**REPORT, "title": "The Acme report, revised"}))

    assert catalogue_version().number > before.number
    case.refresh_from_db()
    assert case.updated_at > before.changed_at
    assert not case.edited_since_seeding  # shown elsewhere, not edited: the loader still owns it


def test_editing_a_finding_in_the_admin_moves_the_version(tmp_path):
    load(fixtures(tmp_path, REPORT))
    before = catalogue_version()

    item = Publication.objects.get(slug="acme-report").items.get()
    item.location = "P2, §1"
    item.save()

    assert catalogue_version().number > before.number
