from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("initiatives/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("sectors/<slug:slug>/", views.SectorDetailView.as_view(), name="sector-detail"),
    path("technologies/<slug:slug>/", views.TechnologyDetailView.as_view(), name="technology-detail"),
    path("beneficiaries/<slug:slug>/", views.BeneficiaryGroupDetailView.as_view(), name="beneficiary-detail"),
    path("requirements/<int:number>/", views.RequirementDetailView.as_view(), name="requirement-detail"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
