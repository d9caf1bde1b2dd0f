"""Importing the recipients register (台账) from .xlsx (recipients/importers.py) through the
generic import pages: people are created with encrypted numbers, a second run changes
nothing, a later register updates by document number (or name, date of birth and village),
one bad row saves nothing (row and column named), and the jurisdiction holds."""

from datetime import date, datetime
from typing import Any

import pytest
from django.urls import reverse

from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.roles import Role
from swstation.recipients.crypto import decrypt
from swstation.recipients.models import DuplicateReview, Recipient
from tests.core.test_imports import client_for, counts, post_file, xlsx_bytes
from tests.recipients.helpers import CICHENG_VILLAGE, YUEHU_COMMUNITY, id_number, make_recipient
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "证件类型",
    "证件号码",
    "无证件原因",
    "性别",
    "出生日期",
    "手机号",
    "所在村(社区)",
    "住址",
    "类别",
    "残疾类别",
    "残疾等级",
    "监护人",
    "监护人电话",
    "紧急联系人",
    "紧急联系人电话",
    "服务社工站",
    "是否同意",
    "同意日期",
]
ZHANG = id_number(date(1940, 3, 8), serial=52)
LI = id_number(date(2016, 9, 1), serial=53)
STATION = "慈城镇社工站"


def row(**cells: Any) -> list[Any]:
    """A register row from its cells by header (the others empty)."""
    return [cells.get(header, "") for header in HEADER]


def consenting(**cells: Any) -> list[Any]:
    return row(**{"是否同意": "是", "同意日期": "2025-06-01", **cells})


def start_url() -> str:
    return reverse("recipients:recipient_import")


def apply(client: Any, job: ImportJob) -> ImportJob:
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    return job


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    station(CICHENG)  # named 慈城镇社工站
    return users[Role.SOCIAL_WORKER]


def valid_rows() -> list[list[Any]]:
    return [
        row(
            姓名="张桂英",
            证件类型="居民身份证",
            证件号码=ZHANG.lower(),
            手机号="138 1234 5678",
            **{"所在村(社区)": "勤丰村"},
            住址="勤丰村3组12号",
            类别="低保、独居老人",
            残疾类别="肢体残疾",
            残疾等级="二级",
            紧急联系人="张建国",
            紧急联系人电话="13900001111",
            服务社工站=STATION,
            是否同意="是",
            同意日期=datetime(2025, 6, 1),
        ),
        row(
            姓名="李小宝",
            证件号码=LI,
            性别="男",
            出生日期="2016-09-01",
            **{"所在村(社区)": CICHENG_VILLAGE},
            类别="困境儿童,留守儿童",
            监护人="李奶奶",
            监护人电话="0574-63210000",
            是否同意="是",
            同意日期="2025-06-02",
        ),
        row(
            姓名="王福根",
            证件类型="无",
            无证件原因="无户籍登记",
            性别="男",
            出生日期="1935/1/1",
            **{"所在村(社区)": "东镇村"},
            类别="高龄老人",
            是否同意="是",
            同意日期="2025-06-03",
        ),
    ]


def test_the_register_creates_people_then_a_second_run_changes_nothing(worker: Any) -> None:
    content = xlsx_bytes([HEADER, *valid_rows()])
    client = client_for(worker)
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 3
    assert not Recipient.objects.exists()
    job = apply(client, job)
    assert job.status == ImportStatus.DONE, (job.message, job.errors)

    zhang = Recipient.objects.get(name="张桂英")
    assert decrypt(zhang.id_number_encrypted) == ZHANG  # stored upper case, encrypted
    assert (zhang.sex, zhang.birth_date) == ("female", date(1940, 3, 8))
    assert zhang.region.code == CICHENG_VILLAGE
    assert decrypt(zhang.phone_encrypted) == "13812345678"
    assert {c.code for c in zhang.categories.all()} == {
        "subsistence_allowance",
        "elderly_living_alone",
    }
    assert (zhang.disability_type, zhang.disability_grade) == ("physical", 2)
    assert zhang.station is not None and zhang.station.name == STATION
    assert zhang.consent_given and zhang.consent_on == date(2025, 6, 1)
    assert zhang.history.first().history_user == worker  # type: ignore[attr-defined]
    li = Recipient.objects.get(name="李小宝")
    assert li.is_minor and decrypt(li.guardian_phone_encrypted) == "057463210000"
    assert {c.code for c in li.categories.all()} == {"child_in_difficulty", "left_behind_child"}
    wang = Recipient.objects.get(name="王福根")
    assert wang.document_type == "none" and wang.no_document_reason == "无户籍登记"
    assert wang.region.code == "330205103202"

    _response, again = post_file(client, start_url(), content)
    assert again is not None
    assert counts(again.plan) == {"create": 0, "update": 0, "unchanged": 3, "related": []}
    apply(client, again)
    assert Recipient.objects.count() == 3


def test_a_later_register_updates_by_number_or_by_name_birth_date_and_village(
    worker: Any,
) -> None:
    by_number = make_recipient(name="张桂英", number=ZHANG)
    by_identity = make_recipient(
        "330205103202",
        name="王福根",
        number="",
        document_type="none",
        no_document_reason="无",
        birth_date=date(1935, 1, 1),
    )
    rows = [
        row(姓名="张桂英", 证件号码=ZHANG, 手机号="13800001234"),
        row(姓名="王福根", 出生日期="1935-01-01", 类别="高龄老人", **{"所在村(社区)": "东镇村"}),
    ]
    client = client_for(worker)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert job.status == ImportStatus.INVALID  # 张桂英's row has no village
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "所在村(社区)")}
    rows[0][HEADER.index("所在村(社区)")] = "勤丰村"
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert job.plan["update"] == 2 and job.plan["create"] == 0
    apply(client, job)
    by_number.refresh_from_db()
    assert decrypt(by_number.phone_encrypted) == "13800001234"
    assert [c.code for c in by_identity.categories.all()] == ["advanced_age"]
    assert Recipient.objects.count() == 2


def test_one_bad_row_saves_nothing_and_names_row_and_column(worker: Any) -> None:
    make_recipient(name="其他人", number=id_number(date(1950, 1, 1), serial=60))
    village = {"所在村(社区)": "勤丰村"}
    bad_rows = [
        consenting(姓名="赵一", 证件号码="330205194003080001", **village),  # row 5
        consenting(
            姓名="钱二",
            证件类型="无",
            无证件原因="无",
            出生日期="1950-01-01",
            **{"所在村(社区)": "太阳社区"},
        ),  # row 6: outside the jurisdiction
        consenting(姓名="孙三", 证件类型="无", 出生日期="1950-01-01", 类别="贫困户", **village),
        row(姓名="李四", 证件号码=id_number(date(1951, 1, 1)), **village),  # row 8: no consent
        consenting(姓名="周五", 证件号码=ZHANG, **village),  # row 9: row 2's number
        consenting(
            姓名="吴六",
            证件号码=id_number(date(1952, 2, 2), serial=61),
            性别="女",
            出生日期="1952-02-03",
            **village,
        ),  # row 10: contradicts the number
    ]
    content = xlsx_bytes([HEADER, *valid_rows(), *bad_rows])
    client = client_for(worker)
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (5, "证件号码"),
        (6, "所在村(社区)"),
        (7, "类别"),
        (7, "无证件原因"),
        (8, "是否同意"),
        (9, "证件号码"),
        (10, "性别"),
        (10, "出生日期"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "太阳社区" in messages[(6, "所在村(社区)")]
    assert "贫困户" in messages[(7, "类别")]
    assert "2" in messages[(9, "证件号码")]
    apply(client, job)
    assert Recipient.objects.count() == 1  # only the one made before


def test_a_number_recorded_elsewhere_is_imported_as_any_new_number(worker: Any) -> None:
    """issue 16: the importer learns nothing of records outside their jurisdiction; the match
    is queued for the officer above both (test_existence_oracle.py compares the answers)."""
    elsewhere = make_recipient(YUEHU_COMMUNITY, name="张桂英", number=ZHANG)
    line = consenting(姓名="张桂英", 证件号码=ZHANG, **{"所在村(社区)": "勤丰村"})
    client = client_for(worker)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, line]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    job = apply(client, job)
    assert job.status == ImportStatus.DONE
    review = DuplicateReview.objects.get()
    assert review.match == elsewhere and review.recipient.region.name.startswith("勤丰村")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
def test_roles_that_may_not_write_may_not_import(role: str, users: dict[str, Any]) -> None:
    assert client_for(users[role]).get(start_url()).status_code == 403


def test_the_list_offers_import_and_the_template_has_the_columns(worker: Any) -> None:
    client = client_for(worker)
    assert start_url() in client.get("/recipients/").content.decode()
    response = client.get(reverse("recipients:recipient_import_template"))
    assert response.status_code == 200


def test_the_register_gives_the_registration_date(worker: Any) -> None:
    """A 登记日期 column (issue 18): a new person registered that day, in their categories from
    then; a later register corrects it; left empty, the date stays."""
    header = [*HEADER, "登记日期"]
    first = [*valid_rows()[0], "2021-04-01"]
    client = client_for(worker)
    _response, job = post_file(client, start_url(), xlsx_bytes([header, first]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert apply(client, job).status == ImportStatus.DONE
    zhang = Recipient.objects.get(name="张桂英")
    assert zhang.registered_on == date(2021, 4, 1)
    assert set(zhang.category_periods.values_list("valid_from", flat=True)) == {date(2021, 4, 1)}
    corrected = [*valid_rows()[0], datetime(2020, 9, 1)]
    _response, job = post_file(client, start_url(), xlsx_bytes([header, corrected]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert apply(client, job).status == ImportStatus.DONE
    zhang.refresh_from_db()
    assert zhang.registered_on == date(2020, 9, 1)
    unchanged = [*valid_rows()[0], ""]
    _response, job = post_file(client, start_url(), xlsx_bytes([header, unchanged]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    apply(client, job)
    zhang.refresh_from_db()
    assert zhang.registered_on == date(2020, 9, 1)
    future = [*valid_rows()[0], "2099-01-01"]
    _response, job = post_file(client, start_url(), xlsx_bytes([header, future]))
    assert job is not None and job.status == ImportStatus.INVALID
    assert "登记日期" in str(job.errors)
