"""The 五社联动 panel of the cockpit, its table in the district report and the stats API
(issue 13, "Figures"): every figure follows the records, each of the five kinds switches the
index on and off, the numbers open lists of that many records, and only the roles with the
cockpit read them, within their jurisdiction."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.community.models import SessionAttendance
from swstation.core.roles import Role
from swstation.dashboard.linkage_figures import (
    FIVE_KINDS,
    LinkageCounts,
    five_kinds,
    linkage_panel,
    tallied_counts,
)
from swstation.dashboard.selectors import Period
from swstation.dashboard.services import tally_rebuild
from swstation.funds.models import Grant
from swstation.linkage.models import PartnerKind
from swstation.regions.models import Region
from swstation.volunteers.models import ServiceVolunteer
from tests.clients import client_for
from tests.community import governance_helpers as gh
from tests.community import helpers as ch
from tests.dashboard import helpers as h
from tests.dashboard.test_links_agree import _listed
from tests.linkage import helpers as lh
from tests.volunteers import helpers as vh

TODAY = timezone.localdate()
THIS = TODAY.year
EMPTY_YEAR = 2023  # nothing of the world is dated then
LINKAGE = "/api/v1/stats/linkage/"
OVERVIEW = "/api/v1/stats/overview/"


@pytest.fixture
def world(db: Any) -> h.World:
    world = h.build_world()
    tally_rebuild()
    return world


def _this_year_records(code: str) -> None:
    """An activity with a social organisation, a group session with a walk-in, hours at both,
    a pairing, and referrals answered and completed, all of this year in ``code``."""
    day = date(THIS, 3, 5)
    volunteer = vh.volunteer(code)
    activity = ch.activity(code, held_on=day)
    activity.partners.set([lh.partner(code, kind=PartnerKind.SOCIAL_ORG)])
    ch.hours(activity, "2.50", volunteer=volunteer)
    group = ch.group(code, starts_on=day)
    session = ch.session(group, held_on=day, walk_in_count=1)
    SessionAttendance.objects.create(session=session, name="居民乙")
    vh.pairing(code, by=volunteer, starts_on=day)
    lh.resource(code, valid_from=day)
    gh.pledge(
        gh.proposal(code, raised_on=day),
        pledged_on=day,
        kind="funds",
        amount_pledged=Decimal(800),
        amount_received=Decimal(300),
    )
    lh.referral(code, sent_on=day)
    lh.referral(
        code,
        to=lh.partner(code, kind=PartnerKind.CHARITY),
        sent_on=day,
        status="completed",
        answered_on=day + timedelta(days=4),
        completed_on=day + timedelta(days=9),
        outcome="resolved",
    )


def _values(panel: Any) -> dict[str, Any]:
    values = {f"headline:{f.id}": (f.value, f.note) for f in panel.headlines}
    values |= {f"status:{f.id}": f.value for f in panel.referrals}
    values |= {f"outcome:{f.id}": f.value for f in panel.outcomes}
    values["partners"] = sorted((f.id, f.value) for f in panel.partners)
    values["resources"] = sorted((f.id, f.value) for f in panel.resources)
    values["index"] = panel.index
    values["proposals"] = sorted((f.id, f.value) for f in panel.proposal_stages)
    values["money"] = [(f.id, f.value) for f in panel.money]
    return values


def test_every_figure_follows_the_records(world: h.World) -> None:
    city = Region.objects.get(code=h.CITY)
    actor = User.objects.create(username="市局", role=Role.CITY_ADMIN, jurisdiction=city)
    period = Period.year(THIS)
    before = _values(linkage_panel(actor=actor, region=city, period=period))
    _this_year_records(h.CICHENG)
    after = _values(linkage_panel(actor=actor, region=city, period=period))
    changed = {key for key in before if before[key] != after[key]}
    expected = {
        "headline:activities",
        "headline:sessions",
        "headline:groups",
        "headline:hours",
        "headline:pairings",
        "headline:referrals",
        "status:sent",
        "status:completed",
        "outcome:resolved",
        "partners",
        "resources",
        "index",
        "proposals",
        "money",
    }
    assert expected <= changed, expected - changed
    counts = tallied_counts(regions=[city], period=period)[h.CITY]
    assert counts.activities == 1 and counts.participants == 35
    assert (counts.sessions, counts.attendances) == (1, 2)
    assert counts.hours_total == Decimal("2.50")
    assert counts.referrals == {"sent": 1, "completed": 1}
    assert counts.median_days_to_answer == 4.0


def test_the_rule_of_the_index_reads_each_kind() -> None:
    assert [kind.code for kind in FIVE_KINDS] == list(five_kinds(LinkageCounts("")))
    assert not any(five_kinds(LinkageCounts("")).values())
    switches = {
        "community": LinkageCounts("", activities=1),
        "social_org": LinkageCounts("", partner_kinds={"social_org": 1}),  # type: ignore[arg-type]
        "social_workers": LinkageCounts("", services=2),
        "volunteers": LinkageCounts("", hours={"services": Decimal("0.5")}),
        "charity": LinkageCounts("", social_grants=1),
    }
    for code, counts in switches.items():
        from collections import Counter

        counts.partner_kinds = Counter(counts.partner_kinds)
        on = five_kinds(counts)
        assert [k for k, v in on.items() if v] == [code]


def _index_of(code: str, year: int) -> dict[str, bool]:
    area = Region.objects.get(code=code)
    return five_kinds(tallied_counts(regions=[area], period=Period.year(year))[code])


def test_each_of_the_five_kinds_switches_on_and_off_with_its_records(world: h.World) -> None:
    code, day = h.YUEHU, date(EMPTY_YEAR, 6, 1)
    assert not any(_index_of(code, EMPTY_YEAR).values())

    def only(kind: str) -> None:
        found = _index_of(code, EMPTY_YEAR)
        assert [k for k, v in found.items() if v] == ([kind] if kind else [])

    activity = ch.activity(code, held_on=day)
    only("community")
    activity.delete()
    only("")

    org = lh.referral(code, to=lh.partner(code, kind=PartnerKind.SOCIAL_ORG), sent_on=day)
    only("social_org")
    org.delete()
    only("")

    worker = world.workers[code][0]
    record = ServiceRecord.objects.create(
        recipient=world.recipients[-1],
        worker=worker,
        station=worker.station,
        served_on=day,
        service_type="home_visit",
        duration_minutes=30,
    )
    only("social_workers")
    named = ServiceVolunteer.objects.create(
        record=record, volunteer=vh.volunteer(code), hours=Decimal("1.00")
    )
    assert _index_of(code, EMPTY_YEAR)["volunteers"]
    named.delete()
    record.delete()
    only("")

    proposal = gh.proposal(code, raised_on=day)
    only("community")
    proposal.delete()
    only("")

    charity = lh.referral(code, to=lh.partner(code, kind=PartnerKind.ENTERPRISE), sent_on=day)
    only("charity")
    charity.delete()
    only("")
    grant = Grant.objects.create(
        funder=h.funder("social", code),
        tier="social",
        fund_type="donation",
        region=Region.objects.get(code=code),
        year=EMPTY_YEAR,
        amount=Decimal("5000"),
        granted_on=day,
    )
    only("charity")
    grant.delete()
    only("")


def test_the_numbers_open_lists_of_that_many(world: h.World, users: dict[str, User]) -> None:
    _this_year_records(h.CICHENG)
    _this_year_records(h.KONGPU)
    for user in (users[Role.CITY_ADMIN], users[Role.DISTRICT_OFFICER]):
        client = client_for(user)
        region = user.jurisdiction
        assert region is not None
        panel = linkage_panel(actor=user, region=region, period=Period.year(THIS))
        counted = ("activities", "sessions", "referrals", "groups")
        linked = [f for f in panel.headlines if f.id in counted]
        for figure in [*linked, *panel.referrals, *panel.outcomes, *panel.partners]:
            assert _listed(client, figure.url) == int(figure.value), (figure.id, figure.url)
        for figure in panel.resources:
            assert _listed(client, figure.url) == int(figure.value), (figure.id, figure.url)
        pairings = next(f for f in panel.headlines if f.id == "pairings")
        total = int(pairings.value.split("/")[1])
        assert total and _listed(client, pairings.url) == total
        assert panel.headlines[0].value == 2
        for kind in panel.kinds:
            assert client.get(kind.url).status_code == 200


def test_the_cockpit_and_the_report_show_the_panel(world: h.World, users: dict[str, User]) -> None:
    _this_year_records(h.CICHENG)
    client = client_for(users[Role.CITY_ADMIN])
    page = client.get("/cockpit/").content.decode()
    assert 'id="linkage-panel"' in page and 'id="linkage-index"' in page
    report = client.get("/cockpit/report/").content.decode()
    assert 'id="report-linkage"' in report
    for district in (h.JIANGBEI, h.HAISHU):
        assert f'data-code="{district}"' in report
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert worker.get("/cockpit/").status_code == 403
    assert worker.get("/cockpit/report/").status_code == 403


def test_the_stats_api(world: h.World, users: dict[str, User]) -> None:
    _this_year_records(h.CICHENG)
    city = client_for(users[Role.CITY_ADMIN])
    data = city.get(OVERVIEW).json()["linkage"]
    assert data["activities"] == 1 and data["index"] >= 4
    assert data["referrals_by_status"] == {"sent": 1, "completed": 1}
    assert data["partners_by_kind"]["social_org"] == 1
    assert sum(data["proposals_by_stage"].values()) == 1
    assert (data["money_pledged"], data["money_received"]) == ("800.00", "300.00")
    by_area = city.get(LINKAGE, {"year": THIS}).json()
    assert [a["code"] for a in by_area["areas"]][:2] == sorted(a["code"] for a in by_area["areas"])[
        :2
    ]
    jiangbei = next(a for a in by_area["areas"] if a["code"] == h.JIANGBEI)
    haishu = next(a for a in by_area["areas"] if a["code"] == h.HAISHU)
    assert jiangbei["kinds"]["volunteers"] and not haishu["kinds"]["volunteers"]
    assert by_area["total"]["activities"] == 1
    officer = client_for(users[Role.DISTRICT_OFFICER])  # 江北区
    towns = officer.get(LINKAGE, {"year": THIS}).json()
    cicheng = next(a for a in towns["areas"] if a["code"] == h.CICHENG)
    assert cicheng["index"] == sum(cicheng["kinds"].values()) >= 4
    assert officer.get(LINKAGE, {"region": h.HAISHU}).status_code == 404
    assert officer.get(OVERVIEW, {"region": h.HAISHU}).status_code == 404
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert worker.get(LINKAGE).status_code == 403
    assert worker.get(OVERVIEW).status_code == 403
