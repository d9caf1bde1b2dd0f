"""Writes on people and their certificates (domain.md §2).

Pages, the API and importers all call these functions, so that the rules hold for every
writer: a person on a station works in the station's region; a person holds each certificate
level once; a certificate number is registered once; a certificate is not dated in the future.
"""

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.audit import record_personal_data_access
from swstation.core.crypto import encrypt
from swstation.core.history import record_author, save_with_history
from swstation.core.masking import user_sees_personal_data
from swstation.workforce.models import (
    Certificate,
    CertificateLevel,
    CertificateMethod,
    Post,
    SocialWorker,
    Supervisor,
)

__all__ = [
    "certificate_create",
    "certificate_update",
    "social_worker_create",
    "social_worker_reveal_phone",
    "social_worker_update",
    "supervisor_reveal_phone",
]

# The fields a caller may set on a person; everything else is bookkeeping.
SOCIAL_WORKER_FIELDS = frozenset(
    {
        "name",
        "gender",
        "birth_date",
        "phone",
        "region",
        "station",
        "agency",
        "post",
        "is_fulltime",
        "is_community_worker",
        "is_civil_servant",
        "hired_on",
        "left_on",
        "education",
        "user",
        "note",
        "bank_name",
    }
)
# What finance pays to, kept encrypted: given in clear, empty for "leave as it is".
PAYMENT_NUMBERS = frozenset({"id_number", "bank_account"})
CERTIFICATE_FIELDS = frozenset(
    {
        "social_worker",
        "level",
        "number",
        "obtained_on",
        "method",
        "exam_in_city",
        "registered_in_city",
    }
)


def _place_in_station_region(social_worker: SocialWorker) -> None:
    """A person on a station works in the station's region (the station decides, not the
    form): an outpost's staff work in its village, a township station's in its township."""
    if social_worker.station is not None:
        social_worker.region = social_worker.station.region
    elif social_worker.region_id is None:
        raise ValidationError(
            {"region": _("Choose the region where this person works, or their station.")}
        )


# GB 11643-1999 (spec/identifiers.md): weights of the 17 digits, check character of S mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
_BANK_ACCOUNT = re.compile(r"^\d{10,30}$")


def clean_id_number(value: str) -> str:
    """A resident identity number as stored (upper-case X), or a ValidationError saying why."""
    number = re.sub(r"\s", "", value or "").upper()
    if not _ID_NUMBER.match(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a check digit.")
        )
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        raise ValidationError(_("The identity number's check digit is wrong: check the number."))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The identity number holds an impossible date of birth.")) from None
    if born > timezone.localdate():
        raise ValidationError(_("The identity number holds a date of birth in the future."))
    return number


def clean_bank_account(value: str) -> str:
    """A bank account (card) number as stored, digits only, or a ValidationError."""
    number = re.sub(r"[\s-]", "", value or "")
    if not _BANK_ACCOUNT.match(number):
        raise ValidationError(_("A bank account number has 10 to 30 digits."))
    return number


def mask_number(number: str) -> str:
    """3302**********123X: the first four and last four characters (spec/identifiers.md)."""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def _set_payment_numbers(social_worker: SocialWorker, numbers: dict[str, str]) -> None:
    """Encrypt the numbers given (an empty one leaves the stored number as it is)."""
    errors: dict[str, Any] = {}
    for name, clean in (("id_number", clean_id_number), ("bank_account", clean_bank_account)):
        value = (numbers.get(name) or "").strip()
        if not value:
            continue
        try:
            number = clean(value)
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        setattr(social_worker, f"{name}_encrypted", encrypt(number))
        setattr(social_worker, f"{name}_masked", mask_number(number))
    if errors:
        raise ValidationError(errors)


def _save_social_worker(*, actor: Actor, social_worker: SocialWorker) -> SocialWorker:
    _place_in_station_region(social_worker)
    social_worker.full_clean()
    save_with_history(social_worker, actor=actor)
    return social_worker


@transaction.atomic
def social_worker_create(
    *,
    actor: Actor,
    name: str,
    region: Any = None,
    station: Any = None,
    agency: Any = None,
    gender: str = "",
    birth_date: date | None = None,
    phone: str = "",
    post: str = Post.SOCIAL_WORKER,
    is_fulltime: bool = True,
    is_community_worker: bool = False,
    is_civil_servant: bool = False,
    hired_on: date | None = None,
    left_on: date | None = None,
    education: str = "",
    user: Any = None,
    note: str = "",
    bank_name: str = "",
    id_number: str = "",
    bank_account: str = "",
) -> SocialWorker:
    social_worker = SocialWorker(
        name=name,
        region=region,
        station=station,
        agency=agency,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        post=post,
        is_fulltime=is_fulltime,
        is_community_worker=is_community_worker,
        is_civil_servant=is_civil_servant,
        hired_on=hired_on,
        left_on=left_on,
        education=education,
        user=user,
        note=note,
        bank_name=bank_name,
    )
    _set_payment_numbers(social_worker, {"id_number": id_number, "bank_account": bank_account})
    return _save_social_worker(actor=actor, social_worker=social_worker)


@transaction.atomic
def social_worker_update(
    *, actor: Actor, social_worker: SocialWorker, **changes: Any
) -> SocialWorker:
    unknown = set(changes) - SOCIAL_WORKER_FIELDS - PAYMENT_NUMBERS
    if unknown:
        raise TypeError(f"social_worker_update() got unknown fields: {sorted(unknown)}")
    numbers = {name: changes.pop(name) for name in PAYMENT_NUMBERS if name in changes}
    for key, value in changes.items():
        setattr(social_worker, key, value)
    _set_payment_numbers(social_worker, numbers)
    return _save_social_worker(actor=actor, social_worker=social_worker)


def _check_certificate(certificate: Certificate) -> None:
    """The rules a certificate must meet, as field errors a person can act on."""
    errors: dict[str, str] = {}
    if certificate.obtained_on and certificate.obtained_on > timezone.localdate():
        errors["obtained_on"] = _("The date obtained (%(date)s) is in the future.") % {
            "date": certificate.obtained_on.isoformat()
        }
    others = Certificate.objects.exclude(pk=certificate.pk)
    if (
        certificate.social_worker_id
        and certificate.level
        and others.filter(social_worker_id=certificate.social_worker_id, level=certificate.level)
        .only("pk")
        .exists()
    ):
        errors["level"] = _("%(name)s already holds a certificate of level %(level)s.") % {
            "name": certificate.social_worker.name,
            "level": CertificateLevel(certificate.level).label,
        }
    if certificate.number and others.filter(number=certificate.number).exists():
        errors["number"] = _("Certificate number %(number)s is already registered.") % {
            "number": certificate.number
        }
    if errors:
        raise ValidationError(errors)


def _save_certificate(*, actor: Actor, certificate: Certificate) -> Certificate:
    certificate.number = (certificate.number or "").strip()
    _check_certificate(certificate)
    certificate.full_clean()
    record_author(certificate, actor)
    try:
        # A concurrent write may still win the race between the check and the insert: the
        # database constraints then refuse it, and the person gets the same clean message.
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        _check_certificate(certificate)
        raise
    return certificate


@transaction.atomic
def certificate_create(
    *,
    actor: Actor,
    social_worker: SocialWorker,
    level: str,
    number: str,
    obtained_on: date,
    method: str = CertificateMethod.EXAM,
    exam_in_city: bool = True,
    registered_in_city: bool = True,
) -> Certificate:
    certificate = Certificate(
        social_worker=social_worker,
        level=level,
        number=number,
        obtained_on=obtained_on,
        method=method,
        exam_in_city=exam_in_city,
        registered_in_city=registered_in_city,
    )
    return _save_certificate(actor=actor, certificate=certificate)


@transaction.atomic
def certificate_update(*, actor: Actor, certificate: Certificate, **changes: Any) -> Certificate:
    unknown = set(changes) - CERTIFICATE_FIELDS
    if unknown:
        raise TypeError(f"certificate_update() got unknown fields: {sorted(unknown)}")
    for key, value in changes.items():
        setattr(certificate, key, value)
    return _save_certificate(actor=actor, certificate=certificate)


# --- a phone seen in full ----------------------------------------------------------------


@transaction.atomic
def social_worker_reveal_phone(
    *, actor: Actor, social_worker: SocialWorker, purpose: str = ""
) -> str:
    """A social worker's mobile phone in full, for the roles that read personal data (not
    auditors) in their jurisdiction, each view a line of the personal-data access log (who,
    whose, when, why) as a recipient's phone is (issue 10, "Auditing"). Pages, lists, exports
    and the API show it masked."""
    return _reveal_phone(actor=actor, person=social_worker, field="staff_phone", purpose=purpose)


@transaction.atomic
def supervisor_reveal_phone(*, actor: Actor, supervisor: Supervisor, purpose: str = "") -> str:
    """A supervisor's mobile phone in full, as a social worker's is: for the roles that read
    personal data (the stations arrange their supervision sessions with them), among the
    supervisors they see, each view logged (``supervisor_phone``). Masked everywhere else."""
    return _reveal_phone(actor=actor, person=supervisor, field="supervisor_phone", purpose=purpose)


def _reveal_phone(
    *, actor: Actor, person: SocialWorker | Supervisor, field: str, purpose: str
) -> str:
    if not user_sees_personal_data(actor):
        raise PermissionDenied(_("Your role sees phone numbers masked only."))
    model = type(person)
    if not model.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))
    phone = model.objects.values_list("phone", flat=True).get(pk=person.pk)
    if not phone:
        raise ValidationError({"field": _("No such number is recorded for this person.")})
    record_personal_data_access(
        actor=actor,
        field=field,
        kind="view",
        region=person.region,
        subject=person.name,
        purpose=(purpose or "").strip(),
    )
    return phone
