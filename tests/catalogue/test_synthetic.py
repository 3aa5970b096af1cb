"""manage.py generate_synthetic: the synthetic catalogue that performance is measured on."""

import io
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from catalogue.models import CatalogueRevision, Initiative, Organisation, Sector, Source, ToolProfile
from catalogue.synthetic import PREFIX, SOURCE_TITLE, synthetic_initiatives

N = 200
# A topic word of the generator's vocabulary, in the middle of its frequency range.
MIDDLING_WORD = "leopards"


def generate(*args):
    out = io.StringIO()
    call_command("generate_synthetic", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def synthetic_catalogue(shipped_catalogue):
    generate("--initiatives", str(N), "--seed", "7")


def synthetic_titles():
    return list(synthetic_initiatives().order_by("slug").values_list("slug", "title", "summary"))


def test_the_same_seed_gives_the_same_catalogue(synthetic_catalogue):
    first = synthetic_titles()
    generate("--purge", "--initiatives", str(N), "--seed", "7")

    assert synthetic_titles() == first


# Fills every template of the generator from one seed and prints the texts.
FILL_EVERY_TEMPLATE = """
import django, random
django.setup()
from catalogue.synthetic import CHINESE_SENTENCES, SENTENCES, TITLES, fill
rng = random.Random(7)
technology = ("computer-vision", "Computer vision", "计算机视觉")
print([fill(t, rng, technology, "Lewen") for t in [*TITLES, *SENTENCES]])
print([fill(t, rng, technology, "Lewen", chinese=True) for t in CHINESE_SENTENCES])
"""


def test_the_same_seed_gives_the_same_text_in_every_process():
    """As when bench/run generates a catalogue in one session and the next: each process
    hashes strings differently (PYTHONHASHSEED), and that must not change what is drawn."""
    texts = {
        subprocess.run(
            [sys.executable, "-c", FILL_EVERY_TEMPLATE],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ["1", "2", "3"]
    }

    assert len(texts) == 1


# What the database's triggers keep for each initiative (PostgreSQL; migrations 0012, 0022, 0024).
KEPT_BY_TRIGGERS = [
    "SELECT initiative_id, keys, published FROM catalogue_initiative_facet_keys ORDER BY 1",
    "SELECT key, published FROM catalogue_facet_key_totals WHERE published <> 0 ORDER BY 1",
    "SELECT initiative_id, tags FROM catalogue_initiative_related_tags ORDER BY 1",
]


def kept_by_triggers():
    with connection.cursor() as cursor:
        return [cursor.execute(sql) or cursor.fetchall() for sql in KEPT_BY_TRIGGERS]


@pytest.mark.postgres
def test_the_facet_keys_totals_and_related_tags_are_whole_after_generating(synthetic_catalogue):
    """The generator writes with the triggers skipped and runs them once at the end: the
    filters, facet counts and related cases must find what a rebuild from scratch finds."""
    generated = kept_by_triggers()
    with connection.cursor() as cursor:
        # Emptied (the keys' TRUNCATE trigger empties their totals), then rebuilt by the
        # triggers' own functions from every initiative's rows.
        cursor.execute("TRUNCATE catalogue_initiative_facet_keys, catalogue_initiative_related_tags")
        for refresh in ["catalogue_refresh_related_tags", "catalogue_refresh_facet_keys"]:
            cursor.execute(f"SELECT {refresh}(ARRAY(SELECT id FROM catalogue_initiative))")  # noqa: S608 (names written here)
    rebuilt = kept_by_triggers()

    assert [len(rows) for rows in generated] == [N + 42, *[len(rows) for rows in rebuilt[1:]]]
    assert generated == rebuilt


# Where a refresh function's statement tests each row against its whole array of ids.
ROW_BY_ROW_TEST_OF_THE_IDS = re.compile(r"Filter: .*= ANY \(\$1\)")


@pytest.mark.postgres
def test_refreshing_every_initiative_at_once_never_compares_each_row_with_every_id(synthetic_catalogue):
    """The generator refreshes a million initiatives' keys and tags in one call, on tables
    whose statistics still describe them before the load, so the planner reads them whole (as
    it is made to here). Each row must then be looked up among the ids, not compared with each
    of them: at 1,000,000 that ran 9 minutes and had not finished."""
    raw = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for setting in [
            "auto_explain.log_min_duration = 0",
            "auto_explain.log_nested_statements = on",
            "client_min_messages = log",
            "enable_indexscan = off",
            "enable_bitmapscan = off",
        ]:
            cursor.execute(f"SET LOCAL {setting}")
        for refresh in ["catalogue_refresh_related_tags", "catalogue_refresh_facet_keys"]:
            del raw.notices[:]
            cursor.execute(f"SELECT {refresh}(ARRAY(SELECT id FROM catalogue_initiative))")  # noqa: S608 (names written here)
            plans = "".join(raw.notices)

            assert "Seq Scan on catalogue_initiative" in plans, refresh
            assert not ROW_BY_ROW_TEST_OF_THE_IDS.findall(plans), refresh
        cursor.execute("SET LOCAL client_min_messages = notice")


def test_another_seed_gives_another_catalogue(synthetic_catalogue):
    first = synthetic_titles()
    generate("--purge", "--initiatives", str(N), "--seed", "8")

    assert synthetic_titles() != first


def test_it_makes_as_many_initiatives_as_asked_and_a_tenth_as_many_organisations(synthetic_catalogue):
    assert synthetic_initiatives().count() == N
    assert Organisation.objects.filter(slug__startswith=PREFIX).count() == N // 10


def test_it_tops_the_sectors_up_to_twelve(synthetic_catalogue):
    assert Sector.objects.count() == 12


def test_every_synthetic_initiative_is_published_and_listed_by_the_api(synthetic_catalogue, client):
    listed, url = [], "/api/v1/initiatives/?page_size=100"
    while url:
        page = client.get(url).json()
        listed += [initiative["slug"] for initiative in page["results"]]
        url = page["next"]

    made = set(synthetic_initiatives().values_list("slug", flat=True))
    assert made <= set(listed)
    assert len(listed) == Initiative.objects.published().count()


@pytest.mark.parametrize("relation", ["sectors", "technologies", "requirements"])
def test_every_synthetic_initiative_has_one_to_three_of(synthetic_catalogue, relation):
    counts = synthetic_initiatives().annotate(n=Count(relation, distinct=True)).values_list("n", flat=True)

    assert set(counts) == {1, 2, 3}


def test_synthetic_initiatives_have_up_to_two_partners_one_or_two_countries_and_a_start_year(
    synthetic_catalogue,
):
    initiatives = synthetic_initiatives().annotate(partner_count=Count("partners"))

    assert {initiative.partner_count for initiative in initiatives} == {0, 1, 2}
    assert {len(initiative.countries) for initiative in initiatives} == {1, 2}
    assert all(2005 <= initiative.start_year <= 2025 for initiative in initiatives)
    assert all(initiative.lead_organisation_id for initiative in initiatives)


def test_summaries_run_to_about_eighty_words_and_some_cases_have_chinese_text(synthetic_catalogue):
    initiatives = list(synthetic_initiatives())
    words = sum(len(initiative.summary.split()) for initiative in initiatives) / len(initiatives)
    with_chinese = sum(1 for initiative in initiatives if initiative.title_zh and initiative.summary_zh)

    assert 70 <= words <= 95
    assert 0.1 * N <= with_chinese <= 0.35 * N


def test_a_search_word_matches_a_plausible_share_of_the_catalogue(synthetic_catalogue):
    matches = Initiative.objects.published().search(MIDDLING_WORD).filter(slug__startswith=PREFIX).count()

    assert 0.01 * N <= matches <= 0.15 * N


def test_about_one_synthetic_case_in_eight_is_a_tool_the_facets_count(synthetic_catalogue, client):
    profiles = ToolProfile.objects.filter(initiative__in=synthetic_initiatives())
    assert N // 16 <= profiles.count() <= N // 5
    assert profiles.exclude(deployment="").exists()
    assert profiles.exclude(licence="").exists()
    assert all(1 <= profile.tasks.count() <= 3 for profile in profiles)
    facets = client.get("/api/v1/initiatives/", {"facets": "task,deployment"}).json()["facets"]
    every_tool = ToolProfile.objects.filter(initiative__in=Initiative.objects.published())  # shipped ones too
    assert (
        sum(option["count"] for option in facets["deployment"]) == every_tool.exclude(deployment="").count()
    )
    assert facets["task"]


def test_the_same_seed_gives_the_same_tools(synthetic_catalogue):
    def tools():
        return list(
            ToolProfile.objects.filter(initiative__in=synthetic_initiatives())
            .order_by("initiative__slug")
            .values_list("initiative__slug", "deployment", "licence")
        )

    first = tools()
    generate("--purge", "--initiatives", str(N), "--seed", "7")
    assert tools() == first


def test_generating_again_without_purge_is_refused(synthetic_catalogue):
    with pytest.raises(CommandError, match="--purge"):
        generate("--initiatives", "10")


def test_generating_moves_the_catalogue_revision(shipped_catalogue):
    before = CatalogueRevision.objects.current().number
    generate("--initiatives", "20")

    assert CatalogueRevision.objects.current().number > before


def test_purge_removes_only_what_the_generator_made(shipped_catalogue, make_initiative, make_organisation):
    # Real records that merely look synthetic, or use something synthetic, stay.
    lookalike = make_initiative(slug="synthetic-biology-for-schools")
    real_organisation = make_organisation(slug="synthetic-data-lab")
    before = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in [Initiative, Organisation, Sector, Source]
    }
    generate("--initiatives", str(N))
    adopted = Organisation.objects.filter(slug__startswith=PREFIX).exclude(pk=real_organisation.pk).first()
    lookalike.partners.add(adopted)
    revision = CatalogueRevision.objects.current().number

    generate("--purge")

    after = {model: set(model.objects.values_list("pk", flat=True)) for model in before}
    assert not ToolProfile.objects.filter(initiative__slug__startswith=PREFIX).exclude(initiative=lookalike)
    assert after[Initiative] == before[Initiative]
    assert after[Organisation] == before[Organisation] | {adopted.pk}
    assert after[Sector] == before[Sector]
    assert after[Source] == before[Source]
    assert CatalogueRevision.objects.current().number > revision


def test_the_synthetic_cases_cite_the_synthetic_source(synthetic_catalogue):
    source = Source.objects.get(title=SOURCE_TITLE)

    assert source.initiatives.count() == N


def test_sqlite_export_holds_every_published_initiative(synthetic_catalogue, tmp_path):
    path = tmp_path / "catalogue.db"
    generate("--export-sqlite", str(path))

    with sqlite3.connect(path) as database:
        (count,) = database.execute("select count(*) from initiatives").fetchone()
        sectors, countries = database.execute(
            "select sectors, countries from initiatives where slug = ?",
            [synthetic_initiatives().order_by("slug").values_list("slug", flat=True)[0]],
        ).fetchone()
    assert count == Initiative.objects.published().count()
    assert 1 <= len(json.loads(sectors)) <= 3
    assert 1 <= len(json.loads(countries)) <= 2


def test_sqlite_export_holds_each_tools_tasks_deployment_and_licence(synthetic_catalogue, tmp_path):
    path = tmp_path / "catalogue.db"
    generate("--export-sqlite", str(path))
    profile = (
        ToolProfile.objects.filter(initiative__in=synthetic_initiatives()).exclude(deployment="").first()
    )
    no_tool = synthetic_initiatives().filter(tool_profile__isnull=True).first()

    with sqlite3.connect(path) as database:
        rows = {
            slug: (json.loads(tasks), deployment, licence)
            for slug, tasks, deployment, licence in database.execute(
                "select slug, tasks, deployment, licence from initiatives where slug in (?, ?)",
                [profile.initiative.slug, no_tool.slug],
            )
        }
    assert rows == {
        profile.initiative.slug: (
            sorted(task.name for task in profile.tasks.all()),
            profile.deployment,
            profile.licence or None,
        ),
        no_tool.slug: ([], None, None),
    }


def test_sqlite_full_text_search_finds_what_the_site_finds(synthetic_catalogue, tmp_path):
    path = tmp_path / "catalogue.db"
    generate("--export-sqlite", str(path))

    with sqlite3.connect(path) as database:
        rows = database.execute(
            "select slug from initiatives where id in "
            "(select rowid from initiatives_fts where initiatives_fts match ?)",
            [MIDDLING_WORD],
        ).fetchall()
    in_export = {slug for (slug,) in rows if slug.startswith(PREFIX)}
    on_site = set(
        Initiative.objects.published()
        .search(MIDDLING_WORD)
        .filter(slug__startswith=PREFIX)
        .values_list("slug", flat=True)
    )
    assert in_export == on_site
    assert on_site


def test_nothing_to_do_is_an_error(db):
    with pytest.raises(CommandError, match="Nothing to do"):
        generate()


def test_generating_without_the_shipped_vocabularies_explains_what_to_run(db):
    with pytest.raises(CommandError, match="load_catalogue"):
        generate("--initiatives", "5")
