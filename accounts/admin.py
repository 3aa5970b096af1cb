from django.contrib import admin

from catalogue.admin import NulSafeChangelistMixin
from catalogue.models import PartnerProfile


@admin.register(PartnerProfile)
class PartnerProfileAdmin(NulSafeChangelistMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "organisation",
        "proposed_organisation_name",
        "organisation_confirmed",
        "created_at",
    ]
    list_filter = ["organisation_confirmed"]
    list_editable = ["organisation_confirmed"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "organisation__name", "proposed_organisation_name"]
    autocomplete_fields = ["user", "organisation"]
