"""What partner submissions add to the catalogue: partner profiles, the status history of
each initiative, and what a partner proposes that only becomes public record on publication
(a new organisation, sources given as a title and a link or reference)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..languages import interface_languages, text_key
from .initiatives import Initiative
from .vocabularies import Organisation, Source


class PartnerProfile(models.Model):
    """A partner account's organisation: an existing one, or the name of one they propose.

    Colleagues share each other's drafts only once an editor has confirmed that the partner
    belongs to the organisation; anyone can *claim* an organisation when signing up.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_profile"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_profiles",
        verbose_name=_("organisation"),
        help_text=_("The organisation you work for, if it is already in the catalogue."),
    )
    proposed_organisation_name = models.CharField(
        _("proposed organisation"),
        max_length=200,
        blank=True,
        help_text=_("If your organisation is not in the catalogue yet, its name."),
    )
    organisation_confirmed = models.BooleanField(
        _("membership confirmed by an editor"),
        default=False,
        help_text=_("Confirmed members of an organisation can see and edit each other's drafts."),
    )

    class SubmissionMail(models.TextChoices):
        EACH = "each", _("Each time")
        DIGEST = "digest", _("A daily digest")
        NONE = "none", _("No mail")

    submission_mail = models.CharField(
        _("mail about submissions"),
        max_length=10,
        choices=SubmissionMail,
        default=SubmissionMail.EACH,
        help_text=_(
            "Receipts for what you submit and editors' decisions; for editors, also each new or "
            "resubmitted case."
        ),
    )
    language = models.CharField(
        _("language of mail"),
        max_length=10,
        choices=interface_languages,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the mail the site sends you."),
    )
    digest_sent_at = models.DateTimeField(
        _("last digest sent"),
        null=True,
        blank=True,
        help_text=_("The daily digest covers what happened since."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self):
        return self.user.email or self.user.get_username()

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def organisation_label(self):
        if self.organisation:
            return self.organisation.name
        return self.proposed_organisation_name


class StatusChange(models.Model):
    """One step in an initiative's review history: who moved it from which status to which,
    when, with what note, and a snapshot of its content at that moment (so a reviewer can see
    what changed since the last review)."""

    # PROTECT: the audit trail outlives a careless delete; an initiative is archived instead.
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    from_status = models.CharField(_("from"), max_length=20, choices=Initiative.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Initiative.Status)
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("content at the time"), default=dict, blank=True, editable=False)

    REVIEW_OUTCOMES = [
        Initiative.Status.PUBLISHED,
        Initiative.Status.MEMBERS_ONLY,
        Initiative.Status.CHANGES_REQUESTED,
        Initiative.Status.REJECTED,
        Initiative.Status.DUPLICATE,
    ]

    class Meta:
        ordering = ["created_at", "id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.initiative}: {self.from_status or '–'} → {self.to_status}"

    def get_absolute_url(self):
        return reverse("review:detail", kwargs={"pk": self.initiative_id})

    @property
    def is_review(self):
        """True when an editor decided on the submission (rather than the partner acting)."""
        return self.from_status == Initiative.Status.SUBMITTED and self.to_status in self.REVIEW_OUTCOMES


class ProposedOrganisation(models.Model):
    """A lead organisation a partner proposes with a submission. It becomes an Organisation
    (public) only when an editor publishes the initiative."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="proposed_organisation"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Organisation.Kind, default=Organisation.Kind.OTHER
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    approved_as = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved as"),
        help_text=_("The organisation created (or matched) when the initiative was published."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("proposed organisation")
        verbose_name_plural = _("proposed organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("review:detail", kwargs={"pk": self.initiative_id})


class SubmittedSource(models.Model):
    """A source a partner cites: a title with a link, a document reference, or both. On
    publication it becomes a Source and a Citation."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="submitted_sources")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), blank=True, max_length=500)
    reference = models.CharField(
        _("document reference"),
        max_length=120,
        blank=True,
        help_text=_("When there is no link: the document and page, e.g. “Annual report 2023, p. 12”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published as"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("submitted source")
        verbose_name_plural = _("submitted sources")
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(reference=""),
                name="submitted_source_has_url_or_reference",
                violation_error_message=_("Give the source's URL or a document reference."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("submissions:detail", kwargs={"pk": self.initiative_id})


class SubmissionField(models.TextChoices):
    """The parts of a submission an editor may correct, or a comment may be about."""

    TITLE = "title", _("Title")
    TITLE_ZH = "title_zh", _("Chinese title")
    SUMMARY = "summary", _("Summary")
    SUMMARY_ZH = "summary_zh", _("Chinese summary")
    ORGANISATION = "lead_organisation", _("Lead organisation")
    REQUIREMENTS = "requirements", _("UNICEF requirements addressed")
    SECTORS = "sectors", _("Sectors")
    COUNTRIES = "countries", _("Countries")
    KEY_FIGURES = "key_figures", _("Key figures")
    SOURCES = "sources", _("Sources")
    WEBSITE = "website", _("Website")


def other_language_texts():
    """[(key, label, field, language code, language name)] of the title and summary in each
    interface language but English and Chinese (their own members of SubmissionField), keys as
    `text_key` names them: ("title_fr", "Title (Français)", "title", "fr", "Français")."""
    return [
        (text_key(field, code), format_lazy("{} ({})", label, name), field, code, name)
        for code, name in settings.LANGUAGES
        if code not in ("en", "zh-hans")
        for field, label in (("title", _("Title")), ("summary", _("Summary")))
    ]


def submission_fields():
    """SubmissionField's choices with the title and summary in every other language after the
    Chinese ones: a callable, so that a language added to settings.LANGUAGES needs no
    migration."""
    choices = SubmissionField.choices
    after_chinese = [value for value, _label in choices].index(SubmissionField.SUMMARY_ZH) + 1
    others = [(key, label) for key, label, *_rest in other_language_texts()]
    return [*choices[:after_chinese], *others, *choices[after_chinese:]]


class SubmissionEdit(models.Model):
    """An editor's correction of a submission's content on the review page: who changed
    which field from what to what, and when; shown to the partner on their submission page."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="editor_edits")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("editor"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    field = models.CharField(_("field"), max_length=20, choices=submission_fields)
    detail = models.CharField(
        _("detail"),
        max_length=300,
        blank=True,
        help_text=_("Which one, for a field with several entries (a requirement's title)."),
    )
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("editor's edit")
        verbose_name_plural = _("editors' edits")

    def __str__(self):
        return f"{self.initiative}: {self.get_field_display()}"

    def get_absolute_url(self):
        return reverse("submissions:detail", kwargs={"pk": self.initiative_id})

    @property
    def sentence(self):
        """What the partner reads: "An editor changed the title from “…” to “…”."."""
        field = SubmissionField
        phrases = {
            field.TITLE: _("An editor changed the title from “%(before)s” to “%(after)s”."),
            field.TITLE_ZH: _("An editor changed the Chinese title from “%(before)s” to “%(after)s”."),
            field.SUMMARY: _("An editor changed the summary from “%(before)s” to “%(after)s”."),
            field.SUMMARY_ZH: _("An editor changed the Chinese summary from “%(before)s” to “%(after)s”."),
            field.ORGANISATION: _(
                "An editor changed the proposed organisation's name from “%(before)s” to “%(after)s”."
            ),
            field.REQUIREMENTS: _(
                "An editor changed the rationale for “%(detail)s” from “%(before)s” to “%(after)s”."
            ),
        }
        in_language = {key: (text, name) for key, _label, text, _code, name in other_language_texts()}
        text, language = in_language.get(self.field, ("", ""))
        if text:
            phrases[self.field] = (
                _("An editor changed the title in %(language)s from “%(before)s” to “%(after)s”.")
                if text == "title"
                else _("An editor changed the summary in %(language)s from “%(before)s” to “%(after)s”.")
            )
        phrase = phrases.get(self.field, _("An editor changed %(field)s from “%(before)s” to “%(after)s”."))
        return phrase % {
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "field": self.get_field_display(),
            "language": language,
        }


class SubmissionComment(models.Model):
    """One message in the conversation about a submission between its partner (and
    colleagues who can see it) and the editors; optionally about one field. Plain text."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    by_editor = models.BooleanField(
        _("written by an editor"),
        default=False,
        help_text=_("Whether the author wrote it from the review page, as an editor."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    field = models.CharField(
        _("about"),
        max_length=20,
        choices=submission_fields,
        blank=True,
        help_text=_("The part of the submission the comment is about, if one."),
    )
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.initiative}: {self.body[:40]}"

    def get_absolute_url(self):
        return reverse("submissions:detail", kwargs={"pk": self.initiative_id})

    @property
    def author_name(self):
        """Who wrote it, as the conversation shows them: their name, else their address."""
        if self.author is None:
            return "—"
        return self.author.get_full_name() or self.author.email or "—"
