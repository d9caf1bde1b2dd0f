from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.linkage.models import Partner, Referral, Resource


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "department", "region", "station", "active")
    list_filter = ("kind", "department", "active")
    search_fields = ("name", "contact_name")
    raw_id_fields = ("region", "station", "agency", "serves")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "partner", "capacity", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("title", "partner__name")
    raw_id_fields = ("partner",)


@admin.register(Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ("recipient", "partner", "service", "status", "sent_on", "answer_due_on")
    list_filter = ("status", "outcome")
    search_fields = ("partner__name", "service")
    raw_id_fields = ("recipient", "case", "station", "worker", "partner", "resource")
    date_hierarchy = "sent_on"
