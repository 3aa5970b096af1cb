"""Collections: a reader's saved list of cases, frozen at the moment it was saved, so that a
paper can cite it and its readers see exactly what its author saw."""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..languages import TRANSLATED_FIELDS, language_codes, reader_language
from .initiatives import Initiative


def new_key():
    """The collection's address: unguessable, short enough to cite."""
    return secrets.token_urlsafe(9)


class CollectionTooLarge(Exception):
    def __init__(self, count):
        super().__init__(count)
        self.count = count


class CollectionQuerySet(models.QuerySet):
    def freeze(self, *, owner, name, note, initiatives, query, request):
        """Save `initiatives` (a filtered queryset of published cases) as a new collection:
        each case's reference as it reads now, in every interface language, in one transaction."""
        from ..references import Reference, ReferenceLookup  # it reads the models: not at import

        count = initiatives.count()
        if count > Collection.MAX_ITEMS:
            raise CollectionTooLarge(count)
        rows = list(initiatives.for_references())
        lookups = {}
        for language in language_codes():
            with translation.override(language):
                lookups[language] = ReferenceLookup(request)
        items = []
        for position, row in enumerate(rows, start=1):
            references = {}
            for language in language_codes():
                with translation.override(language):
                    references[language] = Reference.from_row(row, lookups[language]).as_dict()
            items.append(
                CollectionItem(
                    position=position,
                    initiative_id=row["pk"],
                    slug=row["slug"],
                    frozen_updated_at=row["updated_at"],
                    references=references,
                )
            )
        with transaction.atomic():
            collection = self.create(owner=owner, name=name, note=note, query=query)
            for item in items:
                item.collection = collection
            CollectionItem.objects.bulk_create(items)
        return collection


class Collection(models.Model):
    """A named, frozen list of published cases, saved by a signed-in reader from any filter."""

    MAX_ITEMS = 1000

    key = models.CharField(max_length=16, unique=True, default=new_key, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="collections",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    query = models.CharField(
        _("filter"),
        max_length=2000,
        blank=True,
        help_text=_("The /initiatives/ query string it was saved from."),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:collection-detail", kwargs={"key": self.key})


class CollectionItem(models.Model):
    """One case of a collection, as it read when the collection was saved."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    # Kept (as null) if the case is deleted later: the frozen reference still says what it was.
    initiative = models.ForeignKey(Initiative, on_delete=models.SET_NULL, null=True, related_name="+")
    slug = models.SlugField(max_length=120)
    frozen_updated_at = models.DateTimeField()
    references = models.JSONField(help_text="The case's Reference, per interface language.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "position"], name="one_item_per_position")
        ]

    def __str__(self):
        return f"{self.collection}: {self.slug}"

    # The texts the notice of cases shown in English looks at (catalogue.languages), answered by
    # `saved_text` as they were saved, not as the case reads today.
    translated_fields = TRANSLATED_FIELDS

    def reference(self):
        """The frozen reference in the interface language; in English when the collection was
        saved before it kept that language (older ones keep English and Chinese only)."""
        from ..references import Reference  # it reads the models: not at import

        return Reference.from_dict(self.references.get(reader_language()) or self.references["en"])

    def saved_text(self, field, language):
        """The case's `field` ("title", "summary") as saved in `language`, "" when it was not
        written in it (its reference in that language shows the English) or not saved in it."""
        saved = self.references.get(language)
        if saved is None:
            return ""
        shown = saved.get("languages", {}).get(field)
        if shown is None:  # saved before references said their language: is it the English?
            shown = "en" if language == "en" or saved[field] == self.references["en"][field] else language
        return saved[field] if shown == language else ""

    @property
    def changed_since(self):
        """None, "updated" or "withdrawn": what happened to the case since it was saved."""
        initiative = self.initiative
        if initiative is None or initiative.status != Initiative.Status.PUBLISHED:
            return "withdrawn"
        return "updated" if initiative.updated_at > self.frozen_updated_at else None
