"""Initiatives (case studies) and what records their evidence: requirement alignments,
source citations and key figures."""

import difflib
import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Case, Count, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .vocabularies import (
    BeneficiaryGroup,
    Organisation,
    Requirement,
    Sector,
    SeededModel,
    Source,
    Technology,
    in_interface_language,
)

# Free-text search. On PostgreSQL: full-text search in English over the text columns below,
# each GIN-indexed by migration 0002 with exactly these expressions (an expression index is
# only used when the query repeats its expression). PostgreSQL's parsers do not segment
# Chinese, so a query containing Chinese characters also matches the Chinese fields by
# substring. Elsewhere (SQLite): a substring match over every field in SEARCHED_FIELDS.
SEARCH_CONFIG = "english"
SEARCHED_FIELDS = [
    "title",
    "title_zh",
    "summary",
    "summary_zh",
    "description",
    "lead_organisation__name",
    "lead_organisation__name_zh",
    "partners__name",
    "partners__name_zh",
    "key_figures__text",
    "key_figures__text_zh",
]
CHINESE_SEARCHED_FIELDS = [field for field in SEARCHED_FIELDS if field.endswith("_zh")]
CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_RUN = re.compile(CJK_CHARACTER.pattern + "+")
# Private-use characters mark the matched words in a search headline; a template filter
# escapes the text and only then turns them into <mark> elements.
HEADLINE_START, HEADLINE_STOP = "\ue000", "\ue001"


def initiative_search_vector():
    return SearchVector("title", "summary", "description", config=SEARCH_CONFIG)


def organisation_search_vector():
    return SearchVector("name", config=SEARCH_CONFIG)


def key_figure_search_vector():
    return SearchVector("text", config=SEARCH_CONFIG)


def contains_chinese(text):
    return bool(CJK_CHARACTER.search(text))


class InitiativeQuerySet(models.QuerySet):
    """Every query the pages and the API share about initiatives."""

    def published(self):
        """What the public may see, anywhere: only published initiatives."""
        return self.filter(status=Initiative.Status.PUBLISHED)

    def search(self, text):
        """Initiatives matching free text in their titles, summaries, description,
        organisation names or key figures, in English or Chinese, best match first
        (annotated `search_rank`)."""
        text = text.strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            return self._full_text_search(text)
        return self._substring_search(text)

    def _full_text_search(self, text):
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        # Each branch is a subquery its own GIN index can answer.
        organisations = Organisation.objects.annotate(vector=organisation_search_vector()).filter(
            vector=query
        )
        matches = (
            Q(pk__in=Initiative.objects.annotate(vector=initiative_search_vector()).filter(vector=query))
            | Q(pk__in=Initiative.objects.filter(lead_organisation__in=organisations))
            | Q(
                pk__in=Initiative.partners.through.objects.filter(organisation__in=organisations).values(
                    "initiative"
                )
            )
            | Q(
                pk__in=KeyFigure.objects.annotate(vector=key_figure_search_vector())
                .filter(vector=query)
                .values("initiative")
            )
        )
        weighted = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", "lead_organisation__name", weight="B", config=SEARCH_CONFIG)
            + SearchVector("description", weight="C", config=SEARCH_CONFIG)
        )
        rank = SearchRank(weighted, query)
        chinese_terms = CJK_RUN.findall(text)
        if chinese_terms:
            in_title, in_summary = Q(), Q()
            for term in chinese_terms:
                matches |= Q(pk__in=self._substring_matches(term, CHINESE_SEARCHED_FIELDS))
                in_title |= Q(title_zh__icontains=term)
                in_summary |= Q(summary_zh__icontains=term)
            rank = rank + Case(
                When(in_title, then=Value(1.0)), When(in_summary, then=Value(0.5)), default=Value(0.0)
            )
        return self.filter(matches).annotate(search_rank=rank).order_by("-search_rank", "title")

    def _substring_search(self, text):
        rank = Case(
            When(Q(title__icontains=text) | Q(title_zh__icontains=text), then=Value(2)),
            When(Q(summary__icontains=text) | Q(summary_zh__icontains=text), then=Value(1)),
            default=Value(0),
        )
        return (
            self.filter(pk__in=self._substring_matches(text, SEARCHED_FIELDS))
            .annotate(search_rank=rank)
            .order_by("-search_rank", "title")
        )

    @staticmethod
    def _substring_matches(text, fields):
        matches = Q()
        for field in fields:
            matches |= Q(**{f"{field}__icontains": text})
        return Initiative.objects.filter(matches).values("pk")

    def with_search_headline(self, text):
        """Annotate `search_headline`: the summary passage matching `text`, its matched words
        between HEADLINE_START and HEADLINE_STOP (PostgreSQL only; elsewhere unchanged)."""
        text = text.strip()
        if not text or connections[self.db].vendor != "postgresql":
            return self
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        headline = SearchHeadline(
            "summary",
            query,
            config=SEARCH_CONFIG,
            start_sel=HEADLINE_START,
            stop_sel=HEADLINE_STOP,
            max_words=45,
            min_words=25,
        )
        return self.annotate(search_headline=headline)

    def for_listing(self):
        """Published initiatives with what a list row shows, in a fixed number of queries."""
        return (
            self.published()
            .select_related("lead_organisation")
            .prefetch_related("sectors", "technologies", "citations__source", "alignments__requirement")
        )

    def for_detail(self):
        """Published initiatives with everything the detail page and API detail show."""
        return self.for_listing().prefetch_related(
            "partners",
            "beneficiary_groups",
            "key_figures",
        )

    def coverage(self):
        """{(sector id, requirement id): number of published initiatives in that sector that
        address that requirement}, the overview's matrix; one query."""
        rows = (
            self.published()
            .filter(sectors__isnull=False, requirements__isnull=False)
            .values_list("sectors", "requirements")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return {(sector, requirement): n for sector, requirement, n in rows}

    def countries_covered(self):
        """The set of country codes published initiatives work in; one query."""
        # Several codes share one column ("CN,US"), so they are split here, not in SQL.
        codes = set()
        for value in self.published().order_by().values_list("countries", flat=True):
            codes.update(code for code in (value or "").split(",") if code)
        return codes

    def related(self, initiative):
        """Other published initiatives sharing a sector, technology or requirement with
        `initiative`, most shared first (annotated `overlap`); one query."""

        def shared(through, field):
            theirs = through.objects.filter(initiative=initiative).values(field)
            in_common = (
                through.objects.filter(initiative=OuterRef("pk"), **{f"{field}__in": theirs})
                .order_by()
                .values("initiative")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(in_common), 0)

        overlap = (
            shared(Initiative.sectors.through, "sector")
            + shared(Initiative.technologies.through, "technology")
            + shared(RequirementAlignment, "requirement")
        )
        return (
            self.published()
            .exclude(pk=initiative.pk)
            .select_related("lead_organisation")
            .annotate(overlap=overlap)
            .filter(overlap__gt=0)
            .order_by("-overlap", "title")
        )

    def in_source(self, source):
        """Published initiatives `source` describes, in the order the document presents them
        (annotated `source_position`)."""
        position = (
            Citation.objects.filter(source=source, initiative=OuterRef("pk"))
            .order_by("position")
            .values("position")
        )
        return (
            self.for_listing()
            .annotate(source_position=Subquery(position[:1]))
            .filter(source_position__isnull=False)
            .order_by("source_position", "title")
        )

    # --- Partner submissions and their review

    def for_partner(self, user):
        """The submissions a partner may see: their own, and those of colleagues whose
        membership of the same organisation an editor has confirmed."""
        if not user.is_authenticated:
            return self.none()
        mine = Q(submitted_by=user)
        profile = getattr(user, "partner_profile", None)
        if profile and profile.organisation_id and profile.organisation_confirmed:
            mine |= Q(
                submitted_by__partner_profile__organisation=profile.organisation_id,
                submitted_by__partner_profile__organisation_confirmed=True,
            )
        return self.filter(mine)

    def editable_by_partner(self, user):
        """Submissions a partner may still change: drafts and those sent back for changes.
        Published records are edited only by editors, in the admin."""
        return self.for_partner(user).filter(status__in=Initiative.PARTNER_EDITABLE)

    def for_submission(self):
        """With everything the submission and review pages show, in a fixed number of queries."""
        related = ["lead_organisation", "submitted_by", "proposed_organisation"]
        return self.select_related(*related).prefetch_related(
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "key_figures",
            "alignments__requirement",
            "submitted_sources",
            "citations__source",
        )

    def for_submission_list(self):
        """With what a partner's list of submissions shows: organisation, status history."""
        return (
            self.select_related("lead_organisation", "proposed_organisation")
            .prefetch_related("status_changes")
            .order_by("-updated_at")
        )

    def with_submitted_at(self):
        """Annotate `submitted_at`: when the initiative was last submitted for review."""
        return self.annotate(
            submitted_at=Max(
                "status_changes__created_at",
                filter=Q(status_changes__to_status=Initiative.Status.SUBMITTED),
            )
        )

    def review_queue(self):
        """Submissions waiting for an editor, the longest-waiting first."""
        return (
            self.filter(status=Initiative.Status.SUBMITTED)
            .with_submitted_at()
            .select_related("lead_organisation", "submitted_by", "proposed_organisation")
            .prefetch_related("sectors")
            .order_by("submitted_at", "pk")
        )

    def possible_duplicates_of(self, initiative, *, similarity=0.75):
        """Published initiatives a submission may repeat: a similar title, or the same lead
        organisation working in one of the same sectors.

        Titles are compared in Python (difflib) so the rule is the same on SQLite and
        PostgreSQL; the published catalogue is hundreds of records, not millions.
        """
        others = self.published().exclude(pk=initiative.pk)
        title = initiative.title.casefold().strip()
        similar = [
            pk
            for pk, other in others.values_list("pk", "title")
            if difflib.SequenceMatcher(None, title, other.casefold()).ratio() >= similarity
        ]
        matches = Q(pk__in=similar)
        if initiative.lead_organisation_id and initiative.pk:
            matches |= Q(
                lead_organisation=initiative.lead_organisation_id,
                sectors__in=initiative.sectors.all(),
            )
        return others.filter(pk__in=others.filter(matches).values("pk")).select_related("lead_organisation")


class Initiative(SeededModel):
    """A case study: one project or programme that applies AI for children or social good."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    class ChineseTextOrigin(models.TextChoices):
        NONE = "", _("No Chinese text")
        SOURCE = "source", _("From the source document")
        EDITORIAL = "editorial", _("Editorial translation")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    title_zh = models.CharField(_("Chinese title"), max_length=250, blank=True)
    summary = models.TextField(
        _("summary"), help_text=_("A paragraph: what the initiative does, for whom, with what AI.")
    )
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    chinese_text_origin = models.CharField(
        _("origin of the Chinese text"),
        max_length=20,
        choices=ChineseTextOrigin,
        blank=True,
        help_text=_("Whether the Chinese title and summary come from the source or a translation."),
    )
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_initiatives",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        Organisation,
        related_name="partner_initiatives",
        blank=True,
        verbose_name=_("partner organisations"),
    )
    sectors = models.ManyToManyField(Sector, related_name="initiatives", verbose_name=_("sectors"))
    technologies = models.ManyToManyField(
        Technology, related_name="initiatives", blank=True, verbose_name=_("AI technologies")
    )
    beneficiary_groups = models.ManyToManyField(
        BeneficiaryGroup,
        related_name="initiatives",
        blank=True,
        verbose_name=_("beneficiary groups"),
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    requirements = models.ManyToManyField(
        Requirement,
        through="RequirementAlignment",
        related_name="initiatives",
        blank=True,
        verbose_name=_("UNICEF requirements addressed"),
    )
    sources = models.ManyToManyField(Source, through="Citation", related_name="initiatives", blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    children_focus = models.BooleanField(
        _("focused on children"),
        default=False,
        help_text=_("Tick when children are the main intended beneficiaries."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_initiatives",
        verbose_name=_("submitted by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    submission_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Sent with the form that created this record, so that posting it twice creates one."),
    )
    submission_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "SHA-256 of the API request that created this record: the same Idempotency-Key with "
            "another body is refused rather than answered with this record."
        ),
    )

    # What a partner may still change; everything else only editors change.
    PARTNER_EDITABLE = [Status.DRAFT, Status.CHANGES_REQUESTED]

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        permissions = [("review_initiative", _("Can review, publish and reject submitted initiatives"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=1950, start_year__lte=2100),
                name="initiative_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="initiative_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalogue:initiative-detail", kwargs={"slug": self.slug})

    @property
    def display_title(self):
        return in_interface_language(self, "title")

    @property
    def display_summary(self):
        return in_interface_language(self, "summary")


class RequirementAlignment(models.Model):
    """How an initiative addresses one UNICEF requirement, and the evidence for saying so."""

    class Strength(models.TextChoices):
        ADDRESSED = "addressed", _("Addressed")
        PARTLY = "partly", _("Partly addressed")

    class Basis(models.TextChoices):
        STATED = "stated", _("Stated in the source")
        INFERRED = "inferred", _("Editorial inference")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="alignments")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="alignments")
    strength = models.CharField(_("strength"), max_length=20, choices=Strength, default=Strength.ADDRESSED)
    rationale = models.CharField(
        _("rationale"), max_length=300, help_text=_("One line: why this initiative addresses it.")
    )
    evidence_quote = models.TextField(_("evidence quote"), blank=True)
    evidence_location = models.CharField(
        _("evidence location"), max_length=120, blank=True, help_text=_("Page or section.")
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis, default=Basis.INFERRED)

    class Meta:
        ordering = ["requirement__number"]
        verbose_name = _("requirement alignment")
        verbose_name_plural = _("requirement alignments")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "requirement"], name="one_alignment_per_requirement"
            )
        ]

    def __str__(self):
        return f"{self.initiative} → {self.requirement}"


class Citation(models.Model):
    """Where in a source document an initiative is described."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    location = models.CharField(
        _("location"), max_length=120, help_text=_("Page or section in the document, e.g. P10.")
    )
    quote = models.TextField(_("quote"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order of this case within the source document.")
    )

    class Meta:
        ordering = ["source", "position"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "source", "location"], name="one_citation_per_location"
            )
        ]

    def __str__(self):
        return f"{self.source} ({self.location})"


class KeyFigure(models.Model):
    """A figure that shows an initiative's scale or effect, as the source states it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="key_figures")
    text = models.CharField(_("figure"), max_length=300)
    text_zh = models.CharField(_("Chinese figure"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return self.text
