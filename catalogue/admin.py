from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BeneficiaryGroup,
    Citation,
    FeaturedInitiative,
    Initiative,
    KeyFigure,
    Organisation,
    Publication,
    PublicationItem,
    PublicationRole,
    Requirement,
    RequirementAlignment,
    Safeguard,
    Sector,
    Source,
    Task,
    Technology,
    ToolProfile,
)


class NulSafeChangelistMixin:
    """A NUL character in a changelist's query string (`?status__exact=%00`) is answered as any
    bad filter value is, with the admin's own "?e=1" page. A choice or text filter passes its
    value to the database unchecked, and PostgreSQL cannot take a NUL in a query (a 500).
    Every ModelAdmin of ours takes this mixin first."""

    def get_changelist_instance(self, request):
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            raise IncorrectLookupParameters("A NUL character in the query string.")
        return super().get_changelist_instance(request)


def make_every_changelist_nul_safe(site=admin.site):
    """Give NulSafeChangelistMixin to the ModelAdmins other apps register too (the task
    queue's, the sign-in lockout's): the rule holds for every changelist of the admin, not only
    ours. Run once the admin has discovered every app's admin module (CatalogueConfig.ready)."""
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if not issubclass(cls, NulSafeChangelistMixin):
            model_admin.__class__ = type(f"NulSafe{cls.__name__}", (NulSafeChangelistMixin, cls), {})


class InEveryLanguageAdmin:
    """The admin of a record whose name or title is kept in every language
    (catalogue/translation.py): each language's column is edited by name, English required,
    since the field's own column would edit the admin's interface language's."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.model.translated_fields]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in {
            f"{field}_en" for field in self.model.translated_fields
        }:
            formfield.required = True
        return formfield


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


class ToolProfileInline(admin.StackedInline):
    """The initiative as a tool; its safeguards are edited on the profile's own admin page."""

    model = ToolProfile
    extra = 0
    max_num = 1
    autocomplete_fields = ["tasks"]
    show_change_link = True


@admin.register(Initiative)
class InitiativeAdmin(NulSafeChangelistMixin, SimpleHistoryAdmin):
    list_display = ["title", "lead_organisation", "status", "children_focus", "start_year", "updated_at"]
    list_filter = ["status", "children_focus", "sectors", "sources", "technologies", "requirements"]
    list_select_related = ["lead_organisation"]
    search_fields = [
        "title",
        "title_zh_hans",
        "summary",
        "summary_zh_hans",
        "slug",
        "lead_organisation__name",
    ]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = [
        "lead_organisation",
        "partners",
        "sectors",
        "technologies",
        "beneficiary_groups",
        "submitted_by",
    ]
    # The status moves only through the workflow (publish, archive… see workflow/admin.py), which
    # also publishes a submission's proposed records, emails the partner and keeps the history.
    readonly_fields = ["status", "created_at", "updated_at", "published_at"]
    date_hierarchy = "updated_at"
    inlines = [
        CitationInline,
        RequirementAlignmentInline,
        KeyFigureInline,
        ToolProfileInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title_en",
                    "title_origin",
                    "slug",
                    "summary_en",
                    "description",
                    "editorial_note",
                    "status",
                ]
            },
        ),
        # Each language's own columns (catalogue/translation.py), named: the `title` field would
        # edit the admin's interface language's.
        (
            _("Other languages"),
            {
                "fields": [
                    *(
                        f"{field}_{code}"
                        for code in ("zh_hans", "ar", "fr", "ru", "es")
                        for field in ("title", "summary")
                    ),
                    "text_origins",
                ]
            },
        ),
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
                    "start_year_location",
                    "website",
                ]
            },
        ),
        (_("Record"), {"fields": ["submitted_by", "created_at", "updated_at", "published_at"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(NulSafeChangelistMixin, InEveryLanguageAdmin, SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh_hans", "kind", "country", "initiative_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    # Explicit, because Meta.ordering is not applied to the annotated (GROUP BY) queryset.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("led_initiatives"))

    @admin.display(description=_("initiatives led"), ordering="initiative_count")
    def initiative_count(self, organisation):
        return organisation.initiative_count


class TaxonomyAdmin(NulSafeChangelistMixin, InEveryLanguageAdmin, SimpleHistoryAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "initiative_count"]
    search_fields = ["name", "name_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(initiative_count=Count("initiatives"))

    @admin.display(description=_("initiatives"), ordering="initiative_count")
    def initiative_count(self, term):
        return term.initiative_count


@admin.register(Sector)
class SectorAdmin(TaxonomyAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "position", "initiative_count"]
    list_editable = ["position"]
    ordering = ["position", "name"]


admin.site.register(Technology, TaxonomyAdmin)


@admin.register(Task)
class TaskAdmin(TaxonomyAdmin):
    list_display = ["name_en", "name_zh_hans", "slug", "position", "initiative_count"]
    list_editable = ["position"]
    ordering = ["position", "name"]

    def get_queryset(self, request):
        return SimpleHistoryAdmin.get_queryset(self, request).annotate(
            initiative_count=Count("tool_profiles")
        )


class SafeguardInline(admin.StackedInline):
    model = Safeguard
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(ToolProfile)
class ToolProfileAdmin(NulSafeChangelistMixin, SimpleHistoryAdmin):
    list_display = ["initiative", "deployment", "licence"]
    list_filter = ["deployment", "licence", "tasks"]
    list_select_related = ["initiative"]
    search_fields = ["initiative__title", "initiative__slug"]
    autocomplete_fields = ["initiative", "tasks"]
    inlines = [SafeguardInline]


admin.site.register(BeneficiaryGroup, TaxonomyAdmin)


@admin.register(Requirement)
class RequirementAdmin(NulSafeChangelistMixin, InEveryLanguageAdmin, SimpleHistoryAdmin):
    list_display = ["number", "title_en", "title_zh_hans"]
    search_fields = ["title", "title_zh_hans", "slug"]
    ordering = ["number"]


@admin.register(Source)
class SourceAdmin(NulSafeChangelistMixin, InEveryLanguageAdmin, SimpleHistoryAdmin):
    list_display = ["title_en", "publisher", "kind", "published_on", "file_name"]
    list_filter = ["kind"]
    search_fields = ["title", "title_zh_hans", "publisher", "slug", "file_name"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(RequirementAlignment)
class RequirementAlignmentAdmin(NulSafeChangelistMixin, SimpleHistoryAdmin):
    list_display = ["initiative", "requirement", "strength", "basis", "made_by"]
    list_filter = ["strength", "basis", "made_by", "requirement"]
    list_select_related = ["initiative", "requirement"]
    search_fields = ["initiative__title", "rationale", "evidence_quote"]
    autocomplete_fields = ["initiative", "requirement"]


@admin.register(Citation)
class CitationAdmin(NulSafeChangelistMixin, SimpleHistoryAdmin):
    list_display = ["initiative", "source", "location", "position"]
    list_filter = ["source"]
    list_select_related = ["initiative", "source"]
    search_fields = ["initiative__title", "quote", "location"]
    autocomplete_fields = ["initiative", "source"]


class PublicationRoleInline(admin.TabularInline):
    model = PublicationRole
    extra = 0
    autocomplete_fields = ["organisation"]


class PublicationItemInline(admin.StackedInline):
    model = PublicationItem
    extra = 0
    autocomplete_fields = ["source"]


class FeaturedInitiativeInline(admin.TabularInline):
    model = FeaturedInitiative
    extra = 0
    autocomplete_fields = ["initiative"]


@admin.register(Publication)
class PublicationAdmin(NulSafeChangelistMixin, InEveryLanguageAdmin, SimpleHistoryAdmin):
    list_display = ["title_en", "kind", "date", "date_in_source", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "title_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["launches", "sources"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PublicationRoleInline, PublicationItemInline, FeaturedInitiativeInline]
