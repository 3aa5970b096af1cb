"""Tool profiles: an initiative described as a tool that a practitioner can adopt (issue 14).

A profile is a one-to-one companion of its initiative, keyed by the initiative's own id, so
that its tasks' rows carry the initiative's id (the facet counts join them as they join the
initiative's own relations) and most initiatives, which are not tools, carry no empty columns.
Only the public statement of a tool is here; what is for vetted members only lives elsewhere.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casebook.reversing import reverse

from .initiatives import Initiative
from .vocabularies import Source, TaxonomyTerm


class Task(TaxonomyTerm):
    """What a tool helps a practitioner do, such as a stage of an investigation (detection,
    triage, victim identification…)."""

    initiative_field = "tool_profile__tasks"

    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Order in lists: the order of an investigation's stages.")
    )

    class Meta(TaxonomyTerm.Meta):
        ordering = ["position", "name"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def get_absolute_url(self):
        return reverse("catalogue:task-detail", kwargs={"slug": self.slug})


class ToolProfile(models.Model):
    """What a practitioner needs to know to adopt an initiative as a tool: the tasks it
    supports, what it needs, how it is deployed and licensed, who may obtain it and how, and
    its responsible-use safeguards. Leave a field empty when no source says."""

    class Deployment(models.TextChoices):
        ON_PREMISES = "on-premises", _("On premises")
        CLOUD = "cloud", _("Cloud")
        HOSTED = "hosted-service", _("Hosted service")

    # A list card's badge for each deployment: a whole phrase each, so that every language can
    # word it (a "Tool: Cloud" pattern cannot agree in gender or case with its label).
    DEPLOYMENT_BADGES = {
        Deployment.ON_PREMISES: _("Tool run on premises"),
        Deployment.CLOUD: _("Tool run in the cloud"),
        Deployment.HOSTED: _("Tool offered as a hosted service"),
    }

    class Licence(models.TextChoices):
        OPEN_SOURCE = "open-source", _("Open source")
        FREE = "free-of-charge", _("Free of charge")
        FREE_TO_ELIGIBLE = "free-to-eligible-agencies", _("Free to eligible agencies")
        COMMERCIAL = "commercial", _("Commercial")
        OTHER = "other", _("Other")

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, primary_key=True, related_name="tool_profile"
    )
    tasks = models.ManyToManyField(
        Task,
        related_name="tool_profiles",
        blank=True,
        verbose_name=_("tasks supported"),
        help_text=_("What the tool helps practitioners do."),
    )
    inputs = models.TextField(
        _("inputs and data needed"),
        blank=True,
        help_text=_("What the tool needs to work: the data, files or systems a user must provide."),
    )
    deployment = models.CharField(
        _("deployment"),
        max_length=30,
        choices=Deployment,
        blank=True,
        help_text=_("How it is run: on the agency's own premises, in a cloud, or as a hosted service."),
    )
    licence = models.CharField(
        _("cost and licence"),
        max_length=30,
        choices=Licence,
        blank=True,
        help_text=_("On what terms it is obtained."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=300,
        blank=True,
        help_text=_("The languages it works in, e.g. English, Arabic."),
    )
    available_to = models.TextField(
        _("who may obtain it"),
        blank=True,
        help_text=_("E.g. law enforcement agencies of any UN Member State."),
    )
    access = models.TextField(
        _("how to request access"),
        blank=True,
        help_text=_("The public statement of how to ask for it. Never a private contact."),
    )
    location = models.CharField(
        _("location"),
        max_length=120,
        blank=True,
        help_text=_("Where the case's source describes the tool: page, section or paragraph."),
    )

    history = HistoricalRecords(m2m_fields=[tasks])

    class Meta:
        ordering = ["initiative__title"]
        verbose_name = _("tool profile")
        verbose_name_plural = _("tool profiles")

    def __str__(self):
        return str(self.initiative)

    def get_absolute_url(self):
        return self.initiative.get_absolute_url()

    @property
    def badge(self):
        """What a list card says of the tool: how it is deployed, or that it is a tool."""
        return self.DEPLOYMENT_BADGES.get(self.deployment, _("Tool"))


class Safeguard(models.Model):
    """A responsible-use safeguard of a tool (human review, data protection, bias testing…)
    with its evidence: the source's words or what the partner states, and where."""

    class Kind(models.TextChoices):
        HUMAN_REVIEW = "human-review", _("Human review")
        DATA_PROTECTION = "data-protection", _("Data protection")
        BIAS_TESTING = "bias-testing", _("Bias testing")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(ToolProfile, on_delete=models.CASCADE, related_name="safeguards")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    description = models.CharField(
        _("safeguard"),
        max_length=300,
        help_text=_("One line: what is done, e.g. “every match is checked by an officer”."),
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("The source's words, or how the partner knows it is done.")
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguards",
        verbose_name=_("source"),
    )
    location = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("Page or section of the source.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("safeguard")
        verbose_name_plural = _("safeguards")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"

    def get_absolute_url(self):
        return self.profile.get_absolute_url()
