"""Every funds model through the shared page and API cases (tests/base.py): roles allowed and
refused, scope, history, exports, flat query counts, Chinese errors."""

from typing import Any

from swstation.funds.models import ContractInstalment, Expense, Funder, Grant, PurchaseContract
from tests.base import ModelAPITests, ModelViewTests
from tests.funds import helpers as h


class FunderCases:
    model = Funder
    list_params = {"q": "测试资助方"}

    def make_object(self, code: str, n: int = 0) -> Funder:
        return h.funder(code, name=f"测试资助方{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新慈善基金",
            "kind": "foundation",
            "tier": "social",
            "region": h.region(code).pk,
        }

    def edit_data(self, obj: Funder) -> dict[str, Any]:
        return {
            "name": obj.name + "（改）",
            "kind": obj.kind,
            "tier": obj.tier,
            "region": obj.region_id,
            "contact_name": "张三",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "接口基金会", "kind": "foundation", "tier": "social", "region_code": code}

    def api_patch(self, obj: Funder) -> dict[str, Any]:
        return {"contact_name": "李四"}

    def object_label(self, obj: Funder) -> str:
        return obj.name


class TestFunderViews(FunderCases, ModelViewTests):
    pass


class TestFunderAPI(FunderCases, ModelAPITests):
    pass


class GrantCases:
    model = Grant
    list_params = {"q": "测试用途"}

    def make_object(self, code: str, n: int = 0) -> Grant:
        return h.grant(code, purpose=f"测试用途{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "funder": h.funder(code).pk,
            "fund_type": "donation",
            "station": h.station(code).pk,
            "amount": "12345.67",
            "year": 2024,
            "document_number": "甬慈〔2024〕1号",
            "granted_on": "2024-04-01",
            "purpose": "测试用途新",
        }

    def edit_data(self, obj: Grant) -> dict[str, Any]:
        return {
            "fund_type": obj.fund_type,
            "station": obj.station_id,
            "amount": "20000.00",
            "year": obj.year,
            "granted_on": obj.granted_on.isoformat(),
            "purpose": obj.purpose,
            "region": obj.region_id,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "funder": h.funder(code).pk,
            "fund_type": "donation",
            "station": h.station(code).pk,
            "amount": "5000.00",
            "year": 2024,
            "granted_on": "2024-05-01",
            "purpose": "接口用途",
        }

    def api_patch(self, obj: Grant) -> dict[str, Any]:
        return {"amount": "15000.00"}

    def object_label(self, obj: Grant) -> str:
        return obj.purpose


class TestGrantViews(GrantCases, ModelViewTests):
    pass


class TestGrantAPI(GrantCases, ModelAPITests):
    pass


class PurchaseContractCases:
    model = PurchaseContract
    list_params = {"q": "购字"}

    def make_object(self, code: str, n: int = 0) -> PurchaseContract:
        return h.contract(code, number=f"购字{n:03d}-{code[-6:]}号")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "number": "购字新1号",
            "title": "社工站运营",
            "region": h.region(code).pk,
            "agency": h.agency(code).pk,
            "station": h.station(code).pk,
            "signed_on": "2024-01-02",
            "starts_on": "2024-01-01",
            "ends_on": "2024-12-31",
            "amount": "280000.00",
            "deliverables": "驻站社工3名",
        }

    def edit_data(self, obj: PurchaseContract) -> dict[str, Any]:
        return {
            "number": obj.number,
            "title": obj.title + "（续）",
            "region": obj.region_id,
            "agency": obj.agency_id,
            "station": obj.station_id,
            "signed_on": obj.signed_on.isoformat(),
            "starts_on": obj.starts_on.isoformat(),
            "ends_on": obj.ends_on.isoformat(),
            "amount": str(obj.amount),
            "deliverables": obj.deliverables,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        data = self.form_data(code)
        data.pop("region")
        return {**data, "number": "购字接口1号", "region_code": code}

    def api_patch(self, obj: PurchaseContract) -> dict[str, Any]:
        return {"title": "改名"}

    def object_label(self, obj: PurchaseContract) -> str:
        return obj.number


class TestPurchaseContractViews(PurchaseContractCases, ModelViewTests):
    pass


class TestPurchaseContractAPI(PurchaseContractCases, ModelAPITests):
    pass


class ContractInstalmentCases:
    model = ContractInstalment
    list_params = {"q": "交付物"}

    def make_object(self, code: str, n: int = 0) -> ContractInstalment:
        return h.instalment(h.contract(code), 1, deliverable=f"交付物{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "contract": h.contract(code).pk,
            "sequence": 1,
            "due_on": "2024-06-30",
            "amount": "150000.00",
            "deliverable": "中期报告",
        }

    def edit_data(self, obj: ContractInstalment) -> dict[str, Any]:
        return {
            "contract": obj.contract_id,
            "sequence": obj.sequence,
            "due_on": obj.due_on.isoformat(),
            "amount": "90000.00",
            "deliverable": obj.deliverable,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "contract": h.contract(code).pk,
            "sequence": 2,
            "due_on": "2024-09-30",
            "amount": "50000.00",
        }

    def api_patch(self, obj: ContractInstalment) -> dict[str, Any]:
        return {"amount": "80000.00"}

    def object_label(self, obj: ContractInstalment) -> str:
        return obj.deliverable


class TestContractInstalmentViews(ContractInstalmentCases, ModelViewTests):
    pass


class TestContractInstalmentAPI(ContractInstalmentCases, ModelAPITests):
    pass


class ExpenseCases:
    model = Expense
    list_params = {"q": "记字"}

    def make_object(self, code: str, n: int = 0) -> Expense:
        return h.expense(h.grant(code), voucher_number=f"记字{n:03d}-{code[-6:]}号")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "grant": h.grant(code).pk,
            "spent_on": "2024-07-01",
            "category": "materials",
            "amount": "800.00",
            "voucher_number": "记字新",
        }

    def edit_data(self, obj: Expense) -> dict[str, Any]:
        return {
            "grant": obj.grant_id,
            "spent_on": obj.spent_on.isoformat(),
            "category": obj.category,
            "amount": "900.00",
            "voucher_number": obj.voucher_number,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "grant": h.grant(code).pk,
            "spent_on": "2024-07-02",
            "category": "training",
            "amount": "700.00",
            "voucher_number": "记字接口",
        }

    def api_patch(self, obj: Expense) -> dict[str, Any]:
        return {"amount": "950.00"}

    def object_label(self, obj: Expense) -> str:
        return obj.voucher_number


class TestExpenseViews(ExpenseCases, ModelViewTests):
    pass


class TestExpenseAPI(ExpenseCases, ModelAPITests):
    pass
