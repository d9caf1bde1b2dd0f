from rest_framework.routers import SimpleRouter

from swstation.community.api import views

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("groups", views.GroupViewSet, basename="group")
router.register("group-members", views.GroupMemberViewSet, basename="groupmember")
router.register("group-sessions", views.GroupSessionViewSet, basename="groupsession")
router.register("session-attendance", views.SessionAttendanceViewSet, basename="sessionattendance")
router.register(
    "community-activities", views.CommunityActivityViewSet, basename="communityactivity"
)
router.register(
    "activity-participants", views.ActivityParticipantViewSet, basename="activityparticipant"
)
router.register("activity-photos", views.ActivityPhotoViewSet, basename="activityphoto")
router.register("volunteer-hours", views.ActivityVolunteerViewSet, basename="activityvolunteer")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("governance-meetings", views.GovernanceMeetingViewSet, basename="governancemeeting")
urlpatterns = router.urls
