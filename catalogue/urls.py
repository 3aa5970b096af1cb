from django.urls import path

from . import views
from .caching import cache_public_response

app_name = "catalogue"


def public(view_class):
    """Every page here is the same for every anonymous reader, so it is cached under the
    catalogue's data version (catalogue/caching.py)."""
    return cache_public_response(view_class.as_view())


urlpatterns = [
    path("", public(views.HomeView), name="home"),
    path("initiatives/", public(views.InitiativeListView), name="initiative-list"),
    path("initiatives/<slug:slug>/", public(views.InitiativeDetailView), name="initiative-detail"),
    path("organisations/", public(views.OrganisationListView), name="organisation-list"),
    path("organisations/<slug:slug>/", public(views.OrganisationDetailView), name="organisation-detail"),
    path("sectors/<slug:slug>/", public(views.SectorDetailView), name="sector-detail"),
    path("technologies/<slug:slug>/", public(views.TechnologyDetailView), name="technology-detail"),
    path("beneficiaries/<slug:slug>/", public(views.BeneficiaryGroupDetailView), name="beneficiary-detail"),
    path("requirements/<int:number>/", public(views.RequirementDetailView), name="requirement-detail"),
    path("sources/<slug:slug>/", public(views.SourceDetailView), name="source-detail"),
]
