from rest_framework.routers import SimpleRouter

from swstation.projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-enrolments", views.ProjectEnrolmentViewSet, basename="projectenrolment")
router.register("project-indicators", views.ProjectIndicatorViewSet, basename="projectindicator")
router.register("project-reports", views.ProjectReportViewSet, basename="projectreport")
router.register("project-attachments", views.ProjectAttachmentViewSet, basename="projectattachment")
urlpatterns = router.urls
