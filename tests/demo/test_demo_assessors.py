"""The demo's assessor qualifications (issue 11): every assessor of an assessment holds one
valid on each of their assessment days, so that the city could require qualified assessors
without refusing a demo record; a second run adds nothing."""

from datetime import date

import pytest

from swstation.cases.models import AssessorQualification, ElderlyAssessment
from swstation.cases.selectors.assessments import unqualified_assessors
from swstation.demo.assessors import build_assessor_qualifications
from tests.cases import test_records_fixtures as build
from tests.cases.test_assessments_gbt42195 import create, policy_in_force
from tests.cases.test_records_fixtures import CICHENG_VILLAGE

pytestmark = pytest.mark.django_db


def test_every_assessor_is_qualified_on_each_assessment_day() -> None:
    first, second, third = (build.worker(CICHENG_VILLAGE) for _ in range(3))
    create(assessor=first, second_assessor=second, assessed_on=date(2023, 4, 1))
    create(assessor=third, second_assessor=first, assessed_on=date(2026, 3, 1))
    lines: list[str] = []
    build_assessor_qualifications(lines.append)
    assert lines == ["assessor qualifications: 3 added (0 already held)"]
    policy = policy_in_force()
    policy.qualified_assessors_only = True
    for assessment in ElderlyAssessment.objects.all():
        workers = [assessment.assessor, assessment.second_assessor]
        assert (
            unqualified_assessors(day=assessment.assessed_on, workers=workers, policy=policy) == []
        )
    for qualification in AssessorQualification.objects.all():
        qualification.full_clean()  # plausible dates, a kind the model knows
        assert qualification.history.count() == 1
    build_assessor_qualifications(lines.append)
    assert lines[-1] == "assessor qualifications: 0 added (3 already held)"
    assert AssessorQualification.objects.count() == 3


def test_the_demos_assessments_keep_diagnoses_encrypted_as_the_service_does() -> None:
    """The demo writes assessments as rows (not through the service): its diagnoses are stored
    as the service stores them, encrypted apart, C.4 ticked without its codes."""
    import random

    from swstation.cases.instruments import gbt42195
    from swstation.demo.cases import gbt42195_assessment

    rng = random.Random(5)
    recipient = build.recipient(CICHENG_VILLAGE)
    first, second = build.worker(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE)
    items = {k: dict(v) for k, v in build.HEALTHY_ITEMS.items()}
    items["mental_state"]["memory"] = rng.choice((2, 3))
    base = {"diagnoses": ["F00.1", "I10"], "by_psychiatrist": False, "falls": 1}
    assessment = gbt42195_assessment(
        recipient.pk, date(2025, 5, 1), "routine", first.pk, second.pk, items, base
    )
    assessment.save()
    assessment.refresh_from_db()
    assert "diagnoses" not in assessment.adjustments
    assert "F00" not in str(assessment.change_reasons)
    assert assessment.health_data() == {"diagnoses": ["F00.1", "I10"], "by_psychiatrist": False}
    assert {"key": "f_diagnosis", "detail": ""} in assessment.change_reasons
    assert assessment.standard == gbt42195.STANDARD
