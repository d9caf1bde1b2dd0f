from rest_framework.routers import SimpleRouter

from swstation.regions.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("populations", views.PopulationViewSet, basename="population")
urlpatterns = router.urls
