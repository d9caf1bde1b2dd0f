"""Groups' stages, attendance counted from its records, the attendance page, the combined
activities API, photos sent only to those who may see them, and the figures per region."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from swstation.community import selectors, services
from swstation.community.models import ActivityPhoto, GroupStage, SessionAttendance
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from tests.clients import client_for as page
from tests.community import helpers as h
from tests.projects.helpers import api

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


# --- stages ------------------------------------------------------------------------------------


def test_a_group_moves_one_stage_at_a_time_each_in_its_history(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    group = h.group()
    for stage in ("forming", "transition", "mature"):
        group = services.group_advance(actor=worker, group=group, to_stage=stage)
        assert group.stage == stage
    with pytest.raises(ValidationError) as refused:
        services.group_advance(actor=worker, group=group, to_stage="ended")
    assert set(refused.value.message_dict) == {"goals_met", "evaluation"}
    group = services.group_advance(
        actor=worker,
        group=group,
        to_stage="ended",
        on=date(2024, 6, 1),
        goals_met="mostly",
        evaluation="组员建立了互助关系",
    )
    assert group.stage == GroupStage.ENDED and group.ended_on == date(2024, 6, 1)
    steps = [step["stage"] for step in selectors.group_stage_changes(group=group)]
    assert steps == [GroupStage(s).label for s in GroupStage.values]
    reasons = list(
        group.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons[-1] == str(GroupStage.ENDED.label)


def test_a_stage_is_never_skipped_repeated_or_walked_back(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    group = h.group()
    with pytest.raises(StateConflict) as skipped:
        services.group_advance(actor=worker, group=group, to_stage="mature")
    assert "形成" in str(skipped.value) or "forming" not in str(skipped.value)
    services.group_advance(actor=worker, group=group, to_stage="forming")
    with pytest.raises(StateConflict):
        services.group_advance(actor=worker, group=group, to_stage="forming")
    with pytest.raises(StateConflict):
        services.group_advance(actor=worker, group=group, to_stage="preparing")


def test_an_ended_group_takes_no_session_nor_member(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    group = h.group(stage="mature")
    services.group_advance(
        actor=worker, group=group, to_stage="ended", goals_met="fully", evaluation="好"
    )
    with pytest.raises(ValidationError):
        services.session_create(actor=worker, group=group, held_on=date(2024, 5, 1), content="x")
    with pytest.raises(ValidationError):
        services.member_create(actor=worker, group=group, name="新人", joined_on=date(2024, 5, 1))


def test_advance_page_and_api(users: dict[str, Any]) -> None:
    group = h.group()
    response = page(users[Role.STATION_MANAGER]).post(
        reverse("community:group_advance", args=[group.pk]), {"to_stage": "forming"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.stage == "forming"
    client = api(users[Role.SOCIAL_WORKER])
    url = reverse("api:group-advance", args=[group.pk])
    assert client.post(url, {"to_stage": "mature"}, format="json").status_code == 409
    answer = client.post(url, {"to_stage": "transition"}, format="json")
    assert answer.status_code == 200 and answer.json()["stage"] == "transition"
    assert api(users[Role.AUDITOR]).post(url, {"to_stage": "mature"}).status_code == 403


def test_a_group_outside_the_jurisdiction_is_not_moved(users: dict[str, Any]) -> None:
    outside = h.group(h.YUEHU)
    response = page(users[Role.STATION_MANAGER]).post(
        reverse("community:group_advance", args=[outside.pk]), {"to_stage": "forming"}
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.stage == "preparing"


# --- attendance --------------------------------------------------------------------------------


def test_attendance_counts_come_from_the_records(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    group = h.group()
    members = [h.member(group) for _ in range(4)]
    later = h.member(group, name="后来者", joined_on=date(2024, 4, 1))
    session = h.session(group, held_on=date(2024, 3, 10))
    services.session_attendance_record(
        actor=worker,
        session=session,
        present=members[:3],
        walk_in_names=["张阿姨", "  ", "李伯伯"],
        walk_in_count=5,
    )
    counts = selectors.session_counts(session)
    assert (counts.members, counts.present_members) == (4, 3)  # 后来者 joined later
    assert (counts.walk_ins_named, counts.walk_ins_counted, counts.present) == (2, 5, 10)
    assert selectors.session_list(actor=worker).get(pk=session.pk).present_count == 10
    # Written again as a whole: rows no longer true go, the others stay as they were.
    kept = SessionAttendance.objects.get(session=session, member=members[0]).pk
    services.session_attendance_record(
        actor=worker, session=session, present=[members[0]], walk_in_names=["张阿姨"]
    )
    counts = selectors.session_counts(session)
    assert (counts.present_members, counts.walk_ins_named, counts.walk_ins_counted) == (1, 1, 0)
    assert SessionAttendance.objects.filter(pk=kept).exists()
    with pytest.raises(ValidationError) as refused:
        services.session_attendance_record(actor=worker, session=session, present=[later])
    assert "后来者" in str(refused.value)


def test_the_attendance_page_ticks_and_counts(users: dict[str, Any]) -> None:
    group = h.group()
    members = [h.member(group) for _ in range(3)]
    session = h.session(group)
    client = page(users[Role.SOCIAL_WORKER])
    url = reverse("community:groupsession_attendance", args=[session.pk])
    shown = client.get(url)
    assert shown.status_code == 200
    body = shown.content.decode()
    assert all(m.display_name in body for m in members)
    assert "保存" in body
    response = client.post(
        url,
        {"present": [members[0].pk, members[2].pk], "walk_in_names": "王奶奶", "walk_in_count": 2},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert selectors.session_counts(session).present == 5
    # With htmx a tick is saved at once and the panel answers in place.
    response = client.post(
        url,
        {"present": [members[1].pk], "walk_in_names": "", "walk_in_count": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="attendance-panel"' in response.content.decode()
    assert "<html" not in response.content.decode()
    session.refresh_from_db()
    assert selectors.session_counts(session).present == 1
    refused = client.post(url, {"present": [], "walk_in_count": -1})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    # An auditor reads the session but records no attendance.
    assert page(users[Role.AUDITOR]).get(url).status_code == 403
    assert page(users[Role.AUDITOR]).get(session.get_absolute_url()).status_code == 200


def test_attendance_through_the_api(users: dict[str, Any]) -> None:
    group = h.group()
    members = [h.member(group) for _ in range(2)]
    outsider = h.member(h.group())
    session = h.session(group)
    client = api(users[Role.SOCIAL_WORKER])
    url = reverse("api:groupsession-attendance", args=[session.pk])
    bad = client.post(url, {"present": [outsider.pk]}, format="json")
    assert bad.status_code == 400 and "present" in bad.json()
    answer = client.post(
        url,
        {"present": [m.pk for m in members], "walk_in_names": ["赵"], "walk_in_count": 3},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["present_count"] == 6


# --- the combined list and the figures ---------------------------------------------------------


def test_activities_api_lists_groups_and_activities_in_scope(users: dict[str, Any]) -> None:
    group = h.group(name="合并小组")
    h.session(group, 1)
    h.session(group, 2)
    activity = h.activity(name="合并活动")
    h.activity(h.YUEHU, name="外区活动")
    h.group(h.YUEHU, name="外区小组")
    client = api(users[Role.STATION_MANAGER])
    data = client.get(reverse("api:activity-list"), {"page_size": 100}).json()
    assert {"count", "results"} <= data.keys()
    rows = {(row["kind"], row["name"]): row for row in data["results"]}
    assert ("group", "合并小组") in rows and ("community", "合并活动") in rows
    assert not any(name.startswith("外区") for _kind, name in rows)
    assert rows[("community", "合并活动")]["region_code"] == activity.region.code
    assert rows[("community", "合并活动")]["held_on"] == "2024-07-15"
    assert [s["number"] for s in rows[("group", "合并小组")]["sessions"]] == [1, 2]
    only = client.get(reverse("api:activity-list"), {"kind": "community"}).json()
    assert {row["kind"] for row in only["results"]} == {"community"}
    assert client.get(reverse("api:activity-list"), {"kind": "x"}).status_code == 400
    city = api(users[Role.CITY_ADMIN]).get(reverse("api:activity-list"), {"page_size": 100})
    assert any(row["name"] == "外区活动" for row in city.json()["results"])
    # Pages of one row: the first and the second differ (the schema fuzzer found a 500 when
    # a page had a next one).
    first = client.get(reverse("api:activity-list"), {"page_size": 1})
    assert first.status_code == 200, first.content
    assert first.json()["next"]
    second = client.get(reverse("api:activity-list"), {"page_size": 1, "page": 2}).json()
    assert second["results"] and second["results"] != first.json()["results"]


def test_figures_per_region_in_a_period(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    group = h.group()
    first = h.member(group)
    session = h.session(group, held_on=date(2024, 3, 10))
    h.session(group, 2, held_on=date(2025, 3, 10))
    services.session_attendance_record(
        actor=worker, session=session, present=[first], walk_in_count=4
    )
    h.activity(elders_count=10, children_count=5, others_count=1)
    h.activity(held_on=date(2023, 1, 5))
    since, until = date(2024, 1, 1), date(2024, 12, 31)
    figures = selectors.group_figures(
        actor=worker, region_code=h.CICHENG[:9], since=since, until=until
    )
    assert (figures.groups_running, figures.sessions, figures.attendances) == (1, 1, 5)
    activities = selectors.activity_figures(
        actor=worker, region_code=h.CICHENG[:9], since=since, until=until
    )
    assert (activities.activities, activities.participants, activities.elders) == (1, 16, 10)


# --- places and photos -------------------------------------------------------------------------


def test_an_activity_is_held_in_the_station_s_villages(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=users[Role.SOCIAL_WORKER],
            station=h.station(),
            name="错地方",
            kind="square",
            region=h.region(h.YUEHU_COMMUNITY),
            held_on=date(2024, 5, 1),
            organisers="社工站",
        )
    assert "region" in refused.value.message_dict


@override_settings(MEDIA_ROOT="/tmp/h_comm_media")
def test_a_photo_is_sent_only_to_those_who_see_the_activity(users: dict[str, Any]) -> None:
    activity = h.activity()
    client = page(users[Role.SOCIAL_WORKER])
    response = client.post(
        reverse("community:activityphoto_add"),
        {
            "activity": activity.pk,
            "title": "广场合影",
            "file": SimpleUploadedFile("合影.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    photo = ActivityPhoto.objects.get(activity=activity)
    assert "合影" not in photo.file.name
    url = reverse("community:activityphoto_file", args=[photo.pk])
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert page(users[Role.AUDITOR]).get(url).status_code == 200
    outside = h.activity(h.YUEHU)
    other = ActivityPhoto.objects.create(
        activity=outside, title="外", file=SimpleUploadedFile("x.png", PNG)
    )
    assert client.get(reverse("community:activityphoto_file", args=[other.pk])).status_code == 404
    fake = client.post(
        reverse("community:activityphoto_add"),
        {"activity": activity.pk, "title": "假", "file": SimpleUploadedFile("a.png", b"nope")},
    )
    assert fake.status_code == 200 and ActivityPhoto.objects.filter(activity=activity).count() == 1
    assert activity.get_absolute_url()
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert url in detail


# --- partners and volunteers -------------------------------------------------------------------


def test_volunteer_hours_come_from_activities_and_sessions(users: dict[str, Any]) -> None:
    from swstation.volunteers.hours import hours_by_source
    from tests.volunteers import helpers as v

    who = v.volunteer()
    session = h.session(h.group(), held_on=date(2024, 3, 10))
    services.volunteer_hours_create(
        actor=users[Role.SOCIAL_WORKER], activity=h.activity(), volunteer=who, hours="3.5"
    )
    services.volunteer_hours_create(
        actor=users[Role.SOCIAL_WORKER], session=session, volunteer=who, hours="2"
    )
    found = hours_by_source([who.pk], (date(2024, 1, 1), date(2024, 12, 31)))
    assert str(found["community"][who.pk]) == "5.50"
    assert hours_by_source([who.pk], (date(2025, 1, 1), date(2025, 12, 31)))["community"] == {}
    with pytest.raises(ValidationError):
        services.volunteer_hours_create(
            actor=users[Role.SOCIAL_WORKER], session=session, volunteer=who, hours="1"
        )
    with pytest.raises(ValidationError):
        services.volunteer_hours_create(actor=users[Role.SOCIAL_WORKER], volunteer=who, hours="1")


def test_an_activity_names_its_partners(users: dict[str, Any]) -> None:
    from tests.linkage import helpers as partners

    partner = partners.partner(h.CICHENG)
    client = api(users[Role.SOCIAL_WORKER])
    data = {
        "station": h.station().pk,
        "name": "携手企业志愿服务日",
        "kind": "service",
        "region_code": h.CICHENG_VILLAGE,
        "held_on": "2024-05-01",
        "organisers": "社工站",
        "partners": [partner.pk],
    }
    answer = client.post(reverse("api:communityactivity-list"), data, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["partners"] == [partner.pk]
    activity = h.activity()
    shown = page(users[Role.SOCIAL_WORKER]).get(activity.get_absolute_url())
    assert shown.status_code == 200
