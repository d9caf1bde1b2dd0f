from rest_framework.routers import SimpleRouter

from swstation.workforce.api import views

router = SimpleRouter()
router.register("social-workers", views.SocialWorkerViewSet, basename="socialworker")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("reward-policies", views.RewardPolicyViewSet, basename="rewardpolicy")
router.register("payment-batches", views.PaymentBatchViewSet, basename="paymentbatch")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("training-classes", views.TrainingClassViewSet, basename="trainingclass")
router.register("courses", views.CourseViewSet, basename="course")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("supervisors", views.SupervisorViewSet, basename="supervisor")
router.register(
    "supervision-sessions", views.SupervisionSessionViewSet, basename="supervisionsession"
)
router.register("talent", views.TalentEntryViewSet, basename="talententry")
urlpatterns = router.urls
