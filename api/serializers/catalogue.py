"""What the API sends: initiatives and the vocabularies that describe them.

Related records appear as {slug, name, url}, `url` being their API address; every record also
carries `html_url`, its page on the site.
"""

from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.timezone import get_current_timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from catalogue.languages import text_in, translations
from catalogue.models import (
    BeneficiaryGroup,
    Citation,
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
    TextOrigin,
    ToolProfile,
)

ORIGIN_HELP = (
    "`source` when it is the source document's own words, `editorial` when the catalogue "
    "translated or wrote it, `partner` when the submitting partner wrote it, `machine_reviewed` "
    "for a machine translation an editor reviewed; empty when there is none."
)


class InEnglishField(serializers.CharField):
    """A name or title kept in every language (catalogue/translation.py), in English whatever
    the request's language: v1's `name` and `title` have always been English."""

    def __init__(self, field="name", **kwargs):
        self.text_field = field
        kwargs.setdefault("help_text", f"The {field}, in English.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return text_in(record, self.text_field, "en")


def chinese_field(field="name"):
    """v1's `name_zh` (`title_zh`), kept beside `translations`."""
    return serializers.CharField(read_only=True, help_text=f"The {field} in Chinese; empty when it has none.")


def chinese_origin_field(field="name"):
    return serializers.ChoiceField(
        choices=TextOrigin.choices,
        read_only=True,
        help_text=f"Whose words `{field}_zh` is: {ORIGIN_HELP} (`translations` gives each language's).",
    )


class NameTranslationSerializer(serializers.Serializer):
    """A name in one language other than English."""

    name = serializers.CharField(help_text="The name in this language.")
    origin = serializers.ChoiceField(
        choices=TextOrigin.choices, help_text=f"Whose words it is: {ORIGIN_HELP}"
    )


class TitleTranslationSerializer(serializers.Serializer):
    """A title in one language other than English."""

    title = serializers.CharField(help_text="The title in this language.")
    origin = serializers.ChoiceField(
        choices=TextOrigin.choices, help_text=f"Whose words it is: {ORIGIN_HELP}"
    )


class TranslationsField(serializers.SerializerMethodField):
    """v1's `translations` of a record kept in every language: {code: {field: text, "origin": …}}."""

    field = "name"

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"The {self.field} in each language other than English it is written in, by language "
            f'code (`zh-hans`, `ar`, `fr`, `ru`, `es`), with its origin: {{"zh-hans": {{"{self.field}": …, '
            f'"origin": "source"}}}}. Chinese is also in `{self.field}_zh`.',
        )
        kwargs.setdefault("method_name", "get_translations")
        super().__init__(**kwargs)


@extend_schema_field(serializers.DictField(child=NameTranslationSerializer()))
class NameTranslationsField(TranslationsField):
    pass


@extend_schema_field(serializers.DictField(child=TitleTranslationSerializer()))
class TitleTranslationsField(TranslationsField):
    field = "title"


class WithTranslations:
    """A serializer of records kept in every language, with `translations`."""

    def get_translations(self, record):
        return translations(record)


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute address of a record's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class InitiativesURLField(serializers.Field):
    """The API list of the published initiatives a record describes: the initiatives
    endpoint with this record's filter, e.g. /api/v1/initiatives/?sector=education."""

    def __init__(self, parameter, **kwargs):
        self.parameter = parameter
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        url = f"{reverse('api:initiative-list')}?{urlencode({self.parameter: slug})}"
        return self.context["request"].build_absolute_uri(url)


class SlugURLs:
    """The absolute address of a URL pattern taking a slug, for one slug after another: the
    pattern is reversed once and each slug put into it, where reverse() and
    build_absolute_uri() for every row of a long CSV would cost more than the rest of the row.
    A slug needs no quoting in a URL."""

    PLACEHOLDER = "slug-placeholder"

    def __init__(self, request, view_name):
        url = request.build_absolute_uri(reverse(view_name, kwargs={"slug": self.PLACEHOLDER}))
        self.prefix, self.suffix = url.rsplit(self.PLACEHOLDER, 1)

    def __call__(self, slug):
        return f"{self.prefix}{slug}{self.suffix}"


class APIURLField(serializers.HyperlinkedIdentityField):
    """A record's API address. DRF's own would carry the request's `?format=` along, giving
    CSV rows links to a CSV detail that does not exist."""

    def get_url(self, obj, view_name, request, format):
        value = getattr(obj, self.lookup_field)
        if self.lookup_url_kwarg == "slug":
            # Reversed once per response rather than once per record: reverse() was a third of
            # the cost of a JSON list row.
            if getattr(self, "slug_urls", (None,))[0] is not request:
                self.slug_urls = (request, SlugURLs(request, view_name))
            return self.slug_urls[1](value)
        return request.build_absolute_uri(reverse(view_name, kwargs={self.lookup_url_kwarg: value}))


class OptionalURLField(serializers.URLField):
    """A URL the record may not have: null rather than an empty string, which is no URL."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


def api_url(view_name, lookup_field="slug"):
    return APIURLField(view_name=f"api:{view_name}", lookup_field=lookup_field)


# --- Related records, as {slug, name, url} ------------------------------------------------------


class RefSerializer(serializers.ModelSerializer):
    """A related record as {slug, name, url}. A list repeats the same few sectors,
    technologies and sources in most of its rows, so each record's representation is built
    once per response (a serializer lives for one response) and copied."""

    name = InEnglishField()

    class Meta:
        fields = ["slug", "name", "url"]

    def to_representation(self, instance):
        built = self.__dict__.setdefault("built", {})
        if instance.pk not in built:
            built[instance.pk] = super().to_representation(instance)
        return dict(built[instance.pk])


class OrganisationRefSerializer(RefSerializer):
    url = api_url("organisation-detail")

    class Meta(RefSerializer.Meta):
        model = Organisation


class SectorRefSerializer(RefSerializer):
    url = api_url("sector-detail")

    class Meta(RefSerializer.Meta):
        model = Sector


class TechnologyRefSerializer(RefSerializer):
    url = api_url("technology-detail")

    class Meta(RefSerializer.Meta):
        model = Technology


class BeneficiaryGroupRefSerializer(RefSerializer):
    url = api_url("beneficiary-detail")

    class Meta(RefSerializer.Meta):
        model = BeneficiaryGroup


class SourceRefSerializer(RefSerializer):
    name = InEnglishField("title", help_text="The title, in English.")
    url = api_url("source-detail")

    class Meta(RefSerializer.Meta):
        model = Source


class RequirementRefSerializer(RefSerializer):
    name = InEnglishField("title", help_text="The title, in English.")
    url = api_url("requirement-detail", lookup_field="number")

    class Meta(RefSerializer.Meta):
        model = Requirement
        fields = ["number", *RefSerializer.Meta.fields]


class PublicationRefSerializer(RefSerializer):
    name = InEnglishField("title", help_text="The title, in English.")
    url = api_url("publication-detail")

    class Meta(RefSerializer.Meta):
        model = Publication
        fields = [*RefSerializer.Meta.fields, "kind"]


class TaskRefSerializer(RefSerializer):
    url = InitiativesURLField("task", help_text="The initiatives that support this task.")

    class Meta(RefSerializer.Meta):
        model = Task


class InitiativeRefSerializer(RefSerializer):
    name = serializers.CharField(source="title_en", read_only=True)
    url = api_url("initiative-detail")

    class Meta(RefSerializer.Meta):
        model = Initiative


# --- Initiatives -----------------------------------------------------------------------------------


class TranslationSerializer(serializers.Serializer):
    """An initiative's text in one language other than English."""

    title = serializers.CharField(help_text="The title in this language; empty when only the summary is.")
    summary = serializers.CharField(help_text="The summary in this language; empty when only the title is.")
    origin = serializers.ChoiceField(
        choices=TextOrigin.choices, help_text=f"Whose words they are: {ORIGIN_HELP}"
    )


class InitiativeSerializer(serializers.ModelSerializer):
    """An initiative as a list row: what a tool needs without a further request."""

    url = api_url("initiative-detail")
    # English, whatever the request's language; v1 keeps the Chinese fields by name beside
    # `translations`, which holds every other language the initiative is written in.
    title = serializers.CharField(source="title_en", read_only=True, help_text="The title, in English.")
    title_zh = serializers.CharField(
        read_only=True, help_text="The title in Chinese; empty when it has none."
    )
    summary = serializers.CharField(source="summary_en", read_only=True, help_text="The summary, in English.")
    summary_zh = serializers.CharField(
        read_only=True, help_text="The summary in Chinese; empty when it has none."
    )
    translations = serializers.SerializerMethodField(
        help_text="The title and summary in each language other than English the initiative is written "
        "in, by language code (`zh-hans`, `ar`, `fr`, `ru`, `es`), with their origin: "
        '{"zh-hans": {"title": …, "summary": …, "origin": "source"}}. Chinese is also in `title_zh` '
        "and `summary_zh`."
    )
    html_url = PageURLField()
    sectors = SectorRefSerializer(many=True, read_only=True)
    lead_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    countries = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2 country codes.")
    technologies = TechnologyRefSerializer(many=True, read_only=True)
    requirements = serializers.SerializerMethodField(
        help_text="Numbers (1–9) of the UNICEF requirements the initiative addresses."
    )
    sources = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField(
        help_text="What the initiative, described as a tool, helps practitioners do (filter `task`)."
    )
    deployment = serializers.SerializerMethodField(
        help_text="How the tool is run (filter `deployment`); null when the initiative is not "
        "described as a tool or no source says."
    )
    licence = serializers.SerializerMethodField(
        help_text="On what terms the tool is obtained (filter `licence`); null as `deployment`."
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "url",
            "html_url",
            "title",
            "title_zh",
            "summary",
            "summary_zh",
            "translations",
            "sectors",
            "lead_organisation",
            "countries",
            "technologies",
            "requirements",
            "sources",
            "start_year",
            "children_focus",
            "updated_at",
            "tasks",
            "deployment",
            "licence",
        ]

    @extend_schema_field(serializers.DictField(child=TranslationSerializer()))
    def get_translations(self, initiative):
        return translations(initiative)

    def get_countries(self, initiative) -> list[str]:
        return [country.code for country in initiative.countries]

    def get_requirements(self, initiative) -> list[int]:
        # From the prefetched alignments: `initiative.requirements` would cost a query a row.
        return [alignment.requirement.number for alignment in initiative.alignments.all()]

    @extend_schema_field(SourceRefSerializer(many=True))
    def get_sources(self, initiative):
        # Through the prefetched citations, each source once; `initiative.sources` would cost
        # a query a row.
        sources = {citation.source_id: citation.source for citation in initiative.citations.all()}
        return self.source_refs.to_representation(sources.values())

    @cached_property
    def source_refs(self):
        return SourceRefSerializer(many=True, context=self.context)

    @extend_schema_field(TaskRefSerializer(many=True))
    def get_tasks(self, initiative):
        profile = tool_profile(initiative)
        return self.task_refs.to_representation(profile.tasks.all()) if profile else []

    @cached_property
    def task_refs(self):
        return TaskRefSerializer(many=True, context=self.context)

    @extend_schema_field(serializers.ChoiceField(choices=ToolProfile.Deployment.choices, allow_null=True))
    def get_deployment(self, initiative):
        profile = tool_profile(initiative)
        return (profile.deployment or None) if profile else None

    @extend_schema_field(serializers.ChoiceField(choices=ToolProfile.Licence.choices, allow_null=True))
    def get_licence(self, initiative):
        profile = tool_profile(initiative)
        return (profile.licence or None) if profile else None


def tool_profile(initiative):
    """The initiative's tool profile, or None (read from select_related: no query)."""
    try:
        return initiative.tool_profile
    except ToolProfile.DoesNotExist:
        return None


class VocabularyCells:
    """A CSV cell listing a vocabulary's records from their ids ("3,5"): their slugs (or
    `field`), each once, joined by `separator`, in the order the JSON lists them. Each list of
    ids is worked out once: rows share a few combinations of a few records."""

    def __init__(self, vocabulary, separator, field="slug", *, lazy=False):
        self.vocabulary, self.separator, self.field = vocabulary, separator, field
        self.labels = {}
        if not lazy:  # lazy: read at the first row that needs them (a query only if one does)
            self.read_labels()
        self.cells = {None: ""}

    def read_labels(self):
        self.labels = {pk: str(label) for pk, label in self.vocabulary.in_list_order(self.field).items()}

    def __call__(self, ids):
        try:
            return self.cells[ids]
        except KeyError:
            pass
        pks = {int(pk) for pk in ids.split(",")}
        if not pks <= self.labels.keys():  # a record added since the export began
            self.read_labels()
        ordered = [label for pk, label in self.labels.items() if pk in pks]
        self.cells[ids] = cell = self.separator.join(ordered)
        return cell


class InitiativeCSVRows:
    """The CSV export's rows: InitiativeSerializer's fields, in its order, each cell as
    `renderers.cell` writes it (related records by slug, several values joined by
    `separator`), built from InitiativeQuerySet.for_csv() values rather than from objects
    through the serializer, over ten times cheaper a row. tests/api/test_csv.py checks that
    both give the same cells. The writer (`catalogue.downloads.stream_csv`) neutralises cells that a
    spreadsheet would run as formulas."""

    # Every field but `translations`, a nested object: the CSV keeps its columns, Chinese in
    # title_zh and summary_zh.
    columns = [name for name in InitiativeSerializer.Meta.fields if name != "translations"]

    def __init__(self, request, separator):
        self.separator = separator
        self.url = SlugURLs(request, "api:initiative-detail")
        self.html_url = SlugURLs(request, "catalogue:initiative-detail")
        self.sectors = VocabularyCells(Sector.objects, separator)
        self.technologies = VocabularyCells(Technology.objects, separator)
        self.requirements = VocabularyCells(Requirement.objects, separator, field="number")
        self.sources = VocabularyCells(Source.objects, separator)
        # Most initiatives are no tool: the tasks are read only when a row has some.
        self.tasks = VocabularyCells(Task.objects, separator, lazy=True)
        # As the JSON writes it, the time zone looked up once rather than for every row.
        self.timestamp = serializers.DateTimeField(default_timezone=get_current_timezone()).to_representation
        self.clean_countries = Initiative._meta.get_field("countries").get_clean_value
        self.country_cells = {}

    def countries(self, stored):
        """The cell of a stored list of country codes ("CN,KE")."""
        try:
            return self.country_cells[stored]
        except KeyError:
            cell = self.country_cells[stored] = self.separator.join(self.clean_countries(stored) or ())
            return cell

    def __call__(self, rows):
        for row in rows:
            slug, start_year = row["slug"], row["start_year"]
            yield [
                slug,
                self.url(slug),
                self.html_url(slug),
                row["title"],
                row["title_zh_hans"] or "",
                row["summary"],
                row["summary_zh_hans"] or "",
                self.sectors(row["sector_ids"]),
                row["lead_organisation__slug"] or "",
                self.countries(row["countries"]),
                self.technologies(row["technology_ids"]),
                self.requirements(row["requirement_ids"]),
                self.sources(row["source_ids"]),
                "" if start_year is None else str(start_year),
                "true" if row["children_focus"] else "false",
                self.timestamp(row["updated_at"]) or "",
                self.tasks(row["task_ids"]),
                row["tool_deployment"] or "",
                row["tool_licence"] or "",
            ]


class SimilarQuerySerializer(serializers.Serializer):
    """What /initiatives/similar/ reads from the query string."""

    # Not trimmed, so that what the schema states (a length) is the whole rule.
    title = serializers.CharField(
        min_length=4,
        max_length=250,
        trim_whitespace=False,
        help_text="The title being typed: at least 4 characters.",
    )
    organisation = serializers.CharField(
        required=False,
        default="",
        max_length=200,
        help_text="The lead organisation's slug or name (any case): its cases rank higher.",
    )


class NearNameQuerySerializer(serializers.Serializer):
    """What /organisations/near/ reads from the query string."""

    name = serializers.CharField(
        min_length=2,
        max_length=200,
        trim_whitespace=False,
        help_text="The organisation name being typed: at least 2 characters.",
    )


class NearOrganisationSerializer(OrganisationRefSerializer):
    """An organisation whose name looks like the one being typed."""

    name_zh = chinese_field()

    class Meta(OrganisationRefSerializer.Meta):
        fields = ["slug", "name", "name_zh", "url"]


class SimilarInitiativeSerializer(serializers.ModelSerializer):
    """A published initiative whose title looks like the one being typed."""

    url = api_url("initiative-detail")
    html_url = PageURLField()
    lead_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    title_similarity = serializers.SerializerMethodField(
        help_text="How alike the titles are, from 0 to 1 (1: the same letters)."
    )
    same_organisation = serializers.BooleanField(
        read_only=True, help_text="Led by the organisation named in `organisation`."
    )

    title = serializers.CharField(source="title_en", read_only=True, help_text="The title, in English.")
    title_zh = serializers.CharField(
        read_only=True, help_text="The title in Chinese; empty when it has none."
    )

    class Meta:
        model = Initiative
        fields = [
            "slug",
            "url",
            "html_url",
            "title",
            "title_zh",
            "lead_organisation",
            "title_similarity",
            "same_organisation",
        ]

    def get_title_similarity(self, initiative) -> float:
        return round(initiative.title_similarity, 3)


class RemovedInitiativeSerializer(serializers.ModelSerializer):
    """The address of an initiative that is no longer published, and since when."""

    class Meta:
        model = RemovedInitiative
        fields = ["slug", "removed_at"]


class KeyFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["text", "text_zh", "location", "quote"]


class RequirementAlignmentSerializer(serializers.ModelSerializer):
    requirement = RequirementRefSerializer(read_only=True)

    class Meta:
        model = RequirementAlignment
        fields = [
            "requirement",
            "strength",
            "basis",
            "rationale",
            "evidence_quote",
            "evidence_location",
            "made_by",
        ]
        extra_kwargs = {
            "made_by": {
                "help_text": "Who linked the case to this requirement: `source` (the source document "
                "itself), `editors` (the catalogue's editors) or `partner` (the partner who submitted "
                "the case)."
            }
        }


class CitationSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)

    class Meta:
        model = Citation
        fields = ["source", "location", "quote"]


class SafeguardSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Safeguard
        fields = ["kind", "description", "evidence", "source", "location"]


class ToolProfileSerializer(serializers.ModelSerializer):
    """The initiative described as a tool a practitioner can adopt: its public statement."""

    tasks = TaskRefSerializer(many=True, read_only=True)
    deployment = serializers.SerializerMethodField()
    licence = serializers.SerializerMethodField()
    safeguards = SafeguardSerializer(many=True, read_only=True)

    class Meta:
        model = ToolProfile
        fields = [
            "tasks",
            "inputs",
            "deployment",
            "licence",
            "languages",
            "available_to",
            "access",
            "location",
            "safeguards",
        ]
        extra_kwargs = {
            "available_to": {"help_text": "Who may obtain the tool."},
            "access": {"help_text": "How to request access: the public statement."},
            "location": {"help_text": "Where the case's source describes the tool."},
        }

    @extend_schema_field(serializers.ChoiceField(choices=ToolProfile.Deployment.choices, allow_null=True))
    def get_deployment(self, profile):
        return profile.deployment or None

    @extend_schema_field(serializers.ChoiceField(choices=ToolProfile.Licence.choices, allow_null=True))
    def get_licence(self, profile):
        return profile.licence or None


class InitiativeDetailSerializer(InitiativeSerializer):
    """Everything the initiative's page shows."""

    partners = OrganisationRefSerializer(many=True, read_only=True)
    beneficiaries = BeneficiaryGroupRefSerializer(source="beneficiary_groups", many=True, read_only=True)
    key_figures = KeyFigureSerializer(many=True, read_only=True)
    alignments = RequirementAlignmentSerializer(many=True, read_only=True)
    citations = CitationSerializer(many=True, read_only=True)
    featured_in = PublicationRefSerializer(
        source="publications",
        many=True,
        read_only=True,
        help_text="The reports and events that include or present this case.",
    )
    website = OptionalURLField()
    tool_profile = serializers.SerializerMethodField(
        help_text="The initiative described as a tool a practitioner can adopt; null when it is not."
    )
    chinese_text_origin = serializers.ChoiceField(
        choices=TextOrigin.choices,
        read_only=True,
        help_text=f"Whose words `title_zh` and `summary_zh` are: {ORIGIN_HELP} (`translations` gives "
        "each language's).",
    )

    class Meta(InitiativeSerializer.Meta):
        fields = [
            *InitiativeSerializer.Meta.fields,
            "description",
            "editorial_note",
            "chinese_text_origin",
            "title_origin",
            "start_year_location",
            "website",
            "partners",
            "beneficiaries",
            "key_figures",
            "alignments",
            "citations",
            "published_at",
            "featured_in",
            "tool_profile",
        ]
        extra_kwargs = {"title_origin": {"help_text": f"Whose words `title` is: {ORIGIN_HELP}"}}

    @extend_schema_field(ToolProfileSerializer(allow_null=True))
    def get_tool_profile(self, initiative):
        profile = tool_profile(initiative)
        return ToolProfileSerializer(profile, context=self.context).data if profile else None


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value to pass to the filter parameter of the same name.")
    label = serializers.CharField()
    count = serializers.IntegerField(
        help_text="Initiatives the list would hold with this option also chosen; other facets apply."
    )
    selected = serializers.BooleanField()


@extend_schema_serializer(many=False)
class InitiativePageSerializer(serializers.Serializer):
    """A page of the initiatives list, with facet counts when `facets` asks for them.

    Describes the response for the schema only; the view builds it from DRF's pagination.
    """

    count = serializers.IntegerField(help_text="Matching initiatives, on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InitiativeSerializer(many=True)
    facets = serializers.DictField(
        child=FacetOptionSerializer(many=True),
        required=False,
        help_text="Only with `?facets=`: for each facet asked for, its options with counts.",
    )
    facets_truncated = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "Only with `?facets=`: the facets that list only some of their options. The "
            "organisation and country facets list the 15 options with the most initiatives and "
            "the selected ones; /api/v1/organisations/ lists every organisation."
        ),
    )


# --- Vocabularies ----------------------------------------------------------------------------------


class VocabularySerializer(WithTranslations, serializers.ModelSerializer):
    html_url = PageURLField()
    initiative_count = serializers.IntegerField(read_only=True, help_text="Published initiatives.")
    name = InEnglishField()
    name_zh = chinese_field()
    name_zh_origin = chinese_origin_field()
    translations = NameTranslationsField()

    class Meta:
        fields = [
            "slug",
            "url",
            "html_url",
            "name",
            "name_zh",
            "description",
            "initiative_count",
            "initiatives",
            "translations",
        ]


class OrganisationSerializer(VocabularySerializer):
    website = OptionalURLField()
    url = api_url("organisation-detail")
    initiatives = InitiativesURLField("organisation", help_text="Initiatives it leads or partners in.")
    country = serializers.CharField(
        source="country.code", read_only=True, help_text="ISO 3166-1 alpha-2 code."
    )

    class Meta(VocabularySerializer.Meta):
        model = Organisation
        fields = [*VocabularySerializer.Meta.fields, "name_zh_origin", "kind", "country", "website"]


class SectorSerializer(VocabularySerializer):
    url = api_url("sector-detail")
    initiatives = InitiativesURLField("sector")

    class Meta(VocabularySerializer.Meta):
        model = Sector
        fields = [*VocabularySerializer.Meta.fields, "name_zh_origin"]


class TechnologySerializer(VocabularySerializer):
    url = api_url("technology-detail")
    initiatives = InitiativesURLField("technology")

    class Meta(VocabularySerializer.Meta):
        model = Technology
        fields = [*VocabularySerializer.Meta.fields, "name_zh_origin"]


class TaskSerializer(VocabularySerializer):
    url = api_url("task-detail")
    initiatives = InitiativesURLField("task", help_text="The initiatives that support this task.")

    class Meta(VocabularySerializer.Meta):
        model = Task
        fields = [*VocabularySerializer.Meta.fields, "name_zh_origin", "position"]


class BeneficiaryGroupSerializer(VocabularySerializer):
    url = api_url("beneficiary-detail")
    initiatives = InitiativesURLField("beneficiary")

    class Meta(VocabularySerializer.Meta):
        model = BeneficiaryGroup
        fields = [*VocabularySerializer.Meta.fields, "name_zh_origin"]


class RequirementSerializer(VocabularySerializer):
    url = api_url("requirement-detail", lookup_field="number")
    initiatives = InitiativesURLField("requirement")
    title = InEnglishField("title")
    title_zh = chinese_field("title")
    title_zh_origin = chinese_origin_field("title")
    translations = TitleTranslationsField()
    name = name_zh = name_zh_origin = None

    class Meta(VocabularySerializer.Meta):
        model = Requirement
        fields = [
            "number",
            "slug",
            "url",
            "html_url",
            "title",
            "title_zh",
            "description",
            "initiative_count",
            "initiatives",
            "title_zh_origin",
            "translations",
        ]


class SourceSerializer(VocabularySerializer):
    url = api_url("source-detail")
    initiatives = InitiativesURLField("source")
    document_url = OptionalURLField(source="url", help_text="Where the document is published.")
    title = InEnglishField("title")
    title_zh = chinese_field("title")
    translations = TitleTranslationsField()
    name = name_zh = name_zh_origin = None

    class Meta(VocabularySerializer.Meta):
        model = Source
        fields = [
            "slug",
            "url",
            "html_url",
            "title",
            "title_zh",
            "publisher",
            "published_on",
            "kind",
            "document_url",
            "description",
            "initiative_count",
            "initiatives",
            "translations",
        ]


# --- Publications and events -----------------------------------------------------------------------


class PublicationRoleSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="organisation.slug", read_only=True)
    name = serializers.CharField(
        source="organisation.name_en", read_only=True, help_text="Its name, in English."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = PublicationRole
        fields = ["slug", "name", "url", "role"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, role):
        url = reverse("api:organisation-detail", kwargs={"slug": role.organisation.slug})
        return self.context["request"].build_absolute_uri(url)


class PublicationItemSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer(read_only=True)
    text_url = serializers.SerializerMethodField(
        help_text="The quote highlighted in the source's text on the site, where its terms allow."
    )

    class Meta:
        model = PublicationItem
        fields = [
            "kind",
            "heading",
            "heading_zh",
            "figure",
            "quote",
            "quote_zh",
            "source",
            "location",
            "text_url",
        ]

    def get_text_url(self, item) -> str | None:
        if not (item.source.show_text and item.source.file_name):
            return None
        url = reverse("catalogue:source-text", kwargs={"slug": item.source.slug})
        return self.context["request"].build_absolute_uri(f"{url}#item-{item.pk}")


class PublicationSerializer(WithTranslations, serializers.ModelSerializer):
    """A report, action plan or event as a list row."""

    url = api_url("publication-detail")
    title = InEnglishField("title")
    title_zh = chinese_field("title")
    translations = TitleTranslationsField()
    html_url = PageURLField()
    organisations = PublicationRoleSerializer(source="roles", many=True, read_only=True)

    class Meta:
        model = Publication
        fields = [
            "slug",
            "url",
            "html_url",
            "kind",
            "title",
            "title_zh",
            "date",
            "date_in_source",
            "organisations",
            "translations",
        ]


class PublicationDetailSerializer(PublicationSerializer):
    """Everything the publication's page shows."""

    launches = PublicationRefSerializer(read_only=True, allow_null=True)
    sources = SourceRefSerializer(many=True, read_only=True)
    items = PublicationItemSerializer(many=True, read_only=True)
    initiatives = InitiativeRefSerializer(
        source="published_initiatives",
        many=True,
        read_only=True,
        help_text="The published cases it includes or presents, in its order.",
    )

    class Meta(PublicationSerializer.Meta):
        fields = [
            *PublicationSerializer.Meta.fields,
            "date_location",
            "description",
            "launches",
            "sources",
            "items",
            "initiatives",
        ]
