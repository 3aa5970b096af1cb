from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Partner accounts: sign-up with email confirmation, profile, API tokens."""

    name = "accounts"
    verbose_name = _("Partner accounts")
