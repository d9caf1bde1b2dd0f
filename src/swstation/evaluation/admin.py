from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.evaluation.models import (
    Dimension,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationRound,
    Evaluator,
    Indicator,
    IndicatorSet,
    RectificationItem,
    StationEvaluation,
)


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


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "indicator_set", "period_start", "snapshot_date", "status")
    list_filter = ("kind", "status")
    search_fields = ("name",)


@admin.register(StationEvaluation)
class StationEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("station", "round", "status", "evaluator", "total_score", "grade")
    list_filter = ("round", "status", "grade")
    search_fields = ("station__name",)
    raw_id_fields = ("station", "evaluator")
    # The flow's steps and scores are written by the services only (services/rounds.py).
    readonly_fields = ("veto", "veto_reason", "site_visit_on", "site_findings")


@admin.register(RectificationItem)
class RectificationItemAdmin(SimpleHistoryAdmin):
    list_display = ("evaluation", "indicator", "status", "due_on", "closed_on_time")
    list_filter = ("status",)
    raw_id_fields = ("evaluation", "indicator")


@admin.register(Evaluator)
class EvaluatorAdmin(SimpleHistoryAdmin):
    list_display = ("user", "agency", "qualification")
    raw_id_fields = ("user", "agency")


@admin.register(DistrictAssessmentScheme)
class DistrictAssessmentSchemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "year")
    search_fields = ("name",)


@admin.register(DistrictAssessment)
class DistrictAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("year", "snapshot_date", "status", "scheme", "published_on")
    list_filter = ("status",)
    # Computed and published by the services only (services/district.py): a published
    # assessment is frozen.
    readonly_fields = ("evaluation_round", "snapshot_date", "year")


@admin.register(DistrictResult)
class DistrictResultAdmin(SimpleHistoryAdmin):
    list_display = ("assessment", "region", "total_score", "rank")
    list_filter = ("assessment",)
