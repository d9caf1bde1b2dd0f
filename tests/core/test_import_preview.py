"""What the import pages say and ask before anything is written (issue 19): the sheet to import
when several hold data, the columns not imported (and reading one as a column of the import),
every field an update changes (old → new), and a template whose number columns are text and
whose 类别 column offers the categories."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import template_workbook
from swstation.core.roles import Role
from swstation.recipients.importers import RecipientImporter
from swstation.recipients.models import Recipient
from swstation.workforce.importers import RosterImporter
from tests.core.test_imports import client_for, post_file, upload, xlsx_bytes
from tests.recipients.helpers import CICHENG_VILLAGE, id_number, make_recipient
from tests.recipients.test_register_import import HEADER, consenting, row, start_url
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db
VILLAGE = {"所在村(社区)": "勤丰村"}


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    station(CICHENG)
    return users[Role.SOCIAL_WORKER]


def job_page(client: Any, job: ImportJob) -> str:
    return client.get(reverse("recipients:recipient_import_job", args=[job.pk])).content.decode()


def two_sheets() -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "勤丰村"
    for values in (HEADER, consenting(姓名="张桂英", 证件号码=id_number(), **VILLAGE)):
        first.append(values)
    second = book.create_sheet("东镇村")
    for values in (
        HEADER,
        consenting(姓名="王福根", 证件号码=id_number(), **{"所在村(社区)": "东镇村"}),
    ):
        second.append(values)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_data_on_two_sheets_asks_which_one(worker: Any) -> None:
    client = client_for(worker)
    content = two_sheets()
    response = client.post(start_url(), {"file": upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "「勤丰村」" in page and "「东镇村」" in page
    assert 'name="sheet"' in page and '<option value="东镇村">' in page
    assert not ImportJob.objects.exists()

    response = client.post(
        start_url(),
        {"file": upload(content), "sheet": "东镇村", "sheet_choices": ["勤丰村", "东镇村"]},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.sheet == "东镇村"
    client.post(response["Location"], headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 1 and job.plan["sheet"] == "东镇村"
    assert "导入的工作表：「东镇村」" in job_page(client, job)


def test_a_column_not_imported_is_named_and_can_be_read_as_a_column(worker: Any) -> None:
    client = client_for(worker)
    header = [*HEADER, "出生日", "户籍地"]
    values = consenting(姓名="李建国", 证件号码=id_number(date(1950, 3, 1)), **VILLAGE)
    content = xlsx_bytes([header, [*values, "1950-03-01", "慈城镇"]])
    _response, job = post_file(client, start_url(), content)
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert [(e["header"], e["has_data"]) for e in job.plan["ignored"]] == [
        ("出生日", True),
        ("户籍地", True),
    ]
    page = job_page(client, job)
    assert 'id="import-ignored"' in page and "出生日" in page and "户籍地" in page
    birthday = len(HEADER)
    assert f'name="column_{birthday}"' in page

    map_url = reverse("recipients:recipient_import_map", args=[job.pk])
    response = client.post(map_url, {f"column_{birthday}": "birth_date"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING and job.column_map == {str(birthday): "birth_date"}
    client.post(response["Location"], headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    # The file's own (empty) 出生日期 column is now the one not read, and said so.
    assert [(e["header"], e["has_data"]) for e in job.plan["ignored"]] == [
        ("出生日期", False),
        ("户籍地", True),
    ]
    assert "「出生日」列按您的选择读作「出生日期」" in " ".join(job.plan["file_notes"])
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    assert Recipient.objects.get(name="李建国").birth_date == date(1950, 3, 1)


def test_a_job_that_is_not_a_checked_file_cannot_be_remapped(worker: Any) -> None:
    client = client_for(worker)
    content = xlsx_bytes([[*HEADER, "出生日"], [*row(姓名="无同意"), "1950-03-01"]])
    _response, job = post_file(client, start_url(), content)
    assert job is not None and job.status == ImportStatus.INVALID
    page = job_page(client, job)
    assert "出生日" in page and 'name="column_' not in page  # named, but the file is gone
    client.post(reverse("recipients:recipient_import_map", args=[job.pk]), {"column_19": "sex"})
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID and job.column_map == {}


def test_the_preview_lists_every_field_an_update_changes_and_forgets_them_once_imported(
    worker: Any,
) -> None:
    number = id_number(date(1955, 4, 16), serial=524)
    person = make_recipient(
        CICHENG_VILLAGE, "俞红欣", number=number, phone="13900002222", address="中华路5号"
    )
    client = client_for(worker)
    update = row(
        姓名="俞红欣",
        证件号码=number,
        住址="新街8号",
        手机号="13911112222",
        **{"所在村(社区)": "勤丰村"},
    )
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, update]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    (change,) = job.plan["changes"]
    assert change["row"] == 2 and change["record"] == "俞红欣"
    fields = {label: (old, new) for label, old, new in change["fields"]}
    # Numbers are shown masked, as everywhere (a full view is a logged reveal).
    assert fields == {"住址": ("中华路5号", "新街8号"), "手机号": ("139****2222", "139****2222")}
    page = job_page(client, job)
    assert 'id="import-changes"' in page
    assert "中华路5号" in page and "新街8号" in page
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.plan["changes"] == []  # the old and new values go with the file
    person.refresh_from_db()
    assert person.address == "新街8号"


def test_the_template_keeps_numbers_as_text_and_offers_the_categories() -> None:
    book = load_workbook(BytesIO(template_workbook(RecipientImporter)))
    sheet, notes = book.worksheets
    headers = [cell.value for cell in sheet[1]]
    for header in ("证件号码", "手机号", "监护人电话", "紧急联系人电话"):
        column = headers.index(header) + 1
        assert sheet.cell(row=2, column=column).number_format == "@", header
        assert sheet.cell(row=500, column=column).number_format == "@", header
    assert sheet.cell(row=2, column=headers.index("姓名") + 1).number_format == "General"
    letter = sheet.cell(row=1, column=headers.index("类别") + 1).column_letter
    (validation,) = [v for v in sheet.data_validations.dataValidation if letter in str(v.sqref)]
    assert validation.type == "list" and "填写说明" in validation.formula1
    listed = [
        cell.value
        for cell in notes[validation.formula1.split("!")[1].replace("$", "").split(":")[0][0]]
    ]
    assert listed[0] == "类别" and {"低保", "特困", "独居老人"} <= set(listed)
    roster = load_workbook(BytesIO(template_workbook(RosterImporter))).worksheets[0]
    roster_headers = [cell.value for cell in roster[1]]
    assert roster.cell(row=2, column=roster_headers.index("证书编号") + 1).number_format == "@"
