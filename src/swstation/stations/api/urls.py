from rest_framework.routers import SimpleRouter

from swstation.stations.api import views

router = SimpleRouter()
router.register("stations", views.StationViewSet, basename="station")
router.register("service-agencies", views.ServiceAgencyViewSet, basename="serviceagency")
router.register("rooms", views.RoomViewSet, basename="room")
router.register(
    "construction-standards", views.ConstructionStandardViewSet, basename="constructionstandard"
)
router.register("subsidy-policies", views.SubsidyPolicyViewSet, basename="subsidypolicy")
urlpatterns = router.urls
