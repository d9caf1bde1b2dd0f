from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.workforce.models import (
    Attendance,
    Certificate,
    Course,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


@admin.register(SocialWorker)
class SocialWorkerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "station", "post", "is_fulltime", "left_on")
    list_filter = ("post", "is_fulltime", "is_community_worker")
    search_fields = ("name", "phone")
    raw_id_fields = ("region", "station", "agency", "user")
    inlines = [CertificateInline]


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ("number", "social_worker", "level", "obtained_on", "method")
    list_filter = ("level", "method", "exam_in_city", "registered_in_city")
    search_fields = ("number", "social_worker__name")
    raw_id_fields = ("social_worker",)
    date_hierarchy = "obtained_on"


@admin.register(RewardPolicy)
class RewardPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "level", "amount", "valid_from", "valid_to")
    list_filter = ("kind", "level")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "region", "status", "paid_on")
    list_filter = ("kind", "status")
    raw_id_fields = ("region", "approved_by")


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("social_worker", "kind", "amount", "month", "batch")
    list_filter = ("kind",)
    search_fields = ("social_worker__name", "certificate__number")
    raw_id_fields = ("batch", "social_worker", "certificate", "policy")


@admin.register(TrainingClass)
class TrainingClassAdmin(SimpleHistoryAdmin):
    list_display = ("name", "tier", "region", "starts_on", "ends_on")
    list_filter = ("tier",)
    search_fields = ("name",)
    raw_id_fields = ("region",)


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("title", "training_class", "mode", "held_on", "hours")
    list_filter = ("mode",)
    search_fields = ("title", "teacher")
    raw_id_fields = ("region", "training_class")


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("social_worker", "course", "hours")
    search_fields = ("social_worker__name", "course__title")
    raw_id_fields = ("course", "social_worker")


@admin.register(Supervisor)
class SupervisorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "organisation", "region")
    list_filter = ("level",)
    search_fields = ("name", "organisation")
    raw_id_fields = ("region", "user")


@admin.register(SupervisionSession)
class SupervisionSessionAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "station", "supervisor", "topic", "hours", "follow_up_done")
    list_filter = ("follow_up_done",)
    search_fields = ("topic",)
    raw_id_fields = ("supervisor", "station", "participants")


@admin.register(TalentEntry)
class TalentEntryAdmin(SimpleHistoryAdmin):
    list_display = ("social_worker", "catalogue", "listed_on", "valid_until")
    list_filter = ("catalogue",)
    raw_id_fields = ("social_worker",)
