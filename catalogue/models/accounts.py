import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def digest(key):
    """What is stored of a token: its SHA-256. The key is 160 random bits, so an unsalted
    fast hash is enough (nobody can guess keys to match it) and lets a request find its
    token by one indexed lookup."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that authenticate: not expired."""
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now()))

    def for_key(self, key):
        return self.usable().select_related("user").filter(digest=digest(key))


class ApiToken(models.Model):
    """A partner's API token. Only a hash of the key is stored: the key itself is shown once,
    when the token is made. A partner may hold several (one per tool, say) and revoke each."""

    # Keys stay 40 hex characters, the shape DRF's tokens had, so clients that check it go on.
    KEY_BYTES = 20
    PREFIX_LENGTH = 6

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the tool that uses it.")
    )
    prefix = models.CharField(
        _("starts with"),
        max_length=PREFIX_LENGTH,
        help_text=_("The key's first characters, to tell tokens apart."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        help_text=_("After this date the token is refused. Empty: never."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("accounts:api-token")

    @classmethod
    def new_key(cls):
        return secrets.token_hex(cls.KEY_BYTES)

    def set_key(self, key):
        self.prefix = key[: self.PREFIX_LENGTH]
        self.digest = digest(key)

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
