"""Pages and API of cases, goals and transfers: the role × scope matrix of tests/base.py.

Matrix cases in 慈城镇 belong to the fixture social worker and are supervised by the fixture
supervisor (tests/cases/case_builders.py), so each role sees them; ownership itself (a social
worker sees only their own cases) is tested in test_cases_visibility.py."""

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from swstation.cases.models import Case, CaseGoal, CaseStage, CaseTransfer
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from tests.base import ROLES, ModelAPITests, ModelTestBase, ModelViewTests
from tests.cases import case_builders as build
from tests.conftest import CICHENG, YUEHU


class CaseCases:
    model = Case
    list_params = {"q": "-2024-"}

    def make_object(self, code: str, n: int = 0) -> Case:
        return build.make_case(code, n)

    def _people(self, code: str) -> dict[str, Any]:
        case_worker, case_supervisor = build.matrix_people(code)
        return {
            "recipient": build.recipient(code).pk,
            "station": case_worker.station_id,
            "worker": case_worker.pk,
            "supervisor": case_supervisor.pk,
        }

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            **self._people(code),
            "opened_on": "2024-05-06",
            "presenting_problem": "家庭矛盾，需要调解",
        }

    def edit_data(self, obj: Case) -> dict[str, Any]:
        return {
            "supervisor": obj.supervisor_id or "",
            "opened_on": obj.opened_on.isoformat(),
            "presenting_problem": obj.presenting_problem + "（补充）",
            "assessment_summary": "需要每周探访",
            "intervention_summary": "",
            "evaluation_summary": "",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {**self._people(code), "opened_on": "2024-05-07", "presenting_problem": "接口个案"}

    def api_patch(self, obj: Case) -> dict[str, Any]:
        return {"assessment_summary": "接口预估"}

    def object_label(self, obj: Case) -> str:
        return obj.number


class TestCaseViews(CaseCases, ModelViewTests):
    def test_add_generates_the_number_and_starts_at_intake(self, users: dict[str, Any]) -> None:
        client = self.client_for(users[Role.SOCIAL_WORKER])
        response = client.post(self.url("_add"), self.form_data(CICHENG))
        assert response.status_code == 302
        case = Case.objects.get()
        assert case.number == "330205103-2024-0001"
        assert case.stage == CaseStage.INTAKE
        assert response["Location"] == case.get_absolute_url()

    def test_add_refusal_names_the_field(self, users: dict[str, Any]) -> None:
        data = self.form_data(CICHENG)
        existing = build.make_case(
            CICHENG, 5, recipient=Recipient.objects.get(pk=data["recipient"])
        )
        response = self.client_for(users[Role.STATION_MANAGER]).post(self.url("_add"), data)
        assert response.status_code == 200
        assert existing.number in response.content.decode()  # "… already has an open case"
        assert Case.objects.count() == 1


class TestCaseAPI(CaseCases, ModelAPITests):
    pass


class CaseGoalCases:
    model = CaseGoal
    list_params = {"q": "测试目标"}

    def make_object(self, code: str, n: int = 0) -> CaseGoal:
        case = build.make_case(code, n, stage=CaseStage.PLANNING)
        return build.goal(case, f"测试目标{n:03d}")

    def form_data(self, code: str) -> dict[str, Any]:
        case = build.make_case(code, stage=CaseStage.PLANNING)
        return {"case": case.pk, "description": "测试目标新", "target_date": "2024-12-31"}

    def edit_data(self, obj: CaseGoal) -> dict[str, Any]:
        return {"case": obj.case_id, "description": obj.description, "achieved": "on"}

    def api_data(self, code: str) -> dict[str, Any]:
        case = build.make_case(code, stage=CaseStage.PLANNING)
        return {"case": case.pk, "description": "测试目标接口"}

    def api_patch(self, obj: CaseGoal) -> dict[str, Any]:
        return {"achieved": True}

    def object_label(self, obj: CaseGoal) -> str:
        return obj.description


class TestCaseGoalViews(CaseGoalCases, ModelViewTests):
    pass


class TestCaseGoalAPI(CaseGoalCases, ModelAPITests):
    pass


@pytest.mark.django_db
class TestCaseTransferReadOnly(ModelTestBase):
    """Transfers are written by case_transfer only: pages and API read them, nobody writes."""

    model = CaseTransfer

    def make_object(self, code: str, n: int = 0) -> CaseTransfer:
        case = build.make_case(code, n)
        other = build.worker(code, name=f"接手社工{n:03d}")
        transfer = CaseTransfer.objects.create(
            case=case,
            from_worker=case.worker,
            to_worker=other,
            from_station=case.station,
            to_station=other.station,
            transferred_on=case.opened_on,
            reason=f"调岗{n:03d}",
        )
        Case.objects.filter(pk=case.pk).update(worker=other)
        return transfer

    @pytest.mark.parametrize("role", ROLES)
    def test_list_detail_and_api_by_role(self, role: str, users: dict[str, Any]) -> None:
        build.matrix_people(CICHENG)
        inside = self.make_object(CICHENG, 1)
        # the matrix worker keeps seeing it only if the case is theirs: give it back
        Case.objects.filter(pk=inside.case_id).update(worker=inside.from_worker)
        outside = self.make_object(YUEHU, 2)
        client = self.client_for(users[role])
        page = client.get(self.url("_list"), {"per_page": 250})
        api = self.api_client_for(users[role]).get(self.api_url(), {"page_size": 1000})
        if not self.allowed(role, "view"):
            assert page.status_code == 403 and api.status_code == 403
            return
        body = page.content.decode()
        assert inside.reason in body
        assert (outside.reason in body) == (role == Role.CITY_ADMIN)
        ids = {row["id"] for row in api.json()["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)
        assert client.get(self.url("", inside.pk)).status_code == 200
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(self.url("", outside.pk)).status_code == expected
        assert client.get(self.url("_history", inside.pk)).status_code == 200

    @pytest.mark.parametrize("role", ROLES)
    def test_nobody_writes_transfers_directly(self, role: str, users: dict[str, Any]) -> None:
        transfer = self.make_object(CICHENG, 1)
        api = self.api_client_for(users[role])
        row = {"case": transfer.case_id, "reason": "x"}
        assert api.post(self.api_url(), row, format="json").status_code in (403, 405)
        assert api.patch(self.api_url(transfer.pk), row, format="json").status_code in (403, 405)
        assert api.delete(self.api_url(transfer.pk)).status_code in (403, 405)
        with pytest.raises(NoReverseMatch):
            reverse("cases:casetransfer_add")
        assert CaseTransfer.objects.get(pk=transfer.pk).reason == transfer.reason


def test_case_menu_entry(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    body = client.get(reverse("cases:case_list")).content.decode()
    assert reverse("cases:case_list") in body
    assert reverse("cases:casegoal_list") in body
