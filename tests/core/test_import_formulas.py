"""A cell holding a formula is refused by every importer, with a message naming its row and
column and saying it is a formula (issue 16). Before, the file was read for the values Excel
last calculated: a formula written by a program (or never recalculated) read as empty, so a
formula in 姓名 was reported as 「此列必须填写」 and one in 住址 was imported as nothing."""

from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from swstation.core.import_models import ImportStatus
from swstation.core.imports import SheetReader
from swstation.core.roles import Role
from swstation.recipients.importers import RecipientImporter
from swstation.recipients.models import Recipient
from tests.core.test_imports import client_for, post_file
from tests.recipients.helpers import CICHENG_VILLAGE, id_number
from tests.recipients.test_register_import import HEADER, consenting, start_url
from tests.workforce.helpers import CICHENG, station


def workbook(rows: list[list[Any]], *, literal: tuple[int, int] | None = None) -> bytes:
    """An .xlsx of ``rows``; a cell at ``literal`` (row, column, 1-based) is written as text
    even if it starts with "=" (a string, not a formula)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if literal is not None:
        sheet.cell(*literal).data_type = "s"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(**cells: Any) -> list[Any]:
    defaults = {"姓名": "张桂英", "证件号码": id_number(), "所在村(社区)": CICHENG_VILLAGE}
    return consenting(**{**defaults, **cells})


def read_errors(content: bytes) -> list[tuple[int, str, str]]:
    reader = SheetReader(RecipientImporter, content)
    try:
        return [
            (row.number, RecipientImporter.column(key).header, message)
            for row in reader.rows()
            for key, message in row.errors
        ]
    finally:
        reader.close()


def test_formulas_are_refused_by_row_and_column_saying_so() -> None:
    content = workbook(
        [
            HEADER,
            person(姓名='=HYPERLINK("http://x","张")'),
            person(住址="=A2&B2"),
            person(出生日期="=DATE(1940,3,8)"),
        ]
    )
    errors = read_errors(content)
    assert [(row, column) for row, column, _message in errors] == [
        (2, "姓名"),
        (3, "住址"),
        (4, "出生日期"),
    ]
    for row, column, message in errors:
        assert f"第{row}行" in message and f"「{column}」" in message and "公式" in message
        assert "必须填写" not in message


def test_text_that_merely_starts_with_an_equals_sign_is_text() -> None:
    content = workbook([HEADER, person(住址="=3组12号")], literal=(2, HEADER.index("住址") + 1))
    reader = SheetReader(RecipientImporter, content)
    try:
        (row,) = list(reader.rows())
    finally:
        reader.close()
    assert row.errors == []
    assert row.get("address") == "=3组12号"


@pytest.mark.django_db
def test_an_upload_with_a_formula_is_invalid_and_saves_nothing(users: dict[str, Any]) -> None:
    station(CICHENG)
    client = client_for(users[Role.SOCIAL_WORKER])
    content = workbook([HEADER, person(), person(姓名='=UPPER("li")', 证件号码=id_number())])
    _response, job = post_file(client, start_url(), content)
    assert job is not None
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "姓名")]
    assert "公式" in job.errors[0]["message"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "第3行「姓名」是公式" in page
    assert not Recipient.objects.exists()
