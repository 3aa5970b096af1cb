from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import models, views
from .caching import cache_public_response
from .feeds import InitiativeFeed
from .sitemaps import SITEMAPS
from .views import collections

app_name = "catalogue"


def public(view_class):
    """Every page here is the same for every anonymous reader, so it is cached under the
    catalogue's data version (catalogue/caching.py)."""
    return cache_public_response(view_class.as_view())


def vocabulary_index(model):
    return cache_public_response(views.VocabularyIndexView.as_view(model=model))


urlpatterns = [
    path("", public(views.HomeView), name="home"),
    path("about/", public(views.AboutView), name="about"),
    path("initiatives/", public(views.InitiativeListView), name="initiative-list"),
    path(
        "initiatives/export/<str:format>/", public(views.InitiativeListExportView), name="initiative-export"
    ),
    path("initiatives/facets/<str:name>/", public(views.InitiativeFacetView), name="initiative-facet"),
    path("matrix/", public(views.EvidenceMatrixView), name="matrix"),
    path("matrix.csv", public(views.EvidenceMatrixCSVView), name="matrix-csv"),
    path("initiatives/feed/", cache_public_response(InitiativeFeed()), name="initiative-feed"),
    path("initiatives/<slug:slug>/", public(views.InitiativeDetailView), name="initiative-detail"),
    path("initiatives/<slug:slug>/related/", public(views.InitiativeRelatedView), name="initiative-related"),
    path(
        "initiatives/<slug:slug>/cite/<str:format>/",
        public(views.InitiativeReferenceView),
        name="initiative-reference",
    ),
    path("organisations/", public(views.OrganisationListView), name="organisation-list"),
    path("organisations/<slug:slug>/", public(views.OrganisationDetailView), name="organisation-detail"),
    path("publications/", public(views.PublicationListView), name="publication-list"),
    path("publications/<slug:slug>/", public(views.PublicationDetailView), name="publication-detail"),
    path("sectors/", vocabulary_index(models.Sector), name="sector-list"),
    path("sectors/<slug:slug>/", public(views.SectorDetailView), name="sector-detail"),
    path("technologies/", vocabulary_index(models.Technology), name="technology-list"),
    path("technologies/<slug:slug>/", public(views.TechnologyDetailView), name="technology-detail"),
    path("tasks/", vocabulary_index(models.Task), name="task-list"),
    path("tasks/<slug:slug>/", public(views.TaskDetailView), name="task-detail"),
    path("beneficiaries/", vocabulary_index(models.BeneficiaryGroup), name="beneficiary-list"),
    path("beneficiaries/<slug:slug>/", public(views.BeneficiaryGroupDetailView), name="beneficiary-detail"),
    path("requirements/", vocabulary_index(models.Requirement), name="requirement-list"),
    path("requirements/<int:number>/", public(views.RequirementDetailView), name="requirement-detail"),
    path("sources/", vocabulary_index(models.Source), name="source-list"),
    path("sources/<slug:slug>/", public(views.SourceDetailView), name="source-detail"),
    path("sources/<slug:slug>/text/", public(views.SourceTextView), name="source-text"),
    path("collections/", collections.CollectionListView.as_view(), name="collection-list"),
    path("collections/new/", collections.CollectionCreateView.as_view(), name="collection-create"),
    path("collections/<str:key>/", public(collections.CollectionDetailView), name="collection-detail"),
    path(
        "collections/<str:key>/download/<str:format>/",
        public(collections.CollectionDownloadView),
        name="collection-download",
    ),
    path(
        "vocabularies/<str:scheme>.<str:format>",
        cache_public_response(views.concept_scheme),
        name="concept-scheme",
    ),
    path("downloads/", views.DownloadsView.as_view(), name="downloads"),
    path("dataset/", public(views.DatasetView), name="dataset"),
    path("downloads/<str:name>", views.download_file, name="download-file"),
    path("robots.txt", cache_public_response(views.robots_txt), name="robots"),
    path(
        "sitemap.xml",
        cache_public_response(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "catalogue:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_public_response(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
