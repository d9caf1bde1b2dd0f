from rest_framework.routers import SimpleRouter

from swstation.evaluation.api import views

router = SimpleRouter()
router.register("indicator-sets", views.IndicatorSetViewSet, basename="indicatorset")
router.register("dimensions", views.DimensionViewSet, basename="dimension")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
urlpatterns = router.urls
