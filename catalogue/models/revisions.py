"""The catalogue's data version and the initiatives it no longer publishes.

Which changes move the version is decided in one place, catalogue/revisions.py; these are
only the two tables it writes.
"""

from typing import NamedTuple

from django.db import IntegrityError, connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Version(NamedTuple):
    """The catalogue revision as readers see it: a number and when it last moved."""

    number: int
    changed_at: object  # an aware datetime, or None before anything was ever published


class CatalogueRevisionQuerySet(models.QuerySet):
    def current(self):
        """The current Version, in one query (number 0 if the row is missing, as it is after
        a test flushes every table).

        Every cached answer reads it first, so it is written as SQL: the ORM took 0.7 ms of
        CPU to build this query, a fifth of a whole answer served from the cache."""
        connection = connections[self.db]
        table = connection.ops.quote_name(CatalogueRevision._meta.db_table)
        with connection.cursor() as cursor:
            sql = f"SELECT number, changed_at FROM {table} WHERE id = %s"  # noqa: S608 — a model's table
            cursor.execute(sql, [CatalogueRevision.SINGLETON])
            row = cursor.fetchone()
        if row is None:
            return Version(0, None)
        number, changed_at = row
        # What the ORM would do: SQLite answers a naive date-time (or text), PostgreSQL an aware one.
        convert = getattr(connection.ops, "convert_datetimefield_value", None)
        if convert is not None:
            changed_at = convert(changed_at, None, connection)
        return Version(number, changed_at)

    def bump(self):
        """Move the version on by one, now.

        One UPDATE that increments in the database: two transactions bumping at once never
        read the same number, and the row lock it takes is held until the change commits,
        so the new number becomes visible together with the change it stands for.
        """
        now = timezone.now()
        if self.filter(pk=CatalogueRevision.SINGLETON).update(number=F("number") + 1, changed_at=now):
            return
        # The row is created by migration 0005; recreate it if something deleted it.
        try:
            with transaction.atomic():
                self.create(pk=CatalogueRevision.SINGLETON, number=1, changed_at=now)
        except IntegrityError:  # another transaction recreated it first
            self.filter(pk=CatalogueRevision.SINGLETON).update(number=F("number") + 1, changed_at=now)


class CatalogueRevision(models.Model):
    """The single row holding the catalogue's data version. ETags, Last-Modified and caches
    key on it; see catalogue/revisions.py for what moves it."""

    SINGLETON = 1

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed"), null=True)

    objects = CatalogueRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("catalogue revision")
        verbose_name_plural = _("catalogue revisions")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="catalogue_revision_single_row")]

    def __str__(self):
        return f"r{self.number}"


class RemovedInitiative(models.Model):
    """A tombstone: an address that used to be a published initiative and is no more
    (unpublished, deleted, or its slug changed), so that a syncing client can drop it.
    Publishing the slug again removes its tombstone."""

    slug = models.SlugField(max_length=120, unique=True)
    removed_at = models.DateTimeField(_("removed"), db_index=True)
    revision = models.PositiveBigIntegerField(
        _("revision"), help_text=_("The catalogue revision that removed it.")
    )

    class Meta:
        ordering = ["removed_at", "slug"]
        verbose_name = _("removed initiative")
        verbose_name_plural = _("removed initiatives")

    def __str__(self):
        return self.slug
