"""Importing the station list from .xlsx (stations/importers.py) through the generic import
pages: create, re-import unchanged, update, one bad row saves nothing (with row and column),
jurisdiction, the model's own placement rules, and the roles that may import."""

from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from django.urls import include, path, reverse
from openpyxl import load_workbook

from swstation import urls as root_urls
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.roles import ALL_ROLES, Role
from swstation.core.views.imports import import_urlpatterns
from swstation.regions.models import Region
from swstation.stations.importers import StationImporter
from swstation.stations.models import ServiceAgency, Station
from tests.conftest import CICHENG, JIANGBEI, YUEHU
from tests.core.test_imports import client_for, counts, post_file, upload, xlsx_bytes

urlpatterns = [
    *root_urls.urlpatterns,
    path(
        "station-import-test/",
        include((import_urlpatterns("station", StationImporter, prefix=""), "stationimport")),
    ),
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

CICHENG_VILLAGE = "330205103201"  # 勤丰村委会
HEADER = [
    "序号",
    "站点名称",
    "类型",
    "特色站类型",
    "所属区划代码",
    "所属乡镇（街道）",
    "地址",
    "建成日期",
    "状态",
    "运营模式",
    "运营机构",
    "合同开始",
    "合同结束",
    "联系人",
    "联系电话",
    "标识牌",
]
CREDIT_CODE = "52330205MJ0000001X"


def start_url() -> str:
    return reverse("stationimport:station_import")


def apply_url(job: ImportJob) -> str:
    return reverse("stationimport:station_import_apply", args=[job.pk])


@pytest.fixture
def officer(users: dict[str, Any]) -> Any:
    return users[Role.DISTRICT_OFFICER]  # 江北区


@pytest.fixture
def agency(db: Any) -> ServiceAgency:
    return ServiceAgency.objects.create(
        name="宁波市江北区慈孝社会工作服务中心",
        credit_code=CREDIT_CODE,
        region=Region.objects.get(code=JIANGBEI),
    )


def valid_rows() -> list[list[Any]]:
    return [
        [
            1,
            "慈城镇社会工作站",
            "乡镇(街道)社工站",
            "",
            CICHENG,
            "慈城镇",
            "慈城镇解放路1号",
            datetime(2020, 6, 1),  # an Excel date
            "运营中",
            "委托社会工作服务机构运营",
            CREDIT_CODE,
            "2023-01-01",  # text dates
            "2025-12-31",
            "王站长",
            "0574-87000000",
            "是",
        ],
        [
            2,
            "慈城中学学校社工站",
            "特色社工站",
            "学校",
            "",
            "慈城镇",  # by name only
            "",
            "2022/9/1",
            "运营中",
            "",
            "",
            "",
            "",
            "",
            "",
            "否",
        ],
        # An outpost: its township station is the one the first row creates.
        [
            3,
            "勤丰村社工室",
            "社工室",
            "",
            CICHENG_VILLAGE,
            "",
            "",
            "",
            "筹建中",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]


def test_a_valid_file_creates_every_station_then_a_second_run_changes_nothing(
    officer: Any, agency: ServiceAgency
) -> None:
    client = client_for(officer)
    content = xlsx_bytes([HEADER, *valid_rows()])
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 3
    assert not Station.objects.exists()

    client.post(apply_url(job))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert job.result["created"] == 3
    township = Station.objects.get(name="慈城镇社会工作站")
    assert township.kind == "township"
    assert township.region.code == CICHENG
    assert township.opened_on.isoformat() == "2020-06-01"
    assert township.contract_end.isoformat() == "2025-12-31"
    assert township.agency == agency
    assert township.operating_model == "commissioned_agency"
    assert township.has_sign is True
    assert township.history.first().history_user == officer  # type: ignore[attr-defined]
    school = Station.objects.get(name="慈城中学学校社工站")
    assert (school.kind, school.special_kind, school.region.code) == ("special", "school", CICHENG)
    outpost = Station.objects.get(name="勤丰村社工室")
    assert outpost.parent_station == township
    assert outpost.status == "planned"

    _response, again = post_file(client, start_url(), content)
    assert again is not None
    assert counts(again.plan) == {"create": 0, "update": 0, "unchanged": 3, "related": []}
    client.post(apply_url(again))
    again.refresh_from_db()
    assert again.result["created"] == 0
    assert Station.objects.count() == 3


def test_a_changed_cell_updates_the_station_and_empty_cells_keep_values(
    officer: Any, agency: ServiceAgency
) -> None:
    client = client_for(officer)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *valid_rows()]))
    assert job is not None
    client.post(apply_url(job))
    rows = valid_rows()
    rows[0][6] = "慈城镇新址路8号"
    rows[0][14] = ""  # an empty phone leaves the stored one
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert counts(job.plan) == {"create": 0, "update": 1, "unchanged": 2, "related": []}
    client.post(apply_url(job))
    township = Station.objects.get(name="慈城镇社会工作站")
    assert township.address == "慈城镇新址路8号"
    assert township.contact_phone == "0574-87000000"
    assert township.history.count() == 2  # type: ignore[attr-defined]


def test_one_bad_row_saves_nothing_and_each_error_names_row_and_column(
    officer: Any, agency: ServiceAgency
) -> None:
    rows = valid_rows()
    bad_code = [
        4,
        "甲站",
        "特色社工站",
        "企业",
        "33020510300",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    outside = [5, "乙站", "特色社工站", "企业", YUEHU, "", "", "", "", "", "", "", "", "", "", ""]
    bad_date = [
        6,
        "丙站",
        "特色社工站",
        "企业",
        CICHENG,
        "",
        "",
        "2020-13-01",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    bad_agency = [
        7,
        "丁站",
        "特色社工站",
        "企业",
        CICHENG,
        "",
        "",
        "",
        "",
        "",
        "无名机构",
        "",
        "",
        "",
        "",
        "",
    ]
    content = xlsx_bytes([HEADER, *rows, bad_code, outside, bad_date, bad_agency])
    client = client_for(officer)
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(5, "所属区划代码"), (6, "所属区划代码"), (7, "建成日期"), (8, "运营机构")}
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "33020510300" in messages[5]
    assert YUEHU in messages[6]
    assert "2020-13-01" in messages[7]
    assert "无名机构" in messages[8]
    page = client.get(reverse("stationimport:station_import_job", args=[job.pk])).content.decode()
    for header in ("所属区划代码", "建成日期", "运营机构"):
        assert header in page
    client.post(apply_url(job))
    assert not Station.objects.exists()


def test_the_model_rules_are_checked_and_mapped_to_columns(officer: Any) -> None:
    rows = [
        # A township station in a village breaks Station.clean's placement rule.
        [
            1,
            "错站",
            "乡镇(街道)社工站",
            "",
            CICHENG_VILLAGE,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        # An operating station needs an opening date; a commissioned one its agency.
        [
            2,
            "缺站",
            "特色社工站",
            "医务",
            CICHENG,
            "",
            "",
            "",
            "运营中",
            "委托运营",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        # A special station must say which kind.
        [3, "特站", "特色社工站", "", CICHENG, "", "", "", "", "", "", "", "", "", "", ""],
        # The region's name must match its code.
        [
            4,
            "名站",
            "特色社工站",
            "学校",
            CICHENG,
            "月湖街道",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    _response, job = post_file(client_for(officer), start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    found = {(e["row"], e["column"]) for e in job.errors}
    assert (2, "所属区划代码") in found
    assert (3, "建成日期") in found
    assert (3, "运营机构") in found
    assert (4, "特色站类型") in found
    assert (5, "所属乡镇(街道)") in found
    assert not Station.objects.exists()


def test_a_second_township_station_or_a_duplicate_row_is_refused(officer: Any) -> None:
    existing = Station.objects.create(
        name="慈城镇社工站", kind="township", region=Region.objects.get(code=CICHENG)
    )
    rows = [
        [
            1,
            "慈城新社工站",
            "乡镇(街道)社工站",
            "",
            CICHENG,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [2, "甲站", "特色社工站", "企业", CICHENG, "", "", "", "", "", "", "", "", "", "", ""],
        [3, "甲站", "特色社工站", "企业", CICHENG, "", "", "", "", "", "", "", "", "", "", ""],
    ]
    _response, job = post_file(client_for(officer), start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert existing.name in errors[(2, "所属区划代码")]
    assert "3" in errors[(4, "站点名称")]  # same as row 3
    assert Station.objects.count() == 1


def test_a_file_without_the_region_columns_is_refused_at_upload(officer: Any) -> None:
    client = client_for(officer)
    response = client.post(
        start_url(), {"file": upload(xlsx_bytes([["站点名称", "类型"], ["甲站", "特色社工站"]]))}
    )
    assert response.status_code == 200
    error = str(response.context["form"].errors["file"])
    assert "所属区划代码" in error and "所属乡镇(街道)" in error
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_only_roles_that_add_and_change_stations_may_import(
    role: str, users: dict[str, Any]
) -> None:
    client = client_for(users[role])
    allowed = role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
    assert client.get(start_url()).status_code == (200 if allowed else 403)
    response = client.post(start_url(), {"file": upload(xlsx_bytes([HEADER, *valid_rows()[2:]]))})
    assert response.status_code == (302 if allowed else 403)
    assert ImportJob.objects.exists() is allowed


def test_the_start_page_explains_which_station_a_row_updates(officer: Any) -> None:
    body = client_for(officer).get(start_url()).content.decode()
    assert 'id="import-key-help"' in body
    assert "所属区划代码 / 所属乡镇(街道)" in body


def test_the_template_download_lists_the_station_columns(officer: Any) -> None:
    response = client_for(officer).get(reverse("stationimport:station_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["站点名称", "类型", "特色站类型"]
    assert "所属区划代码" in headers and "标识牌" in headers
