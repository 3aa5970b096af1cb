"""Initiatives (case studies) and what records their evidence: requirement alignments,
source citations and key figures."""

import functools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casebook.reversing import reverse

from .. import search
from ..languages import (
    LANGUAGE_COLUMNS,
    TRANSLATED_FIELDS,
    in_interface_language,
    shown_text_expression,
    text_origin,
    translated_by_catalogue,
)
from ..related import ranked
from .compiled import compiled_once
from .relations import Relation, load_queryset_relations
from .translated import InEveryLanguage, InEveryLanguageQuerySet
from .vocabularies import (
    BeneficiaryGroup,
    Organisation,
    Requirement,
    Sector,
    SeededModel,
    Source,
    Technology,
    TextOrigin,
    origin_field,
    text_origins_field,
)

# Slugs that name an address beside the initiatives' own: `/api/v1/initiatives/removed/` would
# hide an initiative called "removed", `/initiatives/feed/` one called "feed", and so on.
RESERVED_SLUGS = {"removed", "feed", "export", "similar"}


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved; choose another slug."), params={"slug": slug})


# How much higher a similar title ranks when its lead organisation is the one the partner named.
ORGANISATION_BOOST = 0.2

UNIT_SEPARATOR, RECORD_SEPARATOR = "\x1f", "\x1e"

# PostgreSQL only (migration 0024): per facet key, how many published initiatives hold it,
# kept by triggers in the writing transaction; key 0 counts the published initiatives, key 10
# those without a start year.
FACET_KEY_TOTALS = "catalogue_facet_key_totals"


def task_model():
    return apps.get_model("catalogue", "Task")


def members_only_readable_by(reader):
    """The ids (a queryset of them) of the members-only initiatives `reader` may read, or None
    for nobody. The members' tier decides, through the function settings.MEMBERS_ONLY_READERS
    names (project wiring: the catalogue never imports the hub); without one, nobody may."""
    path = getattr(settings, "MEMBERS_ONLY_READERS", "")
    if not path or reader is None or not reader.is_authenticated:
        return None
    return import_string(path)(reader)


def ids_of_related(through, column, owner="initiative"):
    """A subquery: the ids in `column` of `through`'s rows for the outer initiative (named by
    their field `owner`), as text joined by commas, in no particular order."""
    rows = through.objects.filter(**{owner: OuterRef("pk")}).order_by().values(owner)
    return Subquery(rows.annotate(ids=StringAgg(Cast(column, TextField()), Value(","))).values("ids"))


@functools.cache
def _totals_wheres():
    """(key, WHERE clause) of the querysets FACET_KEY_TOTALS counts, built once per process:
    a list page asks `_totals_key` about a dozen querysets, and building the two to compare
    with each time cost it ~1 ms of Python."""
    return [
        (0, Initiative.objects.published().query.where),
        (10, Initiative.objects.without_start_year().query.where),
    ]


class InitiativeQuerySet(InEveryLanguageQuerySet):
    """Every query the pages and the API share about initiatives."""

    def in_title_order(self):
        """Ordered by the title the reader sees (their language's where the initiative has
        it, else English), in their language's collation where the database has it, then by
        id. In English the title index of Meta serves it; in the others, PostgreSQL's
        expression index of each language (migration 0034)."""
        return self.order_by(shown_text_expression("title"), "pk")

    # Relations (relations.Relation) to load in one query once the rows are fetched: see
    # with_relations().
    _relations_in_one_query = ()

    def with_relations(self, *relations):
        """Like prefetch_related for `relations` (relations.Relation), in one query for all
        of them instead of one each (catalogue/models/relations.py says why)."""
        clone = self._chain()
        clone._relations_in_one_query = (*self._relations_in_one_query, *relations)
        return clone

    # (path, relations) pairs: the relations of the row each initiative select_related at path,
    # loaded in one query for all of them: see with_relations_of().
    _relations_of_related = ()

    def with_relations_of(self, path, *relations):
        """with_relations() for the row at `path` (a foreign key or one-to-one, select_related
        here) of each initiative: a tool profile's tasks and safeguards, say."""
        clone = self.select_related(path)
        clone._relations_of_related = (*self._relations_of_related, (path, relations))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._relations_in_one_query = self._relations_in_one_query
        clone._relations_of_related = self._relations_of_related
        return clone

    def iterator(self, chunk_size=None):
        if self._relations_in_one_query or self._relations_of_related:
            # Rows streamed in chunks would come without their relations, and each card would
            # then query its own: fail loudly instead.
            raise TypeError("with_relations() loads with the rows: evaluate the queryset, not iterator()")
        return super().iterator(chunk_size)

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._iterable_class is models.query.ModelIterable:
            load_queryset_relations(self._result_cache, self)

    def published(self):
        """What the public may see, anywhere: only published initiatives (a members-only one
        is not: see readable_by)."""
        return self.filter(status=Initiative.Status.PUBLISHED)

    def readable_by(self, reader):
        """What `reader` may read at a case's own address: the published initiatives, and the
        members-only ones the members' tier admits them to (`members_only_readable_by`). Only a
        case's own pages ask this (the page, its related cases, its reference files); every
        other output, the API's included, shows published()."""
        admitted = members_only_readable_by(reader)
        if admitted is None:
            return self.published()
        return self.filter(
            Q(status=Initiative.Status.PUBLISHED) | Q(status=Initiative.Status.MEMBERS_ONLY, pk__in=admitted)
        )

    def is_every_published(self):
        """Whether this selects exactly the published initiatives, nothing narrowing them (an
        order, related rows to fetch or annotations may differ): the unfiltered list, whose
        count and facets PostgreSQL keeps as totals (FACET_KEY_TOTALS)."""
        return self._totals_key() == 0

    def _totals_key(self):
        """The key of FACET_KEY_TOTALS that counts this queryset's rows, if there is one: 0
        for every published initiative, 10 for those without a start year; else None."""
        query = self.query
        if query.is_sliced or query.distinct or query.combinator or query.group_by is not None:
            return None
        for key, where in _totals_wheres():
            if query.where == where:
                return key
        return None

    def with_count(self, known):
        """This queryset, its count() answered by `known` without a query (when not None): a
        number computed with the same filters elsewhere (the facets' id set). Any further
        filtering makes a new queryset, which counts again."""
        return self._knowing(_known_count=known)

    def _knowing(self, **known):
        # A clone keeping what with_count and with_page_ids told this one, and `known`.
        clone = self._chain()
        for name in ("_known_count", "_known_page"):
            setattr(clone, name, known.get(name, getattr(self, name, None)))
        return clone

    def with_page_ids(self, offset, ids):
        """This queryset, the ids of its slice from `offset` (a page) known when `ids` is not
        None: read elsewhere with the same filters and order (the facet query), so that the
        page is read by id (IdsFirstPaginator). Any further filtering forgets them."""
        return self._knowing(_known_page=(offset, ids) if ids is not None else None)

    def known_page_ids(self, offset):
        """The ids `with_page_ids` gave for the slice from `offset`, or None."""
        known = getattr(self, "_known_page", None)
        return known[1] if known is not None and known[0] == offset else None

    def count(self):
        """As QuerySet.count(); on PostgreSQL the published initiatives, and those without a
        start year, are counted from the totals: counting them reads an index of the whole
        catalogue (10-20 ms at 100,000, ten times that at a million) on every list page."""
        if getattr(self, "_known_count", None) is not None:
            return self._known_count
        connection = connections[self.db]
        key = self._totals_key() if self._result_cache is None and connection.vendor == "postgresql" else None
        if key is None:
            return super().count()
        with connection.cursor() as cursor:
            # S608: the table's name is ours.
            cursor.execute(f"SELECT published FROM {FACET_KEY_TOTALS} WHERE key = %s", [key])  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    def search(self, text):
        """Initiatives matching free text in their titles, summaries, description,
        organisation names or key figures, in English or Chinese, best match first
        (annotated `search_rank`). How: catalogue/search.py."""
        return search.matching(self, text)

    def with_search_headline(self, text):
        """Annotate `search_match`: the language whose title or summary matches `text`, with
        their passages matching it, the matched words marked (PostgreSQL only; elsewhere
        unchanged). How: catalogue/search.py."""
        return search.with_headline(self, text)

    def without_start_year(self):
        """Published initiatives whose sources give no start year: a year filter leaves them out."""
        return self.published().filter(start_year__isnull=True)

    def formerly_at(self, slug):
        """The initiative that answered at `slug` before its slug changed, or None."""
        return self.filter(former_slugs__slug=slug).first()

    def for_cards(self):
        """Published initiatives with what a card on a page shows (partials/initiative_card.html:
        the lead organisation, sectors and technologies, and a tool's deployment), in two
        queries however many."""
        return (
            self.published()
            .select_related("lead_organisation", "tool_profile")
            .with_relations(Relation("sectors"), Relation("technologies"))
        )

    def for_listing(self):
        """Published initiatives with what an API list row shows, in two queries however many,
        and one more for the tasks of the tools among them (none when none is a tool): a card's
        relations and the citations and requirement alignments. Pages show cards and use
        for_cards(): decoding the citations and alignments costs a list page's Python."""
        return (
            self.for_cards()
            .with_relations(
                Relation("citations", select_related=("source",)),
                Relation("alignments", select_related=("requirement",)),
            )
            .with_relations_of("tool_profile", Relation("tasks"))
        )

    def for_matrix(self):
        """Published initiatives with their requirement alignments (the evidence matrix's
        cells) and their cited sources (whose text a cell's quote links to), in a fixed number
        of queries."""
        return (
            self.published()
            .select_related("lead_organisation")
            .prefetch_related(
                "alignments", Prefetch("citations", queryset=Citation.objects.select_related("source"))
            )
        )

    def for_matrix_csv(self):
        """(slug, title, cells) of each initiative, in one query however many rows: `cells`
        is "requirement id:strength:basis" of each alignment, joined by commas."""
        cell = Concat(
            Cast("requirement_id", TextField()),
            Value(":"),
            "strength",
            Value(":"),
            "basis",
            output_field=TextField(),
        )
        alignments = (
            RequirementAlignment.objects.filter(initiative=OuterRef("pk")).order_by().values("initiative")
        )
        return self.values_list(
            "slug", "title", Subquery(alignments.annotate(cells=StringAgg(cell, Value(","))).values("cells"))
        )

    def for_detail(self, reader=None):
        """Published initiatives (or those `reader` may read: readable_by) with everything the
        detail page and API detail show, in two queries however many relations: the rows, then
        every relation of every row at once (with_relations), citations with their sources and
        alignments with their requirements. Prefetched one query per relation, the relations'
        compilation and round trips were half of a case page's cost at 100,000 initiatives."""
        return (
            (self.published() if reader is None else self.readable_by(reader))
            .select_related("lead_organisation", "tool_profile")
            .with_relations(
                Relation("sectors"),
                Relation("technologies"),
                Relation("citations", select_related=("source",)),
                Relation("alignments", select_related=("requirement",)),
                Relation("partners"),
                Relation("beneficiary_groups"),
                Relation("key_figures"),
                Relation("publications"),
            )
            # a tool's profile: one query more, and none for an initiative that is no tool
            .with_relations_of(
                "tool_profile", Relation("tasks"), Relation("safeguards", select_related=("source",))
            )
        )

    def featured_in(self, publication):
        """Published initiatives `publication` features, in the order it presents them, with
        what a list row shows."""
        return (
            self.for_cards().filter(features__publication=publication).order_by("features__position", "title")
        )

    def for_csv(self):
        """The values of a list row, as dicts, in one query however many rows: the
        initiative's own fields, `lead_organisation__slug`, and the ids of its sectors,
        technologies, requirements and cited sources, each comma-separated in no particular
        order (`sector_ids`, …; a source cited twice is there twice), and a tool's
        `tool_deployment`, `tool_licence` and `task_ids` (None when it is no tool).

        Ids, because the database reads them from the through tables' indexes for a few
        microseconds a row, where joining and sorting the vocabularies costs it ten times that,
        and for_listing()'s objects through a serializer cost 1 ms of Python a row."""

        ids = ids_of_related  # a short name for the four columns below
        return self.values(
            "slug",
            "title",
            "title_zh_hans",
            "summary",
            "summary_zh_hans",
            "lead_organisation__slug",
            "countries",
            "start_year",
            "children_focus",
            "updated_at",
            sector_ids=ids(Initiative.sectors.through, "sector_id"),
            technology_ids=ids(Initiative.technologies.through, "technology_id"),
            requirement_ids=ids(RequirementAlignment, "requirement_id"),
            source_ids=ids(Citation, "source_id"),
            tool_deployment=F("tool_profile__deployment"),
            tool_licence=F("tool_profile__licence"),
            # a profile's id is its initiative's
            task_ids=ids(task_model().tool_profiles.through, "task_id", owner="toolprofile"),
        )

    def for_references(self):
        """The values `references.Reference.from_row` needs, as dicts, in one query however
        many rows (a list's BibTeX or RIS): the initiative's own fields, its lead
        organisation's names, its sector and technology ids as for_csv() gives them, and its
        citations (`cited`) as `source id US position US location`, joined by RS (ASCII separators, which
        no location holds)."""
        citation = Concat(
            Cast("source_id", TextField()),
            Value(UNIT_SEPARATOR),
            Cast("position", TextField()),
            Value(UNIT_SEPARATOR),
            "location",
            output_field=TextField(),
        )
        citations = Citation.objects.filter(initiative=OuterRef("pk")).order_by().values("initiative")
        return self.values(
            "pk",
            "slug",
            "title",
            "summary",
            # every language's, for the one the reader sees (languages.in_row)
            *(f"{field}_{code}" for field in Initiative.translated_fields for code in LANGUAGE_COLUMNS),
            "updated_at",
            "lead_organisation__name",
            *(f"lead_organisation__name_{code}" for code in LANGUAGE_COLUMNS if code != "en"),
            sector_ids=ids_of_related(Initiative.sectors.through, "sector_id"),
            technology_ids=ids_of_related(Initiative.technologies.through, "technology_id"),
            cited=Subquery(
                citations.annotate(all=StringAgg(citation, Value(RECORD_SEPARATOR))).values("all")
            ),
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

    def coverage_by_basis(self):
        """{(sector id, requirement id): (stated, inferred)}: how many published initiatives in
        that sector address that requirement by an alignment stated in the source, and by an
        editorial (or partner's) inference; one query. The two add up to coverage()'s count."""
        rows = (
            self.published()
            .filter(sectors__isnull=False, alignments__isnull=False)
            .values_list("sectors", "alignments__requirement", "alignments__basis")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        counts = {}
        for sector, requirement, basis, n in rows:
            stated, inferred = counts.get((sector, requirement), (0, 0))
            if basis == RequirementAlignment.Basis.STATED:
                stated += n
            else:
                inferred += n
            counts[sector, requirement] = (stated, inferred)
        return counts

    def countries_covered(self):
        """The set of country codes published initiatives work in; one query."""
        # Several codes share one column ("CN,US"), so they are split here, not in SQL.
        codes = set()
        for value in self.published().order_by().values_list("countries", flat=True):
            codes.update(code for code in (value or "").split(",") if code)
        return codes

    def related(self, initiative, limit=6):
        """The `limit` other published initiatives sharing the most sectors, technologies and
        requirements with `initiative` (ties by title), each annotated `overlap`; two queries
        (on PostgreSQL, when the case's sectors, technologies and alignments are prefetched;
        one more otherwise). How they are found without counting every initiative that shares
        something: catalogue/related.py."""
        overlaps = dict(ranked(self.published(), initiative, limit))
        others = self.filter(pk__in=overlaps).select_related("lead_organisation").in_bulk()
        # An initiative unpublished between the two queries is left out.
        ranked_others = [others[pk] for pk in overlaps if pk in others]
        for other in ranked_others:
            other.overlap = overlaps[other.pk]
        return ranked_others

    def in_source(self, source):
        """Published initiatives `source` describes, in the order the document presents them
        (annotated `source_position`)."""
        position = (
            Citation.objects.filter(source=source, initiative=OuterRef("pk"))
            .order_by("position")
            .values("position")
        )
        return (
            self.for_cards()
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
        return self.filter(mine).exclude(status=Initiative.Status.DELETED)

    def editable_by_partner(self, user):
        """Submissions a partner may still change: drafts and those sent back for changes.
        Published records are edited only by editors, in the admin."""
        return self.for_partner(user).filter(status__in=Initiative.PARTNER_EDITABLE)

    def for_submission(self):
        """With everything the submission and review pages show, in a fixed number of queries."""
        related = [
            "lead_organisation",
            "submitted_by",
            "proposed_organisation",
            "duplicate_of",
            "claimed_by",
            "additions_to",
            "tool_profile",
        ]
        return self.select_related(*related).prefetch_related(
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "key_figures",
            "alignments__requirement",
            "submitted_sources",
            "citations__source",
            # a tool's (no query when the submission is no tool)
            "tool_profile__tasks",
            "tool_profile__safeguards",
            # the conversation and the editors' corrections (models defined after this one)
            Prefetch("comments", queryset=self._related_model("comments").objects.select_related("author")),
            Prefetch(
                "editor_edits", queryset=self._related_model("editor_edits").objects.select_related("editor")
            ),
        )

    def _related_model(self, name):
        return self.model._meta.get_field(name).related_model

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
            .select_related(
                "lead_organisation", "submitted_by", "proposed_organisation", "claimed_by", "additions_to"
            )
            .prefetch_related("sectors")
            .order_by("submitted_at", "pk")
        )

    def similar_to(self, title, *, organisation="", limit=5):
        """Up to `limit` published initiatives whose titles look like `title`, most alike
        first, as a list, each with `title_similarity` (0 to 1) and `same_organisation`: led by
        `organisation` (a slug or a name, in any case), which ranks it ORGANISATION_BOOST higher."""
        # Fetched beyond `limit`, so that a case of the named organisation can still rise
        # into the list; the bound keeps the cost fixed.
        scores = dict(search.similar_titles(self.published(), title, limit=limit * 4))
        led_by = Value(False)
        if organisation := organisation.strip():
            led_by = (
                Q(lead_organisation__slug=organisation)
                | Q(lead_organisation__name__iexact=organisation)
                | Q(lead_organisation__name_zh_hans=organisation)
            )
        initiatives = list(
            self.filter(pk__in=scores)
            .select_related("lead_organisation")
            # A Case, not the condition itself: an organisation without a Chinese name has NULL
            # there, and `NULL = 'name'` would make the answer NULL rather than false.
            .annotate(same_organisation=Case(When(led_by, then=Value(True)), default=Value(False)))
        )
        for initiative in initiatives:
            initiative.title_similarity = scores[initiative.pk]
        boost = ORGANISATION_BOOST
        initiatives.sort(key=lambda i: (-(i.title_similarity + boost * i.same_organisation), i.pk))
        return initiatives[:limit]

    def possible_duplicates_of(self, initiative, *, limit=10):
        """Published initiatives a submission may repeat: up to `limit` with the most similar
        titles, and those of the same lead organisation working in one of the same sectors."""
        others = self.published().exclude(pk=initiative.pk)
        similar = search.similar_titles(others, initiative.title, limit=limit)
        matches = Q(pk__in=[pk for pk, _similarity in similar])
        if initiative.lead_organisation_id and initiative.pk:
            matches |= Q(
                lead_organisation=initiative.lead_organisation_id,
                sectors__in=initiative.sectors.all(),
            )
        return others.filter(pk__in=others.filter(matches).values("pk")).select_related("lead_organisation")


class InitiativeManager(models.Manager.from_queryset(InitiativeQuerySet)):
    def detail_at(self, slug, reader=None):
        """The initiative at `slug` as for_detail(reader) loads it, or Initiative.DoesNotExist.
        For readers the members' tier admits to nothing (anonymous ones among them) that is a
        published initiative, with SQL compiled once per process: for the case page, building
        and compiling the query cost more than running it."""
        if members_only_readable_by(reader) is not None:
            return self.for_detail(reader=reader).get(slug=slug)
        found = _published_detail_at(slug, using=self.db)
        if not found:
            raise self.model.DoesNotExist(f"No published initiative at {slug!r}.")
        return found[0]


# The start years the database accepts (the check constraint below): the facet keys turn an
# open range of start years into the keys of the plausible years in it (facets.start_year_keys).
PLAUSIBLE_START_YEARS = range(1950, 2101)


class Initiative(InEveryLanguage, SeededModel):
    """A case study: one project or programme that applies AI for children or social good."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")
        # Out of the public catalogue (published() leaves it out, so every public output does),
        # read at its address by the members of one community (hub.MembersOnlyCase) and editors.
        MEMBERS_ONLY = "members_only", _("Members only")
        DUPLICATE = "duplicate", _("Closed as a duplicate")
        # A draft its partner deleted: kept, with its history, but no longer shown to anyone.
        DELETED = "deleted", _("Deleted by the partner")

    ChineseTextOrigin = TextOrigin
    # The title and summary in every interface language (catalogue/translation.py).
    translated_fields = TRANSLATED_FIELDS
    TextOrigin = TextOrigin

    slug = models.SlugField(max_length=120, unique=True, validators=[validate_not_reserved])
    title = models.CharField(_("title"), max_length=250)
    title_origin = origin_field(
        _("origin of the title"),
        _("Whether the English title is the source's own words or written by the catalogue."),
    )
    summary = models.TextField(
        _("summary"), help_text=_("A paragraph: what the initiative does, for whom, with what AI.")
    )
    # The title and summary in each language are columns of their own (title_en, title_zh_hans,
    # title_fr, …: catalogue/translation.py); whose words each language's pair is, here.
    text_origins = text_origins_field(
        _(
            "Whose words the title and summary are in each language other than English, e.g. "
            '{"zh-hans": "source", "fr": "partner"}: source, editorial, partner or machine_reviewed.'
        )
    )
    description = models.TextField(_("description"), blank=True)
    editorial_note = models.TextField(
        _("editorial note"),
        blank=True,
        help_text=_(
            "The editors' working notes about this record (how a name was read, why it is one "
            "case): shown apart from the summary and description, labelled as an editorial note."
        ),
    )
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
    start_year_location = models.CharField(
        _("start year location"),
        max_length=120,
        blank=True,
        help_text=_(
            "Where the source gives the start year: page or section. Leave the year empty when none does."
        ),
    )
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
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_initiatives",
        verbose_name=_("claimed by"),
        help_text=_("The editor reviewing this submission, so that two editors do not review the same one."),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
        help_text=_("The published case this submission repeats, when an editor closed it as a duplicate."),
    )
    additions_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_additions",
        verbose_name=_("additions to"),
        help_text=_("The published case this submission proposes additions to, when started from its link."),
    )
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

    RESERVED_SLUGS = RESERVED_SLUGS

    # What a partner may still change; everything else only editors change.
    PARTNER_EDITABLE = [Status.DRAFT, Status.CHANGES_REQUESTED]

    objects = InitiativeManager()
    # Editors' content edits are kept, with who and when (admin "History"); a partner's drafts
    # are recorded by the workflow's StatusChange snapshots instead.
    history = HistoricalRecords(m2m_fields=[partners, sectors, technologies, beneficiary_groups])

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        permissions = [("review_initiative", _("Can review, publish and reject submitted initiatives"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=PLAUSIBLE_START_YEARS[0], start_year__lte=PLAUSIBLE_START_YEARS[-1]),
                name="initiative_start_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="initiative_published_has_date",
            ),
        ]
        # The list's title order (InitiativeFilterSet.ORDERINGS), over the published
        # initiatives: a page's ids are read from it (catalogue/pagination.py) instead of
        # sorting every match, and skipping to row 5,000 skips index entries, not rows. The
        # "newest" and "start_year" orders' indexes are PostgreSQL's only (migrations 0020 and
        # 0029): SQLite cannot index NULLS LAST.
        indexes = [
            # Written with expressions, not `fields`: modeltranslation copies an index naming a
            # translated field once per language, and the other languages' title orders are
            # their own (InitiativeQuerySet.in_title_order).
            models.Index(
                F("title"), F("id"), name="initiative_title_published", condition=Q(status="published")
            ),
            # The start-year range filter (year_min, year_max), which otherwise reads every row.
            models.Index(
                fields=["start_year"], name="initiative_year_published", condition=Q(status="published")
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

    # API v1's and the CSV's Chinese fields, kept by name (v1 never renames or removes a field)
    # now that Chinese is one language among the others.
    @property
    def title_zh(self):
        return self.title_zh_hans or ""

    @title_zh.setter
    def title_zh(self, value):
        self.title_zh_hans = value

    @property
    def summary_zh(self):
        return self.summary_zh_hans or ""

    @summary_zh.setter
    def summary_zh(self, value):
        self.summary_zh_hans = value

    @property
    def chinese_text_origin(self):
        return text_origin(self, "zh-hans")

    @chinese_text_origin.setter
    def chinese_text_origin(self, value):
        self.text_origins = {**(self.text_origins or {}), "zh-hans": value}
        if not value:
            del self.text_origins["zh-hans"]

    @property
    def display_title(self):
        return in_interface_language(self, "title")

    @property
    def display_summary(self):
        return in_interface_language(self, "summary")

    @property
    def tool(self):
        """The initiative's tool profile, or None when it is not described as a tool (from
        select_related where the queryset asked for it)."""
        try:
            return self.tool_profile
        except models.ObjectDoesNotExist:
            return None

    @property
    def labels_translated_by_catalogue(self):
        """Whether a label the case page shows in the reader's language (its sectors, AI
        technologies, beneficiary groups and requirements) is the catalogue's translation; from
        the prefetched relations."""
        terms = [*self.sectors.all(), *self.technologies.all(), *self.beneficiary_groups.all()]
        return any(translated_by_catalogue(term, "name") for term in terms) or any(
            translated_by_catalogue(alignment.requirement, "title") for alignment in self.alignments.all()
        )

    @property
    def not_assessed_reason(self):
        """What to say when the case has no requirement alignment ("" when it has one): the
        editors found no child-specific element, or it has not been assessed."""
        if self.alignments.all():
            return ""
        if not self.children_focus:
            return _("No child-specific element: not assessed against the requirements.")
        return _("Not assessed against the requirements.")

    @classmethod
    def slugs_once_published(cls, stem):
        """Slugs starting with `stem` that published initiatives once had: a new initiative
        must not take one, or a cited link would lead to another case."""
        return FormerSlug.objects.filter(slug__startswith=stem).values_list("slug", flat=True)

    def source_with_text(self):
        """The first cited source whose text the site shows (where an alignment's quote can be
        read in context), from the prefetched citations; or None."""
        return next(
            (c.source for c in self.citations.all() if c.source.show_text and c.source.file_name), None
        )


class FormerSlug(models.Model):
    """An address a published initiative had before its slug changed. Cited and shared links
    keep working: the pages and the API answer it with a 301 to the current address."""

    slug = models.SlugField(max_length=120, unique=True)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="former_slugs")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")

    def __str__(self):
        return f"{self.slug} → {self.initiative.slug}"


class AlignmentQuerySet(models.QuerySet):
    def of_published(self):
        """Alignments of published initiatives only (the rule is InitiativeQuerySet's)."""
        return self.filter(initiative__in=Initiative.objects.published())

    def strength_and_basis_counts(self):
        """{(strength, basis): number of alignments}; one query."""
        rows = self.order_by().values_list("strength", "basis").annotate(n=Count("pk"))
        return {(strength, basis): n for strength, basis, n in rows}


class RequirementAlignment(models.Model):
    """How an initiative addresses one UNICEF requirement, and the evidence for saying so."""

    class Strength(models.TextChoices):
        ADDRESSED = "addressed", _("Addressed")
        PARTLY = "partly", _("Partly addressed")

    class Basis(models.TextChoices):
        STATED = "stated", _("Stated in the source")
        INFERRED = "inferred", _("Editorial inference")

    class MadeBy(models.TextChoices):
        SOURCE = "source", _("The source document")
        EDITORS = "editors", _("The catalogue's editors")
        PARTNER = "partner", _("The submitting partner")

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
    made_by = models.CharField(
        _("made by"),
        max_length=20,
        choices=MadeBy,
        default=MadeBy.EDITORS,
        help_text=_(
            "Who linked the case to this requirement: the source document itself, the catalogue's "
            "editors, or the partner who submitted the case."
        ),
    )

    history = HistoricalRecords()
    objects = AlignmentQuerySet.as_manager()

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

    history = HistoricalRecords()

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
    """A figure that shows an initiative's scale or effect, as the source states it, and
    where (`location`, and the source's words in `quote` or in `text_zh`)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="key_figures")
    text = models.CharField(_("figure"), max_length=300)
    text_zh = models.CharField(_("Chinese figure"), max_length=300, blank=True)
    location = models.CharField(
        _("location"),
        max_length=120,
        blank=True,
        help_text=_("Where the source states the figure: page or section, e.g. P10."),
    )
    quote = models.TextField(
        _("quote"),
        blank=True,
        help_text=_("The source's own words for the figure, when short and not already the Chinese figure."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return self.text


@compiled_once
def _published_detail_at(slug):
    return Initiative.objects.for_detail().filter(slug=slug)
