from rest_framework.routers import SimpleRouter

from swstation.recipients.api import views

router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("recipients", views.RecipientViewSet, basename="recipient")
router.register("category-periods", views.CategoryPeriodViewSet, basename="categoryperiod")
router.register("duplicate-reviews", views.DuplicateReviewViewSet, basename="duplicatereview")
router.register("access-log", views.IdentityViewViewSet, basename="identityview")
urlpatterns = router.urls
