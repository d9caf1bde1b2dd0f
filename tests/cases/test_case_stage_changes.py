"""The stage log of cases (issue 18) read as its own list: whoever reads a case reads its log
(a social worker only their own cases'), nobody writes it but the case services, and the page
and the API filter it alike (the case, the stage, the dates)."""

from datetime import date
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from swstation.cases import services
from swstation.cases.models import Case, CaseStage, CaseStageChange
from swstation.core.permissions import model_permissions
from swstation.core.roles import Role
from tests.base import ROLES, ModelTestBase
from tests.cases import case_builders as build
from tests.conftest import CICHENG, YUEHU

pytestmark = pytest.mark.django_db


class CaseStageChangeCases(ModelTestBase):
    model = CaseStageChange
    list_params = {"q": "阶段测试"}

    def make_object(self, code: str, n: int = 0) -> CaseStageChange:
        case = build.make_case(code, n)
        return CaseStageChange.objects.create(
            case=case,
            from_stage="",
            to_stage=CaseStage.INTAKE,
            changed_on=case.opened_on,
            reason=f"阶段测试{n:03d}",
        )

    def object_label(self, obj: CaseStageChange) -> str:
        return obj.reason


class TestCaseStageChangePages(CaseStageChangeCases):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_detail_history_and_api_by_role(self, role: str, users: dict[str, Any]) -> None:
        build.matrix_people(CICHENG)
        inside = self.make_object(CICHENG, 1)
        outside = self.make_object(YUEHU, 2)
        client = self.client_for(users[role])
        page = client.get(self.url("_list"), {"per_page": 250, **self.list_params})
        api = self.api_client_for(users[role]).get(self.api_url(), {"page_size": 1000})
        assert self.allowed(role, "view") == self.allowed_on_case(role)
        if not self.allowed(role, "view"):
            assert page.status_code == api.status_code == 403
            return
        body = page.content.decode()
        assert "阶段测试001" in body
        assert ("阶段测试002" in body) == (role == Role.CITY_ADMIN)
        ids = {row["id"] for row in api.json()["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)
        detail = client.get(inside.get_absolute_url())
        assert detail.status_code == 200
        assert inside.case.get_absolute_url() in detail.content.decode()
        assert client.get(self.url("_history", inside.pk)).status_code == 200
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(outside.get_absolute_url()).status_code == expected
        row = self.api_client_for(users[role]).get(self.api_url(inside.pk)).json()
        assert (row["case"], row["from_stage"], row["to_stage"]) == (inside.case_id, "", "intake")

    @staticmethod
    def allowed_on_case(role: str) -> bool:
        return role in model_permissions(Case).roles_for("view")  # type: ignore[arg-type]

    def test_a_social_worker_reads_only_their_own_cases_log(self, users: dict[str, Any]) -> None:
        mine = self.make_object(CICHENG, 1)  # the matrix worker's case
        colleague = build.worker(CICHENG, name="同站社工")
        theirs = self.make_object(CICHENG, 2)
        Case.objects.filter(pk=theirs.case_id).update(worker=colleague)
        client = self.client_for(users[Role.SOCIAL_WORKER])
        body = client.get(self.url("_list"), self.list_params).content.decode()
        assert "阶段测试001" in body and "阶段测试002" not in body
        assert client.get(mine.get_absolute_url()).status_code == 200
        assert client.get(theirs.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    def test_nobody_writes_the_log_directly(self, role: str, users: dict[str, Any]) -> None:
        change = self.make_object(CICHENG, 1)
        api = self.api_client_for(users[role])
        row = {"case": change.case_id, "to_stage": "closed", "changed_on": "2024-05-01"}
        assert api.post(self.api_url(), row, format="json").status_code in (403, 405)
        assert api.patch(self.api_url(change.pk), row, format="json").status_code in (403, 405)
        assert api.delete(self.api_url(change.pk)).status_code in (403, 405)
        for suffix, args in (("_add", []), ("_edit", [change.pk]), ("_delete", [change.pk])):
            with pytest.raises(NoReverseMatch):
                reverse(f"cases:casestagechange{suffix}", args=args)
        assert CaseStageChange.objects.get(pk=change.pk).to_stage == CaseStage.INTAKE
        assert not any(self.allowed(role, action) for action in ("add", "change", "delete"))

    def test_the_case_page_links_to_its_log(self, users: dict[str, Any]) -> None:
        change = self.make_object(CICHENG, 1)
        body = (
            self.client_for(users[Role.STATION_MANAGER])
            .get(change.case.get_absolute_url())
            .content.decode()
        )
        assert f"{self.url('_list')}?case={change.case_id}" in body


class TestCaseStageChangeFilters(CaseStageChangeCases):
    """Each filter lists the same steps on the page (their detail links) and in the API."""

    def listed(self, client: Any, api: Any, params: dict[str, Any]) -> set[int]:
        body = client.get(self.url("_list"), {"per_page": 250, **params}).content.decode()
        on_page = {
            pk
            for pk in CaseStageChange.objects.values_list("pk", flat=True)
            if f'href="{self.url("", pk)}"' in body
        }
        rows = api.get(self.api_url(), {"page_size": 1000, **params}).json()["results"]
        assert on_page == {row["id"] for row in rows}, params
        return on_page

    def test_filters(self, users: dict[str, Any]) -> None:
        opened = self.make_object(CICHENG, 1)
        case = opened.case
        Case.objects.filter(pk=case.pk).update(stage=CaseStage.ASSESSMENT)
        advanced = CaseStageChange.objects.create(
            case=case,
            from_stage=CaseStage.INTAKE,
            to_stage=CaseStage.ASSESSMENT,
            changed_on=date(2024, 6, 3),
            reason="阶段测试推进",
        )
        other = self.make_object(CICHENG, 2)
        user = users[Role.DISTRICT_OFFICER]
        client, api = self.client_for(user), self.api_client_for(user)
        cases: list[tuple[dict[str, Any], set[int]]] = [
            ({}, {opened.pk, advanced.pk, other.pk}),
            ({"case": case.pk}, {opened.pk, advanced.pk}),
            ({"recipient": other.case.recipient_id}, {other.pk}),
            ({"to_stage": "assessment"}, {advanced.pk}),
            ({"to_stage": ["assessment", "intake"]}, {opened.pk, advanced.pk, other.pk}),
            ({"from_stage": "intake"}, {advanced.pk}),
            ({"opened": "true"}, {opened.pk, other.pk}),
            ({"opened": "false"}, {advanced.pk}),
            ({"changed_after": "2024-06-01"}, {advanced.pk}),
            ({"changed_before": "2024-03-01"}, {opened.pk, other.pk}),
            ({"q": "阶段测试推进"}, {advanced.pk}),
        ]
        for params, expected in cases:
            assert self.listed(client, api, {"q": "阶段测试", **params}) == expected, params


def test_the_case_services_write_the_log(users: dict[str, Any]) -> None:
    """The log the pages read is the services': an advance adds its dated step."""
    case = build.make_case(CICHENG, 1)
    manager = users[Role.STATION_MANAGER]
    services.case_advance(actor=manager, case=case, to_stage=CaseStage.ASSESSMENT)
    client = CaseStageChangeCases().client_for(manager)
    body = client.get(reverse("cases:casestagechange_list"), {"case": case.pk}).content.decode()
    step = CaseStageChange.objects.get(case=case, to_stage=CaseStage.ASSESSMENT)
    assert step.from_stage == CaseStage.INTAKE
    assert reverse("cases:casestagechange", args=[step.pk]) in body
