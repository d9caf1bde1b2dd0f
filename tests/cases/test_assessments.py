"""Elderly capability assessments under MZ/T 039-2013 (old records, and stations the city's
policy still lets assess under it): the service scores through the instrument its standard
names (exactly as mzt039.assess), records gap resolution, ambiguous table rows and adjustments,
is due again in 6 months; the form, the page and the API use that one service. GB/T
42195-2022, the standard of new assessments: test_assessments_gbt42195.py."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from swstation.cases.instruments import gbt42195, mzt039, registry
from swstation.cases.models import ElderlyAssessment
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import (
    CICHENG_VILLAGE,
    FULL_ADL,
    GOOD_PERCEPTION,
    NO_MENTAL,
    NO_SOCIAL,
    YUEHU_COMMUNITY,
    allow_mzt039,
)
from tests.cases.test_records_fixtures import MZT039_HEALTHY_ITEMS as HEALTHY_ITEMS
from tests.cases.test_records_pages_and_api import elderly_form_items
from tests.clients import api_for as api_client_for
from tests.clients import client_for

pytestmark = pytest.mark.django_db

MZT = "MZ/T 039-2013"


@pytest.fixture(autouse=True)
def _mzt039_allowed() -> None:
    """The test stations still assess under MZ/T 039-2013 (the city's policy lists them)."""
    allow_mzt039(CICHENG_VILLAGE, YUEHU_COMMUNITY)


PARTIAL_ADL = {  # 55 → grade 2
    "eating": 5,
    "bathing": 0,
    "grooming": 0,
    "dressing": 5,
    "bowel_control": 10,
    "bladder_control": 5,
    "toileting": 5,
    "bed_chair_transfer": 10,
    "walking": 10,
    "stairs": 5,
}
MILD_ADL = FULL_ADL | {"bathing": 0, "walking": 10, "stairs": 5}  # 85 → grade 1
NO_ADL = dict.fromkeys(FULL_ADL, 0)  # 0 → grade 3

ITEM_SETS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "healthy": (HEALTHY_ITEMS, {}),
    "gap a=2, others 1": (
        {
            "adl": PARTIAL_ADL,
            "mental": NO_MENTAL | {"cognition": 1},
            "perception": GOOD_PERCEPTION | {"vision": 2},
            "social": {
                "living_skills": 2,
                "work_skills": 2,
                "orientation_time_space": 1,
                "orientation_people": 1,
                "social_interaction": 1,
            },
        },
        {},
    ),
    "dependent, dementia does not pass 3": (
        {"adl": NO_ADL, "mental": NO_MENTAL, "perception": GOOD_PERCEPTION, "social": NO_SOCIAL},
        {"dementia": "mild"},
    ),
    "gap (0,0,0,3) raised by two accidents": (
        {
            "adl": FULL_ADL,
            "mental": NO_MENTAL,
            "perception": GOOD_PERCEPTION,
            "social": dict.fromkeys(NO_SOCIAL, 3),
        },
        {"falls": 1, "getting_lost": 1},
    ),
    "drowsy, mental illness": (
        {
            "adl": MILD_ADL,
            "mental": NO_MENTAL,
            "perception": GOOD_PERCEPTION | {"consciousness": 1},
            "social": NO_SOCIAL,
        },
        {"mental_illness": "schizophrenia"},
    ),
    "one accident only": (HEALTHY_ITEMS, {"choking": 1}),
}


def create(**overrides: Any) -> ElderlyAssessment:
    fields: dict[str, Any] = {
        "actor": SYSTEM,
        "recipient": build.recipient(CICHENG_VILLAGE),
        "assessed_on": date(2026, 3, 10),
        "reason": "initial",
        "assessor": build.worker(CICHENG_VILLAGE),
        "second_assessor": build.worker(CICHENG_VILLAGE),
        "items": HEALTHY_ITEMS,
        "standard": MZT,
    }
    fields.update(overrides)
    return services.elderly_assessment_create(**fields)


def expected(items: dict[str, Any], adjustments: dict[str, Any]) -> mzt039.Result:
    conditions = {
        "dementia": "none",
        "mental_illness": "",
        "falls": 0,
        "choking": 0,
        "suicide_attempts": 0,
        "getting_lost": 0,
    } | adjustments
    return mzt039.assess(
        items.get("adl"),
        items.get("mental"),
        items["perception"],
        items.get("social"),
        mzt039.Adjustments(
            dementia=conditions["dementia"],
            mental_illness=bool(conditions["mental_illness"]),
            falls=conditions["falls"],
            choking=conditions["choking"],
            suicide_attempts=conditions["suicide_attempts"],
            getting_lost=conditions["getting_lost"],
        ),
    )


@pytest.mark.parametrize("name", list(ITEM_SETS))
def test_the_service_scores_exactly_as_the_standards_functions(name: str) -> None:
    items, adjustments = ITEM_SETS[name]
    assessment = create(items=items, adjustments=adjustments)
    result = expected(items, adjustments)
    assessment.refresh_from_db()
    assert (
        assessment.adl_grade,
        assessment.mental_grade,
        assessment.perception_grade,
        assessment.social_grade,
    ) == (result.adl_grade, result.mental_grade, result.perception_grade, result.social_grade)
    assert assessment.base_level == result.base_level
    assert assessment.level == result.level
    assert assessment.rule_gap_resolved == result.rule_gap_resolved
    assert assessment.items == items
    assert assessment.standard == "MZ/T 039-2013"


def test_the_item_sets_cover_gaps_raises_and_the_cap() -> None:
    """The table above is not trivial: it holds gap rules, raises and the level-3 cap."""
    outcomes = {name: expected(*ITEM_SETS[name]) for name in ITEM_SETS}
    assert outcomes["healthy"].level == 0
    assert (
        outcomes["gap a=2, others 1"].level,
        outcomes["gap a=2, others 1"].rule_gap_resolved,
    ) == (
        2,
        True,
    )
    assert outcomes["dependent, dementia does not pass 3"].level == 3
    gap = outcomes["gap (0,0,0,3) raised by two accidents"]
    assert (gap.base_level, gap.level, gap.rule_gap_resolved) == (1, 2, True)
    drowsy = outcomes["drowsy, mental illness"]
    assert (drowsy.base_level, drowsy.level) == (1, 2)
    assert outcomes["one accident only"].level == 0


def test_conditions_are_stored_complete() -> None:
    assessment = create(adjustments={"dementia": "moderate"})
    # A diagnosed mental illness is health data, kept encrypted apart (none here: nothing).
    assert assessment.health_data_encrypted == ""
    assert assessment.adjustments == {
        "dementia": "moderate",
        "falls": 0,
        "choking": 0,
        "suicide_attempts": 0,
        "getting_lost": 0,
    }
    assert (assessment.base_level, assessment.level) == (0, 1)


def test_coma_is_level_3_with_other_items_left_blank() -> None:
    assessment = create(items={"perception": {"consciousness": 3}})
    assert (assessment.base_level, assessment.level) == (3, 3)
    assert assessment.adl_grade is None and assessment.social_grade is None
    assert assessment.perception_grade == 3
    assert assessment.items == {"perception": {"consciousness": 3}}


@pytest.mark.parametrize(
    ("assessed_on", "due"),
    [
        (date(2026, 3, 10), date(2026, 9, 10)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2025, 12, 1), date(2026, 6, 1)),
    ],
)
def test_next_due_is_six_months_later(assessed_on: date, due: date) -> None:
    assert create(assessed_on=assessed_on).next_due == due


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"items": HEALTHY_ITEMS | {"adl": FULL_ADL | {"eating": 7}}}, "items", "7"),
        ({"items": {k: v for k, v in HEALTHY_ITEMS.items() if k != "social"}}, "items", ""),
        ({"items": HEALTHY_ITEMS | {"mental": NO_MENTAL | {"mood": 1}}}, "items", "mood"),
        ({"items": HEALTHY_ITEMS | {"adl": FULL_ADL | {"stairs": True}}}, "items", "True"),
        ({"adjustments": {"dementia": "some"}}, "adjustments", "some"),
        ({"adjustments": {"falls": 4}}, "adjustments", "4"),
        ({"assessed_on": date(2999, 1, 1)}, "assessed_on", "2999-01-01"),
        ({"standard": "GB/T 0000-2099"}, "standard", "GB/T 0000-2099"),
    ],
)
def test_refusals_name_the_field(change: dict[str, Any], field: str, words: str) -> None:
    before = ElderlyAssessment.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(**change)
    assert field in caught.value.error_dict
    assert words in " ".join(caught.value.messages)
    assert ElderlyAssessment.objects.count() == before


def test_a_missing_item_is_named() -> None:
    adl = {k: v for k, v in FULL_ADL.items() if k != "toileting"}
    with pytest.raises(ValidationError) as caught:
        create(items=HEALTHY_ITEMS | {"adl": adl})
    label = str(mzt039_item_label("adl", "toileting"))
    assert label in caught.value.message_dict["items"][0]


def mzt039_item_label(dimension: str, item: str) -> Any:
    instrument = registry.elderly_instrument("MZ/T 039-2013")
    found = next(d for d in instrument.dimensions if d.key == dimension)
    return next(i for i in found.items if i.name == item).label


def test_two_different_assessors() -> None:
    worker = build.worker(CICHENG_VILLAGE)
    with pytest.raises(ValidationError) as caught:
        create(assessor=worker, second_assessor=worker)
    assert worker.name in caught.value.message_dict["second_assessor"][0]


def test_the_standard_is_for_people_of_60_or_more() -> None:
    young = build.recipient(CICHENG_VILLAGE, birth_date=date(1970, 5, 1))
    with pytest.raises(ValidationError) as caught:
        create(recipient=young)
    assert "recipient" in caught.value.error_dict
    old = build.recipient(CICHENG_VILLAGE, birth_date=date(1966, 3, 10))  # 60 that day
    assert create(recipient=old).pk


def test_an_out_of_scope_recipient_or_assessor_is_refused(users: dict[str, Any]) -> None:
    outside = build.recipient(build.YUEHU_COMMUNITY)
    with pytest.raises(ValidationError) as caught:
        create(actor=users[Role.SOCIAL_WORKER], recipient=outside)
    assert set(caught.value.error_dict) == {"recipient"}
    with pytest.raises(ValidationError) as caught:
        create(actor=users[Role.SOCIAL_WORKER], assessor=build.worker(build.YUEHU_COMMUNITY))
    assert set(caught.value.error_dict) == {"assessor"}


def test_update_scores_again_and_keeps_the_standard(users: dict[str, Any]) -> None:
    assessment = create()
    assert assessment.level == 0
    updated = services.elderly_assessment_update(
        actor=users[Role.SOCIAL_WORKER],
        assessment=assessment,
        items=HEALTHY_ITEMS | {"adl": NO_ADL},
        reason="change",
    )
    updated.refresh_from_db()
    assert (updated.adl_grade, updated.level, updated.reason) == (3, 3, "change")
    assert updated.history.first().history_user == users[Role.SOCIAL_WORKER]


def test_the_standard_dispatches_to_its_instrument() -> None:
    """GB/T 42195-2022 stands beside MZ/T 039: each record is scored by its own standard, and
    correcting an MZ/T record keeps it under MZ/T."""
    gbt_items = {
        key: {name: max(scores) for name, scores in items.items()}
        for key, items in gbt42195.INDICATORS.items()
    }
    newer = create(standard="GB/T 42195-2022", items=gbt_items)
    older = create()
    assert (newer.standard, newer.total, newer.level, newer.adl_grade) == (
        "GB/T 42195-2022",
        90,
        0,
        None,
    )
    assert (older.standard, older.total, older.level, older.adl_grade) == (MZT, None, 0, 0)
    services.elderly_assessment_update(actor=SYSTEM, assessment=older, reason="routine")
    assert older.level == 0 and older.standard == MZT
    with pytest.raises(ValidationError) as caught:  # the other standard's items
        create(standard="GB/T 42195-2022")
    assert "items" in caught.value.error_dict


def test_cognition_scored_2_raises_the_level_and_says_why(users: dict[str, Any]) -> None:
    assessment = create(items=HEALTHY_ITEMS | {"mental": NO_MENTAL | {"cognition": 2}})
    assert (assessment.mental_grade, assessment.base_level, assessment.level) == (2, 1, 2)
    body = client_for(users[Role.SOCIAL_WORKER]).get(assessment.get_absolute_url()).content
    instrument = registry.elderly_instrument(MZT)
    assert str(instrument.raise_reasons["cognition"]) in body.decode()


def test_an_ambiguous_combination_is_level_1_and_shown_to_the_assessor(
    users: dict[str, Any],
) -> None:
    """表6 names two levels for (1, 3, 0, 0): the notes give 1, and the page says so."""
    items = HEALTHY_ITEMS | {
        "adl": FULL_ADL | {"bathing": 0, "stairs": 5},  # 90 → grade 1
        "mental": NO_MENTAL | {"aggression": 2, "depression": 2},  # 4 → grade 3
    }
    assessment = create(items=items)
    assessment.refresh_from_db()
    assert (assessment.adl_grade, assessment.mental_grade) == (1, 3)
    assert (assessment.level, assessment.table_ambiguous) == (1, True)
    body = client_for(users[Role.SOCIAL_WORKER]).get(assessment.get_absolute_url()).content
    assert 'id="ambiguous-note"' in body.decode()
    plain = client_for(users[Role.SOCIAL_WORKER]).get(create().get_absolute_url()).content
    assert 'id="ambiguous-note"' not in plain.decode()
    listed = api_client_for(users[Role.AUDITOR]).get(
        reverse("api:elderlyassessment-detail", args=[assessment.pk])
    )
    assert listed.json()["table_ambiguous"] is True


def test_mzt039_is_refused_at_a_station_the_policy_does_not_list(users: dict[str, Any]) -> None:
    from swstation.cases.models import ElderlyAssessmentPolicy

    for policy in ElderlyAssessmentPolicy.objects.all():
        policy.mzt039_stations.clear()
    with pytest.raises(ValidationError) as caught:
        create()
    assert "standard" in caught.value.error_dict
    assert "GB/T 42195-2022" in caught.value.message_dict["standard"][0]
    # a record dated while MZ/T 039 was the city's standard (before 2023) may still be entered
    old = create(assessed_on=date(2022, 6, 1))
    assert old.standard == MZT


# --- the page ----------------------------------------------------------------------------


def test_the_page_shows_items_totals_grades_level_adjustment_and_gap(
    users: dict[str, Any],
) -> None:
    items, adjustments = ITEM_SETS["gap (0,0,0,3) raised by two accidents"]
    assessment = create(items=items, adjustments=adjustments)
    instrument = registry.elderly_instrument("MZ/T 039-2013")
    body = client_for(users[Role.SOCIAL_WORKER]).get(assessment.get_absolute_url()).content.decode()
    assert str(instrument.level_names[2]) in body  # the level name
    assert str(instrument.level_names[1]) in body  # before adjustment
    assert 'id="adjustment-note"' in body
    assert str(instrument.raise_reasons["accidents"]) in body  # type: ignore[attr-defined]
    assert 'id="gap-note"' in body
    assert 'id="total-adl">100<' in body
    assert 'id="total-social">15<' in body
    assert str(mzt039_item_label("social", "work_skills")) in body
    assert 'id="grade-social"' in body


def test_the_page_of_a_plain_assessment_has_no_gap_or_adjustment_note(
    users: dict[str, Any],
) -> None:
    body = client_for(users[Role.AUDITOR]).get(create().get_absolute_url()).content.decode()
    assert 'id="gap-note"' not in body and 'id="adjustment-note"' not in body


def test_the_form_saves_through_the_service(users: dict[str, Any]) -> None:
    items, adjustments = ITEM_SETS["drowsy, mental illness"]
    data = {
        "recipient": build.recipient(CICHENG_VILLAGE, name="表单老人").pk,
        "assessed_on": "2026-03-01",
        "reason": "initial",
        "assessor": build.worker(CICHENG_VILLAGE).pk,
        "second_assessor": build.worker(CICHENG_VILLAGE).pk,
        **elderly_form_items(items),
        "adj__mental_illness": "schizophrenia",
        "standard": MZT,
    }
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("cases:elderlyassessment_add"), data
    )
    assert response.status_code == 302
    saved = ElderlyAssessment.objects.get(recipient__name="表单老人")
    result = expected(items, adjustments)
    assert (saved.base_level, saved.level) == (result.base_level, result.level) == (1, 2)
    assert saved.health_data() == {"mental_illness": "schizophrenia"}
    assert "mental_illness" not in saved.adjustments
    assert saved.next_due == date(2026, 9, 1)


def test_the_form_lets_coma_leave_items_blank_but_not_otherwise(users: dict[str, Any]) -> None:
    client = client_for(users[Role.STATION_MANAGER])
    base = {
        "recipient": build.recipient(CICHENG_VILLAGE, name="昏迷老人").pk,
        "assessed_on": "2026-03-01",
        "reason": "change",
        "assessor": build.worker(CICHENG_VILLAGE).pk,
        "second_assessor": build.worker(CICHENG_VILLAGE).pk,
        "adj__dementia": "none",
        "adj__falls": 0,
        "adj__choking": 0,
        "adj__suicide_attempts": 0,
        "adj__getting_lost": 0,
        "standard": MZT,
    }
    response = client.post(
        reverse("cases:elderlyassessment_add"), base | {"perception__consciousness": 0}
    )
    assert response.status_code == 200
    assert "adl__eating" in response.context["form"].errors
    assert "social__work_skills" in response.context["form"].errors
    response = client.post(
        reverse("cases:elderlyassessment_add"), base | {"perception__consciousness": 3}
    )
    assert response.status_code == 302
    saved = ElderlyAssessment.objects.get(recipient__name="昏迷老人")
    assert saved.level == 3 and saved.adl_grade is None


def test_the_form_offers_each_score_with_its_meaning(users: dict[str, Any]) -> None:
    body = (
        client_for(users[Role.SOCIAL_WORKER])
        .get(reverse("cases:elderlyassessment_add"), {"standard": MZT})
        .content.decode()
    )
    instrument = registry.elderly_instrument("MZ/T 039-2013")
    for dimension in instrument.dimensions:
        for item in dimension.items:
            assert f'name="{dimension.key}__{item.name}"' in body
            for score, label in item.choices:
                assert f'value="{score}"' in body and escape(str(label)) in body
    for condition in instrument.conditions:
        assert f'name="adj__{condition.name}"' in body


def test_add_prefills_the_recipient_from_the_due_list(users: dict[str, Any]) -> None:
    person = build.recipient(CICHENG_VILLAGE, name="复评老人")
    body = (
        client_for(users[Role.SOCIAL_WORKER])
        .get(reverse("cases:elderlyassessment_add"), {"recipient": person.pk, "reason": "routine"})
        .content.decode()
    )
    assert f'value="{person.pk}" checked' in body and "复评老人" in body


# --- the API -----------------------------------------------------------------------------


def test_the_api_computes_and_ignores_sent_results(users: dict[str, Any]) -> None:
    items, adjustments = ITEM_SETS["gap a=2, others 1"]
    response = api_client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("api:elderlyassessment-list"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "assessed_on": "2026-03-01",
            "reason": "initial",
            "assessor": build.worker(CICHENG_VILLAGE).pk,
            "second_assessor": build.worker(CICHENG_VILLAGE).pk,
            "items": items,
            "standard": MZT,
            "level": 0,
            "rule_gap_resolved": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    result = expected(items, adjustments)
    assert (data["level"], data["base_level"], data["rule_gap_resolved"]) == (
        result.level,
        result.base_level,
        True,
    )
    assert data["adl_grade"] == 2 and data["next_due"] == "2026-09-01"
    assert data["level_name"] == str(registry.elderly_instrument("MZ/T 039-2013").level_names[2])
    assert data["adjustments"]["dementia"] == "none"


def test_the_api_names_a_bad_item(users: dict[str, Any]) -> None:
    response = api_client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("api:elderlyassessment-list"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "assessed_on": "2026-03-01",
            "reason": "initial",
            "assessor": build.worker(CICHENG_VILLAGE).pk,
            "second_assessor": build.worker(CICHENG_VILLAGE).pk,
            "items": HEALTHY_ITEMS | {"perception": GOOD_PERCEPTION | {"hearing": 9}},
            "standard": MZT,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "9" in response.json()["items"][0]
    assert str(mzt039_item_label("perception", "hearing")) in response.json()["items"][0]


def test_the_api_keeps_the_standard_on_update(users: dict[str, Any]) -> None:
    assessment = create()
    response = api_client_for(users[Role.STATION_MANAGER]).patch(
        reverse("api:elderlyassessment-detail", args=[assessment.pk]),
        {"items": HEALTHY_ITEMS | {"adl": NO_ADL}, "standard": "MZ/T 039-2013"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["level"] == 3
