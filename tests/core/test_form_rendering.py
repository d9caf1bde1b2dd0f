"""A form sent back with errors marks its wrong fields, and only those (core/bootstrap.py)."""

import re
from typing import Any

import pytest

from swstation.core.roles import Role
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def classes_of(body: str, name: str) -> str:
    """The class attribute of the input named ``name``."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert tag is not None, name
    found = re.search(r'class="([^"]*)"', tag[0])
    return found[1] if found else ""


def test_a_form_sent_back_marks_its_wrong_fields_only(users: dict[str, Any]) -> None:
    """No green tick on the fields without an error: the new password comes back empty and
    its rules are checked only once the confirmation matches."""
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in classes_of(body, "old_password")
    assert "is-invalid" in classes_of(body, "new_password2")
    assert classes_of(body, "new_password1").split() == ["form-control"]
    assert "is-valid" not in body  # nowhere else either ("is-invalid" is another word)
