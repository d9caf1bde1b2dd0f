"""Writes of the evaluation's own inputs (issue 15; spec/station-evaluation.md §2.3 H1–H3, H5,
§4 "Evaluator rules", §5): the satisfaction and awareness survey, the stakeholders' forms (H3),
the complaints (H5), and how they feed the indicator scores.

The survey (spec §5):

- ``survey_draw``: once the snapshot's values are computed (the evaluation is in the
  self-assessment or the scoring), the city, the district or the assigned evaluator draws the
  sample: the population N is the distinct recipients with at least one service record of the
  station dated in the period and entered by the cut-off, alive (not deceased, not merged)
  and reachable (a phone, or an address of their own or of their household); n =
  ``SurveyParameters.sample_size(N)``, shared among the strata (1+X+1 project category × key /
  ordinary recipient) by largest remainder, in a seeded random order (the seed is stored: the
  draw is reproducible); the first ⌈n/6⌉ are home visits; each stratum has a reserve of 50 %
  of its share. Up to 5 village committees are drawn with it for the H3 forms.
- ``survey_attempt_record``: every contact; 3 attempts without reaching the person on at least
  2 different days make them unreachable, and a refusal (or a person who cannot be surveyed)
  ends their follow-up too: the next reserve of the same stratum replaces them, with their
  follow-up mode.
- ``survey_answer_enter``: the answers, checked field by field; a V0 "no" is a finding of the
  evaluation (``EvaluationEvent``); the H1–H3 scores follow at once.
- ``respondent_contact_reveal``: the phone (or, for a home visit, the address) of one pending
  respondent to the surveyor, each reveal a line of the personal-data access log.

The figures (60, ⌈n/6⌉, 50 %, 3 attempts on 2 days, ≥ 3 known, 5 villages…) are the spec's
defaults; each round holds its own (``EvaluationRound.survey_*``, spec §7: data the city
edits), read as ``sampling.SurveyParameters.of(round)``.

Only the assigned evaluator or a district officer of the station's county survey ("a station
cannot survey itself"); the city draws and reads but does not enter answers.

The scores: ``evaluation_inputs`` gives H1 (the mean of the respondents' indices), H2 (the
percent effectively aware) and H3 (township ½ + villages' mean ½) per evaluation, as measures;
H1 and H2 are None ("sample too small": the evaluator scores them) below min(30, ⌈N/2⌉)
completed follow-ups. ``evaluation_compute`` (rounds) merges them with the records' measures;
``refresh_input_scores`` re-applies them to the evaluation's scores after every answer and
form and before the evaluator submits (an evaluator's own score stays final). H5 is a measure
of the records (``measures.measure_substantiated_complaints``).
"""

import secrets
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import ServiceRecord
from swstation.core.actors import SYSTEM, Actor, history_user, require_actor
from swstation.core.crypto import decrypt
from swstation.core.history import save_with_history
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.evaluation import sampling
from swstation.evaluation.inputs import INPUT_SOURCES, SURVEY_STATES
from swstation.evaluation.models import (
    FAILED_OUTCOMES,
    AttemptOutcome,
    Complaint,
    ComplaintChannel,
    EventKind,
    FollowUpMode,
    Questionnaire,
    RaterKind,
    RespondentStatus,
    SetStatus,
    StakeholderRating,
    StationEvaluation,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.models.surveys import (
    AWARENESS_CODES,
    SATISFACTION_CODES,
    STAKEHOLDER_CODES,
    stratum_code,
)
from swstation.evaluation.services.rounds import (
    _event,
    _require_assigned_evaluator,
    _require_in_scope,
    _role,
    _today,
    entries_close_at,
    refresh_input_scores,
)
from swstation.projects.models import ProjectCategory, ProjectEnrolment
from swstation.recipients.models import (
    CategoryPeriod,
    ExitReason,
    PersonalData,
    Recipient,
    RecipientStatus,
)
from swstation.recipients.services import personal_data_access_log
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import Station

__all__ = [
    "ANSWER_FIELDS",
    "INPUT_SOURCES",
    "SATISFACTION_FIELDS",
    "STAKEHOLDER_FIELDS",
    "SURVEY_STATES",
    "complaint_decide",
    "complaint_register",
    "respondent_contact_reveal",
    "stakeholder_rating_enter",
    "survey_answer_enter",
    "survey_attempt_record",
    "survey_draw",
    "survey_population",
]

SATISFACTION_FIELDS = tuple(code.lower() for code in SATISFACTION_CODES)
AWARENESS_FIELDS = tuple(code.lower() for code in AWARENESS_CODES)
STAKEHOLDER_FIELDS = tuple(code.lower() for code in STAKEHOLDER_CODES)
ANSWER_FIELDS = (
    "answered_on",
    "mode",
    "service_confirmed",
    "service_described",
    *SATISFACTION_FIELDS,
    *AWARENESS_FIELDS,
    "note",
)
CATEGORY_ORDER = {value: index for index, value in enumerate(ProjectCategory.values)}
# A satisfied respondent: mean answer ≥ 4, i.e. an index ≥ 75 (spec §5, "share satisfied").


# --- who may ---------------------------------------------------------------------------------


def _may_draw(actor: Actor, evaluation: StationEvaluation) -> None:
    """The city, a district officer of the county or the assigned evaluator draws."""
    require_actor(actor)
    if actor is SYSTEM:
        return
    role = _role(actor)
    if role == Role.EVALUATOR:
        _require_assigned_evaluator(actor, evaluation)
    elif role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER):
        _require_in_scope(actor, evaluation)
    else:
        raise PermissionDenied(
            _("Only the bureaus or the station's evaluator draw the survey sample.")
        )


def _surveyor(actor: Actor, evaluation: StationEvaluation) -> None:
    """spec §5: answers are entered only by the assigned evaluator or a district officer of
    the station's county; never by the station, its agency or its supervisors."""
    require_actor(actor)
    if actor is SYSTEM:
        return
    role = _role(actor)
    if role == Role.EVALUATOR:
        _require_assigned_evaluator(actor, evaluation)
    elif role == Role.DISTRICT_OFFICER:
        _require_in_scope(actor, evaluation)
    else:
        raise PermissionDenied(
            _(
                "Only the station's evaluator or the district's civil-affairs officers follow "
                "up its recipients: a station cannot survey itself."
            )
        )


def _district(actor: Actor, evaluation: StationEvaluation) -> None:
    require_actor(actor)
    if actor is SYSTEM:
        return
    if _role(actor) != Role.DISTRICT_OFFICER:
        raise PermissionDenied(
            _("Only the district's civil-affairs officers enter the stakeholders' forms.")
        )
    _require_in_scope(actor, evaluation)


def _bureau_for_station(actor: Actor, station: Station) -> None:
    require_actor(actor)
    if actor is SYSTEM:
        return
    if _role(actor) not in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER):
        raise PermissionDenied(_("Only the civil-affairs bureaus register complaints."))
    if not Station.objects.visible_to(actor).filter(pk=station.pk).exists():
        raise PermissionDenied(_("This station is not in your jurisdiction."))


def _survey_open(evaluation: StationEvaluation) -> None:
    if evaluation.status not in SURVEY_STATES:
        raise StateConflict(
            _(
                "The survey is open during the self-assessment and the scoring only "
                "(now: %(status)s)."
            )
            % {"status": evaluation.get_status_display()}
        )


def _sample_of(evaluation: StationEvaluation) -> SurveySample:
    sample = SurveySample.objects.filter(evaluation=evaluation).first()
    if sample is None:
        raise StateConflict(_("The survey sample of this station is not drawn yet."))
    return sample


# --- the population and the draw ---------------------------------------------------------------


def _key_recipients_q(day: date) -> Q:
    """Holding a vulnerable-group category on ``day`` (a period covering it, or a category held
    with no period recorded), as D4 counts them."""
    periods = CategoryPeriod.objects.filter(recipient=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    undated = Recipient.categories.through.objects.filter(recipient_id=OuterRef("pk")).filter(
        ~Exists(
            CategoryPeriod.objects.filter(
                recipient=OuterRef("recipient_id"), category=OuterRef("category_id")
            )
        )
    )
    return Q(Exists(periods)) | Q(Exists(undated))


def survey_population(evaluation: StationEvaluation) -> dict[str, list[int]]:
    """The survey's population by stratum (spec §5): ``{stratum: [recipient pk, …]}``.

    The recipients with at least one service record of the station dated in the round's
    period and entered by its cut-off (as every count, spec §2.1), alive (not deceased, not
    merged) and reachable (a phone, or an address of their own or of their household).

    The stratum: the 1+X+1 category of the project under which the station served the person
    most in the period (ties: vulnerable groups, regional feature, talent support), else of a
    project of the station they were enrolled in during the period, else "none"; × key (a
    vulnerable-group category on the snapshot date) or ordinary. Four queries."""
    round_ = evaluation.round
    served = ServiceRecord.objects.filter(
        station_id=evaluation.station_id,
        served_on__gte=round_.period_start,
        served_on__lte=round_.snapshot_date,
        created_at__lte=entries_close_at(round_),
    )
    people = (
        Recipient.objects.filter(pk__in=served.values("recipient_id"))
        .exclude(status__in=(RecipientStatus.DECEASED, RecipientStatus.MERGED))
        .exclude(exit_reason=ExitReason.DECEASED)
        .filter(~Q(phone_encrypted="") | ~Q(address="") | Q(household__address__gt=""))
        .annotate(is_key=_key_recipients_q(round_.snapshot_date))
        .order_by("pk")
        .values_list("pk", "is_key")
    )
    keys = dict(people)
    categories: dict[int, str] = {}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for person, category, n in (
        served.filter(recipient_id__in=list(keys), project__isnull=False)
        .order_by()
        .values("recipient_id", "project__category")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "project__category", "n")
    ):
        counts[person][category] += n
    for person, by_category in counts.items():
        categories[person] = min(
            by_category, key=lambda c: (-by_category[c], CATEGORY_ORDER.get(c, 99))
        )
    rest = [pk for pk in keys if pk not in categories]
    if rest:
        enrolled = ProjectEnrolment.objects.filter(
            project__station_id=evaluation.station_id,
            recipient_id__in=rest,
            enrolled_on__lte=round_.snapshot_date,
        ).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=round_.period_start))
        for person, category in enrolled.values_list("recipient_id", "project__category"):
            known = categories.get(person)
            if known is None or CATEGORY_ORDER.get(category, 99) < CATEGORY_ORDER.get(known, 99):
                categories[person] = category
    strata: dict[str, list[int]] = defaultdict(list)
    for pk, is_key in keys.items():
        strata[stratum_code(categories.get(pk, ""), bool(is_key))].append(pk)
    return dict(strata)


def _questionnaire(chosen: Questionnaire | None) -> Questionnaire:
    if chosen is None:
        chosen = (
            Questionnaire.objects.filter(status=SetStatus.PUBLISHED)
            .order_by("-published_on", "-pk")
            .first()
        )
    if chosen is None or chosen.status != SetStatus.PUBLISHED:
        raise ValidationError(
            {"questionnaire": _("Choose a published questionnaire for the survey.")}
        )
    return chosen


@transaction.atomic
def survey_draw(
    *,
    actor: Actor,
    evaluation: StationEvaluation,
    questionnaire: Questionnaire | None = None,
    seed: int | None = None,
) -> SurveySample:
    """Draw the survey sample of a station evaluation (spec §5; the module's docstring), once.
    ``seed``: for a reproduction of a draw; a random one otherwise, stored."""
    _may_draw(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _survey_open(evaluation)
    if SurveySample.objects.filter(evaluation=evaluation).exists():
        raise StateConflict(_("The survey sample of this station is already drawn."))
    chosen = _questionnaire(questionnaire)
    strata = survey_population(evaluation)
    params = sampling.SurveyParameters.of(evaluation.round)
    population = sum(len(members) for members in strata.values())
    size = params.sample_size(population)
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    drawn = sampling.draw(strata, size, seed, params.reserve_share)
    home = params.home_visits(size)
    chosen_by = Counter(d.stratum for d in drawn if not d.is_reserve)
    reserve_by = Counter(d.stratum for d in drawn if d.is_reserve)
    township = Station.objects.select_related("region").get(pk=evaluation.station_id).region
    villages = Region.objects.filter(
        level=RegionLevel.VILLAGE, code__startswith=township.prefix
    ).values_list("code", flat=True)
    sample = SurveySample(
        evaluation=evaluation,
        questionnaire=chosen,
        population=population,
        sample_size=size,
        home_visits=home,
        seed=seed,
        strata={
            key: {
                "population": len(members),
                "sample": chosen_by.get(key, 0),
                "reserve": reserve_by.get(key, 0),
            }
            for key, members in sorted(strata.items())
        },
        stakeholder_villages=sampling.sample_villages(
            villages, seed, count=params.stakeholder_villages
        ),
        drawn_at=timezone.now(),
        drawn_by=history_user(actor),
    )
    sample.full_clean()
    save_with_history(sample, actor=actor)
    SurveyRespondent.objects.bulk_create(
        [
            SurveyRespondent(
                sample=sample,
                recipient_id=d.member,
                stratum=d.stratum,
                order=d.order,
                is_reserve=d.is_reserve,
                active=not d.is_reserve,
                mode=FollowUpMode.HOME
                if not d.is_reserve and d.order <= home
                else FollowUpMode.PHONE,
            )
            for d in drawn
        ],
        batch_size=1000,
    )
    refresh_input_scores(actor=actor, evaluation=evaluation)
    return sample


# --- follow-ups --------------------------------------------------------------------------------


def _check_day(day: Any, sample: SurveySample, field: str) -> date:
    if not isinstance(day, date):
        raise ValidationError({field: _("Enter the day of the follow-up.")})
    if day > _today():
        raise ValidationError({field: _("A follow-up is not in the future.")})
    drawn_on = timezone.localdate(sample.drawn_at)
    if day < drawn_on:
        raise ValidationError(
            {
                field: _("A follow-up is not before the sample was drawn (%(day)s).")
                % {"day": drawn_on}
            }
        )
    return day


def _open_respondent(respondent: SurveyRespondent) -> None:
    if not respondent.active:
        raise StateConflict(_("This reserve has not replaced anyone: it is not followed up."))
    if respondent.status != RespondentStatus.PENDING:
        raise StateConflict(
            _("This respondent's follow-up is over: %(status)s.")
            % {"status": respondent.get_status_display()}
        )


def _replace(actor: Actor, respondent: SurveyRespondent, status: str) -> SurveyRespondent | None:
    """End a respondent's follow-up with ``status`` and bring in the next reserve of the same
    stratum (the lowest in the random order), with the same follow-up mode; None when the
    stratum's reserve is used up."""
    reserve = (
        SurveyRespondent.objects.select_for_update()
        .filter(
            sample_id=respondent.sample_id,
            stratum=respondent.stratum,
            is_reserve=True,
            active=False,
        )
        .order_by("order")
        .first()
    )
    if reserve is not None:
        reserve.active = True
        reserve.mode = respondent.mode
        save_with_history(
            reserve,
            actor=actor,
            reason=_("Replaces respondent no. %(order)s") % {"order": respondent.order},
        )
    respondent.status = status
    respondent.replaced_by = reserve
    save_with_history(respondent, actor=actor)
    return reserve


@transaction.atomic
def survey_attempt_record(
    *,
    actor: Actor,
    respondent: SurveyRespondent,
    attempted_on: date,
    outcome: str,
    note: str = "",
    mode: str = "",
) -> SurveyAttempt:
    """A contact that did not complete the survey (spec §5): not reached, to call back,
    refused, or cannot be surveyed (died, moved, wrong person: say why). Three attempts
    without reaching the person on at least two different days make them unreachable; a
    refusal or a person who cannot be surveyed ends their follow-up at once; in each case the
    next reserve of the stratum replaces them (the attempts and days: the round's
    ``survey_attempts`` and ``survey_attempt_days``). A completed follow-up is entered with its
    answers (``survey_answer_enter``)."""
    evaluation = respondent.sample.evaluation
    _surveyor(actor, evaluation)
    _survey_open(evaluation)
    lock_for_transition(respondent, "status", "active")
    _open_respondent(respondent)
    if outcome not in AttemptOutcome.values or outcome == AttemptOutcome.COMPLETED:
        raise ValidationError(
            {
                "outcome": _(
                    "Choose the outcome: not reached, to call back, refused or cannot be surveyed."
                )
            }
        )
    if mode and mode not in FollowUpMode.values:
        raise ValidationError({"mode": _("Choose phone or home visit.")})
    _check_day(attempted_on, respondent.sample, "attempted_on")
    note = note.strip()
    if outcome == AttemptOutcome.INELIGIBLE and not note:
        raise ValidationError({"note": _("Say why this respondent cannot be surveyed.")})
    attempt = SurveyAttempt(
        respondent=respondent,
        attempted_on=attempted_on,
        mode=mode or respondent.mode,
        outcome=outcome,
        note=note,
        entered_by=history_user(actor),
    )
    attempt.full_clean()
    save_with_history(attempt, actor=actor)
    if outcome == AttemptOutcome.REFUSED:
        _replace(actor, respondent, RespondentStatus.REFUSED)
    elif outcome == AttemptOutcome.INELIGIBLE:
        _replace(actor, respondent, RespondentStatus.REPLACED)
    else:
        days = list(
            respondent.attempts.filter(outcome__in=FAILED_OUTCOMES).values_list(
                "attempted_on", flat=True
            )
        )
        if sampling.SurveyParameters.of(evaluation.round).gives_up(days):
            _replace(actor, respondent, RespondentStatus.UNREACHABLE)
    return attempt


def _label(model: type[Any], field: str) -> str:
    """A field's name as the form shows it ("S3 满足需要"), for the messages."""
    return str(getattr(model._meta.get_field(field), "verbose_name", field))


def _answer_errors(answer: SurveyAnswer) -> dict[str, str]:
    errors: dict[str, str] = {}
    if answer.mode not in FollowUpMode.values:
        errors["mode"] = _("Choose phone or home visit.")
    if not isinstance(answer.service_confirmed, bool):
        errors["service_confirmed"] = _(
            "V0: say whether the station's social workers served the respondent."
        )
    elif answer.service_confirmed and not (answer.service_described or "").strip():
        errors["service_described"] = _(
            "V0: write down what the respondent says the social workers did."
        )
    for field in SATISFACTION_FIELDS:
        value = getattr(answer, field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = _("%(question)s: choose 1 to 5, or “not applicable”.") % {
                "question": _label(SurveyAnswer, field)
            }
    for field in AWARENESS_FIELDS:
        if not isinstance(getattr(answer, field), bool):
            errors[field] = _("%(question)s: choose “known” or “not known”.") % {
                "question": _label(SurveyAnswer, field)
            }
    return errors


@transaction.atomic
def survey_answer_enter(
    *, actor: Actor, respondent: SurveyRespondent, **values: Any
) -> SurveyAnswer:
    """Enter (or correct) the answers of a respondent's completed follow-up (spec §5):
    ``answered_on``, ``mode``, ``service_confirmed`` (V0) and ``service_described``, ``s1`` …
    ``s6`` (1–5, None for 不适用), ``w1`` … ``w5`` (known or not), ``note``. A first entry
    completes the respondent's follow-up (an attempt "completed" is recorded); a V0 "no" is a
    finding of the evaluation for the evaluator to check (veto V2 if the records were
    fabricated). The H1–H3 scores follow."""
    unknown = sorted(set(values) - set(ANSWER_FIELDS))
    if unknown:
        raise TypeError(f"SurveyAnswer: not writable here: {', '.join(unknown)}")
    evaluation = respondent.sample.evaluation
    _surveyor(actor, evaluation)
    lock_for_transition(evaluation, "status")
    _survey_open(evaluation)
    lock_for_transition(respondent, "status", "active")
    existing = SurveyAnswer.objects.filter(respondent=respondent).first()
    if existing is None:
        _open_respondent(respondent)
    was_confirmed = existing.service_confirmed if existing is not None else True
    answer = existing or SurveyAnswer(respondent=respondent, mode=respondent.mode)
    for name, value in values.items():
        if name in ("service_described", "note"):
            value = (value or "").strip()
        if name == "mode" and not value:
            continue
        setattr(answer, name, value)
    if existing is None:
        for field in (*SATISFACTION_FIELDS, *AWARENESS_FIELDS, "service_confirmed"):
            if field not in values:
                setattr(answer, field, None)
    answer.answered_on = _check_day(answer.answered_on, respondent.sample, "answered_on")
    errors = _answer_errors(answer)
    if errors:
        raise ValidationError(errors)
    answer.satisfaction_index = sampling.respondent_index(
        [getattr(answer, field) for field in SATISFACTION_FIELDS]
    )
    answer.effectively_aware = sampling.effectively_aware(
        [getattr(answer, field) for field in AWARENESS_FIELDS],
        sampling.SurveyParameters.of(evaluation.round).awareness_effective_items,
    )
    answer.entered_by = history_user(actor)
    answer.full_clean()
    save_with_history(answer, actor=actor)
    if existing is None:
        save_with_history(
            SurveyAttempt(
                respondent=respondent,
                attempted_on=answer.answered_on,
                mode=answer.mode,
                outcome=AttemptOutcome.COMPLETED,
                entered_by=history_user(actor),
            ),
            actor=actor,
        )
        respondent.status = RespondentStatus.COMPLETED
        save_with_history(respondent, actor=actor)
    if not answer.service_confirmed and was_confirmed:
        _event(
            evaluation,
            EventKind.SURVEY_FINDING,
            actor,
            note=answer.service_described,
            respondent=respondent.order,
            stratum=respondent.stratum,
        )
    refresh_input_scores(actor=actor, evaluation=evaluation)
    return answer


@transaction.atomic
def respondent_contact_reveal(
    *, actor: Actor, respondent: SurveyRespondent, field: str = ""
) -> str:
    """The phone (``field="phone"``) or the address (``"address"``; default: by the
    respondent's follow-up mode) of one respondent still to be followed up, for the surveyor
    (spec §4: "revealed to the assigned surveyor one at a time while the survey is open, each
    reveal logged"): a line of the personal-data access log per reveal, with the purpose."""
    evaluation = respondent.sample.evaluation
    _surveyor(actor, evaluation)
    _survey_open(evaluation)
    _open_respondent(respondent)
    field = field or (
        PersonalData.ADDRESS if respondent.mode == FollowUpMode.HOME else PersonalData.PHONE
    )
    person = Recipient.objects.select_related("household").get(pk=respondent.recipient_id)
    if field == PersonalData.PHONE:
        if not person.phone_encrypted:
            raise ValidationError(
                {"field": _("No phone is recorded for this respondent: visit them at home.")}
            )
        value = decrypt(person.phone_encrypted)
    elif field == PersonalData.ADDRESS:
        value = person.address or (person.household.address if person.household else "")
        if not value:
            raise ValidationError(
                {"field": _("No address is recorded for this respondent: call them.")}
            )
    else:
        raise ValidationError({"field": _("Choose the phone or the address.")})
    personal_data_access_log(
        actor=actor,
        field=field,
        recipient=person,
        purpose=_("Satisfaction survey follow-up, respondent no. %(order)s of %(evaluation)s")
        % {"order": respondent.order, "evaluation": evaluation},
    )
    return value


# --- the stakeholders' forms (H3) --------------------------------------------------------------


@transaction.atomic
def stakeholder_rating_enter(
    *,
    actor: Actor,
    evaluation: StationEvaluation,
    rater: str,
    rated_on: date,
    village: Region | None = None,
    comment: str = "",
    **items: int,
) -> StakeholderRating:
    """The district enters (or corrects) a stakeholders' form (spec §5, H3): the township
    government's, or a village committee's among those drawn with the survey; ``r1`` … ``r5``
    on 5 points. The H3 score follows."""
    unknown = sorted(set(items) - set(STAKEHOLDER_FIELDS))
    if unknown:
        raise TypeError(f"StakeholderRating: not writable here: {', '.join(unknown)}")
    _district(actor, evaluation)
    lock_for_transition(evaluation, "status")
    if evaluation.status not in SURVEY_STATES:
        raise StateConflict(
            _("The stakeholders' forms are entered during the self-assessment and the scoring.")
        )
    if rater not in RaterKind.values:
        raise ValidationError(
            {"rater": _("Choose the township government or a village committee.")}
        )
    if rater == RaterKind.TOWNSHIP:
        village = None
    else:
        if village is None:
            raise ValidationError({"village": _("Choose the village committee.")})
        sample = _sample_of(evaluation)
        if village.code not in (sample.stakeholder_villages or []):
            raise ValidationError(
                {"village": _("Choose one of the village committees drawn with the survey.")}
            )
    if not isinstance(rated_on, date) or rated_on > _today():
        raise ValidationError({"rated_on": _("Enter the day of the form, not in the future.")})
    errors = {}
    for field in STAKEHOLDER_FIELDS:
        value = items.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = _("%(question)s: choose 1 to 5.") % {
                "question": _label(StakeholderRating, field)
            }
    if errors:
        raise ValidationError(errors)
    rating = (
        StakeholderRating.objects.filter(evaluation=evaluation, rater=rater, village=village)
        .select_for_update(of=("self",))
        .order_by("pk")
        .first()
    ) or StakeholderRating(evaluation=evaluation, rater=rater, village=village)
    for field in STAKEHOLDER_FIELDS:
        setattr(rating, field, items[field])
    rating.score = sampling.form_score([items[field] for field in STAKEHOLDER_FIELDS])
    rating.comment = comment.strip()
    rating.rated_on = rated_on
    rating.entered_by = history_user(actor)
    rating.full_clean()
    save_with_history(rating, actor=actor)
    refresh_input_scores(actor=actor, evaluation=evaluation)
    return rating


# --- complaints (H5) ---------------------------------------------------------------------------


@transaction.atomic
def complaint_register(
    *,
    actor: Actor,
    station: Station,
    received_on: date,
    channel: str,
    summary: str,
) -> Complaint:
    """The district or the city registers a complaint about a station (H5), undecided."""
    _bureau_for_station(actor, station)
    if channel not in ComplaintChannel.values:
        raise ValidationError({"channel": _("Choose how the complaint was received.")})
    if not isinstance(received_on, date) or received_on > _today():
        raise ValidationError({"received_on": _("The day received is not in the future.")})
    if len(summary.strip()) < 5:
        raise ValidationError({"summary": _("Say what is complained of.")})
    complaint = Complaint(
        station=station,
        received_on=received_on,
        channel=channel,
        summary=summary.strip(),
        registered_by=history_user(actor),
    )
    complaint.full_clean()
    return save_with_history(complaint, actor=actor)


@transaction.atomic
def complaint_decide(
    *,
    actor: Actor,
    complaint: Complaint,
    substantiated: bool,
    decision_note: str,
    decided_on: date | None = None,
) -> Complaint:
    """The district or the city decides a complaint after checking it: substantiated (it
    counts in H5 for the period it was received in) or not, with what was found. A decision
    may be corrected, with its reason in the history."""
    _bureau_for_station(actor, complaint.station)
    lock_for_transition(complaint, "substantiated")
    if not isinstance(substantiated, bool):
        raise ValidationError({"substantiated": _("Say whether the complaint is substantiated.")})
    if not decision_note.strip():
        raise ValidationError({"decision_note": _("Say what the check found.")})
    day = decided_on or _today()
    if day > _today() or day < complaint.received_on:
        raise ValidationError(
            {"decided_on": _("The decision is between the day received and today.")}
        )
    complaint.substantiated = substantiated
    complaint.decision_note = decision_note.strip()
    complaint.decided_on = day
    complaint.decided_by = history_user(actor)
    complaint.full_clean()
    return save_with_history(complaint, actor=actor, reason=complaint.decision_note)
