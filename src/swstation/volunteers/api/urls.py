from rest_framework.routers import SimpleRouter

from swstation.volunteers.api import views

router = SimpleRouter()
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("volunteer-teams", views.VolunteerTeamViewSet, basename="volunteerteam")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("service-volunteers", views.ServiceVolunteerViewSet, basename="servicevolunteer")
urlpatterns = router.urls
