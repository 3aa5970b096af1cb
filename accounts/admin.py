from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from catalogue.admin import NulSafeChangelistMixin
from catalogue.models import ApiToken, PartnerProfile


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


# DRF's token admin would show an empty table (its tokens were hashed into ApiToken by a
# migration); ApiToken's shows what is known of each token, never a key.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(NulSafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at"]

    def has_add_permission(self, request):
        return False  # a key is shown once, to its partner: tokens are made on their page
