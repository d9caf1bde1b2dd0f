"""Child needs assessments ("swstation-child-needs-1"): the risk rule as a table, the due date
(6 months, or 3 when the risk level is 2 or more), the help plan, the page and the API."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from swstation.cases.instruments import child_needs
from swstation.cases.instruments.mzt039 import ItemError
from swstation.cases.models import ChildNeedsAssessment
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, NO_NEEDS

pytestmark = pytest.mark.django_db


def needs(**scores: int) -> dict[str, int]:
    return NO_NEEDS | scores


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        # 3: safety is 3, or two domains are 3
        (needs(safety=3), 3),
        (needs(health=3, education=3), 3),
        (needs(safety=3, health=1), 3),
        # 2: one domain 3, or safety 2, or a total of 9 or more
        (needs(psychology=3), 2),
        (needs(safety=2), 2),
        (needs(health=2, education=2, family_care=2, psychology=2, social_support=1), 2),
        (needs(health=2, education=2, family_care=2, psychology=1, social_support=1), 1),  # 8
        # 1: any domain 2, or a total of 4 or more
        (needs(education=2), 1),
        (needs(health=1, education=1, family_care=1, psychology=1), 1),
        # 0: every domain 0 or 1, total 3 or less
        (needs(health=1, education=1, family_care=1), 0),
        (NO_NEEDS, 0),
    ],
)
def test_risk_level(scores: dict[str, int], level: int) -> None:
    assert child_needs.risk_level(scores) == level


@pytest.mark.parametrize(
    "bad",
    [
        {k: v for k, v in NO_NEEDS.items() if k != "health"},
        needs(health=4),
        needs(health=-1),
        needs(health=True),  # type: ignore[arg-type]
        NO_NEEDS | {"housing": 1},
    ],
)
def test_a_bad_domain_is_refused_by_name(bad: dict[str, Any]) -> None:
    with pytest.raises(ItemError) as caught:
        child_needs.risk_level(bad)
    assert caught.value.item in {"health", "housing"}


def test_needs_are_stored_with_notes() -> None:
    stored = child_needs.INSTRUMENT.normalise(
        NO_NEEDS | {"safety": {"score": 1, "note": " 独自在家 "}}
    )
    assert stored["safety"] == {"score": 1, "note": "独自在家"}
    assert stored["health"] == {"score": 0, "note": ""}


def create(**overrides: Any) -> ChildNeedsAssessment:
    fields: dict[str, Any] = {
        "actor": SYSTEM,
        "recipient": build.recipient(CICHENG_VILLAGE),
        "assessed_on": date(2026, 3, 10),
        "assessor": build.worker(CICHENG_VILLAGE),
        "needs": NO_NEEDS,
        "help_plan": "结对帮扶",
    }
    fields.update(overrides)
    return services.child_needs_assessment_create(**fields)


@pytest.mark.parametrize(
    ("scores", "level", "due"),
    [
        (NO_NEEDS, 0, date(2026, 9, 10)),
        (needs(education=2), 1, date(2026, 9, 10)),
        (needs(safety=2), 2, date(2026, 6, 10)),
        (needs(safety=3), 3, date(2026, 6, 10)),
    ],
)
def test_the_service_computes_risk_and_due_date(
    scores: dict[str, int], level: int, due: date
) -> None:
    assessment = create(needs=scores)
    assessment.refresh_from_db()
    assert (assessment.risk_level, assessment.next_due) == (level, due)
    assert assessment.instrument == "swstation-child-needs-1"
    assert {k: v["score"] for k, v in assessment.needs.items()} == scores


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"help_plan": "  "}, "help_plan"),
        ({"needs": needs(safety=5)}, "needs"),
        ({"needs": [1, 2]}, "needs"),
        ({"assessed_on": date(2999, 1, 1)}, "assessed_on"),
        ({"instrument": "unknown-1"}, "instrument"),
    ],
)
def test_refusals_name_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create(**change)
    assert field in caught.value.error_dict


def test_the_assessment_is_for_minors() -> None:
    with pytest.raises(ValidationError) as caught:
        create(recipient=build.recipient(CICHENG_VILLAGE, birth_date=date(2000, 1, 1)))
    assert "recipient" in caught.value.error_dict
    assert create(recipient=build.recipient(CICHENG_VILLAGE, birth_date=date(2010, 1, 1))).pk


def test_update_recomputes_the_risk(users: dict[str, Any]) -> None:
    assessment = create()
    services.child_needs_assessment_update(
        actor=users[Role.STATION_MANAGER], assessment=assessment, needs=needs(safety=3)
    )
    assessment.refresh_from_db()
    assert (assessment.risk_level, assessment.next_due) == (3, date(2026, 6, 10))


def test_page_shows_domains_risk_and_plan(users: dict[str, Any]) -> None:
    assessment = create(
        needs=NO_NEEDS | {"family_care": {"score": 3, "note": "父母外出务工"}},
        help_plan="联系村委会落实监护",
    )
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    body = client.get(assessment.get_absolute_url()).content.decode()
    assert str(child_needs.INSTRUMENT.risk_names[2]) in body
    assert "父母外出务工" in body and "联系村委会落实监护" in body
    assert str(child_needs.DOMAIN_ITEMS[3].label) in body
    auditor = Client()
    auditor.force_login(users[Role.AUDITOR])
    assert auditor.get(assessment.get_absolute_url()).status_code == 403


def test_the_form_saves_scores_and_notes(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    data: dict[str, Any] = {
        "recipient": build.recipient(CICHENG_VILLAGE, name="表单儿童").pk,
        "assessed_on": "2026-03-01",
        "assessor": build.worker(CICHENG_VILLAGE).pk,
        "help_plan": "每周两次课业辅导",
        **{f"need__{name}": 0 for name in NO_NEEDS},
        "need__safety": 2,
        "note__safety": "放学后独自在家",
    }
    response = client.post(reverse("cases:childneedsassessment_add"), data)
    assert response.status_code == 302
    saved = ChildNeedsAssessment.objects.get(recipient__name="表单儿童")
    assert saved.risk_level == 2 and saved.next_due == date(2026, 6, 1)
    assert saved.needs["safety"] == {"score": 2, "note": "放学后独自在家"}
    response = client.post(reverse("cases:childneedsassessment_add"), data | {"need__health": ""})
    assert response.status_code == 200
    assert "need__health" in response.context["form"].errors


def test_the_api_computes_the_risk(users: dict[str, Any], api_client: Any) -> None:
    api_client.force_authenticate(users[Role.SOCIAL_WORKER])
    response = api_client.post(
        reverse("api:childneedsassessment-list"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "assessed_on": "2026-03-01",
            "assessor": build.worker(CICHENG_VILLAGE).pk,
            "needs": needs(psychology=3),
            "help_plan": "心理咨询",
            "risk_level": 0,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["risk_level"] == 2
    assert response.json()["next_due"] == "2026-06-01"
    assert response.json()["needs"]["psychology"] == {"score": 3, "note": ""}
