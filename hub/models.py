"""Communities of practitioners and the vetted memberships that admit people to them.

Whether someone is a member is decided in one place, `MembershipQuerySet.active()` (and
`is_member`, built on it): pages, the directory, contact and the members-only parts of records
(restricted parts and experience reports, below) all ask there.

What members only may read lives here, never in the catalogue's models: no public page, API
serializer, search document, export or feed of the catalogue can reach it, and changing it
does not move the catalogue's data version. Its foreign keys to Initiative have no reverse
accessor (`related_name="+"`) for the same reason."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from catalogue.models import Initiative


class CommunityQuerySet(models.QuerySet):
    def open_to(self, user):
        """The communities `user` may apply to now: those where they have neither an
        application waiting nor an active membership."""
        if not user.is_authenticated:
            return self.none()
        waiting = Membership.objects.of(user).filter(status=Membership.Status.APPLIED)
        holding = Membership.objects.of(user).active()
        return self.exclude(pk__in=waiting.values("community")).exclude(pk__in=holding.values("community"))


class Community(models.Model):
    """A group of practitioners who apply to join and whom editors vet, such as law
    enforcement officers working on online child sexual exploitation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(
        _("description"), help_text=_("What the community is for, as shown on its page.")
    )
    who_may_join = models.TextField(
        _("who may join"),
        blank=True,
        help_text=_("Who editors admit: shown to applicants above the application form."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the description comes from (a seed document and its paragraph)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hub:community-detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def active(self, at=None):
        """Memberships that admit their holder now: approved and not yet expired. The one
        rule of "is a member"; revoked, refused, pending and lapsed memberships are not."""
        return self.filter(status=Membership.Status.APPROVED, expires_at__gt=at or timezone.now())

    def of(self, user):
        """`user`'s memberships and applications (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def for_profile(self):
        return self.select_related("community").order_by("-applied_at")

    def for_queue(self):
        """What the editors' queue shows: the applicant, the community, who decided."""
        return self.select_related("user", "community", "decided_by").order_by("applied_at", "pk")

    def in_directory(self):
        """Active members who chose to be listed, by country and organisation."""
        return (
            self.active()
            .filter(listed_in_directory=True)
            .select_related("user", "community")
            .order_by("country", "organisation", "pk")
        )


def is_member(user, community=None):
    """Whether `user` holds an active membership (of `community`, or of any community)."""
    memberships = Membership.objects.of(user).active()
    if community is not None:
        memberships = memberships.filter(community=community)
    return memberships.exists()


class AlreadyApplied(Exception):
    """The person already has an application waiting or an active membership."""


class NotPending(Exception):
    """The decision no longer applies: someone else decided first, or the status is wrong."""


class Membership(models.Model):
    """A person's application to a community and, once an editor approves it, their
    membership until it expires or is revoked."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    # An application waiting or a membership granted: at most one per person and community.
    OPEN = [Status.APPLIED, Status.APPROVED]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("The agency or organisation you work for, e.g. a national police cybercrime unit."),
    )
    role = models.CharField(_("role"), max_length=200, help_text=_("Your position or job title there."))
    reason = models.TextField(
        _("reason"), help_text=_("Why you want to join, and how your work relates to the community.")
    )
    country = CountryField(_("country"), help_text=_("The country you work in."))
    listed_in_directory = models.BooleanField(
        _("list me in the member directory"),
        default=False,
        help_text=_(
            "Other members then see your organisation, role and country and can write to you "
            "through the site; your email address is never shown."
        ),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(
        _("decision note"), blank=True, help_text=_("Sent to the applicant with the decision.")
    )
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("When an approved membership ends.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(status__in=["applied", "approved"]),
                name="hub_one_open_membership_per_person_and_community",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.community} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("hub:membership-review", kwargs={"pk": self.pk})

    @property
    def has_lapsed(self):
        """Approved, but its time is up (what `active()` leaves out on that ground)."""
        return (
            self.status == self.Status.APPROVED
            and self.expires_at is not None
            and not Membership.objects.filter(pk=self.pk).active().exists()
        )

    @classmethod
    def apply(cls, user, community, **answers):
        """Record `user`'s application. A lapsed membership is closed as expired first; an
        open application or membership (checked by the unique constraint, so two requests at
        once cannot both pass) raises AlreadyApplied."""
        try:
            with transaction.atomic():
                lapsed = cls.objects.filter(user=user, community=community, status=cls.Status.APPROVED)
                lapsed.exclude(pk__in=cls.objects.active().values("pk")).update(status=cls.Status.EXPIRED)
                return cls.objects.create(user=user, community=community, **answers)
        except IntegrityError as error:
            raise AlreadyApplied from error

    def decide(self, editor, decision, note=""):
        """Approve or refuse an application, or revoke a membership. The change is a
        conditional update, so of two editors deciding at once only the first counts; the
        other gets NotPending."""
        now = timezone.now()
        changes = {"decided_by": editor, "decided_at": now, "decision_note": note}
        if decision == "approve":
            expected, changes["status"] = self.Status.APPLIED, self.Status.APPROVED
            changes["expires_at"] = now + settings.HUB_MEMBERSHIP_PERIOD
        elif decision == "refuse":
            expected, changes["status"] = self.Status.APPLIED, self.Status.REFUSED
        elif decision == "revoke":
            expected, changes["status"] = self.Status.APPROVED, self.Status.REVOKED
        else:
            raise ValueError(decision)
        if not Membership.objects.filter(pk=self.pk, status=expected).update(**changes):
            raise NotPending
        for name, value in changes.items():
            setattr(self, name, value)


class ContactMessage(models.Model):
    """A message one member sent another through the site. Kept so that the recipient can
    answer through the site without either learning the other's address."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("sender")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    sender_membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("sender's membership")
    )
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return f"{self.sender} → {self.recipient} ({self.sent_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("hub:message-reply", kwargs={"pk": self.pk})


def readable_communities(user):
    """The communities whose members-only content `user` may read now: those they hold an
    active membership of. Editors read everything (see `RestrictedPartQuerySet.readable_by`)."""
    return Membership.objects.of(user).active().values("community")


def _is_editor(user):
    # The workflow's one rule for editors; imported here to keep hub's import of it in one place.
    from workflow.transitions import is_editor

    return user.is_authenticated and is_editor(user)


class RestrictedPartQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The parts `user` may read: all of them for an editor, those of the communities
        they are an active member of otherwise, none for anyone else."""
        if _is_editor(user):
            return self
        return self.filter(community__in=readable_communities(user))

    def of(self, initiative):
        return self.filter(initiative=initiative).select_related("community").order_by("kind", "pk")


class RestrictedPart(models.Model):
    """A part of a record that only the active members of one community (and editors) may
    read: how to obtain a tool, whom to ask, how it is run in practice. Everyone else sees
    that it exists and who may read it, never its text."""

    class Kind(models.TextChoices):
        ACCESS_CONTACT = "access_contact", _("Access contact")
        OPERATIONAL_DETAILS = "operational_details", _("Operational details")
        OTHER = "other", _("Other notes for members")

    initiative = models.ForeignKey(
        "catalogue.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="restricted_parts",
        verbose_name=_("community"),
        help_text=_("Only active members of this community (and editors) may read the text."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ACCESS_CONTACT)
    text = models.TextField(
        _("text"),
        help_text=_("Only members read it. Say where it comes from."),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedPartQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "kind", "pk"]
        verbose_name = _("members-only part")
        verbose_name_plural = _("members-only parts")

    def __str__(self):
        return f"{self.initiative} – {self.get_kind_display()} ({self.community})"

    def get_absolute_url(self):
        return reverse("hub:restricted-part-edit", kwargs={"pk": self.pk})


class MembersOnlyCaseQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The members-only cases `user` may read: all of them for an editor, those of the
        communities they are an active member of otherwise, none for anyone else. Only rows
        whose case is still members only: a case published again is everyone's."""
        current = self.filter(initiative__status=Initiative.Status.MEMBERS_ONLY)
        if _is_editor(user):
            return current
        return current.filter(community__in=readable_communities(user))

    def for_listing(self):
        return self.select_related("initiative", "initiative__lead_organisation", "community").order_by(
            "initiative__title", "pk"
        )


class MembersOnlyCase(models.Model):
    """A whole case taken out of the public catalogue for the members of one community: its
    status is "members only" (the workflow's step, hub/cases.py), so no public output shows
    it, and this row says whose members read it at its address (and editors)."""

    initiative = models.OneToOneField(
        "catalogue.Initiative",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("initiative"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="members_only_cases",
        verbose_name=_("community"),
        help_text=_("Only active members of this community (and editors) read the case."),
    )
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restricted by"),
    )
    restricted_at = models.DateTimeField(_("restricted"), default=timezone.now)

    objects = MembersOnlyCaseQuerySet.as_manager()

    class Meta:
        ordering = ["initiative"]
        verbose_name = _("members-only case")
        verbose_name_plural = _("members-only cases")

    def __str__(self):
        return f"{self.initiative} ({self.community})"

    def get_absolute_url(self):
        return reverse("catalogue:initiative-detail", kwargs={"slug": self.initiative.slug})


class ExperienceReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ExperienceReport.Status.APPROVED)

    def readable_by(self, user):
        """Approved reports `user` may read: all for an editor; for an active member, those of
        their communities and those their authors shared with every community's members;
        nothing for anyone else. Authors also see their own, whatever their state."""
        if _is_editor(user):
            return self.approved()
        if not user.is_authenticated:
            return self.none()
        communities = readable_communities(user)
        in_a_community = Exists(Membership.objects.of(user).active())
        visible = Q(community__in=communities) | (Q(shared_with_all_members=True) & Q(in_a_community))
        return self.filter(
            (Q(status=ExperienceReport.Status.APPROVED) & visible) | Q(author=user, community__in=communities)
        )

    def on(self, initiative):
        return (
            self.filter(initiative=initiative)
            .select_related("author_membership", "community")
            .order_by("-written_at", "-pk")
        )

    def for_moderation(self):
        return self.select_related("initiative", "community", "author", "author_membership", "moderated_by")


class ExperienceReport(models.Model):
    """A member's account of using a tool or case: where, for what, what worked and what did
    not. Editors approve it before other members see it; by default only members of the
    author's community read it."""

    class Status(models.TextChoices):
        # A context of their own: a membership's "Approved" is an application's, which many
        # languages word (and give a gender) differently from a report's.
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", pgettext_lazy("an experience report", "Approved")
        REFUSED = "refused", pgettext_lazy("an experience report", "Refused")

    initiative = models.ForeignKey(
        "catalogue.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="experience_reports", verbose_name=_("community")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    author_membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("author's membership")
    )
    where_used = models.CharField(
        _("where you used it"),
        max_length=300,
        help_text=_("The country and the kind of unit, e.g. a cybercrime unit in Kenya."),
    )
    used_for = models.TextField(_("what you used it for"))
    what_worked = models.TextField(_("what worked"))
    what_did_not = models.TextField(_("what did not work"), blank=True)
    shared_with_all_members = models.BooleanField(
        _("share with the members of every community"),
        default=False,
        help_text=_("Otherwise only members of your own community read it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderation_note = models.TextField(
        _("moderation note"), blank=True, help_text=_("Sent to the author with the decision.")
    )

    objects = ExperienceReportQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("experience report")
        verbose_name_plural = _("experience reports")

    def __str__(self):
        return f"{self.initiative} – {self.where_used} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("hub:report-moderate", kwargs={"pk": self.pk})

    def moderate(self, editor, decision, note=""):
        """Approve or refuse a report waiting for moderation: a conditional update, so of two
        editors deciding at once only the first counts and the other gets NotPending."""
        status = {"approve": self.Status.APPROVED, "refuse": self.Status.REFUSED}[decision]
        changes = {
            "status": status,
            "moderated_by": editor,
            "moderated_at": timezone.now(),
            "moderation_note": note,
        }
        if not ExperienceReport.objects.filter(pk=self.pk, status=self.Status.PENDING).update(**changes):
            raise NotPending
        for name, value in changes.items():
            setattr(self, name, value)


class AccessRecordQuerySet(models.QuerySet):
    def seen_by(self, user):
        """What `user` may see of the log: everything for an editor, their own otherwise."""
        if _is_editor(user):
            return self
        return self.filter(reader=user) if user.is_authenticated else self.none()

    def for_log(self):
        return self.select_related("reader", "initiative", "part", "report").order_by("-viewed_at", "-pk")


class AccessRecord(models.Model):
    """One reading of members-only text: who read which part or report of which record, and
    when. Written whenever the text is shown; kept when the part or report is deleted."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reader")
    )
    initiative = models.ForeignKey(
        "catalogue.Initiative", on_delete=models.CASCADE, related_name="+", verbose_name=_("initiative")
    )
    part = models.ForeignKey(
        RestrictedPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
    )
    report = models.ForeignKey(
        ExperienceReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("experience report"),
    )
    what = models.CharField(
        _("what"), max_length=300, help_text=_("What was read, in words that outlive the part or report.")
    )
    viewed_at = models.DateTimeField(_("read"), default=timezone.now, db_index=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = _("access record")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.reader} read {self.what} ({self.viewed_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("hub:access-log")
