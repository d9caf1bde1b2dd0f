"""Every linkage model through the shared page and API cases (tests/base.py): roles allowed and
refused, scope, history, exports, flat query counts, Chinese errors."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from swstation.linkage.models import Partner, Referral, Resource
from tests.base import ModelAPITests, ModelViewTests
from tests.cases import case_builders as cb
from tests.linkage import helpers as h


class PartnerCases:
    model = Partner
    list_params = {"q": "测试伙伴"}

    def make_object(self, code: str, n: int = 0) -> Partner:
        return h.partner(code, name=f"测试伙伴{n:03d}-{code[-9:-3]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新合作企业",
            "kind": "government",
            "department": "disabled",
            "region": h.region(code).pk,
            "active": "on",
        }

    def edit_data(self, obj: Partner) -> dict[str, Any]:
        return {
            "name": obj.name + "（改）",
            "kind": obj.kind,
            "region": obj.region_id,
            "contact_name": "张三",
            "active": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "接口伙伴", "kind": "school", "region_code": code}

    def api_patch(self, obj: Partner) -> dict[str, Any]:
        return {"contact_name": "李四"}

    def object_label(self, obj: Partner) -> str:
        return obj.name


class TestPartnerViews(PartnerCases, ModelViewTests):
    pass


class TestPartnerAPI(PartnerCases, ModelAPITests):
    pass


class ResourceCases:
    model = Resource
    list_params = {"q": "测试资源"}

    def make_object(self, code: str, n: int = 0) -> Resource:
        return h.resource(code, title=f"测试资源{n:03d}-{code[-9:-3]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "partner": h.partner(code).pk,
            "kind": "jobs",
            "title": "测试资源新岗位",
            "capacity": 20,
            "capacity_unit": "个岗位",
            "valid_from": "2024-03-01",
        }

    def edit_data(self, obj: Resource) -> dict[str, Any]:
        return {
            "partner": obj.partner_id,
            "kind": obj.kind,
            "title": obj.title,
            "capacity": 30,
            "valid_from": obj.valid_from.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "partner": h.partner(code).pk,
            "kind": "goods",
            "title": "接口物资",
            "valid_from": "2024-05-01",
        }

    def api_patch(self, obj: Resource) -> dict[str, Any]:
        return {"capacity": 50}

    def object_label(self, obj: Resource) -> str:
        return obj.title


class TestResourceViews(ResourceCases, ModelViewTests):
    pass


class TestResourceAPI(ResourceCases, ModelAPITests):
    pass


class ReferralCases:
    model = Referral
    list_params = {"q": "测试转介"}

    def make_object(self, code: str, n: int = 0) -> Referral:
        return h.referral(code, service=f"测试转介{n:03d}-{code[-9:-3]}")

    def _data(self, code: str) -> dict[str, Any]:
        by = h.worker(code)
        today = timezone.localdate()
        return {
            "recipient": cb.recipient(code).pk,
            "station": by.station_id,
            "worker": by.pk,
            "partner": h.partner(code).pk,
            "service": "测试转介新",
            "note_for_partner": "请协助安排岗位",
            "sent_on": today.isoformat(),
            "answer_due_on": (today + timedelta(days=5)).isoformat(),
        }

    def form_data(self, code: str) -> dict[str, Any]:
        return self._data(code)

    def edit_data(self, obj: Referral) -> dict[str, Any]:
        return {
            "recipient": obj.recipient_id,
            "station": obj.station_id,
            "worker": obj.worker_id,
            "partner": obj.partner_id,
            "service": obj.service,
            "internal_note": "已电话联系",
            "sent_on": obj.sent_on.isoformat(),
            "answer_due_on": obj.answer_due_on.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return self._data(code)

    def api_patch(self, obj: Referral) -> dict[str, Any]:
        return {"internal_note": "已上门"}

    def object_label(self, obj: Referral) -> str:
        return obj.service


class TestReferralViews(ReferralCases, ModelViewTests):
    pass


class TestReferralAPI(ReferralCases, ModelAPITests):
    pass
