"""What partners send to POST/PUT /api/v1/submissions/ and read back: the same content, rules
and statuses as the /submit/ form (both doors call workflow.transitions.save_content)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.forms import check_one_organisation
from catalogue.languages import TRANSLATED_FIELDS, language_codes, partners_original, text_in
from catalogue.models import (
    BeneficiaryGroup,
    Initiative,
    KeyFigure,
    Organisation,
    ProposedOrganisation,
    Requirement,
    Safeguard,
    Sector,
    StatusChange,
    SubmissionComment,
    SubmissionEdit,
    SubmittedSource,
    Task,
    Technology,
    ToolProfile,
    submission_fields,
)
from workflow import validators
from workflow.transitions import TEXT_KEYS, text_key

# JSON values are taken as the schema types them: DRF would turn 0 into "0" for a string,
# "2021" into 2021 and "yes" into True, so a client's mistake would pass, or be stored, unseen.


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictURLField(StrictCharField, serializers.URLField):
    pass


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.URLField: StrictURLField,
        models.IntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
    }


def slugs(queryset, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=queryset, many=True, **kwargs)


class KeyFigureInputSerializer(StrictModelSerializer):
    class Meta:
        model = KeyFigure
        fields = ["text", "text_zh"]


class RequirementAlignmentInputSerializer(serializers.Serializer):
    requirement = serializers.SlugRelatedField(
        slug_field="slug", queryset=Requirement.objects.all(), help_text="The requirement's slug."
    )
    rationale = StrictCharField(max_length=300, help_text="One line: why the initiative addresses it.")


class SubmittedSourceSerializer(StrictModelSerializer):
    url = StrictURLField(
        max_length=500, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )

    class Meta:
        model = SubmittedSource
        fields = ["title", "url", "reference"]

    def validate(self, attrs):
        validators.check_source_location(attrs.get("url"), attrs.get("reference"))
        return attrs


class ProposedOrganisationSerializer(StrictModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    website = StrictURLField(
        max_length=300, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )

    class Meta:
        model = ProposedOrganisation
        fields = ["name", "kind", "country", "website"]


class StatusChangeSerializer(serializers.ModelSerializer):
    # Declared because DRF drops `allow_blank` from a read-only model field, and the schema
    # would then deny the blank of a submission's first change.
    from_status = serializers.ChoiceField(
        choices=Initiative.Status.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank for the first change, when the submission was created.",
    )

    class Meta:
        model = StatusChange
        fields = ["created_at", "from_status", "to_status", "note"]
        read_only_fields = fields


class SubmissionCommentSerializer(StrictModelSerializer):
    """A message in the conversation between the partner and the editors (read), or a new one
    from the partner (written: `body`, and `field` if it is about one part)."""

    author = serializers.CharField(
        source="author_name", read_only=True, help_text="The author's name, or their address."
    )
    field = serializers.ChoiceField(
        choices=submission_fields(),
        required=False,
        allow_blank=True,
        help_text="The part of the submission the comment is about; blank for the whole.",
    )
    body = StrictCharField(max_length=4000, help_text="Plain text.")

    class Meta:
        model = SubmissionComment
        fields = ["id", "created_at", "author", "by_editor", "field", "body"]
        read_only_fields = ["id", "created_at", "author", "by_editor"]

    def validate_body(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Write a comment first."))
        return value


class SubmissionEditSerializer(serializers.ModelSerializer):
    """A correction an editor made to the submission before deciding on it."""

    class Meta:
        model = SubmissionEdit
        fields = ["created_at", "field", "detail", "before", "after"]
        read_only_fields = fields
        extra_kwargs = {"detail": {"help_text": "For a rationale, the requirement it explains."}}


class SafeguardInputSerializer(StrictModelSerializer):
    class Meta:
        model = Safeguard
        fields = ["kind", "description", "evidence"]


class ToolProfileInputSerializer(StrictModelSerializer):
    """The submission's optional "As a tool" part, as in the form's section 7."""

    tasks = serializers.SlugRelatedField(
        slug_field="slug", queryset=Task.objects.all(), many=True, required=False, help_text="Task slugs."
    )
    safeguards = SafeguardInputSerializer(many=True, required=False, max_length=validators.MAX_SAFEGUARDS)

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
            "safeguards",
        ]
        extra_kwargs = {
            "access": {"help_text": "The public statement of how to ask for it; no private contact."},
            "available_to": {"help_text": "Who may obtain the tool."},
        }

    PROFILE_FIELDS = ["tasks", "inputs", "deployment", "licence", "languages", "available_to", "access"]

    def to_internal_value(self, data):
        """Every field, those left out empty (a PUT replaces the whole submission)."""
        attrs = super().to_internal_value(data)
        filled = {"tasks": [], "safeguards": [], **dict.fromkeys(self.PROFILE_FIELDS[1:], ""), **attrs}
        if filled["safeguards"] and self.is_empty(filled):
            raise serializers.ValidationError(
                {"safeguards": [_("Safeguards describe a tool: give at least one of the tool's fields.")]}
            )
        return filled

    @classmethod
    def is_empty(cls, attrs):
        """Nothing filled in: no profile, as the form decides."""
        return not any(attrs.get(name) for name in cls.PROFILE_FIELDS)


# The languages other than English a submission's title and summary may be given in.
OTHER_LANGUAGES = [code for code in language_codes() if code != "en"]


class TextInLanguageSerializer(serializers.Serializer):
    title = StrictCharField(
        max_length=Initiative._meta.get_field("title").max_length, required=False, allow_blank=True
    )
    summary = StrictCharField(max_length=validators.SUMMARY_MAX_LENGTH, required=False, allow_blank=True)


# As the schema describes `translations`: an object of the other languages only (the server
# refuses any other key, so the schema says so), each with a title and a summary.
TRANSLATIONS_SCHEMA = {
    "type": "object",
    "properties": {
        code: {
            "type": "object",
            "properties": {
                "title": {"type": "string", "maxLength": Initiative._meta.get_field("title").max_length},
                "summary": {"type": "string", "maxLength": validators.SUMMARY_MAX_LENGTH},
            },
        }
        for code in OTHER_LANGUAGES
    },
    "additionalProperties": False,
}


@extend_schema_field(TRANSLATIONS_SCHEMA)
class TranslationsField(serializers.DictField):
    """The title and summary in each language other than English the partner gives, keyed by
    language code: {"fr": {"title": …, "summary": …}}; Chinese may be given here or as
    `title_zh` and `summary_zh` (and is read back in both)."""

    def __init__(self, **kwargs):
        super().__init__(child=TextInLanguageSerializer(), source="*", required=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(code for code in value if code not in OTHER_LANGUAGES)
        if unknown:
            raise serializers.ValidationError(
                _("%(code)s is not one of the other languages: give one of %(codes)s.")
                % {"code": unknown[0], "codes": ", ".join(OTHER_LANGUAGES)}
            )
        return {"translations": value}

    def to_representation(self, instance):
        return {
            code: {"title": text_in(instance, "title", code), "summary": text_in(instance, "summary", code)}
            for code in OTHER_LANGUAGES
            if text_in(instance, "title", code) or text_in(instance, "summary", code)
        }


class OriginalLanguageField(serializers.ChoiceField):
    """The language the partner wrote the title and summary in first (the others are their
    translations): English unless said."""

    def __init__(self, **kwargs):
        super().__init__(choices=language_codes(), source="*", required=False, **kwargs)

    def to_internal_value(self, data):
        return {"original_language": super().to_internal_value(data)}

    def to_representation(self, instance):
        return partners_original(instance) or "en"


class SubmissionSerializer(StrictModelSerializer):
    lead_organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of an organisation in the catalogue; or give proposed_organisation.",
    )
    proposed_organisation = ProposedOrganisationSerializer(required=False, allow_null=True)
    partners = slugs(Organisation.objects.all(), required=False)
    sectors = slugs(Sector.objects.all(), allow_empty=False)
    technologies = slugs(Technology.objects.all(), required=False)
    beneficiary_groups = slugs(BeneficiaryGroup.objects.all(), required=False)
    countries = serializers.ListField(child=CountryField(), required=False, help_text="ISO 3166 codes.")
    # English and Chinese by name, whatever the request's language (to_representation reads each
    # language's column: `instance.title` is the request language's).
    title = StrictCharField(max_length=Initiative._meta.get_field("title").max_length)
    title_zh = StrictCharField(
        max_length=Initiative._meta.get_field("title").max_length, required=False, allow_blank=True
    )
    summary = StrictCharField(max_length=validators.SUMMARY_MAX_LENGTH)
    summary_zh = StrictCharField(max_length=validators.SUMMARY_MAX_LENGTH, required=False, allow_blank=True)
    translations = TranslationsField(
        help_text="The title and summary in other languages, by language code: "
        '{"fr": {"title": …, "summary": …}}. Chinese here or as title_zh and summary_zh.'
    )
    original_language = OriginalLanguageField(
        help_text="The language the title and summary were written in first; the others are the "
        "partner's translations. English unless said; that language's title and summary are required."
    )
    start_year = StrictIntegerField(
        required=False, allow_null=True, validators=[validators.validate_start_year]
    )
    website = StrictURLField(
        max_length=300, required=False, allow_blank=True, validators=[validators.validate_web_url]
    )
    key_figures = KeyFigureInputSerializer(many=True, required=False, max_length=validators.MAX_KEY_FIGURES)
    requirements = RequirementAlignmentInputSerializer(
        many=True,
        required=False,
        source="alignments",
        max_length=validators.MAX_REQUIREMENTS,
        help_text="Each requirement at most once.",
    )
    sources = SubmittedSourceSerializer(
        many=True,
        required=False,
        source="submitted_sources",
        max_length=validators.MAX_SOURCES,
        help_text="Each with its `url`, or a `reference` to a document without one.",
    )
    tool_profile = ToolProfileInputSerializer(
        source="tool",
        required=False,
        allow_null=True,
        help_text="The initiative described as a tool a practitioner can adopt; null (or left out) when "
        "it is not.",
    )
    history = StatusChangeSerializer(many=True, read_only=True, source="status_changes")
    comments = SubmissionCommentSerializer(
        many=True,
        read_only=True,
        help_text="The conversation with the editors, oldest first; add to it with POST …/comments/.",
    )
    corrections = SubmissionEditSerializer(
        many=True, read_only=True, source="editor_edits", help_text="Editors' corrections, oldest first."
    )
    duplicate_of = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the published initiative this submission repeats, when an editor closed "
        "it as a duplicate (status `duplicate`); null otherwise.",
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "slug",
            "status",
            "duplicate_of",
            "title",
            "title_zh",
            "summary",
            "summary_zh",
            "translations",
            "original_language",
            "lead_organisation",
            "proposed_organisation",
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "countries",
            "start_year",
            "website",
            "children_focus",
            "key_figures",
            "requirements",
            "sources",
            "tool_profile",
            "history",
            "comments",
            "corrections",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "slug", "status", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        # For the schema only (validate_start_year, shared with the form, does the checking):
        # the range the validator allows, read per request since the latest year moves.
        fields["start_year"].min_value = validators.EARLIEST_START_YEAR
        fields["start_year"].max_value = validators.latest_start_year()
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["title"], data["summary"] = instance.title_en or "", instance.summary_en or ""
        data["countries"] = [country.code for country in instance.countries]
        proposed = getattr(instance, "proposed_organisation", None)
        data["proposed_organisation"] = ProposedOrganisationSerializer(proposed).data if proposed else None
        return data

    def validate(self, attrs):
        texts = self.texts(attrs)
        original = attrs.get("original_language") or "en"
        if not all(texts[text_key(field, original)] for field in TRANSLATED_FIELDS):
            raise serializers.ValidationError(
                {"original_language": [_("Give the title and summary in the language you wrote first.")]}
            )
        proposed = attrs.get("proposed_organisation")
        try:
            check_one_organisation(attrs.get("lead_organisation"), proposed and proposed.get("name"))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"lead_organisation": error.messages}) from error
        try:
            validators.check_distinct_requirements(
                [item["requirement"] for item in attrs.get("alignments", [])]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"requirements": error.messages}) from error
        return attrs

    @staticmethod
    def texts(attrs):
        """{content key: text} of the title and summary in every language (`title`, `title_zh`,
        `title_fr`, …), from the English and Chinese fields and `translations`."""
        translations = attrs.get("translations", {})
        texts = {key: "" for key in TEXT_KEYS}
        texts.update(title=attrs.get("title", ""), summary=attrs.get("summary", ""))
        for code, given in translations.items():
            for field in TRANSLATED_FIELDS:
                texts[text_key(field, code)] = given.get(field, "")
        for field in TRANSLATED_FIELDS:
            chinese, by_name = texts[text_key(field, "zh-hans")], attrs.get(f"{field}_zh", "")
            if chinese and by_name and chinese != by_name:
                raise serializers.ValidationError(
                    {
                        "translations": [
                            _("The Chinese %(field)s differs from %(field)s_zh: give it once.")
                            % {"field": field}
                        ]
                    }
                )
            texts[text_key(field, "zh-hans")] = chinese or by_name
        return texts

    def content(self):
        """The validated data in the shape `workflow.save_content` takes."""
        data = self.validated_data
        proposed = data.get("proposed_organisation")
        return {
            **self.texts(data),
            "original_language": data.get("original_language") or "en",
            "lead_organisation": data.get("lead_organisation"),
            "proposed_organisation": {"country": "", "website": "", **proposed} if proposed else None,
            "partners": data.get("partners", []),
            "sectors": data["sectors"],
            "technologies": data.get("technologies", []),
            "beneficiary_groups": data.get("beneficiary_groups", []),
            "countries": data.get("countries", []),
            "start_year": data.get("start_year"),
            "website": data.get("website", ""),
            "children_focus": data.get("children_focus", False),
            "key_figures": data.get("key_figures", []),
            "alignments": data.get("alignments", []),
            "sources": data.get("submitted_sources", []),
            # A PUT replaces the whole submission: no tool_profile, no profile.
            "tool_profile": None
            if not data.get("tool") or ToolProfileInputSerializer.is_empty(data["tool"])
            else data["tool"],
        }
