"""The one rule for what changes the published catalogue: the catalogue revision.

Every change a reader can see moves the revision (`CatalogueRevision.number`) inside the
transaction of the change, and stamps `updated_at` on each published initiative whose public
representation changed:

- a published initiative saved, published, unpublished or deleted (the last two, and a change
  of slug, leave a `RemovedInitiative` tombstone for syncing clients);
- its many-to-many choices (partners, sectors, technologies, beneficiary groups, and
  requirements or sources added through the relation) and its child rows (requirement
  alignments, citations, key figures) added, changed or deleted, from either side; so too its
  tool profile, the profile's tasks and its safeguards;
- a vocabulary record (organisation, sector, technology, beneficiary group, requirement,
  source, task) created, changed or deleted: the vocabulary endpoints list every record, and the
  published initiatives that show a changed record are stamped too;
- a publication or event, its organisations' roles, findings and recommendations, or the
  cases it features, added, changed or deleted (a featured case is stamped too: its page and
  API detail say where it is featured).

Drafts, submissions and review steps of records that neither are nor were published, and the
workflow's own models (StatusChange, ProposedOrganisation, SubmittedSource, PartnerProfile),
move nothing, so private work neither shows through ETags nor empties clients' caches.

Model signals catch every path that saves through the ORM: the admin, `load_catalogue`, the
workflow, the API. `QuerySet.update()`, `bulk_create()` and `bulk_update()` send no signals.
The code that uses them on public data either saves the initiative in the same transaction
(`load_catalogue` and the workflow bulk-create the child rows of an initiative they have just
saved, which moved the revision) or writes bookkeeping no reader sees (`seed_digest`,
`seeded_at`, and the `updated_at` stamps written here). New code that bulk-writes public data
must call `record_change()` itself.
"""

from django.core.cache import cache
from django.db.models import Case, F, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from . import shared_version
from .models import (
    BeneficiaryGroup,
    CatalogueRevision,
    Citation,
    FeaturedInitiative,
    FormerSlug,
    Initiative,
    KeyFigure,
    Organisation,
    Publication,
    PublicationItem,
    PublicationRole,
    RemovedInitiative,
    Requirement,
    RequirementAlignment,
    Safeguard,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)

VOCABULARIES = [Organisation, Sector, Technology, BeneficiaryGroup, Requirement, Source, Task]
CHILD_ROWS = [RequirementAlignment, Citation, KeyFigure, ToolProfile]
MANY_TO_MANY = ["partners", "sectors", "technologies", "beneficiary_groups", "requirements", "sources"]
# Fields that record the record's history, not its content: changing them shows nowhere.
BOOKKEEPING = {"created_at", "updated_at", "seed_digest", "seeded_at"}

# What pre_save learns about a row, for post_save, on the instance being saved.
BEFORE = "_revision_before"


def catalogue_version():
    """The catalogue's data version, `Version(number, changed_at)`, in one query: whatever
    is cached or served conditionally should key on it."""
    return CatalogueRevision.objects.current()


def version_for(request):
    """The data version a request reads: read once, then kept on the request, so that its
    cache keys and validators all name the same version. It costs one query, or none when
    production's cache holds the version (catalogue/shared_version.py)."""
    if request is None:
        return catalogue_version()
    return version_and_cached_entry(request, None)[0]


def version_and_cached_entry(request, cache_key):
    """`(version_for(request), the default cache's entry at cache_key or None)`: the first
    read of the version brings the entry with it (one round trip to Redis for both)."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    if hasattr(request, "_catalogue_version"):
        return request._catalogue_version, None if cache_key is None else cache.get(cache_key)
    request._catalogue_version, entry = shared_version.current_version_and_entry(cache_key)
    return request._catalogue_version, entry


def record_change():
    """Move the revision: something readers see has changed (in this transaction). Once it
    commits, the new version is written to the shared cache and the bulk downloads are
    rewritten in the background."""
    from .tasks import schedule_downloads  # tasks read the models; revisions is imported by them

    CatalogueRevision.objects.bump()
    shared_version.publish_when_committed()
    schedule_downloads()


def touch(initiatives, *, edit=True):
    """Stamp `updated_at` on the published ones among `initiatives`, moving the revision if
    there are any; return the stamp, or None when none was published.

    `edit=False` for changes made to another record that the initiatives merely show (a sector
    renamed): `load_catalogue` takes `updated_at > seeded_at` to mean an editor changed the
    initiative, so an initiative that was as loaded stays so.
    """
    now = timezone.now()
    stamps = {"updated_at": now}
    if not edit:
        stamps["seeded_at"] = Case(
            When(seeded_at__gte=F("updated_at"), then=Value(now)), default=F("seeded_at")
        )
    # A queryset update: no save(), so no recursion through these signals.
    if initiatives.published().update(**stamps):
        record_change()
        return now
    return None


def touch_one(initiative):
    """touch() one initiative, and the instance in hand too, so that it agrees with its row."""
    stamp = touch(Initiative.objects.filter(pk=initiative.pk))
    if stamp is not None:
        initiative.updated_at = stamp


# --- Initiatives themselves ------------------------------------------------------------------------


def remember_initiative(sender, instance, raw=False, **kwargs):
    # The stored status and slug, not the instance's: the change is what save() writes over.
    stored = None
    if instance.pk is not None:
        stored = Initiative.objects.filter(pk=instance.pk).values("status", "slug").first()
    instance.__dict__[BEFORE] = stored


def initiative_saved(sender, instance, **kwargs):
    stored = instance.__dict__.pop(BEFORE, None)
    was_published = stored is not None and stored["status"] == Initiative.Status.PUBLISHED
    is_published = instance.status == Initiative.Status.PUBLISHED
    if not (was_published or is_published):
        return
    record_change()
    if was_published and (not is_published or stored["slug"] != instance.slug):
        tombstone(stored["slug"])
    if was_published and stored["slug"] != instance.slug:
        # The old address keeps answering (a 301 to the new one), and the new one is no
        # longer a former address if the case had it before.
        FormerSlug.objects.update_or_create(slug=stored["slug"], defaults={"initiative": instance})
        FormerSlug.objects.filter(slug=instance.slug).delete()
    if is_published:
        # Back in the list (and in updated_since, as save() stamped updated_at): whoever
        # syncs must not drop it again.
        RemovedInitiative.objects.filter(slug=instance.slug).delete()


def initiative_deleted(sender, instance, **kwargs):
    if instance.status == Initiative.Status.PUBLISHED:
        record_change()
        tombstone(instance.slug)


def tombstone(slug):
    RemovedInitiative.objects.update_or_create(
        slug=slug,
        defaults={"removed_at": timezone.now(), "revision": catalogue_version().number},
    )


# --- What an initiative is made of: its many-to-many choices and child rows -----------------------


def many_to_many_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:
        # `instance` is the vocabulary record; `pk_set` the initiatives, except for clear(),
        # which is handled before the rows go.
        if action == "pre_clear":
            name = THROUGH_FIELDS[sender]
            touch(Initiative.objects.filter(**{name: instance}))
        elif action in ("post_add", "post_remove") and pk_set:
            touch(Initiative.objects.filter(pk__in=pk_set))
    elif action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
        touch_one(instance)


def remember_child_row(sender, instance, raw=False, **kwargs):
    # A row moved to another initiative changes that one too.
    if instance.pk is not None:
        moved_from = sender.objects.filter(pk=instance.pk).exclude(initiative=instance.initiative_id)
        touch(Initiative.objects.filter(pk__in=moved_from.values("initiative")))


def child_row_changed(sender, instance, **kwargs):
    if sender.initiative.is_cached(instance):
        touch_one(instance.initiative)
    else:
        touch(Initiative.objects.filter(pk=instance.initiative_id))


def safeguard_changed(sender, instance, **kwargs):
    # A profile's id is its initiative's.
    touch(Initiative.objects.filter(pk=instance.profile_id))


def tool_tasks_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # The profiles' ids (`instance`, or `pk_set` from the task's side) are their initiatives'.
    if reverse:
        if action == "pre_clear":
            touch(Initiative.objects.filter(tool_profile__tasks=instance))
        elif action in ("post_add", "post_remove") and pk_set:
            touch(Initiative.objects.filter(pk__in=pk_set))
    elif action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
        touch(Initiative.objects.filter(pk=instance.pk))


# --- Vocabularies -------------------------------------------------------------------------------


def remember_vocabulary_record(sender, instance, raw=False, **kwargs):
    stored = None
    if instance.pk is not None:
        stored = sender.objects.filter(pk=instance.pk).first()
    instance.__dict__[BEFORE] = stored


def vocabulary_record_saved(sender, instance, created, **kwargs):
    stored = instance.__dict__.pop(BEFORE, None)
    if stored is None:
        record_change()  # a new record: in its vocabulary's list, shown by no initiative yet
    elif content_differs(stored, instance):
        record_change()
        touch(Initiative.objects.filter(sender.initiatives_matching(instance)), edit=False)


def vocabulary_record_deleting(sender, instance, **kwargs):
    # Before the deletion, while the many-to-many rows that are about to go still say which
    # initiatives showed it (deleting them sends no m2m_changed). A record that initiatives
    # refer to by foreign key is protected, so its deletion never gets this far.
    touch(Initiative.objects.filter(sender.initiatives_matching(instance)), edit=False)
    record_change()


def content_differs(stored, instance):
    return any(
        field.value_from_object(stored) != field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name not in BOOKKEEPING
    )


# --- Publications and events -----------------------------------------------------------------


def publication_changed(sender, instance, **kwargs):
    record_change()


def feature_changed(sender, instance, **kwargs):
    touch(Initiative.objects.filter(pk=instance.initiative_id), edit=False)
    record_change()


# --- Wiring -------------------------------------------------------------------------------------

THROUGH_FIELDS = {getattr(Initiative, name).through: name for name in MANY_TO_MANY}


def connect():
    """Connect the receivers (from CatalogueConfig.ready)."""

    def on(signal, receiver, sender):
        signal.connect(receiver, sender=sender, dispatch_uid=f"{__name__}.{receiver.__name__}")

    on(pre_save, remember_initiative, Initiative)
    on(post_save, initiative_saved, Initiative)
    on(post_delete, initiative_deleted, Initiative)
    for through in THROUGH_FIELDS:
        on(m2m_changed, many_to_many_changed, through)
    for model in CHILD_ROWS:
        on(pre_save, remember_child_row, model)
        on(post_save, child_row_changed, model)
        on(post_delete, child_row_changed, model)
    on(post_save, safeguard_changed, Safeguard)
    on(post_delete, safeguard_changed, Safeguard)
    on(m2m_changed, tool_tasks_changed, ToolProfile.tasks.through)
    for model in (Publication, PublicationRole, PublicationItem):
        on(post_save, publication_changed, model)
        on(post_delete, publication_changed, model)
    on(post_save, feature_changed, FeaturedInitiative)
    on(post_delete, feature_changed, FeaturedInitiative)
    for model in VOCABULARIES:
        on(pre_save, remember_vocabulary_record, model)
        on(post_save, vocabulary_record_saved, model)
        on(pre_delete, vocabulary_record_deleting, model)
