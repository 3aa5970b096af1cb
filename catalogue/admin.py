from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import (
    BeneficiaryGroup,
    Citation,
    Initiative,
    KeyFigure,
    Organisation,
    PartnerProfile,
    ProposedOrganisation,
    Requirement,
    RequirementAlignment,
    Sector,
    Source,
    StatusChange,
    SubmittedSource,
    Technology,
)


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]


class RequirementAlignmentInline(admin.StackedInline):
    model = RequirementAlignment
    extra = 0
    autocomplete_fields = ["requirement"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


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


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "lead_organisation", "status", "children_focus", "start_year", "updated_at"]
    list_filter = ["status", "children_focus", "sectors", "sources", "technologies", "requirements"]
    list_select_related = ["lead_organisation"]
    search_fields = ["title", "title_zh", "summary", "summary_zh", "slug", "lead_organisation__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "lead_organisation",
        "partners",
        "sectors",
        "technologies",
        "beneficiary_groups",
        "submitted_by",
    ]
    readonly_fields = ["created_at", "updated_at", "published_at"]
    date_hierarchy = "updated_at"
    inlines = [
        CitationInline,
        RequirementAlignmentInline,
        KeyFigureInline,
        ProposedOrganisationInline,
        SubmittedSourceInline,
        StatusChangeInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "status"]}),
        (_("Chinese text"), {"fields": ["title_zh", "summary_zh", "chinese_text_origin"]}),
        (
            _("Who and what"),
            {
                "fields": [
                    "lead_organisation",
                    "partners",
                    "sectors",
                    "technologies",
                    "beneficiary_groups",
                    "countries",
                    "children_focus",
                    "start_year",
                    "website",
                ]
            },
        ),
        (_("Record"), {"fields": ["submitted_by", "created_at", "updated_at", "published_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # A status changed here, outside the review pages, still goes into the audit trail.
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            StatusChange.objects.create(
                initiative=obj,
                actor=request.user,
                from_status=form.initial.get("status", ""),
                to_status=obj.status,
                note=_("Changed in the admin."),
                snapshot=workflow.snapshot(obj),
            )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "kind", "country", "initiative_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Explicit, because Meta.ordering is not applied to the annotated (GROUP BY) queryset.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("led_initiatives"))

    @admin.display(description=_("initiatives led"), ordering="initiative_count")
    def initiative_count(self, organisation):
        return organisation.initiative_count


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh", "slug", "initiative_count"]
    search_fields = ["name", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("initiatives"))

    @admin.display(description=_("initiatives"), ordering="initiative_count")
    def initiative_count(self, term):
        return term.initiative_count


@admin.register(Sector)
class SectorAdmin(TaxonomyAdmin):
    list_display = ["name", "name_zh", "slug", "position", "initiative_count"]
    list_editable = ["position"]
    ordering = ["position", "name"]


admin.site.register(Technology, TaxonomyAdmin)
admin.site.register(BeneficiaryGroup, TaxonomyAdmin)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "title_zh"]
    search_fields = ["title", "title_zh", "slug"]
    ordering = ["number"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "file_name"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "slug", "file_name"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(RequirementAlignment)
class RequirementAlignmentAdmin(admin.ModelAdmin):
    list_display = ["initiative", "requirement", "strength", "basis"]
    list_filter = ["strength", "basis", "requirement"]
    list_select_related = ["initiative", "requirement"]
    search_fields = ["initiative__title", "rationale", "evidence_quote"]
    autocomplete_fields = ["initiative", "requirement"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["initiative", "source", "location", "position"]
    list_filter = ["source"]
    list_select_related = ["initiative", "source"]
    search_fields = ["initiative__title", "quote", "location"]
    autocomplete_fields = ["initiative", "source"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
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


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
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
class ProposedOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "initiative", "approved_as"]
    list_select_related = ["initiative", "approved_as"]
    search_fields = ["name", "initiative__title"]
    autocomplete_fields = ["initiative", "approved_as"]
