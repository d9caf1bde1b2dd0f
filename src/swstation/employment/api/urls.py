from rest_framework.routers import SimpleRouter

from swstation.employment.api import views

router = SimpleRouter()
router.register("job-seekers", views.JobSeekerViewSet, basename="jobseeker")
router.register("job-posts", views.JobPostViewSet, basename="jobpost")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("income-follow-ups", views.IncomeFollowUpViewSet, basename="incomefollowup")
router.register("income-checks", views.IncomeCheckViewSet, basename="incomecheck")
urlpatterns = router.urls
