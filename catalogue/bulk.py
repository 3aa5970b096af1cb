"""The whole published catalogue as files, for bulk users: one nested JSON file and a CSV per
table, described by a Frictionless Data Package (`datapackage.json`: fields, types, keys,
licence, version). Written by a background task after the catalogue changes (catalogue/tasks.py),
into a new folder that then replaces the old one, so a reader never gets half a download.

Each table is declared once below (its rows as a values query, its fields with their Table
Schema types); the CSVs and the descriptor are both written from that declaration.
"""

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .downloads import safe_row
from .models import (
    BeneficiaryGroup,
    Citation,
    Initiative,
    KeyFigure,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Technology,
)
from .revisions import catalogue_version

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
JSON_FILE = "casebook.json"
DESCRIPTOR = "datapackage.json"
VERSION_FILE = "VERSION"


@dataclass
class Table:
    name: str
    rows: object  # a function of the initiatives to write, returning value tuples in `fields` order
    fields: list  # [(name, Table Schema type), …]
    primary_key: list
    foreign_keys: list  # [(fields, resource, its fields), …]

    def schema(self):
        return {
            "fields": [{"name": name, "type": kind} for name, kind in self.fields],
            "primaryKey": self.primary_key,
            "foreignKeys": [
                {"fields": fields, "reference": {"resource": resource, "fields": target}}
                for fields, resource, target in self.foreign_keys
            ],
        }


def through_rows(relation, target):
    """(initiative slug, record slug) of a many-to-many relation of published initiatives."""
    through = getattr(Initiative, relation).through
    return lambda initiatives: (
        through.objects.filter(initiative__in=initiatives)
        .order_by("initiative__slug", f"{target}__slug")
        .values_list("initiative__slug", f"{target}__slug")
    )


def vocabulary_table(name, model, fields, key="slug"):
    return Table(
        name,
        lambda initiatives: model.objects.order_by(key).values_list(*(field for field, _ in fields)),
        fields,
        [key],
        [],
    )


TERM_FIELDS = [("slug", "string"), ("name", "string"), ("name_zh", "string"), ("description", "string")]

TABLES = [
    vocabulary_table(
        "sources",
        Source,
        [
            ("slug", "string"),
            ("title", "string"),
            ("title_zh", "string"),
            ("publisher", "string"),
            ("published_on", "date"),
            ("kind", "string"),
            ("url", "string"),
            ("description", "string"),
        ],
    ),
    vocabulary_table(
        "requirements",
        Requirement,
        [("number", "integer"), ("slug", "string"), ("title", "string"), ("title_zh", "string")],
        key="number",
    ),
    vocabulary_table("sectors", Sector, TERM_FIELDS),
    vocabulary_table("technologies", Technology, TERM_FIELDS),
    vocabulary_table("beneficiary_groups", BeneficiaryGroup, TERM_FIELDS),
    vocabulary_table(
        "organisations",
        Organisation,
        [
            ("slug", "string"),
            ("name", "string"),
            ("name_zh", "string"),
            ("kind", "string"),
            ("website", "string"),
        ],
    ),
    Table(
        "initiatives",
        lambda initiatives: initiatives.order_by("slug").values_list(
            "slug",
            "title",
            "title_zh",
            "summary",
            "summary_zh",
            "description",
            "lead_organisation__slug",
            "countries",
            "start_year",
            "children_focus",
            "website",
            "published_at",
            "updated_at",
        ),
        [
            ("slug", "string"),
            ("title", "string"),
            ("title_zh", "string"),
            ("summary", "string"),
            ("summary_zh", "string"),
            ("description", "string"),
            ("lead_organisation", "string"),
            ("countries", "string"),
            ("start_year", "integer"),
            ("children_focus", "boolean"),
            ("website", "string"),
            ("published_at", "datetime"),
            ("updated_at", "datetime"),
        ],
        ["slug"],
        [(["lead_organisation"], "organisations", ["slug"])],
    ),
    *(
        Table(
            f"initiative_{relation}",
            through_rows(relation, target),
            [("initiative", "string"), (target, "string")],
            ["initiative", target],
            [(["initiative"], "initiatives", ["slug"]), ([target], table, ["slug"])],
        )
        for relation, target, table in [
            ("sectors", "sector", "sectors"),
            ("technologies", "technology", "technologies"),
            ("beneficiary_groups", "beneficiarygroup", "beneficiary_groups"),
            ("partners", "organisation", "organisations"),
        ]
    ),
    Table(
        "alignments",
        lambda initiatives: (
            RequirementAlignment.objects.filter(initiative__in=initiatives)
            .order_by("initiative__slug", "requirement__number")
            .values_list(
                "initiative__slug",
                "requirement__number",
                "strength",
                "basis",
                "rationale",
                "evidence_quote",
                "evidence_location",
                "made_by",
            )
        ),
        [
            ("initiative", "string"),
            ("requirement", "integer"),
            ("strength", "string"),
            ("basis", "string"),
            ("rationale", "string"),
            ("evidence_quote", "string"),
            ("evidence_location", "string"),
            ("made_by", "string"),
        ],
        ["initiative", "requirement"],
        [(["initiative"], "initiatives", ["slug"]), (["requirement"], "requirements", ["number"])],
    ),
    Table(
        "citations",
        lambda initiatives: (
            Citation.objects.filter(initiative__in=initiatives)
            .order_by("initiative__slug", "source__slug", "position", "location")
            .values_list("initiative__slug", "source__slug", "location", "quote", "position")
        ),
        [
            ("initiative", "string"),
            ("source", "string"),
            ("location", "string"),
            ("quote", "string"),
            ("position", "integer"),
        ],
        ["initiative", "source", "location"],
        [(["initiative"], "initiatives", ["slug"]), (["source"], "sources", ["slug"])],
    ),
    Table(
        "key_figures",
        lambda initiatives: (
            KeyFigure.objects.filter(initiative__in=initiatives)
            .order_by("initiative__slug", "position", "pk")
            .values_list("initiative__slug", F("position"), "text", "text_zh")
        ),
        [("initiative", "string"), ("position", "integer"), ("text", "string"), ("text_zh", "string")],
        [],
        [(["initiative"], "initiatives", ["slug"])],
    ),
]


def cell(value):
    """A value as Table Schema's CSV dialect reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):  # countries
        return ",".join(str(item) for item in value)
    return str(value)


def write_csv(path, table, initiatives):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([name for name, _ in table.fields])
        for row in table.rows(initiatives).iterator(chunk_size=2000):
            writer.writerow(safe_row(cell(value) for value in row))


def nested_records(initiatives):
    """Each of `initiatives` (published) as one JSON-ready record, with its alignments (and
    their evidence), citations, key figures, partners and vocabularies, by slug."""
    children = {
        "alignments": _grouped(TABLES_BY_NAME["alignments"], initiatives),
        "citations": _grouped(TABLES_BY_NAME["citations"], initiatives),
        "key_figures": _grouped(TABLES_BY_NAME["key_figures"], initiatives),
        **{
            relation: _grouped(TABLES_BY_NAME[f"initiative_{relation}"], initiatives, flat=True)
            for relation in ("sectors", "technologies", "beneficiary_groups", "partners")
        },
    }
    table = TABLES_BY_NAME["initiatives"]
    for row in table.rows(initiatives).iterator(chunk_size=2000):
        record = {name: _json_value(value) for (name, _), value in zip(table.fields, row, strict=True)}
        record["countries"] = _countries(row[7])
        for name, groups in children.items():
            record[name] = groups.get(record["slug"], [])
        yield record


def nested_catalogue(version):
    """The published catalogue as one document."""
    return {
        "name": "casebook",
        "version": version.number,
        "updated_at": _json_value(version.changed_at),
        "licence": LICENCE,
        "initiatives": list(nested_records(Initiative.objects.published())),
    }


def json_array(records):
    """A JSON array, written a record at a time (for a streamed download)."""
    yield "[\n"
    for index, record in enumerate(records):
        yield ("" if index == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def _grouped(table, initiatives, flat=False):
    groups = {}
    names = [name for name, _ in table.fields]
    for row in table.rows(initiatives).iterator(chunk_size=2000):
        value = row[1] if flat else {name: _json_value(v) for name, v in zip(names[1:], row[1:], strict=True)}
        groups.setdefault(row[0], []).append(value)
    return groups


def _countries(value):
    """Country codes as a list, whether the field gives them as a list or as "CN,US"."""
    if not value:
        return []
    return [str(code) for code in value] if isinstance(value, list) else value.split(",")


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


TABLES_BY_NAME = {table.name: table for table in TABLES}


def descriptor(version, created):
    return {
        "name": "casebook",
        "title": "Casebook: case studies of AI for children and for social good",
        "version": f"1.0.{version.number}",
        "created": created.isoformat(),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
            }
            for table in TABLES
        ],
    }


def published_files():
    """The names of the files /downloads/ offers."""
    return [JSON_FILE, DESCRIPTOR, *(f"{table.name}.csv" for table in TABLES)]


def downloads_dir():
    return Path(settings.DOWNLOADS_DIR)


def written_version():
    """The data version the files on disk were written at, or None."""
    try:
        return int((downloads_dir() / VERSION_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def write_downloads():
    """Write every file for the current data version into a new folder, then swap it in.
    Returns the version written (or already there)."""
    version = catalogue_version()
    if written_version() == version.number:
        return version.number
    target = downloads_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f"{target.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    for table in TABLES:
        write_csv(fresh / f"{table.name}.csv", table, Initiative.objects.published())
    with (fresh / JSON_FILE).open("w", encoding="utf-8") as file:
        json.dump(nested_catalogue(version), file, ensure_ascii=False)
    (fresh / DESCRIPTOR).write_text(
        json.dumps(descriptor(version, timezone.now()), indent=2), encoding="utf-8"
    )
    (fresh / VERSION_FILE).write_text(str(version.number))
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return version.number
