from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.evaluation.models import Dimension, Indicator, IndicatorSet


@admin.register(IndicatorSet)
class IndicatorSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "version", "status", "total_points", "published_on")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(Dimension)
class DimensionAdmin(SimpleHistoryAdmin):
    list_display = ("indicator_set", "code", "name", "points", "order")
    list_filter = ("indicator_set",)
    search_fields = ("name", "code")


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("dimension", "code", "name", "points", "rule_type", "source")
    list_filter = ("rule_type", "source")
    search_fields = ("name", "code")
    raw_id_fields = ("dimension",)
