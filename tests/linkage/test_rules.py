"""The rules of the linkage app: the referral's transitions (allowed, refused in Chinese, 409
when already made), the agenda and workload counts that follow the records, a case's timeline,
the service agencies as partners, the catalogue's filters, the per-region figures, and what an
auditor sees of a contact's phone."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.linkage import selectors, services
from swstation.linkage.models import Partner, PartnerKind, Referral, ReferralStatus
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency
from tests.base import ModelTestBase
from tests.cases import case_builders as cb
from tests.clients import client_for as _client
from tests.linkage import helpers as h

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def page(user: Any) -> str:
    response = _client(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def count(body: str, element_id: str) -> int:
    """A count of the home page, by its id (as tests/core/test_home_counts.py reads them)."""
    found = re.search(rf'id="{element_id}"[^>]*>\s*([\d,]+)\s*<', body)
    assert found, f"no count #{element_id}"
    return int(found.group(1).replace(",", ""))


def load_row(body: str, person: Any) -> dict[str, int]:
    row = body[body.index(f'id="home-load-{person.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'class="[^"]*load-(\w+)[^"]*"[^>]*>\s*([\d,]+)\s*<', row)
    return {name: int(value) for name, value in cells}


# --- transitions -------------------------------------------------------------------------------


def test_the_happy_path_sent_accepted_in_progress_completed(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    referral = h.referral()
    services.referral_accept(actor=actor, referral=referral)
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_on == TODAY()
    services.referral_start(actor=actor, referral=referral)
    assert referral.status == ReferralStatus.IN_PROGRESS
    services.referral_complete(
        actor=actor, referral=referral, outcome="resolved", feedback="已安排就业"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == "resolved" and referral.feedback == "已安排就业"
    reasons = [r.history_change_reason for r in referral.history.order_by("history_id")]
    assert reasons[1:] == ["转介已接收", "转介服务已开始", "转介已完成"]
    assert referral.history.first().history_user == actor


def test_decline_needs_a_reason_and_is_final(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    referral = h.referral()
    with pytest.raises(ValidationError) as refused:
        services.referral_decline(actor=actor, referral=referral, reason="  ")
    assert refused.value.message_dict["reason"] == ["请填写合作伙伴拒绝的原因。"]
    services.referral_decline(actor=actor, referral=referral, reason="名额已满")
    assert referral.status == ReferralStatus.DECLINED
    with pytest.raises(StateConflict) as final:
        services.referral_withdraw(actor=actor, referral=referral, reason="改转他处")
    assert "不能再变更" in " ".join(final.value.messages)


def test_complete_needs_outcome_and_feedback(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    referral = h.referral(status=ReferralStatus.ACCEPTED, answered_on=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.referral_complete(actor=actor, referral=referral, outcome="", feedback="好")
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.referral_complete(actor=actor, referral=referral, outcome="partly", feedback="")
    assert refused.value.message_dict["feedback"] == ["请填写合作伙伴的反馈。"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_moves_the_state_does_not_allow_are_refused_naming_the_status(
    users: dict[str, Any],
) -> None:
    actor = users[Role.SOCIAL_WORKER]
    referral = h.referral()
    with pytest.raises(ValidationError) as refused:
        services.referral_start(actor=actor, referral=referral)
    message = refused.value.message_dict["status"][0]
    assert "已发出，待回复" in message and "服务中" in message
    with pytest.raises(ValidationError):
        services.referral_complete(actor=actor, referral=referral, outcome="resolved", feedback="x")
    services.referral_accept(actor=actor, referral=referral)
    with pytest.raises(StateConflict):  # the same answer twice
        services.referral_accept(actor=actor, referral=referral)
    with pytest.raises(ValidationError):  # a refusal after an acceptance
        services.referral_decline(actor=actor, referral=referral, reason="x")
    services.referral_withdraw(actor=actor, referral=referral, reason="对象已搬离")
    assert referral.status == ReferralStatus.WITHDRAWN and referral.withdrawn_on == TODAY()


def test_days_are_checked(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    referral = h.referral()
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(
            actor=actor, referral=referral, answered_on=TODAY() + timedelta(days=1)
        )
    assert refused.value.message_dict["answered_on"] == ["该日期晚于今天。"]
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(
            actor=actor, referral=referral, answered_on=referral.sent_on - timedelta(days=1)
        )
    assert "早于转介日期" in refused.value.message_dict["answered_on"][0]


def test_roles_that_must_not_move_a_referral_are_refused(users: dict[str, Any]) -> None:
    referral = h.referral()
    for role in (Role.SUPERVISOR, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.referral_accept(actor=users[role], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_transitions_through_the_api(users: dict[str, Any]) -> None:
    base = ModelTestBase()
    client = base.api_client_for(users[Role.SOCIAL_WORKER])
    referral = h.referral()
    url = lambda name: reverse(f"api:referral-{name}", args=[referral.pk])  # noqa: E731
    response = client.post(url("decline"), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url("start"), {}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.post(url("accept"), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert client.post(url("accept"), {}, format="json").status_code == 409
    response = client.post(
        url("complete"), {"outcome": "resolved", "feedback": "已入职"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "completed"
    listed = client.get(reverse("api:referral-list"), {"status": "completed"}).json()
    assert [row["status"] for row in listed["results"]] == ["completed"]
    supervisor = base.api_client_for(users[Role.SUPERVISOR])
    other = h.referral()
    answer = supervisor.post(reverse("api:referral-accept", args=[other.pk]), {}, format="json")
    assert answer.status_code == 403


def test_transitions_through_the_page(users: dict[str, Any]) -> None:
    client = _client(users[Role.STATION_MANAGER])
    referral = h.referral()
    page_url = referral.get_absolute_url()
    body = client.get(page_url).content.decode()
    assert 'id="accept"' in body and 'id="decline"' in body and 'id="complete"' not in body
    response = client.post(
        reverse("linkage:referral_decline", args=[referral.pk]), {"reason": ""}, follow=True
    )
    assert "拒绝原因" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    client.post(reverse("linkage:referral_accept", args=[referral.pk]), {})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    response = client.post(reverse("linkage:referral_accept", args=[referral.pk]), {}, follow=True)
    assert "该转介已是“已接收”" in response.content.decode()
    auditor = _client(users[Role.AUDITOR])
    assert auditor.get(page_url).status_code == 200
    assert 'id="answer"' not in auditor.get(page_url).content.decode()
    assert auditor.post(reverse("linkage:referral_start", args=[referral.pk])).status_code == 403


# --- what the partner is told --------------------------------------------------------------------


def test_the_note_for_the_partner_is_apart_from_the_internal_notes(users: dict[str, Any]) -> None:
    referral = h.referral(
        note_for_partner="请安排一个保洁岗位", reason="家庭收入低", internal_note="丈夫患病"
    )
    body = _client(users[Role.SOCIAL_WORKER]).get(referral.get_absolute_url()).content.decode()
    told = body[body.index('id="note-for-partner"') : body.index('id="internal-notes"')]
    assert "请安排一个保洁岗位" in told
    assert "家庭收入低" not in told and "丈夫患病" not in told


# --- the referral's own rules --------------------------------------------------------------------


def test_a_referral_is_made_by_a_worker_of_the_station_for_its_area(
    users: dict[str, Any],
) -> None:
    actor = users[Role.SOCIAL_WORKER]
    me = cb.worker_of(actor)
    elsewhere = cb.recipient(cb.KONGPU)
    partner = h.partner()
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=actor,
            recipient=elsewhere,
            partner=partner,
            service="就业",
            answer_due_on=TODAY() + timedelta(days=3),
        )
    assert "recipient" in refused.value.message_dict
    made = services.referral_create(
        actor=actor,
        recipient=cb.recipient(),
        partner=partner,
        service="就业",
        answer_due_on=TODAY() + timedelta(days=3),
    )
    assert made.worker == me and made.station == me.station and made.sent_on == TODAY()


def test_a_case_of_someone_else_is_refused(users: dict[str, Any]) -> None:
    case = cb.make_case()
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=SYSTEM,
            recipient=cb.recipient(),
            case=case,
            station=case.station,
            worker=case.worker,
            partner=h.partner(),
            service="就业",
            answer_due_on=TODAY() + timedelta(days=3),
        )
    assert "case" in refused.value.message_dict


# --- the agenda and the workload ------------------------------------------------------------------


def test_overdue_referrals_join_the_workers_and_the_managers_agenda(
    users: dict[str, Any],
) -> None:
    worker_user, manager = users[Role.SOCIAL_WORKER], users[Role.STATION_MANAGER]
    me = cb.worker_of(worker_user)
    assert count(page(worker_user), "home-referrals-overdue") == 0
    late = h.referral(by=me, due_in=-2)
    h.referral(by=me, due_in=0)
    h.referral(due_in=-5)  # a colleague's: on the manager's agenda, not mine
    body = page(worker_user)
    assert count(body, "home-referrals-overdue") == 1
    assert count(body, "home-referrals-today") == 1
    assert late.recipient.name in body and "记录回复" in body
    assert count(page(manager), "home-referrals-overdue") == 2
    assert load_row(page(manager), me)["other"] == 1
    services.referral_accept(actor=worker_user, referral=late)
    assert count(page(worker_user), "home-referrals-overdue") == 0
    assert load_row(page(manager), me)["other"] == 0


# --- a case's timeline -------------------------------------------------------------------------


def test_a_cases_timeline_shows_its_referrals(users: dict[str, Any]) -> None:
    case = cb.make_case()
    referral = h.referral(recipient=case.recipient, case=case, by=case.worker, service="岗位对接")
    services.referral_decline(actor=SYSTEM, referral=referral, reason="岗位已满")
    client = _client(users[Role.STATION_MANAGER])
    body = client.get(reverse("cases:case_timeline", args=[case.pk])).content.decode()
    assert "岗位对接" in body and "拒绝了转介" in body and "岗位已满" in body
    assert 'data-kind="referral"' in body


# --- the service agencies are partners ---------------------------------------------------------


def test_an_agency_is_a_partner_of_the_one_list(users: dict[str, Any]) -> None:
    agency = ServiceAgency.objects.create(
        name="宁波市测试社工服务中心",
        credit_code="52330200MJ0000001X",
        region=h.region(h.JIANGBEI),
        contact_phone="13800000000",
    )
    partner = Partner.objects.get(agency=agency)
    assert partner.kind == PartnerKind.SOCIAL_ORG and partner.name == agency.name
    agency.name = "宁波市测试社工服务中心（更名）"
    agency.save()
    partner.refresh_from_db()
    assert partner.name == agency.name
    assert Partner.objects.filter(agency=agency).count() == 1
    with pytest.raises(ValidationError):
        services.partner_update(actor=SYSTEM, partner=partner, name="别名")
    listed = _client(users[Role.SOCIAL_WORKER]).get(
        reverse("linkage:partner_list"), {"kind": "social_org"}
    )
    assert agency.name in listed.content.decode()


def test_an_auditor_sees_the_contact_phone_masked(users: dict[str, Any]) -> None:
    partner = h.partner(contact_phone="13912345678", contact_name="王经理")
    auditor = users[Role.AUDITOR]
    body = _client(auditor).get(partner.get_absolute_url()).content.decode()
    assert "13912345678" not in body
    api = ModelTestBase().api_client_for(auditor)
    assert (
        api.get(reverse("api:partner-detail", args=[partner.pk])).json()["contact_phone"]
        != "13912345678"
    )
    worker = _client(users[Role.SOCIAL_WORKER]).get(partner.get_absolute_url())
    assert "13912345678" in worker.content.decode()


def test_a_government_partner_names_its_department() -> None:
    with pytest.raises(ValidationError) as refused:
        services.partner_create(
            actor=SYSTEM, name="区残联", kind="government", region=h.region(h.JIANGBEI)
        )
    assert refused.value.message_dict["department"] == ["请选择政府部门类别。"]


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_filters_by_kind_region_and_validity(users: dict[str, Any]) -> None:
    district = h.partner(h.JIANGBEI, name="江北区残联", kind="government")
    town = h.partner(name="慈城镇测试企业")
    far = h.partner(h.YUEHU, name="月湖测试机构")
    h.resource(by=district, title="测试康复辅具", kind="goods")
    h.resource(by=town, title="测试保洁岗位", kind="jobs")
    h.resource(by=town, title="测试过期岗位", kind="jobs", valid_to=date(2024, 6, 30))
    h.resource(by=far, title="测试月湖场地", kind="venue")
    client = _client(users[Role.SOCIAL_WORKER])
    url = reverse("linkage:resource_list")

    def titles(**params: Any) -> set[str]:
        body = client.get(url, {"q": "测试", "per_page": 100, **params}).content.decode()
        return {
            t for t in ("测试康复辅具", "测试保洁岗位", "测试过期岗位", "测试月湖场地") if t in body
        }

    assert titles() == {"测试康复辅具", "测试保洁岗位", "测试过期岗位"}
    assert titles(kind="jobs") == {"测试保洁岗位", "测试过期岗位"}
    assert titles(kind="jobs", valid_today="true") == {"测试保洁岗位"}
    assert titles(region_code=h.CICHENG) == {"测试康复辅具", "测试保洁岗位", "测试过期岗位"}
    city = _client(users[Role.CITY_ADMIN])
    body = city.get(url, {"region_code": h.YUEHU, "q": "测试"}).content.decode()
    assert "测试月湖场地" in body and "测试保洁岗位" not in body


# --- figures -----------------------------------------------------------------------------------


def test_figures_per_region(users: dict[str, Any]) -> None:
    actor = users[Role.CITY_ADMIN]
    h.partner(name="图表企业一")
    h.partner(name="图表妇联", kind="government")
    town_partner = h.partner(name="图表企业二")
    h.resource(by=town_partner, kind="jobs")
    sent = TODAY() - timedelta(days=10)
    for days, status in ((2, "accepted"), (4, "declined"), (9, "completed")):
        h.referral(
            to=town_partner,
            status=status,
            sent_on=sent,
            answered_on=sent + timedelta(days=days),
            outcome="resolved" if status == "completed" else "",
        )
    h.referral(to=town_partner)
    jiangbei = Region.objects.get(code=h.JIANGBEI)
    rows = selectors.linkage_figures(actor=actor, region=jiangbei, on=TODAY())
    cicheng = next(row for row in rows if row.region.code == h.CICHENG)
    assert cicheng.partners == {"enterprise": 2, "government": 1}
    assert cicheng.resources == {"jobs": 1}
    assert cicheng.referrals == {"accepted": 1, "declined": 1, "completed": 1, "sent": 1}
    assert cicheng.outcomes == {"resolved": 1}
    assert cicheng.median_days_to_answer == 4
    others = [row for row in rows if row.region.code != h.CICHENG]
    assert all(row.referral_total == 0 for row in others)
    (own,) = selectors.linkage_figures(actor=actor, region=jiangbei, on=TODAY(), below=False)
    assert own.partner_total == 3 and own.referral_total == 4
    # A worker's figures are their jurisdiction's: nothing of 海曙区.
    haishu = Region.objects.get(code="330203000000")
    rows = selectors.linkage_figures(actor=users[Role.SOCIAL_WORKER], region=haishu, on=TODAY())
    assert all(row.partner_total == 0 for row in rows)
    assert Referral.objects.count() == 4
