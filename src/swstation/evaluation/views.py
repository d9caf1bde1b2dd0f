"""Pages of the indicator sets (issue 15): the versions, a version's page with its tree
(dimension → indicators with points, rule, evidence, automatic or by hand) and the city
bureau's buttons "copy as a new version" and "publish"; the dimensions and indicators of a
draft.

Then the rounds (spec §3, §4): a round's page (the city bureau opens it, computes the automatic
scores, approves a batch, closes it; the stations at each step; the ranking once final), each
station's evaluation as its scorecard with the buttons of the user's step, the rectification
items (answered by the station, verified by the district) and the evaluators' profiles.
Reads go through selectors.py, writes through services.py."""

import json
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from swstation.core import views as generic
from swstation.core.export import export_filename, xlsx_response
from swstation.core.history import history_entries
from swstation.core.masking import user_sees_personal_data
from swstation.core.permissions import Action, acting_role, user_can
from swstation.core.roles import Role
from swstation.core.views.generic import ModelPermissionMixin, labelled_errors
from swstation.core.views.registry import model_pages
from swstation.evaluation import filtersets, forms, reports, selectors, services, tables
from swstation.evaluation.models import (
    Complaint,
    Dimension,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    Indicator,
    IndicatorScore,
    IndicatorSet,
    Questionnaire,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    RoundStatus,
    RuleType,
    SetStatus,
    StakeholderRating,
    Star,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
    Veto,
)
from swstation.evaluation.models.surveys import stratum_label
from swstation.evaluation.rules import rule_summary
from swstation.evaluation.services.rounds import entries_close_at
from swstation.evaluation.tables import grade_text
from swstation.stations.models import Station

# --- versions --------------------------------------------------------------------------------

indicator_set_pages = model_pages(
    IndicatorSet,
    prefix="",  # /evaluation/, /evaluation/<pk>/, /evaluation/add/ ...
    queryset=selectors.indicator_set_list,
    filterset=filtersets.IndicatorSetFilterSet,
    table=tables.IndicatorSetTable,
    form=forms.IndicatorSetForm,
    create=services.indicator_set_create,
    update=services.indicator_set_update,
)


@indicator_set_pages.register("detail")
class IndicatorSetDetailView(generic.ObjectDetailView):
    template_name = "evaluation/indicatorset.html"

    def get_extra_context(self, obj: IndicatorSet) -> dict[str, Any]:
        user = self.request.user
        actions = selectors.indicator_set_actions(actor=user, indicator_set=obj)
        roles = self.permissions_context()
        draft = obj.status == SetStatus.DRAFT
        return {
            "tree": selectors.indicator_set_tree(obj),
            "actions": actions,
            "publish_errors": services.indicator_set_publish_errors(obj) if actions.publish else [],
            "can_add_dimension": actions.edit_tree and user_can(user, "add", Dimension),
            "can_add_indicator": actions.edit_tree and user_can(user, "add", Indicator),
            # A published version is a record: never edited nor deleted.
            "can_change": roles["can_change"] and draft,
            "can_delete": roles["can_delete"] and draft,
        }


@indicator_set_pages.register("delete")
class IndicatorSetDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: IndicatorSet) -> None:
        services.indicator_set_delete(actor=self.request.user, indicator_set=obj)


class _SetActionView(ModelPermissionMixin, View):
    """A POST button of a version's page: the service, then back to a version's page with the
    outcome as a message (done, or why not)."""

    action: ClassVar[Action] = "change"
    http_method_names = ["post"]

    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator_set = self.get_object(pk=pk)
        try:
            shown, message = self.perform(indicator_set)
        except ValidationError as exc:  # StateConflict included: published meanwhile
            for line in exc.messages:
                messages.error(request, line)
            return HttpResponseRedirect(indicator_set.get_absolute_url())
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(indicator_set.get_absolute_url())
        messages.success(request, message)
        return HttpResponseRedirect(shown.get_absolute_url())


@indicator_set_pages.register("copy", route="<int:pk>/copy/")
class IndicatorSetCopyView(_SetActionView):
    action = "add"

    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        copy = services.indicator_set_copy(actor=self.request.user, source=indicator_set)
        return copy, _("Copied as %(copy)s, a draft to edit and publish.") % {"copy": copy}


@indicator_set_pages.register("publish", route="<int:pk>/publish/")
class IndicatorSetPublishView(_SetActionView):
    def perform(self, indicator_set: IndicatorSet) -> tuple[IndicatorSet, str]:
        published = services.indicator_set_publish(
            actor=self.request.user, indicator_set=indicator_set
        )
        return published, _("%(set)s is published: it will not change any more.") % {
            "set": published
        }


# --- dimensions and indicators of a draft ------------------------------------------------------


def _frozen_context(view: ModelPermissionMixin, draft: bool) -> dict[str, bool]:
    """The detail page of a published version's part offers no Edit nor Delete."""
    roles = view.permissions_context()
    return {
        "can_change": roles["can_change"] and draft,
        "can_delete": roles["can_delete"] and draft,
    }


dimension_pages = model_pages(
    Dimension,
    prefix="dimensions/",
    queryset=selectors.dimension_list,
    filterset=filtersets.DimensionFilterSet,
    table=tables.DimensionTable,
    form=forms.DimensionForm,
    create=services.dimension_create,
    update=services.dimension_update,
)


@dimension_pages.register("detail")
class DimensionDetailView(generic.ObjectDetailView):
    template_name = "core/object_detail.html"

    def get_extra_context(self, obj: Dimension) -> dict[str, Any]:
        return _frozen_context(self, obj.indicator_set.status == SetStatus.DRAFT)


@dimension_pages.register("delete")
class DimensionDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Dimension) -> None:
        services.dimension_delete(actor=self.request.user, dimension=obj)


indicator_pages = model_pages(
    Indicator,
    prefix="indicators/",
    queryset=selectors.indicator_list,
    filterset=filtersets.IndicatorFilterSet,
    table=tables.IndicatorTable,
    form=forms.IndicatorForm,
    create=services.indicator_create,
    update=services.indicator_update,
)


@indicator_pages.register("detail")
class IndicatorDetailView(generic.ObjectDetailView):
    template_name = "evaluation/indicator.html"

    def get_extra_context(self, obj: Indicator) -> dict[str, Any]:
        return {
            "rule": rule_summary(obj.rule_type, obj.rule_params),
            "rule_params": json.dumps(obj.rule_params, ensure_ascii=False, indent=1),
            **_frozen_context(self, obj.dimension.indicator_set.status == SetStatus.DRAFT),
        }


@indicator_pages.register("delete")
class IndicatorDeleteView(generic.ObjectDeleteView):
    def delete_object(self, obj: Indicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=obj)


# --- rounds (issue 15; spec §3, §4) ------------------------------------------------------------


round_pages = model_pages(
    EvaluationRound,
    prefix="rounds/",
    queryset=selectors.round_list,
    filterset=filtersets.EvaluationRoundFilterSet,
    table=tables.EvaluationRoundTable,
    form=forms.EvaluationRoundForm,
    create=services.round_create,
    update=services.round_update,
)


def _refuse_unless_draft(round_: EvaluationRound) -> None:
    if round_.status != RoundStatus.DRAFT:
        raise PermissionDenied(
            _("The round is under way: its version, period and dates are fixed.")
        )


@round_pages.register("detail")
class EvaluationRoundDetailView(generic.ObjectDetailView):
    """The round: its data, the city bureau's buttons (open, compute the automatic scores,
    approve every station waiting for the city, close), how many stations are at each step
    (each count opens the filtered list) and, once results are final, the ranking."""

    template_name = "evaluation/evaluationround.html"

    def get_extra_context(self, obj: EvaluationRound) -> dict[str, Any]:
        user = self.request.user
        city = acting_role(user) == Role.CITY_ADMIN
        progress = selectors.round_progress(actor=user, round=obj)
        counts = {status: count for status, _label, count in progress}
        under_way = obj.status == RoundStatus.OPEN
        entries_close = entries_close_at(obj)
        results = list(
            selectors.evaluation_list(actor=user)
            .filter(round=obj, status=EvaluationStatus.FINAL)
            .select_related("station__region__parent")
            .order_by("-total_score", "station__name")
        )
        ranks = selectors.evaluation_ranks(round=obj) if results else {}
        stars = obj.kind == RoundKind.STAR
        for evaluation in results:
            evaluation.district_rank, evaluation.city_rank = ranks.get(  # type: ignore[attr-defined]
                evaluation.pk, (None, None)
            )
            evaluation.grade_name = grade_text(evaluation.shown_grade)  # type: ignore[attr-defined]
            if stars:
                evaluation.star_name = _star_context(evaluation)["star_name"]  # type: ignore[attr-defined]
        if stars:  # ranked on the total with the bonus (spec §3)
            results.sort(key=lambda e: (e.city_rank or 0, e.station.name))  # type: ignore[attr-defined]
        to_compute = counts.get(EvaluationStatus.OPEN, 0)
        computed = counts.get(EvaluationStatus.SELF_ASSESSMENT, 0)
        # The whole round is computed again only while no station has gone on to the
        # evaluator (the task computes every station; a later one is frozen).
        moved_on = sum(counts.values()) - to_compute - computed
        draft = obj.status == RoundStatus.DRAFT
        roles = self.permissions_context()
        return {
            "progress": progress,
            "station_total": sum(counts.values()),
            "results": results,
            "distribution": (
                reports.grade_shares(getattr(e, "shown_grade", None) for e in results)
                if results
                else []
            ),
            "stars": stars,
            "star_distribution": (
                reports.star_counts(getattr(e, "shown_star", None) for e in results).shares
                if stars
                else []
            ),
            "entries_close": timezone.localtime(entries_close),
            "entries_open": timezone.now() <= entries_close,
            "can_open": city and draft,
            "computing": obj.computing_since is not None,
            "can_compute": city and under_way and not moved_on and (to_compute or computed),
            "recomputing": computed > 0,
            "to_compute": to_compute,
            "awaiting_approval": counts.get(EvaluationStatus.CITY_APPROVAL, 0),
            "can_approve_all": city and counts.get(EvaluationStatus.CITY_APPROVAL, 0) > 0,
            "can_close": city and under_way,
            "set_url": obj.indicator_set.get_absolute_url()
            if user_can(user, "view", IndicatorSet)
            else "",
            "can_change": roles["can_change"] and draft,
            "can_delete": roles["can_delete"] and draft,
        }


@round_pages.register("edit")
class EvaluationRoundEditView(generic.ObjectEditView):
    form_class = forms.EvaluationRoundForm

    def check_object(self, obj: EvaluationRound) -> None:
        _refuse_unless_draft(obj)


@round_pages.register("delete")
class EvaluationRoundDeleteView(generic.ObjectDeleteView):
    def check_object(self, obj: EvaluationRound) -> None:
        _refuse_unless_draft(obj)

    def delete_object(self, obj: EvaluationRound) -> None:
        services.round_delete(actor=self.request.user, round=obj)


@round_pages.register("open", route="<int:pk>/open/")
class EvaluationRoundOpenView(generic.TransitionView):
    form_class = forms.NoDataForm

    def perform(self, round_: EvaluationRound, data: dict[str, Any]) -> str:
        services.round_open(actor=self.request.user, round=round_)
        count = selectors.evaluation_list(actor=self.request.user).filter(round=round_).count()
        return _("The round is open for %(count)s stations.") % {"count": count}


@round_pages.register("compute", route="<int:pk>/compute/")
class EvaluationRoundComputeView(generic.TransitionView):
    """Ask for the automatic scores of the whole round: one background task (issue 15,
    "Performance"); again, with a reason, while every station still assesses itself (spec §4:
    the city may recompute, with a reason; a single station later from its scorecard)."""

    form_class = forms.ReasonForm

    def perform(self, round_: EvaluationRound, data: dict[str, Any]) -> str:
        services.evaluation_compute_request(
            actor=self.request.user, round=round_, reason=data.get("reason") or ""
        )
        return _("The automatic scores are being computed: reload this page in a moment.")


@round_pages.register("close", route="<int:pk>/close/")
class EvaluationRoundCloseView(generic.TransitionView):
    form_class = forms.NoDataForm

    def perform(self, round_: EvaluationRound, data: dict[str, Any]) -> str:
        services.round_close(actor=self.request.user, round=round_)
        return _("The round is closed.")


@round_pages.register("approve_all", route="<int:pk>/approve-all/")
class EvaluationRoundApproveAllView(generic.TransitionView):
    """The city approves, as one batch, every station of the round waiting for it: each
    result is published with its objection window."""

    form_class = forms.NoDataForm

    def perform(self, round_: EvaluationRound, data: dict[str, Any]) -> str:
        waiting = list(
            selectors.evaluation_list(actor=self.request.user)
            .filter(round=round_, status=EvaluationStatus.CITY_APPROVAL)
            .order_by("pk")
        )
        if not waiting:
            raise ValidationError(_("No station is waiting for the city's approval."))
        published = services.city_approve(actor=self.request.user, evaluations=waiting)
        return _("%(count)s results approved and published for objections.") % {
            "count": len(published)
        }


# --- station evaluations: the scorecard and the steps of the flow ------------------------------

evaluation_pages = model_pages(
    StationEvaluation,
    prefix="evaluations/",
    queryset=selectors.evaluation_list,
    filterset=filtersets.StationEvaluationFilterSet,
    table=tables.StationEvaluationTable,
    actions=("list", "detail", "history"),
)


@dataclass(frozen=True)
class EvaluationActions:
    """What the user may do with the evaluation now, by role and step (spec §4's table); the
    page offers only these, and the services refuse anything else all the same."""

    self_score: bool = False
    evidence_add: bool = False
    evidence_delete: bool = False
    score: bool = False
    comment: bool = False
    review: bool = False
    add_rectification: bool = False
    assign: bool = False
    approve: bool = False
    decide: bool = False
    object: bool = False
    recompute: bool = False

    @property
    def any_step(self) -> bool:
        return any(
            (
                self.self_score,
                self.score,
                self.review,
                self.add_rectification,
                self.assign,
                self.approve,
                self.decide,
                self.object,
                self.recompute,
            )
        )


def evaluation_actions(user: Any, evaluation: StationEvaluation) -> EvaluationActions:
    role, status = acting_role(user), evaluation.status
    S = EvaluationStatus
    staff = role in (Role.STATION_MANAGER, Role.SOCIAL_WORKER)
    manager = role == Role.STATION_MANAGER
    assigned = role == Role.EVALUATOR and evaluation.evaluator_id == getattr(user, "pk", None)
    district = role == Role.DISTRICT_OFFICER
    city = role == Role.CITY_ADMIN
    objection_open = evaluation.objection_until is None or (
        timezone.localdate() <= evaluation.objection_until
    )
    return EvaluationActions(
        self_score=manager and status == S.SELF_ASSESSMENT,
        evidence_add=staff and status in (S.SELF_ASSESSMENT, S.SCORING),
        evidence_delete=staff and status == S.SELF_ASSESSMENT,
        score=assigned and status == S.SCORING,
        comment=district and status == S.DISTRICT_REVIEW,
        review=district and status == S.DISTRICT_REVIEW,
        add_rectification=(assigned and status == S.SCORING)
        or (district and status == S.DISTRICT_REVIEW),
        assign=city and not evaluation.result_is_out,
        approve=city and status == S.CITY_APPROVAL,
        decide=city and status == S.OBJECTION,
        object=manager and status == S.PUBLISHED and objection_open,
        recompute=city
        and evaluation.round.status == RoundStatus.OPEN
        and status in (S.OPEN, S.SELF_ASSESSMENT),
    )


# The keys of an event's details (services.rounds._event), as a person reads them.
EVENT_DETAIL_LABELS: dict[str, Any] = {
    "snapshot_date": gettext_lazy("snapshot date"),
    "entered_by": gettext_lazy("records entered by"),
    "indicator_set": gettext_lazy("indicator set"),
    "evaluator": gettext_lazy("evaluator"),
    "previous": gettext_lazy("previous evaluator"),
    "self_score": gettext_lazy("self-score"),
    "self_total": gettext_lazy("self-assessed total"),
    "old": gettext_lazy("score before"),
    "new": gettext_lazy("score after"),
    "auto": gettext_lazy("automatic score"),
    "total": gettext_lazy("total score"),
    "grade": gettext_lazy("evaluation grade"),
    "bonus": gettext_lazy("bonus score"),
    "star": gettext_lazy("star rating"),
    "frm": gettext_lazy("from the step"),
    "to": gettext_lazy("to the step"),
    "revision": gettext_lazy("revision"),
    "upheld": gettext_lazy("objection upheld"),
    "veto": gettext_lazy("veto"),
}


def _detail_value(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key in ("frm", "to") and value in EvaluationStatus.values:
        return str(EvaluationStatus(value).label)
    if key == "grade":
        return grade_text(value) or str(value)
    if key == "star":
        return str(Star(value).label) if value in Star.values else str(value)
    if key == "veto":
        return str(Veto(value).label) if value in Veto.values else str(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if key == "entered_by":
        return str(value)[:16]
    return str(value)


def event_details(event: EvaluationEvent) -> list[tuple[str, str]]:
    """An event's details as (label, value) lines, in a fixed order."""
    data = event.data if isinstance(event.data, dict) else {}
    return [
        (str(label), _detail_value(key, data[key]))
        for key, label in EVENT_DETAIL_LABELS.items()
        if key in data
    ]


EVENTS_SHOWN = 200

# The steps of the history that tell the evaluator's scores or the district's review: shown
# only to those who may read them (score_visibility), as the scorecard's columns are.
SCORING_EVENTS = (
    EventKind.SCORED,
    EventKind.OVERRIDDEN,
    EventKind.VETOED,
    EventKind.SCORING_SUBMITTED,
    EventKind.RETURNED,
)
REVIEW_EVENTS = (EventKind.COMMENTED,)


def _star_context(obj: StationEvaluation) -> dict[str, Any]:
    """A star round's total with the bonus and its star, as the user is shown them."""
    total, bonus = getattr(obj, "shown_total", None), getattr(obj, "shown_bonus", None)
    star = getattr(obj, "shown_star", None)
    return {
        "total_with_bonus": None if total is None else total + (bonus or 0),
        "star_name": str(Star(star).label) if star in Star.values else "",
        "star_icons": range(star or 0),
    }


def scorecard_context(request: HttpRequest, obj: StationEvaluation) -> dict[str, Any]:
    """The scorecard page's context in a fixed number of queries, whatever the number of
    indicators (issue 15, "Performance")."""
    user = request.user
    visibility = selectors.score_visibility(actor=user, evaluation=obj)
    rows = selectors.scorecard(evaluation=obj)
    indicators = []
    self_scored = scored = 0
    for row in rows:
        for score in row.scores:
            indicator = score.indicator
            score.rule_text = rule_summary(indicator.rule_type, indicator.rule_params)  # type: ignore[attr-defined]
            score.step = "0.5" if indicator.rule_type == RuleType.MANUAL else "0.01"  # type: ignore[attr-defined]
            indicators.append(indicator)
            self_scored += score.self_score is not None
            scored += score.final_score is not None
    can = evaluation_actions(user, obj)
    sees_results = visibility.evaluator_scores
    hidden: list[str] = []
    if not sees_results:
        hidden += SCORING_EVENTS
    if not visibility.district_comments:
        hidden += REVIEW_EVENTS
    events = list(
        obj.events.exclude(kind__in=hidden)
        .select_related("actor", "indicator")
        .order_by("-created_at", "-pk")[:EVENTS_SHOWN]
    )
    for event in events:
        event.details = event_details(event)  # type: ignore[attr-defined]
    out = obj.result_is_out
    revisions = list(obj.revisions.select_related("approved_by")) if out or sees_results else []
    for revision in revisions:
        revision.grade_name = grade_text(revision.grade)  # type: ignore[attr-defined]
    final = obj.status == EvaluationStatus.FINAL
    rank = selectors.evaluation_ranks(round=obj.round).get(obj.pk) if final else None
    return {
        "visibility": visibility,
        "rows": rows,
        "indicator_count": len(indicators),
        "self_scored": self_scored,
        "scored": scored,
        "can": can,
        "events": events,
        "events_cut": len(events) == EVENTS_SHOWN,
        "revisions": revisions,
        "revisions_count": len(revisions),
        "rectifications": list(obj.rectifications.select_related("indicator"))
        if sees_results
        else [],
        "rank": rank,
        "grade_name": grade_text(getattr(obj, "shown_grade", None)) if sees_results else "",
        **(_star_context(obj) if sees_results else {}),
        "station_url": obj.station.get_absolute_url() if user_can(user, "view", Station) else "",
        "entries_close": entries_close_at(obj.round),
        "assign_form": forms.AssignForm(
            user=user, initial={"evaluator": obj.evaluator_id}, auto_id="assign-%s"
        )
        if can.assign
        else None,
        "decide_form": forms.ObjectionDecideForm(
            user=user, exclude=obj.evaluator_id, auto_id="decide-%s"
        )
        if can.decide
        else None,
        "veto_form": forms.VetoForm(
            initial={"veto": obj.veto, "veto_reason": obj.veto_reason}, auto_id="veto-%s"
        )
        if can.score
        else None,
        "submit_form": forms.ScoringSubmitForm(
            initial={"site_visit_on": obj.site_visit_on, "site_findings": obj.site_findings},
            auto_id="submit-%s",
        )
        if can.score
        else None,
        "return_form": forms.ReturnForm(auto_id="return-%s") if can.review else None,
        "city_return_form": forms.CityReturnForm(auto_id="city-return-%s") if can.approve else None,
        "rectification_form": forms.RectificationAddForm(
            indicators=indicators, auto_id="rectification-%s"
        )
        if can.add_rectification
        else None,
        "objection_form": forms.ObjectionForm(auto_id="objection-%s") if can.object else None,
        # The record's history tells the scores as they changed: only to those who read them.
        "can_history": user_can(user, "history", StationEvaluation) and sees_results,
    }


@evaluation_pages.register("detail")
class StationEvaluationDetailView(generic.ObjectDetailView):
    """The scorecard: the evaluation's header, each dimension with its indicators (the rule,
    the measured value and automatic score, the self-score, the evaluator's score and the
    district's comment, as far as the user may read them), the evidence files, the buttons of
    the user's step, the rectification items, the published results and the history."""

    template_name = "evaluation/stationevaluation.html"

    def get_extra_context(self, obj: StationEvaluation) -> dict[str, Any]:
        return scorecard_context(self.request, obj)


@evaluation_pages.register("history")
class StationEvaluationHistoryView(generic.ObjectHistoryView):
    """The record's history tells every score and total as it changed: a station reads it once
    its result is out, as it reads the scorecard (spec §4)."""

    def check_object(self, obj: StationEvaluation) -> None:
        if not selectors.score_visibility(actor=self.request.user, evaluation=obj).evaluator_scores:
            raise PermissionDenied(_("The history of the scores is shown once the result is out."))


class _EvaluationStep(generic.TransitionView):
    """A button of the scorecard: the service, then back to the scorecard at the indicator or
    the part acted on, with the outcome as a message (done, or why not, naming the field)."""

    field_labels: ClassVar[dict[str, Any]] = {
        "self_score": gettext_lazy("self-score"),
        "evaluator_score": gettext_lazy("evaluator's score"),
        "override_reason": gettext_lazy("why the automatic score is overridden"),
        "finding": gettext_lazy("evaluator's finding"),
        "site_visit_on": gettext_lazy("site visit on"),
        "veto_reason": gettext_lazy("why the veto"),
        "evaluator": gettext_lazy("evaluator"),
        "comment": gettext_lazy("comment"),
        "reason": gettext_lazy("reason"),
        "objection": gettext_lazy("objection"),
        "stations": gettext_lazy("stations"),
        "file": gettext_lazy("file"),
        "title": gettext_lazy("title"),
        "indicator": gettext_lazy("indicator"),
    }
    anchor = ""

    def get_form(self, obj: Any) -> Any:
        return self.form_class(self.request.POST, self.request.FILES)

    def back_to(self, obj: Any) -> str:
        return obj.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        form = self.get_form(obj)
        if not form.is_valid():
            for name, errors in form.errors.items():
                field = form.fields.get(name)
                label = f"{field.label}: " if field is not None and field.label else ""
                messages.error(request, f"{label}{' '.join(str(e) for e in errors)}")
            return HttpResponseRedirect(self.back_to(obj))
        try:
            message = self.perform(obj, form.cleaned_data)
        except ValidationError as exc:  # StateConflict included
            labels = {"status": _("status"), **self.field_labels}
            messages.error(request, " ".join(labelled_errors(exc, form, labels)))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.back_to(obj))

    def score_of(self, evaluation: StationEvaluation, pk: Any) -> IndicatorScore:
        """The evaluation's score row ``pk`` (the form's), its evaluation the one locked."""
        score = evaluation.scores.select_related("indicator__dimension").filter(pk=pk).first()
        if score is None:
            raise ValidationError({"indicator": _("No such indicator in this evaluation.")})
        score.evaluation = evaluation
        self.anchor = f"indicator-{score.indicator.code}"
        return score


@evaluation_pages.register("self_score", route="<int:pk>/self-score/")
class SelfScoreView(_EvaluationStep):
    form_class = forms.SelfScoreForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        score = self.score_of(obj, data["score"])
        services.self_score_set(
            actor=self.request.user,
            score=score,
            self_score=data.get("self_score"),
            self_note=data.get("self_note") or "",
        )
        return _("Self-score of %(code)s saved.") % {"code": score.indicator.code}


@evaluation_pages.register("self_submit", route="<int:pk>/self-submit/")
class SelfSubmitView(_EvaluationStep):
    form_class = forms.NoDataForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.self_submit(actor=self.request.user, evaluation=obj)
        return _("The self-assessment is submitted: the evaluator scores it now.")


@evaluation_pages.register("evidence_upload", route="<int:pk>/evidence/add/")
class EvidenceAddView(_EvaluationStep):
    form_class = forms.EvidenceForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        score = self.score_of(obj, data["score"])
        evidence = services.evidence_add(
            actor=self.request.user, score=score, title=data["title"], file=data["file"]
        )
        return _("Evidence “%(title)s” added to %(code)s.") % {
            "title": evidence.title,
            "code": score.indicator.code,
        }


@evaluation_pages.register("evidence_delete", route="<int:pk>/evidence/delete/")
class EvidenceDeleteView(_EvaluationStep):
    form_class = forms.EvidenceDeleteForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        evidence = _evidence_of(obj, data["evidence"])
        self.anchor = f"indicator-{evidence.score.indicator.code}"
        title = evidence.title
        services.evidence_delete(actor=self.request.user, evidence=evidence)
        return _("Evidence “%(title)s” deleted.") % {"title": title}


def _evidence_of(evaluation: StationEvaluation, pk: Any) -> EvaluationEvidence:
    """An evidence file of ``evaluation`` (through its score rows: the evaluation is the one
    the user may see)."""
    score = evaluation.scores.select_related("indicator").filter(evidence_files__pk=pk).first()
    if score is None:
        raise Http404(_("No such file."))
    evidence = score.evidence_files.get(pk=pk)
    score.evaluation = evaluation
    evidence.score = score
    return evidence


EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@evaluation_pages.register("evidence", route="<int:pk>/evidence/<int:evidence>/")
class EvidenceFileView(ModelPermissionMixin, View):
    """An evidence file, to those who may see the evaluation (never a public media URL)."""

    action: ClassVar[Action] = "view"

    def get(self, request: HttpRequest, pk: int, evidence: int) -> FileResponse:
        obj = self.get_object(pk=pk)
        stored = _evidence_of(obj, evidence)
        file = stored.file
        if not file or not file.name or not file.storage.exists(file.name):
            raise Http404(_("No such file."))
        extension = file.name.rsplit(".", 1)[-1].lower()
        response = FileResponse(
            file.storage.open(file.name, "rb"),
            content_type=EVIDENCE_TYPES.get(extension, "application/octet-stream"),
        )
        disposition = "inline" if extension in ("jpg", "jpeg", "png", "pdf") else "attachment"
        filename = quote(f"{stored.title}.{extension}", safe="")
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{filename}"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@evaluation_pages.register("score", route="<int:pk>/score/")
class EvaluatorScoreView(_EvaluationStep):
    form_class = forms.EvaluatorScoreForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        score = self.score_of(obj, data["score"])
        services.score_set(
            actor=self.request.user,
            score=score,
            evaluator_score=data.get("evaluator_score"),
            override_reason=data.get("override_reason") or "",
            finding=data.get("finding") or "",
        )
        return _("Score of %(code)s saved.") % {"code": score.indicator.code}


@evaluation_pages.register("veto", route="<int:pk>/veto/")
class VetoView(_EvaluationStep):
    form_class = forms.VetoForm
    anchor = "steps"

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.veto_set(
            actor=self.request.user,
            evaluation=obj,
            veto=data.get("veto") or "",
            reason=data.get("veto_reason") or "",
        )
        if obj.veto:
            return _("The veto is recorded: the grade is 不合格 whatever the total.")
        return _("No veto is recorded.")


@evaluation_pages.register("scoring_submit", route="<int:pk>/submit-scoring/")
class ScoringSubmitView(_EvaluationStep):
    form_class = forms.ScoringSubmitForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.scoring_submit(
            actor=self.request.user,
            evaluation=obj,
            site_visit_on=data.get("site_visit_on"),
            site_findings=data.get("site_findings") or "",
        )
        return _("The scoring is submitted: the district reviews it now.")


@evaluation_pages.register("comment", route="<int:pk>/comment/")
class DistrictCommentView(_EvaluationStep):
    form_class = forms.DistrictCommentForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        score = self.score_of(obj, data["score"])
        services.review_comment(
            actor=self.request.user, score=score, comment=data.get("district_comment") or ""
        )
        return _("Comment on %(code)s saved.") % {"code": score.indicator.code}


@evaluation_pages.register("review_return", route="<int:pk>/return/")
class ReviewReturnView(_EvaluationStep):
    form_class = forms.ReturnForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.review_return(actor=self.request.user, evaluation=obj, comment=data["comment"])
        return _("Returned to the evaluator.")


@evaluation_pages.register("review_pass", route="<int:pk>/pass/")
class ReviewPassView(_EvaluationStep):
    form_class = forms.NoDataForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.review_pass(actor=self.request.user, evaluation=obj)
        return _("Passed to the city bureau for approval.")


@evaluation_pages.register("rectification", route="<int:pk>/rectification/")
class RectificationAddView(_EvaluationStep):
    form_class = forms.RectificationAddForm
    anchor = "rectifications"

    def get_form(self, obj: StationEvaluation) -> Any:
        indicators = [
            score.indicator for score in obj.scores.select_related("indicator__dimension")
        ]
        self.indicators = {indicator.pk: indicator for indicator in indicators}
        return self.form_class(self.request.POST, indicators=indicators)

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.rectification_add(
            actor=self.request.user,
            evaluation=obj,
            finding=data["finding"],
            required_action=data.get("required_action") or "",
            indicator=self.indicators.get(data["indicator"]) if data.get("indicator") else None,
        )
        return _("Rectification item added.")


@evaluation_pages.register("assign", route="<int:pk>/assign/")
class AssignView(_EvaluationStep):
    form_class = forms.AssignForm
    anchor = "steps"

    def get_form(self, obj: StationEvaluation) -> Any:
        return self.form_class(self.request.POST, user=self.request.user)

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.evaluator_assign(
            actor=self.request.user, evaluation=obj, evaluator=data["evaluator"]
        )
        return _("%(evaluator)s evaluates this station.") % {"evaluator": data["evaluator"]}


@evaluation_pages.register("approve", route="<int:pk>/approve/")
class ApproveView(_EvaluationStep):
    form_class = forms.ReasonForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.city_approve(
            actor=self.request.user, evaluations=[obj], reason=data.get("reason") or ""
        )
        return _("Approved and published: objections are open until %(day)s.") % {
            "day": obj.objection_until
        }


@evaluation_pages.register("city_return", route="<int:pk>/city-return/")
class CityReturnView(_EvaluationStep):
    form_class = forms.CityReturnForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.city_return(
            actor=self.request.user, evaluation=obj, to=data["to"], comment=data["comment"]
        )
        return _("Returned to the step “%(step)s”.") % {"step": obj.get_status_display()}


@evaluation_pages.register("objection", route="<int:pk>/object/")
class ObjectionFileView(_EvaluationStep):
    form_class = forms.ObjectionForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.objection_file(
            actor=self.request.user, evaluation=obj, objection=data["objection"]
        )
        return _("The objection is filed: the city bureau decides it.")


@evaluation_pages.register("decide", route="<int:pk>/decide/")
class ObjectionDecideView(_EvaluationStep):
    form_class = forms.ObjectionDecideForm
    anchor = "steps"

    def get_form(self, obj: StationEvaluation) -> Any:
        return self.form_class(self.request.POST, user=self.request.user, exclude=None)

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        upheld = data["decision"] == "upheld"
        services.objection_decide(
            actor=self.request.user,
            evaluation=obj,
            upheld=upheld,
            reason=data["reason"],
            evaluator=data.get("evaluator"),
        )
        if upheld:
            return _("The objection is upheld: %(evaluator)s scores the station again.") % {
                "evaluator": obj.evaluator
            }
        return _("The objection is rejected: the result is final.")


@evaluation_pages.register("compute", route="<int:pk>/compute/")
class EvaluationComputeView(_EvaluationStep):
    form_class = forms.ReasonForm

    def perform(self, obj: StationEvaluation, data: dict[str, Any]) -> str:
        services.evaluation_compute(
            actor=self.request.user,
            round=obj.round,
            evaluations=[obj],
            reason=data.get("reason") or "",
        )
        return _("The automatic scores are computed.")


# --- rectification items -----------------------------------------------------------------------

rectification_pages = model_pages(
    RectificationItem,
    prefix="rectifications/",
    queryset=selectors.rectification_list,
    filterset=filtersets.RectificationItemFilterSet,
    table=tables.RectificationItemTable,
    actions=("list", "detail", "history"),
)


@rectification_pages.register("detail")
class RectificationItemDetailView(generic.ObjectDetailView):
    """An item: the finding and the required action, the dates, the station's answer and the
    district's verification; the answer form (the station manager, while it waits for one) and
    the verification form (the district officer, once answered)."""

    template_name = "evaluation/rectificationitem.html"

    def get_extra_context(self, obj: RectificationItem) -> dict[str, Any]:
        role = acting_role(self.request.user)
        waiting = obj.status in (RectificationStatus.ISSUED, RectificationStatus.REOPENED)
        can_answer = role == Role.STATION_MANAGER and waiting
        can_verify = role == Role.DISTRICT_OFFICER and obj.status == RectificationStatus.ANSWERED
        return {
            "answer_form": forms.RectificationAnswerForm() if can_answer else None,
            "verify_form": forms.RectificationVerifyForm() if can_verify else None,
        }


@rectification_pages.register("answer", route="<int:pk>/answer/")
class RectificationAnswerView(generic.TransitionView):
    form_class = forms.RectificationAnswerForm

    def perform(self, item: RectificationItem, data: dict[str, Any]) -> str:
        services.rectification_answer(actor=self.request.user, item=item, answer=data["answer"])
        return _("The answer is sent: the district verifies it.")


@rectification_pages.register("verify", route="<int:pk>/verify/")
class RectificationVerifyView(generic.TransitionView):
    form_class = forms.RectificationVerifyForm

    def perform(self, item: RectificationItem, data: dict[str, Any]) -> str:
        accept = data["decision"] == "accept"
        services.rectification_verify(
            actor=self.request.user, item=item, accept=accept, comment=data.get("comment") or ""
        )
        if accept:
            return _("Accepted: the item is closed.")
        return _("Reopened: due again on %(day)s.") % {"day": item.due_on}


# --- evaluators --------------------------------------------------------------------------------

evaluator_pages = model_pages(
    Evaluator,
    prefix="evaluators/",
    queryset=selectors.evaluator_list,
    filterset=filtersets.EvaluatorFilterSet,
    table=tables.EvaluatorTable,
    form=forms.EvaluatorForm,
    create=services.evaluator_create,
    update=services.evaluator_update,
    actions=("list", "detail", "edit", "history"),
)

ASSIGNMENTS_SHOWN = 100


@evaluator_pages.register("detail")
class EvaluatorDetailView(generic.ObjectDetailView):
    """An evaluator: the agency they work for, and the stations assigned to them."""

    template_name = "evaluation/evaluator.html"

    def get_extra_context(self, obj: Evaluator) -> dict[str, Any]:
        assignments = (
            selectors.evaluation_list(actor=self.request.user)
            .filter(evaluator=obj.user_id)
            .order_by("-round__snapshot_date", "station__name")
        )
        return {"assignments": list(assignments[:ASSIGNMENTS_SHOWN])}


# --- a station evaluation's scores, evidence files, log and published results ------------------
# (Read only: each is written by the steps of the scorecard.)

READ_PAGES = ("list", "detail", "history")

indicator_score_pages = model_pages(
    IndicatorScore,
    prefix="scores/",
    queryset=selectors.indicator_score_list,
    filterset=filtersets.IndicatorScoreFilterSet,
    table=tables.IndicatorScoreTable,
    actions=READ_PAGES,
)


@indicator_score_pages.register("detail")
class IndicatorScoreDetailView(generic.ObjectDetailView):
    """An indicator row is read on its scorecard, at its anchor."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return HttpResponseRedirect(self.get_object(**kwargs).get_absolute_url())


@indicator_score_pages.register("history")
class IndicatorScoreHistoryView(generic.ObjectHistoryView):
    """The row's history tells the evaluator's scores: only to those who read them."""

    def check_object(self, obj: IndicatorScore) -> None:
        if not selectors.evaluator_scores_visible(actor=self.request.user, score=obj):
            raise Http404(_("No such record."))


evidence_pages = model_pages(
    EvaluationEvidence,
    prefix="evidence/",
    queryset=selectors.evaluation_evidence_list,
    filterset=filtersets.EvaluationEvidenceFilterSet,
    table=tables.EvaluationEvidenceTable,
    actions=READ_PAGES,
)


@evidence_pages.register("detail")
class EvaluationEvidenceDetailView(generic.ObjectDetailView):
    template_name = "evaluation/evaluationevidence.html"

    def get_extra_context(self, obj: EvaluationEvidence) -> dict[str, Any]:
        return {
            "file_url": reverse(
                "evaluation:stationevaluation_evidence", args=[obj.score.evaluation_id, obj.pk]
            )
        }


event_pages = model_pages(
    EvaluationEvent,
    prefix="events/",
    queryset=selectors.evaluation_event_list,
    filterset=filtersets.EvaluationEventFilterSet,
    table=tables.EvaluationEventTable,
    actions=READ_PAGES,
)


@event_pages.register("detail")
class EvaluationEventDetailView(generic.ObjectDetailView):
    template_name = "evaluation/evaluationevent.html"

    def get_extra_context(self, obj: EvaluationEvent) -> dict[str, Any]:
        return {"details": event_details(obj)}


revision_pages = model_pages(
    StationEvaluationRevision,
    prefix="results/",
    queryset=selectors.revision_list,
    filterset=filtersets.StationEvaluationRevisionFilterSet,
    table=tables.StationEvaluationRevisionTable,
    actions=READ_PAGES,
)


@revision_pages.register("detail")
class StationEvaluationRevisionDetailView(generic.ObjectDetailView):
    template_name = "evaluation/stationevaluationrevision.html"

    def get_extra_context(self, obj: StationEvaluationRevision) -> dict[str, Any]:
        star_round = obj.evaluation.round.kind == RoundKind.STAR
        return {
            "grade_name": grade_text(obj.grade),
            "score_rows": selectors.revision_score_rows(obj),
            "star_round": star_round,
            "star_text": reports.star_text(obj.star, obj.star_note) if star_round else "",
            "total_with_bonus": obj.total_score + (obj.bonus_score or 0),
        }


# --- surveys, stakeholders' forms and complaints (spec §5) -------------------------------------
# Read by the bureaus (in scope) and the station's evaluator only: the station's staff and its
# supervisors never see a respondent or an answer (the models' role permissions: 403).

questionnaire_pages = model_pages(
    Questionnaire,
    prefix="questionnaires/",
    queryset=selectors.questionnaire_list,
    filterset=filtersets.QuestionnaireFilterSet,
    table=tables.QuestionnaireTable,
    actions=READ_PAGES,
)


@questionnaire_pages.register("detail")
class QuestionnaireDetailView(generic.ObjectDetailView):
    template_name = "evaluation/questionnaire.html"

    def get_extra_context(self, obj: Questionnaire) -> dict[str, Any]:
        items = obj.items if isinstance(obj.items, dict) else {}
        return {
            "questions": [row for row in items.get("questions", []) if isinstance(row, dict)],
            "stakeholder_questions": [
                row for row in items.get("stakeholder", []) if isinstance(row, dict)
            ],
        }


survey_sample_pages = model_pages(
    SurveySample,
    prefix="surveys/",
    queryset=selectors.survey_sample_list,
    filterset=filtersets.SurveySampleFilterSet,
    table=tables.SurveySampleTable,
    actions=READ_PAGES,
)


@survey_sample_pages.register("detail")
class SurveySampleDetailView(generic.ObjectDetailView):
    """A sample: its figures, the progress by stratum and the survey's aggregates."""

    template_name = "evaluation/surveysample.html"

    def get_extra_context(self, obj: SurveySample) -> dict[str, Any]:
        user = self.request.user
        return {
            "progress": selectors.survey_progress(actor=user, evaluation=obj.evaluation),
            "results": selectors.survey_results(actor=user, evaluation=obj.evaluation),
        }


def _respondents(*, actor: Any) -> Any:
    return selectors.survey_respondent_list(actor=actor).select_related(
        "sample__evaluation__station", "sample__evaluation__round"
    )


survey_respondent_pages = model_pages(
    SurveyRespondent,
    prefix="respondents/",
    queryset=_respondents,
    filterset=filtersets.SurveyRespondentFilterSet,
    table=tables.SurveyRespondentTable,
    actions=READ_PAGES,
)


@survey_respondent_pages.register("detail")
class SurveyRespondentDetailView(generic.ObjectDetailView):
    """A respondent: the name (masked for an evaluator), never the phone or the address (the
    surveyor reveals them one at a time, logged, from the station evaluation's survey), the
    follow-up and its attempts, the answers."""

    template_name = "evaluation/surveyrespondent.html"

    def get_extra_context(self, obj: SurveyRespondent) -> dict[str, Any]:
        user = self.request.user
        answer = getattr(obj, "answer", None)
        return {
            "person": tables.respondent_name(user, obj),
            "stratum": stratum_label(obj.stratum),
            "evaluation": obj.sample.evaluation,
            "attempts": list(selectors.survey_attempt_list(actor=user, respondent=obj)),
            "answer": answer,
        }


@survey_respondent_pages.register("history")
class SurveyRespondentHistoryView(generic.ObjectHistoryView):
    """The history names the recipient: masked for an evaluator, as on the page."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(**kwargs)
        entries = history_entries(obj, request.user)
        if not user_sees_personal_data(request.user):
            label = str(SurveyRespondent._meta.get_field("recipient").verbose_name)
            for entry in entries:
                for change in entry.changes:
                    if change.field == label:
                        change.old = tables.mask_name(change.old) if change.old else ""
                        change.new = tables.mask_name(change.new)
        page = Paginator(entries, self.per_page).get_page(request.GET.get("page"))
        return render(
            request, self.template_name, {**self.model_context(), "object": obj, "page": page}
        )


survey_attempt_pages = model_pages(
    SurveyAttempt,
    prefix="survey-attempts/",
    queryset=selectors.survey_attempt_list,
    filterset=filtersets.SurveyAttemptFilterSet,
    table=tables.SurveyAttemptTable,
    actions=READ_PAGES,
)

survey_answer_pages = model_pages(
    SurveyAnswer,
    prefix="survey-answers/",
    queryset=selectors.survey_answer_list,
    filterset=filtersets.SurveyAnswerFilterSet,
    table=tables.SurveyAnswerTable,
    actions=READ_PAGES,
)


def _ratings(*, actor: Any) -> Any:
    return selectors.stakeholder_rating_list(actor=actor).select_related(
        "evaluation__station", "evaluation__round"
    )


stakeholder_rating_pages = model_pages(
    StakeholderRating,
    prefix="stakeholder-ratings/",
    queryset=_ratings,
    filterset=filtersets.StakeholderRatingFilterSet,
    table=tables.StakeholderRatingTable,
    actions=READ_PAGES,
)

complaint_pages = model_pages(
    Complaint,
    prefix="complaints/",
    queryset=selectors.complaint_list,
    filterset=filtersets.ComplaintFilterSet,
    table=tables.ComplaintTable,
    actions=READ_PAGES,
)


# --- reports (issue 15, "Reports"): the scorecard printed and as .xlsx, a round's results -------
# Reads go through reports.py (the API's ``evaluation-rounds/{id}/results/`` reads the same);
# each page finds its record through the pages' selector, so a record the user may not see is a
# 404 here as on its page, and each shows only the columns the scorecard shows them.


@evaluation_pages.register("print", route="<int:pk>/print/")
class StationEvaluationPrintView(ModelPermissionMixin, View):
    """The scorecard as an A4 document, without the site's navigation: every indicator by
    dimension, the findings, the veto, the total, the grade, the ranks and the signatures."""

    template_name = "evaluation/scorecard_print.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        context = {
            **self.model_context(),
            "object": obj,
            "report": reports.scorecard_report(actor=request.user, evaluation=obj),
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        }
        return render(request, self.template_name, context)


@evaluation_pages.register("export", route="<int:pk>/export/")
class StationEvaluationExportView(ModelPermissionMixin, View):
    """The scorecard as an .xlsx workbook (the same columns as the printed one)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        report = reports.scorecard_report(actor=request.user, evaluation=obj)
        title = f"{obj.station.name}-{obj.round.name}-{_('Scorecard')}"
        return xlsx_response(reports.scorecard_workbook(report), export_filename(title, "xlsx"))


@round_pages.register("results", route="<int:pk>/results/")
class EvaluationRoundResultsView(ModelPermissionMixin, View):
    """The round's final results by district and for the city (stations evaluated, mean,
    median, lowest and highest total, grades, 优良率, 不合格) and the ranking in the city and
    in each district, as far as the user may read them (reports.round_results)."""

    template_name = "evaluation/round_results.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        context = {
            **self.model_context(),
            "object": obj,
            "results": reports.round_results(actor=request.user, round=obj),
            "printed_at": timezone.localtime(),
        }
        return render(request, self.template_name, context)


@round_pages.register("results_export", route="<int:pk>/results/export/")
class EvaluationRoundResultsExportView(ModelPermissionMixin, View):
    """The round's results as an .xlsx workbook: a sheet by district, a sheet of the ranking."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk=pk)
        results = reports.round_results(actor=request.user, round=obj)
        title = f"{obj.name}-{_('Results')}"
        return xlsx_response(reports.results_workbook(results), export_filename(title, "xlsx"))
