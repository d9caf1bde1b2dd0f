"""Importing a social-worker roster from .xlsx (workforce/importers.py) through the generic
import pages: people and their certificates are created, a second run changes nothing, one bad
row saves nothing (row and column named), jurisdiction, roles, and a 1,000-row file's progress."""

from datetime import date, datetime
from typing import Any

import pytest
from django.urls import include, path, reverse

from swstation import urls as root_urls
from swstation.core import imports
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.roles import ALL_ROLES, Role
from swstation.core.views.imports import import_urlpatterns
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station
from swstation.workforce.importers import RosterImporter
from swstation.workforce.models import Certificate, SocialWorker
from tests.conftest import CICHENG, YUEHU
from tests.core.test_imports import client_for, counts, post_file, upload, xlsx_bytes

urlpatterns = [
    *root_urls.urlpatterns,
    path(
        "roster-import-test/",
        include((import_urlpatterns("socialworker", RosterImporter, prefix=""), "rosterimport")),
    ),
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

HEADER = [
    "姓名",
    "性别",
    "出生日期",
    "手机号",
    "所在社工站",
    "所在机构",
    "岗位",
    "是否专职",
    "是否专职社区工作者",
    "入职日期",
    "离职日期",
    "学历",
    "证书等级",
    "证书编号",
    "取得日期",
]
STATION = "慈城镇社会工作站"
AGENCY = "宁波市江北区慈孝社会工作服务中心"


def start_url() -> str:
    return reverse("rosterimport:socialworker_import")


def apply(client: Any, job: ImportJob) -> ImportJob:
    client.post(reverse("rosterimport:socialworker_import_apply", args=[job.pk]))
    job.refresh_from_db()
    return job


@pytest.fixture
def station(db: Any) -> Station:
    return Station.objects.create(
        name=STATION, kind="township", region=Region.objects.get(code=CICHENG)
    )


@pytest.fixture
def agency(db: Any) -> ServiceAgency:
    # Registered in 慈城镇: a station manager sees only the agencies of their township.
    return ServiceAgency.objects.create(
        name=AGENCY, credit_code="52330205MJ0000001X", region=Region.objects.get(code=CICHENG)
    )


@pytest.fixture
def manager(users: dict[str, Any]) -> Any:
    return users[Role.STATION_MANAGER]  # 慈城镇


def valid_rows() -> list[list[Any]]:
    return [
        [
            "张丽",
            "女",
            datetime(1990, 5, 4),
            "13800000001",
            STATION,
            AGENCY,
            "站长",
            "是",
            "否",
            "2020-07-01",
            "",
            "本科",
            "社会工作师",
            "Z2021330200001",
            "2021-06-30",
        ],
        [
            "王强",
            "男",
            "1995/1/2",
            "138 0000 0002",
            STATION,
            "",
            "社工",
            "是",
            "是",
            datetime(2021, 3, 1),
            "",
            "大专",
            "助理社会工作师",
            "A2022330200002",
            datetime(2022, 6, 30),
        ],
        [
            "李梅",
            "女",
            "",
            "13800000003",
            STATION,
            "",
            "社工助理",
            "否",
            "否",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def test_a_valid_roster_creates_people_and_certificates_then_changes_nothing(
    manager: Any, station: Station, agency: ServiceAgency
) -> None:
    client = client_for(manager)
    content = xlsx_bytes([HEADER, *valid_rows()])
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 3
    assert [r["create"] for r in job.plan["related"]] == [2]
    assert not SocialWorker.objects.exists()

    job = apply(client, job)
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert job.result["created"] == 3
    assert [r["created"] for r in job.result["related"]] == [2]  # the certificates
    page = client.get(reverse("rosterimport:socialworker_import_job", args=[job.pk]))
    assert 'id="import-result"' in page.content.decode()
    zhang = SocialWorker.objects.get(name="张丽")
    assert zhang.station == station and zhang.region.code == CICHENG
    assert zhang.agency == agency
    assert (zhang.gender, zhang.post, zhang.education) == ("female", "station_director", "bachelor")
    assert zhang.birth_date == date(1990, 5, 4)
    assert zhang.hired_on == date(2020, 7, 1)
    assert zhang.history.first().history_user == manager  # type: ignore[attr-defined]
    wang = SocialWorker.objects.get(name="王强")
    assert wang.phone == "13800000002"
    assert wang.is_community_worker is True
    li = SocialWorker.objects.get(name="李梅")
    assert li.phone == "13800000003" and li.is_fulltime is False
    certificate = Certificate.objects.get(number="Z2021330200001")
    assert (certificate.social_worker, certificate.level) == (zhang, "intermediate")
    assert certificate.history.first().history_user == manager  # type: ignore[attr-defined]
    assert Certificate.objects.count() == 2

    _response, again = post_file(client, start_url(), content)
    assert again is not None
    assert counts(again.plan) == {"create": 0, "update": 0, "unchanged": 3, "related": []}
    again = apply(client, again)
    assert again.status == ImportStatus.DONE
    assert SocialWorker.objects.count() == 3
    assert Certificate.objects.count() == 2


def test_a_later_roster_updates_a_person_and_adds_a_certificate(
    manager: Any, station: Station, agency: ServiceAgency
) -> None:
    client = client_for(manager)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *valid_rows()]))
    assert job is not None
    apply(client, job)
    row = ["李梅", "", "", "13800000003", "", "", "", "是", "", "", "", "", "助理社会工作师"]
    row += ["A2023330200003", "2023-06-30"]
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, row]))
    assert job is not None
    assert job.plan["update"] == 1
    assert job.plan["related"][0]["create"] == 1
    job = apply(client, job)
    li = SocialWorker.objects.get(name="李梅")
    assert li.is_fulltime is True
    assert li.station == station  # an empty cell keeps the stored value
    assert li.certificates.get().number == "A2023330200003"


def test_one_bad_row_saves_nothing_and_names_row_and_column(
    manager: Any, station: Station, agency: ServiceAgency
) -> None:
    Station.objects.create(
        name="月湖街道社会工作站", kind="township", region=Region.objects.get(code=YUEHU)
    )
    rows = valid_rows()
    # An unreadable cell does not hide the row's other problems.
    unknown_station = ["赵一", "男", "", "13800000011", "不存在社工站", "", "", "也许"] + [""] * 7
    outside_station = ["钱二", "男", "", "13800000012", "月湖街道社会工作站"] + [""] * 10
    bad_date = ["孙三", "男", "1990-02-30", "13800000013", STATION] + [""] * 10
    bad_phone = ["李四", "男", "", "2800000014", STATION] + [""] * 10
    taken_number = ["周五", "女", "", "13800000015", STATION] + [""] * 7
    taken_number += ["助理社会工作师", "Z2021330200001", "2021-06-30"]  # 张丽's number
    half_certificate = ["吴六", "女", "", "13800000016", STATION] + [""] * 7
    half_certificate += ["社会工作师", "", ""]
    content = xlsx_bytes(
        [
            HEADER,
            *rows,
            unknown_station,
            outside_station,
            bad_date,
            bad_phone,
            taken_number,
            half_certificate,
        ]
    )
    client = client_for(manager)
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (5, "所在社工站"),
        (5, "是否专职"),
        (6, "所在社工站"),
        (7, "出生日期"),
        (8, "手机号"),
        (9, "证书编号"),
        (10, "证书编号"),
        (10, "取得日期"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "不存在社工站" in messages[(5, "所在社工站")]
    assert "月湖街道社会工作站" in messages[(6, "所在社工站")]
    assert "1990-02-30" in messages[(7, "出生日期")]
    assert "2" in messages[(9, "证书编号")]  # the number of 张丽, on row 2
    page = client.get(
        reverse("rosterimport:socialworker_import_job", args=[job.pk])
    ).content.decode()
    assert "所在社工站" in page and "不存在社工站" in page
    apply(client, job)
    assert not SocialWorker.objects.exists()
    assert not Certificate.objects.exists()


def test_a_certificate_number_of_someone_else_is_refused(
    manager: Any, station: Station, agency: ServiceAgency
) -> None:
    client = client_for(manager)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *valid_rows()]))
    assert job is not None
    apply(client, job)
    row = ["王强", "", "", "13800000002", "", "", "", "", "", "", "", ""]
    row += ["社会工作师", "Z2021330200001", "2023-06-30"]  # 张丽's number
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, row]))
    assert job is not None
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "证书编号")]
    assert "Z2021330200001" in job.errors[0]["message"]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_only_roles_that_add_and_change_people_may_import(
    role: str, users: dict[str, Any], station: Station
) -> None:
    client = client_for(users[role])
    allowed = role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STATION_MANAGER)
    assert client.get(start_url()).status_code == (200 if allowed else 403)
    response = client.post(start_url(), {"file": upload(xlsx_bytes([HEADER, valid_rows()[2]]))})
    assert response.status_code == (302 if allowed else 403)
    assert ImportJob.objects.exists() is allowed
    assert SocialWorker.objects.exists() is False  # checked, not applied


def test_people_without_a_station_need_a_region_inside_the_jurisdiction(manager: Any) -> None:
    header = ["姓名", "手机号", "所在区划代码"]
    rows = [["甲", "13800000021", CICHENG], ["乙", "13800000022", YUEHU], ["丙", "13800000023", ""]]
    _response, job = post_file(client_for(manager), start_url(), xlsx_bytes([header, *rows]))
    assert job is not None
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "所在区划代码"), (4, "所在社工站")}


def test_a_1000_row_roster_reports_progress_up_to_the_total_and_imports_all(
    manager: Any, station: Station, monkeypatch: Any
) -> None:
    seen: list[int] = []
    original = imports.jobs._save_progress

    def spy(job_id: int, processed: int) -> None:
        original(job_id, processed)
        seen.append(ImportJob.objects.get(pk=job_id).processed_rows)

    monkeypatch.setattr(imports.jobs, "_save_progress", spy)
    rows = [
        [f"社工{n:04d}", "", "", f"139{n:08d}", STATION, "", "", "是", "", "", "", "", "", "", ""]
        for n in range(1000)
    ]
    client = client_for(manager)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert seen == list(range(100, 1001, 100))
    assert job.status == ImportStatus.VALID, job.errors[:3]
    assert job.processed_rows == job.total_rows == 1000
    assert job.plan["create"] == 1000
    job = apply(client, job)
    assert job.status == ImportStatus.DONE
    assert job.result["created"] == 1000
    assert SocialWorker.objects.filter(station=station).count() == 1000
