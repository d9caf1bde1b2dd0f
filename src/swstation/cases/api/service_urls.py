"""API routes of assessments, service records and visit schedules."""

from rest_framework.routers import SimpleRouter

from swstation.cases.api import service_views as views


def register(router: SimpleRouter) -> None:
    """Add this part's viewsets to the cases API router."""
    router.register(
        "elderly-assessments", views.ElderlyAssessmentViewSet, basename="elderlyassessment"
    )
    router.register(
        "child-assessments", views.ChildNeedsAssessmentViewSet, basename="childneedsassessment"
    )
    router.register("service-records", views.ServiceRecordViewSet, basename="servicerecord")
    router.register("visit-schedules", views.VisitScheduleViewSet, basename="visitschedule")
