"""The workflow in the admin: each initiative's submission records and status history, and
the status moved only by the workflow's own steps (actions below), never by editing the field.

The catalogue registers InitiativeAdmin without knowing about the workflow; this module
re-registers it with the workflow's inlines and actions, so the arrow runs one way.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from catalogue.admin import InitiativeAdmin, NulSafeChangelistMixin
from catalogue.models import (
    Initiative,
    ProposedOrganisation,
    StatusChange,
    SubmissionComment,
    SubmissionEdit,
    SubmittedSource,
)

from . import transitions


class ProposedOrganisationInline(admin.StackedInline):
    model = ProposedOrganisation
    extra = 0
    autocomplete_fields = ["approved_as"]


class SubmittedSourceInline(admin.TabularInline):
    model = SubmittedSource
    extra = 0
    autocomplete_fields = ["source"]


class StatusChangeInline(admin.TabularInline):
    """The audit trail: read-only, because history is only ever appended to."""

    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubmissionEditInline(StatusChangeInline):
    """Editors' corrections made on the review page: read-only, like the audit trail."""

    model = SubmissionEdit
    fields = ["created_at", "editor", "field", "detail", "before", "after"]
    readonly_fields = fields


class SubmissionCommentInline(StatusChangeInline):
    """The conversation with the partner, as it was written (it is answered on the review page)."""

    model = SubmissionComment
    fields = ["created_at", "author", "by_editor", "field", "body"]
    readonly_fields = fields


def _take_step(modeladmin, request, queryset, step, done_message):
    """Apply a workflow step to each selected initiative; report what moved and what could not."""
    moved, refused = 0, []
    for initiative in queryset:
        try:
            step(initiative, request.user, _("Done in the admin."))
            moved += 1
        except transitions.TransitionNotAllowed:
            refused.append(initiative.title)
    if moved:
        modeladmin.message_user(request, done_message % {"count": moved}, messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            _("Not possible from their current status: %(titles)s") % {"titles": "; ".join(refused)},
            messages.WARNING,
        )


@admin.action(description=_("Publish the selected initiatives"), permissions=["review"])
def publish(modeladmin, request, queryset):
    done = ngettext_lazy("%(count)s initiative published.", "%(count)s initiatives published.", "count")
    _take_step(modeladmin, request, queryset, transitions.publish, done)


@admin.action(description=_("Archive (unpublish) the selected initiatives"), permissions=["review"])
def archive(modeladmin, request, queryset):
    done = ngettext_lazy("%(count)s initiative archived.", "%(count)s initiatives archived.", "count")
    _take_step(modeladmin, request, queryset, transitions.archive, done)


class WorkflowInitiativeAdmin(InitiativeAdmin):
    inlines = [
        *InitiativeAdmin.inlines,
        ProposedOrganisationInline,
        SubmittedSourceInline,
        StatusChangeInline,
        SubmissionEditInline,
        SubmissionCommentInline,
    ]
    actions = [publish, archive]

    def has_review_permission(self, request):
        return transitions.is_editor(request.user)


admin.site.unregister(Initiative)
admin.site.register(Initiative, WorkflowInitiativeAdmin)


@admin.register(StatusChange)
class StatusChangeAdmin(NulSafeChangelistMixin, admin.ModelAdmin):
    """The audit trail across all initiatives: read-only."""

    list_display = ["created_at", "initiative", "actor", "from_status", "to_status", "note"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["initiative", "actor"]
    search_fields = ["initiative__title", "actor__email", "note"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProposedOrganisation)
class ProposedOrganisationAdmin(NulSafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "initiative", "approved_as"]
    list_select_related = ["initiative", "approved_as"]
    search_fields = ["name", "initiative__title"]
    autocomplete_fields = ["initiative", "approved_as"]
