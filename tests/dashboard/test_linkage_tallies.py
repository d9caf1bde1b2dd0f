"""The 五社联动 tallies (issue 13, "Performance"): kept by every write of their sources equal to
a full recount, in any order, and equal to what the apps' own selectors count from the
records (volunteers.selectors.hours_by_area, community.selectors.activity_figures and
group_figures, linkage.selectors.linkage_figures)."""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Max

from swstation.cases.models import ServiceRecord
from swstation.community.models import (
    ActivityVolunteer,
    CommunityActivity,
    Group,
    GroupSession,
    SessionAttendance,
)
from swstation.community.selectors import activity_figures, group_figures
from swstation.core.actors import SYSTEM
from swstation.dashboard.linkage_figures import tallied_counts
from swstation.dashboard.models import Tally
from swstation.dashboard.selectors import Period
from swstation.dashboard.services import tally_rebuild
from swstation.linkage.models import Partner, PartnerKind, Referral, ReferralOutcome
from swstation.linkage.selectors import linkage_figures
from swstation.regions.models import Region
from swstation.volunteers.models import ServiceVolunteer, Volunteer
from swstation.volunteers.selectors import hours_by_area
from tests.community import helpers as ch
from tests.dashboard import helpers as h
from tests.dashboard.helpers import assert_matches_recount
from tests.linkage import helpers as lh
from tests.volunteers import helpers as vh

YEARS = (2024, 2025, 2026)


@pytest.fixture
def world(db: Any) -> h.World:
    world = h.build_world()
    for code in h.TOWNSHIPS:
        volunteers = [vh.volunteer(code) for _ in range(2)]
        group = ch.group(code)
        session = ch.session(group, walk_in_count=2)
        SessionAttendance.objects.create(session=session, name="散客甲")
        ch.hours(session, "1.50", volunteer=volunteers[0])
        activity = ch.activity(code, held_on=date(2025, 5, 4))
        activity.partners.set([lh.partner(code, kind=PartnerKind.SOCIAL_ORG)])
        ch.hours(activity, "3.00", volunteer=volunteers[1])
        lh.referral(code, to=lh.partner(code, kind=PartnerKind.CHARITY))
    for record in world.records[:3]:
        code = record.recipient.region.code[:9] + "000"
        ServiceVolunteer.objects.create(
            record=record,
            volunteer=Volunteer.objects.filter(station__region__code=code).first(),
            hours=Decimal("2.00"),
        )
    tally_rebuild()
    return world


def _township(rng: random.Random) -> str:
    return rng.choice(h.TOWNSHIPS)


def _day(rng: random.Random) -> date:
    return date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_the_linkage_tallies_equal_to_a_recount(
    world: h.World, seed: int
) -> None:
    rng = random.Random(seed)

    def pick(model: Any) -> Any:
        """A record drawn with the seeded generator (the database's own random order would
        make a seed's run differ from one run to the next)."""
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return model.objects.get(pk=rng.choice(pks)) if pks else None

    def add_activity() -> None:
        code = _township(rng)
        ch.activity(code, held_on=_day(rng), elders_count=rng.randint(0, 30))

    def change_activity() -> None:
        activity = pick(CommunityActivity)
        if activity is not None:
            activity.held_on = _day(rng)
            activity.children_count = rng.randint(0, 20)
            activity.save()

    def delete_activity() -> None:
        activity = pick(CommunityActivity)
        if activity is not None and rng.random() < 0.5:
            activity.delete()

    def activity_partners() -> None:
        activity, partner = pick(CommunityActivity), pick(Partner)
        if activity is None or partner is None:
            return
        choice = rng.random()
        if choice < 0.5:
            activity.partners.add(partner)
        elif choice < 0.8:
            activity.partners.remove(partner)
        elif rng.random() < 0.5:
            activity.partners.clear()
        else:
            partner_activities = CommunityActivity.partners.through.objects
            partner_activities.filter(partner=partner).delete()  # bypasses signals: marked below
            from swstation.dashboard.services import tally_mark_dirty

            tally_mark_dirty(families=("linkage",), codes=[activity.region.code])
            activity.partners.add(partner)

    def change_partner_kind() -> None:
        partner = pick(Partner)
        if partner is not None and partner.agency_id is None:
            partner.kind = rng.choice([PartnerKind.SOCIAL_ORG, PartnerKind.ENTERPRISE, "school"])
            partner.save()

    def add_session() -> None:
        group = pick(Group)
        # After the last one (a deleted session leaves a gap: a count would reuse a number).
        last = GroupSession.objects.filter(group=group).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
        ch.session(group, number, held_on=_day(rng), walk_in_count=rng.randint(0, 3))

    def change_session() -> None:
        session = pick(GroupSession)
        if session is not None:
            session.held_on = _day(rng)
            session.save()

    def delete_session() -> None:
        session = pick(GroupSession)
        if session is not None and rng.random() < 0.4:
            session.delete()

    def attend() -> None:
        session = pick(GroupSession)
        if session is not None:
            SessionAttendance.objects.create(session=session, name=f"居民{rng.randint(1, 999)}")

    def move_group() -> None:
        group = pick(Group)
        group.station = world.stations[_township(rng)]
        group.save()

    def add_hours() -> None:
        volunteer = pick(Volunteer)
        at = pick(CommunityActivity) if rng.random() < 0.5 else pick(GroupSession)
        if at is None:
            return
        on = {"activity": at} if isinstance(at, CommunityActivity) else {"session": at}
        if not ActivityVolunteer.objects.filter(volunteer=volunteer, **on).exists():
            ch.hours(at, str(rng.choice(["0.50", "1.00", "2.25"])), volunteer=volunteer)

    def change_hours() -> None:
        given = pick(ActivityVolunteer)
        if given is not None:
            given.hours = Decimal(rng.choice(["1.00", "4.00"]))
            given.save()

    def delete_hours() -> None:
        given = pick(ActivityVolunteer)
        if given is not None:
            given.delete()

    def name_volunteer() -> None:
        record, volunteer = pick(ServiceRecord), pick(Volunteer)
        if not ServiceVolunteer.objects.filter(record=record, volunteer=volunteer).exists():
            ServiceVolunteer.objects.create(record=record, volunteer=volunteer, hours="1.25")

    def change_record_day() -> None:
        named = pick(ServiceVolunteer)
        if named is not None:
            record = ServiceRecord.objects.get(pk=named.record_id)
            record.served_on = _day(rng)
            record.save()

    def delete_record() -> None:
        named = pick(ServiceVolunteer)
        if named is not None and rng.random() < 0.3:
            ServiceRecord.objects.get(pk=named.record_id).delete()

    def move_volunteer() -> None:
        volunteer = pick(Volunteer)
        volunteer.station = world.stations[_township(rng)]
        volunteer.save()

    def add_referral() -> None:
        lh.referral(_township(rng), to=pick(Partner), sent_on=_day(rng))

    def answer_referral() -> None:
        referral = pick(Referral)
        if referral is None:
            return
        days = rng.randint(0, 20)
        referral.status = rng.choice(["accepted", "declined", "completed", "sent"])
        referral.answered_on = (
            None if referral.status == "sent" else referral.sent_on + timedelta(days=days)
        )
        referral.outcome = (
            rng.choice(ReferralOutcome.values) if referral.status == "completed" else ""
        )
        referral.save()

    def delete_referral() -> None:
        referral = pick(Referral)
        if referral is not None and rng.random() < 0.3:
            referral.delete()

    operations = [
        add_activity,
        change_activity,
        delete_activity,
        activity_partners,
        activity_partners,
        change_partner_kind,
        add_session,
        change_session,
        delete_session,
        attend,
        move_group,
        add_hours,
        add_hours,
        change_hours,
        delete_hours,
        name_volunteer,
        change_record_day,
        delete_record,
        move_volunteer,
        add_referral,
        add_referral,
        answer_referral,
        answer_referral,
        delete_referral,
    ]
    for step in range(80):
        rng.choice(operations)()
        if step % 20 == 19:
            assert_matches_recount()
    assert_matches_recount()
    metrics = set(Tally.objects.filter(family="linkage").values_list("metric", flat=True))
    assert {"volunteer_hours", "activities", "sessions", "referrals"} <= metrics
    assert_linkage_tallies_match_selectors()


def assert_linkage_tallies_match_selectors() -> None:
    """For the city, its districts and towns and each year: the tallied figures are those the
    apps' selectors count from the records."""
    codes = [h.CITY, h.JIANGBEI, h.HAISHU, *h.TOWNSHIPS]
    for code in codes:
        area = Region.objects.get(code=code)
        for year in YEARS:
            period = Period.year(year)
            start, end = period.start, period.end
            counts = tallied_counts(regions=[area], period=period)[code]
            hours = hours_by_area(actor=SYSTEM, region=area, period=(start, end))
            assert (code, year, counts.hours_total) == (code, year, hours.total)
            activities = activity_figures(
                actor=SYSTEM, region_code=area.prefix, since=start, until=end
            )
            assert (counts.activities, counts.participants) == (
                activities.activities,
                activities.participants,
            ), (code, year)
            assert counts.participants_by_group == {
                k: v
                for k, v in {
                    "elder": activities.elders,
                    "child": activities.children,
                    "other": activities.others,
                }.items()
                if v
            }
            groups = group_figures(actor=SYSTEM, region_code=area.prefix, since=start, until=end)
            assert (counts.sessions, counts.attendances) == (groups.sessions, groups.attendances)
            (linked,) = linkage_figures(actor=SYSTEM, region=area, on=end, below=False, since=start)
            assert (counts.referrals, counts.outcomes, counts.median_days_to_answer) == (
                linked.referrals,
                linked.outcomes,
                linked.median_days_to_answer,
            ), (code, year)


def test_the_world_agrees_with_the_selectors_before_any_write(world: h.World) -> None:
    assert Tally.objects.filter(family="linkage", metric="volunteer_hours").exists()
    assert_linkage_tallies_match_selectors()
