from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import FilterSet

from .models import Community, ContactMessage, ExperienceReport, Membership, RestrictedPart


class ApplicationForm(forms.ModelForm):
    """What an applicant tells the editors who vet them."""

    class Meta:
        model = Membership
        fields = ["organisation", "role", "country", "reason", "listed_in_directory"]


class DecisionForm(forms.Form):
    """An editor's decision on an application (approve, refuse) or a membership (revoke)."""

    DECISIONS = {
        Membership.Status.APPLIED: [("approve", _("Approve")), ("refuse", _("Refuse"))],
        Membership.Status.APPROVED: [("revoke", _("Revoke the membership"))],
    }

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the decision. Say why when you refuse or revoke."),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = self.DECISIONS.get(membership.status, [])

    def is_stale(self):
        """Whether the decision posted is one an editor could take, but no longer on this
        membership: another editor decided since the page was shown."""
        offered = {value for value, label in self.fields["decision"].choices}
        known = {value for choices in self.DECISIONS.values() for value, label in choices}
        decision = self.data.get("decision")
        return decision in known and decision not in offered

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("refuse", "revoke") and not data.get("note", "").strip():
            self.add_error("note", _("Say why, so that the applicant knows."))
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["body"]
        labels = {"body": _("Your message")}
        help_texts = {"body": _("Sent by mail without your address; the member answers through the site.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "maxlength": 5000})}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) > 5000:
            raise forms.ValidationError(_("Keep the message under 5,000 characters."))
        return body


class MemberFilterSet(FilterSet):
    """The member directory's filter: by the country members work in."""

    class Meta:
        model = Membership
        fields = ["country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries of listed members: an empty choice is no use to anyone.
        present = set(self.queryset.values_list("country", flat=True))
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in present
        ]


class MembershipQueueFilterSet(FilterSet):
    """The editors' queue: applications waiting by default; any status on request."""

    class Meta:
        model = Membership
        fields = ["status", "community"]

    def __init__(self, data=None, *args, **kwargs):
        if not (data or {}).get("status"):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["status"] = Membership.Status.APPLIED
        super().__init__(data, *args, **kwargs)


class RestrictedPartForm(forms.ModelForm):
    """An editor's members-only part of a record."""

    class Meta:
        model = RestrictedPart
        fields = ["community", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


class CaseRestrictionForm(forms.Form):
    """An editor's step for a whole case: restrict it to a community's members, or publish it
    to everyone again."""

    action = forms.ChoiceField(
        label=_("Step"),
        widget=forms.RadioSelect,
        choices=[
            ("restrict", _("Restrict the whole case to the members of a community")),
            ("publish", _("Publish it to everyone")),
        ],
    )
    community = forms.ModelChoiceField(Community.objects.all(), label=_("Community"), required=False)
    note = forms.CharField(
        label=_("Note for the case's history"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "restrict" and not data.get("community"):
            self.add_error("community", _("Choose the community whose members may read the case."))
        return data


class ExperienceReportForm(forms.ModelForm):
    """A member's report of using a tool or case."""

    class Meta:
        model = ExperienceReport
        fields = ["where_used", "used_for", "what_worked", "what_did_not", "shared_with_all_members"]
        widgets = {
            "used_for": forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
            "what_worked": forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
            "what_did_not": forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
        }

    def clean(self):
        data = super().clean()
        for name in ("used_for", "what_worked", "what_did_not"):
            if len(data.get(name) or "") > 5000:
                self.add_error(name, _("Keep it under 5,000 characters."))
        return data


class ModerationForm(forms.Form):
    """An editor's decision on an experience report."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve: members may read it")), ("refuse", _("Refuse"))],
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the decision. Say why when you refuse."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("note", "").strip():
            self.add_error("note", _("Say why, so that the author knows."))
        return data
