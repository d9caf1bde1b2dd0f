"""Tables of the case lists: cases, goals, transfers (and of their .csv/.xlsx exports)."""

from datetime import date
from typing import Any

import django_tables2 as tables
from django.db.models import Case as Choose
from django.db.models import IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
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


def _dated(record: Case) -> bool:
    """Whether ``record`` comes from the case list as of a day."""
    return getattr(record, "as_of_day", None) is not None


class CaseTable(BaseTable):
    number = tables.Column(linkify=True)
    recipient = tables.Column()
    station = tables.Column()
    worker = tables.Column()
    supervisor = tables.Column()
    stage = tables.Column()
    # Rendered even when empty today: as of a past day a case reopened since was closed then.
    closed_on = tables.DateColumn(empty_values=())
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

    # With the list's ``as_of`` (a day: filtersets/cases.py), a case is shown as it was that
    # day: its stage then (``stage_on``), its station then (``station_name_then``), its
    # closure then (``closed_on_then``), the times reopened by then (``reopened_count_then``)
    # and a closure awaiting approval only if it was requested by then and the case was still
    # in evaluation. Sorting follows what is shown.

    @staticmethod
    def _ordered(queryset: Any, is_descending: bool, then: str, today: str) -> tuple[Any, bool]:
        """Sort on the value as of the list's day when it has one (an annotation), else on the
        field: a past list sorts by the stages and closures it shows."""
        field = then if then in queryset.query.annotations else today
        return queryset.order_by(f"-{field}" if is_descending else field, "pk"), True

    def order_stage(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        """In the stages' order (intake … closed), not their codes' alphabetical one."""
        field = "stage_on" if "stage_on" in queryset.query.annotations else "stage"
        rank = Choose(
            *[When(**{field: value}, then=Value(i)) for i, value in enumerate(CaseStage.values)],
            output_field=IntegerField(),
        )
        return queryset.order_by(rank.desc() if is_descending else rank.asc(), "pk"), True

    def order_closed_on(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        return self._ordered(queryset, is_descending, "closed_on_then", "closed_on")

    def order_reopened_count(self, queryset: Any, is_descending: bool) -> tuple[Any, bool]:
        return self._ordered(queryset, is_descending, "reopened_count_then", "reopened_count")

    @staticmethod
    def _reopened(record: Case) -> int:
        then: int | None = getattr(record, "reopened_count_then", None)
        return record.reopened_count if then is None else then

    def render_reopened_count(self, value: Any, record: Case) -> int:
        return self._reopened(record)

    def value_reopened_count(self, value: Any, record: Case) -> int:
        return self._reopened(record)

    @staticmethod
    def _stage(record: Case) -> str:
        stage: str = getattr(record, "stage_on", None) or record.stage
        return stage

    def _stage_label(self, record: Case) -> str:
        return str(CaseStage(self._stage(record)).label)

    def render_stage(self, value: str, record: Case) -> Any:
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            STAGE_BADGES.get(self._stage(record), "secondary"),
            self._stage_label(record),
        )

    def value_stage(self, value: str, record: Case) -> str:
        return self._stage_label(record)

    @staticmethod
    def _closed_on(record: Case) -> date | None:
        closed: date | None = (
            getattr(record, "closed_on_then", None) if _dated(record) else record.closed_on
        )
        return closed

    def render_station(self, value: Any, record: Case) -> str:
        return str(getattr(record, "station_name_then", None) or value)

    def value_station(self, value: Any, record: Case) -> str:
        return self.render_station(value, record)

    def render_closed_on(self, value: Any, record: Case) -> str:
        closed = self._closed_on(record)
        return date_format(closed, "SHORT_DATE_FORMAT") if closed else "—"

    def value_closed_on(self, value: Any, record: Case) -> Any:
        return self._closed_on(record) or ""

    def _pending(self, record: Case) -> str:
        requested = record.closure_requested_at
        pending = self._stage(record) == CaseStage.EVALUATION and requested
        if pending and _dated(record):
            pending = timezone.localdate(requested) <= record.as_of_day  # type: ignore[attr-defined]
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
