"""The role × scope matrix of the recipient and household pages and API (tests/base.py).

Recipients and households live in villages: the in-scope records are made in 慈城镇's village
330205103201, the out-of-scope ones in 月湖街道's community 330203004001."""

from datetime import date
from typing import Any

from swstation.recipients.models import Household, Recipient
from tests.base import ModelAPITests, ModelViewTests
from tests.recipients.helpers import (
    CICHENG_VILLAGE,
    YUEHU_COMMUNITY,
    id_number,
    make_household,
    make_recipient,
    region,
)


class HouseholdCases:
    model = Household
    in_scope_code = CICHENG_VILLAGE
    out_of_scope_code = YUEHU_COMMUNITY
    list_params = {"q": "测试户主"}

    def make_object(self, code: str, n: int = 0) -> Household:
        return make_household(code, head_name=f"测试户主{n:03d}", address=f"测试路{n}号")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "head_name": "新户主",
            "region": region(code).pk,
            "address": "慈城镇新街5号",
            "size": 3,
            "note": "",
        }

    def edit_data(self, obj: Household) -> dict[str, Any]:
        return {
            "head_name": obj.head_name,
            "region": obj.region_id,
            "address": obj.address,
            "size": obj.size + 1,
            "note": "已核实",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"head_name": "新户主", "region_code": code, "address": "新街6号", "size": 2}

    def api_patch(self, obj: Household) -> dict[str, Any]:
        return {"size": obj.size + 1}

    def object_label(self, obj: Household) -> str:
        return obj.head_name


class TestHouseholdViews(HouseholdCases, ModelViewTests):
    pass


class TestHouseholdAPI(HouseholdCases, ModelAPITests):
    pass


class RecipientCases:
    model = Recipient
    in_scope_code = CICHENG_VILLAGE
    out_of_scope_code = YUEHU_COMMUNITY
    list_params = {"q": "测试对象"}

    def make_object(self, code: str, n: int = 0) -> Recipient:
        return make_recipient(code, name=f"测试对象{n:03d}", birth=date(1950, 1, 1 + n % 28))

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新对象",
            "document_type": "resident_id",
            "document_number": id_number(date(1946, 5, 17)),
            "phone": "13900000001",
            "region": region(code).pk,
            "address": "慈城镇新街5号",
            "status": "active",
            "consent_given": "on",
            "consent_on": "2026-01-05",
        }

    def edit_data(self, obj: Recipient) -> dict[str, Any]:
        return {
            "name": obj.name,
            "document_type": obj.document_type,
            "document_number": "",  # keeps the stored number
            "sex": obj.sex,
            "birth_date": obj.birth_date.isoformat() if obj.birth_date else "",
            "region": obj.region_id,
            "address": "慈城镇新街7号",
            "status": obj.status,
            "consent_given": "on",
            "consent_on": obj.consent_on.isoformat() if obj.consent_on else "",
            "note": "已入户核实",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新对象",
            "region_code": code,
            "id_number": id_number(date(1946, 5, 17)),
            "consent_given": True,
            "consent_on": "2026-01-05",
        }

    def api_patch(self, obj: Recipient) -> dict[str, Any]:
        return {"note": "已入户核实"}

    def object_label(self, obj: Recipient) -> str:
        return obj.name


class TestRecipientViews(RecipientCases, ModelViewTests):
    pass


class TestRecipientAPI(RecipientCases, ModelAPITests):
    pass
