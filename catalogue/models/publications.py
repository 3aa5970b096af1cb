"""The reports, action plans and events the seed documents describe, as records of their own:
who published or organised them, what they found and recommend (quoted, with locators), and
which cases they feature.

Publications and events are one model with a `kind`: they share every field and relation (a
title, a date as the source gives it, the sources describing them, organisations by role,
featured cases), they are listed together and served by one endpoint, and an event often
exists to launch a publication. Two models would repeat all of that for one differing word."""

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casebook.reversing import reverse

from ..languages import in_interface_language
from .initiatives import Initiative
from .translated import InEveryLanguage, InEveryLanguageQuerySet, chinese_column
from .vocabularies import Organisation, SeededModel, Source, TextOrigin, text_origins_field


class PublicationQuerySet(InEveryLanguageQuerySet):
    """Every query the pages and the API share about publications and events."""

    def for_listing(self):
        """With what a list row shows (its organisations by role), in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch("roles", queryset=PublicationRole.objects.select_related("organisation"))
        )

    def for_detail(self):
        """With everything the detail page and API detail show but the featured cases (which
        are paginated: Initiative.objects.featured_in()), in a fixed number of queries."""
        return (
            self.for_listing()
            .select_related("launches")
            .prefetch_related(
                Prefetch("items", queryset=PublicationItem.objects.select_related("source")),
                "sources",
                "launch_events",
            )
        )

    def with_featured_cases(self):
        """With every published case each record features (`published_initiatives`), in its
        order, in one more query: for the API detail, where a publication lists them all."""
        published = Initiative.objects.published()
        return self.prefetch_related(
            Prefetch(
                "features",
                queryset=FeaturedInitiative.objects.filter(initiative__in=published).select_related(
                    "initiative"
                ),
                to_attr="published_features",
            )
        )

    def of_organisation(self, organisation):
        """The publications and events `organisation` has a role in."""
        return self.filter(roles__organisation=organisation).distinct()


class Publication(InEveryLanguage, SeededModel):
    """A report or action plan, or an event (a launch, a webinar, a meeting), as the seed
    documents describe it."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        ACTION_PLAN = "action_plan", _("Action plan")
        LAUNCH = "launch", _("Launch event")
        WEBINAR = "webinar", _("Webinar")
        MEETING = "meeting", _("Stakeholder meeting")

    EVENT_KINDS = {Kind.LAUNCH, Kind.WEBINAR, Kind.MEETING}
    # The title in every interface language (catalogue/translation.py).
    translated_fields = ("title",)

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    text_origins = text_origins_field()
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Only when the source gives the full date; never inferred."),
    )
    date_in_source = models.CharField(
        _("date as the source gives it"),
        max_length=120,
        blank=True,
        help_text=_("The source's own words, e.g. “6th October” when it gives no year."),
    )
    date_location = models.CharField(
        _("where the date is given"), max_length=120, blank=True, help_text=_("Page, paragraph or line.")
    )
    description = models.TextField(_("description"), blank=True)
    launches = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="launch_events",
        verbose_name=_("launches"),
        help_text=_("For a launch event: the publication it launched."),
    )
    sources = models.ManyToManyField(
        Source,
        related_name="publications",
        verbose_name=_("described in"),
        help_text=_("The source documents this record is read from."),
    )
    organisations = models.ManyToManyField(
        Organisation, through="PublicationRole", related_name="publications", blank=True
    )
    initiatives = models.ManyToManyField(
        Initiative, through="FeaturedInitiative", related_name="publications", blank=True
    )

    # Only the source's own Chinese title is ever given.
    title_zh = chinese_column("title", origin_with_text=TextOrigin.SOURCE)

    objects = PublicationQuerySet.as_manager()
    # Editors' changes are kept, with who and when (admin "History"), as for initiatives.
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("publication or event")
        verbose_name_plural = _("publications and events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:publication-detail", kwargs={"slug": self.slug})

    @property
    def display_title(self):
        return in_interface_language(self, "title")

    @property
    def is_event(self):
        return self.kind in self.EVENT_KINDS

    @property
    def published_initiatives(self):
        """The published cases it features, from with_featured_cases()."""
        return [feature.initiative for feature in self.published_features]

    def roles_by_kind(self):
        """[(role label, [organisations])] in the order of Role, from the prefetched roles."""
        grouped = {}
        for role in self.roles.all():
            grouped.setdefault(role.role, []).append(role.organisation)
        return [(label, grouped[value]) for value, label in PublicationRole.Role.choices if value in grouped]

    def items_of_kind(self, kind):
        return [item for item in self.items.all() if item.kind == kind]

    @property
    def facts(self):
        return self.items_of_kind(PublicationItem.Kind.FACT)

    @property
    def findings(self):
        return self.items_of_kind(PublicationItem.Kind.FINDING)

    @property
    def recommendations(self):
        return self.items_of_kind(PublicationItem.Kind.RECOMMENDATION)


class PublicationRole(models.Model):
    """What an organisation did for a publication or event, as the source says."""

    class Role(models.TextChoices):
        PUBLISHER = "publisher", _("Publisher")
        SUPPORTER = "supporter", _("Supporter")
        ORGANISER = "organiser", _("Organiser")
        CHAIR = "chair", _("Chair")
        SPEAKER = "speaker", _("Speaker")
        PARTICIPANT = "participant", _("Participant")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="publication_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("organisation's role")
        verbose_name_plural = _("organisations' roles")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "organisation", "role"], name="one_role_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}) · {self.publication}"


class PublicationItem(models.Model):
    """A key fact, finding or recommendation of a publication or event, quoted verbatim from
    a source with its locator."""

    class Kind(models.TextChoices):
        FACT = "fact", _("Key fact")
        FINDING = "finding", _("Finding")
        RECOMMENDATION = "recommendation", _("Recommendation or action")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    heading = models.CharField(_("heading"), max_length=300, blank=True, help_text=_("The source's own."))
    heading_zh = models.CharField(_("Chinese heading"), max_length=300, blank=True)
    figure = models.CharField(
        _("figure"), max_length=80, blank=True, help_text=_("A figure the quote states, in its words.")
    )
    quote = models.TextField(_("quote"), help_text=_("Word for word from the source."))
    quote_zh = models.TextField(_("Chinese quote"), blank=True, help_text=_("Word for word from the source."))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="publication_items")
    location = models.CharField(_("location"), max_length=120, help_text=_("Page, section or paragraph."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("finding or recommendation")
        verbose_name_plural = _("findings and recommendations")

    def __str__(self):
        return self.heading or self.quote[:80]

    @property
    def display_heading(self):
        return in_interface_language(self, "heading")

    @property
    def display_quote(self):
        return in_interface_language(self, "quote")


class FeaturedInitiative(models.Model):
    """A case a publication includes or an event presents."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="features")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="features")
    location = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("Where the source says so.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("featured case")
        verbose_name_plural = _("featured cases")
        constraints = [
            models.UniqueConstraint(fields=["publication", "initiative"], name="one_feature_per_case")
        ]

    def __str__(self):
        return f"{self.initiative} in {self.publication}"
