from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.recipients.models import DuplicateReview


@admin.register(DuplicateReview)
class DuplicateReviewAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "created_at", "recipient", "match", "region", "status", "decided_by")
    list_filter = ("status",)
    search_fields = ("recipient__name", "match__name")
    raw_id_fields = ("region", "recipient", "match", "kept", "reported_by", "decided_by")
    date_hierarchy = "created_at"
