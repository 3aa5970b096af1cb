"""The whole published catalogue as files, for bulk users: one nested JSON file and a CSV per
table, described by a Frictionless Data Package (`datapackage.json`: fields, types, keys,
licence, version). Written by a background task after the catalogue changes (catalogue/tasks.py):
each file is streamed to a temporary file beside it, a chunk of initiatives at a time, and the
new files replace the old ones (an atomic rename each) only once all of them are written, so a
reader never gets half a download and memory stays the same whatever the catalogue's size.

Each table is declared once below (its rows as a values query, its fields with their Table
Schema types); the CSVs and the descriptor are both written from that declaration.
"""

import csv
import json
import os
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import batched
from pathlib import Path

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .dataset import LICENCE_URL, QUOTED_TEXT_TERMS, current_version
from .downloads import safe_row
from .models import (
    BeneficiaryGroup,
    Citation,
    FeaturedInitiative,
    Initiative,
    KeyFigure,
    Organisation,
    Publication,
    PublicationItem,
    PublicationRole,
    Requirement,
    RequirementAlignment,
    Safeguard,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)
from .revisions import catalogue_version

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": LICENCE_URL,
}
JSON_FILE = "casebook.json"
DESCRIPTOR = "datapackage.json"
VERSION_FILE = "VERSION"
CHUNK_SIZE = 500  # rows read at a time: initiatives (with their alignments, citations, …), CSV rows


@dataclass
class Table:
    name: str
    rows: object  # a function of the initiatives (a queryset or their ids): value tuples in `fields` order
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


def chinese_or_empty(field):
    """The Chinese column of `field` (`title_zh_hans`) as the downloads' `title_zh` has always
    given it: "" when there is none."""
    return Coalesce(f"{field}_zh_hans", Value(""), output_field=TextField())


def column(model, field):
    # The downloads keep their `_zh` columns (their schema is public): the Chinese column of a
    # field kept in every language (catalogue/translation.py) under that name.
    if field.endswith("_zh") and field.removesuffix("_zh") in getattr(model, "translated_fields", ()):
        return chinese_or_empty(field.removesuffix("_zh"))
    return field


def vocabulary_table(name, model, fields, key="slug"):
    return Table(
        name,
        lambda initiatives: model.objects.order_by(key).values_list(
            *(column(model, field) for field, _ in fields)
        ),
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
            chinese_or_empty("title"),
            "summary",
            chinese_or_empty("summary"),
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
            .values_list("initiative__slug", F("position"), "text", "text_zh", "location", "quote")
        ),
        [
            ("initiative", "string"),
            ("position", "integer"),
            ("text", "string"),
            ("text_zh", "string"),
            ("location", "string"),
            ("quote", "string"),
        ],
        [],
        [(["initiative"], "initiatives", ["slug"])],
    ),
    # Tool profiles (issue 14): the initiatives described as tools, their tasks and safeguards.
    vocabulary_table("tasks", Task, [*TERM_FIELDS, ("position", "integer")]),
    Table(
        "tool_profiles",
        lambda initiatives: (
            ToolProfile.objects.filter(initiative__in=initiatives)
            .order_by("initiative__slug")
            .values_list(
                "initiative__slug",
                "inputs",
                "deployment",
                "licence",
                "languages",
                "available_to",
                "access",
                "location",
            )
        ),
        [
            ("initiative", "string"),
            ("inputs", "string"),
            ("deployment", "string"),
            ("licence", "string"),
            ("languages", "string"),
            ("available_to", "string"),
            ("access", "string"),
            ("location", "string"),
        ],
        ["initiative"],
        [(["initiative"], "initiatives", ["slug"])],
    ),
    Table(
        "tool_profile_tasks",
        lambda initiatives: (
            ToolProfile.tasks.through.objects.filter(toolprofile__initiative__in=initiatives)
            .order_by("toolprofile__initiative__slug", "task__position", "task__slug")
            .values_list("toolprofile__initiative__slug", "task__slug")
        ),
        [("initiative", "string"), ("task", "string")],
        ["initiative", "task"],
        [(["initiative"], "tool_profiles", ["initiative"]), (["task"], "tasks", ["slug"])],
    ),
    Table(
        "safeguards",
        lambda initiatives: (
            Safeguard.objects.filter(profile__initiative__in=initiatives)
            .order_by("profile__initiative__slug", "position", "pk")
            .values_list(
                "profile__initiative__slug",
                "position",
                "kind",
                "description",
                "evidence",
                "source__slug",
                "location",
            )
        ),
        [
            ("initiative", "string"),
            ("position", "integer"),
            ("kind", "string"),
            ("description", "string"),
            ("evidence", "string"),
            ("source", "string"),
            ("location", "string"),
        ],
        [],
        [(["initiative"], "tool_profiles", ["initiative"]), (["source"], "sources", ["slug"])],
    ),
    # The reports and events the seeds describe (catalogue/models/publications.py): whole, as
    # the vocabularies are, with only the published cases they feature.
    vocabulary_table(
        "publications",
        Publication,
        [
            ("slug", "string"),
            ("kind", "string"),
            ("title", "string"),
            ("title_zh", "string"),
            ("date", "date"),
            ("date_in_source", "string"),
            ("date_location", "string"),
            ("description", "string"),
        ],
    ),
    Table(
        "publication_items",
        lambda initiatives: PublicationItem.objects.order_by(
            "publication__slug", "position", "pk"
        ).values_list(
            "publication__slug",
            "position",
            "kind",
            "heading",
            "heading_zh",
            "figure",
            "quote",
            "quote_zh",
            "source__slug",
            "location",
        ),
        [
            ("publication", "string"),
            ("position", "integer"),
            ("kind", "string"),
            ("heading", "string"),
            ("heading_zh", "string"),
            ("figure", "string"),
            ("quote", "string"),
            ("quote_zh", "string"),
            ("source", "string"),
            ("location", "string"),
        ],
        [],
        [(["publication"], "publications", ["slug"]), (["source"], "sources", ["slug"])],
    ),
    Table(
        "publication_organisations",
        lambda initiatives: PublicationRole.objects.order_by(
            "publication__slug", "position", "pk"
        ).values_list("publication__slug", "organisation__slug", "role"),
        [("publication", "string"), ("organisation", "string"), ("role", "string")],
        ["publication", "organisation", "role"],
        [(["publication"], "publications", ["slug"]), (["organisation"], "organisations", ["slug"])],
    ),
    Table(
        "publication_initiatives",
        lambda initiatives: (
            FeaturedInitiative.objects.filter(initiative__in=initiatives)
            .order_by("publication__slug", "position", "pk")
            .values_list("publication__slug", "initiative__slug", "location")
        ),
        [("publication", "string"), ("initiative", "string"), ("location", "string")],
        ["publication", "initiative"],
        [(["publication"], "publications", ["slug"]), (["initiative"], "initiatives", ["slug"])],
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


def write_csv(file, table, initiatives):
    writer = csv.writer(file)
    writer.writerow([name for name, _ in table.fields])
    for row in table.rows(initiatives).iterator(chunk_size=CHUNK_SIZE):
        writer.writerow(safe_row(cell(value) for value in row))


NESTED = [  # (key in a record, table, only the related record's slug)
    ("alignments", "alignments", False),
    ("citations", "citations", False),
    ("key_figures", "key_figures", False),
    *(
        (relation, f"initiative_{relation}", True)
        for relation in ("sectors", "technologies", "beneficiary_groups", "partners")
    ),
]


def nested_records(initiatives):
    """Each of `initiatives` (published) as one JSON-ready record, with its alignments (and
    their evidence), citations, key figures, partners and vocabularies, by slug, and its tool
    profile (with its tasks and safeguards) or None. Read
    CHUNK_SIZE initiatives at a time, each chunk's related rows with one query per table, so
    that only one chunk is ever in memory."""
    table = TABLES_BY_NAME["initiatives"]
    rows = table.rows(initiatives).annotate(row_id=F("pk"))  # the table's fields, then the case's id
    for chunk in batched(rows.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        # Their ids as values, not as a subquery: PostgreSQL then reads only their rows by index
        # (a subquery had it scan the whole of each table for every chunk).
        ids = [row[-1] for row in chunk]
        children = {key: _grouped(TABLES_BY_NAME[name], ids, flat) for key, name, flat in NESTED}
        tools = _tool_profiles(ids)
        for *row, _ in chunk:
            record = {name: _json_value(value) for (name, _), value in zip(table.fields, row, strict=True)}
            record["countries"] = _countries(row[7])
            for key, groups in children.items():
                record[key] = groups.get(record["slug"], [])
            record["tool_profile"] = _tool_profile(record["slug"], tools)
            yield record


def _tool_profiles(ids):
    """The tool profiles of a chunk of initiatives, their tasks and their safeguards, by
    initiative: one query, and two more only when one of them is a tool."""
    profiles = _grouped(TABLES_BY_NAME["tool_profiles"], ids)
    if not profiles:
        return {}, {}, {}
    tasks = _grouped(TABLES_BY_NAME["tool_profile_tasks"], ids, flat=True)
    return profiles, tasks, _grouped(TABLES_BY_NAME["safeguards"], ids)


def _tool_profile(slug, tools):
    """The initiative's tool profile as one object with its tasks and safeguards, or None."""
    profiles, tasks, safeguards = tools
    if slug not in profiles:
        return None
    (profile,) = profiles[slug]
    return {**profile, "tasks": tasks.get(slug, []), "safeguards": safeguards.get(slug, [])}


def nested_catalogue(version):
    """The published catalogue as one JSON document, in pieces to write one after another:
    the same text as `json.dump` of the whole document, without holding it."""
    head = {
        "name": "casebook",
        "version": version.number,  # the data revision (catalogue/dataset.py tells the two apart)
        "dataset_version": current_version(),
        "updated_at": _json_value(version.changed_at),
        "licence": LICENCE,
        "quoted_text": QUOTED_TEXT_TERMS,
    }
    yield json.dumps(head, ensure_ascii=False).removesuffix("}") + ', "initiatives": ['
    for index, record in enumerate(nested_records(Initiative.objects.published())):
        yield ("" if index == 0 else ", ") + json.dumps(record, ensure_ascii=False)
    yield '], "publications": ' + json.dumps(list(nested_publications()), ensure_ascii=False) + "}"


def nested_publications():
    """Each report and event as one JSON-ready record with its items, organisations and the
    published cases it features (a few dozen records: read whole)."""
    published = Initiative.objects.published()
    table = TABLES_BY_NAME["publications"]
    children = {
        "items": _grouped(TABLES_BY_NAME["publication_items"], published),
        "organisations": _grouped(TABLES_BY_NAME["publication_organisations"], published),
        "initiatives": _grouped(TABLES_BY_NAME["publication_initiatives"], published),
    }
    for row in table.rows(published):
        record = {name: _json_value(value) for (name, _), value in zip(table.fields, row, strict=True)}
        for key, groups in children.items():
            record[key] = groups.get(record["slug"], [])
        yield record


def json_array(records):
    """A JSON array, written a record at a time (for a streamed download)."""
    yield "[\n"
    for index, record in enumerate(records):
        yield ("" if index == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def _grouped(table, initiatives, flat=False):
    """`table`'s rows for a chunk of initiatives, by initiative: read in one go (a chunk's rows
    are few), without the round trips of a server-side cursor."""
    groups = {}
    names = [name for name, _ in table.fields]
    for row in table.rows(initiatives):
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


def package_version(version):
    """ "1.2.0+revision.57": dataset version 1.2.0 as the site holds it at data revision 57."""
    return f"{current_version()}+revision.{version.number}"


def descriptor(version, created):
    return {
        "name": "casebook",
        "title": "Casebook: case studies of AI for children and for social good",
        # The dataset version (an editorial release), with the data revision as build metadata.
        "version": package_version(version),
        "created": created.isoformat(),
        "licenses": [LICENCE],
        "description": f"The catalogue's own records are licensed under {LICENCE['title']}. "
        + QUOTED_TEXT_TERMS,
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
    """Write every file for the current data version, each to a temporary file in the
    downloads folder, then put them all in place (VERSION last). If anything fails, the files
    already there stay as they were and the temporary ones are removed.
    Returns the version written (or already there)."""
    version = catalogue_version()
    if written_version() == version.number:
        return version.number
    folder = downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    published = Initiative.objects.published()
    writers = [
        *(
            (f"{table.name}.csv", lambda file, table=table: write_csv(file, table, published))
            for table in TABLES
        ),
        (JSON_FILE, lambda file: file.writelines(nested_catalogue(version))),
        (DESCRIPTOR, lambda file: file.write(json.dumps(descriptor(version, timezone.now()), indent=2))),
        (VERSION_FILE, lambda file: file.write(str(version.number))),
    ]
    with ExitStack() as cleanup:
        written = []
        for name, write in writers:
            temporary = folder / f".{name}.{uuid.uuid4().hex}.part"  # never served: not a published name
            cleanup.callback(temporary.unlink, missing_ok=True)  # once in place, nothing left to remove
            with temporary.open("x", encoding="utf-8", newline="") as file:
                write(file)
            written.append((temporary, folder / name))
        for temporary, path in written:
            os.replace(temporary, path)
    return version.number
