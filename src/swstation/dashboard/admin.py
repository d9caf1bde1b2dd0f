"""The cockpit's aggregates in the admin: to look at, never to edit (they are derived from the
records; ``rebuild_tallies`` recounts them)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from swstation.dashboard.models import Tally, TallyDirty


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ("family", "metric", "level", "region_code", "key", "period", "count", "total")
    list_filter = ("family", "level", "metric")
    search_fields = ("region_code", "key")


@admin.register(TallyDirty)
class TallyDirtyAdmin(ReadOnlyAdmin):
    list_display = ("family", "partition", "marked_at")
    list_filter = ("family",)
