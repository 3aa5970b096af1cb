"""Version 1 of the API. It stays as it is: fields and parameters may be added, never changed
or removed; an incompatible change would be a new prefix beside this one."""

from django.conf import settings
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .views import catalogue as views
from .views.docs import APIDocsView
from .views.submissions import SubmissionViewSet

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # one way to choose a format: `?format=`
router.APIRootView = views.APIRootView
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("beneficiaries", views.BeneficiaryGroupViewSet, basename="beneficiary")
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("submissions", SubmissionViewSet, basename="submission")

# Swagger UI (served from our static files) sets inline styles as it renders.
docs_policy = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
docs_view = csp_override(docs_policy)(APIDocsView.as_view())

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    path("", include(router.urls)),
]
