"""An add form opened from a record's page (``…/add/?social_worker=12``) starts with that
choice, as an initial value: nothing is saved and no error shows before anything is typed."""

import re
from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import Role
from swstation.workforce.models import Certificate
from tests.conftest import CICHENG
from tests.workforce import helpers

pytestmark = pytest.mark.django_db


def test_an_add_form_starts_with_the_choices_of_its_query(users: dict[str, Any]) -> None:
    worker = helpers.person(CICHENG, name="预填社工")
    client = Client()
    client.force_login(users[Role.STATION_MANAGER])
    page = client.get("/workforce/certificates/add/", {"social_worker": worker.pk})
    assert page.status_code == 200
    body = page.content.decode()
    selected = re.search(r'<option value="(\d+)" selected>', body)
    assert selected and selected.group(1) == str(worker.pk)
    assert "is-invalid" not in body and "该字段是必填项" not in body
    assert not Certificate.objects.exists()
