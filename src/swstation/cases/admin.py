from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.cases.models import Case, CaseGoal, CaseTransfer


class CaseGoalInline(admin.TabularInline):
    model = CaseGoal
    extra = 0


class CaseTransferInline(admin.TabularInline):
    model = CaseTransfer
    extra = 0
    raw_id_fields = ("from_worker", "to_worker", "from_station", "to_station")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "recipient", "station", "worker", "supervisor", "stage", "opened_on")
    list_filter = ("stage", "closing_reason")
    search_fields = ("number", "recipient__name", "worker__name")
    raw_id_fields = ("recipient", "station", "worker", "supervisor", "closure_approved_by")
    date_hierarchy = "opened_on"
    inlines = [CaseGoalInline, CaseTransferInline]


@admin.register(CaseGoal)
class CaseGoalAdmin(SimpleHistoryAdmin):
    list_display = ("description", "case", "target_date", "achieved")
    list_filter = ("achieved",)
    search_fields = ("description", "case__number")
    raw_id_fields = ("case",)


@admin.register(CaseTransfer)
class CaseTransferAdmin(SimpleHistoryAdmin):
    list_display = ("case", "transferred_on", "from_worker", "to_worker", "to_station")
    search_fields = ("case__number", "reason")
    raw_id_fields = ("case", "from_worker", "to_worker", "from_station", "to_station")
    date_hierarchy = "transferred_on"
