"""Pages of the district assessment (市对区县考核; issue 15, spec/station-evaluation.md §6): the
schemes (items, rules and points as data), a year's assessment (the city bureau computes it
from the records as often as it wants, then publishes it, frozen) with every county's points
item by item and the unscored figures, and each county's result. Reads go through
selectors.py, writes through services."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from swstation.core import views as generic
from swstation.core.permissions import acting_role, user_can
from swstation.core.roles import Role
from swstation.core.views.registry import model_pages
from swstation.evaluation import filtersets, forms, selectors, services, tables
from swstation.evaluation.models import (
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictFigure,
    DistrictResult,
    EvaluationRound,
)
from swstation.evaluation.rules import rule_summary
from swstation.evaluation.scoring import GRADE_CODES, grade_label
from swstation.stations.models import FundingSource


def figure_label(code: str) -> str:
    try:
        return str(DistrictFigure(code).label)
    except ValueError:
        return code


# --- schemes -----------------------------------------------------------------------------------

scheme_pages = model_pages(
    DistrictAssessmentScheme,
    prefix="district-schemes/",
    queryset=selectors.district_scheme_list,
    filterset=filtersets.DistrictAssessmentSchemeFilterSet,
    table=tables.DistrictAssessmentSchemeTable,
    form=forms.DistrictAssessmentSchemeForm,
    create=services.district_scheme_create,
    update=services.district_scheme_update,
)


@dataclass(frozen=True)
class SchemeItemRow:
    code: str
    name: str
    figure: str
    points: str
    rule: str


@scheme_pages.register("detail")
class DistrictAssessmentSchemeDetailView(generic.ObjectDetailView):
    """A scheme: each item with the figure it scores, its rule in words and its points."""

    template_name = "evaluation/districtassessmentscheme.html"

    def get_extra_context(self, obj: DistrictAssessmentScheme) -> dict[str, Any]:
        rows = [
            SchemeItemRow(
                str(item.get("code", "")),
                str(item.get("name", "")),
                figure_label(str(item.get("figure", ""))),
                str(item.get("points", "")),
                rule_summary(str(item.get("rule_type", "")), item.get("rule_params", {})),
            )
            for item in obj.items
            if isinstance(item, dict)
        ]
        used = obj.assessments.exists()
        roles = self.permissions_context()
        return {
            "rows": rows,
            "assessments": list(
                selectors.district_assessment_list(actor=self.request.user).filter(scheme=obj)
            ),
            "can_change": roles["can_change"] and not used,
            "can_delete": roles["can_delete"] and not used,
        }


@scheme_pages.register("edit")
class DistrictAssessmentSchemeEditView(generic.ObjectEditView):
    form_class = forms.DistrictAssessmentSchemeForm

    def check_object(self, obj: DistrictAssessmentScheme) -> None:
        if obj.pk and selectors.district_scheme_used(obj):
            raise PermissionDenied(
                _("A published assessment was scored with this scheme: it is a record.")
            )


@scheme_pages.register("delete")
class DistrictAssessmentSchemeDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: DistrictAssessmentScheme) -> None:
        services.district_scheme_delete(actor=self.request.user, scheme=obj)


# --- assessments -------------------------------------------------------------------------------

assessment_pages = model_pages(
    DistrictAssessment,
    prefix="district-assessments/",
    queryset=selectors.district_assessment_list,
    filterset=filtersets.DistrictAssessmentFilterSet,
    table=tables.DistrictAssessmentTable,
    form=forms.DistrictAssessmentForm,
    create=services.district_assessment_create,
    update=services.district_assessment_update,
)


@dataclass(frozen=True)
class ItemCell:
    code: str
    points: str
    value: str
    numerator: str
    denominator: str
    max_points: str
    figure: str
    name: str
    note: str
    full: bool


def _cells(result: DistrictResult) -> list[ItemCell]:
    cells = []
    for row in result.scores:
        points, max_points = row.get("points") or "0", row.get("max_points") or "0"
        try:
            full = Decimal(points) >= Decimal(max_points)
        except InvalidOperation:
            full = False
        cells.append(
            ItemCell(
                code=row.get("code", ""),
                points=points,
                value=row.get("value") if row.get("value") is not None else "—",
                numerator=row.get("numerator") if row.get("numerator") is not None else "—",
                denominator=row.get("denominator") if row.get("denominator") is not None else "—",
                max_points=max_points,
                figure=figure_label(row.get("figure", "")),
                name=row.get("name", ""),
                note=row.get("note", ""),
                full=full,
            )
        )
    return cells


@dataclass(frozen=True)
class GradeCell:
    label: str
    count: int


@dataclass(frozen=True)
class FundsCell:
    label: str
    total: str
    per_station: str


def _other_figures(result: DistrictResult) -> dict[str, Any]:
    """The unscored figures of one county, ready to show."""
    figures = result.figures or {}
    grades = figures.get("grades", {})
    funds = figures.get("funds", {})
    newly, before = figures.get("newly_certified", 0), figures.get("newly_certified_previous", 0)
    growth = (Decimal(newly - before) * 100 / before).quantize(Decimal("0.1")) if before else None
    return {
        "stations_evaluated": figures.get("stations_evaluated", 0),
        "stations_operating": figures.get("stations_operating", 0),
        "grades": [GradeCell(str(grade_label(code)), grades.get(code, 0)) for code in GRADE_CODES],
        "funds": [
            FundsCell(
                str(label),
                funds.get(tier, {}).get("total") or "0.00",
                funds.get(tier, {}).get("per_station") or "—",
            )
            for tier, label in FundingSource.choices
        ],
        "newly_certified": newly,
        "newly_certified_previous": before,
        "growth": growth,
        "population_year": figures.get("population_year"),
    }


@assessment_pages.register("detail")
class DistrictAssessmentDetailView(generic.ObjectDetailView):
    """A year's assessment: the city bureau's buttons (compute while a draft, publish), each
    county's points item by item, ranked, and the unscored figures beside them (spec §6)."""

    template_name = "evaluation/districtassessment.html"

    def get_extra_context(self, obj: DistrictAssessment) -> dict[str, Any]:
        user = self.request.user
        table = selectors.district_assessment_table(actor=user, assessment=obj)
        for result in table.results:
            result.cells = _cells(result)  # type: ignore[attr-defined]
            result.other = _other_figures(result)  # type: ignore[attr-defined]
        draft = not obj.is_published
        city = acting_role(user) == Role.CITY_ADMIN
        roles = self.permissions_context()
        return {
            "table": table,
            "items": table.items,
            "results": table.results,
            "scheme_url": obj.scheme.get_absolute_url(),
            "round_url": _round_url(user, obj),
            "can_compute": city and draft,
            "can_publish": city and draft and obj.computed_at is not None,
            "can_change": roles["can_change"] and draft,
            "can_delete": roles["can_delete"] and draft,
            "tiers": [str(label) for _value, label in FundingSource.choices],
            "grade_labels": [str(grade_label(code)) for code in GRADE_CODES],
        }


def _round_url(user: Any, assessment: DistrictAssessment) -> str:
    chosen = assessment.evaluation_round
    if chosen is None or not user_can(user, "view", EvaluationRound):
        return ""
    return chosen.get_absolute_url()


def _refuse_unless_draft(assessment: DistrictAssessment) -> None:
    if assessment.is_published:
        raise PermissionDenied(_("The assessment is published: it is frozen for ever."))


@assessment_pages.register("edit")
class DistrictAssessmentEditView(generic.ObjectEditView):
    form_class = forms.DistrictAssessmentForm

    def check_object(self, obj: DistrictAssessment) -> None:
        if obj.pk:
            _refuse_unless_draft(obj)


@assessment_pages.register("delete")
class DistrictAssessmentDeleteView(generic.ObjectDeleteView):
    def check_object(self, obj: DistrictAssessment) -> None:
        _refuse_unless_draft(obj)

    def delete_object(self, obj: DistrictAssessment) -> None:
        services.district_assessment_delete(actor=self.request.user, assessment=obj)


@assessment_pages.register("compute", route="<int:pk>/compute/")
class DistrictAssessmentComputeView(generic.TransitionView):
    form_class = forms.NoDataForm

    def perform(self, assessment: DistrictAssessment, data: dict[str, Any]) -> str:
        services.district_assessment_compute(actor=self.request.user, assessment=assessment)
        return _("Computed from the records as of %(day)s.") % {
            "day": assessment.snapshot_date.isoformat()
        }


@assessment_pages.register("publish", route="<int:pk>/publish/")
class DistrictAssessmentPublishView(generic.TransitionView):
    form_class = forms.NoDataForm

    def perform(self, assessment: DistrictAssessment, data: dict[str, Any]) -> str:
        services.district_assessment_publish(actor=self.request.user, assessment=assessment)
        return _("Published: the assessment is frozen.")


# --- each county's result ----------------------------------------------------------------------

result_pages = model_pages(
    DistrictResult,
    prefix="district-results/",
    queryset=selectors.district_result_list,
    filterset=filtersets.DistrictResultFilterSet,
    table=tables.DistrictResultTable,
    actions=("list", "detail", "history"),
)


@result_pages.register("detail")
class DistrictResultDetailView(generic.ObjectDetailView):
    """One county's result: each item's figure, value, numerator and denominator, points and
    note, and the unscored figures (fits a phone)."""

    template_name = "evaluation/districtresult.html"

    def get_extra_context(self, obj: DistrictResult) -> dict[str, Any]:
        return {
            "cells": _cells(obj),
            "other": _other_figures(obj),
            "counties": selectors.district_result_list(actor=self.request.user)
            .filter(assessment=obj.assessment_id)
            .count(),
        }
