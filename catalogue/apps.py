from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from . import revisions
        from .admin import make_every_changelist_nul_safe

        revisions.connect()
        # The admin's own ready() (first in INSTALLED_APPS) has registered every ModelAdmin.
        make_every_changelist_nul_safe()
