"""Pages and API of assessments, service records and visit schedules: the role × scope matrix
of tests/base.py. Records are scoped by the recipient's village: in scope 慈城镇's village,
out of scope a community of 月湖街道."""

from datetime import date
from typing import Any

from swstation.cases.models import (
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from tests.base import ModelAPITests, ModelViewTests
from tests.cases import test_records_fixtures as build
from tests.cases.test_records_fixtures import (
    CICHENG_VILLAGE,
    HEALTHY_ITEMS,
    NO_NEEDS,
    YUEHU_COMMUNITY,
)


class VillageScope:
    in_scope_code = CICHENG_VILLAGE
    out_of_scope_code = YUEHU_COMMUNITY


def elderly_form_items(items: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Form data of the items and the conditions of their standard, nothing to report: GB/T
    42195-2022's base information, or MZ/T 039-2013's C.3 conditions."""
    data: dict[str, Any] = {
        f"{dimension}__{name}": score
        for dimension, scores in items.items()
        for name, score in scores.items()
    }
    if "self_care" in items or "mental_state" in items:
        data.update(
            {
                "adj__coma": "False",
                "adj__diagnoses": "",
                "adj__by_psychiatrist": "False",
                "adj__falls": 0,
                "adj__getting_lost": 0,
                "adj__choking": 0,
                "adj__suicide_self_harm": 0,
                "adj__other": 0,
            }
        )
        return data
    data.update(
        {
            "adj__dementia": "none",
            "adj__mental_illness": "",
            "adj__falls": 0,
            "adj__choking": 0,
            "adj__suicide_attempts": 0,
            "adj__getting_lost": 0,
        }
    )
    return data


# --- elderly capability assessments -------------------------------------------------------


class ElderlyAssessmentCases(VillageScope):
    model = ElderlyAssessment
    list_params = {"q": "评估老人"}

    def make_object(self, code: str, n: int = 0) -> ElderlyAssessment:
        return services.elderly_assessment_create(
            actor=SYSTEM,
            recipient=build.recipient(code, name=f"评估老人{n:03d}"),
            assessed_on=date(2026, 1, 10),
            reason="routine",
            assessor=build.worker(code),
            second_assessor=build.worker(code),
            items=HEALTHY_ITEMS,
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="新评估老人").pk,
            "assessed_on": "2026-02-01",
            "reason": "initial",
            "assessor": build.worker(code).pk,
            "second_assessor": build.worker(code).pk,
            **elderly_form_items(HEALTHY_ITEMS),
        }

    def edit_data(self, obj: ElderlyAssessment) -> dict[str, Any]:
        return {
            "recipient": obj.recipient_id,
            "assessed_on": obj.assessed_on.isoformat(),
            "reason": "recheck",
            "assessor": obj.assessor_id,
            "second_assessor": obj.second_assessor_id,
            **elderly_form_items(obj.items),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="接口评估老人").pk,
            "assessed_on": "2026-02-01",
            "reason": "initial",
            "assessor": build.worker(code).pk,
            "second_assessor": build.worker(code).pk,
            "items": HEALTHY_ITEMS,
        }

    def api_patch(self, obj: ElderlyAssessment) -> dict[str, Any]:
        return {"reason": "recheck"}

    def object_label(self, obj: ElderlyAssessment) -> str:
        return obj.recipient.name


class TestElderlyAssessmentViews(ElderlyAssessmentCases, ModelViewTests):
    pass


class TestElderlyAssessmentAPI(ElderlyAssessmentCases, ModelAPITests):
    pass


# --- child needs assessments --------------------------------------------------------------


class ChildNeedsAssessmentCases(VillageScope):
    model = ChildNeedsAssessment
    list_params = {"q": "评估儿童"}

    def make_object(self, code: str, n: int = 0) -> ChildNeedsAssessment:
        return services.child_needs_assessment_create(
            actor=SYSTEM,
            recipient=build.recipient(code, name=f"评估儿童{n:03d}"),
            assessed_on=date(2026, 1, 10),
            assessor=build.worker(code),
            needs=NO_NEEDS | {"education": 2},
            help_plan="每周课业辅导一次",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "recipient": build.recipient(code, name="新评估儿童").pk,
            "assessed_on": "2026-02-01",
            "assessor": build.worker(code).pk,
            "help_plan": "联系学校，安排结对志愿者",
        }
        data.update({f"need__{name}": score for name, score in NO_NEEDS.items()})
        data["note__family_care"] = "祖父母照料"
        return data

    def edit_data(self, obj: ChildNeedsAssessment) -> dict[str, Any]:
        data: dict[str, Any] = {
            "recipient": obj.recipient_id,
            "assessed_on": obj.assessed_on.isoformat(),
            "assessor": obj.assessor_id,
            "help_plan": obj.help_plan + "；增加心理辅导",
        }
        data.update({f"need__{name}": entry["score"] for name, entry in obj.needs.items()})
        data["need__psychology"] = 2
        return data

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="接口评估儿童").pk,
            "assessed_on": "2026-02-01",
            "assessor": build.worker(code).pk,
            "needs": NO_NEEDS,
            "help_plan": "定期探访",
        }

    def api_patch(self, obj: ChildNeedsAssessment) -> dict[str, Any]:
        return {"help_plan": "接口修改的帮扶计划"}

    def object_label(self, obj: ChildNeedsAssessment) -> str:
        return obj.recipient.name


class TestChildNeedsAssessmentViews(ChildNeedsAssessmentCases, ModelViewTests):
    pass


class TestChildNeedsAssessmentAPI(ChildNeedsAssessmentCases, ModelAPITests):
    pass


# --- service records ----------------------------------------------------------------------


class ServiceRecordCases(VillageScope):
    model = ServiceRecord
    list_params = {"q": "服务记录对象"}

    def make_object(self, code: str, n: int = 0) -> ServiceRecord:
        return build.record(
            build.recipient(code, name=f"服务记录对象{n:03d}"),
            build.worker(code),
            date(2026, 1, 10),
            notes=f"第{n}次",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        worker = build.worker(code)
        return {
            "recipient": build.recipient(code, name="新服务记录对象").pk,
            "station": worker.station_id,
            "worker": worker.pk,
            "served_on": "2026-02-01",
            "service_type": "home_visit",
            "duration_minutes": 45,
            "notes": "入户探访",
        }

    def edit_data(self, obj: ServiceRecord) -> dict[str, Any]:
        return {
            "recipient": obj.recipient_id,
            "station": obj.station_id,
            "worker": obj.worker_id,
            "served_on": obj.served_on.isoformat(),
            "service_type": "phone",
            "duration_minutes": 10,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="接口服务记录对象").pk,
            "worker": build.worker(code).pk,
            "served_on": "2026-02-01",
            "service_type": "counselling",
            "duration_minutes": 60,
        }

    def api_patch(self, obj: ServiceRecord) -> dict[str, Any]:
        return {"duration_minutes": 90}

    def object_label(self, obj: ServiceRecord) -> str:
        return obj.recipient.name


class TestServiceRecordViews(ServiceRecordCases, ModelViewTests):
    pass


class TestServiceRecordAPI(ServiceRecordCases, ModelAPITests):
    pass


# --- visit schedules ----------------------------------------------------------------------


class VisitScheduleCases(VillageScope):
    model = VisitSchedule
    list_params = {"q": "探访对象"}

    def make_object(self, code: str, n: int = 0) -> VisitSchedule:
        return build.schedule(
            build.recipient(code, name=f"探访对象{n:03d}"), build.worker(code), date(2026, 1, 1)
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="新探访对象").pk,
            "worker": build.worker(code).pk,
            "service_type": "health_visit",
            "times_per_month": 2,
            "project": "",
            "starts_on": "2026-01-01",
            "active": "on",
        }

    def edit_data(self, obj: VisitSchedule) -> dict[str, Any]:
        return {
            "recipient": obj.recipient_id,
            "worker": obj.worker_id,
            "service_type": obj.service_type,
            "times_per_month": 4,
            "starts_on": obj.starts_on.isoformat(),
            "active": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "recipient": build.recipient(code, name="接口探访对象").pk,
            "worker": build.worker(code).pk,
            "service_type": "home_visit",
            "times_per_month": 1,
            "starts_on": "2026-01-01",
        }

    def api_patch(self, obj: VisitSchedule) -> dict[str, Any]:
        return {"times_per_month": 3}

    def object_label(self, obj: VisitSchedule) -> str:
        return obj.recipient.name


class TestVisitScheduleViews(VisitScheduleCases, ModelViewTests):
    pass


class TestVisitScheduleAPI(VisitScheduleCases, ModelAPITests):
    pass
