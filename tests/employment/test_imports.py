"""A seekers register and an employers' job list imported from .xlsx (employment/importers.py)
through the generic import pages: good sheets, each kind of bad row (named by row and column, in
Chinese), all or nothing, importing the same sheet again (it updates, never duplicates), rows
outside the jurisdiction, the roles refused and the lists' buttons."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.crypto import lookup_hash
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.roles import Role
from swstation.employment.importers import parse_months
from swstation.employment.models import JobPost, JobSeeker, TravelRange, month_mask
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.employment import helpers as h
from tests.recipients.helpers import id_number

pytestmark = pytest.mark.django_db

SEEKER_HEADER = [
    "姓名",
    "性别",
    "人员类别",
    "身份证号",
    "手机号",
    "所在村社区",
    "技能",
    "可工作月份",
    "每天工时",
    "需照顾子女",
    "出行范围",
    "期望日薪（元）",
]
POST_HEADER = [
    "用工企业",
    "岗位名称",
    "招聘人数",
    "用工开始日期",
    "用工结束日期",
    "每天工时",
    "技能要求",
    "日薪（元）",
    "工作地点",
]
VILLAGE = "勤丰村委会"  # 慈城镇
OTHER_TOWN_VILLAGE = "太阳社区"  # 月湖街道, 海曙区
RECIPIENT_ID = id_number(date(1975, 5, 5), serial=902)
RESIDENT_ID = id_number(date(1980, 6, 6), serial=904)


def seeker_url() -> str:
    return reverse("employment:jobseeker_import")


def post_url() -> str:
    return reverse("employment:jobpost_import")


def apply(client: Client, model: str, job: ImportJob) -> ImportJob:
    client.post(reverse(f"employment:{model}_import_apply", args=[job.pk]))
    job.refresh_from_db()
    return job


def counts(job: ImportJob) -> dict[str, int]:
    return {key: job.plan[key] for key in ("create", "update", "unchanged")}


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in job.errors_by_row()]


@pytest.fixture
def sw(users: dict[str, Any]) -> Client:
    return client_for(users[Role.SOCIAL_WORKER])  # 慈城镇


@pytest.fixture
def town(db: Any) -> dict[str, Any]:
    h.station(h.CICHENG)
    h.station(h.YUEHU)
    wang = h.recipient(h.CICHENG, name="王秀英", sex="female")
    wang.id_number_hash = lookup_hash(RECIPIENT_ID)
    wang.save()
    return {
        "recipient": wang,
        "factory": h.employer(h.CICHENG, name="慈城年糕厂"),
        "far_factory": h.employer(h.YUEHU, name="月湖服装厂"),
        "school": h.employer(h.CICHENG, name="慈城小学", kind="school"),
    }


def seeker_rows() -> list[list[Any]]:
    return [
        SEEKER_HEADER,
        ["王秀英", "女", "就业困难女性", RECIPIENT_ID, "13812345678", VILLAGE, "包装、缝纫",
         "1-3,11-12", 6, "是", "本镇", 150],
        ["陈阿姨", "女", "农民", RESIDENT_ID, "", VILLAGE, "采茶", "1月、2月", "", "", "本村", ""],
        ["李大叔", "男", "其他", "", "", VILLAGE, "搬运", "全年", 8, "否", "本区", "200.5"],
    ]  # fmt: skip


def post_rows() -> list[list[Any]]:
    return [
        POST_HEADER,
        ["慈城年糕厂", "年糕包装工", 30, "2026-11-01", "2027-02-15", 8, "包装", 160, VILLAGE],
        ["慈城年糕厂", "年糕制作", 10, date(2026, 11, 1), date(2027, 1, 31), "", "", "180",
         VILLAGE],
    ]  # fmt: skip


# --- months --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("1-3,11-12", [1, 2, 3, 11, 12]),
        ("1月、2月", [1, 2]),
        ("3–5月", [3, 4, 5]),
        ("11-2", [11, 12, 1, 2]),
        ("全年", list(range(1, 13))),
        ("7", [7]),
    ],
)
def test_months_are_read_as_people_write_them(text: str, months: list[int]) -> None:
    assert parse_months(text) == month_mask(months)


@pytest.mark.parametrize("text", ["13月", "春节后", "0-3", "1-", "一月"])
def test_words_that_are_not_months_are_refused(text: str) -> None:
    assert parse_months(text) is None


# --- seekers -------------------------------------------------------------------------------------


def test_a_good_seekers_register_is_previewed_then_imported(sw: Client, town: Any) -> None:
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(seeker_rows()))
    assert job is not None and job.status == ImportStatus.VALID, job.errors if job else None
    assert counts(job) == {"create": 3, "update": 0, "unchanged": 0}
    page = sw.get(reverse("employment:jobseeker_import_job", args=[job.pk])).content.decode()
    assert "<strong>3</strong>" in page  # 新建 3
    assert not JobSeeker.objects.exists()  # the check saves nothing

    job = apply(sw, "jobseeker", job)
    assert job.status == ImportStatus.DONE, job.errors
    wang = JobSeeker.objects.get(name="王秀英")
    assert wang.recipient == town["recipient"]
    assert wang.available_months == month_mask([1, 2, 3, 11, 12])
    assert (wang.hours_per_day, wang.child_care, wang.travel_range) == (6, True, "township")
    assert wang.id_number_hash == lookup_hash(RECIPIENT_ID) and wang.phone_masked
    assert wang.history.get().history_user_id == job.created_by_id
    chen = JobSeeker.objects.get(name="陈阿姨")
    assert chen.recipient is None and chen.category == "farmer"
    assert chen.available_months == month_mask([1, 2])
    assert chen.travel_range == TravelRange.VILLAGE
    li = JobSeeker.objects.get(name="李大叔")
    assert str(li.wanted_pay) == "200.50" and li.station.region.code == h.CICHENG


def test_importing_the_register_again_updates_and_never_duplicates(sw: Client, town: Any) -> None:
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(seeker_rows()))
    assert job is not None and apply(sw, "jobseeker", job).status == ImportStatus.DONE
    _response, again = post_file(sw, seeker_url(), xlsx_bytes(seeker_rows()))
    assert again is not None and again.status == ImportStatus.VALID, again.errors
    assert counts(again) == {"create": 0, "update": 0, "unchanged": 3}

    rows = seeker_rows()
    rows[2][6] = "采茶、保洁"  # 陈阿姨, matched by her ID number
    rows[3][7] = "6-8"  # 李大叔, without one: by name and village
    _response, changed = post_file(sw, seeker_url(), xlsx_bytes(rows))
    assert changed is not None and counts(changed) == {"create": 0, "update": 2, "unchanged": 1}
    assert apply(sw, "jobseeker", changed).status == ImportStatus.DONE
    assert JobSeeker.objects.count() == 3
    assert JobSeeker.objects.get(name="陈阿姨").skills == "采茶、保洁"
    li = JobSeeker.objects.get(name="李大叔")
    assert li.available_months == month_mask([6, 7, 8])
    assert li.history.count() == 2


def test_an_id_number_of_another_name_is_refused(sw: Client, town: Any) -> None:
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(seeker_rows()))
    assert job is not None and apply(sw, "jobseeker", job).status == ImportStatus.DONE
    rows = [SEEKER_HEADER, ["张三", "女", "农民", RESIDENT_ID, "", VILLAGE, "", "", "", "", "", ""]]
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert [(row, col) for row, col, _m in errors_of(job)] == [(2, "姓名")]
    assert JobSeeker.objects.get(id_number_hash=lookup_hash(RESIDENT_ID)).name == "陈阿姨"


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("可工作月份", "13月", "不是月份"),
        ("身份证号", "33020519800606123", "身份"),
        ("所在村社区", "无此村", "无此村"),
        ("每天工时", "20", "1 到 12"),
        ("期望日薪（元）", "很多", "日薪"),
        ("性别", "", "性别"),
    ],
)
def test_a_bad_seeker_row_names_its_row_and_column_and_nothing_is_saved(
    sw: Client, town: Any, column: str, value: str, words: str
) -> None:
    rows = seeker_rows()
    rows[3][SEEKER_HEADER.index(column)] = value
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    errors = errors_of(job)
    assert [(row, col) for row, col, _m in errors] == [(4, column)], errors
    assert words in errors[0][2]
    assert not JobSeeker.objects.exists()


def test_a_seeker_outside_the_jurisdiction_is_refused(sw: Client, town: Any) -> None:
    rows = seeker_rows()
    rows[1][5] = OTHER_TOWN_VILLAGE
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    errors = errors_of(job)
    assert [(row, col) for row, col, _m in errors] == [(2, "所在村社区")]
    assert "不在您的辖区" in errors[0][2] or "辖区外" in errors[0][2], errors
    # a seeker recorded by 月湖街道 with this ID number is not duplicated nor changed
    h.seeker(h.YUEHU, name="赵敏", document_number=RESIDENT_ID)
    _response, job = post_file(sw, seeker_url(), xlsx_bytes(seeker_rows()))
    assert job is not None and job.status == ImportStatus.INVALID
    assert [(row, col) for row, col, _m in errors_of(job)] == [(3, "身份证号")]
    assert JobSeeker.objects.count() == 1


# --- posts ---------------------------------------------------------------------------------------


def test_a_good_job_list_is_previewed_then_imported(sw: Client, town: Any) -> None:
    _response, job = post_file(sw, post_url(), xlsx_bytes(post_rows()))
    assert job is not None and job.status == ImportStatus.VALID, job.errors if job else None
    assert counts(job) == {"create": 2, "update": 0, "unchanged": 0}
    assert not JobPost.objects.exists()
    job = apply(sw, "jobpost", job)
    assert job.status == ImportStatus.DONE, job.errors
    post = JobPost.objects.get(title="年糕包装工")
    assert post.employer == town["factory"]
    assert (post.places, post.season_from, post.season_to) == (
        30,
        date(2026, 11, 1),
        date(2027, 2, 15),
    )
    assert str(post.pay) == "160.00" and post.region.name == VILLAGE
    assert post.history.get().history_user_id == job.created_by_id


def test_importing_the_job_list_again_updates_the_same_post(sw: Client, town: Any) -> None:
    _response, job = post_file(sw, post_url(), xlsx_bytes(post_rows()))
    assert job is not None and apply(sw, "jobpost", job).status == ImportStatus.DONE
    _response, again = post_file(sw, post_url(), xlsx_bytes(post_rows()))
    assert again is not None and counts(again) == {"create": 0, "update": 0, "unchanged": 2}
    rows = post_rows()
    rows[1][2] = 40
    rows[2][4] = "2027-02-28"  # another window: another post
    _response, changed = post_file(sw, post_url(), xlsx_bytes(rows))
    assert changed is not None and counts(changed) == {"create": 1, "update": 1, "unchanged": 0}
    assert apply(sw, "jobpost", changed).status == ImportStatus.DONE
    assert JobPost.objects.get(title="年糕包装工").places == 40
    assert JobPost.objects.count() == 3


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("用工企业", "不存在的厂", "合作方"),
        ("用工企业", "慈城小学", "不是企业"),
        ("用工企业", "月湖服装厂", "辖区"),
        ("招聘人数", "0", "1 到 2000"),
        ("用工结束日期", "2026-10-01", ""),
        ("日薪（元）", "-5", "日薪"),
        ("工作地点", OTHER_TOWN_VILLAGE, "辖区"),
    ],
)
def test_a_bad_post_row_names_its_row_and_column_and_nothing_is_saved(
    sw: Client, town: Any, column: str, value: str, words: str
) -> None:
    rows = post_rows()
    rows[1][POST_HEADER.index(column)] = value
    _response, job = post_file(sw, post_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    errors = errors_of(job)
    assert [(row, col) for row, col, _m in errors] == [(2, column)], errors
    assert words in errors[0][2]
    assert not JobPost.objects.exists()
    assert not type(town["factory"]).objects.filter(name="不存在的厂").exists()


# --- roles and buttons ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR, Role.DISTRICT_OFFICER])
def test_roles_that_may_not_keep_the_register_may_not_import(
    users: dict[str, Any], town: Any, role: str
) -> None:
    client = client_for(users[role])
    for url in (seeker_url(), post_url()):
        assert client.get(url).status_code == 403
    for name in ("employment:jobseeker_list", "employment:jobpost_list"):
        page = client.get(reverse(name)).content.decode()
        assert "bi-upload" not in page


def test_the_lists_offer_the_import_and_a_template(sw: Client, town: Any) -> None:
    for list_name, url in (
        ("employment:jobseeker_list", seeker_url()),
        ("employment:jobpost_list", post_url()),
    ):
        page = sw.get(reverse(list_name)).content.decode()
        assert f'href="{url}"' in page and "导入" in page
    for model in ("jobseeker", "jobpost"):
        template = sw.get(reverse(f"employment:{model}_import_template"))
        assert template.status_code == 200 and template.content[:2] == b"PK"


def test_a_bad_post_row_says_all_its_problems_at_once(sw: Client, town: Any) -> None:
    rows = post_rows()
    rows[2][0] = "不存在的厂"
    rows[2][2] = "0"
    rows[2][8] = OTHER_TOWN_VILLAGE
    _response, job = post_file(sw, post_url(), xlsx_bytes(rows))
    assert job is not None and job.status == ImportStatus.INVALID
    assert sorted((row, col) for row, col, _m in errors_of(job)) == [
        (3, "工作地点"),
        (3, "招聘人数"),
        (3, "用工企业"),
    ]
    assert not JobPost.objects.exists()
