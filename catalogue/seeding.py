"""Load the shipped catalogue (fixtures/catalogue/*.json) into the database.

Records are matched by slug (requirements by number), so loading is idempotent. Each record
remembers a digest of the fixture entry it was loaded from; a changed entry updates its record
on the next run unless an editor changed the record since, in which case it is left alone and
reported. The format is described in fixtures/README.md.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F

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
from .revisions import touch


class FixtureError(Exception):
    """The fixture files are inconsistent; the message says which file and record."""


@dataclass(frozen=True)
class Section:
    key: str
    model: type
    match_field: str = "slug"


# Load order follows the foreign keys: initiatives refer to everything before them.
SECTIONS = [
    Section("sources", Source),
    Section("requirements", Requirement, match_field="number"),
    Section("sectors", Sector),
    Section("technologies", Technology),
    Section("beneficiary_groups", BeneficiaryGroup),
    Section("organisations", Organisation),
    Section("initiatives", Initiative),
    Section("publications", Publication),
]
SECTION_KEYS = {section.key for section in SECTIONS}

# Initiative fields that name other records rather than hold values.
INITIATIVE_RELATIONS = {
    "lead_organisation",
    "partners",
    "sectors",
    "technologies",
    "beneficiary_groups",
    "key_figures",
    "alignments",
    "citations",
    "tool_profile",
}

# Publication fields that name other records rather than hold values.
PUBLICATION_RELATIONS = {"launches", "sources", "organisations", "items", "initiatives"}


@dataclass
class LoadReport:
    created: dict = field(default_factory=lambda: defaultdict(int))
    updated: dict = field(default_factory=lambda: defaultdict(int))
    unchanged: dict = field(default_factory=lambda: defaultdict(int))
    kept_edited: list = field(default_factory=list)

    def lines(self):
        for section in SECTIONS:
            key = section.key
            yield (
                f"{key}: {self.created[key]} created, {self.updated[key]} updated, "
                f"{self.unchanged[key]} unchanged"
            )
        for label in self.kept_edited:
            yield f"kept (edited since it was loaded; use --overwrite-edited to replace): {label}"


def read_fixture_files(directory):
    """Merge every *.json file in `directory` into {section key: {match value: entry}}."""
    files = sorted(Path(directory).glob("*.json"))
    if not files:
        raise FixtureError(f"No fixture files (*.json) in {directory}")
    merged = {section.key: {} for section in SECTIONS}
    origin = {}
    for path in files:
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise FixtureError(f"{path.name}: not valid JSON ({error})") from error
        unknown = set(content) - SECTION_KEYS
        if unknown:
            raise FixtureError(f"{path.name}: unknown sections {sorted(unknown)}")
        for section in SECTIONS:
            for entry in content.get(section.key, []):
                key = entry.get(section.match_field)
                if key in (None, ""):
                    raise FixtureError(f"{path.name}: a {section.key} entry has no {section.match_field}")
                existing = merged[section.key].get(key)
                if existing is None:
                    merged[section.key][key] = entry
                    origin[section.key, key] = path.name
                else:
                    merged[section.key][key] = _merge_entries(
                        existing,
                        entry,
                        f"{section.key} {key!r} in {origin[section.key, key]} and {path.name}",
                    )
    return merged


def _merge_entries(first, second, where):
    """Combine two definitions of one record; they may complete but not contradict each other."""
    combined = dict(first)
    for name, value in second.items():
        if value in ("", None, []) or combined.get(name) == value:
            continue
        if combined.get(name) in ("", None, []):
            combined[name] = value
        else:
            raise FixtureError(f"{where} disagree on {name!r}: {combined[name]!r} vs {value!r}")
    return combined


def entry_digest(entry):
    return hashlib.sha256(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_catalogue(directory, *, overwrite_edited=False, dry_run=False):
    """Create or update the catalogue from the fixture files; return a LoadReport.

    Everything happens in one transaction: an error leaves the database as it was.
    """
    fixtures = read_fixture_files(directory)
    report = LoadReport()
    try:
        with transaction.atomic():
            loader = _Loader(report, overwrite_edited)
            seed_tasks()
            for section in SECTIONS:
                loader.load_section(section, fixtures[section.key])
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        return report
    # Fresh planner statistics: without them SQLite chooses poor indexes for the per-record
    # initiative counts (see bench/README.md).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return report


class _DryRunRollback(Exception):
    pass


class _Loader:
    def __init__(self, report, overwrite_edited):
        self.report = report
        self.overwrite_edited = overwrite_edited
        self.by_slug = {}
        self.launches = {}  # publication: slug of the publication it launches, set once all exist

    def load_section(self, section, entries):
        model = section.model
        existing = {getattr(obj, section.match_field): obj for obj in model.objects.all()}
        for key, entry in entries.items():
            digest = entry_digest(entry)
            record = existing.get(key)
            if record is None:
                record = model(**{section.match_field: key})
                self._apply(section, record, entry, digest)
                self.report.created[section.key] += 1
            elif record.seed_digest == digest:
                self.report.unchanged[section.key] += 1
            elif self._edited_by_someone(record) and not self.overwrite_edited:
                self.report.kept_edited.append(f"{model._meta.verbose_name} {key}")
            else:
                self._apply(section, record, entry, digest)
                self.report.updated[section.key] += 1
        self.by_slug[section.key] = {obj.slug: obj for obj in model.objects.all()}
        if section.key == "publications":
            self._link_launched_publications()

    @staticmethod
    def _edited_by_someone(record):
        # A record that never came from the fixtures (seed_digest empty) belongs to an editor.
        return not record.seed_digest or record.edited_since_seeding

    def _apply(self, section, record, entry, digest):
        relations = PUBLICATION_RELATIONS if section.key == "publications" else INITIATIVE_RELATIONS
        values = {name: value for name, value in entry.items() if name not in relations}
        if section.key == "initiatives":
            values.setdefault("status", Initiative.Status.PUBLISHED)
            if record.status == Initiative.Status.MEMBERS_ONLY:
                # Editors restricted it to a community: reloading its text must never publish it.
                values["status"] = record.status
            values["lead_organisation"] = self._lookup("organisations", entry.get("lead_organisation"), entry)
        for name, value in values.items():
            if value is None and name not in ("start_year", "published_on", "date"):
                value = ""
            setattr(record, name, value)
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise FixtureError(
                f"{section.key} {entry.get(section.match_field)!r}: {error.message_dict}"
            ) from error
        record.save()
        if section.key == "initiatives":
            self._apply_initiative_relations(record, entry)
        if section.key == "publications":
            self._apply_publication_relations(record, entry)
        # Mark the record as matching this entry; .update() leaves updated_at untouched. Its
        # stored updated_at, not record.updated_at: setting the relations above stamped it again.
        record.seed_digest = digest
        type(record).objects.filter(pk=record.pk).update(seed_digest=digest, seeded_at=F("updated_at"))

    def _lookup(self, section_key, slug, entry, referrer="initiative"):
        if slug in (None, ""):
            return None
        try:
            return self.by_slug[section_key][slug]
        except KeyError:
            raise FixtureError(
                f"{referrer} {entry['slug']!r} refers to unknown {section_key} {slug!r}"
            ) from None

    def _apply_publication_relations(self, publication, entry):
        def lookup(section_key, slug):
            return self._lookup(section_key, slug, entry, referrer="publication")

        self.launches[publication.pk] = (entry.get("launches") or "", entry)
        publication.sources.set([lookup("sources", slug) for slug in entry.get("sources", [])])

        # What the featured cases show changes with these links (their "Featured in"), so
        # they are stamped, as a renamed vocabulary record stamps the cases showing it.
        featured_before = set(publication.features.values_list("initiative", flat=True))
        publication.roles.all().delete()
        publication.items.all().delete()
        publication.features.all().delete()
        roles = [
            PublicationRole(
                publication=publication,
                organisation=lookup("organisations", role["organisation"]),
                role=role["role"],
                position=position,
            )
            for position, role in enumerate(entry.get("organisations", []), start=1)
        ]
        items = [
            PublicationItem(
                publication=publication,
                source=lookup("sources", item["source"]),
                position=position,
                **_without(item, "source"),
            )
            for position, item in enumerate(entry.get("items", []), start=1)
        ]
        features = [
            FeaturedInitiative(
                publication=publication,
                initiative=lookup("initiatives", feature["initiative"]),
                location=feature.get("location", ""),
                position=position,
            )
            for position, feature in enumerate(entry.get("initiatives", []), start=1)
        ]
        self._validated_bulk_create(PublicationRole, roles, entry, exclude=["publication", "organisation"])
        self._validated_bulk_create(PublicationItem, items, entry, exclude=["publication", "source"])
        self._validated_bulk_create(
            FeaturedInitiative, features, entry, exclude=["publication", "initiative"]
        )
        featured_now = {feature.initiative.pk for feature in features}
        touch(Initiative.objects.filter(pk__in=featured_before | featured_now), edit=False)

    def _link_launched_publications(self):
        for pk, (slug, entry) in self.launches.items():
            launched = self._lookup("publications", slug, entry, referrer="publication")
            # .update(): bookkeeping of the load, like seed_digest; the record was just saved.
            Publication.objects.filter(pk=pk).update(launches=launched)

    def _apply_initiative_relations(self, initiative, entry):
        for name, section_key in [
            ("partners", "organisations"),
            ("sectors", "sectors"),
            ("technologies", "technologies"),
            ("beneficiary_groups", "beneficiary_groups"),
        ]:
            getattr(initiative, name).set(
                [self._lookup(section_key, slug, entry) for slug in entry.get(name, [])]
            )

        initiative.key_figures.all().delete()
        KeyFigure.objects.bulk_create(
            KeyFigure(
                initiative=initiative,
                position=position,
                text=figure["text"],
                text_zh=figure.get("text_zh", ""),
                location=figure.get("location", ""),
                quote=figure.get("quote", ""),
            )
            for position, figure in enumerate(entry.get("key_figures", []), start=1)
        )

        requirements = {requirement.number: requirement for requirement in Requirement.objects.all()}
        initiative.alignments.all().delete()
        alignments = []
        for alignment in entry.get("alignments", []):
            number = alignment["requirement"]
            if number not in requirements:
                raise FixtureError(f"initiative {entry['slug']!r} aligns with unknown requirement {number!r}")
            alignments.append(
                RequirementAlignment(
                    initiative=initiative,
                    requirement=requirements[number],
                    **_without(alignment, "requirement"),
                )
            )
        self._validated_bulk_create(
            RequirementAlignment, alignments, entry, exclude=["initiative", "requirement"]
        )

        initiative.citations.all().delete()
        citations = [
            Citation(
                initiative=initiative,
                source=self._lookup("sources", citation["source"], entry),
                **_without(citation, "source"),
            )
            for citation in entry.get("citations", [])
        ]
        self._validated_bulk_create(Citation, citations, entry, exclude=["initiative", "source"])
        self._apply_tool_profile(initiative, entry)

    def _apply_tool_profile(self, initiative, entry):
        """The entry's `tool_profile` (its fields, `tasks` by slug, `safeguards` each citing a
        source by slug), or none when the entry has no such key."""
        tool = entry.get("tool_profile")
        if tool is None:
            ToolProfile.objects.filter(initiative=initiative).delete()
            return
        fields = {name: value for name, value in tool.items() if name not in ("tasks", "safeguards")}
        profile = ToolProfile.objects.filter(initiative=initiative).first() or ToolProfile(
            initiative=initiative
        )
        for name, value in fields.items():
            setattr(profile, name, value)
        try:
            profile.full_clean(exclude=["initiative"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise FixtureError(f"{entry['slug']!r}, tool profile: {error.message_dict}") from error
        profile.save()
        tasks = {task.slug: task for task in Task.objects.filter(slug__in=tool.get("tasks", []))}
        for slug in tool.get("tasks", []):
            if slug not in tasks:
                raise FixtureError(f"initiative {entry['slug']!r} names unknown task {slug!r}")
        profile.tasks.set(tasks[slug] for slug in tool.get("tasks", []))
        profile.safeguards.all().delete()
        safeguards = [
            Safeguard(
                profile=profile,
                source=self._lookup("sources", safeguard.get("source"), entry),
                position=position,
                **_without(safeguard, "source"),
            )
            for position, safeguard in enumerate(tool.get("safeguards", []), start=1)
        ]
        self._validated_bulk_create(Safeguard, safeguards, entry, exclude=["profile", "source"])

    @staticmethod
    def _validated_bulk_create(model, objects, entry, exclude):
        for obj in objects:
            try:
                obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                raise FixtureError(
                    f"{entry['slug']!r}, {model._meta.verbose_name}: {error.message_dict}"
                ) from error
        model.objects.bulk_create(objects)


def seed_tasks():
    """The Task vocabulary as migration 0033 seeds it (its terms live there, once): the terms
    a database lacks (one emptied since its migrations, such as a flushed test database) are
    created, and each is marked as loaded (seed_digest) unless an editor changed it since."""
    import importlib

    migration = importlib.import_module("catalogue.migrations.0033_tool_profiles")
    for position, (slug, name, name_zh, description) in enumerate(migration.TASKS, start=1):
        values = {
            "name": name,
            "name_zh": name_zh,
            "name_zh_origin": "editorial",
            "description": description,
            "position": position,
        }
        digest = entry_digest({"slug": slug, **values})
        task, _created = Task.objects.get_or_create(slug=slug, defaults=values)
        if task.seed_digest != digest and not task.edited_since_seeding:
            Task.objects.filter(pk=task.pk).update(seed_digest=digest, seeded_at=F("updated_at"))


def _without(mapping, key):
    return {name: value for name, value in mapping.items() if name != key}
