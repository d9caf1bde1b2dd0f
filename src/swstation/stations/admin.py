from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)


@admin.register(ServiceAgency)
class ServiceAgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "region", "contact_name")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("region",)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "kind", "status", "operating_model", "opened_on")
    list_filter = ("kind", "status", "operating_model", "special_kind")
    search_fields = ("name", "region__name", "region__code")
    raw_id_fields = ("region", "parent_station", "agency")
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ("station", "kind", "name", "area_m2", "shared_with")
    list_filter = ("kind", "shared_with")
    search_fields = ("name", "station__name")
    raw_id_fields = ("station",)


@admin.register(ConstructionStandard)
class ConstructionStandardAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to", "min_fulltime_staff", "requires_sign")


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "source", "amount", "one_time", "valid_from", "valid_to")
    list_filter = ("source",)
