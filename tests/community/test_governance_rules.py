"""Residents' micro-governance (众筹微治, 邻舍家): a proposal's stages one step at a time with
their history, the "五筹" pledges and their validation, money pledged reconciled with money
received, meetings of a proposal or of a self-governance station's council (one of the two),
the council meetings on the partner's page, the advance page and API per role, and the figures
per region."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from swstation.community import selectors, services
from swstation.community.models import GovernanceMeeting, Pledge, ProposalStage
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from tests.clients import client_for as page
from tests.community import governance_helpers as g
from tests.community import helpers as h
from tests.linkage import helpers as linkage_helpers
from tests.projects.helpers import api
from tests.volunteers import helpers as volunteer_helpers

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> dict[str, str]:
    return {name: " ".join(texts) for name, texts in error.message_dict.items()}


# --- stages ------------------------------------------------------------------------------------


def test_a_proposal_moves_one_stage_at_a_time_each_in_its_history(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    proposal = services.proposal_create(
        actor=worker,
        station=h.station(),
        name="百老弄花卉种植",
        region=h.region(h.CICHENG_VILLAGE),
        problem="弄堂垃圾乱堆",
        solution="居民认领花箱",
        raised_on=date(2024, 3, 1),
        lead_worker=h.worker(),
    )
    assert proposal.stage == ProposalStage.FOUND
    with pytest.raises(StateConflict) as skipped:
        services.proposal_advance(actor=worker, proposal=proposal, to_stage="solving")
    assert "阶段不可跳过" in " ".join(skipped.value.messages)
    services.proposal_advance(actor=worker, proposal=proposal, to_stage="discussing")
    services.proposal_advance(actor=worker, proposal=proposal, to_stage="solving")
    with pytest.raises(ValidationError) as unfinished:
        services.proposal_advance(actor=worker, proposal=proposal, to_stage="closed")
    errors = messages_of(unfinished.value)
    assert errors["outcome"] == "请说明项目的结果。"
    assert errors["result"] == "请简要写明实施成效。"
    proposal.refresh_from_db()
    assert proposal.stage == ProposalStage.SOLVING  # nothing partly saved
    services.proposal_advance(
        actor=worker,
        proposal=proposal,
        to_stage="closed",
        on=date(2024, 6, 1),
        outcome="solved",
        result="弄堂变花园，居民轮流养护",
    )
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.outcome, proposal.closed_on) == (
        "closed",
        "solved",
        date(2024, 6, 1),
    )
    reasons = list(
        proposal.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["发现问题", "探讨问题", "解决问题", "已结束"]
    steps = selectors.proposal_stage_changes(proposal=proposal)
    assert [step["stage"] for step in steps] == ["发现问题", "探讨问题", "解决问题", "已结束"]
    with pytest.raises(ValidationError) as closed:
        services.proposal_update(actor=worker, proposal=proposal, name="改名")
    assert "已结束，不能再修改" in " ".join(closed.value.messages)
    with pytest.raises(ValidationError):
        services.pledge_create(
            actor=worker,
            proposal=proposal,
            kind="wisdom",
            source="resident",
            resident_name="张三",
            description="建议",
            pledged_on=date(2024, 6, 2),
        )


def test_an_open_proposal_closes_early_only_as_not_carried_out(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    proposal = g.proposal()
    with pytest.raises(ValidationError) as refused:
        services.proposal_advance(
            actor=worker, proposal=proposal, to_stage="closed", outcome="solved", result="好"
        )
    assert "只能以“未能实施”结束" in messages_of(refused.value)["outcome"]
    services.proposal_advance(
        actor=worker,
        proposal=proposal,
        to_stage="closed",
        on=date(2024, 4, 1),
        outcome="dropped",
        result="业主意见不一，暂缓",
    )
    proposal.refresh_from_db()
    assert proposal.stage == "closed" and proposal.outcome == "dropped"


def test_a_proposal_closes_no_earlier_than_its_last_meeting(users: dict[str, Any]) -> None:
    proposal = g.proposal(stage="solving")
    g.meeting(proposal, held_on=date(2024, 5, 20))
    with pytest.raises(ValidationError) as early:
        services.proposal_advance(
            actor=users[Role.SOCIAL_WORKER],
            proposal=proposal,
            to_stage="closed",
            on=date(2024, 5, 1),
            outcome="solved",
            result="完成",
        )
    assert "2024-05-20" in messages_of(early.value)["on"]


def test_a_proposal_with_pledges_is_not_deleted(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    proposal = g.proposal()
    g.pledge(proposal)
    with pytest.raises(StateConflict):
        services.proposal_delete(actor=manager, proposal=proposal)
    empty = g.proposal()
    services.proposal_delete(actor=manager, proposal=empty)
    assert not type(empty).objects.filter(pk=empty.pk).exists()


# --- pledges -----------------------------------------------------------------------------------


def _pledge(actor: Any, proposal: Any, **fields: Any) -> Pledge:
    fields.setdefault("pledged_on", date(2024, 3, 10))
    return services.pledge_create(actor=actor, proposal=proposal, **fields)


def test_pledges_name_their_pledger_and_what_is_pledged(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    proposal = g.proposal()
    cases = [
        (
            {"kind": "wisdom", "source": "resident", "description": "设计"},
            "resident_name",
            "请填写认筹居民的姓名。",
        ),
        (
            {"kind": "resources", "source": "organisation", "description": "花箱"},
            "partner",
            "请选择认筹的组织或慈善力量。",
        ),
        (
            {"kind": "talent", "source": "volunteer", "description": "园艺"},
            "volunteer",
            "请选择认筹的志愿者。",
        ),
        ({"kind": "project", "source": "station"}, "description", "请写明认筹的内容。"),
        ({"kind": "funds", "source": "station"}, "amount_pledged", "请填写认筹金额，须大于0元。"),
        (
            {"kind": "wisdom", "source": "station", "description": "方案", "amount_pledged": "5"},
            "amount_pledged",
            "只有筹资金才填写金额。",
        ),
        (
            {"kind": "wisdom", "source": "station", "description": "方案", "people_count": 3},
            "people_count",
            "只有筹人才才填写人数。",
        ),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            _pledge(worker, proposal, **fields)
        assert messages_of(refused.value)[field] == message, fields
    enterprise = linkage_helpers.partner(h.CICHENG, kind="enterprise")
    with pytest.raises(ValidationError) as not_charity:
        _pledge(
            worker,
            proposal,
            kind="funds",
            source="charity",
            partner=enterprise,
            amount_pledged=Decimal("1000"),
        )
    assert "不是慈善组织或基金会" in messages_of(not_charity.value)["partner"]
    assert not Pledge.objects.filter(proposal=proposal).exists()
    charity = linkage_helpers.partner(h.CICHENG, kind="charity")
    volunteer = volunteer_helpers.volunteer(h.CICHENG)
    made = [
        _pledge(worker, proposal, kind="project", source="station", description="纳入品牌项目"),
        _pledge(
            worker,
            proposal,
            kind="wisdom",
            source="resident",
            resident_name="李阿姨",
            description="花卉品种建议",
        ),
        _pledge(
            worker,
            proposal,
            kind="resources",
            source="organisation",
            partner=enterprise,
            description="花箱20个",
        ),
        _pledge(
            worker,
            proposal,
            kind="funds",
            source="charity",
            partner=charity,
            amount_pledged=Decimal("5000"),
        ),
        _pledge(
            worker,
            proposal,
            kind="talent",
            source="volunteer",
            volunteer=volunteer,
            description="园艺指导",
            people_count=2,
        ),
    ]
    assert [p.pledger for p in made] == [
        "社工站",
        "李阿姨",
        enterprise.name,
        charity.name,
        volunteer.name,
    ]
    assert all(p.history.count() == 1 for p in made)
    assert made[3].amount_received == Decimal("0")


def test_money_received_is_reconciled_with_money_pledged(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    proposal = g.proposal()
    pledge = _pledge(
        worker,
        proposal,
        kind="funds",
        source="resident",
        resident_name="王伯",
        amount_pledged=Decimal("800"),
    )
    with pytest.raises(ValidationError) as too_much:
        services.pledge_update(actor=worker, pledge=pledge, amount_received=Decimal("900"))
    assert messages_of(too_much.value)[
        "amount_received"
    ] == "实收900超过了认筹的800.00元。".replace("900", "900元")
    services.pledge_update(actor=worker, pledge=pledge, amount_received=Decimal("500"))
    g.pledge(proposal, amount_pledged=Decimal("200"), amount_received=Decimal("200"))
    g.pledge(proposal, kind="wisdom", description="出点子")
    totals = selectors.pledge_totals(actor=worker, proposal=proposal)
    assert (totals.money_pledged, totals.money_received, totals.money_outstanding) == (
        Decimal("1000"),
        Decimal("700"),
        Decimal("300"),
    )
    assert dict((kind, n) for kind, _label, n in totals.by_kind) == {
        "project": 0,
        "wisdom": 1,
        "resources": 0,
        "funds": 2,
        "talent": 0,
    }
    listed = selectors.proposal_list(actor=worker).get(pk=proposal.pk)
    assert (listed.money_pledged, listed.money_received, listed.pledge_count) == (
        Decimal("1000"),
        Decimal("700"),
        3,
    )
    assert pledge.history.count() == 2
    with pytest.raises(StateConflict):
        services.pledge_delete(actor=users[Role.STATION_MANAGER], pledge=pledge)


def test_a_pledger_outside_the_jurisdiction_is_refused(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    elsewhere = linkage_helpers.partner(h.YUEHU, kind="charity")
    with pytest.raises(ValidationError) as refused:
        _pledge(
            worker,
            g.proposal(),
            kind="funds",
            source="charity",
            partner=elsewhere,
            amount_pledged=Decimal("100"),
        )
    assert messages_of(refused.value)["partner"] == "该合作伙伴不在您的管辖范围内。"


# --- meetings and councils ---------------------------------------------------------------------


def test_a_meeting_is_of_a_proposal_or_of_a_council_not_both(make_user: Any) -> None:
    yuehu_worker = make_user(Role.SOCIAL_WORKER, h.YUEHU)
    council = g.council(h.YUEHU, name="孝闻巷邻舍家")
    proposal = g.proposal(h.YUEHU)
    base = {
        "held_on": date(2024, 4, 2),
        "place": "邻舍家活动室",
        "attendee_count": 9,
        "topics": "楼道清理",
    }
    with pytest.raises(ValidationError) as neither:
        services.meeting_create(actor=yuehu_worker, **base)
    assert "proposal" in messages_of(neither.value)
    with pytest.raises(ValidationError) as both:
        services.meeting_create(actor=yuehu_worker, proposal=proposal, council=council, **base)
    assert "不能同时选择两者" in messages_of(both.value)["council"]
    not_council = linkage_helpers.partner(h.YUEHU, kind="enterprise")
    with pytest.raises(ValidationError) as wrong_kind:
        services.meeting_create(actor=yuehu_worker, council=not_council, **base)
    assert "不是居民自治服务站" in " ".join(wrong_kind.value.messages)
    made = services.meeting_create(actor=yuehu_worker, council=council, **base)
    assert made.region_id == council.region_id and made.history.count() == 1
    of_proposal = services.meeting_create(actor=yuehu_worker, proposal=proposal, **base)
    assert of_proposal.region_id == proposal.region_id


def test_a_council_of_another_town_is_refused(users: dict[str, Any]) -> None:
    council = g.council(h.YUEHU)
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(
            actor=users[Role.SOCIAL_WORKER],
            council=council,
            held_on=date(2024, 4, 2),
            place="活动室",
            attendee_count=5,
            topics="议题",
        )
    assert "不在您的管辖范围内" in messages_of(refused.value)["council"]
    assert not GovernanceMeeting.objects.exists()


def test_the_partner_page_shows_a_councils_meetings(make_user: Any) -> None:
    worker = make_user(Role.SOCIAL_WORKER, h.YUEHU)
    officer = make_user(Role.DISTRICT_OFFICER, "330203000000")
    council = g.council(h.YUEHU, name="天一家园邻舍家")
    g.meeting(council_of=council, topics="理事会：加装电梯意见征集")
    enterprise = linkage_helpers.partner(h.YUEHU, kind="enterprise")
    body = page(worker).get(council.get_absolute_url()).content.decode()
    assert 'id="council-meetings"' in body and "加装电梯意见征集" in body
    assert "记录理事会会议" in body
    read_only = page(officer).get(council.get_absolute_url()).content.decode()
    assert "加装电梯意见征集" in read_only and "记录理事会会议" not in read_only
    other = page(worker).get(enterprise.get_absolute_url()).content.decode()
    assert 'id="council-meetings"' not in other


# --- the pages and the API of a proposal's stages, per role -----------------------------------


def test_the_advance_page_moves_the_proposal_for_the_station_only(
    users: dict[str, Any], make_user: Any
) -> None:
    proposal = g.proposal()
    url = reverse("community:proposal_advance", args=[proposal.pk])
    assert (
        page(users[Role.DISTRICT_OFFICER]).post(url, {"to_stage": "discussing"}).status_code == 403
    )
    assert page(users[Role.CITY_ADMIN]).post(url, {"to_stage": "discussing"}).status_code == 403
    stranger = make_user(Role.SOCIAL_WORKER, h.YUEHU)
    assert page(stranger).post(url, {"to_stage": "discussing"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.stage == "found"
    response = page(users[Role.SOCIAL_WORKER]).post(url, {"to_stage": "discussing"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.stage == "discussing"
    assert f"项目“{proposal.name}”：探讨问题。" in response.content.decode()
    detail = page(users[Role.DISTRICT_OFFICER]).get(proposal.get_absolute_url()).content.decode()
    assert "探讨问题" in detail and 'id="advance-button"' not in detail


def test_the_advance_api_per_role(users: dict[str, Any]) -> None:
    proposal = g.proposal()
    url = reverse("api:proposal-advance", args=[proposal.pk])
    assert (
        api(users[Role.AUDITOR]).post(url, {"to_stage": "discussing"}, format="json").status_code
        == 403
    )
    skipped = api(users[Role.SOCIAL_WORKER]).post(
        url, {"to_stage": "closed", "outcome": "solved", "result": "x"}, format="json"
    )
    assert skipped.status_code == 400
    moved = api(users[Role.STATION_MANAGER]).post(url, {"to_stage": "discussing"}, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == "discussing"
    again = api(users[Role.STATION_MANAGER]).post(url, {"to_stage": "discussing"}, format="json")
    assert again.status_code == 409


# --- figures -----------------------------------------------------------------------------------


def test_figures_follow_the_records(users: dict[str, Any]) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    since, until = date(2024, 1, 1), date(2024, 12, 31)

    def figures() -> Any:
        return selectors.proposal_figures(
            actor=officer, region_code=h.JIANGBEI[:6], since=since, until=until
        )

    before = figures()
    assert before.proposals == 0 and before.money_pledged == 0
    proposal = g.proposal(stage="solving")
    g.proposal(h.YUEHU)  # another district: not counted
    pledge = g.pledge(proposal, amount_pledged=Decimal("1000"), amount_received=Decimal("400"))
    g.pledge(proposal, kind="talent", description="园艺", people_count=3)
    g.meeting(proposal)
    g.meeting(council_of=g.council(h.CICHENG))
    after = figures()
    assert after.by_stage["solving"] == 1 and after.proposals == 1
    assert after.proposals_raised == 1
    assert (after.money_pledged, after.money_received) == (Decimal("1000"), Decimal("400"))
    assert after.pledges_by_kind["funds"] == 1 and after.pledges_by_kind["talent"] == 1
    assert (after.meetings, after.council_meetings) == (1, 1)
    services.pledge_update(
        actor=users[Role.SOCIAL_WORKER], pledge=pledge, amount_received=Decimal("1000")
    )
    services.proposal_advance(
        actor=users[Role.SOCIAL_WORKER],
        proposal=proposal,
        to_stage="closed",
        on=date(2024, 8, 1),
        outcome="solved",
        result="完成",
    )
    final = figures()
    assert final.money_received == Decimal("1000") and final.money_outstanding == 0
    assert final.by_stage["closed"] == 1 and final.by_stage["solving"] == 0
    assert (final.proposals_closed, final.proposals_solved) == (1, 1)
    later = selectors.proposal_figures(
        actor=officer, region_code=h.JIANGBEI[:6], since=date(2025, 1, 1), until=date(2025, 12, 31)
    )
    assert later.proposals == 0 and later.pledges == 0
