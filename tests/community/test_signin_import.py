"""Sign-in sheets (签到表) imported into a group session's attendance and a community activity's
participants and volunteer hours (community/importers.py) through the generic import pages:
a good sheet, each kind of bad row (named by row and column, in Chinese), all or nothing,
importing the same sheet again (it changes nothing), roles and jurisdictions, and the pages'
buttons."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from swstation.community.models import (
    ActivityParticipant,
    ActivityVolunteer,
    GroupSession,
    SessionAttendance,
)
from swstation.core.crypto import lookup_hash
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.roles import Role
from tests.community import helpers as h
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.projects import helpers as project_helpers
from tests.volunteers import helpers as volunteer_helpers

pytestmark = pytest.mark.django_db

SESSION_HEADER = [
    "小组名称",
    "活动日期",
    "第几次",
    "姓名",
    "手机尾号",
    "是否签到",
    "临时参加",
    "未具名人数",
]
ACTIVITY_HEADER = [
    "活动名称",
    "活动日期",
    "姓名",
    "身份",
    "人群",
    "身份证号",
    "所在村社区",
    "服务时长（小时）",
]
HELD_ON = date(2024, 3, 8)
ID_NUMBER = "330205195001011234"


def session_url() -> str:
    return reverse("community:sessionattendance_import")


def activity_url() -> str:
    return reverse("community:activityparticipant_import")


def apply(client: Client, route: str, job: ImportJob) -> ImportJob:
    client.post(reverse(f"community:{route}_import_apply", args=[job.pk]))
    job.refresh_from_db()
    return job


def plan_counts(plan: dict[str, Any]) -> dict[str, int]:
    return {key: plan[key] for key in ("create", "update", "unchanged")}


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors_by_row()]


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    return users[Role.SOCIAL_WORKER]  # 慈城镇


@pytest.fixture
def sw(worker: Any) -> Client:
    return client_for(worker)


@pytest.fixture
def circle(db: Any) -> dict[str, Any]:
    """A group of 慈城镇 with a session on 2024-03-08: 王芳 (a recipient, present already),
    李强 (a recipient), 赵阿姨 (a resident named), and 陈静 who left before the session."""
    group = h.group(h.CICHENG, name="银龄互助小组")
    wang = h.member(group, h.recipient(h.CICHENG, name="王芳"))
    li = h.member(group, h.recipient(h.CICHENG, name="李强"))
    zhao = h.member(group, name="赵阿姨")
    h.member(group, name="陈静", left_on=date(2024, 3, 5))
    session = h.session(group, 1, held_on=HELD_ON)
    SessionAttendance.objects.create(session=session, member=wang)
    return {"group": group, "session": session, "wang": wang, "li": li, "zhao": zhao}


def good_session_rows() -> list[list[Any]]:
    return [
        SESSION_HEADER,
        ["银龄互助小组", HELD_ON, "", "王芳", "", "是", "", ""],
        ["银龄互助小组", "2024-03-08", "", "李强", "", "是", "", ""],
        ["银龄互助小组", "2024/3/8", "", "赵阿姨", "", "否", "", ""],
        ["银龄互助小组", HELD_ON, "", "孙大伯", "", "", "是", ""],
        ["银龄互助小组", HELD_ON, "", "", "", "", "", 3],
    ]


def attendance_of(session: GroupSession) -> tuple[set[str], int]:
    session.refresh_from_db()
    return {a.display_name for a in session.attendance.all()}, session.walk_in_count


# --- a group session ---------------------------------------------------------------------------


def test_a_good_sheet_is_previewed_then_imported_with_history(
    sw: Client, circle: dict[str, Any]
) -> None:
    _response, job = post_file(sw, session_url(), xlsx_bytes(good_session_rows()))
    assert job is not None and job.status == ImportStatus.VALID, job.errors if job else None
    # 李强 and 孙大伯 are added, the count changes, 王芳 is already recorded, 赵阿姨 absent.
    assert plan_counts(job.plan) == {"create": 2, "update": 1, "unchanged": 2}
    page = sw.get(reverse("community:sessionattendance_import_job", args=[job.pk]))
    assert "导入" in page.content.decode()
    assert attendance_of(circle["session"]) == ({"王芳"}, 0)  # nothing saved by the check

    job = apply(sw, "sessionattendance", job)
    assert job.status == ImportStatus.DONE, job.errors
    assert attendance_of(circle["session"]) == ({"王芳", "李强", "孙大伯"}, 3)
    added = SessionAttendance.objects.get(session=circle["session"], member=circle["li"])
    assert added.history.get().history_user_id == job.created_by_id


def test_an_absent_mark_removes_an_attendance_recorded_earlier(
    sw: Client, circle: dict[str, Any]
) -> None:
    rows = [SESSION_HEADER, ["银龄互助小组", HELD_ON, "", "王芳", "", "否", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and plan_counts(job.plan)["update"] == 1
    assert job.plan["changes"] == [
        {"row": 2, "record": "王芳", "fields": [["是否签到", "是", "否"]]}
    ]
    assert apply(sw, "sessionattendance", job).status == ImportStatus.DONE
    assert attendance_of(circle["session"]) == (set(), 0)


def test_importing_the_same_sheet_again_changes_nothing(sw: Client, circle: dict[str, Any]) -> None:
    content = xlsx_bytes(good_session_rows())
    _response, first = post_file(sw, session_url(), content)
    assert first is not None
    apply(sw, "sessionattendance", first)
    rows_after_first = SessionAttendance.objects.filter(session=circle["session"]).count()

    _response, again = post_file(sw, session_url(), content)
    assert again is not None and again.status == ImportStatus.VALID
    assert plan_counts(again.plan) == {"create": 0, "update": 0, "unchanged": 5}
    assert apply(sw, "sessionattendance", again).status == ImportStatus.DONE
    assert SessionAttendance.objects.filter(session=circle["session"]).count() == rows_after_first
    assert attendance_of(circle["session"]) == ({"王芳", "李强", "孙大伯"}, 3)


def test_a_name_written_twice_in_one_sheet_is_refused(sw: Client, circle: dict[str, Any]) -> None:
    rows = [
        SESSION_HEADER,
        ["银龄互助小组", HELD_ON, "", "李强", "", "是", "", ""],
        ["银龄互助小组", HELD_ON, "", "李强", "", "是", "", ""],
    ]
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert errors_of(job) == [(3, "姓名", "与本文件第2行重复。")]


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (
            ["银龄互助小组", HELD_ON, "", "周末", "", "是", "", ""],
            "姓名",
            "周末不是小组“银龄互助小组”的组员",
        ),
        (
            ["银龄互助小组", HELD_ON, "", "陈静", "", "是", "", ""],
            "姓名",
            "陈静在 2024-03-08 不是小组组员",
        ),
        (["银龄互助小组", "2024-13-45", "", "李强", "", "是", "", ""], "活动日期", ""),
        (
            ["银龄互助小组", date(2024, 3, 9), "", "李强", "", "是", "", ""],
            "活动日期",
            "小组“银龄互助小组”在 2024-03-09 没有活动",
        ),
        (["银龄互助小组", HELD_ON, "", "", "", "", "", "三个"], "未具名人数", "不是 0 到 1000"),
        (["银龄互助小组", HELD_ON, "", "", "", "", "", -2], "未具名人数", "不是 0 到 1000"),
        (["银龄互助小组", HELD_ON, "", "李强", "", "", "", ""], "是否签到", "请在“是否签到”"),
        (["银龄互助小组", HELD_ON, "", "李强", "", "是", "是", ""], "临时参加", "是小组组员"),
        (["银龄互助小组", HELD_ON, "", "李强", "", "是", "", 2], "未具名人数", "单独一行"),
        (["银龄互助小组", HELD_ON, "x", "李强", "", "是", "", ""], "第几次", "1 到 200"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(
    sw: Client, circle: dict[str, Any], bad: list[Any], column: str, message: str
) -> None:
    rows = [*good_session_rows(), bad]
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    found = errors_of(job)
    assert [(row, col) for row, col, _m in found] == [(7, column)], found
    assert message in found[0][2]
    assert attendance_of(circle["session"]) == ({"王芳"}, 0)


def test_two_members_of_one_name_are_told_apart_by_the_tail(
    sw: Client, circle: dict[str, Any]
) -> None:
    group = circle["group"]
    first = h.member(
        group, project_helpers.recipient(h.CICHENG, name="张伟", phone_masked="138****1111")
    )
    second = h.member(
        group, project_helpers.recipient(h.CICHENG, name="张伟", phone_masked="139****2222")
    )
    ambiguous = [SESSION_HEADER, ["银龄互助小组", HELD_ON, "", "张伟", "", "是", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(ambiguous))
    assert job is not None and job.status == ImportStatus.INVALID
    assert errors_of(job)[0][:2] == (2, "姓名")
    assert "手机尾号" in errors_of(job)[0][2]

    told = [SESSION_HEADER, ["银龄互助小组", HELD_ON, "", "张伟", 2222, "是", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(told))
    assert job is not None and job.status == ImportStatus.VALID
    apply(sw, "sessionattendance", job)
    present = set(circle["session"].attendance.values_list("member_id", flat=True))
    assert second.pk in present and first.pk not in present

    wrong = [SESSION_HEADER, ["银龄互助小组", HELD_ON, "", "张伟", "3333", "是", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(wrong))
    assert job is not None and errors_of(job)[0][:2] == (2, "手机尾号")


def test_a_session_outside_the_jurisdiction_is_refused(sw: Client, circle: dict[str, Any]) -> None:
    elsewhere = h.group(h.YUEHU, name="月湖读书会")
    h.member(elsewhere, name="钱老师")
    h.session(elsewhere, 1, held_on=HELD_ON)
    rows = [*good_session_rows(), ["月湖读书会", HELD_ON, "", "钱老师", "", "是", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert errors_of(job) == [(7, "小组名称", "您的辖区内没有小组“月湖读书会”。")]
    assert attendance_of(circle["session"]) == ({"王芳"}, 0)


def test_two_groups_of_one_name_meeting_the_same_day_are_not_guessed(
    sw: Client, circle: dict[str, Any]
) -> None:
    twin = h.group(h.CICHENG, name="银龄互助小组")
    h.member(twin, name="李强")
    h.session(twin, 1, held_on=HELD_ON)
    _response, job = post_file(sw, session_url(), xlsx_bytes(good_session_rows()))
    assert job is not None and job.status == ImportStatus.INVALID
    assert {col for _row, col, _m in errors_of(job)} == {"小组名称"}
    assert "有多个小组名为“银龄互助小组”" in errors_of(job)[0][2]


def test_a_second_session_on_the_same_day_is_chosen_by_its_number(
    sw: Client, circle: dict[str, Any]
) -> None:
    second = h.session(circle["group"], 2, held_on=HELD_ON)
    rows = [SESSION_HEADER, ["银龄互助小组", HELD_ON, "", "李强", "", "是", "", ""]]
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and errors_of(job)[0][:2] == (2, "第几次")
    rows[1][2] = 2
    _response, job = post_file(sw, session_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.VALID
    apply(sw, "sessionattendance", job)
    assert attendance_of(second) == ({"李强"}, 0)
    assert attendance_of(circle["session"]) == ({"王芳"}, 0)


def test_an_ended_group_is_a_record_and_is_refused(sw: Client, circle: dict[str, Any]) -> None:
    circle["group"].stage = "ended"
    circle["group"].save()
    _response, job = post_file(sw, session_url(), xlsx_bytes(good_session_rows()))
    assert job is not None and job.status == ImportStatus.INVALID
    assert {col for _row, col, _m in errors_of(job)} == {"小组名称"}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
def test_roles_that_may_not_record_attendance_may_not_import(
    users: dict[str, Any], circle: dict[str, Any], role: str
) -> None:
    client = client_for(users[role])
    assert client.get(session_url()).status_code == 403
    assert client.get(activity_url()).status_code == 403
    sheet = reverse("community:groupsession_signin_sheet", args=[circle["session"].pk])
    assert client.get(sheet).status_code == 403
    page = client.get(circle["session"].get_absolute_url()).content.decode()
    assert 'id="import-signin"' not in page


def test_a_manager_elsewhere_cannot_import_into_this_station(
    make_user: Any, circle: dict[str, Any]
) -> None:
    manager = make_user(Role.STATION_MANAGER, h.YUEHU)
    client = client_for(manager)
    _response, job = post_file(client, session_url(), xlsx_bytes(good_session_rows()))
    assert job is not None and job.status == ImportStatus.INVALID
    assert len(job.errors) == 5
    sheet = reverse("community:groupsession_signin_sheet", args=[circle["session"].pk])
    assert client.get(sheet).status_code == 404
    assert attendance_of(circle["session"]) == ({"王芳"}, 0)


def test_the_session_page_offers_the_import_and_its_own_sheet(
    sw: Client, circle: dict[str, Any]
) -> None:
    page = sw.get(circle["session"].get_absolute_url()).content.decode()
    assert f'href="{session_url()}"' in page
    assert "导入签到表" in page
    sheet_url = reverse("community:groupsession_signin_sheet", args=[circle["session"].pk])
    assert f'href="{sheet_url}"' in page
    response = sw.get(sheet_url)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=5)]
    assert rows[0][:4] == ["小组名称", "活动日期", "第几次", "姓名"]
    # The members on the day (陈静 had left), the date as a date.
    assert [r[3] for r in rows[1:]] == ["王芳", "李强", "赵阿姨", None]
    assert rows[1][0] == "银龄互助小组" and rows[1][1].date() == HELD_ON


def test_the_filled_in_sheet_of_the_session_imports(sw: Client, circle: dict[str, Any]) -> None:
    sheet_url = reverse("community:groupsession_signin_sheet", args=[circle["session"].pk])
    workbook = load_workbook(BytesIO(sw.get(sheet_url).content))
    sheet = workbook.worksheets[0]
    column = [c.value for c in sheet[1]].index("是否签到") + 1
    for row, mark in zip(range(2, 5), ["是", "是", "否"], strict=True):
        sheet.cell(row=row, column=column, value=mark)
    buffer = BytesIO()
    workbook.save(buffer)
    _response, job = post_file(sw, session_url(), buffer.getvalue())
    assert job is not None and job.status == ImportStatus.VALID, job.errors if job else None
    assert apply(sw, "sessionattendance", job).status == ImportStatus.DONE
    assert attendance_of(circle["session"]) == ({"王芳", "李强"}, 0)


def test_the_upload_page_and_template_are_in_chinese(sw: Client) -> None:
    page = sw.get(session_url()).content.decode()
    assert "小组活动签到表" in page and "未具名人数" in page
    template = sw.get(reverse("community:sessionattendance_import_template"))
    assert template.status_code == 200
    headers = [c.value for c in load_workbook(BytesIO(template.content)).worksheets[0][1]]
    assert headers[:4] == ["小组名称", "活动日期", "第几次", "姓名"]


# --- a community activity ----------------------------------------------------------------------


@pytest.fixture
def square(db: Any) -> dict[str, Any]:
    activity = h.activity(h.CICHENG, name="广场消夏晚会", held_on=date(2024, 7, 15))
    by_id = project_helpers.recipient(
        h.CICHENG, name="周阿婆", id_number_hash=lookup_hash(ID_NUMBER)
    )
    by_village = h.recipient(h.CICHENG, name="吴大爷")
    helper = volunteer_helpers.volunteer(h.CICHENG, name="郑志愿")
    return {
        "activity": activity,
        "by_id": by_id,
        "by_village": by_village,
        "village": by_village.region.name,
        "volunteer": helper,
    }


def good_activity_rows(square: dict[str, Any]) -> list[list[Any]]:
    return [
        ACTIVITY_HEADER,
        ["广场消夏晚会", "2024-07-15", "周阿婆", "参与者", "长者", ID_NUMBER, "", ""],
        ["广场消夏晚会", "2024-07-15", "吴大爷", "", "老人", "", square["village"], ""],
        ["广场消夏晚会", "2024-07-15", "小明", "", "儿童", "", "", ""],
        ["广场消夏晚会", "2024-07-15", "郑志愿", "志愿者", "", "", "", "2.5"],
    ]


def test_an_activity_sheet_records_participants_and_volunteer_hours(
    sw: Client, square: dict[str, Any]
) -> None:
    content = xlsx_bytes(good_activity_rows(square))
    _response, job = post_file(sw, activity_url(), content)
    assert job is not None and job.status == ImportStatus.VALID, job.errors if job else None
    assert plan_counts(job.plan) == {"create": 4, "update": 0, "unchanged": 0}
    assert apply(sw, "activityparticipant", job).status == ImportStatus.DONE
    activity = square["activity"]
    found = {
        (p.recipient_id, p.name, p.group)
        for p in ActivityParticipant.objects.filter(activity=activity)
    }
    assert found == {
        (square["by_id"].pk, "", "elder"),
        (square["by_village"].pk, "", "elder"),
        (None, "小明", "child"),
    }
    hours = ActivityVolunteer.objects.get(activity=activity)
    assert hours.volunteer == square["volunteer"] and hours.hours == Decimal("2.5")
    assert hours.region_id == activity.region_id

    # Again: nothing added; a changed group or number of hours is an update.
    _response, again = post_file(sw, activity_url(), content)
    assert again is not None and plan_counts(again.plan) == {
        "create": 0,
        "update": 0,
        "unchanged": 4,
    }
    changed = good_activity_rows(square)
    changed[3][4] = "其他"
    changed[4][7] = 3
    _response, update = post_file(sw, activity_url(), xlsx_bytes(changed))
    assert update is not None and plan_counts(update.plan) == {
        "create": 0,
        "update": 2,
        "unchanged": 2,
    }
    assert apply(sw, "activityparticipant", update).status == ImportStatus.DONE
    assert ActivityParticipant.objects.filter(activity=activity).count() == 3
    assert ActivityParticipant.objects.get(activity=activity, name="小明").group == "other"
    assert ActivityVolunteer.objects.get(activity=activity).hours == Decimal("3")


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (
            ["广场消夏晚会", "2024-07-15", "郑志愿", "志愿者", "", "", "", "两小时"],
            "服务时长（小时）",
            "0.25 到 24",
        ),
        (
            ["广场消夏晚会", "2024-07-15", "郑志愿", "志愿者", "", "", "", "30"],
            "服务时长（小时）",
            "0.25 到 24",
        ),
        (
            ["广场消夏晚会", "2024-07-15", "无名氏", "志愿者", "", "", "", "2"],
            "姓名",
            "没有名为无名氏的志愿者",
        ),
        (["广场消夏晚会", "2024-07-15", "小红", "", "", "", "", ""], "人群", "长者、儿童或其他"),
        (["广场消夏晚会", "2024-07-15", "小红", "", "青年", "", "", ""], "人群", ""),
        (
            ["广场消夏晚会", "2024-07-16", "小红", "", "儿童", "", "", ""],
            "活动日期",
            "不是在 2024-07-16 举办",
        ),
        (
            ["广场消夏晚会", "2024-07-15", "钱某", "", "长者", "330205195001019999", "", ""],
            "身份证号",
            "没有此身份证号",
        ),
        (
            ["广场消夏晚会", "2024-07-15", "李四", "", "长者", ID_NUMBER, "", ""],
            "姓名",
            "是周阿婆的",
        ),
    ],
)
def test_a_bad_activity_row_is_named_and_nothing_is_saved(
    sw: Client, square: dict[str, Any], bad: list[Any], column: str, message: str
) -> None:
    rows = [*good_activity_rows(square), bad]
    _response, job = post_file(sw, activity_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    found = errors_of(job)
    assert [(row, col) for row, col, _m in found] == [(6, column)], found
    assert message in found[0][2]
    assert not ActivityParticipant.objects.filter(activity=square["activity"]).exists()
    assert not ActivityVolunteer.objects.filter(activity=square["activity"]).exists()


def test_a_recipient_of_another_town_is_refused(sw: Client, square: dict[str, Any]) -> None:
    # Visible to no one in 慈城镇: found by nobody, the row names no one (no existence oracle).
    outsider_id = "330203195001015678"
    project_helpers.recipient(h.YUEHU, name="孙婆婆", id_number_hash=lookup_hash(outsider_id))
    rows = [
        *good_activity_rows(square),
        ["广场消夏晚会", "2024-07-15", "孙婆婆", "", "长者", outsider_id, "", ""],
    ]
    _response, job = post_file(sw, activity_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert errors_of(job) == [(6, "身份证号", "您的辖区内没有此身份证号的服务对象。")]


def test_a_recipient_living_outside_the_activitys_town_is_refused(
    users: dict[str, Any], square: dict[str, Any]
) -> None:
    """The district officer sees all of 江北区, but a participant lives in the activity's town."""
    elsewhere = h.recipient(h.JIANGBEI, name="冯伯")
    client = client_for(users[Role.DISTRICT_OFFICER])
    rows = [
        ACTIVITY_HEADER,
        ["广场消夏晚会", "2024-07-15", "冯伯", "", "长者", "", elsewhere.region.name, ""],
    ]
    _response, job = post_file(client, activity_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert errors_of(job)[0][:2] == (2, "姓名")


def test_an_activity_of_another_district_is_refused(make_user: Any, square: dict[str, Any]) -> None:
    client = client_for(make_user(Role.SOCIAL_WORKER, h.YUEHU))
    _response, job = post_file(client, activity_url(), xlsx_bytes(good_activity_rows(square)))
    assert job is not None and job.status == ImportStatus.INVALID
    assert {col for _row, col, _m in errors_of(job)} == {"活动名称"}
    assert "您的辖区内没有活动“广场消夏晚会”" in errors_of(job)[0][2]


def test_the_activity_page_offers_the_import(
    sw: Client, users: dict[str, Any], square: dict[str, Any]
) -> None:
    page = sw.get(square["activity"].get_absolute_url()).content.decode()
    assert f'href="{activity_url()}"' in page and "导入签到表" in page
    auditor = client_for(users[Role.AUDITOR])
    page = auditor.get(square["activity"].get_absolute_url()).content.decode()
    assert 'id="import-signin"' not in page
