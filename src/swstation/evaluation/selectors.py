"""Reads of the indicator sets (issue 15). Every role reads every version (city-wide policy
data); the city bureau alone writes, and only drafts."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from swstation.core.actors import Actor
from swstation.core.permissions import acting_role, user_can
from swstation.core.roles import Role
from swstation.evaluation import scoring
from swstation.evaluation.models import (
    RESULT_STATES,
    AssessmentStatus,
    Dimension,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    Indicator,
    IndicatorScore,
    IndicatorSet,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    SetStatus,
    StationEvaluation,
)
from swstation.evaluation.rules import rule_summary

__all__ = [
    "OPEN_RECTIFICATION",
    "DimensionRow",
    "ScoreVisibility",
    "SetActions",
    "dimension_list",
    "district_assessment_list",
    "district_assessment_table",
    "district_result_list",
    "district_scheme_list",
    "district_scheme_used",
    "draft_dimension_choices",
    "draft_set_choices",
    "evaluation_list",
    "evaluation_ranks",
    "evaluator_agenda",
    "evaluator_list",
    "indicator_list",
    "indicator_set_actions",
    "indicator_set_detail",
    "indicator_set_list",
    "indicator_set_tree",
    "published_indicator_sets",
    "rectification_list",
    "round_list",
    "round_progress",
    "score_visibility",
    "scorecard",
]


def indicator_set_list(*, actor: Actor) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.visible_to(actor).annotate(
        dimension_count=Count("dimensions", distinct=True),
        indicator_count=Count("dimensions__indicators", distinct=True),
    )


def indicator_set_detail(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions with their tree loaded in two queries (the API's detail)."""
    indicators = Indicator.objects.order_by("order", "code")
    dimensions = Dimension.objects.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    return IndicatorSet.objects.visible_to(actor).prefetch_related(
        Prefetch("dimensions", queryset=dimensions)
    )


def published_indicator_sets(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions a round may score against."""
    return IndicatorSet.objects.visible_to(actor).filter(status=SetStatus.PUBLISHED)


def dimension_list(*, actor: Actor) -> QuerySet[Dimension]:
    return (
        Dimension.objects.visible_to(actor)
        .select_related("indicator_set")
        .annotate(indicator_count=Count("indicators"))
    )


def indicator_list(*, actor: Actor) -> QuerySet[Indicator]:
    return Indicator.objects.visible_to(actor).select_related("dimension__indicator_set")


def draft_set_choices(*, actor: Actor) -> QuerySet[IndicatorSet]:
    """The versions a dimension may be added to: drafts the actor may write."""
    return IndicatorSet.objects.visible_to(actor, for_write=True).filter(status=SetStatus.DRAFT)


def draft_dimension_choices(*, actor: Actor) -> QuerySet[Dimension]:
    """The dimensions an indicator may be added to: those of drafts."""
    return (
        Dimension.objects.visible_to(actor, for_write=True)
        .filter(indicator_set__status=SetStatus.DRAFT)
        .select_related("indicator_set")
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    rule: str


@dataclass
class DimensionRow:
    """A dimension of the tree with its indicators and whether their points add up."""

    dimension: Dimension
    indicators: list[IndicatorRow] = field(default_factory=list)
    indicator_total: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal:
        """Indicators' points less the dimension's: 0 when they add up."""
        return self.indicator_total - self.dimension.points


def indicator_set_tree(indicator_set: IndicatorSet) -> list[DimensionRow]:
    """The version's dimensions → indicators, in order, each rule in words (two queries)."""
    rows = []
    indicators = Indicator.objects.order_by("order", "code")
    dimensions = indicator_set.dimensions.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    for dimension in dimensions:
        row = DimensionRow(dimension=dimension)
        for indicator in dimension.indicators.all():
            row.indicators.append(
                IndicatorRow(indicator, rule_summary(indicator.rule_type, indicator.rule_params))
            )
            row.indicator_total += indicator.points
        rows.append(row)
    return rows


@dataclass(frozen=True)
class SetActions:
    """What the user may do with a version now (the page offers only these)."""

    copy: bool
    publish: bool
    edit_tree: bool


def indicator_set_actions(*, actor: Actor, indicator_set: IndicatorSet) -> SetActions:
    draft = indicator_set.status == SetStatus.DRAFT
    return SetActions(
        copy=user_can(actor, "add", IndicatorSet),
        publish=draft and user_can(actor, "change", IndicatorSet),
        edit_tree=draft and user_can(actor, "change", Dimension),
    )


# --- rounds and station evaluations (issue 15; spec §3, §4) -------------------------------------

OPEN_RECTIFICATION = (RectificationStatus.ISSUED, RectificationStatus.REOPENED)


def round_list(*, actor: Actor) -> QuerySet[EvaluationRound]:
    """The rounds the actor sees (an evaluator: the rounds of their assignments), with how many
    stations each holds and how many are final."""
    return (
        EvaluationRound.objects.visible_to(actor)
        .select_related("indicator_set")
        .annotate(
            station_count=Count("evaluations", distinct=True),
            final_count=Count(
                "evaluations",
                filter=Q(evaluations__status=EvaluationStatus.FINAL),
                distinct=True,
            ),
        )
    )


def round_progress(*, actor: Actor, round: EvaluationRound) -> list[tuple[str, str, int]]:
    """How many of the round's stations the actor sees are at each step, in the flow's order:
    (status, label, count)."""
    counts = dict(
        StationEvaluation.objects.visible_to(actor)
        .filter(round=round)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in EvaluationStatus.choices]


def evaluation_list(*, actor: Actor) -> QuerySet[StationEvaluation]:
    """The station evaluations the actor sees: by jurisdiction, or an evaluator's assignments.
    The total and the grade of an evaluation whose result is not out are shown only to the
    bureaus and to its evaluator (``shown_total`` / ``shown_grade``; a station sees its own
    result from publication, spec §4)."""
    rows = StationEvaluation.objects.visible_to(actor).select_related(
        "round", "station", "station__region", "evaluator"
    )
    if _sees_unpublished(actor):
        return rows.annotate(
            shown_total=F("total_score"),
            shown_grade=F("grade"),
            shown_bonus=F("bonus_score"),
            shown_star=F("star"),
            shown_star_note=F("star_note"),
        )
    out = Q(status__in=RESULT_STATES)
    return rows.annotate(
        shown_total=Case(When(out, then=F("total_score")), default=None),
        shown_grade=Case(When(out, then=F("grade")), default=None),
        shown_bonus=Case(When(out, then=F("bonus_score")), default=None),
        shown_star=Case(When(out, then=F("star")), default=None),
        shown_star_note=Case(When(out, then=F("star_note")), default=None),
    )


def _sees_unpublished(actor: Actor) -> bool:
    role = getattr(actor, "role", None)
    return bool(getattr(actor, "is_superuser", False)) or role in (
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.EVALUATOR,
    )


@dataclass(frozen=True)
class ScoreVisibility:
    """Which columns of a scorecard the actor reads (spec §4's table)."""

    self_scores: bool
    evaluator_scores: bool
    district_comments: bool


def score_visibility(*, actor: Actor, evaluation: StationEvaluation) -> ScoreVisibility:
    """The station reads the evaluator's scores from publication; the district once the
    evaluator has submitted; the evaluator and the city always; supervisors and auditors
    after publication."""
    role = Role.CITY_ADMIN if getattr(actor, "is_superuser", False) else getattr(actor, "role", "")
    out = evaluation.status in RESULT_STATES
    submitted = (
        evaluation.scored_at is not None
        or out
        or evaluation.status
        in (
            EvaluationStatus.DISTRICT_REVIEW,
            EvaluationStatus.CITY_APPROVAL,
        )
    )
    evaluator_scores: bool = {
        str(Role.CITY_ADMIN): True,
        str(Role.EVALUATOR): True,
        str(Role.DISTRICT_OFFICER): submitted,
    }.get(str(role), out)
    return ScoreVisibility(
        self_scores=True,
        evaluator_scores=evaluator_scores,
        district_comments=role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER) or out,
    )


@dataclass
class ScorecardDimension:
    dimension: Dimension
    scores: list[IndicatorScore] = field(default_factory=list)
    points: Decimal = Decimal(0)
    total: Decimal | None = None
    self_total: Decimal | None = None


def scorecard(*, evaluation: StationEvaluation) -> list[ScorecardDimension]:
    """The evaluation's indicators by dimension, with the evidence files, in two queries
    whatever the number of indicators (a flat query count, issue 15 "Performance")."""
    scores = (
        IndicatorScore.objects.filter(evaluation=evaluation)
        .select_related("indicator", "indicator__dimension")
        .prefetch_related("evidence_files")
    )
    rows: dict[int, ScorecardDimension] = {}
    for score in scores:
        dimension = score.indicator.dimension
        row = rows.setdefault(
            dimension.pk, ScorecardDimension(dimension=dimension, points=dimension.points)
        )
        row.scores.append(score)
    for row in rows.values():
        finals = [s.final_score for s in row.scores if s.final_score is not None]
        selfs = [s.self_score for s in row.scores if s.self_score is not None]
        row.total = scoring.total_score(finals) if finals else None
        row.self_total = scoring.total_score(selfs) if selfs else None
    return sorted(rows.values(), key=lambda r: (r.dimension.order, r.dimension.code))


def evaluation_ranks(*, round: EvaluationRound) -> dict[int, tuple[int | None, int | None]]:
    """evaluation pk → (rank in its district, rank in the city) among the round's final
    results; ties share a rank (1, 2, 2, 4; spec §3)."""
    # A star round ranks by the total with the bonus, the figure its stars are given on (§3).
    value = (
        F("total_score")
        + Coalesce(F("bonus_score"), Value(Decimal(0)), output_field=DecimalField())
        if round.kind == RoundKind.STAR
        else F("total_score")
    )
    finals = list(
        StationEvaluation.objects.filter(round=round, status=EvaluationStatus.FINAL)
        .exclude(total_score__isnull=True)
        .annotate(ranked_on=value)
        .values_list("pk", "region_code", "ranked_on")
    )
    city = scoring.competition_ranks([total for _, _, total in finals])
    ranks: dict[int, tuple[int | None, int | None]] = {}
    by_district: dict[str, list[int]] = {}
    for index, (_, code, _) in enumerate(finals):
        by_district.setdefault(code[:6], []).append(index)
    for indexes in by_district.values():
        district = scoring.competition_ranks([finals[i][2] for i in indexes])
        for i, rank in zip(indexes, district, strict=True):
            ranks[finals[i][0]] = (rank, city[i])
    return ranks


def rectification_list(*, actor: Actor) -> QuerySet[RectificationItem]:
    """The rectification items the actor sees, each flagged ``is_overdue`` when still open
    after its current due date (spec §3); proposals only to those who read unpublished
    results."""
    today = timezone.localdate()
    items = RectificationItem.objects.visible_to(actor)
    if not _sees_unpublished(actor):
        # A proposal tells a low score before the result is out (spec §4: the station sees
        # the evaluator's scores from publication).
        items = items.exclude(status=RectificationStatus.PROPOSED)
    return items.select_related("evaluation__station", "evaluation__round", "indicator").annotate(
        is_overdue=Case(
            When(Q(status__in=OPEN_RECTIFICATION, due_on__lt=today), then=True),
            default=False,
        )
    )


def evaluator_list(*, actor: Actor) -> QuerySet[Evaluator]:
    return Evaluator.objects.visible_to(actor).select_related("user", "agency")


def evaluator_agenda(*, actor: Actor, limit: int = 10) -> tuple[list[StationEvaluation], int]:
    """An evaluator's home: the stations waiting for their scoring, the soonest due first."""
    waiting = (
        StationEvaluation.objects.visible_to(actor)
        .filter(evaluator=getattr(actor, "pk", None), status=EvaluationStatus.SCORING)
        .select_related("station", "round")
        .order_by("scoring_due_on", "pk")
    )
    return list(waiting[:limit]), waiting.count()


# --- surveys, stakeholders' forms and complaints (issue 15; spec §4 "Evaluator rules", §5) ------
#
# "A station cannot survey itself": the respondents, attempts, answers and forms are read only
# by the bureaus (in scope) and the station's evaluator (models' ``SURVEY_READERS`` and
# ``assignment_path``), through ``visible_to``. The aggregates (``survey_results``) are read by
# them at any time and, once the result is out (published), by the station manager, the
# supervisors and the auditors in scope (spec §4's table); the social workers never.
# (Imported here, with the section, so that the section stays one block at the file's end.)

from swstation.evaluation import sampling  # noqa: E402
from swstation.evaluation.models import (  # noqa: E402
    SURVEY_READERS,
    Complaint,
    Questionnaire,
    RespondentStatus,
    StakeholderRating,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.models.surveys import (  # noqa: E402
    AWARENESS_CODES,
    SATISFACTION_CODES,
    stratum_label,
)

__all__ += [
    "StratumProgress",
    "SurveyProgress",
    "SurveyResults",
    "complaint_list",
    "questionnaire_list",
    "stakeholder_rating_list",
    "survey_attempt_list",
    "survey_findings",
    "survey_progress",
    "survey_respondent_list",
    "survey_results",
    "survey_results_visible",
    "survey_sample_for",
]

AGGREGATE_READERS_AFTER_PUBLICATION = frozenset(
    {Role.STATION_MANAGER, Role.SUPERVISOR, Role.AUDITOR}
)


def questionnaire_list(*, actor: Actor) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.visible_to(actor)


def survey_sample_for(*, actor: Actor, evaluation: StationEvaluation) -> SurveySample | None:
    """The evaluation's sample if drawn and the actor may read it (None otherwise)."""
    return (
        SurveySample.objects.visible_to(actor)
        .filter(evaluation=evaluation)
        .select_related("questionnaire")
        .first()
    )


def survey_respondent_list(
    *, actor: Actor, evaluation: StationEvaluation | None = None
) -> QuerySet[SurveyRespondent]:
    """The respondents the actor may see (none for the station's staff and supervisors), in
    the random order, with their answer; the recipient is loaded for the masked display."""
    rows = (
        SurveyRespondent.objects.visible_to(actor)
        .select_related("recipient", "recipient__region", "answer", "sample")
        .annotate(attempt_count=Count("attempts", distinct=True))
    )
    if evaluation is not None:
        rows = rows.filter(sample__evaluation=evaluation)
    return rows


def survey_attempt_list(
    *, actor: Actor, respondent: SurveyRespondent | None = None
) -> QuerySet[SurveyAttempt]:
    rows = SurveyAttempt.objects.visible_to(actor).select_related(
        "entered_by", "respondent__sample__evaluation__station"
    )
    return rows if respondent is None else rows.filter(respondent=respondent)


def survey_findings(*, actor: Actor, evaluation: StationEvaluation) -> QuerySet[SurveyAnswer]:
    """The answers whose respondent said the station did not serve them (V0 "no", spec §5: a
    finding for the evaluator to check against the service records)."""
    return (
        SurveyAnswer.objects.visible_to(actor)
        .filter(respondent__sample__evaluation=evaluation, service_confirmed=False)
        .select_related("respondent", "respondent__recipient")
    )


@dataclass
class StratumProgress:
    stratum: str
    label: str
    population: int = 0
    drawn: int = 0
    reserve: int = 0
    reserves_used: int = 0
    pending: int = 0
    completed: int = 0
    unreachable: int = 0
    refused: int = 0
    replaced: int = 0

    @property
    def ended(self) -> int:
        """Follow-ups over with an eligible person: completed, unreachable or refused."""
        return self.completed + self.unreachable + self.refused

    @property
    def response_rate(self) -> Decimal | None:
        """Completed ÷ (completed + unreachable + refused), percent; people who could not be
        surveyed at all (died, moved, wrong person) are not in the denominator."""
        return sampling.share(self.completed, self.ended)


@dataclass
class SurveyProgress:
    """Where a station's survey stands (spec §5: "attempts and reasons recorded; response
    rate reported"): the sample, the follow-ups by outcome, overall and by stratum, and the
    completed follow-ups H1/H2 need."""

    population: int
    sample_size: int
    home_visits: int
    needed: int
    attempts: int
    total: StratumProgress
    strata: list[StratumProgress] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.total.completed >= self.needed and self.total.completed > 0


def survey_progress(*, actor: Actor, evaluation: StationEvaluation) -> SurveyProgress | None:
    """The progress of the evaluation's survey, for those who read its respondents (the
    bureaus and its evaluator); None when not drawn or not theirs to read. Two queries."""
    sample = survey_sample_for(actor=actor, evaluation=evaluation)
    if sample is None:
        return None
    strata: dict[str, StratumProgress] = {}
    for key, figures in (sample.strata or {}).items():
        strata[key] = StratumProgress(
            key,
            stratum_label(key),
            population=int(figures.get("population", 0)),
            reserve=int(figures.get("reserve", 0)),
        )
    rows = (
        SurveyRespondent.objects.filter(sample=sample)
        .order_by()
        .values("stratum", "is_reserve", "active", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = row["stratum"]
        stratum = strata.setdefault(key, StratumProgress(key, stratum_label(key)))
        n = row["n"]
        if row["is_reserve"] and not row["active"]:
            continue
        if row["is_reserve"]:
            stratum.reserves_used += n
        else:
            stratum.drawn += n
        status = row["status"]
        if status == RespondentStatus.PENDING:
            stratum.pending += n
        elif status == RespondentStatus.COMPLETED:
            stratum.completed += n
        elif status == RespondentStatus.UNREACHABLE:
            stratum.unreachable += n
        elif status == RespondentStatus.REFUSED:
            stratum.refused += n
        else:
            stratum.replaced += n
    total = StratumProgress("", "")
    for stratum in strata.values():
        for name in (
            "population",
            "drawn",
            "reserve",
            "reserves_used",
            "pending",
            "completed",
            "unreachable",
            "refused",
            "replaced",
        ):
            setattr(total, name, getattr(total, name) + getattr(stratum, name))
    attempts = SurveyAttempt.objects.filter(respondent__sample=sample).count()
    return SurveyProgress(
        population=sample.population,
        sample_size=sample.sample_size,
        home_visits=sample.home_visits,
        needed=sampling.SurveyParameters.of(evaluation.round).minimum_completed(sample.population),
        attempts=attempts,
        total=total,
        strata=sorted(strata.values(), key=lambda s: s.stratum),
    )


@dataclass
class SurveyResults:
    """The survey's aggregates (spec §5): H1 (mean index), the share satisfied (respondent mean
    ≥ 4), H2 (share effectively aware) and each item's mean (S, 0–100) or share known (W);
    ``enough`` False when fewer than min(30, ⌈N/2⌉) follow-ups are completed (H1/H2 are then
    scored by hand)."""

    completed: int
    needed: int
    index: Decimal | None
    share_satisfied: Decimal | None
    awareness: Decimal | None
    items: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.completed >= self.needed and self.completed > 0


def survey_results_visible(*, actor: Actor, evaluation: StationEvaluation) -> bool:
    """Whether the actor reads the survey's aggregates of ``evaluation`` (module note)."""
    if not StationEvaluation.objects.visible_to(actor).filter(pk=evaluation.pk).exists():
        return False
    role = acting_role(actor)
    if role in SURVEY_READERS:
        return True
    return role in AGGREGATE_READERS_AFTER_PUBLICATION and evaluation.status in RESULT_STATES


def survey_results(*, actor: Actor, evaluation: StationEvaluation) -> SurveyResults | None:
    """The survey's aggregates for those who may read them (``survey_results_visible``);
    None otherwise or when no sample is drawn. Two queries."""
    if not survey_results_visible(actor=actor, evaluation=evaluation):
        return None
    sample = SurveySample.objects.filter(evaluation=evaluation).only("population").first()
    if sample is None:
        return None
    item_fields = [code.lower() for code in (*SATISFACTION_CODES, *AWARENESS_CODES)]
    answers = list(
        SurveyAnswer.objects.filter(
            respondent__sample=sample, respondent__status=RespondentStatus.COMPLETED
        ).values("satisfaction_index", "effectively_aware", *item_fields)
    )
    indices = [a["satisfaction_index"] for a in answers if a["satisfaction_index"] is not None]
    satisfied = sum(1 for index in indices if index >= 75)  # mean answer ≥ 4
    items: dict[str, Decimal | None] = {}
    for code in SATISFACTION_CODES:
        given = [a[code.lower()] for a in answers if a[code.lower()] is not None]
        items[code] = sampling.mean_index([sampling.item_score(x) for x in given])
    for code in AWARENESS_CODES:
        items[code] = sampling.share(sum(1 for a in answers if a[code.lower()]), len(answers))
    return SurveyResults(
        completed=len(answers),
        needed=sampling.SurveyParameters.of(evaluation.round).minimum_completed(sample.population),
        index=sampling.mean_index(indices),
        share_satisfied=sampling.share(satisfied, len(indices)),
        awareness=sampling.share(sum(1 for a in answers if a["effectively_aware"]), len(answers)),
        items=items,
    )


def stakeholder_rating_list(
    *, actor: Actor, evaluation: StationEvaluation | None = None
) -> QuerySet[StakeholderRating]:
    """The stakeholders' forms the actor may read (the bureaus, the station's evaluator)."""
    rows = StakeholderRating.objects.visible_to(actor).select_related("village", "entered_by")
    if evaluation is not None:
        rows = rows.filter(evaluation=evaluation)
    return rows


def complaint_list(*, actor: Actor) -> QuerySet[Complaint]:
    """The complaints the actor may read, by the station's jurisdiction (an evaluator: those
    of the stations assigned to them)."""
    return Complaint.objects.visible_to(actor).select_related("station", "station__region")


# --- the lists of the evaluation's parts, for their pages (issue 15) ----------------------------
#
# Each honours what the scorecard shows (``score_visibility``): the evaluator's scores and the
# steps that tell them are read by the city and the evaluator, by the district once the
# evaluator has submitted, by everyone else once the result is out (published).

__all__ += [
    "REVIEW_EVENTS",
    "SCORING_EVENTS",
    "evaluation_event_list",
    "evaluation_evidence_list",
    "indicator_score_list",
    "revision_list",
    "survey_answer_list",
    "survey_sample_list",
]

from swstation.evaluation.models import (  # noqa: E402
    EvaluationEvent,
    EvaluationEvidence,
    EventKind,
    StationEvaluationRevision,
)

# The steps of the log that tell the evaluator's scores, and the district's review.
SCORING_EVENTS = (
    EventKind.SCORED,
    EventKind.OVERRIDDEN,
    EventKind.VETOED,
    EventKind.SCORING_SUBMITTED,
    EventKind.RETURNED,
)
REVIEW_EVENTS = (EventKind.COMMENTED,)
_SUBMITTED = Q(evaluation__scored_at__isnull=False) | Q(
    evaluation__status__in=(
        EvaluationStatus.DISTRICT_REVIEW,
        EvaluationStatus.CITY_APPROVAL,
        *RESULT_STATES,
    )
)


def indicator_score_list(*, actor: Actor) -> QuerySet[IndicatorScore]:
    """The indicator rows the actor reads: the city and the evaluator every row they see; the
    district every row, the evaluator's columns (``shown_evaluator_score``,
    ``shown_final_score``) once the evaluator has submitted; everyone else only the rows of
    results that are out."""
    rows = IndicatorScore.objects.visible_to(actor).select_related(
        "evaluation__station", "evaluation__round", "indicator"
    )
    role = acting_role(actor)
    if role in (Role.CITY_ADMIN, Role.EVALUATOR):
        shown: Q | None = None
    elif role == Role.DISTRICT_OFFICER:
        shown = _SUBMITTED
    else:
        rows = rows.filter(evaluation__status__in=RESULT_STATES)
        shown = None
    if shown is None:
        return rows.annotate(
            shown_evaluator_score=F("evaluator_score"), shown_final_score=F("final_score")
        )
    return rows.annotate(
        shown_evaluator_score=Case(When(shown, then=F("evaluator_score")), default=None),
        shown_final_score=Case(When(shown, then=F("final_score")), default=None),
    )


def evaluator_scores_visible(*, actor: Actor, score: IndicatorScore) -> bool:
    return score_visibility(actor=actor, evaluation=score.evaluation).evaluator_scores


__all__ += ["evaluator_scores_visible"]


def evaluation_evidence_list(*, actor: Actor) -> QuerySet[EvaluationEvidence]:
    return EvaluationEvidence.objects.visible_to(actor).select_related(
        "score__evaluation__station", "score__evaluation__round", "score__indicator"
    )


def evaluation_event_list(*, actor: Actor) -> QuerySet[EvaluationEvent]:
    """The log lines the actor reads: the scoring steps and the district's comments are left
    out until the actor may read them, as on the scorecard."""
    rows = EvaluationEvent.objects.visible_to(actor).select_related(
        "evaluation__station", "evaluation__round", "actor", "indicator"
    )
    role = acting_role(actor)
    if role in (Role.CITY_ADMIN, Role.EVALUATOR):
        return rows
    if role == Role.DISTRICT_OFFICER:
        return rows.exclude(Q(kind__in=SCORING_EVENTS) & ~_SUBMITTED)
    out = Q(evaluation__status__in=RESULT_STATES)
    return rows.exclude(Q(kind__in=(*SCORING_EVENTS, *REVIEW_EVENTS)) & ~out)


def revision_score_rows(revision: StationEvaluationRevision) -> list[tuple[str, str, object]]:
    """A published revision's frozen scores as (code, indicator name, score), in the
    standard's order (a code alone sorts B10 before B2); a code the standard no longer has
    comes last, by code."""
    scores = revision.scores if isinstance(revision.scores, dict) else {}
    names = dict(
        Indicator.objects.filter(
            dimension__indicator_set_id=revision.evaluation.round.indicator_set_id,
            code__in=scores,
        ).values_list("code", "name")
    )
    codes = [*names, *sorted(set(scores) - set(names))]
    return [(code, names.get(code, ""), scores[code]) for code in codes]


def revision_list(*, actor: Actor) -> QuerySet[StationEvaluationRevision]:
    return StationEvaluationRevision.objects.visible_to(actor).select_related(
        "evaluation__station", "evaluation__round", "approved_by"
    )


def survey_sample_list(*, actor: Actor) -> QuerySet[SurveySample]:
    """The samples the actor reads (the bureaus in scope, the station's evaluator)."""
    return SurveySample.objects.visible_to(actor).select_related(
        "evaluation__station", "evaluation__round", "questionnaire", "drawn_by"
    )


def survey_answer_list(*, actor: Actor) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.visible_to(actor).select_related(
        "respondent__sample__evaluation__station", "entered_by"
    )


# --- the district assessment (市对区县考核, spec §6) ------------------------------------------


def _assesses_districts(actor: Actor) -> bool:
    """The city bureau (and a superuser) sees drafts; everyone else published assessments."""
    return acting_role(actor) == Role.CITY_ADMIN


def district_scheme_list(*, actor: Actor) -> QuerySet[DistrictAssessmentScheme]:
    return DistrictAssessmentScheme.objects.visible_to(actor).annotate(
        assessment_count=Count("assessments")
    )


def district_scheme_used(scheme: DistrictAssessmentScheme) -> bool:
    """Whether a published assessment was scored with ``scheme``: then it is a record."""
    return scheme.assessments.filter(status=AssessmentStatus.PUBLISHED).exists()


def district_assessment_list(*, actor: Actor) -> QuerySet[DistrictAssessment]:
    """The assessments the actor sees: the city bureau every one, the districts and auditors
    the published ones."""
    queryset = DistrictAssessment.objects.visible_to(actor).select_related(
        "scheme", "evaluation_round", "published_by"
    )
    if not _assesses_districts(actor):
        queryset = queryset.filter(status=AssessmentStatus.PUBLISHED)
    return queryset


def district_result_list(*, actor: Actor) -> QuerySet[DistrictResult]:
    """Each county's results the actor sees: in their jurisdiction (a district its own), of
    the assessments they see."""
    return (
        DistrictResult.objects.visible_to(actor)
        .filter(assessment__in=district_assessment_list(actor=actor).values("pk"))
        .select_related("assessment", "region")
    )


@dataclass(frozen=True)
class DistrictItemColumn:
    code: str
    name: str
    max_points: str


@dataclass(frozen=True)
class DistrictAssessmentTable:
    """The assessment page's table: the items as columns, one row per county the actor sees
    (ranked), and the city's own figures where the actor sees every county."""

    items: list[DistrictItemColumn]
    results: list[DistrictResult]
    whole_city: bool


def district_assessment_table(
    *, actor: Actor, assessment: DistrictAssessment
) -> DistrictAssessmentTable:
    results = list(
        district_result_list(actor=actor)
        .filter(assessment=assessment)
        .order_by(F("rank").asc(nulls_last=True), "region__code")
    )
    items = [
        DistrictItemColumn(item["code"], item["name"], str(item["points"]))
        for item in assessment.scheme.items
    ]
    counties = DistrictResult.objects.filter(assessment=assessment).count()
    return DistrictAssessmentTable(items, results, whole_city=len(results) == counties > 0)
