"""The partner's submission form with its three formsets (key figures, requirements addressed,
sources) and its optional "As a tool" part (a tool profile and its safeguards), and the
editor's review decision."""

import re
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from catalogue import languages
from catalogue.forms import (
    BoundedModelMultipleChoiceField,
    HoneypotField,
    OrganisationChoiceField,
    OrganisationNamesField,
    check_organisation,
    country_choices,
    label_in_current_language,
)
from catalogue.languages import TRANSLATED_FIELDS
from catalogue.models import (
    Initiative,
    KeyFigure,
    Organisation,
    RequirementAlignment,
    Safeguard,
    SubmissionComment,
    SubmissionField,
    SubmittedSource,
    ToolProfile,
)

from . import validators
from .transitions import (
    DECISIONS,
    MANY_FIELDS,
    RATIONALE_PREFIX,
    SCALAR_FIELDS,
    TEXT_KEYS,
    add_comment,
    check_decision,
    claim,
    close_as_duplicate,
    content_attribute,
    content_version,
    edit_submission,
    editable_content,
    editors,
    text_key,
)


def web_address(field):
    """One check and one message for a web address. A URL field has Django's own URL check,
    and `invalid` errors take the field's message: with ours added, a bad address was refused
    twice in the same words ("Enter a valid URL." shown twice). Ours replaces it."""
    field.validators = [v for v in field.validators if not isinstance(v, URLValidator)]
    field.validators.append(validators.validate_web_url)
    field.error_messages["invalid"] = validators.validate_web_url.message
    field.assume_scheme = "https"
    return field


class LanguageRadioSelect(forms.RadioSelect):
    """Radio buttons for languages, each named in its own language with `lang` set."""

    option_template_name = "workflow/forms/language_option.html"

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["lang"] = languages.tag(value)
        return option


def _title_in(code, name):
    """The title field for `code`, labelled "Title (Français)"; typed in that language."""
    return forms.CharField(
        label=format_lazy("{} ({})", capfirst(Initiative._meta.get_field("title").verbose_name), name),
        max_length=Initiative._meta.get_field("title").max_length,
        required=False,
        widget=forms.TextInput(attrs={"lang": languages.tag(code), "dir": "auto"}),
    )


def _summary_in(code, name):
    return forms.CharField(
        label=format_lazy("{} ({})", capfirst(Initiative._meta.get_field("summary").verbose_name), name),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "maxlength": validators.SUMMARY_MAX_LENGTH,
                "lang": languages.tag(code),
                "dir": "auto",
            }
        ),
    )


class InitiativeSubmissionForm(forms.ModelForm):
    """The initiative itself; its key figures, requirements and sources are formsets."""

    lead_organisation = OrganisationChoiceField(
        label=_("Lead organisation"),
        required=False,
        help_text=_("Start typing to find it in the catalogue. If it is not there, propose it below."),
    )
    new_organisation_name = forms.CharField(
        label=_("New organisation: name"),
        max_length=200,
        required=False,
        help_text=_("Only if the lead organisation is not in the catalogue yet."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("New organisation: kind"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.OTHER,
        required=False,
    )
    new_organisation_country = forms.ChoiceField(
        label=_("New organisation: country"), choices=country_choices, required=False
    )
    new_organisation_website = forms.URLField(
        label=_("New organisation: website"), required=False, max_length=300, assume_scheme="https"
    )
    partners = OrganisationNamesField(
        label=_("Partner organisations"),
        required=False,
        help_text=_("Other organisations involved, one name a line, as the catalogue names them."),
    )
    # Identifies this copy of the form, so that posting it twice creates one draft.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    nickname = HoneypotField()

    # The English title and summary are English's own column (catalogue/translation.py), named
    # here as the form has always named them; a ModelForm field would read and write the column
    # of the interface's language instead. The other languages' are added by __init__.
    title = Initiative._meta.get_field("title_en").formfield(
        empty_value="",
        required=True,
        label=capfirst(Initiative._meta.get_field("title").verbose_name),
        help_text=_("The initiative's name in English, as its organisers use it."),
    )
    summary = Initiative._meta.get_field("summary_en").formfield(
        empty_value="",
        required=True,
        label=capfirst(Initiative._meta.get_field("summary").verbose_name),
        help_text=Initiative._meta.get_field("summary").help_text,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": validators.SUMMARY_MAX_LENGTH}),
    )
    original_language = forms.ChoiceField(
        label=_("Which language did you write it in first?"),
        choices=languages.interface_languages,
        initial="en",
        required=False,
        widget=LanguageRadioSelect,
        help_text=_("That text is the original; the others are your translations of it."),
    )
    # (code, name) of each language other than English, as settings.LANGUAGES names them.
    OTHER_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]

    class Meta:
        model = Initiative
        fields = [
            "lead_organisation",
            "partners",
            "sectors",
            "technologies",
            "beneficiary_groups",
            "countries",
            "start_year",
            "website",
            "children_focus",
        ]
        field_classes = {
            name: BoundedModelMultipleChoiceField
            for name in ["sectors", "technologies", "beneficiary_groups"]
        }
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "technologies": forms.CheckboxSelectMultiple,
            "beneficiary_groups": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "sectors": _("At least one."),
            "countries": _("Where it runs. Hold Ctrl (⌘ on a Mac) to choose several."),
            "start_year": _("The year it started, e.g. 2021."),
            "website": _("The initiative's own web page, starting with https://"),
        }

    # The order the page shows the fields in, so the error summary lists them in that order.
    field_order = [
        "title",
        "summary",
        "start_year",
        "website",
        "children_focus",
        *(key for key in TEXT_KEYS if key not in ("title", "summary")),
        "original_language",
        "lead_organisation",
        "new_organisation_name",
        "new_organisation_kind",
        "new_organisation_country",
        "new_organisation_website",
        "partners",
        "sectors",
        "technologies",
        "beneficiary_groups",
        "countries",
    ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for code, name in self.OTHER_LANGUAGES:
            self.fields[text_key("title", code)] = _title_in(code, name)
            self.fields[text_key("summary", code)] = _summary_in(code, name)
        self.order_fields(self.field_order)
        if self.instance.pk:
            for key in TEXT_KEYS:
                self.initial.setdefault(key, getattr(self.instance, content_attribute(key)) or "")
            self.initial.setdefault("original_language", languages.partners_original(self.instance) or "en")
        for name in ["sectors", "technologies", "beneficiary_groups"]:
            self.fields[name].label_from_instance = label_in_current_language
        for key in TEXT_KEYS:
            if key.startswith("summary"):
                self.fields[key].validators.append(validators.validate_summary_length)
        self.fields["start_year"].validators.append(validators.validate_start_year)
        web_address(self.fields["website"])
        web_address(self.fields["new_organisation_website"])
        if not self.is_bound and not self.instance.pk and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()
        proposed = getattr(self.instance, "proposed_organisation", None) if self.instance.pk else None
        if proposed:
            self.initial.update(
                new_organisation_name=proposed.name,
                new_organisation_kind=proposed.kind,
                new_organisation_country=proposed.country.code or "",
                new_organisation_website=proposed.website,
            )

    def clean(self):
        cleaned = super().clean()
        check_organisation(self, "lead_organisation", "new_organisation_name")
        cleaned["original_language"] = cleaned.get("original_language") or "en"
        original = cleaned["original_language"]
        if original != "en" and not all(
            cleaned.get(text_key(field, original)) for field in ("title", "summary")
        ):
            self.add_error(
                "original_language",
                _("Give the title and summary in %(language)s too, or choose the language you wrote first.")
                % {"language": dict(settings.LANGUAGES)[original]},
            )
        return cleaned

    @property
    def other_languages(self):
        """[(title field, summary field)] of each language other than English."""
        return [
            (self[text_key("title", code)], self[text_key("summary", code)])
            for code, _name in self.OTHER_LANGUAGES
        ]

    @property
    def other_languages_open(self):
        """Whether the page opens "In other languages": something in them is given or wrong,
        or another language is marked as the original."""
        fields = [self[key] for key in TEXT_KEYS if key not in TRANSLATED_FIELDS]
        return (
            any(field.value() or field.errors for field in fields)
            or bool(self["original_language"].errors)
            or (self["original_language"].value() or "en") != "en"
        )

    def content(self):
        data = self.cleaned_data
        content = {name: data[name] for name in SCALAR_FIELDS + MANY_FIELDS}
        content["original_language"] = data["original_language"]
        content["proposed_organisation"] = (
            {
                "name": data["new_organisation_name"],
                "kind": data["new_organisation_kind"] or Organisation.Kind.OTHER,
                "country": data["new_organisation_country"],
                "website": data["new_organisation_website"],
            }
            if data["new_organisation_name"]
            else None
        )
        return content


class KeyFigureForm(forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = ["text", "text_zh"]
        help_texts = {"text": _("A number that shows scale or effect, e.g. “2 million children reached”.")}


class RequirementAlignmentForm(forms.ModelForm):
    class Meta:
        model = RequirementAlignment
        fields = ["requirement", "rationale"]
        labels = {"requirement": _("UNICEF requirement")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].label_from_instance = lambda requirement: (
            f"{requirement.number}. {requirement.display_name}"
        )


class SubmittedSourceForm(forms.ModelForm):
    class Meta:
        model = SubmittedSource
        fields = ["title", "url", "reference"]
        help_texts = {"url": _("A link to the document or page, starting with https://")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        web_address(self.fields["url"])


class ToolProfileForm(forms.ModelForm):
    """The optional "As a tool" part: left empty, the initiative is no tool (and a profile
    saved before is removed)."""

    prefix = "tool"

    class Meta:
        model = ToolProfile
        fields = ["tasks", "inputs", "deployment", "licence", "languages", "available_to", "access"]
        field_classes = {"tasks": BoundedModelMultipleChoiceField}
        widgets = {
            "tasks": forms.CheckboxSelectMultiple,
            "inputs": forms.Textarea(attrs={"rows": 2}),
            "available_to": forms.Textarea(attrs={"rows": 2}),
            "access": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "access": _("The public statement only: how an agency asks for it. No private contact details."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].label_from_instance = label_in_current_language
        self.fields["deployment"].choices = [("", _("Not stated")), *ToolProfile.Deployment.choices]
        self.fields["licence"].choices = [("", _("Not stated")), *ToolProfile.Licence.choices]

    def is_filled(self):
        return any(self.cleaned_data.get(name) for name in self._meta.fields)

    def profile(self):
        """The profile's fields, or None when nothing was filled in."""
        return {name: self.cleaned_data[name] for name in self._meta.fields} if self.is_filled() else None


class SafeguardForm(forms.ModelForm):
    class Meta:
        model = Safeguard
        fields = ["kind", "description", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"evidence": _("How you know it is done: a document, an audit, a policy, and where.")}


class BaseSubmissionFormSet(forms.BaseFormSet):
    def kept_forms(self):
        """The filled-in forms the partner did not tick for deletion."""
        # An untouched extra row is skipped by validation and has empty cleaned_data.
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]

    def rows(self):
        return [{name: form.cleaned_data[name] for name in form._meta.fields} for form in self.kept_forms()]


class BaseRequirementAlignmentFormSet(BaseSubmissionFormSet):
    def clean(self):
        if not any(self.errors):
            validators.check_distinct_requirements(
                [form.cleaned_data["requirement"] for form in self.kept_forms()]
            )


def _formset(form, extra, max_num, base=BaseSubmissionFormSet):
    return forms.formset_factory(
        form, formset=base, extra=extra, max_num=max_num, validate_max=True, can_delete=True
    )


KeyFigureFormSet = _formset(KeyFigureForm, 1, validators.MAX_KEY_FIGURES)
RequirementAlignmentFormSet = _formset(
    RequirementAlignmentForm, 1, validators.MAX_REQUIREMENTS, BaseRequirementAlignmentFormSet
)
SubmittedSourceFormSet = _formset(SubmittedSourceForm, 1, validators.MAX_SOURCES)
SafeguardFormSet = _formset(SafeguardForm, 1, validators.MAX_SAFEGUARDS)


class SubmissionForms:
    """The submission form and its formsets, bound, validated and read as one.

    Two buttons show the form again, as typed, without saving it (so they work without
    JavaScript): "Add another row" (`add_row`, naming a formset) adds an empty row to that
    formset, a suggested organisation name (`use_organisation`) becomes the lead
    organisation, and "Describe it as a tool" (`show_tool`) shows the optional tool fields.
    Such a form is `redisplayed`: it is neither validated nor saved.
    """

    ADD_ROW = "add_row"
    USE_ORGANISATION = "use_organisation"
    SHOW_TOOL = "show_tool"

    def __init__(self, data=None, *, user, initiative=None, key=None):
        self.redisplayed = False
        # asked for the tool fields, or for another safeguard row (which is among them)
        self.tool_asked = data is not None and bool(
            data.get(self.SHOW_TOOL) or data.get(self.ADD_ROW) == "safeguards"
        )
        new_row = None
        if data is not None and (
            data.get(self.ADD_ROW) or data.get(self.USE_ORGANISATION) or self.tool_asked
        ):
            data, new_row = self._redisplay(data)
        self.form = InitiativeSubmissionForm(
            data, user=user, instance=initiative or Initiative(), initial={"submission_key": key}
        )

        def rows(relation, *fields):
            # Only an unbound form starts from the saved rows. A bound one reads its rows from
            # what was sent: compared with the saved rows, a row sent unchanged by a form whose
            # management data counts it as a new one (the first autosave's form, posted again
            # to the draft it created) would be skipped as untouched, and so deleted.
            return (
                list(getattr(initiative, relation).values(*fields)) if initiative and data is None else None
            )

        self.key_figures = KeyFigureFormSet(
            data, prefix="key_figures", initial=rows("key_figures", "text", "text_zh")
        )
        self.alignments = RequirementAlignmentFormSet(
            data, prefix="alignments", initial=rows("alignments", "requirement", "rationale")
        )
        self.sources = SubmittedSourceFormSet(
            data, prefix="sources", initial=rows("submitted_sources", "title", "url", "reference")
        )
        profile = getattr(initiative, "tool", None) if initiative else None
        self.tool = ToolProfileForm(data, instance=profile or ToolProfile())
        self.safeguards = SafeguardFormSet(
            data,
            prefix="safeguards",
            initial=list(profile.safeguards.values("kind", "description", "evidence"))
            if profile and data is None
            else None,
        )

        for formset in self.formsets:
            for number, row in enumerate(formset.forms):
                row.saved = number < formset.initial_form_count()  # offers a Delete box
        if self.redisplayed:
            self._without_errors(new_row)

    @property
    def formsets(self):
        return [self.key_figures, self.alignments, self.sources, self.safeguards]

    # Each formset's prefix (also its attribute) and how many rows it takes.
    MAX_ROWS = {
        "key_figures": validators.MAX_KEY_FIGURES,
        "alignments": validators.MAX_REQUIREMENTS,
        "sources": validators.MAX_SOURCES,
        "safeguards": validators.MAX_SAFEGUARDS,
    }

    def _redisplay(self, data):
        """The data to show again, with a row added or a suggested name chosen, and where the
        added row is: (prefix, index) or None."""
        data = data.copy()
        self.redisplayed = True
        data.pop(self.SHOW_TOOL, None)
        if name := data.pop(self.USE_ORGANISATION, [""])[0]:
            data["lead_organisation"] = name
            data["new_organisation_name"] = ""
        prefix = data.pop(self.ADD_ROW, [""])[0]
        if prefix not in self.MAX_ROWS:
            return data, None
        try:
            total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
        except ValueError:
            return data, None
        if not 0 <= total < self.MAX_ROWS[prefix]:
            return data, None
        data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        return data, (prefix, total)

    def _without_errors(self, new_row):
        """Show the forms as typed without validating them, the new row taking the focus."""
        for form in [self.form, self.tool, *(row for formset in self.formsets for row in formset.forms)]:
            form._errors = forms.utils.ErrorDict()
        for formset in self.formsets:
            formset._errors = [form._errors for form in formset.forms]
            formset._non_form_errors = formset.error_class()
        if new_row is not None:
            prefix, index = new_row
            row = getattr(self, prefix).forms[index]
            next(iter(row.fields.values())).widget.attrs["autofocus"] = True

    @property
    def tool_shown(self):
        """Whether the page shows the tool fields: asked for, or holding something (saved,
        typed or wrong); otherwise one button stands for them (issue 13's short form)."""
        if self.tool_asked or self.tool.instance.pk is not None:
            return True
        if not self.tool.is_bound:
            return False
        typed = any(self.tool.data.get(self.tool.add_prefix(name)) for name in self.tool.fields)
        rows = [row for row in self.safeguards.forms if row.has_changed()]
        return bool(typed or rows or self.tool.errors or self.safeguards.total_error_count())

    def organisation_suggestions(self):
        """Catalogue names near a lead organisation's name that matches none, to choose from."""
        return self.form.fields["lead_organisation"].suggestions if self.form.is_bound else []

    def is_valid(self):
        valid = all(
            [self.form.is_valid(), self.tool.is_valid()] + [formset.is_valid() for formset in self.formsets]
        )
        if valid and self.safeguards.rows() and not self.tool.is_filled():
            # A safeguard belongs to a tool: say what the tool is first.
            self.tool.add_error(
                None, _("Safeguards describe a tool: fill in at least one field of “As a tool”.")
            )
            return False
        return valid

    @property
    def key(self):
        return self.form.cleaned_data.get("submission_key")

    def content(self):
        content = self.form.content()
        content["key_figures"] = self.key_figures.rows()
        content["alignments"] = self.alignments.rows()
        content["sources"] = self.sources.rows()
        profile = self.tool.profile()
        content["tool_profile"] = {**profile, "safeguards": self.safeguards.rows()} if profile else None
        return content

    def error_summary(self):
        """[(anchor, text)] for every error, in the order of the page: each field's errors
        link to the field (to the first box of a group of checkboxes); errors of the form as
        a whole have no anchor, those of a formset link to its fieldset."""
        summary = [(None, error) for error in self.form.non_field_errors()]
        summary += _field_errors(self.form, "")
        summary += [("section-tool", error) for error in self.tool.non_field_errors()]
        summary += _field_errors(self.tool, "")
        for formset, row_name in zip(self.formsets, self.ROW_NAMES, strict=True):
            summary += [(formset.prefix, error) for error in formset.non_form_errors()]
            for number, row in enumerate(formset.forms, start=1):
                summary += _field_errors(row, f"{row_name} {number}, ")
        return summary

    # How the page names each formset's rows ("Figure 2"), in the order of `formsets`.
    ROW_NAMES = [_("Figure"), _("Requirement"), _("Source"), _("Safeguard")]

    def errors_as_json(self):
        """The errors for a script (the autosave): [{"field": anchor or None, "message": text}]."""
        return [{"field": anchor, "message": str(text)} for anchor, text in self.error_summary()]

    def context(self):
        return {
            "error_summary": self.error_summary() if self.form.is_bound and not self.redisplayed else [],
            "organisation_suggestions": self.organisation_suggestions(),
            "form": self.form,
            "key_figures": self.key_figures,
            "alignments": self.alignments,
            "sources": self.sources,
            "tool": self.tool,
            "safeguards": self.safeguards,
            "tool_shown": self.tool_shown,
        }


def _field_errors(form, prefix):
    return [
        (field.id_for_label or f"{field.auto_id}_0", f"{prefix}{field.label}: {error}")
        for field in form
        for error in field.errors
    ]


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Publish")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the partner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_("Required when you request changes or reject: the partner reads it."),
    )

    def clean(self):
        cleaned = super().clean()
        try:
            check_decision(cleaned.get("decision"), cleaned.get("note"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def decide(self, initiative, actor):
        return DECISIONS[self.cleaned_data["decision"]](initiative, actor, self.cleaned_data["note"])


# A case's page or API address, e.g. https://…/initiatives/<slug>/ or /api/v1/initiatives/<slug>/.
CASE_ADDRESS = re.compile(r"/initiatives/(?P<slug>[^/?#]+)")


class DuplicateForm(forms.Form):
    """An editor's "this submission duplicates case X": X picked from the similar published
    cases the review page lists, or given by its slug or address."""

    prefix = "duplicate"  # its note must not share an id with the decision form's
    similar = forms.CharField(label=_("A similar published case"), required=False, widget=forms.RadioSelect)
    case = forms.CharField(
        label=_("Or the case's slug or address"),
        required=False,
        max_length=300,
        help_text=_("For example ai-for-safer-children, or the address of its page."),
    )
    note = forms.CharField(
        label=_("Note to the partner"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, similar=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["similar"].widget.choices = [(other.slug, other.title) for other in similar]

    def clean(self):
        cleaned = super().clean()
        given = (cleaned.get("case") or "").strip() or cleaned.get("similar") or ""
        if not given:
            self.add_error(
                "case", _("Pick a similar case, or give the slug or address of the case it repeats.")
            )
            return cleaned
        address = CASE_ADDRESS.search(given)
        slug = address["slug"] if address else given.strip("/")
        published = Initiative.objects.published()
        cleaned["original"] = published.filter(slug=slug).first() or published.formerly_at(slug)
        if cleaned["original"] is None:
            self.add_error(
                "case", _("No published case has the slug or address “%(case)s”.") % {"case": given}
            )
        return cleaned

    def close(self, initiative, actor):
        return close_as_duplicate(initiative, actor, self.cleaned_data["original"], self.cleaned_data["note"])


class ClaimForm(forms.Form):
    """Claim a submission, take it over from the editor holding it, or assign it to another
    editor. `holder` is who held it when the page was shown, so that a claim made meanwhile
    is not silently replaced."""

    holder = forms.ModelChoiceField(
        queryset=get_user_model().objects.all(), required=False, widget=forms.HiddenInput
    )
    editor = forms.ModelChoiceField(
        queryset=editors(), required=False, label=_("Assign to"), empty_label=_("me")
    )

    def claim(self, initiative, actor):
        data = self.cleaned_data
        return claim(initiative, actor, editor=data["editor"], replacing=data["holder"])


class SubmissionEditForm(forms.Form):
    """An editor's corrections to a submission waiting for review: its title and summary in
    each language, a proposed organisation's name, each requirement's rationale. `version` is
    the content's fingerprint when the page was shown, so that a change made meanwhile is not
    overwritten."""

    prefix = "edit"
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        content = editable_content(initiative)
        self.initial = {**content, "version": content_version(initiative)}
        title = Initiative._meta.get_field("title")
        self.fields["title"] = forms.CharField(label=_("Title"), max_length=title.max_length)
        self.fields["summary"] = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}))
        for code, name in InitiativeSubmissionForm.OTHER_LANGUAGES:
            self.fields[text_key("title", code)] = _title_in(code, name)
            self.fields[text_key("summary", code)] = _summary_in(code, name)
        if SubmissionField.ORGANISATION in content:
            self.fields[SubmissionField.ORGANISATION] = forms.CharField(
                label=_("Name of the proposed organisation"),
                max_length=200,
                help_text=_(
                    "It becomes a catalogue organisation, under this name, when the case is published."
                ),
            )
        for alignment in sorted(initiative.alignments.all(), key=lambda alignment: alignment.pk):
            self.fields[f"{RATIONALE_PREFIX}{alignment.pk}"] = forms.CharField(
                label=_("Rationale: %(requirement)s") % {"requirement": alignment.requirement},
                max_length=RequirementAlignment._meta.get_field("rationale").max_length,
            )
        self.fields["version"] = self.fields.pop("version")  # hidden, last

    def _languages(self):
        """[(title, summary, given)] of each language other than English: `given` when the
        submission has its title or summary, or the editor typed one in (or got it wrong)."""
        languages = []
        for code, _name in InitiativeSubmissionForm.OTHER_LANGUAGES:
            pair = (self[text_key("title", code)], self[text_key("summary", code)])
            languages.append((*pair, any(field.value() or field.errors for field in pair)))
        return languages

    @property
    def languages_given(self):
        """[(title field, summary field)] of the languages the submission has text in."""
        return [(title, summary) for title, summary, given in self._languages() if given]

    @property
    def languages_not_given(self):
        """[(title field, summary field)] of the others, shown folded."""
        return [(title, summary) for title, summary, given in self._languages() if not given]

    @property
    def other_fields(self):
        """The proposed organisation's name and the rationales: the fields after the texts."""
        return [field for field in self.visible_fields() if field.name not in TEXT_KEYS]

    def is_stale(self):
        """Whether the page this form came from showed other content than there is now."""
        return self.data.get(self.add_prefix("version")) != self.initial["version"]

    def save(self, initiative, editor):
        changes = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        return edit_submission(initiative, editor, changes, version=self.cleaned_data["version"])


class CommentForm(forms.ModelForm):
    """A comment in a submission's conversation, optionally about one of its fields."""

    prefix = "comment"

    class Meta:
        model = SubmissionComment
        fields = ["body", "field"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Your comment")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("The whole submission")), *SubmissionField.choices]
        self.fields["body"].error_messages["required"] = _("Write a comment first.")

    def add(self, initiative, author, *, by_editor):
        data = self.cleaned_data
        return add_comment(initiative, author, data["body"], field=data["field"], by_editor=by_editor)
