"""Writes on recipients (recipients/services.py): identity documents (spec/identifiers.md),
encryption at rest, consent, the village rule, and duplicates flagged at entry."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.crypto import decrypt, lookup_hash
from swstation.recipients.models import DuplicateReview, Recipient
from swstation.recipients.selectors import recipient_by_document
from swstation.recipients.services import (
    PossibleDuplicates,
    recipient_create,
    recipient_update,
)
from tests.recipients.helpers import (
    CICHENG,
    CICHENG_VILLAGE,
    CONSENT_DAY,
    YUEHU_COMMUNITY,
    id_number,
    make_household,
    make_recipient,
    region,
)

pytestmark = pytest.mark.django_db


def create(**extra: Any) -> Recipient:
    fields: dict[str, Any] = {
        "actor": SYSTEM,
        "name": "王阿婆",
        "region": region(CICHENG_VILLAGE),
        "consent_given": True,
        "consent_on": CONSENT_DAY,
    }
    fields.update(extra)
    return recipient_create(**fields)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- document checks -----------------------------------------------------------------------


def test_a_valid_number_fills_in_sex_and_birth_date_and_is_stored_upper_case() -> None:
    number = id_number(date(1949, 12, 31), serial=2)  # even serial: female
    recipient = create(document_number=number.lower())
    assert recipient.sex == "female"
    assert recipient.birth_date == date(1949, 12, 31)
    assert decrypt(recipient.id_number_encrypted) == number.upper()
    assert recipient.id_number_masked == f"{number[:4]}{'*' * 10}{number[-4:]}"


def test_a_typed_birth_date_or_sex_that_contradicts_the_number_is_refused_on_its_field() -> None:
    number = id_number(date(1949, 12, 31), serial=2)
    with pytest.raises(ValidationError) as exc:
        create(document_number=number, birth_date=date(1950, 1, 1), sex="male")
    errors = errors_of(exc)
    assert set(errors) == {"birth_date", "sex"}
    assert "1949-12-31" in errors["birth_date"][0]
    assert not Recipient.objects.exists()


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("33020519491231002", "18"),  # one character short
        ("330205194912310021", "check character"),
        ("330205194902300021", "1949-02-30"),  # no such day
    ],
)
def test_a_wrong_number_is_refused_on_the_number_field(number: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        create(document_number=number)
    messages = errors_of(exc)["document_number"]
    assert any(fragment in m or "校验" in m or "位" in m or "不存在" in m for m in messages)


def test_no_document_needs_a_reason_and_a_passport_its_own_format() -> None:
    with pytest.raises(ValidationError) as exc:
        create(document_type="none")
    assert "no_document_reason" in errors_of(exc)
    recipient = create(document_type="none", no_document_reason="外籍，证件遗失")
    assert recipient.id_number_hash == "" and recipient.id_number_encrypted == ""
    with pytest.raises(ValidationError) as exc:
        create(name="约翰", document_type="passport", document_number="E1")
    assert "document_number" in errors_of(exc)
    passport = create(name="约翰", document_type="passport", document_number="e12345678")
    assert passport.id_number_masked == "E123*5678"


def test_consent_is_required_for_a_new_person_with_its_date() -> None:
    with pytest.raises(ValidationError) as exc:
        create(document_number=id_number(), consent_given=False, consent_on=None)
    assert "consent_given" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        create(document_number=id_number(), consent_on=None)
    assert "consent_on" in errors_of(exc)
    assert not Recipient.objects.exists()


def test_a_recipient_lives_in_a_village_not_a_township() -> None:
    with pytest.raises(ValidationError) as exc:
        create(document_number=id_number(), region=region(CICHENG))
    assert "region" in errors_of(exc)


def test_phone_numbers_are_checked_and_landlines_accepted() -> None:
    with pytest.raises(ValidationError) as exc:
        create(document_number=id_number(), phone="2800000014", guardian_phone="12")
    assert {"phone", "guardian_phone"} <= set(errors_of(exc))
    recipient = create(document_number=id_number(), phone="0574-87654321")
    assert decrypt(recipient.phone_encrypted) == "057487654321"
    assert recipient.phone_masked.endswith("4321") and "8765" not in recipient.phone_masked


# --- encryption at rest and look-up ----------------------------------------------------------


def test_the_database_never_holds_the_clear_numbers() -> None:
    number = id_number(date(1951, 3, 4))
    recipient = make_recipient(number=number, phone="13812345678")
    recipient_update(actor=SYSTEM, recipient=recipient, note="更新一次")
    with connection.cursor() as cursor:
        for table in ("recipients_recipient", "recipients_historicalrecipient"):
            cursor.execute(f"SELECT * FROM {table}")  # fixed table names
            cells = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
            assert number not in cells, table
            assert "13812345678" not in cells, table
            assert lookup_hash(number) in cells  # the keyed hash is what is stored


def test_an_unchanged_number_is_not_re_encrypted_on_update() -> None:
    recipient = make_recipient(phone="13812345678")
    token, phone_token = recipient.id_number_encrypted, recipient.phone_encrypted
    updated = recipient_update(actor=SYSTEM, recipient=recipient, address="新地址")
    assert updated.id_number_encrypted == token and updated.phone_encrypted == phone_token


def test_update_with_no_number_keeps_the_stored_one_and_a_new_one_replaces_it() -> None:
    first = id_number(date(1950, 2, 2))
    recipient = make_recipient(number=first)
    recipient_update(actor=SYSTEM, recipient=recipient, document_number=None, note="x")
    recipient.refresh_from_db()
    assert decrypt(recipient.id_number_encrypted) == first
    second = id_number(date(1950, 2, 2), serial=int(first[14:17]) + 2)  # same sex
    recipient_update(actor=SYSTEM, recipient=recipient, document_number=second)
    recipient.refresh_from_db()
    assert recipient.id_number_hash == lookup_hash(second)


def test_a_changed_birth_date_is_checked_against_the_stored_number() -> None:
    recipient = make_recipient(number=id_number(date(1950, 2, 2)))
    with pytest.raises(ValidationError) as exc:
        recipient_update(actor=SYSTEM, recipient=recipient, birth_date=date(1960, 1, 1))
    assert "birth_date" in errors_of(exc)


def test_lookup_by_number_goes_through_the_hash(users: dict[str, Any]) -> None:
    number = id_number(date(1949, 12, 31), serial=2)
    recipient = make_recipient(number=number)
    make_recipient(number=id_number(date(1949, 12, 31)))
    worker = users[Role.SOCIAL_WORKER]
    assert list(recipient_by_document(actor=worker, number=number.lower())) == [recipient]
    assert list(recipient_by_document(actor=worker, number=f" {number} ")) == [recipient]
    client = Client()
    client.force_login(worker)
    body = client.get("/recipients/", {"q": number}).content.decode()
    assert recipient.get_absolute_url() in body
    assert body.count('href="/recipients/') - body.count('href="/recipients/add') >= 1


# --- duplicates -----------------------------------------------------------------------------


def test_the_same_number_is_refused_even_when_confirmed(users: dict[str, Any]) -> None:
    """One document number is one person: a number recorded in the author's jurisdiction is
    refused on the number (with the record to open), and confirming does not save it."""
    number = id_number()
    first = make_recipient(number=number, name="张三")
    worker = users[Role.SOCIAL_WORKER]
    for allow in (False, True):
        with pytest.raises(PossibleDuplicates) as exc:
            create(actor=worker, name="张叁", document_number=number, allow_duplicates=allow)
        assert exc.value.duplicates.visible == exc.value.duplicates.same_number == [first]
        assert f"#{first.pk}" in exc.value.message_dict["document_number"][0]
    assert Recipient.objects.count() == 1


def test_same_name_birth_date_and_village_is_flagged_until_confirmed(
    users: dict[str, Any],
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    first = make_recipient(name="李四", number=id_number(date(1940, 6, 1)))
    fields: dict[str, Any] = {
        "actor": worker,
        "name": "李四",
        "birth_date": date(1940, 6, 1),
        "document_type": "none",
        "no_document_reason": "未带证件",
    }
    with pytest.raises(PossibleDuplicates) as exc:
        create(**fields)
    assert exc.value.duplicates.visible == [first]
    assert exc.value.duplicates.same_number == []
    assert "confirm_duplicates" in exc.value.message_dict
    # Another village: another person.
    create(**fields, region=region("330205103202"))
    # Confirmed: saved.
    create(**fields, allow_duplicates=True)
    assert Recipient.objects.filter(name="李四").count() == 3


def test_a_number_recorded_outside_the_jurisdiction_is_saved_and_queued_unsaid(
    users: dict[str, Any],
) -> None:
    """issue 16: nothing of the record elsewhere reaches the author (see
    test_existence_oracle.py for the API, the page and the import)."""
    number = id_number()
    elsewhere = make_recipient(YUEHU_COMMUNITY, number=number)
    worker = users[Role.SOCIAL_WORKER]
    mine = create(actor=worker, document_number=number)
    assert mine.id_number_shared and not elsewhere.id_number_shared
    review = DuplicateReview.objects.get()
    assert (review.recipient, review.match, review.reported_by) == (mine, elsewhere, worker)


def test_the_add_page_shows_duplicates_with_links_and_saves_once_confirmed(
    users: dict[str, Any],
) -> None:
    first = make_recipient(name="赵五", number=id_number(date(1946, 5, 17)))
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    data = {
        "name": "赵五",
        "birth_date": "1946-05-17",
        "document_type": "none",
        "no_document_reason": "未带证件",
        "region": region(CICHENG_VILLAGE).pk,
        "status": "active",
        "consent_given": "on",
        "consent_on": "2026-01-05",
    }
    response = client.post("/recipients/add/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="duplicate-warning"' in body
    assert first.get_absolute_url() in body
    assert 'name="confirm_duplicates"' in body
    assert Recipient.objects.count() == 1
    response = client.post("/recipients/add/", {**data, "confirm_duplicates": "on"})
    assert response.status_code == 302
    assert Recipient.objects.count() == 2
    created = Recipient.objects.order_by("-pk").first()
    assert created is not None and created.history.first().history_user == users[Role.SOCIAL_WORKER]


def test_the_add_page_refuses_a_number_already_recorded_without_a_confirm_box(
    users: dict[str, Any],
) -> None:
    number = id_number(date(1946, 5, 18))
    first = make_recipient(number=number, name="赵六")
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    data = {
        "name": "赵陆",
        "document_type": "resident_id",
        "document_number": number,
        "region": region(CICHENG_VILLAGE).pk,
        "status": "active",
        "consent_given": "on",
        "consent_on": "2026-01-05",
    }
    for extra in ({}, {"confirm_duplicates": "on"}):
        response = client.post("/recipients/add/", {**data, **extra})
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="duplicate-warning"' in body and first.get_absolute_url() in body
        assert response.context["form"].errors["document_number"]
    assert 'name="confirm_duplicates"' not in client.post("/recipients/add/", data).content.decode()
    assert Recipient.objects.count() == 1


def test_the_add_form_puts_document_errors_on_their_fields(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    number = id_number(date(1949, 12, 31), serial=2)
    response = client.post(
        "/recipients/add/",
        {
            "name": "钱六",
            "document_type": "resident_id",
            "document_number": number,
            "birth_date": "1950-01-01",
            "region": region(CICHENG_VILLAGE).pk,
            "status": "active",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "birth_date" in form.errors
    assert "consent_given" in form.errors
    assert not Recipient.objects.exists()


def test_the_edit_page_never_shows_the_full_number(users: dict[str, Any]) -> None:
    number = id_number()
    recipient = make_recipient(number=number, phone="13812345678")
    client = Client()
    client.force_login(users[Role.STATION_MANAGER])
    body = client.get(f"/recipients/{recipient.pk}/edit/").content.decode()
    assert number not in body and "13812345678" not in body
    assert recipient.id_number_masked in body


def test_the_add_page_starts_from_the_household_it_was_opened_from(
    users: dict[str, Any],
) -> None:
    household = make_household(head_name="陈户主")
    client = Client()
    client.force_login(users[Role.SOCIAL_WORKER])
    response = client.get(
        "/recipients/add/", {"household": household.pk, "region": household.region_id}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and not form.errors
    assert str(form["household"].value()) == str(household.pk)
    assert 'name="confirm_duplicates"' not in response.content.decode()
    assert 'name="clear_phone"' not in response.content.decode()
