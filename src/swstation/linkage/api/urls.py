from rest_framework.routers import SimpleRouter

from swstation.linkage.api import views

router = SimpleRouter()
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("referrals", views.ReferralViewSet, basename="referral")
urlpatterns = router.urls
