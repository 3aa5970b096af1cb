"""Plain factory functions: sensible defaults, override what a test cares about."""

import itertools

from catalogue.models import (
    Citation,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Technology,
)

_counter = itertools.count(1)


def _unique(prefix):
    return f"{prefix}-{next(_counter)}"


def make_organisation(**overrides):
    slug = overrides.pop("slug", _unique("organisation"))
    defaults = {"slug": slug, "name": slug.replace("-", " ").title(), "kind": Organisation.Kind.COMPANY}
    return Organisation.objects.create(**{**defaults, **overrides})


def make_sector(**overrides):
    slug = overrides.pop("slug", _unique("sector"))
    return Sector.objects.create(**{"slug": slug, "name": slug.replace("-", " ").title(), **overrides})


def make_technology(**overrides):
    slug = overrides.pop("slug", _unique("technology"))
    return Technology.objects.create(**{"slug": slug, "name": slug.replace("-", " ").title(), **overrides})


def make_source(**overrides):
    slug = overrides.pop("slug", _unique("source"))
    return Source.objects.create(**{"slug": slug, "title": slug.replace("-", " ").title(), **overrides})


def make_requirement(number=5, **overrides):
    requirement, _ = Requirement.objects.get_or_create(
        number=number,
        defaults={"slug": f"requirement-{number}", "title": f"Requirement {number}", **overrides},
    )
    return requirement


def make_initiative(*, sectors=(), technologies=(), requirements=(), sources=(), **overrides):
    """A published initiative with a lead organisation unless the test says otherwise."""
    slug = overrides.pop("slug", _unique("initiative"))
    defaults = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "summary": f"Summary of {slug}.",
        "status": Initiative.Status.PUBLISHED,
    }
    if "lead_organisation" not in overrides:
        defaults["lead_organisation"] = make_organisation()
    initiative = Initiative.objects.create(**{**defaults, **overrides})
    initiative.sectors.set(sectors)
    initiative.technologies.set(technologies)
    for requirement in requirements:
        RequirementAlignment.objects.create(
            initiative=initiative, requirement=requirement, rationale="Test rationale."
        )
    for position, source in enumerate(sources, start=1):
        Citation.objects.create(
            initiative=initiative, source=source, location=f"P{position}", position=position
        )
    return initiative
