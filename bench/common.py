"""What the benchmarks share: command-line options, a throwaway database for `--scale`, a
larger catalogue cloned from the shipped one, and timing requests through the test client.

Importing this module sets Django up, so the scripts import models and the test client after it.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.models import (  # noqa: E402
    Citation,
    Initiative,
    KeyFigure,
    Organisation,
    RequirementAlignment,
)

# The PostgreSQL database `--scale` creates and drops, on the server DATABASE_URL names.
BENCH_DATABASE = "casebook_bench"


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=50, help="requests per row (default 50)")
    parser.add_argument(
        "--budget",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="stop repeating a request after this long, once it has run 3 times (default 5)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help=(
            "measure a throwaway database holding the shipped catalogue plus N cloned published "
            "initiatives (0: the shipped catalogue alone) instead of the configured database"
        ),
    )
    return parser.parse_args()


@contextlib.contextmanager
def benchmark_database(scale):
    """The configured database when `scale` is None; otherwise a throwaway one (a temporary
    SQLite file, or BENCH_DATABASE on the configured PostgreSQL server) holding the shipped
    catalogue and `scale` clones, dropped on the way out."""
    if scale is None:
        yield
        return
    original_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as folder:
        # Django's test-database machinery creates, migrates and drops it; the name is ours so
        # that it never clobbers the developer's database or another checkout's test database.
        bench_name = (
            BENCH_DATABASE if connection.vendor == "postgresql" else str(Path(folder) / "bench.sqlite3")
        )
        connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": bench_name}
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            call_command("load_catalogue", stdout=io.StringIO())
            clone_initiatives(scale)
            yield
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)


def _copy(record, **changes):
    """An unsaved copy of `record` (every concrete field but the primary key), with `changes`."""
    values = {
        field.attname: getattr(record, field.attname)
        for field in type(record)._meta.concrete_fields
        if not field.primary_key
    }
    return type(record)(**{**values, **changes})


def _numbered(text, n):
    return f"{text} ({n})" if text else ""


@transaction.atomic
def clone_initiatives(count):
    """Add `count` published initiatives, each a copy of a shipped one (in turn) with a new slug
    and title, its own copy of the lead organisation (the shipped catalogue has one organisation
    per initiative), and the original's partners, sectors, technologies, beneficiary groups,
    requirement alignments, citations and key figures."""
    if not count:
        return
    originals = list(
        Initiative.objects.published()
        .order_by("pk")
        .select_related("lead_organisation")
        .prefetch_related(
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "alignments",
            "citations",
            "key_figures",
        )
    )
    plan = [(originals[i % len(originals)], i // len(originals) + 1) for i in range(count)]

    leads = Organisation.objects.bulk_create(
        [
            _copy(
                original.lead_organisation,
                slug=f"{original.lead_organisation.slug[:90]}-{i}",
                name=_numbered(original.lead_organisation.name, n),
                name_en=_numbered(original.lead_organisation.name, n),
                name_zh=_numbered(original.lead_organisation.name_zh, n),
            )
            for i, (original, n) in enumerate(plan)
            if original.lead_organisation_id
        ],
        batch_size=500,
    )
    next_lead = iter(leads)
    clones = Initiative.objects.bulk_create(
        [
            _copy(
                original,
                slug=f"{original.slug}-{n}",
                title=_numbered(original.title, n),
                title_en=_numbered(original.title, n),
                title_zh=_numbered(original.title_zh, n),
                lead_organisation_id=next(next_lead).pk if original.lead_organisation_id else None,
                submission_token=None,
            )
            for original, n in plan
        ],
        batch_size=500,
    )

    pairs = list(zip((original for original, _ in plan), clones, strict=True))
    for relation, target in [
        ("partners", "organisation"),
        ("sectors", "sector"),
        ("technologies", "technology"),
        ("beneficiary_groups", "beneficiarygroup"),
    ]:
        through = getattr(Initiative, relation).through
        rows = [
            through(initiative_id=clone.pk, **{f"{target}_id": related.pk})
            for original, clone in pairs
            for related in getattr(original, relation).all()
        ]
        through.objects.bulk_create(rows, batch_size=1000)
    for model, relation in [
        (RequirementAlignment, "alignments"),
        (Citation, "citations"),
        (KeyFigure, "key_figures"),
    ]:
        rows = [
            _copy(row, initiative_id=clone.pk)
            for original, clone in pairs
            for row in getattr(original, relation).all()
        ]
        model.objects.bulk_create(rows, batch_size=1000)
    # Give the planner statistics for the new rows, as load_catalogue does after a load (and
    # PostgreSQL's autovacuum would soon after). Without them SQLite picks the status index
    # for per-organisation counts and scans every published initiative for each organisation.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url, runs, budget, headers=None):
    """(runs made, status, bytes, SQL queries, median ms, max ms) of up to `runs` GETs of
    `url`, the queries counted on one more. Stops early once 3 or more GETs have taken
    `budget` seconds, so that a slow page at scale does not hold up the whole table."""
    headers = headers or {}
    timings = []
    while len(timings) < runs and not (len(timings) >= 3 and sum(timings) > budget * 1000):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    return (
        len(timings),
        response.status_code,
        len(body),
        len(queries),
        statistics.median(timings),
        max(timings),
    )


def print_header(args):
    published = Initiative.objects.published().count()
    print(
        f"database: {connection.vendor}, {published} published initiatives, "
        f"up to {args.runs} requests or {args.budget:g} s per row\n"
    )
    print("| request | status | bytes | SQL queries | median ms | max ms | runs |")
    print("|---|---|---|---|---|---|---|")


def print_row(label, result):
    runs, status, size, queries, median, worst = result
    print(f"| {label} | {status} | {size} | {queries} | {median:.1f} | {worst:.1f} | {runs} |", flush=True)
