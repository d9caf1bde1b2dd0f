"""The demo city's dates are plausible (issue 16, core/date_ranges.py): the demo writes most
rows in bulk, past the models' clean(), so this checks what clean() would say of them — every
date field's earliest and latest row of each model, and the rules that depend on another
record (no service, case or assessment before its station opened) over all rows.

Shares the one demo build of the package (tests/demo/conftest.py, ``demo_log``)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from swstation.cases.models import (
    Case,
    CaseGoal,
    CaseStageChange,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.funds.models import Grant
from swstation.recipients.models import CategoryPeriod, Recipient
from swstation.regions.models import Population
from swstation.stations.models import (
    ConstructionStandard,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)
from swstation.workforce.models import (
    Certificate,
    Course,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    TalentEntry,
    TrainingClass,
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]

MODELS: list[type[models.Model]] = [
    Recipient,
    CategoryPeriod,
    Case,
    CaseStageChange,
    CaseGoal,
    ElderlyAssessment,
    ChildNeedsAssessment,
    ServiceRecord,
    VisitSchedule,
    Station,
    ServiceAgency,
    Grant,
    SubsidyPolicy,
    ConstructionStandard,
    SocialWorker,
    Certificate,
    RewardPolicy,
    PaymentBatch,
    Payment,
    TrainingClass,
    Course,
    SupervisionSession,
    TalentEntry,
    Population,
]


def _clean_errors(obj: models.Model) -> dict[str, list[str]]:
    try:
        obj.clean()
    except ValidationError as exc:
        return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_extreme_dates_of_each_model_pass_its_rules(model: Any, demo_log: str) -> None:
    date_fields = [
        f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)
    ] + (["year"] if model is Population else [])
    assert date_fields
    manager = model._default_manager
    assert manager.exists(), f"the demo has no {model.__name__}"
    problems = []
    for name in date_fields:
        rows = manager.exclude(**{f"{name}__isnull": True})
        for extreme in (rows.order_by(name).first(), rows.order_by(f"-{name}").first()):
            if extreme is None:
                continue
            errors = _clean_errors(extreme)
            if name in errors:
                problems.append(f"#{extreme.pk} {name}={getattr(extreme, name)}: {errors[name]}")
    assert problems == []


def test_no_work_is_dated_before_its_station_opened(demo_log: str) -> None:
    assert not ServiceRecord.objects.filter(served_on__lt=F("station__opened_on")).exists()
    assert not Case.objects.filter(opened_on__lt=F("station__opened_on")).exists()
    for model in (ElderlyAssessment, ChildNeedsAssessment):
        assert not model.objects.filter(assessed_on__lt=F("case__station__opened_on")).exists()
    assert not Case.objects.filter(closed_on__lt=F("opened_on")).exists()
    assert not CaseGoal.objects.filter(target_date__lt=F("case__opened_on")).exists()
