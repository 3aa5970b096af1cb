"""The vocabularies that describe initiatives: sources, requirements, sectors, technologies,
beneficiary groups and organisations."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casebook.reversing import reverse

from .. import search
from ..languages import in_interface_language, validate_text_origins
from .translated import InEveryLanguage, InEveryLanguageQuerySet, chinese_column, chinese_origin


class TextOrigin(models.TextChoices):
    """Whose words a text is, the one rule for every translated or rewritten field: the source
    document's own, the catalogue's (its editors' translation or wording), the submitting
    partner's, or a machine translation an editor reviewed. Empty when the record has no such
    text."""

    NONE = "", _("No such text")
    SOURCE = "source", _("From the source document")
    EDITORIAL = "editorial", _("The catalogue's translation or wording")
    PARTNER = "partner", _("Written by the submitting partner")
    MACHINE_REVIEWED = "machine_reviewed", _("Machine translation reviewed by an editor")


def origin_field(verbose_name, help_text):
    return models.CharField(verbose_name, max_length=20, choices=TextOrigin, blank=True, help_text=help_text)


class VocabularyQuerySet(InEveryLanguageQuerySet):
    """Queries shared by every vocabulary's list page and API endpoint."""

    def with_initiative_counts(self):
        """Annotate `initiative_count`: the published initiatives each record describes."""
        return self.annotate(initiative_count=self.model.published_initiative_count(OuterRef("pk")))

    def in_list_order(self, field="slug"):
        """{pk: `field`} of each record, in the order lists show them (Meta.ordering, as the
        database sorts it): the CSV export puts its rows' ids in order with it."""
        return dict(self.order_by(*self.model._meta.ordering).values_list("pk", field))

    def in_use(self):
        """Only records that describe at least one published initiative, with their counts.

        Selected with `pk IN (ids in use)`, a subquery the database runs once, rather than by
        filtering on the count, which counted every record's initiatives one record at a time
        (bench/README.md); the counts are then only taken for the rows returned."""
        return self.filter(self.model.in_use_condition()).with_initiative_counts()


class OrganisationQuerySet(VocabularyQuerySet):
    def near(self, name, *, limit=5):
        """The organisations whose names look like `name` (a partner's typed name that matches
        none exactly), most alike first: "UNICEF" finds "UNICEF China"."""
        return search.near_names(self, name, limit=limit)


class RequirementQuerySet(VocabularyQuerySet):
    def with_counts_by_basis(self):
        """Annotate `initiative_count` and, of those, `stated_count` and `inferred_count`: the
        published initiatives whose alignment with each requirement is stated in the source or
        an inference (a case has one alignment per requirement, so the two add up)."""
        published = initiatives().published()
        return self.with_initiative_counts().annotate(
            **{
                f"{basis}_count": count_of(
                    published.filter(alignments__requirement=OuterRef("pk"), alignments__basis=basis)
                )
                for basis in ("stated", "inferred")
            }
        )


def count_of(initiatives):
    """An expression: how many distinct rows the (correlated) `initiatives` queryset has."""
    count_distinct = Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    return Coalesce(Subquery(initiatives.order_by().annotate(n=count_distinct).values("n")), 0)


def initiatives():
    """Initiative.objects, looked up rather than imported: initiatives.py imports this module."""
    return apps.get_model("catalogue", "Initiative").objects


class SeededModel(models.Model):
    """A record that `load_catalogue` may create from the shipped fixtures.

    `seed_digest` is a hash of the fixture entry last applied and `seeded_at` the moment it
    was applied; a record whose `updated_at` is later than `seeded_at` was edited since, so the
    loader leaves it alone instead of silently overwriting an editor's work.

    `updated_at` is when the record's public representation last changed: an initiative's also
    moves when its relations or child rows change, or a record it shows is renamed (which is
    no edit of the initiative, so its `seeded_at` moves with it; see catalogue/revisions.py).
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)
    seeded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def edited_since_seeding(self):
        return self.seeded_at is not None and self.updated_at > self.seeded_at


def text_origins_field(help_text=None):
    """Whose words each language's text of a record is ({"zh-hans": "source", …}): one field
    for every translated model, Initiative's with its own help text."""
    return models.JSONField(
        _("origin of each language's text"),
        default=dict,
        blank=True,
        validators=[validate_text_origins],
        help_text=help_text
        or _(
            "Whose words the name or title is in each language other than English, e.g. "
            '{"zh-hans": "source", "fr": "editorial"}: source, editorial, partner or machine_reviewed.'
        ),
    )


class Vocabulary(InEveryLanguage, SeededModel):
    """A record that classifies initiatives; `initiative_field` is the Initiative field that
    points at it. Its name (or title) is kept in every interface language
    (catalogue/translation.py), each language's origin in `text_origins`."""

    initiative_field = None
    translated_fields = ("name",)

    text_origins = text_origins_field()

    objects = VocabularyQuerySet.as_manager()
    # Every change an editor (or the loader) makes is kept, with who and when: admin "History".
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @classmethod
    def initiatives_matching(cls, record):
        """Q selecting the initiatives this record (or OuterRef) describes."""
        return Q(**{cls.initiative_field: record})

    @classmethod
    def in_use_condition(cls):
        """Q selecting the records that describe a published initiative."""
        return Q(pk__in=initiatives().published().values(cls.initiative_field))

    @classmethod
    def published_initiative_count(cls, record):
        """An expression: the published initiatives `record` (an OuterRef) describes."""
        return count_of(initiatives().published().filter(cls.initiatives_matching(record)))


class BilingualNameMixin:
    """`display_name`: the name in the reader's language where the record has it, else English."""

    @property
    def display_name(self):
        return in_interface_language(self, "name")


class Source(Vocabulary):
    """A document the catalogue's cases come from (a report, a transcript, a news item)."""

    initiative_field = "sources"
    translated_fields = ("title",)

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        ACTION_PLAN = "action_plan", _("Action plan")
        TRANSCRIPT = "transcript", _("Event transcript")
        NEWS = "news", _("News item")
        PARTNER = "partner", _("Partner submission")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    url = models.URLField(_("URL"), blank=True, max_length=500)
    file_name = models.CharField(
        _("seed file"),
        max_length=120,
        blank=True,
        help_text=_("File in the seeds folder this source was read from, if any."),
    )
    show_text = models.BooleanField(
        _("show the text"),
        default=False,
        help_text=_(
            "The document's terms allow this site to show its text (from the seed file), with "
            "every cited passage highlighted."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    # A source's Chinese title is only ever the document's own.
    title_zh = chinese_column("title", origin_with_text=TextOrigin.SOURCE)

    class Meta:
        ordering = ["published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:source-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return in_interface_language(self, "title")

    def text(self):
        """The document's text from its seed file, or None when it may not be shown or the
        file is missing."""
        if not (self.show_text and self.file_name):
            return None
        path = settings.CATALOGUE_SEEDS_DIR / Path(self.file_name).name  # no path from the data
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None


class Requirement(Vocabulary):
    """One of the nine requirements of UNICEF's Policy Guidance on AI for Children 2.0."""

    initiative_field = "requirements"
    translated_fields = ("title",)

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "Wording as published in UNICEF's Policy Guidance on AI for Children 2.0; the "
            "description quotes the wording read out at IGF 2021."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    title_zh = chinese_column("title")
    title_zh_origin = chinese_origin()

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("UNICEF requirement")
        verbose_name_plural = _("UNICEF requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=9), name="requirement_number_1_to_9"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("catalogue:requirement-detail", kwargs={"number": self.number})

    @property
    def display_name(self):
        return in_interface_language(self, "title")


class TaxonomyTerm(BilingualNameMixin, Vocabulary):
    """Shared shape of the bilingual vocabularies used to classify initiatives."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    name_zh = chinese_column("name")
    name_zh_origin = chinese_origin()

    class Meta(Vocabulary.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sector(TaxonomyTerm):
    """A domain of work, such as education or biodiversity."""

    initiative_field = "sectors"

    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Order in lists and the coverage matrix.")
    )

    class Meta(TaxonomyTerm.Meta):
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def get_absolute_url(self):
        return reverse("catalogue:sector-detail", kwargs={"slug": self.slug})


class Technology(TaxonomyTerm):
    """An AI technique an initiative uses (speech recognition, computer vision, …)."""

    initiative_field = "technologies"

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("AI technology")
        verbose_name_plural = _("AI technologies")

    def get_absolute_url(self):
        return reverse("catalogue:technology-detail", kwargs={"slug": self.slug})


class BeneficiaryGroup(TaxonomyTerm):
    """The people (or wildlife) an initiative is meant to benefit."""

    initiative_field = "beneficiary_groups"

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("beneficiary group")
        verbose_name_plural = _("beneficiary groups")

    def get_absolute_url(self):
        return reverse("catalogue:beneficiary-detail", kwargs={"slug": self.slug})


class Organisation(BilingualNameMixin, Vocabulary):
    """A company, agency or institute that leads or partners in initiatives."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        FOUNDATION = "foundation", _("Foundation")
        UN_AGENCY = "un_agency", _("UN agency")
        GOVERNMENT = "government", _("Government body")
        RESEARCH = "research", _("University / research institute")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    description = models.TextField(
        _("short description"), blank=True, help_text=_("One or two sentences: who they are.")
    )

    name_zh = chinese_column("name")
    name_zh_origin = chinese_origin()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "pk"]  # as a reader expects: "iFLYTEK" among the I's
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:organisation-detail", kwargs={"slug": self.slug})

    @classmethod
    def initiatives_matching(cls, record):
        return Q(lead_organisation=record) | Q(partners=record)

    @classmethod
    def in_use_condition(cls):
        published = initiatives().published()
        partnered = cls.partner_initiatives.through.objects.filter(initiative__in=published)
        return Q(pk__in=published.values("lead_organisation")) | Q(pk__in=partnered.values("organisation"))

    @classmethod
    def published_initiative_count(cls, record):
        # Led plus partnered-in (not also led), as two subqueries: one query with an OR across
        # the partners join can use no index, and counting every organisation that way scanned
        # the catalogue once per organisation (bench/README.md).
        published = initiatives().published()
        led = published.filter(lead_organisation=record)
        partnered = published.filter(partners=record).exclude(lead_organisation=record)
        return count_of(led) + count_of(partnered)
