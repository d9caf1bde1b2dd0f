from rest_framework.routers import SimpleRouter

from swstation.cases.api import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("case-goals", views.CaseGoalViewSet, basename="casegoal")
router.register("case-stage-changes", views.CaseStageChangeViewSet, basename="casestagechange")
router.register("case-transfers", views.CaseTransferViewSet, basename="casetransfer")
router.register("elderly-assessments", views.ElderlyAssessmentViewSet, basename="elderlyassessment")
router.register(
    "elderly-assessment-policies",
    views.ElderlyAssessmentPolicyViewSet,
    basename="elderlyassessmentpolicy",
)
router.register(
    "assessor-qualifications",
    views.AssessorQualificationViewSet,
    basename="assessorqualification",
)
router.register(
    "child-assessments", views.ChildNeedsAssessmentViewSet, basename="childneedsassessment"
)
router.register("service-records", views.ServiceRecordViewSet, basename="servicerecord")
router.register("visit-schedules", views.VisitScheduleViewSet, basename="visitschedule")
urlpatterns = router.urls
