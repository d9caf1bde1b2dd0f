from rest_framework.routers import SimpleRouter

from swstation.dashboard.api.views import StatsViewSet

router = SimpleRouter()
router.register("stats", StatsViewSet, basename="stats")
