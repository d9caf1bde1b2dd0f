"""A payment roster finance can pay from (issue 10): each payee's ID number, bank and bank
account, kept encrypted on the social worker (entered through the form, masked everywhere),
exported in full only to the roles that pay batches (the bureaus), each export a line of the
personal-data access log; everyone else (auditors) gets the masked list and nothing logged."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.models import IdentityView
from swstation.workforce.services.payments import payment_batch_approve
from swstation.workforce.services.people import social_worker_update
from tests.clients import client_for
from tests.workforce.test_payments import (  # noqa: F401  # policies: a fixture
    REWARD,
    create_batch,
    make_certificate,
    make_person,
    policies,
)

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # spec/identifiers.md's valid example
ACCOUNT = "6222 0212 3456 7890 123"


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def batch(users: Any, policies: Any) -> Any:  # noqa: F811
    person = make_person(name="李付款")
    social_worker_update(
        actor=SYSTEM,
        social_worker=person,
        id_number=ID_NUMBER.lower(),
        bank_name="宁波银行慈城支行",
        bank_account=ACCOUNT,
    )
    make_certificate(person, "assistant", date(2023, 6, 1))
    officer = users[Role.DISTRICT_OFFICER]
    batch = create_batch(officer, kind=REWARD)
    payment_batch_approve(actor=officer, batch=batch)
    return batch


def test_the_bureau_exports_the_roster_in_full_and_it_is_logged(users: Any, batch: Any) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    client = client_for(officer)
    review = client.get(reverse("workforce:paymentbatch_review", args=[batch.pk]))
    assert 'id="export-roster"' in review.content.decode()
    assert "6222***********0123" in review.content.decode()  # masked on the page

    before = IdentityView.objects.count()
    url = reverse("workforce:paymentbatch_export", args=[batch.pk]) + "?details=1"
    response = client.get(url)
    assert response.status_code == 200
    rows = rows_of(response)
    header = list(rows[3])
    line = rows[4]
    assert line[header.index("身份证号")] == ID_NUMBER
    assert line[header.index("开户银行")] == "宁波银行慈城支行"
    assert line[header.index("银行账号")] == "6222021234567890123"
    assert line[header.index("金额（元）")] == 1500

    assert IdentityView.objects.count() == before + 1
    entry = IdentityView.objects.latest("pk")
    assert entry.user == officer
    assert (entry.field, entry.kind, entry.count) == ("payment_details", "export", 1)
    assert entry.region == batch.region and entry.subject == str(batch)


def test_an_auditor_gets_the_masked_list_only_and_nothing_is_logged(users: Any, batch: Any) -> None:
    client = client_for(users[Role.AUDITOR])
    review = client.get(reverse("workforce:paymentbatch_review", args=[batch.pk])).content
    assert b'id="export-roster"' not in review
    before = IdentityView.objects.count()
    url = reverse("workforce:paymentbatch_export", args=[batch.pk])
    assert client.get(url + "?details=1").status_code == 403
    masked = rows_of(client.get(url))
    assert ID_NUMBER not in str(masked) and "6222021234567890123" not in str(masked)
    assert "1101**********002X" in str(masked)
    assert IdentityView.objects.count() == before
