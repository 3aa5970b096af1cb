from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    """The Global Hub's members' tier: communities, vetted memberships, the member directory."""

    name = "hub"
    verbose_name = _("Communities and members")
