from django.contrib import admin

from .models import Community, ContactMessage, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Decisions are taken on the vetting pages (/review/members/), which mail the applicant
    and refuse a decision another editor already took; here they are read only."""

    list_display = [
        "user",
        "community",
        "organisation",
        "country",
        "status",
        "expires_at",
        "listed_in_directory",
    ]
    list_filter = ["status", "community", "listed_in_directory"]
    search_fields = ["user__email", "organisation", "role"]
    list_select_related = ["user", "community"]
    raw_id_fields = ["user"]
    readonly_fields = ["status", "decided_by", "decided_at", "decision_note"]
    date_hierarchy = "applied_at"


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Read only: kept so that members can answer through the site, not to be edited."""

    list_display = ["sender", "recipient", "sent_at"]
    list_select_related = ["sender", "recipient"]
    readonly_fields = ["sender", "recipient", "sender_membership", "in_reply_to", "body", "sent_at"]

    def has_add_permission(self, request):
        return False
