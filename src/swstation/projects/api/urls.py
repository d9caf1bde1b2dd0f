from rest_framework.routers import SimpleRouter

from swstation.projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-enrolments", views.ProjectEnrolmentViewSet, basename="projectenrolment")
urlpatterns = router.urls
