"""The demo city's residents' micro-governance: 众筹微治 proposals in every stage with the seeds
in their real places, pledges of all five kinds with money received never above money pledged,
meetings, and the council meetings of 月湖街道's 13 邻舍家 over the demo year."""

from decimal import Decimal

import pytest
from django.db.models import F, Sum

from swstation.community.models import (
    GovernanceMeeting,
    Pledge,
    PledgeKind,
    PledgeSource,
    Proposal,
    ProposalStage,
)
from swstation.community.selectors import proposal_figures
from swstation.core.actors import SYSTEM
from swstation.linkage.models import Partner

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def test_the_seeded_proposals_stand_in_their_real_places(demo_log: str) -> None:
    assert "governance:" in demo_log
    garden = Proposal.objects.select_related("region__parent").get(name="百老弄花卉种植")
    assert garden.region.code.startswith("330212108")  # 云龙镇
    assert (garden.stage, garden.outcome) == ("closed", "solved")
    renovation = Proposal.objects.get(name="奥丽赛大厦翻新")
    assert renovation.region.code.startswith("330212005")  # 中河街道
    assert renovation.stage == ProposalStage.SOLVING
    money = renovation.pledges.aggregate(p=Sum("amount_pledged"), r=Sum("amount_received"))
    assert money["p"] > money["r"] > 0  # the owners' money still coming in
    for proposal in (garden, renovation):
        assert set(proposal.pledges.values_list("kind", flat=True)) == set(PledgeKind.values)
        assert proposal.meetings.count() >= 3


def test_proposals_in_every_stage_with_every_kind_of_pledge(demo_log: str) -> None:
    assert set(Proposal.objects.values_list("stage", flat=True)) == set(ProposalStage.values)
    assert Proposal.objects.values("station__region").distinct().count() >= 6
    assert set(Pledge.objects.values_list("source", flat=True)) == set(PledgeSource.values)
    assert not Pledge.objects.filter(amount_received__gt=F("amount_pledged")).exists()
    # Every row obeys the models' own rules (the demo writes in bulk, without them).
    for row in [*Proposal.objects.order_by("pk")[:20], *Pledge.objects.order_by("?")[:60]]:
        row.full_clean()
    for meeting in GovernanceMeeting.objects.filter(proposal__isnull=False).order_by("?")[:30]:
        meeting.full_clean()
        assert meeting.held_on >= meeting.proposal.raised_on
        if meeting.proposal.closed_on:
            assert meeting.held_on <= meeting.proposal.closed_on


def test_the_thirteen_neighbours_meet_about_monthly(demo_log: str) -> None:
    councils = Partner.objects.filter(kind="self_governance", region__code="330203004000")
    assert councils.count() == 13
    for council in councils:
        days = sorted(
            GovernanceMeeting.objects.filter(council=council).values_list("held_on", flat=True)
        )
        assert 10 <= len(days) <= 15, council.name
        assert (days[-1] - days[0]).days <= 366


def test_the_figures_count_the_demo(demo_log: str) -> None:
    first = Proposal.objects.order_by("raised_on").values_list("raised_on", flat=True)[0]
    last = GovernanceMeeting.objects.order_by("-held_on").values_list("held_on", flat=True)[0]
    figures = proposal_figures(actor=SYSTEM, region_code="3302", since=first, until=last)
    assert figures.proposals >= 10 and figures.council_meetings >= 130
    assert figures.money_pledged > figures.money_received > Decimal(0)
    assert all(figures.pledges_by_kind[kind] > 0 for kind in PledgeKind.values)
