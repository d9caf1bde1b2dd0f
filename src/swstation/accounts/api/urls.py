from rest_framework.routers import SimpleRouter

from swstation.accounts.api import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")
urlpatterns = router.urls
