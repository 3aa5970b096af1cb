from rest_framework.routers import DefaultRouter

from .submissions import SubmissionViewSet

app_name = "api"

router = DefaultRouter()
router.register("submissions", SubmissionViewSet, basename="submission")

urlpatterns = router.urls
