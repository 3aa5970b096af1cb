"""Communities of practitioners and the vetted memberships that admit people to them.

Whether someone is a member is decided in one place, `MembershipQuerySet.active()` (and
`is_member`, built on it): pages, the directory, contact, and later restricted content all ask
there."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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
