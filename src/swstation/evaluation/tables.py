"""Tables of the indicator set, dimension and indicator lists, of the rounds, station
evaluations (their scores, evidence, log and results), rectification items and evaluators, and
of the surveys, stakeholders' forms and complaints (and their exports)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.core.masking import user_sees_personal_data
from swstation.core.permissions import user_can
from swstation.core.tables import BaseTable, NumberColumn
from swstation.evaluation.models import (
    Complaint,
    Dimension,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    Indicator,
    IndicatorScore,
    IndicatorSet,
    Questionnaire,
    RectificationItem,
    StakeholderRating,
    Star,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.models.surveys import stratum_label
from swstation.evaluation.scoring import GRADE_CODES, grade_label


class IndicatorSetTable(BaseTable):
    name = tables.Column(linkify=True)
    version = tables.Column(linkify=lambda record: record.get_absolute_url())
    total_points = NumberColumn()
    dimension_count = tables.Column(verbose_name=_("number of dimensions"), orderable=False)
    indicator_count = tables.Column(verbose_name=_("number of indicators"), orderable=False)

    class Meta(BaseTable.Meta):
        model = IndicatorSet
        fields = (
            "name",
            "version",
            "status",
            "total_points",
            "dimension_count",
            "indicator_count",
            "published_on",
        )


class DimensionTable(BaseTable):
    name = tables.Column(linkify=True)
    indicator_set = tables.Column(linkify=True)
    points = NumberColumn()
    indicator_count = tables.Column(verbose_name=_("number of indicators"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Dimension
        fields = ("name", "code", "indicator_set", "order", "points", "indicator_count")
        sequence = ("name", "code", "indicator_set", "order", "points", "indicator_count")


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)
    code = tables.Column()
    dimension = tables.Column(linkify=True)
    indicator_set = tables.Column(
        accessor="dimension__indicator_set",
        verbose_name=_("indicator set"),
        linkify=True,
        order_by=("dimension__indicator_set__name", "dimension__indicator_set__version"),
    )
    points = NumberColumn()

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = ("name", "code", "dimension", "indicator_set", "points", "rule_type", "source")
        sequence = ("name", "code", "dimension", "indicator_set", "points", "rule_type", "source")


# --- rounds, station evaluations, rectification, evaluators (issue 15) --------------------------


def grade_text(code: str | None) -> str:
    """A grade code as its name (优秀…); "" for none."""
    return str(grade_label(code)) if code in GRADE_CODES else ""


class EvaluationRoundTable(BaseTable):
    name = tables.Column(linkify=True)
    indicator_set = tables.Column()
    station_count = tables.Column(verbose_name=_("stations"), orderable=False)
    final_count = tables.Column(verbose_name=_("final results"), orderable=False)

    class Meta(BaseTable.Meta):
        model = EvaluationRound
        fields = (
            "name",
            "kind",
            "status",
            "indicator_set",
            "period_start",
            "snapshot_date",
            "station_count",
            "final_count",
        )
        sequence = fields

    def render_indicator_set(self, value: IndicatorSet) -> Any:
        # Linked for those who may open the standard (a third-party evaluator reads the rules
        # on the scorecard).
        if user_can(self.user, "view", IndicatorSet):
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
        return str(value)

    def value_indicator_set(self, value: IndicatorSet) -> str:
        return str(value)


# The due date of the step an evaluation is at (who must act by when).
STEP_DUE = {
    EvaluationStatus.SELF_ASSESSMENT: "self_due_on",
    EvaluationStatus.SCORING: "scoring_due_on",
    EvaluationStatus.DISTRICT_REVIEW: "review_due_on",
    EvaluationStatus.PUBLISHED: "objection_until",
}


def step_due(record: StationEvaluation) -> Any:
    field = STEP_DUE.get(record.status)  # type: ignore[call-overload]
    return getattr(record, field) if field else None


class StationEvaluationTable(BaseTable):
    # The scorecard, not the station's page: an evaluator reads the evaluation only.
    station = tables.Column(linkify=lambda record: record.get_absolute_url())
    round = tables.Column()
    region = tables.Column(
        accessor="station__region", verbose_name=_("township"), order_by=("region_code",)
    )
    evaluator = tables.Column()
    due = tables.Column(verbose_name=_("step due"), empty_values=(), orderable=False)
    # Sorted by what the user is shown: an order by the hidden totals would tell them.
    shown_total = NumberColumn(verbose_name=_("total score"), order_by=("shown_total",))
    shown_grade = tables.Column(verbose_name=_("evaluation grade"), order_by=("shown_grade",))
    shown_star = tables.Column(verbose_name=_("star rating"), order_by=("shown_star",))

    class Meta(BaseTable.Meta):
        model = StationEvaluation
        fields = ("station", "round", "region", "status", "evaluator")
        sequence = (
            "station",
            "round",
            "region",
            "status",
            "due",
            "evaluator",
            "shown_total",
            "shown_grade",
            "shown_star",
        )

    def render_due(self, record: StationEvaluation) -> Any:
        due = step_due(record)
        if due is None:
            return "—"
        if due < timezone.localdate():
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', due.isoformat(), _("overdue")
            )
        return due.isoformat()

    def value_due(self, record: StationEvaluation) -> Any:
        return step_due(record)

    def render_shown_grade(self, value: str) -> str:
        return grade_text(value) or "—"

    def value_shown_grade(self, value: str) -> str:
        return grade_text(value)

    def render_shown_star(self, value: int | None) -> str:
        return str(Star(value).label) if value in Star.values else "—"

    def value_shown_star(self, value: int | None) -> str:
        return str(Star(value).label) if value in Star.values else ""


class RectificationItemTable(BaseTable):
    finding = tables.Column(
        linkify=lambda record: record.get_absolute_url(), attrs={"td": {"class": "cell-text"}}
    )
    station = tables.Column(accessor="evaluation__station", verbose_name=_("station"))
    round = tables.Column(accessor="evaluation__round", verbose_name=_("evaluation round"))
    indicator = tables.Column(accessor="indicator__code", verbose_name=_("indicator"))
    status = tables.Column(verbose_name=_("status"), order_by=("status",))
    due_on = tables.Column()

    class Meta(BaseTable.Meta):
        model = RectificationItem
        fields = ("finding", "station", "round", "indicator", "status", "due_on", "answered_on")
        sequence = fields

    def render_finding(self, value: str) -> str:
        return value if len(value) <= 60 else f"{value[:60]}…"

    def render_status(self, record: RectificationItem) -> Any:
        label = record.get_status_display()
        if getattr(record, "is_overdue", False):
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', label, _("overdue")
            )
        return label

    def value_status(self, record: RectificationItem) -> str:
        return str(record.get_status_display())

    def render_due_on(self, record: RectificationItem, value: Any) -> Any:
        if getattr(record, "is_overdue", False):
            return format_html('<span class="text-danger fw-semibold">{}</span>', value.isoformat())
        return value.isoformat()


class EvaluatorTable(BaseTable):
    user = tables.Column(linkify=lambda record: record.get_absolute_url())
    username = tables.Column(accessor="user__username", verbose_name=_("username"))
    agency = tables.Column()

    class Meta(BaseTable.Meta):
        model = Evaluator
        fields = ("user", "username", "agency", "qualification")
        sequence = fields

    def render_agency(self, value: Any) -> str:
        return str(value)

    def value_agency(self, value: Any) -> str:
        return str(value) if value else ""


def _page(name: str) -> Any:
    """A column's link to the record's own page (``evaluation:<name>``)."""
    return lambda record: reverse(f"evaluation:{name}", args=[record.pk])


class IndicatorScoreTable(BaseTable):
    # The row's place on the scorecard (its page).
    evaluation = tables.Column(linkify=lambda record: record.get_absolute_url())
    indicator = tables.Column(accessor="indicator__code", verbose_name=_("indicator"))
    auto_score = NumberColumn()
    self_score = NumberColumn()
    # The evaluator's columns as the user may read them (selectors.indicator_score_list).
    shown_evaluator_score = NumberColumn(
        verbose_name=_("evaluator's score"), order_by=("shown_evaluator_score",)
    )
    shown_final_score = NumberColumn(verbose_name=_("final score"), order_by=("shown_final_score",))

    class Meta(BaseTable.Meta):
        model = IndicatorScore
        fields = ("evaluation", "indicator", "auto_score", "self_score")
        sequence = (
            "evaluation",
            "indicator",
            "auto_score",
            "self_score",
            "shown_evaluator_score",
            "shown_final_score",
        )


class EvaluationEvidenceTable(BaseTable):
    title = tables.Column(linkify=_page("evaluationevidence"))
    evaluation = tables.Column(
        accessor="score__evaluation",
        verbose_name=_("station evaluation"),
        linkify=lambda record: record.score.get_absolute_url(),
    )
    indicator = tables.Column(accessor="score__indicator__code", verbose_name=_("indicator"))

    class Meta(BaseTable.Meta):
        model = EvaluationEvidence
        fields = ("title", "evaluation", "indicator", "created_at")
        sequence = fields


class EvaluationEventTable(BaseTable):
    kind = tables.Column(linkify=_page("evaluationevent"))
    evaluation = tables.Column(linkify=True)
    indicator = tables.Column(accessor="indicator__code", verbose_name=_("indicator"))
    note = tables.Column(attrs={"td": {"class": "cell-text"}})

    class Meta(BaseTable.Meta):
        model = EvaluationEvent
        fields = ("kind", "evaluation", "indicator", "actor", "note", "created_at")
        sequence = fields

    def render_note(self, value: str) -> str:
        return value if len(value) <= 60 else f"{value[:60]}…"


class StationEvaluationRevisionTable(BaseTable):
    evaluation = tables.Column(linkify=True)
    number = tables.Column(linkify=_page("stationevaluationrevision"))
    total_score = NumberColumn()
    grade = tables.Column(verbose_name=_("evaluation grade"))

    class Meta(BaseTable.Meta):
        model = StationEvaluationRevision
        fields = ("evaluation", "number", "total_score", "grade", "published_on", "reason")
        sequence = fields

    def render_grade(self, value: str) -> str:
        return grade_text(value) or "—"

    def value_grade(self, value: str) -> str:
        return grade_text(value)


# --- surveys, stakeholders' forms and complaints (spec §5) --------------------------------------


def mask_name(name: str) -> str:
    """A person's name as a masked role reads it (spec §4): 张*华, 李*, 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def respondent_name(user: Any, respondent: SurveyRespondent) -> str:
    """The respondent's name: whole for the bureaus, masked for an evaluator (and any role
    that reads personal data masked)."""
    name = respondent.recipient.name
    return name if user_sees_personal_data(user) else mask_name(name)


class QuestionnaireTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Questionnaire
        fields = ("name", "version", "status", "published_on")
        sequence = fields


class SurveySampleTable(BaseTable):
    evaluation = tables.Column(linkify=_page("surveysample"))
    questionnaire = tables.Column()
    population = NumberColumn()
    sample_size = NumberColumn()
    home_visits = NumberColumn()

    class Meta(BaseTable.Meta):
        model = SurveySample
        fields = (
            "evaluation",
            "questionnaire",
            "population",
            "sample_size",
            "home_visits",
            "drawn_at",
        )
        sequence = fields


class SurveyRespondentTable(BaseTable):
    order = tables.Column(linkify=_page("surveyrespondent"))
    evaluation = tables.Column(
        accessor="sample__evaluation",
        verbose_name=_("station evaluation"),
        order_by=("sample__evaluation",),
    )
    person = tables.Column(
        verbose_name=_("respondent"), accessor="recipient__name", orderable=False
    )
    stratum = tables.Column()
    attempt_count = tables.Column(verbose_name=_("attempts"), orderable=False, default=0)

    class Meta(BaseTable.Meta):
        model = SurveyRespondent
        fields = ("order", "evaluation", "person", "stratum", "is_reserve", "mode", "status")
        sequence = (
            "order",
            "evaluation",
            "person",
            "stratum",
            "is_reserve",
            "mode",
            "status",
            "attempt_count",
        )

    def render_person(self, record: SurveyRespondent) -> str:
        return respondent_name(self.user, record)

    def value_person(self, record: SurveyRespondent) -> str:
        return respondent_name(self.user, record)

    def render_stratum(self, value: str) -> str:
        return stratum_label(value)

    def value_stratum(self, value: str) -> str:
        return stratum_label(value)


class SurveyAttemptTable(BaseTable):
    attempted_on = tables.Column(linkify=_page("surveyattempt"))
    respondent = tables.Column(
        linkify=lambda record: reverse("evaluation:surveyrespondent", args=[record.respondent_id])
    )
    evaluation = tables.Column(
        accessor="respondent__sample__evaluation",
        verbose_name=_("station evaluation"),
        orderable=False,
    )
    note = tables.Column(attrs={"td": {"class": "cell-text"}})

    class Meta(BaseTable.Meta):
        model = SurveyAttempt
        fields = ("attempted_on", "respondent", "evaluation", "mode", "outcome", "note")
        sequence = fields


class SurveyAnswerTable(BaseTable):
    respondent = tables.Column(linkify=_page("surveyanswer"))
    evaluation = tables.Column(
        accessor="respondent__sample__evaluation",
        verbose_name=_("station evaluation"),
        orderable=False,
    )
    satisfaction_index = NumberColumn()

    class Meta(BaseTable.Meta):
        model = SurveyAnswer
        fields = (
            "respondent",
            "evaluation",
            "answered_on",
            "mode",
            "service_confirmed",
            "satisfaction_index",
            "effectively_aware",
        )
        sequence = fields


class StakeholderRatingTable(BaseTable):
    evaluation = tables.Column(linkify=_page("stakeholderrating"))
    village = tables.Column(default="")
    score = NumberColumn()

    class Meta(BaseTable.Meta):
        model = StakeholderRating
        fields = ("evaluation", "rater", "village", "score", "rated_on")
        sequence = fields


class ComplaintTable(BaseTable):
    received_on = tables.Column(linkify=True)
    station = tables.Column()
    summary = tables.Column(attrs={"td": {"class": "cell-text"}})
    substantiated = tables.Column(verbose_name=_("decision"))

    class Meta(BaseTable.Meta):
        model = Complaint
        fields = ("received_on", "station", "channel", "summary", "substantiated", "decided_on")
        sequence = fields

    def render_summary(self, value: str) -> str:
        return value if len(value) <= 60 else f"{value[:60]}…"

    def render_substantiated(self, value: Any) -> str:
        return str(_("Substantiated") if value else _("Not substantiated"))

    def value_substantiated(self, value: Any) -> str:
        if value is None:
            return ""
        return self.render_substantiated(value)


class DistrictAssessmentSchemeTable(BaseTable):
    name = tables.Column(linkify=True)
    assessment_count = tables.Column(verbose_name=_("assessments"), orderable=False)

    class Meta(BaseTable.Meta):
        model = DistrictAssessmentScheme
        fields = ("name", "year", "assessment_count")
        sequence = fields


class DistrictAssessmentTable(BaseTable):
    year = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = DistrictAssessment
        fields = ("year", "status", "snapshot_date", "scheme", "evaluation_round", "published_on")
        sequence = fields


class DistrictResultTable(BaseTable):
    region = tables.Column(linkify=lambda record: record.get_absolute_url())
    assessment = tables.Column(linkify=True)
    total_score = NumberColumn()

    class Meta(BaseTable.Meta):
        model = DistrictResult
        fields = ("assessment", "region", "total_score", "rank")
        sequence = fields
