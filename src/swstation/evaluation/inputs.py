"""The evaluation's own inputs as measures (issue 15; spec/station-evaluation.md §5): H1 (the
recipients' satisfaction index), H2 (their awareness) and H3 (the township government's and
village committees' rating), read from an evaluation's survey and stakeholders' forms, beside
``measures.py`` which reads the stations' records. Reads only; the services apply them."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from swstation.evaluation import measures, sampling
from swstation.evaluation.models import (
    EvaluationStatus,
    RaterKind,
    RespondentStatus,
    StakeholderRating,
    StationEvaluation,
    SurveyAnswer,
    SurveySample,
)
from swstation.evaluation.models.rounds import SURVEY_PARAMETER_FIELDS
from swstation.regions.models import Region

__all__ = [
    "INPUT_SOURCES",
    "SATISFIED_INDEX",
    "SURVEY_STATES",
    "drawn_villages",
    "evaluation_inputs",
]

# While the survey is open: answers and forms are entered, H1–H3 follow them.
SURVEY_STATES = (EvaluationStatus.SELF_ASSESSMENT, EvaluationStatus.SCORING)
# The indicator sources computed per evaluation (H5 is a measure of the records).
INPUT_SOURCES = ("satisfaction_index", "awareness_share", "stakeholder_rating")
# A respondent whose index reaches this is "satisfied" (the mean of 4 on the 5-point scale).
SATISFIED_INDEX = Decimal(75)


# --- the scores --------------------------------------------------------------------------------


def _number(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def evaluation_inputs(
    evaluations: Sequence[StationEvaluation],
) -> dict[int, dict[str, measures.Measure]]:
    """``{evaluation pk: {source: Measure}}`` for H1 (``satisfaction_index``), H2
    (``awareness_share``) and H3 (``stakeholder_rating``) of each evaluation, from its survey
    and its stakeholders' forms, in three queries whatever their number. H1 and H2 have no
    value ("sample too small") below min(30, ⌈N/2⌉) completed follow-ups, H3 none while the
    township's or every village's form is missing: the evaluator scores them (spec §5). The
    minimum, effective awareness and the township's weight are the round's
    (``sampling.SurveyParameters``), read with the sample."""
    pks = [evaluation.pk for evaluation in evaluations]
    result: dict[int, dict[str, measures.Measure]] = {pk: {} for pk in pks}
    samples = {
        row["evaluation_id"]: row
        for row in SurveySample.objects.filter(evaluation_id__in=pks).values(
            "evaluation_id",
            "population",
            "sample_size",
            *(f"evaluation__round__{name}" for name in SURVEY_PARAMETER_FIELDS),
        )
    }
    answers: dict[int, list[tuple[Decimal | None, bool]]] = defaultdict(list)
    for evaluation_id, index, aware in SurveyAnswer.objects.filter(
        respondent__sample__evaluation_id__in=pks,
        respondent__status=RespondentStatus.COMPLETED,
    ).values_list("respondent__sample__evaluation_id", "satisfaction_index", "effectively_aware"):
        answers[evaluation_id].append((index, aware))
    forms: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for evaluation_id, rater, score in StakeholderRating.objects.filter(
        evaluation_id__in=pks
    ).values_list("evaluation_id", "rater", "score"):
        forms[evaluation_id].append((rater, score))
    for pk in pks:
        result[pk].update(_survey_measures(samples.get(pk), answers.get(pk, [])))
        # No sample: no village committee drawn, so no H3 either (the defaults only word it).
        params = sampling.SurveyParameters.of(samples.get(pk) or {})
        result[pk]["stakeholder_rating"] = _stakeholder_measure(forms.get(pk, []), params)
    return result


def _survey_measures(
    sample: Mapping[str, Any] | None, answers: list[tuple[Decimal | None, bool]]
) -> dict[str, measures.Measure]:
    if sample is None:
        detail = _("Sample too small: the survey sample is not drawn yet.")
        return {
            "satisfaction_index": measures.Measure(None, detail=detail),
            "awareness_share": measures.Measure(None, detail=detail),
        }
    completed = len(answers)
    population = int(sample["population"])
    params = sampling.SurveyParameters.of(sample)
    needed = params.minimum_completed(population)
    if completed == 0 or completed < needed:
        detail = _(
            "Sample too small: %(completed)s follow-ups completed, %(needed)s needed "
            "(N = %(population)s, n = %(size)s)."
        ) % {
            "completed": completed,
            "needed": needed,
            "population": population,
            "size": sample["sample_size"],
        }
        return {
            "satisfaction_index": measures.Measure(
                None, Decimal(completed), Decimal(needed), detail
            ),
            "awareness_share": measures.Measure(None, Decimal(completed), Decimal(needed), detail),
        }
    indices = [index for index, _aware in answers if index is not None]
    satisfied = sum(1 for index in indices if index >= SATISFIED_INDEX)
    aware = sum(1 for _index, is_aware in answers if is_aware)
    h1 = sampling.mean_index(indices)
    h1_detail = _(
        "Mean index of %(indexed)s respondents (%(completed)s follow-ups completed of "
        "%(size)s drawn, N = %(population)s); %(satisfied)s%% satisfied."
    ) % {
        "indexed": len(indices),
        "completed": completed,
        "size": sample["sample_size"],
        "population": population,
        "satisfied": _number(sampling.share(satisfied, len(indices))),
    }
    h2_detail = _(
        "%(aware)s of %(completed)s respondents know at least %(items)s of the 5 items."
    ) % {"aware": aware, "completed": completed, "items": params.awareness_effective_items}
    return {
        "satisfaction_index": measures.Measure(
            h1,
            Decimal(sum(indices, Decimal(0))) if indices else None,
            Decimal(len(indices)),
            h1_detail,
        ),
        "awareness_share": measures.Measure(
            sampling.share(aware, completed), Decimal(aware), Decimal(completed), h2_detail
        ),
    }


def _stakeholder_measure(
    forms: list[tuple[str, Decimal]], params: sampling.SurveyParameters
) -> measures.Measure:
    township = next((score for rater, score in forms if rater == RaterKind.TOWNSHIP), None)
    villages = [score for rater, score in forms if rater == RaterKind.VILLAGE]
    weight = params.stakeholder_township_percent
    value = sampling.stakeholder_index(township, villages, weight)
    if value is None:
        detail = _(
            "Forms incomplete: the township government's %(township)s, %(villages)s village "
            "committees' (both are needed)."
        ) % {
            "township": _("entered") if township is not None else _("missing"),
            "villages": len(villages),
        }
        return measures.Measure(None, detail=detail)
    village_mean = sum(villages, Decimal(0)) / len(villages)
    detail = _(
        "Township government %(township)s (%(weight)s%%), mean of %(n)s village committees "
        "%(villages)s (%(rest)s%%)."
    ) % {
        "township": _number(township),
        "weight": weight,
        "n": len(villages),
        "villages": _number(village_mean.quantize(sampling.CENT)),
        "rest": 100 - weight,
    }
    return measures.Measure(value, detail=detail)


def drawn_villages(codes: Sequence[str]) -> list[Region]:
    """The village committees drawn with a survey for the stakeholders' forms (H3), by their
    division codes, in code order (their names are no personal data: every surveyor reads
    them)."""
    return list(Region.objects.filter(code__in=list(codes)).order_by("code"))
