"""A social worker's ID number and bank account, what finance pays rewards and allowances to
(issue 10): entered through the services (and the form), checked (GB 11643 check digit, a
bank account of 10 to 30 digits) with the field named, stored encrypted with a masked copy,
never in clear in the history."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.workforce.models import SocialWorker
from swstation.workforce.services.people import social_worker_update
from tests.workforce.test_payments import make_person

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # spec/identifiers.md's valid example
ACCOUNT = "6222 0212 3456 7890 123"


def test_numbers_are_stored_encrypted_and_masked() -> None:
    person = make_person(name="李付款")
    social_worker_update(
        actor=SYSTEM,
        social_worker=person,
        id_number=ID_NUMBER.lower(),
        bank_name="宁波银行慈城支行",
        bank_account=ACCOUNT,
    )
    person = SocialWorker.objects.get(name="李付款")
    assert person.id_number_masked == "1101**********002X"
    assert person.bank_account_masked == "6222***********0123"
    assert ID_NUMBER not in person.id_number_encrypted
    assert "6222021234567890123" not in person.bank_account_encrypted
    # The history keeps ciphertexts, never the clear number.
    historical = person.history.first()
    assert historical is not None and ID_NUMBER not in str(historical.id_number_encrypted)
    # An update that leaves them empty keeps them.
    social_worker_update(actor=SYSTEM, social_worker=person, note="调岗", id_number="")
    person.refresh_from_db()
    assert person.id_number_masked == "1101**********002X"


def test_a_wrong_number_is_refused_with_the_field_named() -> None:
    person = make_person(name="王错号")
    with pytest.raises(ValidationError) as caught:
        social_worker_update(
            actor=SYSTEM, social_worker=person, id_number="110105194912310021", bank_account="12"
        )
    assert set(caught.value.message_dict) == {"id_number", "bank_account"}
    person.refresh_from_db()
    assert person.id_number_encrypted == ""


def test_the_form_takes_the_numbers_and_never_shows_them_in_clear(users: Any) -> None:
    person = make_person(name="赵表单")
    social_worker_update(actor=SYSTEM, social_worker=person, id_number=ID_NUMBER)
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    url = reverse("workforce:socialworker_edit", args=[person.pk])
    page = client.get(url).content.decode()
    assert "1101**********002X" in page and ID_NUMBER not in page
    detail = client.get(person.get_absolute_url()).content.decode()
    assert "1101**********002X" in detail and ID_NUMBER not in detail
