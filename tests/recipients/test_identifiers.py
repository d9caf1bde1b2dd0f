"""spec/identifiers.md, rule by rule."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from swstation.recipients.identifiers import (
    DocumentType,
    Sex,
    id_check_character,
    mask_id_number,
    parse_18_character_number,
    validate_document,
    validate_mobile,
)

TODAY = date(2026, 11, 22)


def with_check(first17: str) -> str:
    return first17 + id_check_character(first17)


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # the spec's example: r = 2 → X
        ("33020519800101001", "2"),
        ("33020319750615123", with_check("33020319750615123")[-1]),
    ],
)
def test_check_character(first17: str, check: str) -> None:
    assert id_check_character(first17) == check


def test_every_remainder_maps_to_the_spec_table() -> None:
    """r = 0..10 → 1 0 X 9 8 7 6 5 4 3 2: find a number for each remainder and check."""
    seen = {}
    for serial in range(1000):
        first17 = f"33020519800101{serial:03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        r = sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11
        seen.setdefault(r, id_check_character(first17))
    assert seen == dict(enumerate("10X98765432"))


def test_example_number_is_valid_female_born_1949_12_31() -> None:
    parsed = parse_18_character_number("11010519491231002X", today=TODAY)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == Sex.FEMALE
    assert parsed.address_code == "110105"


def test_lower_case_x_is_accepted_and_stored_upper_case() -> None:
    assert parse_18_character_number("11010519491231002x", today=TODAY).number.endswith("X")


def test_odd_sequence_is_male() -> None:
    number = with_check("33020519800101001")
    assert parse_18_character_number(number, today=TODAY).sex == Sex.MALE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1101051949123100", "length"),
        ("11010519491231002XX", "length"),
        ("1101051949123100AX", "characters"),
        ("110105194912310021", "check_character"),
        (with_check("11010519490231002"), "birth_date"),  # 31 February
        (with_check("11010520991231002"), "birth_date"),  # in the future
        (with_check("11010518001231002"), "birth_date"),  # impossible age
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_18_character_number(value, today=TODAY)
    assert caught.value.code == code


def test_typed_birth_date_or_sex_that_disagree_are_reported() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_document(
            DocumentType.RESIDENT_ID,
            "11010519491231002X",
            birth_date=date(1950, 1, 1),
            sex=Sex.MALE,
            today=TODAY,
        )
    assert len(caught.value.messages) == 2
    number, parsed = validate_document(
        DocumentType.RESIDENT_ID,
        "11010519491231002x",
        birth_date=date(1949, 12, 31),
        sex=Sex.FEMALE,
        today=TODAY,
    )
    assert number == "11010519491231002X" and parsed is not None


@pytest.mark.parametrize(
    ("document_type", "number", "ok"),
    [
        (DocumentType.HK_MACAO_PERMIT, with_check("81000019900101001"), True),
        (DocumentType.HK_MACAO_PERMIT, with_check("82000019900101001"), True),
        (DocumentType.HK_MACAO_PERMIT, with_check("83000019900101001"), False),
        (DocumentType.TAIWAN_PERMIT, with_check("83000019900101001"), True),
        (DocumentType.TAIWAN_PERMIT, with_check("33020519900101001"), False),
        (DocumentType.RESIDENT_ID, with_check("83000019900101001"), False),
        (DocumentType.FOREIGNER_PERMANENT, with_check("93310019900101001"), True),
        (DocumentType.FOREIGNER_PERMANENT, "USA330219900101", True),  # pre-2023 layout
        (DocumentType.FOREIGNER_PERMANENT, with_check("33020519900101001"), False),
        (DocumentType.PASSPORT, "E12345678", True),
        (DocumentType.PASSPORT, "e1234", True),
        (DocumentType.PASSPORT, "E12-345", False),
    ],
)
def test_other_documents_have_their_own_checks(document_type: str, number: str, ok: bool) -> None:
    if ok:
        validate_document(document_type, number, today=TODAY)
    else:
        with pytest.raises(ValidationError):
            validate_document(document_type, number, today=TODAY)


def test_no_document_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        validate_document(DocumentType.NONE, "", today=TODAY)
    assert validate_document(DocumentType.NONE, "", no_document_reason="流浪人员，无证件") == (
        "",
        None,
    )


def test_masking() -> None:
    assert mask_id_number("33020519800101123X") == "3302**********123X"
    assert mask_id_number("E1234567") == "********"


@pytest.mark.parametrize(
    ("value", "ok"),
    [("13812345678", True), ("138 1234 5678", True), ("23812345678", False), ("1381234567", False)],
)
def test_mobile(value: str, ok: bool) -> None:
    if ok:
        assert validate_mobile(value) == "13812345678"
    else:
        with pytest.raises(ValidationError):
            validate_mobile(value)
