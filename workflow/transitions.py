"""The submission workflow: a partner saves drafts and submits them; an editor publishes,
asks for changes or rejects. Every step runs in one transaction and is recorded as a
StatusChange with who, when, a note and a snapshot of the content; review decisions are
emailed to the partner.

The form views and the API both call these functions, so the two doors share one set of
rules about who may do what, and when.
"""

import hashlib
import itertools
import json
import math
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone, translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casebook.site import site_url
from catalogue.languages import (
    TRANSLATED_FIELDS,
    language_codes,
    partner_text_origins,
    partners_original,
    text_key,
    texts_by_language,
)
from catalogue.models import (
    Citation,
    Initiative,
    KeyFigure,
    Organisation,
    ProposedOrganisation,
    RequirementAlignment,
    Safeguard,
    Source,
    StatusChange,
    SubmissionComment,
    SubmissionEdit,
    SubmissionField,
    SubmittedSource,
    TextOrigin,
    ToolProfile,
    other_language_texts,
)

from . import notifications

Status = Initiative.Status


# The title and summary in each language, English first.
TEXT_KEYS = [
    text_key(field, language)
    for language in ["en", *(code for code in language_codes() if code != "en")]
    for field in TRANSLATED_FIELDS
]

# What a submission's content is made of (see `save_content`); also `original_language`, the
# code of the language the partner wrote the title and summary in first.
SCALAR_FIELDS = [
    *TEXT_KEYS,
    "lead_organisation",
    "countries",
    "start_year",
    "website",
    "children_focus",
]
MANY_FIELDS = ["partners", "sectors", "technologies", "beneficiary_groups"]
# The content's English title and summary are their English columns (catalogue/translation.py):
# `initiative.title` reads and writes the interface language's.
CONTENT_ATTRIBUTES = {"title": "title_en", "summary": "summary_en"}
CHINESE_AND_ENGLISH = ("title", "title_zh", "summary", "summary_zh")


def content_attribute(name):
    return CONTENT_ATTRIBUTES.get(name, name)


# Labels for the snapshot keys, in the order the review page lists changes.
SNAPSHOT_LABELS = {
    "title": _("Title"),
    "title_zh": _("Chinese title"),
    "summary": _("Summary"),
    "summary_zh": _("Chinese summary"),
    # the other languages' as the form labels them: "Title (Français)"
    **{key: label for key, label, *_rest in other_language_texts()},
    "original_language": _("Original language"),
    "lead_organisation": _("Lead organisation"),
    "partners": _("Partner organisations"),
    "sectors": _("Sectors"),
    "technologies": _("AI technologies"),
    "beneficiary_groups": _("Beneficiary groups"),
    "countries": _("Countries"),
    "start_year": _("Start year"),
    "website": _("Website"),
    "children_focus": _("Focused on children"),
    "key_figures": _("Key figures"),
    "requirements": _("UNICEF requirements addressed"),
    "sources": _("Sources"),
    "tool_profile": _("As a tool"),
}

# Idempotency keys are namespaced per user, so one partner's key can never collide with
# (or reveal) another's submission.
TOKEN_NAMESPACE = uuid.UUID("5b0c7c52-4c0e-4d8e-9d36-0d6a1f5b2a11")


class TransitionNotAllowed(Exception):
    """The initiative is not in a status from which this step may be taken."""


class ClaimTaken(Exception):
    """Another editor took the submission after the page the claim came from was shown."""

    def __init__(self, holder):
        super().__init__(
            _("%(editor)s claimed this submission just before you. Take it over if you need to.")
            % {"editor": holder.email if holder else _("Nobody")}
        )
        self.holder = holder


class EditConflict(Exception):
    """The submission changed (the partner or another editor saved it) after the page the
    editor's edit came from was shown; the edit is not saved over it."""

    def __init__(self):
        super().__init__(
            _(
                "This submission changed after you opened the page (the partner or another editor "
                "saved it): nothing was saved. The page now shows its current content; make your "
                "change again."
            )
        )


class SubmissionRateExceeded(Exception):
    """The partner created more submissions in the last hour than settings allow."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after  # seconds until the oldest of them leaves the hour


class IdempotencyKeyReused(Exception):
    """The idempotency key was first sent with other content; answering with the first draft
    would silently drop the change."""

    def __init__(self, initiative):
        super().__init__(
            _(
                "This Idempotency-Key was first sent with a different body, which created submission "
                "%(id)s. Send a new key for a new submission, or PUT the change to that submission."
            )
            % {"id": initiative.pk}
        )
        self.initiative = initiative


def is_editor(user):
    """Editors review submissions: active members of the Editors group (who hold
    `catalogue.review_initiative`), staff and superusers. The one rule: pages, the admin and
    the header's links (the `is_editor` template filter) all ask here."""
    return user.is_active and (user.is_staff or user.has_perm("catalogue.review_initiative"))


def editors():
    """The users `is_editor` admits, as a query: whom a submission may be assigned to."""
    may_review = Q(groups__permissions__codename="review_initiative") | Q(
        user_permissions__codename="review_initiative"
    )
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True) | may_review, is_active=True)
        .distinct()
        .order_by("email")
    )


def submission_token(user, key):
    """The stored idempotency token for a client-supplied key (form field or API header)."""
    if not key:
        return None
    return uuid.uuid5(TOKEN_NAMESPACE, f"{user.pk}:{key}")


def check_submission_rate(user):
    """Only submissions count, not drafts: a partner may save as many drafts as they like,
    and send at most SUBMISSIONS_PER_HOUR of them to the editors an hour (a resubmission the
    editors asked for is not counted)."""
    now = timezone.now()
    recent = StatusChange.objects.filter(
        actor=user,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        created_at__gte=now - timedelta(hours=1),
    ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    if recent["count"] >= settings.SUBMISSIONS_PER_HOUR:
        # A place frees up when the oldest submission of the hour leaves it.
        retry_after = max(1, math.ceil((recent["oldest"] + timedelta(hours=1) - now).total_seconds()))
        raise SubmissionRateExceeded(
            ngettext(
                "You have submitted %(count)s case in the last hour; please wait a while.",
                "You have submitted %(count)s cases in the last hour; please wait a while.",
                recent["count"],
            )
            % {"count": recent["count"]},
            retry_after=retry_after,
        )


def unique_slug(model, text, *, exclude_pk=None, max_length=100, skip=0):
    """A slug made from `text` that no other record has (`text-2`, `text-3`… when it is
    taken), passing over `skip` free ones. Only a read: `save_with_free_slug` makes it safe."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    stem = base[: max_length - 6]  # leaves room for a suffix
    taken = model.objects.exclude(pk=exclude_pk).filter(slug__startswith=stem).values_list("slug", flat=True)
    taken = set(taken) | getattr(model, "RESERVED_SLUGS", set())
    if hasattr(model, "slugs_once_published"):  # a cited link must not lead to another record
        taken |= set(model.slugs_once_published(stem))
    candidates = itertools.chain([base], (f"{stem}-{n}" for n in itertools.count(2)))
    free = (slug for slug in candidates if slug not in taken)
    return next(itertools.islice(free, skip, None))


# How often a save is tried with another slug when concurrent requests keep taking the one it
# chose; a bound, so a fault that is not about slugs still ends.
SLUG_ATTEMPTS = 25


def save_with_free_slug(record, text, *, max_length=100):
    """Save `record` under a slug made from `text` that no other record has.

    The unique constraint decides, not the read: when another request took the slug between
    this one's read and its write (twenty partners sending the same title at once), the write
    is undone to a savepoint and tried again with another free slug. Retries pick at random
    among the first few free slugs, so that requests that collided once spread out rather
    than collide again.
    """
    model = type(record)
    for attempt in range(SLUG_ATTEMPTS):
        record.slug = unique_slug(
            model, text, exclude_pk=record.pk, max_length=max_length, skip=secrets.randbelow(attempt + 1)
        )
        try:
            with transaction.atomic():
                record.save()
            return record
        except IntegrityError:
            slug_taken = model.objects.exclude(pk=record.pk).filter(slug=record.slug).exists()
            if not slug_taken or attempt + 1 == SLUG_ATTEMPTS:
                raise  # another constraint failed (not a slug to retry), or out of attempts


# --- The partner's steps ------------------------------------------------------------------------


def create_submission(user, content, *, key=None, fingerprint=""):
    """Save a new draft from validated content. Returns (initiative, created): posting the
    same form (or API request with the same Idempotency-Key) again returns the first draft.

    `fingerprint` identifies the request's body (the API sends a hash of it): the same key
    with another fingerprint raises IdempotencyKeyReused rather than return a draft that does
    not hold what was sent.
    """
    token = submission_token(user, key)
    if token and (existing := _first_for_key(token, fingerprint)):
        return existing, False
    try:
        with transaction.atomic():
            # One partner's new drafts are made one at a time: the lock on their account row
            # holds a request sent twice at once here until the first commits.
            get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).exists()
            if token and (existing := _first_for_key(token, fingerprint)):
                return existing, False  # the same request, sent again while the first ran
            initiative = Initiative(
                submitted_by=user,
                status=Status.DRAFT,
                submission_token=token,
                submission_fingerprint=fingerprint if token else "",
            )
            save_content(initiative, content)
            _record(initiative, user, "", Status.DRAFT)
    except IntegrityError:
        # Two requests with the same key raced past the check above; the other one won.
        if token and (existing := _first_for_key(token, fingerprint)):
            return existing, False
        raise
    return initiative, True


def save_form_copy(user, content, *, key):
    """Save a copy of the new-submission form: a new draft, or, when this copy was saved before
    (a double click; Back, then Save again), the draft it created, changed to what was sent
    now while the partner may still edit it. Returns (initiative, saved); not saved when the
    draft has gone to the editors meanwhile."""
    initiative, created = create_submission(user, content, key=key)
    if created or initiative.status not in Initiative.PARTNER_EDITABLE:
        return initiative, created
    return update_submission(initiative, user, content), True


def link_additions(initiative, original):
    """Record that a new draft proposes additions to `original`, a published case (the
    form was opened from its "propose additions" link); the first link stays."""
    if original is not None and original.pk != initiative.pk:
        Initiative.objects.filter(pk=initiative.pk, additions_to__isnull=True).update(additions_to=original)


def draft_for_key(user, key):
    """The submission this partner's copy of the form (identified by `key`) created, if any."""
    token = submission_token(user, key)
    return Initiative.objects.filter(submission_token=token).first() if token else None


def _first_for_key(token, fingerprint):
    existing = Initiative.objects.filter(submission_token=token).first()
    # A draft saved without a fingerprint (by the form) cannot be compared: it is answered.
    if existing and fingerprint and existing.submission_fingerprint not in ("", fingerprint):
        raise IdempotencyKeyReused(existing)
    return existing


def update_submission(initiative, user, content):
    """Save a partner's changes to a draft or a submission sent back for changes."""
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.status not in Initiative.PARTNER_EDITABLE:
            raise TransitionNotAllowed(_("This submission can no longer be edited."))
        save_content(locked, content)
    return locked


def save_content(initiative, content):
    """Write a submission's content: fields, many-to-many choices, key figures, requirement
    alignments, sources, and the proposed lead organisation (replacing what was there). A
    language whose title and summary are as they were keeps its text's origin."""
    earlier = texts_by_language(initiative)
    for name in SCALAR_FIELDS:
        setattr(initiative, content_attribute(name), content[name])
    initiative.text_origins = partner_text_origins(
        initiative, content.get("original_language") or "en", earlier
    )
    proposed = content.get("proposed_organisation")
    if proposed:
        initiative.lead_organisation = None
    save_with_free_slug(initiative, initiative.title_en)
    for name in MANY_FIELDS:
        getattr(initiative, name).set(content.get(name, []))

    initiative.key_figures.all().delete()
    KeyFigure.objects.bulk_create(
        KeyFigure(initiative=initiative, position=n, text=figure["text"], text_zh=figure.get("text_zh", ""))
        for n, figure in enumerate(content.get("key_figures", []), start=1)
    )
    initiative.alignments.all().delete()
    RequirementAlignment.objects.bulk_create(
        RequirementAlignment(
            initiative=initiative,
            requirement=item["requirement"],
            rationale=item["rationale"],
            made_by=RequirementAlignment.MadeBy.PARTNER,
        )
        for item in content.get("alignments", [])
    )
    initiative.submitted_sources.all().delete()
    SubmittedSource.objects.bulk_create(
        SubmittedSource(
            initiative=initiative,
            position=n,
            title=source["title"],
            url=source.get("url", ""),
            reference=source.get("reference", ""),
        )
        for n, source in enumerate(content.get("sources", []), start=1)
    )
    if proposed:
        ProposedOrganisation.objects.update_or_create(initiative=initiative, defaults=proposed)
    else:
        ProposedOrganisation.objects.filter(initiative=initiative).delete()
    if "tool_profile" in content:  # a client that never sends it leaves the profile alone
        save_tool_profile(initiative, content["tool_profile"])
    return initiative


def save_tool_profile(initiative, tool):
    """Write the submission's tool profile (`tool`: its fields, `tasks` and `safeguards`), or
    remove it when `tool` is None."""
    if tool is None:
        ToolProfile.objects.filter(initiative=initiative).delete()
        return
    fields = {name: value for name, value in tool.items() if name not in ("tasks", "safeguards")}
    profile, _created = ToolProfile.objects.update_or_create(initiative=initiative, defaults=fields)
    profile.tasks.set(tool.get("tasks", []))
    profile.safeguards.all().delete()
    Safeguard.objects.bulk_create(
        Safeguard(profile=profile, position=n, **safeguard)
        for n, safeguard in enumerate(tool.get("safeguards", []), start=1)
    )


def submit(initiative, actor):
    """Send a draft (or a reworked submission) to the editors. Submitting twice is harmless:
    when it is already with the editors (a double click, a retried request) nothing happens
    and None is returned. Raises SubmissionRateExceeded past the hourly limit."""

    def within_the_hourly_limit(locked):
        if locked.status == Status.DRAFT:  # a first submission (not one the editors asked for)
            check_submission_rate(actor)

    try:
        with transaction.atomic():
            # One partner's submissions are made one at a time: the lock on their account row
            # holds concurrent requests here until this one commits, so the count includes
            # every submission made before, and the limit cannot be passed by racing it.
            get_user_model().objects.select_for_update(no_key=True).filter(pk=actor.pk).exists()
            change = _transition(
                initiative,
                actor,
                Initiative.PARTNER_EDITABLE,
                Status.SUBMITTED,
                before_save=within_the_hourly_limit,
            )
    except TransitionNotAllowed:
        if Initiative.objects.filter(pk=initiative.pk, status=Status.SUBMITTED).exists():
            return None
        raise
    base_url = site_url()
    # robust: a mail that cannot be queued is logged; the submission stands.
    transaction.on_commit(lambda: notifications.tell_of_submission(change, base_url), robust=True)
    return change


def withdraw(initiative, actor):
    """Take a submission back from the editors before they decide: it is a draft again, to
    change and submit again, or to delete. Recorded in its history like every step."""
    note = str(_("Withdrawn by the partner."))
    return _transition(initiative, actor, [Status.SUBMITTED], Status.DRAFT, note)


def delete_draft(initiative, actor):
    """Delete a draft: it leaves the partner's pages, but the record and its history stay
    (a StatusChange is never deleted), so what editors saw of it remains traceable."""
    return _transition(initiative, actor, [Status.DRAFT], Status.DELETED)


# --- The editor's steps ------------------------------------------------------------------------


def publish(initiative, actor, note=""):
    """Make a submission public, turning its proposed organisation and sources into
    catalogue records; or bring an archived or members-only initiative back."""
    return _transition(
        initiative,
        actor,
        [Status.SUBMITTED, Status.ARCHIVED, Status.MEMBERS_ONLY],
        Status.PUBLISHED,
        note,
        _approve_proposals,
    )


def restrict_to_members(initiative, actor, note=""):
    """Take a submission, or a published or archived case, out of the public catalogue for
    the members of a community (which one is the hub's record: hub/cases.py calls this), or
    give a members-only case to another community. Unpublishing for the public: the data
    version moves as for an archive. A submission's proposed organisation and sources stay
    proposals, so that nothing of it becomes a public record before it is published."""
    allowed = [Status.SUBMITTED, Status.PUBLISHED, Status.ARCHIVED, Status.MEMBERS_ONLY]
    return _transition(initiative, actor, allowed, Status.MEMBERS_ONLY, note)


def request_changes(initiative, actor, note):
    check_decision("request_changes", note)
    return _transition(initiative, actor, [Status.SUBMITTED], Status.CHANGES_REQUESTED, note)


def reject(initiative, actor, note):
    check_decision("reject", note)
    return _transition(initiative, actor, [Status.SUBMITTED], Status.REJECTED, note)


def archive(initiative, actor, note=""):
    """Take a published initiative off the public catalogue (it can be published again)."""
    return _transition(initiative, actor, [Status.PUBLISHED], Status.ARCHIVED, note)


def close_as_duplicate(initiative, actor, original, note=""):
    """Close a submission as repeating `original`, a published initiative, and link the two:
    the partner is told where the case already is and may propose additions to it."""
    if original.pk == initiative.pk or original.status != Status.PUBLISHED:
        raise ValidationError({"case": _("Choose a published case other than this submission.")})

    def link(locked):
        locked.duplicate_of = original

    return _transition(initiative, actor, [Status.SUBMITTED], Status.DUPLICATE, note, link)


def release(initiative, actor):
    """Give up the claim `actor` holds on a submission, so it is free for any editor. Returns
    False when the actor no longer held it (another editor took it over meanwhile)."""
    held = Initiative.objects.filter(pk=initiative.pk, claimed_by=actor)
    return bool(held.update(claimed_by=None, claimed_at=None))


def claim(initiative, actor, *, editor=None, replacing=None):
    """Give a submission waiting for review to `editor` (the actor: a claim; another editor:
    an assignment), provided it is still held by `replacing`, the editor (or None) the actor's
    page showed. One conditional UPDATE decides, on any database: of two editors claiming at
    once one wins, and the other gets ClaimTaken naming the winner instead of silently
    replacing them. Taking over is explicit: the actor names whom they replace."""
    editor = editor or actor
    if not is_editor(editor):
        raise ValidationError({"editor": _("Only an editor can review a submission.")})
    held_as_shown = Q(claimed_by__isnull=True) if replacing is None else Q(claimed_by=replacing)
    waiting = Initiative.objects.filter(pk=initiative.pk, status=Status.SUBMITTED)
    if waiting.filter(held_as_shown).update(claimed_by=editor, claimed_at=timezone.now()):
        return
    current = Initiative.objects.select_related("claimed_by").get(pk=initiative.pk)
    if current.status != Status.SUBMITTED:
        raise TransitionNotAllowed(_("Only a submission waiting for review can be claimed."))
    if current.claimed_by_id != editor.pk:  # the same claim sent twice is no conflict
        raise ClaimTaken(current.claimed_by)


DECISIONS = {"publish": publish, "request_changes": request_changes, "reject": reject}
# Decisions the partner must be told the reason for.
DECISIONS_NEEDING_A_NOTE = {"request_changes", "reject"}


def check_decision(decision, note):
    """The one rule for review notes, applied by the review form and by the steps themselves."""
    if decision in DECISIONS_NEEDING_A_NOTE and not (note or "").strip():
        raise ValidationError({"note": _("Say what the partner should change, or why it is rejected.")})


def _transition(initiative, actor, allowed_from, to_status, note="", before_save=None):
    with transaction.atomic():
        # The row lock makes a double-clicked button (or two editors at once) take one step.
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.status not in allowed_from:
            raise TransitionNotAllowed(
                _("This initiative is “%(status)s”; that step is not possible now.")
                % {"status": locked.get_status_display()}
            )
        from_status = locked.status
        if from_status == Status.SUBMITTED:
            # Whatever comes next (a decision, a withdrawal), a resubmission is back in the
            # queue for any editor.
            locked.claimed_by, locked.claimed_at = None, None
        if before_save:
            before_save(locked)
        locked.status = to_status
        locked.save()  # Initiative.save() stamps published_at on first publication
        change = _record(locked, actor, from_status, to_status, note)
        if change.is_review:
            # The site's address is read now, while the request that caused the step is known.
            base_url = site_url()
            transaction.on_commit(lambda: notify_partner(change, base_url))
    return change


def _record(initiative, actor, from_status, to_status, note=""):
    return StatusChange.objects.create(
        initiative=initiative,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        snapshot=snapshot(initiative),
    )


def _approve_proposals(initiative):
    proposed = ProposedOrganisation.objects.filter(initiative=initiative, approved_as__isnull=True).first()
    if proposed:
        organisation = Organisation.objects.filter(name__iexact=proposed.name).first()
        if organisation is None:
            organisation = save_with_free_slug(
                Organisation(
                    name=proposed.name,
                    kind=proposed.kind,
                    country=proposed.country,
                    website=proposed.website,
                ),
                proposed.name,
            )
        proposed.approved_as = organisation
        proposed.save(update_fields=["approved_as"])
        initiative.lead_organisation = organisation
    for submitted in initiative.submitted_sources.filter(source__isnull=True):
        source = save_with_free_slug(
            Source(
                title=submitted.title,
                url=submitted.url,
                kind=Source.Kind.PARTNER,
                description=submitted.reference,
            ),
            submitted.title,
            max_length=80,
        )
        Citation.objects.create(
            initiative=initiative,
            source=source,
            location=submitted.reference or str(_("Partner submission")),
            position=submitted.position,
        )
        submitted.source = source
        submitted.save(update_fields=["source"])


def notify_partner(change, base_url):
    """Email the partner who submitted the initiative about an editor's decision, in their
    language (queued: a mail server that is down delays the mail, never the decision)."""
    partner = change.initiative.submitted_by
    if partner is None or not partner.email or not notifications.wants(partner, notifications.Mail.EACH):
        return  # a partner who chose the daily digest reads the decision there
    context = {"change": change, "initiative": change.initiative, "site_url": base_url}
    notifications.send("submissions/email/status_changed", context, partner)


# --- The editor's desk: corrections and the conversation ---------------------------------------

# Editors correct a submission while it waits for their decision; a published case is edited
# in the admin, and a draft is the partner's to change.
EDITOR_EDITABLE = [Status.SUBMITTED]
RATIONALE_PREFIX = "rationale-"


def editable_content(initiative):
    """{key: text} for what an editor may correct on the review page: the title and summary in
    every language ("" where there is none), the name of a proposed (new) lead organisation,
    and each requirement's rationale (keyed `rationale-<alignment id>`)."""
    content = {name: getattr(initiative, content_attribute(name)) or "" for name in TEXT_KEYS}
    try:  # read through the relations, so that the review page's prefetched ones cost nothing
        proposed = initiative.proposed_organisation
    except ProposedOrganisation.DoesNotExist:
        proposed = None
    if proposed is not None and not initiative.lead_organisation_id:
        content[SubmissionField.ORGANISATION] = proposed.name
    for alignment in sorted(initiative.alignments.all(), key=lambda alignment: alignment.pk):
        content[f"{RATIONALE_PREFIX}{alignment.pk}"] = alignment.rationale
    return content


def content_version(initiative):
    """A short fingerprint of `editable_content`: the review page sends the one it was shown
    with an edit, and a different one now means someone saved the submission meanwhile."""
    encoded = json.dumps(editable_content(initiative), sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def edit_submission(initiative, editor, changes, *, version):
    """Apply an editor's corrections (`changes`: {key: new text}, keys as `editable_content`
    gives them) and record each changed field as a SubmissionEdit. Raises EditConflict when
    the submission is no longer at `version`, TransitionNotAllowed when it is not waiting for
    review. Returns the edits (none when nothing differed)."""
    if not is_editor(editor):
        raise TransitionNotAllowed(_("Only an editor can correct a submission."))
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.status not in EDITOR_EDITABLE:
            raise TransitionNotAllowed(
                _(
                    "This initiative is “%(status)s”; editors correct submissions only while they "
                    "wait for review."
                )
                % {"status": locked.get_status_display()}
            )
        if content_version(locked) != version:
            raise EditConflict()
        current = editable_content(locked)
        edits = [
            _apply_edit(locked, editor, key, current[key], value)
            for key, value in changes.items()
            if key in current and value != current[key]
        ]
        mark_editors_translations(locked, {edit.field for edit in edits})
        if any(edit.field == SubmissionField.TITLE for edit in edits):
            save_with_free_slug(locked, locked.title_en)  # the slug follows a corrected title
        else:
            locked.save()
    return edits


# The language of each title and summary key but English's: {"title_fr": "fr", …}.
TEXT_KEY_LANGUAGES = {
    text_key(field, code): code for code in language_codes() if code != "en" for field in TRANSLATED_FIELDS
}


def mark_editors_translations(initiative, keys):
    """Record that each language other than English whose title or summary an editor changed
    (`keys`, as `editable_content` names them) is now the catalogue's text ("editorial"); a
    language left with neither has no origin."""
    origins = dict(initiative.text_origins or {})
    for code in {TEXT_KEY_LANGUAGES[key] for key in keys if key in TEXT_KEY_LANGUAGES}:
        if any(getattr(initiative, text_key(field, code)) for field in TRANSLATED_FIELDS):
            origins[code] = TextOrigin.EDITORIAL.value
        else:
            origins.pop(code, None)
    initiative.text_origins = origins


def _apply_edit(initiative, editor, key, before, after):
    detail = ""
    if key.startswith(RATIONALE_PREFIX):
        alignment = RequirementAlignment.objects.select_related("requirement").get(
            pk=key.removeprefix(RATIONALE_PREFIX), initiative=initiative
        )
        alignment.rationale = after
        alignment.save(update_fields=["rationale"])
        field, detail = SubmissionField.REQUIREMENTS, str(alignment.requirement)[:300]
    elif key == SubmissionField.ORGANISATION:
        ProposedOrganisation.objects.filter(initiative=initiative).update(name=after)
        field = SubmissionField.ORGANISATION
    else:
        setattr(initiative, content_attribute(key), after)
        field = key
    return SubmissionEdit.objects.create(
        initiative=initiative, editor=editor, field=field, detail=detail, before=before, after=after
    )


def add_comment(initiative, author, body, *, field="", by_editor=False):
    """Add a comment to a submission's conversation and tell the other side (after the
    commit, robustly: a mail that cannot be queued never loses the comment)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if initiative.status == Status.DELETED:
        raise TransitionNotAllowed(_("This draft was deleted; it takes no more comments."))
    comment = SubmissionComment.objects.create(
        initiative=initiative, author=author, body=body, field=field, by_editor=by_editor
    )
    base_url = site_url()
    transaction.on_commit(lambda: notifications.tell_of_comment(comment, base_url), robust=True)
    return comment


# --- What changed since the last review --------------------------------------------------------


def snapshot(initiative):
    """The submission's content as plain text, as a reviewer reads it; stored with each
    status change so that a later review can be compared with it."""
    proposed = ProposedOrganisation.objects.filter(initiative=initiative).first()
    if initiative.lead_organisation_id:
        lead = initiative.lead_organisation.name_en
    else:
        lead = f"{proposed.name} ({_('proposed')})" if proposed else ""

    def english(record):
        # English names, as stored: a snapshot compared with a later one must not differ only
        # because the two reviewers read the site in different languages.
        with translation.override("en"):
            return str(record)

    def names(manager):
        return sorted(english(item) for item in manager.all())

    return {
        "title": initiative.title_en,
        "title_zh": initiative.title_zh,
        "summary": initiative.summary_en,
        "summary_zh": initiative.summary_zh,
        **{key: getattr(initiative, key) or "" for key in TEXT_KEYS if key not in CHINESE_AND_ENGLISH},
        "original_language": dict(settings.LANGUAGES).get(partners_original(initiative), ""),
        "lead_organisation": lead,
        "partners": names(initiative.partners),
        "sectors": names(initiative.sectors),
        "technologies": names(initiative.technologies),
        "beneficiary_groups": names(initiative.beneficiary_groups),
        "countries": sorted(country.name for country in initiative.countries),
        "start_year": str(initiative.start_year or ""),
        "website": initiative.website,
        "children_focus": str(_("yes") if initiative.children_focus else _("no")),
        "key_figures": [
            " / ".join(filter(None, [figure.text, figure.text_zh]))
            for figure in KeyFigure.objects.filter(initiative=initiative).order_by("position", "id")
        ],
        "requirements": [
            f"{english(alignment.requirement)}: {alignment.rationale}"
            for alignment in RequirementAlignment.objects.filter(initiative=initiative).select_related(
                "requirement"
            )
        ],
        "sources": [
            " — ".join(filter(None, [source.title, source.url, source.reference]))
            for source in SubmittedSource.objects.filter(initiative=initiative).order_by("position", "id")
        ],
        "tool_profile": tool_snapshot(initiative),
    }


def tool_snapshot(initiative):
    """The submission's tool profile as lines of text, as a reviewer reads it ([] for none)."""
    profile = ToolProfile.objects.filter(initiative=initiative).first()
    if profile is None:
        return []
    lines = [f"{_('Tasks supported')}: {', '.join(sorted(str(task) for task in profile.tasks.all()))}"]
    for name in ["inputs", "deployment", "licence", "languages", "available_to", "access"]:
        field = ToolProfile._meta.get_field(name)
        value = getattr(profile, f"get_{name}_display")() if field.choices else getattr(profile, name)
        lines.append(f"{capfirst(field.verbose_name)}: {value}")
    lines += [
        f"{safeguard.get_kind_display()}: {safeguard.description}"
        + (f" ({safeguard.evidence})" if safeguard.evidence else "")
        for safeguard in profile.safeguards.all()
    ]
    return lines


def last_review(initiative):
    return (
        initiative.status_changes.filter(
            from_status=Status.SUBMITTED, to_status__in=StatusChange.REVIEW_OUTCOMES
        )
        .select_related("actor")
        .last()
    )


def changes_since_last_review(initiative):
    """[(label, before, after)] for what differs from the content the last reviewer saw, or
    None when no editor has reviewed the initiative yet."""
    review = last_review(initiative)
    if review is None:
        return None
    now = snapshot(initiative)
    return [
        (label, _as_text(review.snapshot.get(key)), _as_text(now[key]))
        for key, label in SNAPSHOT_LABELS.items()
        # as text: a snapshot taken before a key existed (None) and an empty one ([]) agree
        if _as_text(review.snapshot.get(key)) != _as_text(now[key])
    ]


def _as_text(value):
    return "\n".join(value) if isinstance(value, list) else (value or "")
