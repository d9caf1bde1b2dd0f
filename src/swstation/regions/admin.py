from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.regions.models import Population, Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "is_development_zone")
    list_filter = ("level", "is_development_zone")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


@admin.register(Population)
class PopulationAdmin(SimpleHistoryAdmin):
    list_display = ("region", "year", "population", "status")
    list_filter = ("year", "status")
    raw_id_fields = ("region",)
