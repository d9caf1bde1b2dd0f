"""Writes of the evaluation rounds (issue 15; spec/station-evaluation.md §3 and §4).

The flow of one station's evaluation, and who moves it (spec §4):

    open ──compute──▶ self_assessment ──station submits──▶ scoring ──evaluator submits──▶
    district_review ──district passes──▶ city_approval ──city approves──▶ published (公示)
    ──window closes / objection decided──▶ final

- The district may **return** to scoring with a comment; the city may return to scoring or to
  the district review. Neither edits a score (spec §4: "no score edits").
- The **automatic values** are computed from the records as of the round's snapshot
  (``measures.py``, counted up to ``snapshot_date + entry_grace_days``) and frozen; the city may
  recompute them, with a reason, until the evaluator submits.
- Only the **assigned evaluator** scores, and never a station their agency operates or holds a
  contract with (re-checked at every score); an automatic score changed by the evaluator keeps
  the automatic value beside it and needs a reason; a score below the points needs a finding.
- **A published score never changes**: publication freezes a ``StationEvaluationRevision``; an
  upheld objection sends the evaluation back to scoring with a different evaluator and the next
  approval publishes revision n+1.
- When the result is **final**: the proposed rectification items are issued (due after the
  round's ``rectification_days``); a 不合格 station's final contract instalment for the period
  is held and its agency flagged "no new contract next year".

Every function is atomic, locks what it moves (two requests sent together take turns and the
second is told, 409), writes the history with its author and an ``EvaluationEvent``; every
refusal is a Chinese message, naming the field where it has one.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import SYSTEM, Actor, history_user, require_actor
from swstation.core.history import save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.evaluation import measures, scoring
from swstation.evaluation.inputs import INPUT_SOURCES, SURVEY_STATES, evaluation_inputs
from swstation.evaluation.models import (
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    IndicatorScore,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    RoundStatus,
    RuleType,
    SetStatus,
    StationEvaluation,
    StationEvaluationRevision,
    Veto,
)
from swstation.evaluation.models.rounds import SURVEY_PARAMETER_FIELDS
from swstation.stations.models import Station, StationKind
from swstation.stations.selectors import operating_on_q

__all__ = [
    "DEFAULTED_FIELDS",
    "EVALUATOR_FIELDS",
    "ROUND_FIELDS",
    "STAR_FIELDS",
    "city_approve",
    "city_return",
    "compute_round",
    "evaluation_compute",
    "evaluation_compute_request",
    "evaluation_inputs",
    "evaluator_assign",
    "evaluator_create",
    "evaluator_update",
    "evidence_add",
    "evidence_delete",
    "finalise_due",
    "latest_annual_result",
    "objection_decide",
    "objection_file",
    "rectification_add",
    "rectification_answer",
    "rectification_verify",
    "refresh_input_scores",
    "review_comment",
    "review_pass",
    "review_return",
    "round_close",
    "round_create",
    "round_delete",
    "round_open",
    "round_update",
    "score_set",
    "scoring_submit",
    "self_assessment_close_due",
    "self_score_set",
    "self_submit",
    "veto_set",
]

# A star round's bands (spec §3, §7: data the city edits; defaults 85 and 77).
STAR_FIELDS = ("star_five_from", "star_four_from")
# Defaults the round's form may leave out (the round keeps its value).
DEFAULTED_FIELDS = (*STAR_FIELDS, "recusal_months")
ROUND_FIELDS = (
    "name",
    "kind",
    "indicator_set",
    "period_start",
    "snapshot_date",
    *STAR_FIELDS,
    "recusal_months",
    "entry_grace_days",
    "self_assessment_days",
    "scoring_days",
    "review_days",
    "objection_working_days",
    "rectification_days",
    "verification_days",
    "note",
    *SURVEY_PARAMETER_FIELDS,  # the survey's parameters (spec §5, §7): services/surveys.py
)
EVALUATOR_FIELDS = ("user", "agency", "qualification")
HALF = Decimal("0.5")
# Items waiting for the station's answer (evidence may still be added for them).
OPEN_ITEMS = (RectificationStatus.ISSUED, RectificationStatus.REOPENED)
CENT = Decimal("0.01")


def _today() -> date:
    return timezone.localdate()


def _require(actor: Actor, action: Action, model: type[Any], message: str) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(message)


def _role(actor: Actor) -> str:
    if actor is SYSTEM:
        return "system"
    if getattr(actor, "is_superuser", False):
        return Role.CITY_ADMIN
    role: str = getattr(actor, "role", "") or ""
    return role


def _require_role(actor: Actor, roles: Iterable[str], message: str) -> None:
    require_actor(actor)
    if actor is SYSTEM:
        return
    if _role(actor) not in set(roles):
        raise PermissionDenied(message)


def _require_in_scope(actor: Actor, evaluation: StationEvaluation) -> None:
    """The evaluation is in the actor's jurisdiction (or, for an evaluator, assigned to them)."""
    if actor is SYSTEM:
        return
    if not StationEvaluation.objects.visible_to(actor).filter(pk=evaluation.pk).exists():
        raise PermissionDenied(_("This evaluation is not in your jurisdiction."))


def _event(
    evaluation: StationEvaluation,
    kind: str,
    actor: Actor,
    *,
    note: str = "",
    indicator: Any = None,
    **data: Any,
) -> None:
    EvaluationEvent.objects.create(
        evaluation=evaluation,
        kind=kind,
        actor=history_user(actor),
        indicator=indicator,
        note=note,
        data={key: _jsonable(value) for key, value in data.items()},
    )


def _update_rows(model: Any, objs: Sequence[Any], fields: Sequence[str]) -> None:
    """What ``bulk_update`` does, without its CASE clause per row and field: Django compiles
    one ``When`` for each (about ten seconds for the 5,772 scores of a round of the city's 156
    stations, most of the computation). One parameterised UPDATE per row, sent together
    (``executemany``: pipelined by psycopg)."""
    if not objs:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {sets} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [
                [
                    column.get_db_prep_save(getattr(obj, column.attname), connection)
                    for column in columns
                ]
                + [obj.pk]
                for obj in objs
            ],
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _state(evaluation: StationEvaluation, *allowed: str) -> None:
    if evaluation.status not in allowed:
        raise StateConflict(
            _("This evaluation is at the step “%(status)s”: it cannot do that now.")
            % {"status": evaluation.get_status_display()}
        )


# --- evaluators --------------------------------------------------------------------------------


def _check_evaluator_user(evaluator: Evaluator) -> None:
    if evaluator.user_id and evaluator.user.role != Role.EVALUATOR:
        raise ValidationError({"user": _("Only a user with the role “evaluator” can be one.")})


@transaction.atomic
def evaluator_create(*, actor: Actor, **values: Any) -> Evaluator:
    _require(actor, "add", Evaluator, _("Only the city bureau registers evaluators."))
    evaluator = Evaluator(**{k: v for k, v in values.items() if k in EVALUATOR_FIELDS})
    evaluator.full_clean()
    _check_evaluator_user(evaluator)
    return save_with_history(evaluator, actor=actor)


@transaction.atomic
def evaluator_update(*, actor: Actor, evaluator: Evaluator, **changes: Any) -> Evaluator:
    _require(actor, "change", Evaluator, _("Only the city bureau registers evaluators."))
    lock_for_transition(evaluator)
    for name, value in changes.items():
        if name not in EVALUATOR_FIELDS:
            raise TypeError(f"Evaluator: not writable here: {name}")
        setattr(evaluator, name, value)
    evaluator.full_clean()
    _check_evaluator_user(evaluator)
    return save_with_history(evaluator, actor=actor)


def evaluator_conflict(user: Any, station: Station, round_: EvaluationRound) -> str:
    """Why ``user`` may not evaluate ``station`` in ``round_`` (spec §4, recusal), or "".

    Refused when the evaluator's agency operates the station, or holds any purchase contract
    with the station's township in the round's period, or when the evaluator worked at the
    station in the round's ``recusal_months`` (24 by default) before the period."""
    from swstation.funds.models import PurchaseContract
    from swstation.workforce.models import SocialWorker

    profile = Evaluator.objects.filter(user=user).select_related("agency").first()
    agency_id = profile.agency_id if profile else None
    if agency_id is not None:
        if station.agency_id == agency_id:
            return _("The evaluator's agency operates this station.")
        township = station.region.code[:9]
        contracts = PurchaseContract.objects.filter(
            agency_id=agency_id,
            region__code__startswith=township,
            starts_on__lte=round_.snapshot_date,
            ends_on__gte=round_.period_start,
        )
        if contracts.exists():
            return _("The evaluator's agency holds a contract with this township in the period.")
    look_back = round_.period_start - timedelta(days=round_.recusal_months * 365 // 12)
    worked = SocialWorker.objects.filter(user=user, station=station).filter(
        hired_on__lte=round_.snapshot_date
    )
    worked = worked.exclude(left_on__lt=look_back)
    if worked.exists():
        return _("The evaluator worked at this station in the last %(months)s months.") % {
            "months": round_.recusal_months
        }
    return ""


def _require_assigned_evaluator(actor: Actor, evaluation: StationEvaluation) -> None:
    """Only the assigned evaluator scores, and the recusal rule is checked again at every save
    (an agency may have taken a contract since the assignment)."""
    if actor is SYSTEM:
        return
    if _role(actor) != Role.EVALUATOR or evaluation.evaluator_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the evaluator assigned to this station scores it."))
    conflict = evaluator_conflict(actor, evaluation.station, evaluation.round)
    if conflict:
        raise PermissionDenied(conflict)


@transaction.atomic
def evaluator_assign(*, actor: Actor, evaluation: StationEvaluation, evaluator: Any) -> Any:
    """The city assigns a third-party evaluator to a station of a round (spec §4)."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau assigns evaluators."))
    lock_for_transition(evaluation, "status", "evaluator")
    if evaluation.result_is_out:
        raise StateConflict(_("The result is out: the evaluator no longer changes."))
    if evaluator is None or getattr(evaluator, "role", None) != Role.EVALUATOR:
        raise ValidationError({"evaluator": _("Choose a user with the role “evaluator”.")})
    conflict = evaluator_conflict(evaluator, evaluation.station, evaluation.round)
    if conflict:
        raise ValidationError({"evaluator": conflict})
    previous = evaluation.evaluator
    evaluation.evaluator = evaluator
    save_with_history(evaluation, actor=actor)
    _event(
        evaluation,
        EventKind.ASSIGNED,
        actor,
        evaluator=str(evaluator),
        previous=str(previous) if previous else "",
    )
    return evaluation


# --- rounds ------------------------------------------------------------------------------------


def _check_round(round_: EvaluationRound) -> None:
    errors: dict[str, str] = {}
    if round_.indicator_set_id and round_.indicator_set.status != SetStatus.PUBLISHED:
        errors["indicator_set"] = _("Only a published version of a standard can score a round.")
    if round_.period_start and round_.snapshot_date:
        if round_.snapshot_date < round_.period_start:
            errors["snapshot_date"] = _("The snapshot date is not before the period start.")
        elif (round_.snapshot_date - round_.period_start).days > 3 * 366:
            errors["period_start"] = _("A period is at most three years.")
    if round_.indicator_set_id and round_.indicator_set.has_bonus and round_.kind != RoundKind.STAR:
        errors["indicator_set"] = _(
            "This version has bonus dimensions: it scores star rounds only (spec: a star round "
            "has its own version)."
        )
    if (
        round_.kind == RoundKind.STAR
        and round_.star_four_from is not None
        and round_.star_five_from is not None
        and round_.star_four_from >= round_.star_five_from
    ):
        errors["star_four_from"] = _("Four stars start below five stars.")
    if round_.grade_bands:
        problems = scoring.grade_bands_errors(round_.grade_bands)
        if problems:
            errors["grade_bands"] = " ".join(problems)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(*, actor: Actor, **values: Any) -> EvaluationRound:
    """A round being prepared: the city edits it until it opens (spec §4)."""
    _require(actor, "add", EvaluationRound, _("Only the city bureau opens evaluation rounds."))
    round_ = EvaluationRound(**{k: v for k, v in values.items() if k in ROUND_FIELDS})
    if not round_.grade_bands:
        round_.grade_bands = list(scoring.DEFAULT_GRADE_BANDS)
    round_.full_clean()
    _check_round(round_)
    return save_with_history(round_, actor=actor)


@transaction.atomic
def round_update(*, actor: Actor, round: EvaluationRound, **changes: Any) -> EvaluationRound:
    _require(actor, "change", EvaluationRound, _("Only the city bureau edits evaluation rounds."))
    lock_for_transition(round, "status")
    if round.status != RoundStatus.DRAFT:
        raise StateConflict(_("The round is under way: its version, period and dates are fixed."))
    for name, value in changes.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"EvaluationRound: not writable here: {name}")
        setattr(round, name, value)
    round.full_clean()
    _check_round(round)
    return save_with_history(round, actor=actor)


@transaction.atomic
def round_delete(*, actor: Actor, round: EvaluationRound) -> None:
    _require(actor, "delete", EvaluationRound, _("Only the city bureau edits evaluation rounds."))
    lock_for_transition(round, "status")
    if round.status != RoundStatus.DRAFT:
        raise StateConflict(_("A round under way or closed is a record: it is not deleted."))
    round.delete()


def _operating_stations(on: date) -> Any:
    """The township stations operating on ``on`` (spec §2: a version applies to township
    stations by default)."""
    return Station.objects.filter(operating_on_q(day=on), kind=StationKind.TOWNSHIP)


@transaction.atomic
def round_open(
    *, actor: Actor, round: EvaluationRound, stations: Sequence[Station] | None = None
) -> EvaluationRound:
    """Open the round for ``stations`` (default: every station operating on the snapshot
    date): one evaluation per station with one score row per indicator of the version."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau opens evaluation rounds."))
    lock_for_transition(round, "status")
    if round.status != RoundStatus.DRAFT:
        raise StateConflict(_("This round is already open."))
    chosen = (
        list(stations)
        if stations is not None
        else list(_operating_stations(round.snapshot_date).select_related("region"))
    )
    if not chosen:
        raise ValidationError({"stations": _("Choose at least one station.")})
    indicators = list(
        round.indicator_set.dimensions.order_by().values_list("indicators__pk", flat=True)
    )
    indicators = [pk for pk in indicators if pk is not None]
    evaluations = StationEvaluation.objects.bulk_create(
        [
            StationEvaluation(round=round, station=station, region_code=station.region.code)
            for station in chosen
        ]
    )
    IndicatorScore.objects.bulk_create(
        [
            IndicatorScore(evaluation=evaluation, indicator_id=pk)
            for evaluation in evaluations
            for pk in indicators
        ],
        batch_size=2000,
    )
    round.status = RoundStatus.OPEN
    round.opened_on = _today()
    return save_with_history(round, actor=actor)


@transaction.atomic
def round_close(*, actor: Actor, round: EvaluationRound) -> EvaluationRound:
    """Close a round whose every evaluation is final."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau closes evaluation rounds."))
    lock_for_transition(round, "status")
    if round.status != RoundStatus.OPEN:
        raise StateConflict(_("Only a round under way is closed."))
    pending = round.evaluations.exclude(status=EvaluationStatus.FINAL).count()
    if pending:
        raise ValidationError(
            _("%(count)s stations are not final yet: the round closes when all are.")
            % {"count": pending}
        )
    round.status = RoundStatus.CLOSED
    round.closed_on = _today()
    return save_with_history(round, actor=actor)


# --- automatic values --------------------------------------------------------------------------


# Until the evaluator submits, the city may compute the automatic values again (spec §4).
COMPUTABLE = (
    EvaluationStatus.OPEN,
    EvaluationStatus.SELF_ASSESSMENT,
    EvaluationStatus.SCORING,
)


def entries_close_at(round_: EvaluationRound) -> datetime:
    """The end of the day ``snapshot_date + entry_grace_days``: records entered later do not
    count (spec §2.1)."""
    last_day = round_.snapshot_date + timedelta(days=round_.entry_grace_days)
    return timezone.make_aware(datetime.combine(last_day, time.max))


def _apply_outcome(score: IndicatorScore, measure: Any, period_days: int) -> None:
    indicator = score.indicator
    score.measured_value = measure.value if measure else None
    score.numerator = measure.numerator if measure else None
    score.denominator = measure.denominator if measure else None
    score.measure_detail = (measure.detail if measure else "")[:300]
    if indicator.rule_type == RuleType.MANUAL:
        outcome = scoring.RuleOutcome(None, _("Scored by the evaluator."))
    elif measure is None:
        outcome = scoring.RuleOutcome(None, _("Its records are not on the platform yet."))
    else:
        outcome = scoring.score_rule(
            indicator.rule_type,
            indicator.rule_params,
            indicator.points,
            measure.value,
            period_days=period_days,
        )
    score.auto_score = outcome.score
    score.auto_note = str(outcome.note)[:300]
    score.final_score = (
        score.evaluator_score if score.evaluator_score is not None else score.auto_score
    )


@transaction.atomic
def evaluation_compute(
    *,
    actor: Actor,
    round: EvaluationRound,
    evaluations: Sequence[StationEvaluation] | None = None,
    reason: str = "",
) -> int:
    """Compute the automatic values of the round's evaluations from the records as of its
    snapshot and freeze them (spec §4 ``open``): evaluations still ``open`` move to the
    self-assessment; recomputing one already computed needs a reason and is refused once the
    evaluator has submitted. One pass of bulk queries for all the stations (``measures.py``).
    Returns how many evaluations were computed."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau computes the scores."))
    if round.status != RoundStatus.OPEN:
        raise StateConflict(_("Only a round under way is computed."))
    if timezone.now() <= entries_close_at(round):
        raise ValidationError(
            _("Records may be entered until %(day)s: the scores are computed after that.")
            % {"day": round.snapshot_date + timedelta(days=round.entry_grace_days)}
        )
    chosen = list(
        (
            StationEvaluation.objects.filter(pk__in=[e.pk for e in evaluations])
            if evaluations is not None
            else round.evaluations.all()
        )
        .select_for_update()
        .select_related("station__region")
        .order_by("pk")
    )
    again = [e for e in chosen if e.computed_at is not None]
    if again and not reason.strip():
        raise ValidationError({"reason": _("Say why the automatic values are computed again.")})
    late = [e for e in chosen if e.status not in COMPUTABLE]
    if evaluations is None:  # the whole round: the stations already submitted keep theirs
        chosen = [e for e in chosen if e.status in COMPUTABLE]
        late = [] if chosen else late
    if late:
        raise StateConflict(
            _("%(station)s has been scored by its evaluator: its values are frozen.")
            % {"station": late[0].station}
        )
    period = measures.MeasurePeriod(
        start=round.period_start, snapshot=round.snapshot_date, entered_by=entries_close_at(round)
    )
    values = measures.measure_stations([e.station for e in chosen], period)
    inputs = evaluation_inputs(chosen)  # H1–H3: the survey and the stakeholders' forms
    scores = list(IndicatorScore.objects.filter(evaluation__in=chosen).select_related("indicator"))
    by_evaluation: dict[int, list[IndicatorScore]] = {}
    for score in scores:
        by_evaluation.setdefault(score.evaluation_id, []).append(score)
    now = timezone.now()
    today = _today()
    for evaluation in chosen:
        station_values = {**values.get(evaluation.station_id, {}), **inputs[evaluation.pk]}
        for score in by_evaluation.get(evaluation.pk, []):
            _apply_outcome(score, station_values.get(score.indicator.source), period.days)
        evaluation.computed_at = now
        if evaluation.status == EvaluationStatus.OPEN:
            evaluation.status = EvaluationStatus.SELF_ASSESSMENT
            evaluation.self_due_on = today + timedelta(days=round.self_assessment_days)
    for score in scores:
        score.updated_at = now
    _update_rows(
        IndicatorScore,
        scores,
        [
            "measured_value",
            "numerator",
            "denominator",
            "measure_detail",
            "auto_score",
            "auto_note",
            "final_score",
            "updated_at",
        ],
    )
    StationEvaluation.objects.bulk_update(
        chosen, ["computed_at", "status", "self_due_on", "updated_at"], batch_size=500
    )
    EvaluationEvent.objects.bulk_create(
        [
            EvaluationEvent(
                evaluation=evaluation,
                kind=EventKind.COMPUTED,
                actor=history_user(actor),
                note=reason.strip(),
                data={
                    "snapshot_date": str(round.snapshot_date),
                    "entered_by": str(period.entered_by),
                    "indicator_set": str(round.indicator_set),
                },
            )
            for evaluation in chosen
        ]
    )
    return len(chosen)


@transaction.atomic
def evaluation_compute_request(
    *, actor: Actor, round: EvaluationRound, reason: str = ""
) -> EvaluationRound:
    """Ask the background task to compute the round (:func:`compute_round`): the checks that
    need no records are made here, so that the page says at once what is wrong."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau computes the scores."))
    lock_for_transition(round, "status", "computing_since")
    if round.status != RoundStatus.OPEN:
        raise StateConflict(_("Only a round under way is computed."))
    if round.computing_since is not None:
        raise StateConflict(_("The scores of this round are being computed."))
    if timezone.now() <= entries_close_at(round):
        raise ValidationError(
            _("Records may be entered until %(day)s: the scores are computed after that.")
            % {"day": round.snapshot_date + timedelta(days=round.entry_grace_days)}
        )
    if not round.evaluations.filter(status__in=COMPUTABLE).exists():
        raise StateConflict(
            _("Every station of this round has been scored: the values are frozen.")
        )
    if round.evaluations.exclude(computed_at=None).exists() and not reason.strip():
        raise ValidationError({"reason": _("Say why the automatic values are computed again.")})
    round.computing_since = timezone.now()
    round.save(update_fields=["computing_since", "updated_at"])
    actor_id = None if actor is SYSTEM else getattr(actor, "pk", None)
    transaction.on_commit(lambda: compute_round.enqueue(round.pk, actor_id, reason.strip()))
    return round


@task(backend="background")
def compute_round(round_id: int, actor_id: int | None, reason: str = "") -> int:
    """The background task (issue 15, "Performance": one task computes every station of a
    round; BACKGROUND_TASKS=immediate runs it in the request, as the tests do): the round's
    automatic values, as the user who asked (the history names them); ``computing_since`` is
    cleared whatever happens."""
    from swstation.accounts.models import User

    round_ = EvaluationRound.objects.get(pk=round_id)
    actor: Actor = User.objects.get(pk=actor_id) if actor_id else SYSTEM
    try:
        return evaluation_compute(actor=actor, round=round_, reason=reason)
    finally:
        EvaluationRound.objects.filter(pk=round_id).update(computing_since=None)


# --- self-assessment ---------------------------------------------------------------------------


def _check_points(value: Decimal | None, score: IndicatorScore, field: str) -> Decimal | None:
    if value is None:
        return None
    points = score.indicator.points
    value = Decimal(value)
    if value < 0 or value > points:
        raise ValidationError(
            {field: _("A score is from 0 to %(points)s points.") % {"points": _num(points)}}
        )
    if score.indicator.rule_type == RuleType.MANUAL and (value / HALF) % 1 != 0:
        raise ValidationError({field: _("An indicator scored by hand is scored in steps of 0.5.")})
    return value.quantize(CENT)


def _num(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def _station_staff(actor: Actor, evaluation: StationEvaluation, roles: set[str]) -> None:
    _require_role(actor, roles, _("Only the station's own staff assess it."))
    _require_in_scope(actor, evaluation)


@transaction.atomic
def self_score_set(
    *, actor: Actor, score: IndicatorScore, self_score: Decimal | None, self_note: str = ""
) -> IndicatorScore:
    """The station manager's self-score of one indicator, with an explanation (spec §4)."""
    evaluation = score.evaluation
    _station_staff(actor, evaluation, {Role.STATION_MANAGER})
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.SELF_ASSESSMENT)
    score.self_score = _check_points(self_score, score, "self_score")
    score.self_note = self_note.strip()
    save_with_history(score, actor=actor)
    _event(
        evaluation,
        EventKind.SELF_SCORED,
        actor,
        indicator=score.indicator,
        self_score=score.self_score,
    )
    return score


@transaction.atomic
def evidence_add(
    *, actor: Actor, score: IndicatorScore, title: str, file: Any
) -> EvaluationEvidence:
    """A file for an indicator, by the station's staff while it assesses itself or is scored."""
    evaluation = score.evaluation
    _station_staff(actor, evaluation, {Role.STATION_MANAGER, Role.SOCIAL_WORKER})
    _state(
        evaluation,
        EvaluationStatus.SELF_ASSESSMENT,
        EvaluationStatus.SCORING,
        EvaluationStatus.FINAL,  # the evidence of a rectification answer
    )
    if (
        evaluation.status == EvaluationStatus.FINAL
        and not evaluation.rectifications.filter(
            indicator=score.indicator, status__in=OPEN_ITEMS
        ).exists()
    ):
        raise StateConflict(
            _("The result is final: evidence is added only to answer a rectification item.")
        )
    evidence = EvaluationEvidence(score=score, title=title.strip(), file=file)
    evidence.full_clean()
    return save_with_history(evidence, actor=actor)


@transaction.atomic
def evidence_delete(*, actor: Actor, evidence: EvaluationEvidence) -> None:
    evaluation = evidence.score.evaluation
    _station_staff(actor, evaluation, {Role.STATION_MANAGER, Role.SOCIAL_WORKER})
    _state(evaluation, EvaluationStatus.SELF_ASSESSMENT)
    evidence.file.delete(save=False)
    evidence.delete()


@transaction.atomic
def self_submit(*, actor: Actor, evaluation: StationEvaluation) -> StationEvaluation:
    """The station submits its self-assessment: every indicator self-scored (spec §4)."""
    _station_staff(actor, evaluation, {Role.STATION_MANAGER})
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.SELF_ASSESSMENT)
    missing = evaluation.scores.filter(self_score__isnull=True).select_related("indicator")
    codes = [s.indicator.code for s in missing]
    if codes:
        raise ValidationError(
            _("Self-score every indicator before submitting: %(codes)s.")
            % {"codes": "、".join(codes)}
        )
    return _to_scoring(actor, evaluation, EventKind.SELF_SUBMITTED)


def _sum(evaluation: StationEvaluation, field: str, *, bonus: bool = False) -> Decimal:
    """The total of ``field`` over the base indicators (the 100 points that set the grade), or
    over the bonus ones (a star version's, spec §3)."""
    values = (
        evaluation.scores.exclude(**{f"{field}__isnull": True})
        .filter(indicator__dimension__is_bonus=bonus)
        .values_list(field, flat=True)
    )
    return scoring.total_score(value for value in values if value is not None)


def latest_annual_result(evaluation: StationEvaluation) -> StationEvaluation | None:
    """The station's final result in the latest annual round up to this round's snapshot (the
    star's precondition, spec §3)."""
    return (
        StationEvaluation.objects.filter(
            station_id=evaluation.station_id,
            round__kind=RoundKind.ANNUAL,
            round__snapshot_date__lte=evaluation.round.snapshot_date,
            status=EvaluationStatus.FINAL,
        )
        .exclude(pk=evaluation.pk)
        .select_related("round")
        .order_by("-round__snapshot_date", "-pk")
        .first()
    )


def _star_details(evaluation: StationEvaluation) -> dict[str, Any]:
    """The bonus and the star, for the history of a star round's evaluation."""
    if evaluation.round.kind != RoundKind.STAR:
        return {}
    return {"bonus": evaluation.bonus_score, "star": evaluation.star}


def _bonus_and_star(
    evaluation: StationEvaluation, total: Decimal
) -> tuple[Decimal | None, int | None, str]:
    """A star round's bonus (its bonus indicators' scores, up to the version's cap), star and,
    when there is no star for a reason other than the score, why (spec §3: "a station with a
    veto or a 不合格 in the latest annual round gets no star"). (None, None, "") elsewhere."""
    round_ = evaluation.round
    if round_.kind != RoundKind.STAR:
        return None, None, ""
    bonus = min(_sum(evaluation, "final_score", bonus=True), round_.indicator_set.bonus_cap)
    blocked = ""
    if evaluation.veto:
        blocked = _("No star: %(veto)s.") % {"veto": evaluation.get_veto_display()}
    else:
        annual = latest_annual_result(evaluation)
        if annual is not None and annual.grade == "fail":
            blocked = _("No star: 不合格 in %(round)s.") % {"round": annual.round.name[:200]}
    star = scoring.star_for(
        total + bonus,
        five=round_.star_five_from,
        four=round_.star_four_from,
        blocked=bool(blocked),
    )
    return bonus, star, blocked


def _to_scoring(actor: Actor, evaluation: StationEvaluation, kind: str) -> StationEvaluation:
    evaluation.self_total = _sum(evaluation, "self_score")
    evaluation.self_submitted_at = timezone.now()
    evaluation.status = EvaluationStatus.SCORING
    evaluation.scoring_due_on = _today() + timedelta(days=evaluation.round.scoring_days)
    save_with_history(evaluation, actor=actor)
    _event(evaluation, kind, actor, self_total=evaluation.self_total)
    return evaluation


# --- scoring by the evaluator ------------------------------------------------------------------


@transaction.atomic
def score_set(
    *,
    actor: Actor,
    score: IndicatorScore,
    evaluator_score: Decimal | None,
    override_reason: str = "",
    finding: str = "",
) -> IndicatorScore:
    """The assigned evaluator scores an indicator, or overrides its automatic score (spec
    §2.1: "every automatic score may be overridden by the evaluator (0 … pts) with a reason";
    the automatic value stays stored beside it). None clears the evaluator's score (back to
    the automatic one)."""
    evaluation = score.evaluation
    _require_assigned_evaluator(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.SCORING)
    lock_for_transition(score)
    value = _check_points(evaluator_score, score, "evaluator_score")
    reason = override_reason.strip()
    finding = finding.strip()
    overriding = value is not None and score.auto_score is not None and value != score.auto_score
    if overriding and not reason:
        raise ValidationError(
            {
                "override_reason": _("Say why the automatic score %(auto)s is changed.")
                % {"auto": _num(score.auto_score or Decimal(0))}
            }
        )
    final = value if value is not None else score.auto_score
    below = final is not None and final < score.indicator.points
    if below and not finding and not score.indicator.dimension.is_bonus:
        raise ValidationError(
            {"finding": _("A score below the indicator's points needs a written finding.")}
        )
    old = score.final_score
    score.evaluator_score = value
    score.override_reason = reason if overriding else ""
    score.finding = finding
    score.final_score = final
    save_with_history(score, actor=actor, reason=reason or None)
    _event(
        evaluation,
        EventKind.OVERRIDDEN if overriding else EventKind.SCORED,
        actor,
        indicator=score.indicator,
        note=reason,
        old=old,
        new=final,
        auto=score.auto_score,
    )
    return score


@transaction.atomic
def veto_set(
    *, actor: Actor, evaluation: StationEvaluation, veto: str, reason: str
) -> StationEvaluation:
    """A confirmed veto (一票否决, spec §2.3) makes the grade 不合格 whatever the total; ""
    clears it."""
    _require_assigned_evaluator(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.SCORING)
    if veto and veto not in Veto.values:
        raise ValidationError({"veto": _("Choose a veto from the list.")})
    if veto and not reason.strip():
        raise ValidationError({"veto_reason": _("Say what was found.")})
    evaluation.veto = veto
    evaluation.veto_reason = reason.strip() if veto else ""
    save_with_history(evaluation, actor=actor, reason=evaluation.veto_reason or None)
    _event(evaluation, EventKind.VETOED, actor, note=evaluation.veto_reason, veto=veto)
    return evaluation


def _grade(evaluation: StationEvaluation, total: Decimal) -> str:
    bands = evaluation.round.grade_bands or scoring.DEFAULT_GRADE_BANDS
    return scoring.grade_for(total, bands, vetoed=bool(evaluation.veto))


def _propose_rectifications(actor: Actor, evaluation: StationEvaluation) -> None:
    """Every indicator under 60 % of its points, and a veto, proposes an item (spec §3);
    proposals made earlier and not kept by the evaluator are replaced. A star round proposes
    none: it awards a title to the stations that apply, and the annual round is where their
    shortfalls are rectified (a confirmed veto still issues its item when final)."""
    evaluation.rectifications.filter(
        status=RectificationStatus.PROPOSED, proposed_by_rule=True
    ).delete()
    if evaluation.round.kind == RoundKind.STAR:
        return
    items = []
    for score in evaluation.scores.select_related("indicator"):
        if score.final_score is None:
            continue
        if scoring.below_rectification_threshold(score.final_score, score.indicator.points):
            items.append(
                RectificationItem(
                    evaluation=evaluation,
                    indicator=score.indicator,
                    proposed_by_rule=True,
                    finding=score.finding
                    or _("%(code)s scored %(score)s of %(points)s points.")
                    % {
                        "code": score.indicator.code,
                        "score": _num(score.final_score),
                        "points": _num(score.indicator.points),
                    },
                    required_action=_("Bring “%(indicator)s” up to the standard.")
                    % {"indicator": score.indicator.name[:200]},
                )
            )
    for item in items:
        item.full_clean()
        save_with_history(item, actor=actor)


@transaction.atomic
def scoring_submit(
    *,
    actor: Actor,
    evaluation: StationEvaluation,
    site_visit_on: date | None = None,
    site_findings: str = "",
) -> StationEvaluation:
    """The evaluator submits: every indicator has a score; the total and the grade are
    computed and the rectification items proposed; on to the district (spec §4)."""
    _require_assigned_evaluator(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.SCORING)
    refresh_input_scores(actor=actor, evaluation=evaluation)  # H1–H3 as the answers stand
    if site_visit_on is not None:
        if site_visit_on > _today():
            raise ValidationError({"site_visit_on": _("The site visit is not in the future.")})
        evaluation.site_visit_on = site_visit_on
    if site_findings.strip():
        evaluation.site_findings = site_findings.strip()
    if evaluation.site_visit_on is None:
        raise ValidationError({"site_visit_on": _("Enter the day of the site visit.")})
    missing = [
        s.indicator.code
        for s in evaluation.scores.filter(final_score__isnull=True).select_related("indicator")
    ]
    if missing:
        raise ValidationError(
            _("Score every indicator before submitting: %(codes)s.") % {"codes": "、".join(missing)}
        )
    total = _sum(evaluation, "final_score")
    evaluation.total_score = total
    evaluation.grade = _grade(evaluation, total)
    evaluation.bonus_score, evaluation.star, evaluation.star_note = _bonus_and_star(
        evaluation, total
    )
    evaluation.scored_at = timezone.now()
    evaluation.status = EvaluationStatus.DISTRICT_REVIEW
    evaluation.review_due_on = _today() + timedelta(days=evaluation.round.review_days)
    save_with_history(evaluation, actor=actor)
    _propose_rectifications(actor, evaluation)
    _event(
        evaluation,
        EventKind.SCORING_SUBMITTED,
        actor,
        total=total,
        grade=evaluation.grade,
        **_star_details(evaluation),
    )
    return evaluation


# --- district review and city approval ---------------------------------------------------------


def _district(actor: Actor, evaluation: StationEvaluation) -> None:
    _require_role(
        actor, {Role.DISTRICT_OFFICER}, _("Only the district's civil-affairs officers review.")
    )
    _require_in_scope(actor, evaluation)


@transaction.atomic
def review_comment(*, actor: Actor, score: IndicatorScore, comment: str) -> IndicatorScore:
    """The district comments an indicator (no score edit, spec §4)."""
    evaluation = score.evaluation
    _district(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.DISTRICT_REVIEW)
    score.district_comment = comment.strip()
    save_with_history(score, actor=actor)
    _event(evaluation, EventKind.COMMENTED, actor, indicator=score.indicator, note=comment.strip())
    return score


@transaction.atomic
def review_return(
    *, actor: Actor, evaluation: StationEvaluation, comment: str
) -> StationEvaluation:
    """The district returns the scoring to the evaluator, saying why."""
    _district(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.DISTRICT_REVIEW)
    return _return_to(actor, evaluation, EvaluationStatus.SCORING, comment)


def _return_to(
    actor: Actor, evaluation: StationEvaluation, status: str, comment: str
) -> StationEvaluation:
    if not comment.strip():
        raise ValidationError({"comment": _("Say why it is returned.")})
    previous = evaluation.status
    evaluation.status = status
    if status == EvaluationStatus.SCORING:
        evaluation.scored_at = None
        evaluation.scoring_due_on = _today() + timedelta(days=evaluation.round.scoring_days)
    if status == EvaluationStatus.DISTRICT_REVIEW:
        evaluation.reviewed_at = None
        evaluation.review_due_on = _today() + timedelta(days=evaluation.round.review_days)
    save_with_history(evaluation, actor=actor, reason=comment.strip())
    _event(evaluation, EventKind.RETURNED, actor, note=comment.strip(), frm=previous, to=status)
    return evaluation


@transaction.atomic
def review_pass(*, actor: Actor, evaluation: StationEvaluation) -> StationEvaluation:
    """The district passes the evaluation to the city, confirming the rectification list."""
    _district(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.DISTRICT_REVIEW)
    evaluation.status = EvaluationStatus.CITY_APPROVAL
    evaluation.reviewed_at = timezone.now()
    save_with_history(evaluation, actor=actor)
    _event(evaluation, EventKind.PASSED, actor)
    return evaluation


@transaction.atomic
def city_return(
    *, actor: Actor, evaluation: StationEvaluation, to: str, comment: str
) -> StationEvaluation:
    """The city returns an evaluation to the scoring or to the district review."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau approves evaluations."))
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.CITY_APPROVAL)
    if to not in (EvaluationStatus.SCORING, EvaluationStatus.DISTRICT_REVIEW):
        raise ValidationError({"to": _("Return it to the scoring or to the district review.")})
    return _return_to(actor, evaluation, to, comment)


@transaction.atomic
def city_approve(
    *, actor: Actor, evaluations: Sequence[StationEvaluation], reason: str = ""
) -> list[StationEvaluation]:
    """The city approves a batch: each result is published (公示) as a frozen revision and the
    objection window opens (spec §4: 5 working days by default)."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau approves evaluations."))
    today = _today()
    published = []
    for evaluation in sorted(evaluations, key=lambda e: e.pk):
        lock_for_transition(evaluation, "status")
        _state(evaluation, EvaluationStatus.CITY_APPROVAL)
        total = _sum(evaluation, "final_score")
        grade = _grade(evaluation, total)
        bonus, star, star_note = _bonus_and_star(evaluation, total)
        number = evaluation.revisions.count() + 1
        StationEvaluationRevision.objects.create(
            evaluation=evaluation,
            number=number,
            total_score=total,
            grade=grade,
            bonus_score=bonus,
            star=star,
            star_note=star_note,
            scores={
                code: str(value)
                for code, value in evaluation.scores.values_list("indicator__code", "final_score")
            },
            reason=reason.strip() if number > 1 else "",
            approved_by=history_user(actor),
            published_on=today,
        )
        evaluation.total_score = total
        evaluation.grade = grade
        evaluation.bonus_score, evaluation.star, evaluation.star_note = bonus, star, star_note
        evaluation.status = EvaluationStatus.PUBLISHED
        evaluation.approved_at = timezone.now()
        evaluation.published_at = evaluation.approved_at
        evaluation.objection_until = scoring.add_working_days(
            today, evaluation.round.objection_working_days
        )
        save_with_history(evaluation, actor=actor)
        _event(evaluation, EventKind.APPROVED, actor, revision=number)
        _event(
            evaluation,
            EventKind.PUBLISHED,
            actor,
            total=total,
            grade=grade,
            revision=number,
            **_star_details(evaluation),
        )
        published.append(evaluation)
    return published


# --- objections and the final result -----------------------------------------------------------


@transaction.atomic
def objection_file(
    *, actor: Actor, evaluation: StationEvaluation, objection: str
) -> StationEvaluation:
    """The station objects in writing, with reasons, within the window (spec §4)."""
    _station_staff(actor, evaluation, {Role.STATION_MANAGER})
    lock_for_transition(evaluation, "status")
    _state(evaluation, EvaluationStatus.PUBLISHED)
    if evaluation.objection_until is not None and _today() > evaluation.objection_until:
        raise StateConflict(
            _("The objection window closed on %(day)s.") % {"day": evaluation.objection_until}
        )
    if len(objection.strip()) < 10:
        raise ValidationError({"objection": _("Write the objection and its reasons.")})
    evaluation.objection = objection.strip()
    evaluation.status = EvaluationStatus.OBJECTION
    save_with_history(evaluation, actor=actor)
    _event(evaluation, EventKind.OBJECTED, actor, note=evaluation.objection)
    return evaluation


@transaction.atomic
def objection_decide(
    *,
    actor: Actor,
    evaluation: StationEvaluation,
    upheld: bool,
    reason: str,
    evaluator: Any = None,
) -> StationEvaluation:
    """The city decides an objection: upheld → scored again by a **different** evaluator, and
    the next approval publishes the next revision; rejected → the reasons are recorded and the
    result is final (spec §4)."""
    _require_role(actor, {Role.CITY_ADMIN}, _("Only the city bureau decides objections."))
    lock_for_transition(evaluation, "status", "evaluator")
    _state(evaluation, EvaluationStatus.OBJECTION)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the objection is upheld or rejected.")})
    _event(evaluation, EventKind.OBJECTION_DECIDED, actor, note=reason.strip(), upheld=upheld)
    if not upheld:
        return _finalise(actor, evaluation)
    if evaluator is None or evaluator.pk == evaluation.evaluator_id:
        raise ValidationError(
            {"evaluator": _("An upheld objection is scored again by a different evaluator.")}
        )
    if getattr(evaluator, "role", None) != Role.EVALUATOR:
        raise ValidationError({"evaluator": _("Choose a user with the role “evaluator”.")})
    conflict = evaluator_conflict(evaluator, evaluation.station, evaluation.round)
    if conflict:
        raise ValidationError({"evaluator": conflict})
    evaluation.evaluator = evaluator
    evaluation.status = EvaluationStatus.SCORING
    evaluation.scoring_due_on = _today() + timedelta(days=evaluation.round.scoring_days)
    save_with_history(evaluation, actor=actor, reason=reason.strip())
    _event(evaluation, EventKind.ASSIGNED, actor, evaluator=str(evaluator))
    return evaluation


def _hold_final_instalment(actor: Actor, evaluation: StationEvaluation) -> bool:
    """不合格: the final instalment (尾款) of the station's purchase contract for the period is
    held (spec §3); released by a passing re-evaluation or a city decision (funds app)."""
    from swstation.funds.models import ContractInstalment

    round_ = evaluation.round
    instalments = ContractInstalment.objects.filter(
        contract__station=evaluation.station,
        is_final=True,
        paid_on__isnull=True,
        held=False,
        contract__starts_on__lte=round_.snapshot_date,
        contract__ends_on__gte=round_.period_start,
    )
    held = False
    for instalment in instalments.select_for_update().order_by("pk"):
        instalment.held = True
        instalment.hold_reason = _("不合格 in %(round)s") % {"round": round_.name[:150]}
        save_with_history(instalment, actor=actor, reason=instalment.hold_reason)
        held = True
    return held


def _finalise(
    actor: Actor, evaluation: StationEvaluation, day: date | None = None
) -> StationEvaluation:
    """Final on ``day`` (today by default; the daily task's day): rectification issued, due
    the round's days later."""
    today = day or _today()
    evaluation.status = EvaluationStatus.FINAL
    evaluation.final_on = today
    # A star round's 不合格 awards no star; the contract's consequences follow the rounds that
    # evaluate the contract (annual, mid-term, final, re-evaluation).
    if evaluation.grade == "fail" and evaluation.round.kind != RoundKind.STAR:
        _hold_final_instalment(actor, evaluation)
        evaluation.payment_hold = True
        evaluation.no_new_contract = True
    save_with_history(evaluation, actor=actor)
    due = today + timedelta(days=evaluation.round.rectification_days)
    for item in evaluation.rectifications.filter(status=RectificationStatus.PROPOSED):
        item.status = RectificationStatus.ISSUED
        item.original_due_on = item.due_on = due
        save_with_history(item, actor=actor)
    if evaluation.veto and not evaluation.rectifications.filter(indicator__isnull=True).exists():
        save_with_history(
            RectificationItem(
                evaluation=evaluation,
                finding=evaluation.veto_reason or evaluation.get_veto_display(),
                required_action=_("Correct what the veto found and report it."),
                status=RectificationStatus.ISSUED,
                original_due_on=due,
                due_on=due,
            ),
            actor=actor,
        )
    _event(evaluation, EventKind.FINALISED, actor, total=evaluation.total_score)
    return evaluation


@transaction.atomic
def finalise_due(*, actor: Actor = SYSTEM, on: date | None = None) -> int:
    """Every published evaluation whose objection window has closed becomes final (the daily
    task). Returns how many."""
    day = on or _today()
    due = StationEvaluation.objects.filter(
        status=EvaluationStatus.PUBLISHED, objection_until__lt=day
    ).select_related("round", "station")
    count = 0
    for evaluation in due.select_for_update(of=("self",)).order_by("pk"):
        _finalise(actor, evaluation, day)
        count += 1
    return count


@transaction.atomic
def self_assessment_close_due(*, actor: Actor = SYSTEM, on: date | None = None) -> int:
    """A station that has not submitted its self-assessment by its due date goes to the
    scoring as it stands (spec §4: "station submits, or the due date passes"); the daily
    task. Returns how many."""
    day = on or _today()
    due = StationEvaluation.objects.filter(
        status=EvaluationStatus.SELF_ASSESSMENT, self_due_on__lt=day
    ).select_related("round", "station")
    count = 0
    for evaluation in due.select_for_update(of=("self",)).order_by("pk"):
        _to_scoring(actor, evaluation, EventKind.SELF_SUBMITTED)
        count += 1
    return count


# --- rectification -----------------------------------------------------------------------------


@transaction.atomic
def rectification_add(
    *,
    actor: Actor,
    evaluation: StationEvaluation,
    finding: str,
    required_action: str = "",
    indicator: Any = None,
) -> RectificationItem:
    """The evaluator (while scoring) or the district (while reviewing) adds an item from a
    site-visit finding (spec §3)."""
    if _role(actor) == Role.EVALUATOR:
        _require_assigned_evaluator(actor, evaluation)
        _state(evaluation, EvaluationStatus.SCORING)
    else:
        _district(actor, evaluation)
        _state(evaluation, EvaluationStatus.DISTRICT_REVIEW)
    if indicator is not None and indicator.dimension.indicator_set_id != (
        evaluation.round.indicator_set_id
    ):
        raise ValidationError({"indicator": _("Choose an indicator of the round's standard.")})
    item = RectificationItem(
        evaluation=evaluation,
        indicator=indicator,
        finding=finding.strip(),
        required_action=required_action.strip(),
    )
    item.full_clean()
    return save_with_history(item, actor=actor)


@transaction.atomic
def rectification_answer(
    *, actor: Actor, item: RectificationItem, answer: str
) -> RectificationItem:
    """The station answers with what it did (evidence files go to the indicator)."""
    _station_staff(actor, item.evaluation, {Role.STATION_MANAGER})
    lock_for_transition(item, "status")
    if item.status not in (RectificationStatus.ISSUED, RectificationStatus.REOPENED):
        raise StateConflict(_("This item is not waiting for an answer."))
    if len(answer.strip()) < 5:
        raise ValidationError({"answer": _("Say what was done.")})
    item.answer = answer.strip()
    item.answered_on = _today()
    item.status = RectificationStatus.ANSWERED
    return save_with_history(item, actor=actor)


@transaction.atomic
def rectification_verify(
    *, actor: Actor, item: RectificationItem, accept: bool, comment: str = ""
) -> RectificationItem:
    """The district accepts (closed; on time when answered by the first due date) or reopens
    with a new due date at most 30 days later (spec §3)."""
    _district(actor, item.evaluation)
    lock_for_transition(item, "status")
    if item.status != RectificationStatus.ANSWERED:
        raise StateConflict(_("Only an answered item is verified."))
    item.verify_comment = comment.strip()
    if accept:
        item.status = RectificationStatus.CLOSED
        item.closed_on = _today()
        item.closed_on_time = bool(
            item.answered_on and item.original_due_on and item.answered_on <= item.original_due_on
        )
    else:
        if not item.verify_comment:
            raise ValidationError({"comment": _("Say what is still missing.")})
        item.status = RectificationStatus.REOPENED
        item.due_on = _today() + timedelta(days=30)
    return save_with_history(item, actor=actor, reason=item.verify_comment or None)


# --- the evaluation's own inputs (H1–H3) -------------------------------------------------------


def refresh_input_scores(*, actor: Actor, evaluation: StationEvaluation) -> int:
    """Re-apply H1–H3 (``evaluation_inputs``) to the evaluation's scores whose indicator is
    computed from them, while the survey is open: the measured value, its inputs, the
    automatic score and note change; the final score follows unless the evaluator gave their
    own. Returns how many scores changed. Called after every answer and form, and by
    ``scoring_submit`` before it checks that every indicator is scored."""
    if evaluation.status not in SURVEY_STATES:
        return 0
    inputs = evaluation_inputs([evaluation]).get(evaluation.pk, {})
    round_ = evaluation.round
    period_days = (round_.snapshot_date - round_.period_start).days + 1
    fields = (
        "measured_value",
        "numerator",
        "denominator",
        "measure_detail",
        "auto_score",
        "auto_note",
        "final_score",
    )
    changed = 0
    scores = (
        IndicatorScore.objects.filter(evaluation=evaluation, indicator__source__in=INPUT_SOURCES)
        .select_related("indicator")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    for score in scores:
        before = tuple(getattr(score, name) for name in fields)
        measure = inputs.get(score.indicator.source)
        _apply_outcome(score, measure, period_days)
        if measure is not None and measure.value is None and score.auto_score is None:
            score.auto_note = measure.detail[:300]
        if tuple(getattr(score, name) for name in fields) != before:
            save_with_history(score, actor=actor, reason=_("Survey and forms updated"))
            changed += 1
    return changed
