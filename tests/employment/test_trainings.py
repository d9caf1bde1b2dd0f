"""A job seeker's skills trainings (issue 14: "Skills training sessions for seekers"): the
community activities of kind ``training`` they attended, found by their recipient or, for a
resident written by name, by name and place (a participant records no phone number). They are
listed on the seeker's page, said in the matching's reasons (without points), counted in the
API and, as the seekers trained in the period, in the cockpit's 就业帮扶 figures; each reader
sees only the trainings of their jurisdiction."""

from datetime import date
from typing import Any

import pytest

from swstation.accounts.models import User
from swstation.community.models import ActivityKind, ActivityParticipant, CommunityActivity
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.dashboard.employment_figures import employment_counts, employment_panel
from swstation.dashboard.selectors import Period
from swstation.demo.history import history
from swstation.demo.trainings import build_trainings
from swstation.employment import matching, selectors
from swstation.employment.models import JobSeeker
from swstation.regions.models import Region
from tests.clients import client_for
from tests.community import helpers as ch
from tests.dashboard.test_links_agree import _listed
from tests.employment import helpers as h

pytestmark = pytest.mark.django_db

YEAR = 2024
NAME = "王培训"


def training(place: Region | None = None, name: str = "", **extra: Any) -> CommunityActivity:
    extra.setdefault("kind", ActivityKind.TRAINING)
    return ch.activity(h.CICHENG, name=name, region=place or h.village(), **extra)


def attend(activity: CommunityActivity, name: str = "", person: Any = None) -> None:
    """A participant of ``activity``: a recipient, or a resident by name."""
    ActivityParticipant.objects.create(
        activity=activity, recipient=person, name="" if person else name, group="other"
    )


def other_village() -> Region:
    return (
        Region.objects.filter(parent__code=h.CICHENG, level="village")
        .exclude(code=h.village().code)
        .order_by("code")
        .first()
    )


@pytest.fixture
def world() -> dict[str, Any]:
    """A recipient seeker and a resident seeker of a village of 慈城镇, the trainings each
    attended, and the activities that are not theirs."""
    person = h.recipient(h.CICHENG, name="李服务")
    by_record = h.seeker(name="李服务", recipient=person)
    by_name = h.seeker(name=NAME)
    town = h.region(h.CICHENG)
    first = training(name="年糕制作技能培训", held_on=date(YEAR, 10, 12))
    attend(first, person=person)
    at_station = training(town, name="电商直播入门", held_on=date(YEAR, 5, 20))
    attend(at_station, NAME)
    in_village = training(name="来料加工培训", held_on=date(YEAR, 3, 8))
    attend(in_village, NAME)
    attend(in_village, person=person)
    # Not theirs: another kind of activity, a namesake in another village, another name.
    square = ch.activity(h.CICHENG, name="广场文艺活动", kind=ActivityKind.SQUARE)
    attend(square, person=person)
    attend(square, NAME)
    elsewhere = training(other_village(), name="缝纫工技能培训", held_on=date(YEAR, 7, 1))
    attend(elsewhere, NAME)
    attend(training(name="家政服务培训"), "张三")
    return {
        "by_record": by_record,
        "by_name": by_name,
        "first": first,
        "at_station": at_station,
        "in_village": in_village,
        "elsewhere": elsewhere,
    }


def test_the_kind_is_a_community_activity_kind() -> None:
    assert ActivityKind.TRAINING == "training"
    assert str(ActivityKind.TRAINING.label) == "技能培训"


def test_trainings_by_recipient_and_by_name_and_place(
    world: dict[str, Any], users: dict[str, User]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    by_record = selectors.job_seeker_trainings(actor=worker, seeker=world["by_record"])
    assert list(by_record) == [world["first"], world["in_village"]]
    by_name = selectors.job_seeker_trainings(actor=worker, seeker=world["by_name"])
    assert list(by_name) == [world["at_station"], world["in_village"]]
    assert not selectors.job_seeker_trainings(actor=worker, seeker=h.seeker(name="赵没培训"))


def test_the_sql_count_and_the_python_rule_agree(
    world: dict[str, Any], users: dict[str, User]
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    seekers = list(
        selectors.with_trainings_attended(
            selectors.job_seeker_list(actor=worker), actor=worker
        ).order_by("pk")
    )
    titles = selectors.training_titles(actor=worker, seekers=seekers)
    for seeker in seekers:
        listed = selectors.job_seeker_trainings(actor=worker, seeker=seeker)
        assert seeker.trainings_attended == listed.count()  # type: ignore[attr-defined]
        assert sorted(titles.get(seeker.pk, ())) == sorted(a.name for a in listed)
    counts = {s.name: s.trainings_attended for s in seekers}  # type: ignore[attr-defined]
    assert counts == {"李服务": 2, NAME: 2}


def test_the_seeker_page_shows_the_panel(world: dict[str, Any], users: dict[str, User]) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    page = client.get(world["by_name"].get_absolute_url()).content.decode()
    panel = page.split('id="seeker-trainings"')[1].split('id="seeker-matches"')[0]
    assert "技能培训" in panel
    assert "电商直播入门" in panel and "来料加工培训" in panel
    assert "2024-05-20" in panel and "慈城镇" in panel
    assert world["at_station"].get_absolute_url() in panel
    assert "年糕制作技能培训" not in panel  # the recipient seeker's only
    assert "缝纫工技能培训" not in panel  # a namesake in another village
    assert "广场文艺活动" not in panel  # another kind of activity
    nobody = h.seeker(name="赵没培训")
    empty = client.get(nobody.get_absolute_url()).content.decode()
    assert "尚未参加技能培训" in empty.split('id="seeker-trainings"')[1]


def test_another_towns_worker_sees_neither_the_seeker_nor_the_trainings(
    world: dict[str, Any], make_user: Any
) -> None:
    stranger = make_user(Role.SOCIAL_WORKER, h.YUEHU)
    assert client_for(stranger).get(world["by_name"].get_absolute_url()).status_code == 404
    assert not selectors.job_seeker_trainings(actor=stranger, seeker=world["by_name"]).exists()
    assert not selectors.training_titles(actor=stranger, seekers=[world["by_name"]])


def test_the_matching_says_the_trainings_without_points(
    world: dict[str, Any], users: dict[str, User]
) -> None:
    job = h.post(skills="年糕制作、包装", title="年糕生产季节工")
    found = selectors.matches_for_post(actor=users[Role.SOCIAL_WORKER], post=job)
    match = next(m for m in found if m.subject.pk == world["by_record"].pk)
    trained = [r for r in match.reasons if r.rule == "training"]
    assert [r.text for r in trained] == [
        "已参加技能培训 2 次",
        "参加过岗位所需技能的培训：年糕制作",
    ]
    assert all(r.points == 0 for r in trained)
    assert match.score == sum(r.points for r in match.reasons if r.rule != "training")
    named = next(m for m in found if m.subject.pk == world["by_name"].pk)
    assert [r.text for r in named.reasons if r.rule == "training"] == ["已参加技能培训 2 次"]
    # The seeker's own page reads the same reasons for the posts that fit.
    mine = selectors.matches_for_seeker(actor=users[Role.SOCIAL_WORKER], seeker=world["by_record"])
    assert any(r.rule == "training" for r in mine[0].reasons)


def test_the_training_rule_alone() -> None:
    post = matching.PostFacts(region_code="330205103201", skills="缝纫、包装")
    none = matching.SeekerFacts(region_code="330205103201")
    assert matching.training_rule(none, post) == []
    once = matching.SeekerFacts(region_code="330205103201", trainings=("电商直播入门",))
    assert [(r.points, r.text) for r in matching.training_rule(once, post)] == [
        (0, "已参加技能培训 1 次")
    ]
    sewing = matching.SeekerFacts(
        region_code="330205103201", trainings=("缝纫工技能培训", "来料加工培训·包装")
    )
    reasons = matching.training_rule(sewing, post)
    assert [r.text for r in reasons][-1] == "参加过岗位所需技能的培训：缝纫、包装"
    assert matching.score(sewing, post).score == matching.score(none, post).score


def test_the_api_counts_the_trainings(
    world: dict[str, Any], users: dict[str, User], api_client: Any
) -> None:
    api_client.force_authenticate(users[Role.SOCIAL_WORKER])
    url = f"/api/v1/job-seekers/{world['by_name'].pk}/"
    shown = api_client.get(url)
    assert shown.status_code == 200 and shown.json()["trainings_attended"] == 2
    listed = api_client.get("/api/v1/job-seekers/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["name"]: row["trainings_attended"] for row in rows} == {"李服务": 2, NAME: 2}
    patched = api_client.patch(url, {"note": "已培训"}, format="json")
    assert patched.status_code == 200 and patched.json()["trainings_attended"] == 2
    trained = api_client.get(
        "/api/v1/job-seekers/",
        {"trained_after": f"{YEAR}-05-01", "trained_before": f"{YEAR}-12-31"},
    ).json()
    rows = trained["results"] if isinstance(trained, dict) else trained
    assert sorted(row["name"] for row in rows) == sorted(["李服务", NAME])


def test_the_figure_counts_the_seekers_trained_in_the_period(
    world: dict[str, Any], users: dict[str, User]
) -> None:
    town = h.region(h.CICHENG)

    def trained(start: date, end: date) -> int:
        counts = employment_counts(actor=SYSTEM, regions=[town], start=start, end=end)
        return counts[town.code].seekers_trained

    assert trained(date(YEAR, 1, 1), date(YEAR, 12, 31)) == 2
    # Spring: only the village's 来料加工培训, attended by both.
    assert trained(date(YEAR, 3, 1), date(YEAR, 3, 31)) == 2
    # May: 电商直播入门, the resident only; then a participant added by record.
    assert trained(date(YEAR, 5, 1), date(YEAR, 5, 31)) == 1
    attend(world["at_station"], person=world["by_record"].recipient)
    assert trained(date(YEAR, 5, 1), date(YEAR, 5, 31)) == 2
    # One training within both bounds: the seekers trained on 3-8 and 5-20 (or 10-12) are not
    # trained between 3-9 and 5-19.
    assert trained(date(YEAR, 3, 9), date(YEAR, 5, 19)) == 0
    # The cockpit's figure opens the list of that many.
    officer = users[Role.DISTRICT_OFFICER]
    panel = employment_panel(actor=officer, region=officer.jurisdiction, period=Period.year(YEAR))
    figure = next(f for f in panel.headlines if f.id == "trained")
    assert figure.value == 2
    assert _listed(client_for(officer), figure.url) == 2
    between = employment_panel(
        actor=officer,
        region=officer.jurisdiction,
        period=Period(date(YEAR, 3, 9), date(YEAR, 5, 19)),
    )
    none = next(f for f in between.headlines if f.id == "trained")
    assert none.value == 0 == _listed(client_for(officer), none.url)


def test_the_demo_holds_trainings_for_the_towns_seekers(users: dict[str, User]) -> None:
    station = h.station(h.CICHENG)
    type(station).objects.filter(pk=station.pk).update(opened_on=date(2021, 1, 1))
    person = h.recipient(h.CICHENG, name="钱服务")
    h.seeker(name="钱服务", recipient=person, skills="年糕制作")
    for n in range(30):
        h.seeker(name=f"培训学员{n:02d}", skills=("年糕制作、包装", "缝纫", "保洁、帮厨")[n % 3])
    h.seeker(name="同名人")
    h.seeker(name="同名人", region=other_village() or h.village())
    logged: list[str] = []
    with history(end=date(2025, 6, 30)):
        build_trainings(logged.append)
    trainings = CommunityActivity.objects.filter(kind=ActivityKind.TRAINING)
    assert 8 <= trainings.count() <= 10
    assert {"年糕制作技能培训", "来料加工培训（第一期）", "家政服务培训", "电商直播入门"} <= set(
        trainings.values_list("name", flat=True)
    )
    for activity in trainings:
        activity.full_clean()
        assert date(2024, 6, 30) <= activity.held_on <= date(2025, 6, 30)
        for participant in activity.participants.all():
            participant.full_clean()
            assert participant.name != "同名人"
    manager = users[Role.STATION_MANAGER]
    seekers = list(selectors.with_trainings_attended(JobSeeker.objects.all(), actor=manager))
    assert sum(1 for s in seekers if s.trainings_attended) >= 20  # type: ignore[attr-defined]
    named = sum(a.participants.count() for a in trainings)
    assert named == sum(s.trainings_attended for s in seekers)  # type: ignore[attr-defined]
    rows = trainings.count()
    with history(end=date(2025, 6, 30)):
        build_trainings(logged.append)
    assert trainings.count() == rows and "already built" in logged[-1]
