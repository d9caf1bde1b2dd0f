"""GB/T 42195-2022 assessments through the service, the pages, the report and the API: new
assessments default to it, the city's policy (valid on the assessment's date) sets its rules
and each standard's reassessment interval, MZ/T 039-2013 stays for old records and the stations
the policy lists, and both standards are listed with their ``standard`` and ``level``."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from swstation.cases.instruments import gbt42195
from swstation.cases.instruments.gbt42195_items import INSTRUMENT as GBT
from swstation.cases.models import ElderlyAssessment, ElderlyAssessmentPolicy
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from tests.base import ROLES
from tests.cases import test_records_fixtures as build
from tests.cases.test_gbt42195 import WORKED
from tests.cases.test_records_fixtures import (
    CICHENG_VILLAGE,
    HEALTHY_ITEMS,
    MZT039_HEALTHY_ITEMS,
    YUEHU_COMMUNITY,
    allow_mzt039,
)
from tests.cases.test_records_pages_and_api import elderly_form_items
from tests.clients import api_for as api_client_for
from tests.clients import client_for
from tests.stations.test_pages_and_api import PolicyAPIOverrides, PolicyViewOverrides

pytestmark = pytest.mark.django_db

GBT_NAME = "GB/T 42195-2022"
MZT = "MZ/T 039-2013"
EXAMPLES = {row[0].split()[0]: row for row in WORKED}
STAIRS_4 = HEALTHY_ITEMS["basic_mobility"] | {"stairs": 4}  # above its maximum of 3


def create(**overrides: Any) -> ElderlyAssessment:
    fields: dict[str, Any] = {
        "actor": SYSTEM,
        "recipient": build.recipient(CICHENG_VILLAGE),
        "assessed_on": date(2026, 3, 10),
        "reason": "initial",
        "assessor": build.worker(CICHENG_VILLAGE),
        "second_assessor": build.worker(CICHENG_VILLAGE),
        "items": HEALTHY_ITEMS,
    }
    fields.update(overrides)
    return services.elderly_assessment_create(**fields)


def policy_in_force() -> ElderlyAssessmentPolicy:
    """The city's policy in force since 2023 (the migration's seed)."""
    policy = ElderlyAssessmentPolicy.objects.valid_on(date(2026, 3, 10)).get()
    assert policy.default_standard == GBT_NAME
    return policy


# --- the service ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_service_stores_what_the_standard_computes(name: str) -> None:
    """Every worked example of the spec (§7), through the service and the database."""
    _id, items, info, subtotals, total, preliminary, final, _cumulative = EXAMPLES[name]
    assessment = create(items=items, adjustments=info)
    assessment.refresh_from_db()
    assert assessment.standard == GBT_NAME
    assert tuple(assessment.subtotals[k] for k in gbt42195.INDICATORS) == subtotals
    assert (assessment.total, assessment.base_level, assessment.level) == (
        total,
        preliminary,
        final,
    )
    assert assessment.adl_grade is None and assessment.rules == gbt42195.Rules().as_dict()
    assert assessment.next_due == date(2026, 9, 10)


def test_new_assessments_default_to_gbt42195_and_record_the_base_information() -> None:
    _id, items, *_rest = EXAMPLES["W11"]
    assessment = create(
        items=items,
        adjustments={
            "diagnoses": "f32, I10",
            "by_psychiatrist": True,
            "suicide_self_harm": 1,
            "falls": 1,
        },
    )
    assessment.refresh_from_db()
    assert assessment.standard == GBT_NAME
    # The diagnoses are health data: encrypted apart from the other conditions, and C.4's
    # diagnosis item is ticked without its codes (identifiers.md, spec §4).
    assert assessment.adjustments == {
        "coma": False,
        "falls": 1,
        "getting_lost": 0,
        "choking": 0,
        "suicide_self_harm": 1,
        "other": 0,
    }
    assert assessment.health_data() == {"diagnoses": ["F32", "I10"], "by_psychiatrist": True}
    # Quoted: the ciphertext is base64, which has no quotes but may hold the letters F32.
    assert '"F32"' not in assessment.health_data_encrypted
    assert assessment.change_reasons == [
        {"key": "f_diagnosis", "detail": ""},
        {"key": "risk_events", "detail": "2"},
    ]
    assert (assessment.base_level, assessment.level) == (1, 2)


def test_an_f04_f99_diagnosis_needs_a_psychiatrist() -> None:
    _id, items, *_rest = EXAMPLES["W11"]
    assessment = create(items=items, adjustments={"diagnoses": ["F32"]})
    assert (assessment.base_level, assessment.level, assessment.change_reasons) == (1, 1, [])


@pytest.mark.parametrize(
    ("change", "example", "level"),
    [
        ({"cumulative": True}, "W11", 3),  # diagnosis and events raise by two
        ({"coma_level": 3}, "W12", 3),  # B.3.9's note instead of C.4
        ({"risk_threshold": 3}, "W10a", 1),  # two falls are no longer enough
        ({"level1_min_total": 84}, "W10b", 2),  # the bands are data: 83 is level 2 now
        ({"count_other_events": False}, "W10b", 1),
    ],
)
def test_the_city_policy_sets_the_unconfirmed_rules(
    change: dict[str, Any], example: str, level: int
) -> None:
    policy = policy_in_force()
    for name, value in change.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    _id, items, info, *_rest = EXAMPLES[example]
    if change == {"count_other_events": False}:
        info = info | {"other": 1}  # 1 fall + 1 "other": not counted, so below the threshold
    assessment = create(items=items, adjustments=info)
    assert assessment.level == level
    assert assessment.rules == policy.gbt42195_rules()


def test_other_events_count_by_default() -> None:
    _id, items, info, *_rest = EXAMPLES["W10b"]
    assert create(items=items, adjustments=info | {"other": 1}).level == 2


def test_items_may_be_left_blank_under_coma_only_where_the_policy_says_so() -> None:
    blank = {"mental_state": {"consciousness": 0}}
    with pytest.raises(ValidationError) as caught:
        create(items=blank, adjustments={"coma": True})
    assert "items" in caught.value.error_dict
    policy = policy_in_force()
    policy.coma_items_optional = True
    policy.save()
    assessment = create(items=blank, adjustments={"coma": True})
    assert (assessment.total, assessment.level, assessment.subtotals) == (None, 4, {})


@pytest.mark.parametrize(
    ("standard", "months", "due"),
    [(GBT_NAME, 12, date(2027, 3, 10)), (MZT, 3, date(2026, 6, 10))],
)
def test_reassessment_follows_each_standards_interval(
    standard: str, months: int, due: date
) -> None:
    allow_mzt039(CICHENG_VILLAGE)
    policy = policy_in_force()
    policy.gbt42195_reassess_months = 12
    policy.mzt039_reassess_months = 3
    policy.save()
    items = HEALTHY_ITEMS if standard == GBT_NAME else MZT039_HEALTHY_ITEMS
    assert create(standard=standard, items=items).next_due == due


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"adjustments": {"coma": True}}, "items", "昏迷"),  # 意识水平 2 with coma
        ({"adjustments": {"diagnoses": ["dementia"]}}, "adjustments", "DEMENTIA"),
        ({"adjustments": {"falls": 4}}, "adjustments", "4"),
        ({"adjustments": {"falls": -1}}, "adjustments", "-1"),
        ({"adjustments": {"dementia": "mild"}}, "adjustments", "dementia"),  # MZ/T's condition
        ({"items": MZT039_HEALTHY_ITEMS}, "items", "adl"),  # the other standard's items
        ({"items": HEALTHY_ITEMS | {"basic_mobility": STAIRS_4}}, "items", "4"),
    ],
)
def test_refusals_name_the_field_and_save_nothing(
    change: dict[str, Any], field: str, words: str
) -> None:
    before = ElderlyAssessment.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(**change)
    assert field in caught.value.error_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert ElderlyAssessment.objects.count() == before


def test_the_reason_other_is_a_gbt42195_reason_only() -> None:
    assert create(reason="other", reason_note="家属申请").reason == "other"
    allow_mzt039(CICHENG_VILLAGE)
    with pytest.raises(ValidationError) as caught:
        create(reason="other", standard=MZT, items=MZT039_HEALTHY_ITEMS)
    assert "reason" in caught.value.error_dict


def test_levels_stay_within_their_standards_scale() -> None:
    """Old MZ/T 039 records keep their four levels: the model refuses a level 4 under MZ/T."""
    allow_mzt039(CICHENG_VILLAGE)
    old = create(standard=MZT, items=MZT039_HEALTHY_ITEMS)
    old.level = 4
    with pytest.raises(ValidationError) as caught:
        old.full_clean()
    assert "level" in caught.value.error_dict
    new = create(items=EXAMPLES["W8"][1])
    assert new.level == 4
    new.full_clean()


def test_the_standard_of_a_record_never_changes() -> None:
    assessment = create()
    with pytest.raises(TypeError):
        services.elderly_assessment_update(actor=SYSTEM, assessment=assessment, standard=MZT)


def test_mzt039_only_where_the_policy_lists_the_station() -> None:
    with pytest.raises(ValidationError) as caught:
        create(standard=MZT, items=MZT039_HEALTHY_ITEMS)
    assert GBT_NAME in caught.value.message_dict["standard"][0]
    allow_mzt039(CICHENG_VILLAGE)
    assert create(standard=MZT, items=MZT039_HEALTHY_ITEMS).standard == MZT
    # without a standard the policy's default applies, even at a listed station
    assert create().standard == GBT_NAME
    # a station the policy does not list is still refused
    outside = {
        "recipient": build.recipient(YUEHU_COMMUNITY),
        "assessor": build.worker(YUEHU_COMMUNITY),
        "second_assessor": build.worker(YUEHU_COMMUNITY),
    }
    with pytest.raises(ValidationError):
        create(standard=MZT, items=MZT039_HEALTHY_ITEMS, **outside)


def test_before_2023_new_assessments_default_to_mzt039() -> None:
    """The seeded policy: MZ/T 039-2013 up to 2022, GB/T 42195-2022 from 2023."""
    assert create(assessed_on=date(2022, 12, 31), items=MZT039_HEALTHY_ITEMS).standard == MZT
    assert create(assessed_on=date(2023, 1, 1)).standard == GBT_NAME


def test_a_policy_is_checked() -> None:
    policy = policy_in_force()
    policy.level2_min_total = 70  # above level 1's 66
    policy.dementia_codes = "dementia"
    with pytest.raises(ValidationError) as caught:
        policy.full_clean()
    assert {"level1_min_total", "dementia_codes"} <= set(caught.value.error_dict)


# --- the pages and the report ---------------------------------------------------------------


def test_the_page_shows_the_total_the_reasons_and_the_level_with_its_standard(
    users: dict[str, Any],
) -> None:
    _id, items, info, *_rest = EXAMPLES["W9"]
    assessment = create(items=items, adjustments=info)
    body = client_for(users[Role.AUDITOR]).get(assessment.get_absolute_url()).content.decode()
    assert 'id="total-score"' in body and "77" in body
    assert f"2 · {GBT.level_names[2]}" in body
    assert 'id="change-reasons"' in body and "F00" in body
    assert str(GBT.raise_reasons["f_diagnosis"]) in body
    assert 'id="total-self_care">30<' in body
    assert 'id="grade-self_care"' not in body  # GB/T indicators have no grades
    assert "自理能力" in body  # in Chinese


def test_the_report_prints_both_assessors_and_the_reason(users: dict[str, Any]) -> None:
    first = build.worker(CICHENG_VILLAGE, name="评估员甲")
    second = build.worker(CICHENG_VILLAGE, name="评估员乙")
    _id, items, info, *_rest = EXAMPLES["W10a"]
    assessment = create(
        items=items,
        adjustments=info,
        assessor=first,
        second_assessor=second,
        reason="change",
        reason_note="近期两次跌倒",
        place="后大街社区日间照料中心",
        informant_name="王小明",
        informant_relation="child",
    )
    url = reverse("cases:elderlyassessment_report", args=[assessment.pk])
    response = client_for(users[Role.SOCIAL_WORKER]).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "评估员甲" in body and "评估员乙" in body
    assert 'id="report-reason">即时评估: 近期两次跌倒<' in body
    assert escape("后大街社区日间照料中心") in body and "王小明" in body
    assert 'id="report-total">83 / 90<' in body
    # C.3 and C.5 list the five levels, the one given ticked (as Annex C's form does).
    assert f"<strong>☑ 2 {GBT.level_names[2]}</strong>" in body
    assert f"☐ 1 {GBT.level_names[1]}" in body and f"☐ 4 {GBT.level_names[4]}" in body
    assert "☑" in body and "☐" in body  # risk events ticked; coma and diagnosis not
    assert "老年人能力评估报告" in body
    page = client_for(users[Role.SOCIAL_WORKER]).get(assessment.get_absolute_url()).content
    assert url in page.decode()


def test_the_report_of_an_mzt039_record(users: dict[str, Any]) -> None:
    allow_mzt039(CICHENG_VILLAGE)
    assessment = create(standard=MZT, items=MZT039_HEALTHY_ITEMS)
    body = (
        client_for(users[Role.AUDITOR])
        .get(reverse("cases:elderlyassessment_report", args=[assessment.pk]))
        .content.decode()
    )
    assert 'id="report-grades"' in body and 'id="report-subtotals"' not in body


def test_the_report_is_scoped(users: dict[str, Any]) -> None:
    outside = create(
        recipient=build.recipient(YUEHU_COMMUNITY),
        assessor=build.worker(YUEHU_COMMUNITY),
        second_assessor=build.worker(YUEHU_COMMUNITY),
    )
    url = reverse("cases:elderlyassessment_report", args=[outside.pk])
    assert client_for(users[Role.SOCIAL_WORKER]).get(url).status_code == 404
    assert client_for(users[Role.CITY_ADMIN]).get(url).status_code == 200


def test_the_form_is_the_gbt42195_form_in_chinese(users: dict[str, Any]) -> None:
    body = (
        client_for(users[Role.SOCIAL_WORKER])
        .get(reverse("cases:elderlyassessment_add"))
        .content.decode()
    )
    assert 'name="standard"' in body and f'value="{GBT_NAME}"' in body
    for dimension in GBT.dimensions:
        for item in dimension.items:
            assert f'name="{dimension.key}__{item.name}"' in body
    for condition in GBT.conditions:
        assert f'name="adj__{condition.name}"' in body
    assert "4 · 独立使用器具进食并咽下，没有呛咳" in body
    assert "感知觉与社会参与" in body and "近30天内自杀、自伤" in body
    assert 'name="adl__eating"' not in body  # not MZ/T's form
    assert 'value="other"' in body  # the fifth reason of A.1.3


def test_the_form_saves_a_gbt42195_assessment(users: dict[str, Any]) -> None:
    _id, items, *_rest = EXAMPLES["W11"]
    data = {
        "recipient": build.recipient(CICHENG_VILLAGE, name="国标老人").pk,
        "assessed_on": "2026-03-01",
        "reason": "routine",
        "assessor": build.worker(CICHENG_VILLAGE).pk,
        "second_assessor": build.worker(CICHENG_VILLAGE).pk,
        "place": "家中",
        "standard": GBT_NAME,
        **elderly_form_items(items),
        "adj__diagnoses": "F32",
        "adj__by_psychiatrist": "True",
        "adj__suicide_self_harm": 1,
        "adj__falls": 1,
    }
    response = client_for(users[Role.STATION_MANAGER]).post(
        reverse("cases:elderlyassessment_add"), data
    )
    assert response.status_code == 302, response.context["form"].errors
    saved = ElderlyAssessment.objects.get(recipient__name="国标老人")
    assert (saved.standard, saved.total, saved.base_level, saved.level) == (GBT_NAME, 86, 1, 2)
    assert saved.health_data()["by_psychiatrist"] is True and saved.place == "家中"
    assert "by_psychiatrist" not in saved.adjustments


def test_the_form_names_a_bad_code_and_a_missing_item(users: dict[str, Any]) -> None:
    items = {k: dict(v) for k, v in HEALTHY_ITEMS.items()}
    del items["self_care"]["eating"]
    data = {
        "recipient": build.recipient(CICHENG_VILLAGE).pk,
        "assessed_on": "2026-03-01",
        "reason": "initial",
        "assessor": build.worker(CICHENG_VILLAGE).pk,
        "second_assessor": build.worker(CICHENG_VILLAGE).pk,
        **elderly_form_items(items),
        "adj__diagnoses": "F0O",
    }
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("cases:elderlyassessment_add"), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "F0O" in errors["adj__diagnoses"][0] and "self_care__eating" in errors


def test_the_form_switches_to_mzt039_where_the_policy_allows(users: dict[str, Any]) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    body = client.get(reverse("cases:elderlyassessment_add")).content.decode()
    assert 'id="other-standards"' not in body
    allow_mzt039(CICHENG_VILLAGE)
    body = client.get(reverse("cases:elderlyassessment_add")).content.decode()
    assert 'id="other-standards"' in body
    body = client.get(reverse("cases:elderlyassessment_add"), {"standard": MZT}).content.decode()
    assert 'name="adl__eating"' in body and 'name="self_care__eating"' not in body


def test_editing_an_mzt039_record_keeps_its_form(users: dict[str, Any]) -> None:
    allow_mzt039(CICHENG_VILLAGE)
    old = create(standard=MZT, items=MZT039_HEALTHY_ITEMS)
    body = (
        client_for(users[Role.SOCIAL_WORKER])
        .get(reverse("cases:elderlyassessment_edit", args=[old.pk]), {"standard": GBT_NAME})
        .content.decode()
    )
    assert 'name="adl__eating"' in body and 'name="standard"' not in body


@pytest.mark.parametrize("role", ROLES)
def test_the_report_by_role(role: str, users: dict[str, Any]) -> None:
    """Every role that may read assessments may print the report (the matrix of the model)."""
    from swstation.core.permissions import model_permissions

    assessment = create()
    url = reverse("cases:elderlyassessment_report", args=[assessment.pk])
    allowed = role in model_permissions(ElderlyAssessment).roles_for("view")
    assert client_for(users[role]).get(url).status_code == (200 if allowed else 403)


# --- the API -------------------------------------------------------------------------------


def test_the_api_lists_both_standards_with_standard_and_level(users: dict[str, Any]) -> None:
    allow_mzt039(CICHENG_VILLAGE)
    dependent = MZT039_HEALTHY_ITEMS | {"adl": dict.fromkeys(MZT039_HEALTHY_ITEMS["adl"], 0)}
    old = create(standard=MZT, items=dependent)
    new = create(items=EXAMPLES["W8"][1])
    response = api_client_for(users[Role.SOCIAL_WORKER]).get(
        reverse("api:elderlyassessment-list"), {"page_size": 100}
    )
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert (rows[old.pk]["standard"], rows[old.pk]["level"]) == (MZT, 3)
    assert (rows[new.pk]["standard"], rows[new.pk]["level"]) == (GBT_NAME, 4)
    assert rows[new.pk]["total"] == 29 and rows[old.pk]["total"] is None
    assert rows[new.pk]["level_name"] == str(GBT.level_names[4])
    only_gbt = api_client_for(users[Role.SOCIAL_WORKER]).get(
        reverse("api:elderlyassessment-list"), {"standard": GBT_NAME, "page_size": 100}
    )
    assert {row["standard"] for row in only_gbt.json()["results"]} == {GBT_NAME}


def test_the_api_creates_under_the_policys_standard(users: dict[str, Any]) -> None:
    _id, items, info, *_rest = EXAMPLES["W13"]
    response = api_client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("api:elderlyassessment-list"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "assessed_on": "2026-03-01",
            "reason": "initial",
            "assessor": build.worker(CICHENG_VILLAGE).pk,
            "second_assessor": build.worker(CICHENG_VILLAGE).pk,
            "items": items,
            "adjustments": info,
            "level": 0,
            "total": 90,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["standard"], data["total"], data["base_level"], data["level"]) == (
        GBT_NAME,
        29,
        4,
        4,
    )
    assert [r["key"] for r in data["change_reasons"]] == ["f_diagnosis", "risk_events"]
    assert data["subtotals"] == {
        "self_care": 7,
        "basic_mobility": 3,
        "mental_state": 17,
        "perception_social": 2,
    }


def test_the_api_refuses_mzt039_at_an_unlisted_station(users: dict[str, Any]) -> None:
    response = api_client_for(users[Role.SOCIAL_WORKER]).post(
        reverse("api:elderlyassessment-list"),
        {
            "recipient": build.recipient(CICHENG_VILLAGE).pk,
            "assessed_on": "2026-03-01",
            "reason": "initial",
            "assessor": build.worker(CICHENG_VILLAGE).pk,
            "second_assessor": build.worker(CICHENG_VILLAGE).pk,
            "items": MZT039_HEALTHY_ITEMS,
            "standard": MZT,
        },
        format="json",
    )
    assert response.status_code == 400
    assert GBT_NAME in response.json()["standard"][0]


def test_the_api_keeps_the_standard_on_update(users: dict[str, Any]) -> None:
    assessment = create()
    response = api_client_for(users[Role.STATION_MANAGER]).patch(
        reverse("api:elderlyassessment-detail", args=[assessment.pk]),
        {"standard": MZT, "adjustments": {"falls": 3}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["standard"], response.json()["level"]) == (GBT_NAME, 1)


# --- the policy's pages and API (policy data: every role reads, the city bureau writes) -------


class ElderlyAssessmentPolicyCases:
    model = ElderlyAssessmentPolicy
    list_params = {"q": "测试评估政策"}

    def make_object(self, code: str, n: int = 0) -> ElderlyAssessmentPolicy:
        policy = ElderlyAssessmentPolicy(
            name=f"测试评估政策{n:03d}", valid_from=date(2030, 1, 1) + timedelta(days=n)
        )
        policy.full_clean()
        policy.save()
        return policy

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试评估政策新",
            "valid_from": "2030-01-01",
            "default_standard": GBT_NAME,
            "mzt039_stations": [build.station(CICHENG_VILLAGE).pk],
            "gbt42195_reassess_months": 12,
            "mzt039_reassess_months": 6,
            "level0_min_total": 90,
            "level1_min_total": 66,
            "level2_min_total": 46,
            "level3_min_total": 30,
            "risk_threshold": 2,
            "risk_count": "sum",
            "count_other_events": "on",
            "coma_level": 4,
            "dementia_codes": "F00-F03",
            "disorder_codes": "F04-F99",
        }

    def edit_data(self, obj: ElderlyAssessmentPolicy) -> dict[str, Any]:
        data = self.form_data("")
        data.update(name=f"{obj.name}改", valid_from=obj.valid_from.isoformat())
        data.pop("mzt039_stations")
        return data

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试评估政策接口",
            "valid_from": "2030-01-01",
            "default_standard": GBT_NAME,
            "cumulative": True,
        }

    def api_patch(self, obj: ElderlyAssessmentPolicy) -> dict[str, Any]:
        return {"risk_threshold": 3}

    def object_label(self, obj: ElderlyAssessmentPolicy) -> str:
        return obj.name


class TestElderlyAssessmentPolicyViews(ElderlyAssessmentPolicyCases, PolicyViewOverrides):
    def test_the_form_refuses_bands_out_of_order(self, users: dict[str, Any]) -> None:
        data = self.form_data("") | {"level2_min_total": 70}
        response = self.client_for(users[Role.CITY_ADMIN]).post(self.url("_add"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["level1_min_total"]
        assert not ElderlyAssessmentPolicy.objects.filter(name="测试评估政策新").exists()


class TestElderlyAssessmentPolicyAPI(ElderlyAssessmentPolicyCases, PolicyAPIOverrides):
    def test_a_bad_code_range_is_refused(self, users: dict[str, Any]) -> None:
        data = self.api_data("") | {"disorder_codes": "F99-F04"}
        response = self.api_client_for(users[Role.CITY_ADMIN]).post(
            self.api_url(), data, format="json"
        )
        assert response.status_code == 400
        assert "disorder_codes" in response.json()
