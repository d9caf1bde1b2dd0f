"""The demo's GB/T 42195-2022 assessments (issue 11): 后大街社区's high-age elders living alone
outside 幸福来敲门, assessed by the station since 2023 as such elders are (most items able or
mildly impaired, few severe, never drawn worst-first), stored exactly as the instrument scores
them; 招宝山街道's station keeps assessing the project's elders under MZ/T 039-2013 by the
city's policy."""

import random
from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from swstation.cases.instruments import gbt42195
from swstation.cases.instruments.gbt42195_items import INSTRUMENT
from swstation.cases.models import ElderlyAssessment, ElderlyAssessmentPolicy, VisitSchedule
from swstation.core.dates import add_months, age_on
from swstation.demo.cases import FRAILTY_WEIGHTS, PROJECT, gbt42195_items
from swstation.demo.recipients import HOUDAJIE_NAME, ZHAOBAOSHAN
from swstation.stations.models import Station, StationKind

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def draws(n: int = 3000) -> list[gbt42195.Assessment]:
    rng = random.Random(11)
    results = []
    for _ in range(n):
        items, base = gbt42195_items(rng, rng.choices((0, 1, 2, 3), FRAILTY_WEIGHTS)[0])
        results.append(
            gbt42195.assess(
                items,
                coma=base["coma"],
                diagnoses=base["diagnoses"],
                by_psychiatrist=base["by_psychiatrist"],
                risk_events={k: base[k] for k in gbt42195.RISK_EVENT_KINDS},
            )
        )
    return results


def test_answers_are_drawn_as_elders_over_80_living_alone_answer() -> None:
    """Most able or mildly impaired, few severe: levels 0–1 for most, 3–4 for few, and each
    item at its best score far more often than at its worst (the worst-first draw of issue 11
    gave the opposite)."""
    results = draws()
    total = len(results)
    levels = Counter(r.level for r in results)
    assert levels[0] + levels[1] >= 0.7 * total
    assert levels[3] + levels[4] <= 0.1 * total
    assert levels[0] > 0 and levels[2] > 0  # robust elders and some moderately impaired
    rng = random.Random(12)
    samples = [
        gbt42195_items(rng, rng.choices((0, 1, 2, 3), FRAILTY_WEIGHTS)[0]) for _ in range(2000)
    ]
    for key, scales in gbt42195.INDICATORS.items():
        for name, scores in scales.items():
            best = sum(items[key][name] == scores[0] for items, _base in samples)
            worst = sum(items[key][name] == scores[-1] for items, _base in samples)
            assert best > 3 * worst, name
    aggression = sum(items["mental_state"]["aggression"] == 0 for items, _b in samples)
    assert aggression <= 0.03 * len(samples)
    assert not any(base["coma"] for _items, base in samples)


def test_the_demo_assesses_the_other_elders_of_houdajie_under_gbt42195(demo_log: str) -> None:
    assert "GB/T 42195-2022 assessments" in demo_log
    today = timezone.localdate()
    assessments = ElderlyAssessment.objects.filter(standard=gbt42195.STANDARD).select_related(
        "recipient", "recipient__region", "assessor"
    )
    assert 40 <= assessments.count() <= 300
    in_project = set(
        VisitSchedule.objects.filter(project__name=PROJECT).values_list("recipient_id", flat=True)
    )
    station = Station.objects.get(region__code=ZHAOBAOSHAN, kind=StationKind.TOWNSHIP)
    for assessment in assessments:
        elder = assessment.recipient
        assert elder.region.name == HOUDAJIE_NAME and elder.id not in in_project
        assert {"advanced_age", "elderly_living_alone"} <= set(
            elder.categories.values_list("code", flat=True)
        )
        assert (
            elder.birth_date is not None and age_on(elder.birth_date, assessment.assessed_on) >= 80
        )
        assert date(2023, 1, 1) <= assessment.assessed_on <= today
        assert assessment.assessor.station_id == station.id
        assert assessment.assessor_id != assessment.second_assessor_id
        outcome = INSTRUMENT.evaluate(assessment.items, assessment.all_conditions())
        assert (assessment.total, assessment.base_level, assessment.level) == (
            outcome.total,
            outcome.base_level,
            outcome.level,
        )
        assert assessment.next_due == add_months(assessment.assessed_on, 6)
    levels = Counter(assessments.values_list("level", flat=True))
    assert levels[0] + levels[1] >= 0.6 * sum(levels.values())
    # the project's elders stay under MZ/T 039-2013, which the city's policy lets the station keep
    assert not ElderlyAssessment.objects.filter(
        recipient_id__in=in_project, standard=gbt42195.STANDARD
    ).exists()
    policy = ElderlyAssessmentPolicy.objects.valid_on(today).get()
    assert policy.default_standard == gbt42195.STANDARD
    assert policy.mzt039_stations.filter(pk=station.pk).exists()
