from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station", "region", "phone_masked", "registered_on", "left_on")
    search_fields = ("name", "skills")
    raw_id_fields = ("region", "station")
    readonly_fields = ("id_number_masked", "phone_masked")


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station", "region", "project", "leader")
    search_fields = ("name",)
    raw_id_fields = ("region", "station", "project", "leader")
    filter_horizontal = ("members",)


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = ("volunteer", "recipient", "worker", "times_per_month", "starts_on", "active")
    list_filter = ("active",)
    search_fields = ("volunteer__name", "recipient__name")
    raw_id_fields = ("volunteer", "recipient", "worker", "team")


@admin.register(ServiceVolunteer)
class ServiceVolunteerAdmin(SimpleHistoryAdmin):
    list_display = ("volunteer", "record", "hours")
    search_fields = ("volunteer__name",)
    raw_id_fields = ("record", "volunteer")
