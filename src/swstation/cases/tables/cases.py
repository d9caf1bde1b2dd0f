"""Tables of the case lists: cases, goals, transfers (and of their .csv/.xlsx exports)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.cases.models import Case, CaseGoal, CaseStage, CaseStageChange, CaseTransfer
from swstation.core.tables import BaseTable

__all__ = [
    "STAGE_BADGES",
    "CaseGoalTable",
    "CaseStageChangeTable",
    "CaseTable",
    "CaseTransferTable",
]

STAGE_BADGES: dict[str, str] = {
    CaseStage.INTAKE: "secondary",
    CaseStage.ASSESSMENT: "info",
    CaseStage.PLANNING: "primary",
    CaseStage.INTERVENTION: "warning",
    CaseStage.EVALUATION: "dark",
    CaseStage.CLOSED: "success",
}


class CaseTable(BaseTable):
    number = tables.Column(linkify=True)
    recipient = tables.Column()
    station = tables.Column()
    worker = tables.Column()
    supervisor = tables.Column()
    stage = tables.Column()
    closure_pending = tables.Column(
        verbose_name=_("closure awaiting approval"),
        accessor="closure_requested_at",
        default="",
        orderable=False,
    )

    class Meta(BaseTable.Meta):
        model = Case
        fields = (
            "number",
            "recipient",
            "station",
            "worker",
            "supervisor",
            "stage",
            "closure_pending",
            "opened_on",
            "closed_on",
            "reopened_count",
        )

    def render_stage(self, value: str, record: Case) -> Any:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STAGE_BADGES.get(record.stage, "secondary"),
            record.get_stage_display(),
        )

    def value_stage(self, value: str, record: Case) -> str:
        return str(record.get_stage_display())

    def _pending(self, record: Case) -> str:
        pending = record.stage == CaseStage.EVALUATION and record.closure_requested_at
        return str(_("yes")) if pending else ""

    def render_closure_pending(self, value: Any, record: Case) -> str:
        return self._pending(record) or "—"

    def value_closure_pending(self, value: Any, record: Case) -> str:
        return self._pending(record)


class CaseGoalTable(BaseTable):
    description = tables.Column(linkify=True)
    case = tables.Column(accessor="case__number", verbose_name=_("case"))
    recipient = tables.Column(accessor="case__recipient__name", verbose_name=_("recipient"))
    achieved = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = CaseGoal
        fields = ("description", "case", "recipient", "target_date", "achieved")

    def render_case(self, value: str, record: CaseGoal) -> Any:
        return format_html('<a href="{}">{}</a>', record.case.get_absolute_url(), value)


class CaseTransferTable(BaseTable):
    case = tables.Column(accessor="case__number", verbose_name=_("case"))
    recipient = tables.Column(accessor="case__recipient__name", verbose_name=_("recipient"))

    class Meta(BaseTable.Meta):
        model = CaseTransfer
        fields = (
            "transferred_on",
            "case",
            "recipient",
            "from_worker",
            "to_worker",
            "from_station",
            "to_station",
            "reason",
        )

    def render_case(self, value: str, record: CaseTransfer) -> Any:
        return format_html('<a href="{}">{}</a>', record.case.get_absolute_url(), value)

    def render_transferred_on(self, value: Any, record: CaseTransfer) -> Any:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("cases:casetransfer", args=[record.pk]),
            value.isoformat(),
        )


class CaseStageChangeTable(BaseTable):
    changed_on = tables.DateColumn(format="Y-m-d", linkify=True)
    case = tables.Column(accessor="case__number", verbose_name=_("case"))
    recipient = tables.Column(accessor="case__recipient__name", verbose_name=_("recipient"))
    from_stage = tables.Column(default="")
    changed_by = tables.Column(default="")

    class Meta(BaseTable.Meta):
        model = CaseStageChange
        fields = (
            "changed_on",
            "case",
            "recipient",
            "from_stage",
            "to_stage",
            "changed_by",
            "reason",
        )

    def render_case(self, value: str, record: CaseStageChange) -> Any:
        return format_html('<a href="{}">{}</a>', record.case.get_absolute_url(), value)

    def render_from_stage(self, value: str, record: CaseStageChange) -> Any:
        return record.get_from_stage_display() if record.from_stage else _("Case opened")

    def value_from_stage(self, value: str, record: CaseStageChange) -> Any:
        return str(self.render_from_stage(value, record))
