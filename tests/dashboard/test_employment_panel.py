"""The 就业帮扶 panel of the cockpit, its table in the district report and ``employment`` in
the stats API (issue 14, "Figures"): every figure follows the records, each number opens a list
of that many, and only the roles with the cockpit read them, within their jurisdiction."""

from datetime import date, timedelta
from typing import Any

import pytest

from swstation.accounts.models import User
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.dashboard.employment_figures import employment_counts, employment_panel
from swstation.dashboard.selectors import Period
from swstation.employment.models import PlacementStatus
from swstation.regions.models import Region
from tests.clients import client_for
from tests.dashboard import helpers as h
from tests.dashboard.test_links_agree import _listed
from tests.employment import helpers as eh

YEAR = 2025
OVERVIEW = "/api/v1/stats/overview/"


@pytest.fixture
def world(db: Any) -> h.World:
    return h.build_world()


def _hire(placement: Any, on: date) -> Any:
    placement.status = PlacementStatus.HIRED
    placement.answered_on = on
    placement.save()
    return placement


def _records(code: str) -> None:
    """Two posts of March (one 8 places, one 4), a woman in difficulty hired after 10 days, a
    farmer (man) hired after 20 days and then left, one referral still open, one rejected, a
    post of the year before with a hire in the year before, and a paused seeker."""
    march = date(YEAR, 3, 1)
    first = eh.post(code, places=8, posted_on=march)
    second = eh.post(code, places=4, posted_on=march)
    _hire(
        eh.placement(
            code, to=first, who=eh.seeker(code, category="women_in_difficulty"), referred_on=march
        ),
        march + timedelta(days=10),
    )
    left = _hire(
        eh.placement(code, to=second, who=eh.seeker(code, sex="male"), referred_on=march),
        march + timedelta(days=20),
    )
    left.status = PlacementStatus.LEFT
    left.save()
    eh.placement(code, to=first, referred_on=march)
    eh.placement(
        code, to=second, referred_on=march, status=PlacementStatus.REJECTED, answered_on=march
    )
    old = eh.post(code, places=3, posted_on=date(YEAR - 1, 5, 1))
    _hire(eh.placement(code, to=old, referred_on=date(YEAR - 1, 5, 2)), date(YEAR - 1, 5, 3))
    paused = eh.seeker(code)
    paused.status = "paused"
    paused.save()


def test_every_figure_follows_the_records(world: h.World) -> None:
    region = Region.objects.get(code=h.CICHENG)
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    before = employment_counts(actor=SYSTEM, regions=[region], start=start, end=end)[region.code]
    assert (before.seekers, before.posts, before.places_filled) == (0, 0, 0)
    assert before.median_days_to_placement is None
    _records(h.CICHENG)
    counts = employment_counts(actor=SYSTEM, regions=[region], start=start, end=end)[region.code]
    # 2 hired + 1 referred + 1 rejected + 1 hired last year + 1 paused = 6 seekers.
    assert counts.seekers == 6
    assert counts.seekers_by_status["paused"] == 1
    assert counts.seekers_by_sex == {"female": 5, "male": 1}
    assert (counts.posts, counts.places) == (2, 12)
    assert counts.places_filled == 2
    assert counts.placed_by_sex == {"female": 1, "male": 1}
    assert counts.placed_by_category == {"women_in_difficulty": 1, "farmer": 1}
    assert counts.median_days_to_placement == 15.0
    assert counts.employers == 2  # each of the year's posts has its own enterprise
    last_year = employment_counts(
        actor=SYSTEM, regions=[region], start=date(YEAR - 1, 1, 1), end=date(YEAR - 1, 12, 31)
    )[region.code]
    assert (last_year.posts, last_year.places, last_year.places_filled) == (1, 3, 1)
    assert last_year.median_days_to_placement == 2.0
    district = Region.objects.get(code=h.JIANGBEI)
    towns = employment_counts(
        actor=SYSTEM, regions=list(Region.objects.filter(parent=district)), start=start, end=end
    )
    assert towns[h.CICHENG].places_filled == 2
    assert sum(c.places_filled for c in towns.values()) == 2


def test_the_numbers_open_lists_of_that_many(world: h.World, users: dict[str, User]) -> None:
    _records(h.CICHENG)
    _records(h.KONGPU)
    for user in (users[Role.CITY_ADMIN], users[Role.DISTRICT_OFFICER]):
        client = client_for(user)
        region = user.jurisdiction
        assert region is not None
        panel = employment_panel(actor=user, region=region, period=Period.year(YEAR))
        employers = next(f for f in panel.headlines if f.id == "employers")
        listed = client.get(employers.url).context["filterset"].qs
        assert len({post.employer_id for post in listed}) == employers.value == 4
        figures = [
            *(
                f
                for f in panel.headlines
                if f.id not in ("days", "employers", "income", "earned_share")
            ),
            *panel.seekers_by_status,
            *panel.seekers_by_sex,
            *panel.placed_by_sex,
            *panel.placed_by_category,
        ]
        for figure in figures:
            assert _listed(client, figure.url) == int(figure.value), (figure.id, figure.url)
        filled = next(f for f in panel.headlines if f.id == "filled")
        assert filled.value == 4
        days = next(f for f in panel.headlines if f.id == "days")
        assert days.value == "15"


def test_the_cockpit_and_the_report_show_the_panel(world: h.World, users: dict[str, User]) -> None:
    _records(h.CICHENG)
    client = client_for(users[Role.CITY_ADMIN])
    page = client.get("/cockpit/", {"year": YEAR}).content.decode()
    assert 'id="employment-panel"' in page and 'id="employment-figure-filled"' in page
    report = client.get("/cockpit/report/", {"year": YEAR}).content.decode()
    assert 'id="report-employment"' in report
    section = report.split('id="report-employment"')[1]
    for district in (h.JIANGBEI, h.HAISHU):
        assert f'data-code="{district}"' in section
    officer = client_for(users[Role.DISTRICT_OFFICER]).get("/cockpit/report/", {"year": YEAR})
    towns = officer.content.decode().split('id="report-employment"')[1]
    row = towns.split(f'data-code="{h.CICHENG}"')[1].split("</tr>")[0]
    assert '<td class="num" data-figure="filled">2</td>' in row
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert worker.get("/cockpit/").status_code == 403
    assert worker.get("/cockpit/report/").status_code == 403


def test_the_stats_api(world: h.World, users: dict[str, User]) -> None:
    _records(h.CICHENG)
    city = client_for(users[Role.CITY_ADMIN])
    data = city.get(OVERVIEW, {"year": YEAR}).json()["employment"]
    assert (data["posts"], data["places"], data["places_filled"]) == (2, 12, 2)
    assert data["placed_by_category"] == {"women_in_difficulty": 1, "farmer": 1}
    assert data["placed_by_sex"] == {"female": 1, "male": 1}
    assert data["median_days_to_placement"] == 15.0
    assert data["seekers"] == 6 and data["seekers_by_status"]["paused"] == 1
    officer = client_for(users[Role.DISTRICT_OFFICER])  # 江北区
    assert officer.get(OVERVIEW, {"year": YEAR}).json()["employment"]["places_filled"] == 2
    assert officer.get(OVERVIEW, {"region": h.HAISHU}).status_code == 404
    worker = client_for(users[Role.SOCIAL_WORKER])
    assert worker.get(OVERVIEW).status_code == 403
