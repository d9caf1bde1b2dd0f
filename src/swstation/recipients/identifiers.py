"""Identity documents and phone numbers (spec/identifiers.md).

Pure functions: no database, no settings. Messages are translated, field-neutral sentences;
callers attach them to the field or import row they came from.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# GB 11643-1999: weights of the 17 digits and the check character for S mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
MOBILE_RE = re.compile(r"^1\d{10}$")


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", gettext_lazy("Resident identity card")
    HK_MACAO_PERMIT = (
        "hk_macao_permit",
        gettext_lazy("Residence permit for Hong Kong and Macao residents"),
    )
    TAIWAN_PERMIT = "taiwan_permit", gettext_lazy("Residence permit for Taiwan residents")
    FOREIGNER_PERMANENT = (
        "foreigner_permanent",
        gettext_lazy("Foreigner's permanent residence ID card"),
    )
    PASSPORT = "passport", gettext_lazy("Passport")
    NONE = "none", gettext_lazy("No document (reason required)")


class Sex(models.TextChoices):
    MALE = "male", gettext_lazy("Male")
    FEMALE = "female", gettext_lazy("Female")


@dataclass(frozen=True)
class IdentityNumber:
    """A valid 18-character number with what it says about its holder."""

    number: str
    birth_date: date
    sex: str
    address_code: str


def id_check_character(first17: str) -> str:
    """The check character of a number's first 17 digits: S = Σ dᵢ·wᵢ, r = S mod 11."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def parse_18_character_number(value: str, *, today: date | None = None) -> IdentityNumber:
    """Validate a GB 11643-1999 number (also the layout of the residence permits for Hong Kong,
    Macao and Taiwan residents and of the 2023 foreigner's permanent residence card).

    Accepts a lower-case x and returns the number upper-cased. Rejects a wrong length, stray
    characters, an impossible or future birth date, and a wrong check character.
    """
    number = value.strip().upper()
    if len(number) != 18:
        raise ValidationError(
            _("An identity number has 18 characters; this one has %(n)d.") % {"n": len(number)},
            code="length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("An identity number is 17 digits followed by a digit or X."), code="characters"
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date %(date)s in the identity number does not exist.")
            % {"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
            code="birth_date",
        ) from exc
    if birth > (today or date.today()) or birth.year < 1880:
        raise ValidationError(
            _("The birth date %(date)s in the identity number is impossible.")
            % {"date": birth.isoformat()},
            code="birth_date",
        )
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check character of the identity number is wrong: the number is mistyped."),
            code="check_character",
        )
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdentityNumber(number=number, birth_date=birth, sex=sex, address_code=number[:6])


def validate_document(
    document_type: str,
    number: str,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    no_document_reason: str = "",
    today: date | None = None,
) -> tuple[str, IdentityNumber | None]:
    """Check a document number by its type; return the normalised number and, for the
    18-character layouts, what it says. If the user also typed the birth date or sex and they
    disagree with the number, say so (spec/identifiers.md)."""
    number = (number or "").strip()
    if document_type == DocumentType.NONE:
        if number:
            raise ValidationError(_("A number was given but the document type is “none”."))
        if not no_document_reason.strip():
            raise ValidationError(_("Without a document, give the reason."))
        return "", None
    if not number:
        raise ValidationError(_("The document number is missing."))
    if document_type == DocumentType.PASSPORT:
        normalised = number.upper()
        if not re.fullmatch(r"[A-Z0-9]{5,17}", normalised):
            raise ValidationError(_("A passport number has 5 to 17 letters and digits."))
        return normalised, None
    if document_type == DocumentType.FOREIGNER_PERMANENT and re.fullmatch(
        r"[A-Za-z]{3}\d{12}", number
    ):
        return number.upper(), None  # the 15-character card issued before 2023
    parsed = parse_18_character_number(number, today=today)
    prefixes: dict[str, tuple[str, ...]] = {
        DocumentType.HK_MACAO_PERMIT: ("810000", "820000"),
        DocumentType.TAIWAN_PERMIT: ("830000",),
    }
    if document_type in prefixes and not parsed.number.startswith(prefixes[document_type]):
        raise ValidationError(
            _("This permit's number starts with %(prefixes)s.")
            % {"prefixes": " / ".join(prefixes[document_type])}
        )
    if document_type == DocumentType.FOREIGNER_PERMANENT and not parsed.number.startswith("9"):
        raise ValidationError(_("A foreigner's permanent residence number starts with 9."))
    if document_type == DocumentType.RESIDENT_ID and parsed.number.startswith(
        ("81", "82", "83", "9")
    ):
        raise ValidationError(_("This number belongs to a residence permit, not an identity card."))
    problems = []
    if birth_date is not None and birth_date != parsed.birth_date:
        problems.append(
            _("The birth date entered (%(entered)s) differs from the number's (%(number)s).")
            % {"entered": birth_date.isoformat(), "number": parsed.birth_date.isoformat()}
        )
    if sex and sex != parsed.sex:
        problems.append(_("The sex entered differs from the number's."))
    if problems:
        raise ValidationError(problems)
    return parsed.number, parsed


def mask_id_number(number: str) -> str:
    """3302**********123X: the first four and last four characters (spec/identifiers.md)."""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def validate_mobile(value: str) -> str:
    number = value.strip().replace(" ", "").replace("-", "")
    if not MOBILE_RE.match(number):
        raise ValidationError(_("A mobile number has 11 digits and starts with 1."))
    return number


# A landline: an optional area code (0 and 2-3 digits, 宁波 0574) and a 7- or 8-digit number.
LANDLINE_RE = re.compile(r"^(0\d{2,3})?[2-9]\d{6,7}$")


def validate_phone(value: str) -> str:
    """A mobile number, or a landline with or without its area code (spec/identifiers.md,
    "Landlines may include an area code"): many elderly recipients have only a landline."""
    number = value.strip().replace(" ", "").replace("-", "")
    if MOBILE_RE.match(number) or LANDLINE_RE.match(number):
        return number
    raise ValidationError(
        _(
            "A phone number is a mobile number (11 digits starting with 1) or a landline "
            "with its area code, such as 0574-87654321."
        )
    )
