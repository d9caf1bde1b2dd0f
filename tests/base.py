"""Base test classes that give a model its page, API and scoping tests in a few lines.

As NetBox's ``ViewTestCases``/``APIViewTestCases``: a test class names the model, how to make
a record in a region, and valid form/API data; it inherits, for every role, the anonymous,
refused, in-scope and out-of-scope cases of list, detail, add, edit, delete, history, export
and the API, plus a query-count test that the list stays flat as rows grow.

The fixture world (tests/conftest.py): one user per role, all inside 江北区 (the city admin at
the city); ``in_scope_code`` is inside 慈城镇 so every role can reach it; ``out_of_scope_code``
is in 海曙区, outside every test user's jurisdiction but the city admin's.
"""

import csv
import io
from typing import Any, ClassVar

import pytest
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from swstation.core.permissions import model_permissions
from swstation.core.roles import ALL_ROLES, Role
from tests.clients import api_for, client_for
from tests.conftest import CICHENG, CITY, YUEHU

ROLES = sorted(ALL_ROLES)


def roles_or_skip(roles: list[str], why: str) -> list[str]:
    """``roles`` if there are any; otherwise skip the test, saying why it does not apply —
    a test never passes by looping over nobody."""
    if not roles:
        pytest.skip(f"not applicable: {why}")
    return roles


def _names(model: type[models.Model]) -> tuple[str, str]:
    return model._meta.app_label, model._meta.model_name or ""


class ModelTestBase:
    model: ClassVar[type[models.Model]]
    in_scope_code: ClassVar[str] = CICHENG
    out_of_scope_code: ClassVar[str] = YUEHU
    # Where a shared-downward record (shared_downward = True) is made: above every test user.
    shared_code: ClassVar[str] = CITY
    # Query parameters (shared by the page and the API) that narrow a list to the test records.
    list_params: ClassVar[dict[str, Any]] = {}

    # --- to declare in each test class --------------------------------------------------
    def make_object(self, code: str, n: int = 0) -> Any:
        """A saved record of ``model`` in region ``code``; ``n`` varies it for uniqueness."""
        raise NotImplementedError

    def form_data(self, code: str) -> dict[str, Any]:
        """Valid POST data for the add form creating a record in region ``code``."""
        raise NotImplementedError

    def edit_data(self, obj: Any) -> dict[str, Any]:
        """Valid POST data for editing ``obj`` (a visible change)."""
        raise NotImplementedError

    def api_data(self, code: str) -> dict[str, Any]:
        """Valid JSON for creating a record in region ``code`` through the API."""
        raise NotImplementedError

    def object_label(self, obj: Any) -> str:
        """Text that identifies the record in a list page or export."""
        return str(obj)

    # --- helpers -------------------------------------------------------------------------
    def url(self, suffix: str = "", *args: Any) -> str:
        app, name = _names(self.model)
        return reverse(f"{app}:{name}{suffix}", args=args)

    def api_url(self, pk: int | None = None) -> str:
        name = self.model._meta.model_name
        if pk is None:
            return reverse(f"api:{name}-list")
        return reverse(f"api:{name}-detail", args=[pk])

    def allowed(self, role: str, action: str) -> bool:
        return role in model_permissions(self.model).roles_for(action)  # type: ignore[arg-type]

    def roles_below_city(self, action: str) -> list[str]:
        """Roles other than the city bureau's that may do ``action`` (or a loud skip)."""
        roles = [r for r in ROLES if r != Role.CITY_ADMIN and self.allowed(r, action)]
        return roles_or_skip(
            roles, f"only the city bureau may {action} {self.model.__name__} records"
        )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A model that is not shared downward gets no shared-downward tests (rather than
        tests that pass without asserting anything)."""
        super().__init_subclass__(**kwargs)
        model = getattr(cls, "model", None)
        if model is not None and not getattr(model, "shared_downward", False):
            cls.test_shared_downward_record_is_read_not_changed_from_below = None  # type: ignore[assignment,method-assign]

    def client_for(self, user: Any) -> Client:
        return client_for(user)

    def api_client_for(self, user: Any) -> APIClient:
        return api_for(user)


@pytest.mark.django_db
class ModelViewTests(ModelTestBase):
    """Pages: list, detail, add, edit, delete, history and export, by role and scope."""

    def test_list_needs_login(self) -> None:
        response = Client().get(self.url("_list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(self.in_scope_code, 1)
        outside = self.make_object(self.out_of_scope_code, 2)
        response = self.client_for(users[role]).get(
            self.url("_list"), {"per_page": 250, **self.list_params}
        )
        if not self.allowed(role, "view"):
            assert response.status_code == 403
            return
        assert response.status_code == 200
        body = response.content.decode()
        assert self.object_label(inside) in body
        if role != Role.CITY_ADMIN:
            assert self.object_label(outside) not in body

    @pytest.mark.parametrize("role", ROLES)
    def test_detail_in_and_out_of_scope(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(self.in_scope_code, 1)
        outside = self.make_object(self.out_of_scope_code, 2)
        client = self.client_for(users[role])
        response = client.get(inside.get_absolute_url())
        if not self.allowed(role, "view"):
            assert response.status_code == 403
            return
        assert response.status_code == 200
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(outside.get_absolute_url()).status_code == expected

    @pytest.mark.parametrize("role", ROLES)
    def test_add(self, role: str, users: dict[str, Any]) -> None:
        client = self.client_for(users[role])
        before = self.model._default_manager.count()
        response = client.post(self.url("_add"), self.form_data(self.in_scope_code))
        if not self.allowed(role, "add"):
            assert response.status_code == 403
            assert self.model._default_manager.count() == before
            return
        assert response.status_code == 302, (
            getattr(response, "context", {}) and response.context.get("form").errors
        )  # type: ignore[union-attr]
        assert self.model._default_manager.count() == before + 1
        created = self.model._default_manager.order_by("-pk").first()
        assert created is not None and created.history.count() == 1  # type: ignore[attr-defined]
        assert created.history.first().history_user == users[role]  # type: ignore[attr-defined]

    def test_add_out_of_scope_is_refused_and_nothing_saved(self, users: dict[str, Any]) -> None:
        for role in self.roles_below_city("add"):
            before = self.model._default_manager.count()
            response = self.client_for(users[role]).post(
                self.url("_add"), self.form_data(self.out_of_scope_code)
            )
            assert response.status_code == 200  # the form again, with the error
            assert self.model._default_manager.count() == before

    def test_add_form_shows_errors_in_chinese(self, users: dict[str, Any]) -> None:
        role = next((r for r in ROLES if self.allowed(r, "add")), None)
        if role is None:
            pytest.fail("no role may add this model: declare the test differently")
        response = self.client_for(users[role]).post(self.url("_add"), {})
        assert response.status_code == 200
        assert "该字段是必填项" in response.content.decode()

    @pytest.mark.parametrize("role", ROLES)
    def test_edit(self, role: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        response = self.client_for(users[role]).post(self.url("_edit", obj.pk), self.edit_data(obj))
        if not self.allowed(role, "change"):
            assert response.status_code == 403
            return
        assert response.status_code == 302
        assert obj.history.count() == 2  # created, then changed

    def test_edit_out_of_scope_is_404(self, users: dict[str, Any]) -> None:
        outside = self.make_object(self.out_of_scope_code, 2)
        for role in self.roles_below_city("change"):
            client = self.client_for(users[role])
            assert client.get(self.url("_edit", outside.pk)).status_code == 404
            assert (
                client.post(self.url("_edit", outside.pk), self.edit_data(outside)).status_code
                == 404
            )

    @pytest.mark.parametrize("role", ROLES)
    def test_delete(self, role: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        response = self.client_for(users[role]).post(self.url("_delete", obj.pk))
        exists = self.model._default_manager.filter(pk=obj.pk).exists()
        if not self.allowed(role, "delete"):
            assert response.status_code == 403
            assert exists
            return
        assert response.status_code == 302
        assert not exists

    @pytest.mark.parametrize("role", ROLES)
    def test_history(self, role: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        response = self.client_for(users[role]).get(self.url("_history", obj.pk))
        assert response.status_code == (200 if self.allowed(role, "history") else 403)

    def test_shared_downward_record_is_read_not_changed_from_below(
        self, users: dict[str, Any]
    ) -> None:
        """A record the city provides (an agency, a supervisor...) is read and picked below,
        and changed only at its own level."""
        shared = self.make_object(self.shared_code, 3)
        for role in self.roles_below_city("view"):
            client = self.client_for(users[role])
            assert client.get(shared.get_absolute_url()).status_code == 200, role
            if self.allowed(role, "change"):
                assert client.get(self.url("_edit", shared.pk)).status_code == 403, role
                post = client.post(self.url("_edit", shared.pk), self.edit_data(shared))
                assert post.status_code == 403, role
            if self.allowed(role, "delete"):
                assert client.post(self.url("_delete", shared.pk)).status_code == 403, role
        assert self.model._default_manager.filter(pk=shared.pk).exists()
        assert shared.history.count() == 1  # type: ignore[attr-defined]  # never changed

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_is_scoped(self, fmt: str, users: dict[str, Any]) -> None:
        role = self.roles_below_city("view")[0]
        inside = self.make_object(self.in_scope_code, 1)
        outside = self.make_object(self.out_of_scope_code, 2)
        response = self.client_for(users[role]).get(
            self.url("_list"), {"export": fmt, **self.list_params}
        )
        assert response.status_code == 200
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            text = raw.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
        else:
            sheet = load_workbook(io.BytesIO(raw), read_only=True).active
            rows = [
                [str(c) if c is not None else "" for c in r]
                for r in sheet.iter_rows(values_only=True)
            ]
        cells = {cell for row in rows[1:] for cell in row}
        assert self.object_label(inside) in cells
        assert self.object_label(outside) not in cells

    def test_list_query_count_is_flat(self, users: dict[str, Any]) -> None:
        client = self.client_for(users[Role.CITY_ADMIN])
        for n in range(3):
            self.make_object(self.in_scope_code, 100 + n)
        with CaptureQueriesContext(connection) as few:
            assert (
                client.get(self.url("_list"), {"per_page": 250, **self.list_params}).status_code
                == 200
            )
        made = [self.make_object(self.in_scope_code, 200 + n) for n in range(12)]
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.url("_list"), {"per_page": 250, **self.list_params})
            assert response.status_code == 200
        assert len(many) == len(few)
        body = response.content.decode()
        missing = [self.object_label(obj) for obj in made if self.object_label(obj) not in body]
        assert missing == [], "the list must show the rows it was measured with"


@pytest.mark.django_db
class ModelAPITests(ModelTestBase):
    """API: list, retrieve, create, update, delete by role and scope; errors as JSON."""

    def test_anonymous_is_refused(self) -> None:
        response = APIClient().get(self.api_url())
        assert response.status_code in (401, 403)
        assert "detail" in response.json()

    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        inside = self.make_object(self.in_scope_code, 1)
        outside = self.make_object(self.out_of_scope_code, 2)
        response = self.api_client_for(users[role]).get(
            self.api_url(), {"page_size": 1000, **self.list_params}
        )
        if not self.allowed(role, "view"):
            assert response.status_code == 403
            return
        assert response.status_code == 200
        data = response.json()
        assert {"count", "results"} <= data.keys()
        ids = {row["id"] for row in data["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)

    def test_retrieve_out_of_scope_is_404(self, users: dict[str, Any]) -> None:
        outside = self.make_object(self.out_of_scope_code, 2)
        client = self.api_client_for(users[Role.DISTRICT_OFFICER])
        if not self.allowed(Role.DISTRICT_OFFICER, "view"):
            pytest.fail("district officers may not view this model: adapt the test")
        response = client.get(self.api_url(outside.pk))
        assert response.status_code == 404
        assert "detail" in response.json()

    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, role: str, users: dict[str, Any]) -> None:
        before = self.model._default_manager.count()
        response = self.api_client_for(users[role]).post(
            self.api_url(), self.api_data(self.in_scope_code), format="json"
        )
        if not self.allowed(role, "add"):
            assert response.status_code == 403
            assert self.model._default_manager.count() == before
            return
        assert response.status_code == 201, response.json()
        assert self.model._default_manager.count() == before + 1

    def test_create_out_of_scope_is_refused(self, users: dict[str, Any]) -> None:
        for role in self.roles_below_city("add"):
            before = self.model._default_manager.count()
            response = self.api_client_for(users[role]).post(
                self.api_url(), self.api_data(self.out_of_scope_code), format="json"
            )
            assert response.status_code in (400, 403)
            assert self.model._default_manager.count() == before

    def test_malformed_request_names_the_field(self, users: dict[str, Any]) -> None:
        role = next((r for r in ROLES if self.allowed(r, "add")), Role.CITY_ADMIN)
        client = self.api_client_for(users[role])
        response = client.post(self.api_url(), "{not json", content_type="application/json")
        assert response.status_code == 400
        assert "detail" in response.json()
        response = client.post(self.api_url(), {}, format="json")
        assert response.status_code == 400
        assert set(response.json()) & set(self.api_data(self.in_scope_code))

    @pytest.mark.parametrize("role", ROLES)
    def test_update_and_delete(self, role: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        client = self.api_client_for(users[role])
        response = client.patch(self.api_url(obj.pk), self.api_patch(obj), format="json")
        if not self.allowed(role, "view") or not self.allowed(role, "change"):
            assert response.status_code == 403
        else:
            assert response.status_code == 200, response.json()
        response = client.delete(self.api_url(obj.pk))
        expected = 204 if self.allowed(role, "delete") else 403
        assert response.status_code == expected
        assert self.model._default_manager.filter(pk=obj.pk).exists() == (expected != 204)

    def api_patch(self, obj: Any) -> dict[str, Any]:
        """A valid partial update of ``obj``."""
        raise NotImplementedError

    def test_put_of_its_own_values_succeeds(self, users: dict[str, Any]) -> None:
        """issue 16: what the API answers for a record, PUT back unchanged, is accepted (no
        read-only/write-only asymmetry, no masked value refused, no uniqueness check against
        the record itself) and changes nothing."""
        writers = [r for r in ROLES if self.allowed(r, "view") and self.allowed(r, "change")]
        if not writers:
            pytest.skip(f"not applicable: nobody changes {self.model.__name__} through the API")
        role = Role.CITY_ADMIN if Role.CITY_ADMIN in writers else writers[0]
        obj = self.make_object(self.in_scope_code, 1)
        viewset = resolve(self.api_url(obj.pk)).func.cls  # type: ignore[attr-defined]
        if "put" not in viewset.http_method_names:
            pytest.skip(f"not applicable: {viewset.__name__} offers no PUT")
        client = self.api_client_for(users[role])
        shown = client.get(self.api_url(obj.pk))
        assert shown.status_code == 200, shown.json()
        response = client.put(self.api_url(obj.pk), shown.json(), format="json")
        assert response.status_code == 200, (role, response.json())
        assert response.json() == shown.json()

    def test_shared_downward_record_is_read_not_changed_from_below(
        self, users: dict[str, Any]
    ) -> None:
        shared = self.make_object(self.shared_code, 3)
        for role in self.roles_below_city("view"):
            client = self.api_client_for(users[role])
            assert client.get(self.api_url(shared.pk)).status_code == 200, role
            patch = client.patch(self.api_url(shared.pk), self.api_patch(shared), format="json")
            assert patch.status_code in (403, 404), role
            assert client.delete(self.api_url(shared.pk)).status_code in (403, 404), role
        assert self.model._default_manager.filter(pk=shared.pk).exists()
        assert shared.history.count() == 1  # type: ignore[attr-defined]  # never changed

    def custom_write_actions(self) -> list[str]:
        """URL names of the viewset's own actions on one record that write (POST, PATCH...)."""
        match = resolve(self.api_url(0).replace("/0/", "/1/"))
        viewset = match.func.cls  # type: ignore[attr-defined]
        return [
            f"api:{self.model._meta.model_name}-{extra.url_name}"
            for extra in viewset.get_extra_actions()
            if extra.detail and set(extra.mapping) - {"get", "head", "options"}
        ]

    def test_custom_actions_refuse_records_outside_the_write_scope(
        self, users: dict[str, Any]
    ) -> None:
        """Every custom action on one record (advance a case, pay a batch, reveal a number...)
        refuses a record outside the caller's jurisdiction, answering exactly as for a record
        that does not exist (so the answer does not tell whether it does), and changes
        nothing; a record shared from above is not changed from below either."""
        names = self.custom_write_actions()
        if not names:
            pytest.skip(f"not applicable: {self.model.__name__}'s API has no custom actions")
        targets = [self.make_object(self.out_of_scope_code, 2)]
        if getattr(self.model, "shared_downward", False):
            targets.append(self.make_object(self.shared_code, 3))
        for role in self.roles_below_city("view"):
            client = self.api_client_for(users[role])
            for target in targets:
                before = self.model._default_manager.get(pk=target.pk)
                for name in names:
                    response = client.post(reverse(name, args=[target.pk]), {}, format="json")
                    absent = client.post(reverse(name, args=[10**9]), {}, format="json")
                    assert response.status_code in (400, 403, 404), (role, name)
                    assert response.status_code == absent.status_code, (role, name)
                    assert response.status_code == 400 or response.json() == absent.json()
                after = self.model._default_manager.get(pk=target.pk)
                assert getattr(after, "updated_at", None) == getattr(before, "updated_at", None)

    def test_list_query_count_is_flat(self, users: dict[str, Any]) -> None:
        client = self.api_client_for(users[Role.CITY_ADMIN])
        for n in range(3):
            self.make_object(self.in_scope_code, 100 + n)
        with CaptureQueriesContext(connection) as few:
            assert (
                client.get(self.api_url(), {"page_size": 1000, **self.list_params}).status_code
                == 200
            )
        made = [self.make_object(self.in_scope_code, 200 + n) for n in range(12)]
        with CaptureQueriesContext(connection) as many:
            response = client.get(self.api_url(), {"page_size": 1000, **self.list_params})
            assert response.status_code == 200
        assert len(many) == len(few)
        listed = {row["id"] for row in response.json()["results"]}
        assert {obj.pk for obj in made} <= listed, "the list must show the rows it measured"
