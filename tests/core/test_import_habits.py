"""How the import reads what township offices actually write (issue 19), cell by cell and
sheet by sheet, for every importer (core/imports/cells.py, core/imports/workbook.py): what it
accepts and says it normalised, and what it refuses naming the habit. The whole-file outcomes
are proved by the corpus (tests/core/test_import_corpus.py)."""

from datetime import date, datetime
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from swstation.core.imports import CellError, Column, ImportFileError, SheetReader, parse_date_cell
from swstation.core.imports.cells import CLEARED, CellContext
from swstation.core.imports.workbook import SheetChoiceNeeded
from swstation.recipients.importers import RecipientImporter
from swstation.stations.importers import StationImporter
from swstation.workforce.importers import RosterImporter

ID = Column("证件号码", "document_number", "identifier")
PHONE = Column("手机号", "phone", "phone")


# --- identifiers and phones ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [3.30205195504165e17, 330205195504165258, 13812345678, 13812345678.0, "3.30205E+17", "3.3E17"],
)
@pytest.mark.parametrize("column", [ID, PHONE], ids=["identifier", "phone"])
def test_a_number_in_an_identifier_or_phone_column_is_refused_saying_excel_did_it(
    column: Column, value: Any
) -> None:
    with pytest.raises(CellError) as caught:
        column.parse(value)
    message = caught.value.message
    assert column.header in message
    assert "Excel" in message and "文本" in message  # what happened and how to fix it


def test_every_importers_identifier_columns_refuse_numbers_and_are_text_in_the_template() -> None:
    kinds = {
        (importer.__name__, column.key): column.kind
        for importer in (RecipientImporter, RosterImporter, StationImporter)
        for column in importer.columns
        if column.text_formatted
    }
    assert kinds == {
        ("RecipientImporter", "document_number"): "identifier",
        ("RecipientImporter", "phone"): "phone",
        ("RecipientImporter", "guardian_phone"): "phone",
        ("RecipientImporter", "emergency_contact_phone"): "phone",
        ("RosterImporter", "phone"): "phone",
        ("RosterImporter", "cert_number"): "identifier",
        ("StationImporter", "contact_phone"): "identifier",
    }


def test_spaces_and_full_width_digits_leave_a_number_and_say_so() -> None:
    context = CellContext()
    assert ID.parse(" 330205 19550416 525X ", context) == "33020519550416525X"
    assert ID.parse("３３０２０５１９５５０４１６５２５８", context) == "330205195504165258"
    said = {note.message for note in context.notes}
    assert said == {"去掉了号码中的空格", "全角字符转为半角"}
    assert all(note.example == "" for note in context.notes)  # no personal number in notes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("0574-87000000", "057487000000"),  # a landline keeps its area code
        ("+8613812345678", "13812345678"),
    ],
)
def test_phones_lose_the_country_code_and_separators(value: str, expected: str) -> None:
    assert PHONE.parse(value) == expected


def test_an_identifier_column_keeps_its_hyphens() -> None:
    assert Column("联系电话", "contact_phone", "identifier").parse("0574-87000000") == (
        "0574-87000000"
    )


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "said"),
    [
        (19500301, date(1950, 3, 1), "8 位数字按年月日读作日期"),
        ("19500301", date(1950, 3, 1), "8 位数字按年月日读作日期"),
        ("1950-03-01 00:00:00", date(1950, 3, 1), "去掉了日期后的 00:00:00"),
        ("1950/3/1 0:00", date(1950, 3, 1), "去掉了日期后的 00:00:00"),
        (datetime(1950, 3, 1, 0, 0), date(1950, 3, 1), None),
        (44259, date(2021, 3, 4), "Excel 日期序号读作日期"),
        ("１９５０年３月１日", date(1950, 3, 1), None),
    ],
)
def test_dates_offices_write_are_read_and_said(
    value: Any, expected: date, said: str | None
) -> None:
    context = CellContext()
    assert parse_date_cell(value, context) == expected
    assert [note.message for note in context.notes] == ([said] if said else [])


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(1950, 2, 28, 16, 0), "1950-02-28 16:00"),  # a date shifted by a time zone
        ("1950-03-01 08:30", "1950-03-01 08:30"),
        ("1950.03", "1950.03"),
        ("1950年3月", "1950年3月"),
        ("195003", "195003"),
        (195003, "195003"),
        (1950, "1950"),
        (1950.03, "1950.03"),
        (19501301, "19501301"),
        ("2021-02-30", "2021-02-30"),
    ],
)
def test_dates_that_would_be_guesses_are_refused_naming_the_value(value: Any, shown: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date_cell(value)
    assert shown in caught.value.message


def test_a_year_and_month_is_refused_as_such() -> None:
    with pytest.raises(CellError) as caught:
        parse_date_cell("1950.03")
    assert "年月" in caught.value.message


# --- synonyms and 清空 ----------------------------------------------------------------------


def test_synonyms_of_a_choice_yes_no_and_a_list_of_words() -> None:
    context = CellContext(
        synonyms={
            "sex": {"男性": "男"},
            "yes_no": {"同意": "是", "不同意": "否"},
            "fulltime": {"专职": "是"},
            "category": {"低保户": "低保", "特困供养": "特困"},
        }
    )
    sex = Column(
        "性别", "sex", "choice", choices=(("男", "male"), ("女", "female")), vocabulary="sex"
    )
    assert sex.parse("男性", context) == "male"
    consent = Column("是否同意", "consent_given", "bool")
    assert consent.parse("同意", context) is True
    assert consent.parse("不同意", context) is False
    fulltime = Column("是否专职", "is_fulltime", "bool", vocabulary="fulltime")
    assert fulltime.parse("专职", context) is True
    assert fulltime.parse("同意", context) is True  # the yes/no list applies too
    categories = Column("类别", "categories", vocabulary="category", separator=r"[、,，]+")
    assert categories.parse("低保户，特困供养、独居老人", context) == "低保、特困、独居老人"
    examples = [note.example for note in context.notes]
    assert "低保户 → 低保" in examples and "男性 → 男" in examples
    with pytest.raises(CellError):
        sex.parse("未知", context)


@pytest.mark.parametrize("word", ["清空", "（清空）", "[清空]", " 清空 "])
def test_a_cell_that_says_clear_clears_and_an_empty_one_does_not(word: str) -> None:
    address = Column("住址", "address")
    assert address.parse(word) is CLEARED
    assert address.parse("") is None
    assert Column("出生日期", "birth_date", "date").parse(word) is CLEARED


@pytest.mark.parametrize(
    "column",
    [
        Column("姓名", "name", required=True),
        Column("是否同意", "consent_given", "bool"),
        Column("证件号码", "document_number", "identifier", clearable=False),
    ],
    ids=["required", "yes/no", "declared"],
)
def test_columns_that_cannot_be_cleared_say_so(column: Column) -> None:
    with pytest.raises(CellError) as caught:
        column.parse("清空")
    assert column.header in caught.value.message and "清空" in caught.value.message


# --- sheets, headers and rows ---------------------------------------------------------------

HEADER = ["姓名", "证件号码", "所在村(社区)", "住址"]


def book(*sheets: tuple[str, list[list[Any]]], hidden: str = "") -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title == hidden:
            sheet.sheet_state = "hidden"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def reader(content: bytes, **options: Any) -> SheetReader:
    return SheetReader(RecipientImporter, content, **options)


ROWS = [HEADER, ["张三", "x", "勤丰村", "1号"], ["李四", "y", "勤丰村", "2号"]]


def test_data_on_two_sheets_is_asked_about_naming_the_sheets() -> None:
    content = book(("一组", ROWS), ("二组", ROWS))
    with pytest.raises(SheetChoiceNeeded) as caught:
        reader(content)
    assert caught.value.sheets == ["一组", "二组"]
    assert "「一组」" in caught.value.message and "「二组」" in caught.value.message
    chosen = reader(content, sheet="二组")
    assert chosen.sheet.title == "二组" and len(list(chosen.rows())) == 2
    with pytest.raises(ImportFileError) as caught_missing:
        reader(content, sheet="三组")
    assert "三组" in caught_missing.value.message


def test_a_table_on_another_sheet_is_asked_about_but_not_the_instructions_or_a_hidden_list() -> (
    None
):
    assert reader(book(("台账", ROWS), ("填写说明", ROWS[:2] * 3))).sheet.title == "台账"
    lists = [["低保", "特困"], ["独居", "空巢"]]
    assert reader(book(("台账", ROWS), ("选项", lists), hidden="选项")).sheet.title == "台账"
    with pytest.raises(SheetChoiceNeeded) as caught:
        reader(book(("台账", ROWS), ("统计", [["村", "人数"], ["勤丰村", 2]])))
    assert caught.value.sheets == ["台账", "统计"]


def test_totals_and_signature_lines_are_skipped_and_said() -> None:
    content = book(
        (
            "台账",
            [
                ["慈城镇服务对象台账"],
                HEADER,
                ["张三", "x", "勤丰村", "1号"],
                ["小  计", None, "1人"],
                ["李四", "y", "勤丰村", "2号"],
                [None, "合计：2人"],
                ["填表人：王五", None, "审核人：赵六"],
            ],
        )
    )
    read = reader(content)
    assert [row.number for row in read.rows()] == [3, 5]
    assert read.skipped == [(4, "小  计"), (6, "合计：2人"), (7, "填表人：王五")]
    assert read.summary()["skipped_count"] == 3


def test_common_names_of_columns_are_read_and_said() -> None:
    content = book(
        (
            "台账",
            [
                ["姓名", "证件号码（18位）", "现居住地址", "出生年月", "所在村"],
                ["张三", "x", "1号", "1950-03-01", "勤丰村"],
            ],
        )
    )
    read = reader(content)
    assert {key: read.header_text(i) for key, i in read.positions.items()} == {
        "name": "姓名",
        "document_number": "证件号码（18位）",
        "address": "现居住地址",
        "birth_date": "出生年月",
        "region": "所在村",
    }
    said = " ".join(read.summary()["file_notes"])
    assert "「证件号码（18位）」列按「证件号码」读取" in said
    assert "「出生年月」列按「出生日期」读取" in said
    assert "所在村」列" not in said  # an alias of the importer's own: nothing to say
    roster = SheetReader(
        RosterImporter,
        book(
            (
                "花名册",
                [
                    ["姓名", "手机号", "入职时间", "离职时间"],
                    ["张三", "13800000001", "2020-01-01", ""],
                ],
            )
        ),
    )
    assert {"hired_on", "left_on"} <= roster.present


def test_every_column_not_imported_is_named_with_or_without_a_header() -> None:
    content = book(
        (
            "台账",
            [
                ["序号", *HEADER, "户籍地", "备用"],
                [1, "张三", "x", "勤丰村", "1号", "慈城", None, None, "旁注"],
            ],
        )
    )
    read = reader(content)
    list(read.rows())
    ignored = [(e["letter"], e["header"], e["has_data"], e["reason"]) for e in read.ignored()]
    assert ignored == [
        ("A", "序号", True, "序号"),
        ("F", "户籍地", True, "不是本导入的列"),
        ("G", "备用", False, "不是本导入的列"),
        ("I", "", True, "有数据但没有列标题"),
    ]


def test_a_column_the_user_maps_is_read_as_that_column() -> None:
    content = book(("台账", [[*HEADER, "出生日"], ["张三", "x", "勤丰村", "1号", "1950-03-01"]]))
    assert "birth_date" not in reader(content).present
    mapped = reader(content, mapping={"4": "birth_date"})
    (row,) = list(mapped.rows())
    assert row.get("birth_date") == date(1950, 3, 1)
    assert mapped.ignored() == []
    assert "「出生日」列按您的选择读作「出生日期」" in " ".join(mapped.summary()["file_notes"])


def test_a_missing_column_names_the_file_columns_that_were_not_read() -> None:
    with pytest.raises(ImportFileError) as caught:
        reader(book(("台账", [["户主姓名", "证件号码", "所在村(社区)"], ["张三", "x", "勤丰村"]])))
    assert "姓名" in caught.value.message and "「户主姓名」" in caught.value.message


def merged(ref: str, rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    sheet.merge_cells(ref)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_cells_merged_down_are_read_in_each_row_but_never_a_number() -> None:
    rows = [
        HEADER,
        ["张三", "a", "勤丰村", "1号"],
        ["李四", "b", None, "2号"],
        ["王五", "c", None, "3号"],
        ["赵六", "d", "东镇村", "4号"],
    ]
    read = reader(merged("C2:C4", rows))
    parsed = list(read.rows())
    assert [row.get("region") for row in parsed] == ["勤丰村", "勤丰村", "勤丰村", "东镇村"]
    assert [row.notes for row in parsed][1][0][1].example == "2–4"
    numbers = reader(merged("B2:B3", rows))
    errors = [row.errors for row in numbers.rows()]
    assert errors[0] == [] and errors[1][0][0] == "document_number"
    assert "合并" in errors[1][0][1]
