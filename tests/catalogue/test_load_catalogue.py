"""`manage.py load_catalogue`: idempotent, transactional, and respectful of editors' changes."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Initiative, Organisation

MINIMAL_FIXTURE = {
    "sources": [{"slug": "doc", "title": "A document", "kind": "report", "file_name": "000.txt"}],
    "requirements": [{"number": 5, "slug": "safety", "title": "Ensure safety for children"}],
    "sectors": [{"slug": "education", "name": "Education", "name_zh": "教育", "position": 1}],
    "organisations": [{"slug": "acme", "name": "Acme", "kind": "company", "country": "CN"}],
    "initiatives": [
        {
            "slug": "acme-tutor",
            "title": "Acme tutor",
            "title_zh": "阿克米辅导",
            "summary": "An AI tutor.",
            "summary_zh": "人工智能辅导。",
            "chinese_text_origin": "source",
            "lead_organisation": "acme",
            "sectors": ["education"],
            "countries": ["CN"],
            "start_year": 2021,
            "children_focus": True,
            "key_figures": [{"text": "10,000 pupils", "text_zh": "一万名学生"}],
            "alignments": [
                {
                    "requirement": 5,
                    "strength": "partly",
                    "rationale": "Filters content.",
                    "evidence_quote": "filters",
                    "evidence_location": "P1",
                    "basis": "inferred",
                }
            ],
            "citations": [{"source": "doc", "location": "P1", "quote": "An AI tutor", "position": 1}],
        }
    ],
}


def write_fixture(folder, content, name="catalogue.json"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return folder


def load(folder, *args):
    out = io.StringIO()
    call_command("load_catalogue", "--fixtures", str(folder), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fixture_dir(tmp_path):
    return write_fixture(tmp_path / "fixtures", MINIMAL_FIXTURE)


@pytest.mark.django_db
def test_load_creates_initiative_with_all_its_relations(fixture_dir):
    load(fixture_dir)

    initiative = Initiative.objects.get(slug="acme-tutor")
    assert initiative.status == Initiative.Status.PUBLISHED
    assert initiative.published_at is not None
    assert initiative.lead_organisation.name == "Acme"
    assert [s.slug for s in initiative.sectors.all()] == ["education"]
    assert [c.code for c in initiative.countries] == ["CN"]
    assert [f.text_zh for f in initiative.key_figures.all()] == ["一万名学生"]
    alignment = initiative.alignments.get()
    assert (alignment.requirement.number, alignment.strength) == (5, "partly")
    assert initiative.citations.get().source.file_name == "000.txt"


@pytest.mark.django_db
def test_second_load_changes_nothing(fixture_dir):
    load(fixture_dir)
    before = Initiative.objects.get(slug="acme-tutor").updated_at

    output = load(fixture_dir)

    assert "initiatives: 0 created, 0 updated, 1 unchanged" in output
    assert Initiative.objects.get(slug="acme-tutor").updated_at == before
    assert Initiative.objects.count() == 1


@pytest.mark.django_db
def test_changed_fixture_updates_a_record_nobody_edited(tmp_path, fixture_dir):
    load(fixture_dir)
    changed = json.loads(json.dumps(MINIMAL_FIXTURE))
    changed["initiatives"][0]["title"] = "Acme tutor, second edition"
    write_fixture(fixture_dir, changed)

    output = load(fixture_dir)

    assert "initiatives: 0 created, 1 updated" in output
    assert Initiative.objects.get(slug="acme-tutor").title == "Acme tutor, second edition"


@pytest.mark.django_db
def test_record_edited_since_loading_is_kept_and_reported(fixture_dir):
    load(fixture_dir)
    edited = Initiative.objects.get(slug="acme-tutor")
    edited.title = "Edited by an editor"
    edited.save()
    changed = json.loads(json.dumps(MINIMAL_FIXTURE))
    changed["initiatives"][0]["title"] = "Fixture's new title"
    write_fixture(fixture_dir, changed)

    output = load(fixture_dir)

    assert "kept (edited since it was loaded" in output
    assert Initiative.objects.get(slug="acme-tutor").title == "Edited by an editor"


@pytest.mark.django_db
def test_overwrite_edited_replaces_an_edited_record(fixture_dir):
    load(fixture_dir)
    acme = Organisation.objects.get(slug="acme")
    acme.name = "Edited name"
    acme.save()
    changed = json.loads(json.dumps(MINIMAL_FIXTURE))
    changed["organisations"][0]["description"] = "A company."
    write_fixture(fixture_dir, changed)

    load(fixture_dir, "--overwrite-edited")

    acme.refresh_from_db()
    assert (acme.name, acme.description) == ("Acme", "A company.")


@pytest.mark.django_db
def test_dry_run_saves_nothing(fixture_dir):
    output = load(fixture_dir, "--dry-run")

    assert "initiatives: 1 created" in output
    assert not Initiative.objects.exists()


@pytest.mark.django_db
def test_unknown_reference_fails_clearly_and_saves_nothing(fixture_dir):
    broken = json.loads(json.dumps(MINIMAL_FIXTURE))
    broken["initiatives"][0]["sectors"] = ["no-such-sector"]
    write_fixture(fixture_dir, broken)

    with pytest.raises(CommandError, match="unknown sectors 'no-such-sector'"):
        load(fixture_dir)
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_invalid_choice_names_the_record(fixture_dir):
    broken = json.loads(json.dumps(MINIMAL_FIXTURE))
    broken["organisations"][0]["kind"] = "spaceship"
    write_fixture(fixture_dir, broken)

    with pytest.raises(CommandError, match=r"organisations 'acme'.*kind"):
        load(fixture_dir)


@pytest.mark.django_db
def test_two_files_that_contradict_each_other_are_refused(fixture_dir):
    write_fixture(fixture_dir, {"organisations": [{"slug": "acme", "name": "Not Acme"}]}, name="other.json")

    with pytest.raises(CommandError, match="disagree on 'name'"):
        load(fixture_dir)


@pytest.mark.django_db
def test_two_files_may_complete_each_other(fixture_dir):
    write_fixture(
        fixture_dir,
        {"organisations": [{"slug": "acme", "name": "Acme", "name_zh": "阿克米"}]},
        name="other.json",
    )

    load(fixture_dir)

    assert Organisation.objects.get(slug="acme").name_zh == "阿克米"
