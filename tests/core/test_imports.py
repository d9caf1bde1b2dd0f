"""The bulk-import machinery (core/imports/, core/views/imports.py): cell parsing, header
detection, upload checks, the check → apply flow as tasks with progress, all-or-nothing apply,
and the generic pages (permissions, privacy of jobs, htmx polling, template download).

The generic pages are mounted here on a small importer of population figures, so that these
tests do not depend on any app's urls.py; tests/stations and tests/workforce test the two real
importers.
"""

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from swstation import urls as root_urls
from swstation.core import imports
from swstation.core.export import XLSX_CONTENT_TYPE
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import (
    Built,
    CellError,
    Column,
    Importer,
    ImportFileError,
    ImportRow,
    RowInvalid,
    SheetReader,
    check_upload,
    model_values,
    normalise_header,
    parse_bool_cell,
    parse_date_cell,
)
from swstation.core.roles import Role
from swstation.core.views.imports import import_urlpatterns
from swstation.regions.models import Population, Region
from tests.clients import client_for
from tests.conftest import CICHENG

# --- a small importer and a URL configuration for the generic pages -------------------------


class PopulationImporter(Importer):
    """Population figures by region code and year (city admin only, like the model)."""

    model = Population
    title = "人口"
    columns = (
        Column("区划代码", "region_code", required=True),
        Column("年份", "year", required=True),
        Column("常住人口", "population", required=True, aliases=("人口",)),
        Column("备注", "note"),
    )
    key_columns = ("region_code", "year")

    def build(self, row: ImportRow, actor: Any) -> Built:
        errors: list[tuple[str, str]] = []
        region = Region.objects.visible_to(actor).filter(code=row.get("region_code")).first()
        if region is None:
            errors.append(("region_code", f"{row.get('region_code')} 不在辖区内"))
        numbers: dict[str, int] = {}
        for key in ("year", "population"):
            try:
                numbers[key] = int(row.get(key))
            except ValueError:
                errors.append((key, f"“{row.get(key)}” 不是整数"))
        if errors:
            raise RowInvalid(errors)
        existing = (
            Population.objects.visible_to(actor).filter(region=region, year=numbers["year"]).first()
        )
        instance = existing or Population(region=region, year=numbers["year"])
        before = model_values(instance) if existing else {}
        instance.population = numbers["population"]
        self.assign(instance, row, ["note"])
        self.clean(instance, errors)
        if errors:
            raise RowInvalid(errors)
        return Built(
            instance=instance,
            created=existing is None,
            changed=existing is None or model_values(instance) != before,
        )

    def file_keys(self, built: Built) -> list[tuple[str, Any]]:
        instance = built.instance
        assert isinstance(instance, Population)
        return [("year", (instance.region_id, instance.year))]


urlpatterns = [
    *root_urls.urlpatterns,
    path(
        "import-test/",
        include((import_urlpatterns("population", PopulationImporter, prefix=""), "importtest")),
    ),
]
pytestmark = pytest.mark.urls(__name__)

HEADER = ["区划代码", "年份", "常住人口", "备注"]


# --- helpers shared with tests/stations and tests/workforce -------------------------------


def xlsx_bytes(rows: list[list[Any]], *, sheet_title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts(plan: dict[str, Any]) -> dict[str, Any]:
    """What a check or an import would do or did, without the details of the preview."""
    keys = ("create", "update", "created", "updated", "unchanged", "related")
    return {key: plan[key] for key in keys if key in plan}


def upload(content: bytes, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def post_file(
    client: Client, url: str, content: bytes, name: str = "名单.xlsx"
) -> tuple[Any, ImportJob | None]:
    """Upload through the page, then start the check as the job page does when it loads (the
    immediate task backend runs it in that request); the upload's response and the job."""
    before = set(ImportJob.objects.values_list("pk", flat=True))
    response = client.post(url, {"file": upload(content, name)})
    job = ImportJob.objects.exclude(pk__in=before).first()
    if job is not None:
        assert response.status_code == 302
        assert job.status == ImportStatus.PENDING
        client.post(response["Location"], headers={"HX-Request": "true"})
        job.refresh_from_db()
    return response, job


# --- parsing cells and headers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2021, 3, 4, 0, 0), date(2021, 3, 4)),
        (date(2021, 3, 4), date(2021, 3, 4)),
        ("2021-03-04", date(2021, 3, 4)),
        ("2021-3-4", date(2021, 3, 4)),
        ("2021/3/4", date(2021, 3, 4)),
        ("2021.03.04", date(2021, 3, 4)),
        ("2021年3月4日", date(2021, 3, 4)),
        (44259, date(2021, 3, 4)),  # an Excel serial number
    ],
)
def test_dates_are_read_from_excel_dates_and_text(value: Any, expected: date) -> None:
    assert parse_date_cell(value) == expected


@pytest.mark.parametrize("value", ["2021-13-01", "2021-02-30", "去年", "04/03/2021", True])
def test_a_bad_date_names_the_value(value: Any) -> None:
    with pytest.raises(CellError) as caught:
        parse_date_cell(value)
    assert str(value) in caught.value.message
    assert "YYYY-MM-DD" in caught.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("有", True),
        ("无", False),
        (True, True),
        (0, False),
        ("Y", True),
    ],
)
def test_yes_no_cells(value: Any, expected: bool) -> None:
    assert parse_bool_cell(value) is expected


def test_a_bad_yes_no_cell_names_the_value() -> None:
    with pytest.raises(CellError) as caught:
        parse_bool_cell("也许")
    assert "也许" in caught.value.message


def test_choice_cells_accept_labels_and_codes_and_list_them_when_wrong() -> None:
    column = Column(
        "类型", "kind", "choice", choices=(("乡镇(街道)社工站", "township"), ("社工室", "outpost"))
    )
    assert column.parse("乡镇（街道）社工站") == "township"  # full-width brackets
    assert column.parse("outpost") == "outpost"
    assert column.parse("  ") is None
    with pytest.raises(CellError) as caught:
        column.parse("社工中心")
    assert "社工中心" in caught.value.message
    assert "乡镇(街道)社工站、社工室" in caught.value.message


def test_text_cells_lose_excel_number_formatting_and_phones_their_separators() -> None:
    assert Column("代码", "code").parse(330205103000.0) == "330205103000"
    assert Column("代码", "code").parse(" 慈城镇 ") == "慈城镇"
    assert Column("手机号", "phone", "phone").parse("138-0000 0000") == "13800000000"


def test_headers_match_without_spaces_markers_or_full_width_brackets() -> None:
    assert normalise_header(" 所属乡镇（街道）* ") == "所属乡镇(街道)"
    assert normalise_header("站点\n名称：") == "站点名称"


# --- reading a sheet ----------------------------------------------------------------------


def test_header_row_is_found_below_titles_extra_columns_ignored_blank_rows_skipped() -> None:
    content = xlsx_bytes(
        [
            ["江北区人口统计表"],
            ["填报单位：江北区民政局"],
            ["序号", "区划代码 *", "年份", "人口", "填表人"],
            [1, CICHENG, 2020, 1000, "张三"],
            [None, None, None, None, None],
            [2, CICHENG, 2021, "abc", "李四"],
        ]
    )
    reader = SheetReader(PopulationImporter, content)
    rows = list(reader.rows())
    assert reader.header_row == 3
    assert reader.present == {"region_code", "year", "population"}
    assert [r.number for r in rows] == [4, 6]  # Excel's row numbers; the blank row is skipped
    assert rows[0].values == {"region_code": CICHENG, "year": "2020", "population": "1000"}
    assert reader.count() == 2


def test_headers_on_a_later_sheet_are_found() -> None:
    """A cover sheet with a title holds no table: the data sheet is read without asking."""
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.append(["封面"])
    data = workbook.create_sheet("数据")
    data.append(HEADER)
    data.append([CICHENG, 2020, 5, ""])
    buffer = BytesIO()
    workbook.save(buffer)
    reader = SheetReader(PopulationImporter, buffer.getvalue())
    assert reader.sheet.title == "数据"
    assert len(list(reader.rows())) == 1


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(ImportFileError) as caught:
        SheetReader(PopulationImporter, xlsx_bytes([["区划代码", "备注"], [CICHENG, "x"]]))
    assert "年份" in caught.value.message
    assert "常住人口" in caught.value.message
    assert "区划代码" not in caught.value.message


def test_a_required_cell_left_empty_is_reported_by_column() -> None:
    reader = SheetReader(PopulationImporter, xlsx_bytes([HEADER, [CICHENG, None, 5, ""]]))
    (row,) = reader.rows()
    assert [key for key, _message in row.errors] == ["year"]


@pytest.mark.parametrize("name", ["名单.xls", "名单.csv", "名单.pdf", "名单"])
def test_upload_refuses_other_file_types(name: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        check_upload(PopulationImporter, upload(b"whatever", name))
    assert ".xlsx" in caught.value.message


def test_upload_refuses_a_damaged_workbook_and_an_empty_one(monkeypatch: Any) -> None:
    with pytest.raises(ImportFileError) as caught:
        check_upload(PopulationImporter, upload(b"not a zip file at all"))
    assert ".xlsx" in caught.value.message
    with pytest.raises(ImportFileError):
        check_upload(PopulationImporter, upload(xlsx_bytes([HEADER])))
    monkeypatch.setattr(imports.workbook, "MAX_BYTES", 1000)
    big = xlsx_bytes([HEADER, *[[CICHENG, 2000 + n, n, "x" * 50] for n in range(200)]])
    with pytest.raises(ImportFileError) as caught:
        check_upload(PopulationImporter, upload(big))
    assert "MB" in caught.value.message


@pytest.mark.django_db
def test_template_workbook_has_the_headers_and_an_instructions_sheet() -> None:
    workbook = load_workbook(BytesIO(imports.template_workbook(PopulationImporter)))
    first = workbook.worksheets[0]
    assert [c.value for c in first[1]] == HEADER
    notes = workbook.worksheets[1]
    assert notes.title == "填写说明"
    assert [row[0] for row in notes.iter_rows(min_row=2, max_row=5, values_only=True)] == HEADER
    # The template is itself a valid upload once a row is filled in.
    first.append([CICHENG, 2020, 1, ""])
    buffer = BytesIO()
    workbook.save(buffer)
    assert check_upload(PopulationImporter, upload(buffer.getvalue()))


# --- the job flow through the pages --------------------------------------------------------


@pytest.fixture
def admin(users: dict[str, Any]) -> Any:
    return users[Role.CITY_ADMIN]


@pytest.fixture
def villages(db: Any) -> list[str]:
    """Ten village codes of 慈城镇."""
    codes = list(
        Region.objects.filter(parent__code=CICHENG).order_by("code").values_list("code", flat=True)
    )
    assert len(codes) >= 10
    return codes[:10]


def village_codes(count: int) -> list[str]:
    """``count`` village codes of 慈城镇 (it has 46)."""
    codes = list(
        Region.objects.filter(parent__code=CICHENG).order_by("code").values_list("code", flat=True)
    )
    assert len(codes) >= count
    return codes[:count]


def start_url() -> str:
    return reverse("importtest:population_import")


@pytest.mark.django_db
def test_check_then_apply_creates_then_a_second_run_changes_nothing(
    admin: Any, villages: list[str]
) -> None:
    client = client_for(admin)
    rows = [[code, 1990, 1000 + n, "导入"] for n, code in enumerate(villages[:3])]
    response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("importtest:population_import_job", args=[job.pk])
    assert job.status == ImportStatus.VALID
    assert counts(job.plan) == {"create": 3, "update": 0, "unchanged": 0, "related": []}
    assert job.processed_rows == job.total_rows == 3
    assert Population.objects.filter(year=1990).count() == 0  # a check writes nothing

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("importtest:population_import_apply", args=[job.pk]) in page.content.decode()

    response = client.post(reverse("importtest:population_import_apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.result["created"] == 3
    assert job.content == b""  # the file is not kept once imported
    created = Population.objects.filter(year=1990)
    assert created.count() == 3
    assert {p.history.first().history_user for p in created} == {admin}  # type: ignore[attr-defined]
    assert "3" in client.get(response["Location"]).content.decode()
    start_page = client.get(start_url()).content.decode()  # lists the user's recent imports
    assert job.file_name in start_page
    assert reverse("importtest:population_import_job", args=[job.pk]) in start_page

    _response, again = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert again is not None
    assert counts(again.plan) == {"create": 0, "update": 0, "unchanged": 3, "related": []}
    client.post(reverse("importtest:population_import_apply", args=[again.pk]))
    again.refresh_from_db()
    assert counts(again.result) == {"created": 0, "updated": 0, "unchanged": 3, "related": []}
    assert Population.objects.filter(year=1990).count() == 3


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_names_row_and_column(
    admin: Any, villages: list[str]
) -> None:
    client = client_for(admin)
    rows = [
        [villages[0], 1991, 10, ""],
        [villages[1], 1991, "很多", ""],
        [villages[0], 1991, 12, ""],  # the same key as row 2
    ]
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "常住人口"), (4, "年份")]
    assert "很多" in job.errors[0]["message"]
    assert "2" in job.errors[1]["message"]
    page = client.get(reverse("importtest:population_import_job", args=[job.pk])).content.decode()
    assert "常住人口" in page and "很多" in page
    # An invalid file cannot be applied.
    client.post(reverse("importtest:population_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert Population.objects.filter(year=1991).count() == 0


@pytest.mark.django_db
def test_apply_rolls_everything_back_when_a_row_fails_since_the_check(
    admin: Any, region: Any, villages: list[str]
) -> None:
    client = client_for(admin)
    rows = [[code, 1992, 10, ""] for code in villages[:3]]
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None and job.status == ImportStatus.VALID
    # Between the check and the import, the third village leaves the admin's jurisdiction.
    admin.jurisdiction = region(villages[0])
    admin.save()
    client.post(reverse("importtest:population_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message
    assert {e["row"] for e in job.errors} == {3, 4}
    assert Population.objects.filter(year=1992).count() == 0


@pytest.mark.django_db
def test_a_large_file_records_progress_up_to_the_total(
    admin: Any, monkeypatch: Any, villages: list[str]
) -> None:
    seen: list[tuple[int, int]] = []
    original = imports.jobs._save_progress

    def spy(job_id: int, processed: int) -> None:
        original(job_id, processed)
        job = ImportJob.objects.get(pk=job_id)
        seen.append((job.processed_rows, job.total_rows))

    monkeypatch.setattr(imports.jobs, "_save_progress", spy)
    # 20 villages x 50 years: population figures are plausible up to next year only.
    rows = [[code, 1950 + year, year, ""] for code in village_codes(20) for year in range(50)]
    assert len(rows) == 1000
    _response, job = post_file(client_for(admin), start_url(), xlsx_bytes([HEADER, *rows]))
    assert job is not None
    assert seen == [(n, 1000) for n in range(100, 1001, 100)]
    assert job.status == ImportStatus.VALID, job.errors[:3]
    assert job.processed_rows == job.total_rows == 1000
    assert job.plan["create"] == 1000


@pytest.mark.django_db
def test_polling_during_the_check_shows_its_progress(
    admin: Any, villages: list[str], monkeypatch: Any
) -> None:
    """With the immediate backend the upload only records the job; its page starts the check
    with a request of its own, and the page's polls meanwhile see the counters move."""
    client = client_for(admin)
    rows = [[code, 1950 + year, year, ""] for code in village_codes(6) for year in range(50)]
    response = client.post(start_url(), {"file": upload(xlsx_bytes([HEADER, *rows]))})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="load"' in page  # the page starts the check as it loads
    assert 'hx-trigger="every 1s"' in page

    polls: list[str] = []
    original = imports.jobs._save_progress

    def poll_meanwhile(job_id: int, processed: int) -> None:
        original(job_id, processed)
        partial = client.get(response["Location"], headers={"HX-Request": "true"})
        polls.append(partial.content.decode().split('id="import-progress">')[1].split("<")[0])

    monkeypatch.setattr(imports.jobs, "_save_progress", poll_meanwhile)
    final = client.post(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert polls == ["100 / 300", "200 / 300", "300 / 300"]
    assert 'data-status="valid"' in final and "hx-trigger" not in final
    # A second start does nothing.
    client.post(response["Location"], headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID and job.plan["create"] == 300


@pytest.mark.django_db
def test_a_check_that_died_is_reported_instead_of_polled_forever(admin: Any) -> None:
    client = client_for(admin)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, [CICHENG, 1998, 1, ""]]))
    assert job is not None
    long_ago = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, updated_at=long_ago)
    page = client.get(reverse("importtest:population_import_job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert 'data-status="failed"' in page
    assert "hx-trigger" not in page


@pytest.mark.django_db
def test_the_job_page_polls_while_running_and_stops_when_done(admin: Any) -> None:
    client = client_for(admin)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, [CICHENG, 1993, 1, ""]]))
    assert job is not None
    url = reverse("importtest:population_import_job", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, processed_rows=500, total_rows=1000
    )
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "500 / 1000" in partial
    assert 'hx-trigger="every 1s"' in partial
    assert "50%" in partial
    full = client.get(url).content.decode()
    assert "<html" in full and "500 / 1000" in full
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALID, processed_rows=1000)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial


@pytest.mark.django_db
def test_apply_happens_once_even_if_posted_twice(admin: Any) -> None:
    client = client_for(admin)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, [CICHENG, 1994, 1, ""]]))
    assert job is not None
    apply_url = reverse("importtest:population_import_apply", args=[job.pk])
    client.post(apply_url)
    response = client.post(apply_url, follow=True)
    assert response.status_code == 200
    assert Population.objects.filter(year=1994).count() == 1
    assert list(response.context["messages"])  # "cannot be imported now"


@pytest.mark.django_db
def test_upload_errors_are_shown_on_the_form(admin: Any) -> None:
    client = client_for(admin)
    response, job = post_file(client, start_url(), b"a,b\n1,2\n", "人口.csv")
    assert job is None
    assert response.status_code == 200
    assert ".xlsx" in str(response.context["form"].errors["file"])
    response, job = post_file(client, start_url(), xlsx_bytes([["区划代码"], [CICHENG]]))
    assert job is None
    assert "年份" in str(response.context["form"].errors["file"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.CITY_ADMIN])
def test_roles_without_add_and_change_cannot_import(role: str, users: dict[str, Any]) -> None:
    client = client_for(users[role])
    content = xlsx_bytes([HEADER, [CICHENG, 1995, 1, ""]])
    assert client.get(start_url()).status_code == 403
    assert client.post(start_url(), {"file": upload(content)}).status_code == 403
    assert client.get(reverse("importtest:population_import_template")).status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_login_is_required() -> None:
    response = Client().get(start_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_a_job_is_visible_only_to_its_author(admin: Any, make_user: Any) -> None:
    _response, job = post_file(
        client_for(admin), start_url(), xlsx_bytes([HEADER, [CICHENG, 1996, 1, ""]])
    )
    assert job is not None
    other = client_for(make_user(Role.CITY_ADMIN))
    assert other.get(reverse("importtest:population_import_job", args=[job.pk])).status_code == 404
    other.post(reverse("importtest:population_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID
    assert not Population.objects.filter(year=1996).exists()


@pytest.mark.django_db
def test_the_start_page_lists_columns_and_offers_the_template(admin: Any) -> None:
    client = client_for(admin)
    page = client.get(start_url())
    assert page.status_code == 200
    body = page.content.decode()
    for header in HEADER:
        assert header in body
    assert 'id="import-key-help"' not in body  # the population importer documents no key
    template = client.get(reverse("importtest:population_import_template"))
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX_CONTENT_TYPE
    assert load_workbook(BytesIO(template.content)).worksheets[0]["A1"].value == "区划代码"
