from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.employment.models import IncomeCheck, IncomeFollowUp, JobPost, JobSeeker, Placement


@admin.register(JobSeeker)
class JobSeekerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sex", "category", "station", "region", "phone_masked", "status")
    list_filter = ("status", "sex", "category")
    search_fields = ("name", "skills")
    raw_id_fields = ("recipient", "region", "station")
    readonly_fields = ("id_number_masked", "phone_masked", "status")


@admin.register(JobPost)
class JobPostAdmin(SimpleHistoryAdmin):
    list_display = ("title", "employer", "region", "places", "season_from", "season_to", "status")
    list_filter = ("status",)
    search_fields = ("title", "employer__name")
    raw_id_fields = ("employer", "station", "region")


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ("seeker", "post", "status", "referred_on", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("seeker__name", "post__title")
    raw_id_fields = ("post", "seeker")


class IncomeCheckInline(admin.TabularInline):
    model = IncomeCheck
    extra = 0


@admin.register(IncomeFollowUp)
class IncomeFollowUpAdmin(SimpleHistoryAdmin):
    list_display = ("household", "project", "interval", "started_on", "ended_on")
    list_filter = ("interval",)
    search_fields = ("household__head_name", "project__name")
    raw_id_fields = ("household", "project")
    inlines = [IncomeCheckInline]
