"""Plain factory functions: sensible defaults, override what a test cares about."""

import itertools

from django.utils import timezone

from catalogue.models import (
    Citation,
    Initiative,
    Organisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)
from catalogue.seeding import seed_tasks

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


def make_tool_profile(initiative, *, tasks=(), safeguards=(), **overrides):
    """`initiative` described as a tool; `tasks` are Task records or the slugs of the seeded
    ones, `safeguards` dicts of Safeguard fields."""
    if not Task.objects.exists():  # a database a transactional test flushed
        seed_tasks()
    profile = ToolProfile.objects.create(initiative=initiative, **overrides)
    profile.tasks.set(task if isinstance(task, Task) else Task.objects.get(slug=task) for task in tasks)
    for position, safeguard in enumerate(safeguards, start=1):
        profile.safeguards.create(position=position, **safeguard)
    return profile


# --- Partners and submissions ----------------------------------------------------------------

PARTNER_PASSWORD = "correct-horse-battery-staple-7"


def add_published(count, *, sectors=(), technologies=(), requirements=(), sources=(), prefix="bulk"):
    """`count` published initiatives sharing `sectors`, `technologies`, `requirements` and
    `sources`, written with one bulk INSERT per table so that a test can afford hundreds."""
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"{prefix}-{n}",
            title=f"{prefix.title()} {n:04}",
            summary="A bulk initiative.",
            status=Initiative.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    for relation, target, values in [
        ("sectors", "sector", sectors),
        ("technologies", "technology", technologies),
    ]:
        through = getattr(Initiative, relation).through
        through.objects.bulk_create(
            through(initiative_id=initiative.pk, **{f"{target}_id": value.pk})
            for initiative in initiatives
            for value in values
        )
    RequirementAlignment.objects.bulk_create(
        RequirementAlignment(initiative=initiative, requirement=requirement, rationale="Bulk.")
        for initiative in initiatives
        for requirement in requirements
    )
    Citation.objects.bulk_create(
        Citation(initiative=initiative, source=source, location=f"P{position}", position=position)
        for initiative in initiatives
        for position, source in enumerate(sources, start=1)
    )
    return initiatives


def make_partner(email=None, *, organisation=None, confirmed=False, **overrides):
    """An active partner account (email is the username) with a profile."""
    from django.contrib.auth import get_user_model

    from catalogue.models import PartnerProfile

    email = email or f"{_unique('partner')}@example.org"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PARTNER_PASSWORD, **overrides
    )
    PartnerProfile.objects.create(user=user, organisation=organisation, organisation_confirmed=confirmed)
    return user


def make_api_token(user, name="test tool", **overrides):
    """A new API token for the user; returns its key (only the hash is stored)."""
    from accounts.services import create_api_token

    return create_api_token(user, name, **overrides)[1]


def make_editor(email=None):
    """A member of the Editors group (created by migration), not staff."""
    from django.contrib.auth.models import Group

    user = make_partner(email or f"{_unique('editor')}@example.org")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_submission(partner, *, status=Initiative.Status.DRAFT, **overrides):
    """A partner's initiative in the given status, with its status history."""
    from catalogue.models import StatusChange

    initiative = make_initiative(status=status, submitted_by=partner, **overrides)
    StatusChange.objects.create(initiative=initiative, actor=partner, to_status=Initiative.Status.DRAFT)
    if status != Initiative.Status.DRAFT:
        StatusChange.objects.create(
            initiative=initiative,
            actor=partner,
            from_status=Initiative.Status.DRAFT,
            to_status=Initiative.Status.SUBMITTED,
        )
    return initiative


def make_community(**overrides):
    """A community (the one the migration creates is there too, except after a flush)."""
    from hub.models import Community

    slug = overrides.pop("slug", None) or _unique("community")
    defaults = {"name": slug.replace("-", " ").title(), "description": "Practitioners of a craft."}
    return Community.objects.create(slug=slug, **{**defaults, **overrides})


def make_membership(user, community, *, status="applied", days_left=300, **overrides):
    """`user`'s application to `community` in the given status; an approved one (or one that
    was approved: revoked, expired) gets an expiry `days_left` days from now (negative: past)."""
    from datetime import timedelta

    from django.utils import timezone

    from hub.models import Membership

    fields = {
        "organisation": "National Police Cybercrime Unit",
        "role": "Investigator",
        "reason": "I investigate online child sexual exploitation.",
        "country": "KE",
        "status": status,
    }
    if status != "applied":
        fields["decided_at"] = timezone.now()
    if status in ("approved", "revoked", "expired"):
        fields["expires_at"] = timezone.now() + timedelta(days=days_left)
    fields.update(overrides)
    return Membership.objects.create(user=user, community=community, **fields)


def make_restricted_part(initiative, community, *, text="Ask the unit's duty officer.", **overrides):
    """A members-only part of `initiative` for `community` (an access contact by default)."""
    from hub.models import RestrictedPart

    return RestrictedPart.objects.create(initiative=initiative, community=community, text=text, **overrides)


def make_experience_report(initiative, author, *, status="pending", **overrides):
    """`author`'s experience report on `initiative`, under their active membership."""
    from hub.models import ExperienceReport, Membership

    membership = Membership.objects.filter(user=author).active().get()
    fields = {
        "where_used": "A cybercrime unit in Kenya",
        "used_for": "Triage of seized devices.",
        "what_worked": "It sorted the images quickly.",
        "what_did_not": "",
        "status": status,
    }
    fields.update(overrides)
    return ExperienceReport.objects.create(
        initiative=initiative,
        author=author,
        author_membership=membership,
        community=membership.community,
        **fields,
    )
