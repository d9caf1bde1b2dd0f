from rest_framework.routers import SimpleRouter

from swstation.cases.api import views
from swstation.cases.api.service_urls import register as register_services

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("case-goals", views.CaseGoalViewSet, basename="casegoal")
router.register("case-transfers", views.CaseTransferViewSet, basename="casetransfer")
register_services(router)
urlpatterns = router.urls
