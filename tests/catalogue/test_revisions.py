"""The catalogue revision: one number that every change to published output moves, and that
private work does not; and how it leaves `load_catalogue`'s notion of "edited" alone."""

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from catalogue.models import CatalogueRevision, Initiative, KeyFigure, Sector, StatusChange
from catalogue.revisions import catalogue_version
from tests import factories

from .test_load_catalogue import MINIMAL_FIXTURE, write_fixture

pytestmark = pytest.mark.django_db


def test_saving_a_published_initiative_moves_the_version(make_initiative):
    initiative = make_initiative()
    before = catalogue_version()

    initiative.title = "New title"
    initiative.save()

    after = catalogue_version()
    assert after.number > before.number
    assert after.changed_at >= before.changed_at


def test_a_key_figure_of_a_published_initiative_moves_the_version(make_initiative):
    initiative = make_initiative()
    before = catalogue_version()

    KeyFigure.objects.create(initiative=initiative, text="10,000 pupils")

    assert catalogue_version().number > before.number


def test_a_new_vocabulary_record_moves_the_version(db):
    before = catalogue_version()

    factories.make_technology()

    assert catalogue_version().number > before.number


def test_a_draft_and_its_history_leave_the_version_alone(make_initiative):
    draft = make_initiative(status=Initiative.Status.DRAFT)
    before = catalogue_version()

    draft.summary = "Changed."
    draft.save()
    StatusChange.objects.create(initiative=draft, to_status=Initiative.Status.SUBMITTED)
    KeyFigure.objects.create(initiative=draft, text="A figure")
    draft.partners.add(factories.make_organisation())  # the organisation is public: it moves
    moved_by_the_organisation = catalogue_version()
    draft.sectors.add(Sector.objects.create(slug="x", name="X"))
    after_sector = catalogue_version()
    draft.sectors.clear()
    draft.status_changes.all().delete()  # an initiative's history protects it from deletion
    draft.delete()

    assert moved_by_the_organisation.number == before.number + 1
    assert catalogue_version() == after_sector


def test_a_sector_rename_leaves_drafts_updated_at_alone(make_initiative, make_sector):
    sector = make_sector()
    draft = make_initiative(sectors=[sector], status=Initiative.Status.DRAFT)
    published = make_initiative(sectors=[sector])

    sector.name = "Renamed"
    sector.save()

    assert Initiative.objects.get(pk=draft.pk).updated_at == draft.updated_at
    assert Initiative.objects.get(pk=published.pk).updated_at > published.updated_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_each_get_their_own_number():
    CatalogueRevision.objects.bump()  # the flush of a transactional test removed the row
    before = catalogue_version().number
    start = threading.Barrier(4)

    def change_the_catalogue():
        try:
            start.wait()
            for _ in range(25):
                with transaction.atomic():
                    CatalogueRevision.objects.bump()
        finally:
            connection.close()

    threads = [threading.Thread(target=change_the_catalogue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert catalogue_version().number == before + 100


# --- load_catalogue still tells an editor's edit from everything else ----------------------------


def load(folder):
    out = io.StringIO()
    call_command("load_catalogue", "--fixtures", str(folder), stdout=out)
    return out.getvalue()


def changed_fixture(**initiative_changes):
    content = json.loads(json.dumps(MINIMAL_FIXTURE))
    content["initiatives"][0].update(initiative_changes)
    return content


def test_a_sector_renamed_in_the_admin_is_no_edit_of_its_initiatives(tmp_path):
    folder = write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)
    load(folder)
    sector = Sector.objects.get(slug="education")
    sector.name = "Learning"
    sector.save()
    write_fixture(folder, changed_fixture(title="Second edition"))

    output = load(folder)

    assert "initiatives: 0 created, 1 updated" in output
    assert Initiative.objects.get(slug="acme-tutor").title == "Second edition"


def test_a_sector_changed_by_the_fixtures_is_no_edit_of_its_initiatives(tmp_path):
    folder = write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)
    load(folder)
    content = changed_fixture(title="Second edition")
    content["sectors"][0]["name"] = "Learning"
    write_fixture(folder, content)

    output = load(folder)

    assert "sectors: 0 created, 1 updated" in output
    assert "initiatives: 0 created, 1 updated" in output


def test_an_alignment_edited_on_its_own_is_an_edit_the_loader_keeps(tmp_path):
    folder = write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)
    load(folder)
    alignment = Initiative.objects.get(slug="acme-tutor").alignments.get()
    alignment.rationale = "An editor's rationale."
    alignment.save()
    write_fixture(folder, changed_fixture(title="Second edition"))

    output = load(folder)

    assert "kept (edited since it was loaded" in output
    assert Initiative.objects.get(slug="acme-tutor").alignments.get().rationale == "An editor's rationale."
