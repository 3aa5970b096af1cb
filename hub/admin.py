from django.contrib import admin

from .models import AccessRecord, Community, ContactMessage, ExperienceReport, Membership, RestrictedPart


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


@admin.register(RestrictedPart)
class RestrictedPartAdmin(admin.ModelAdmin):
    """Editors also edit these on /review/restricted/<case>/, linked from the case page."""

    list_display = ["initiative", "kind", "community", "written_by", "updated_at"]
    list_filter = ["kind", "community"]
    list_select_related = ["initiative", "community", "written_by"]
    raw_id_fields = ["initiative"]
    readonly_fields = ["written_by", "written_at", "updated_at"]
    search_fields = ["initiative__title"]

    def save_model(self, request, obj, form, change):
        obj.written_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExperienceReport)
class ExperienceReportAdmin(admin.ModelAdmin):
    """Moderation is done on /review/reports/, which mails the author and refuses a decision
    another editor already took; here the decision is read only."""

    list_display = ["initiative", "community", "author", "status", "written_at"]
    list_filter = ["status", "community"]
    list_select_related = ["initiative", "community", "author"]
    raw_id_fields = ["initiative", "author", "author_membership"]
    readonly_fields = ["status", "moderated_by", "moderated_at", "moderation_note"]


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The access log is a record of what happened: read only."""

    list_display = ["viewed_at", "reader", "what"]
    list_select_related = ["reader"]
    search_fields = ["reader__email", "initiative__title"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
