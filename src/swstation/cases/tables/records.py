"""Tables of the assessment, service record and visit schedule lists (and their exports)."""

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.cases.instruments.registry import child_instrument, elderly_instrument
from swstation.cases.models import (
    ChildNeedsAssessment,
    ElderlyAssessment,
    ElderlyAssessmentPolicy,
    ServiceRecord,
    VisitSchedule,
)
from swstation.core.tables import BaseTable

__all__ = [
    "ChildNeedsAssessmentTable",
    "ElderlyAssessmentPolicyTable",
    "ElderlyAssessmentTable",
    "ServiceRecordTable",
    "VisitScheduleTable",
]


def elderly_level_name(record: ElderlyAssessment, level: int | None) -> str:
    if level is None:
        return ""
    try:
        names = elderly_instrument(record.standard).level_names
    except KeyError:
        return str(level)
    return f"{level} {names.get(level, '')}".strip()


def child_risk_name(record: ChildNeedsAssessment, level: int | None) -> str:
    if level is None:
        return ""
    try:
        names = child_instrument(record.instrument).risk_names
    except KeyError:
        return str(level)
    return f"{level} {names.get(level, '')}".strip()


class ElderlyAssessmentTable(BaseTable):
    assessed_on = tables.DateColumn(format="Y-m-d", linkify=True)
    recipient = tables.Column(linkify=True)
    region = tables.Column(
        accessor="recipient__region__name", verbose_name=_("village / community")
    )
    standard = tables.Column()
    total = tables.Column()
    level = tables.Column()
    rule_gap_resolved = tables.BooleanColumn()
    table_ambiguous = tables.BooleanColumn()
    next_due = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = ElderlyAssessment
        fields = (
            "assessed_on",
            "recipient",
            "region",
            "standard",
            "reason",
            "total",
            "level",
            "rule_gap_resolved",
            "table_ambiguous",
            "assessor",
            "second_assessor",
            "next_due",
        )

    def render_standard(self, record: ElderlyAssessment, value: str) -> str:
        return record.standard  # the code ("GB/T 42195-2022"), short enough for a column

    def value_standard(self, record: ElderlyAssessment, value: str) -> str:
        return record.standard

    def render_level(self, record: ElderlyAssessment, value: int) -> str:
        return elderly_level_name(record, value)

    def value_level(self, record: ElderlyAssessment, value: int) -> str:
        return elderly_level_name(record, value)


class ElderlyAssessmentPolicyTable(BaseTable):
    name = tables.Column(linkify=True)
    valid_from = tables.DateColumn(format="Y-m-d")
    valid_to = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = ElderlyAssessmentPolicy
        fields = (
            "name",
            "valid_from",
            "valid_to",
            "default_standard",
            "gbt42195_reassess_months",
            "mzt039_reassess_months",
            "risk_threshold",
            "cumulative",
            "coma_level",
        )


class ChildNeedsAssessmentTable(BaseTable):
    assessed_on = tables.DateColumn(format="Y-m-d", linkify=True)
    recipient = tables.Column(linkify=True)
    region = tables.Column(
        accessor="recipient__region__name", verbose_name=_("village / community")
    )
    risk_level = tables.Column()
    next_due = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = ChildNeedsAssessment
        fields = ("assessed_on", "recipient", "region", "risk_level", "assessor", "next_due")

    def render_risk_level(self, record: ChildNeedsAssessment, value: int) -> str:
        return child_risk_name(record, value)

    def value_risk_level(self, record: ChildNeedsAssessment, value: int) -> str:
        return child_risk_name(record, value)


class ServiceRecordTable(BaseTable):
    served_on = tables.DateColumn(format="Y-m-d", linkify=True)
    recipient = tables.Column(linkify=True)
    region = tables.Column(
        accessor="recipient__region__name", verbose_name=_("village / community")
    )
    case = tables.Column(accessor="case__number", verbose_name=_("case"))
    # In the export only (a list page has no room for them): what the office files need.
    volunteers = tables.Column(visible=False)
    notes = tables.Column(visible=False)
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ServiceRecord
        fields = (
            "served_on",
            "recipient",
            "region",
            "service_type",
            "duration_minutes",
            "worker",
            "station",
            "case",
            "project",
            "place",
        )


class VisitScheduleTable(BaseTable):
    recipient = tables.Column(linkify=True)
    region = tables.Column(
        accessor="recipient__region__name", verbose_name=_("village / community")
    )
    service_type = tables.Column(linkify=True)
    active = tables.BooleanColumn()
    project = tables.Column(linkify=True)
    # Annotated by selectors.visit_schedule_list_with_next_due; shown for running plans only.
    next_due_on = tables.DateColumn(
        format="Y-m-d", verbose_name=_("next visit due"), default="—", empty_values=()
    )

    class Meta(BaseTable.Meta):
        model = VisitSchedule
        fields = (
            "recipient",
            "region",
            "service_type",
            "times_per_month",
            "worker",
            "next_due_on",
            "project",
            "starts_on",
            "ends_on",
            "active",
        )

    def _running_due(self, record: VisitSchedule) -> Any:
        today = timezone.localdate()
        running = (
            record.active
            and record.starts_on <= today
            and (record.ends_on is None or record.ends_on >= today)
        )
        return getattr(record, "next_due_on", None) if running else None

    def render_next_due_on(self, record: VisitSchedule) -> Any:
        due = self._running_due(record)
        if due is None:
            return "—"
        if due < timezone.localdate():
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', due.isoformat(), _("overdue")
            )
        return due.isoformat()

    def value_next_due_on(self, record: VisitSchedule) -> Any:
        return self._running_due(record)
