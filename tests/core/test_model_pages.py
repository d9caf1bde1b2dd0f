"""A model's pages declared once (core.views.registry): an edit page that names its create and
update services writes through them, with the record under the keyword the update service
takes it by; the branching "update if it exists, else create" lives in core only."""

from typing import Any

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from swstation.cases.services.records import elderly_assessment_update
from swstation.core.forms import VERSION_FIELD
from swstation.core.roles import Role
from swstation.core.versions import version_token
from swstation.core.views.generic import EditServices, record_keyword
from swstation.core.views.registry import ModelPages
from swstation.regions.forms import PopulationForm
from swstation.regions.models import Population, Region
from swstation.stations.services import station_update
from tests.conftest import CICHENG


def test_the_record_keyword_is_the_update_services_first_after_actor() -> None:
    assert record_keyword(station_update) == "station"
    assert record_keyword(elderly_assessment_update) == "assessment"


@pytest.mark.parametrize(
    "service",
    [
        lambda *, actor, **changes: None,  # no record
        lambda *, population, **changes: None,  # no actor
        lambda actor, population: None,  # positional
    ],
)
def test_an_update_service_of_another_shape_is_refused_when_declared(service: Any) -> None:
    with pytest.raises(TypeError, match="actor, <record>"):
        EditServices(create=lambda *, actor, **data: None, update=service)


def test_both_services_or_neither() -> None:
    def create(*, actor: Any, **data: Any) -> None: ...

    with pytest.raises(TypeError, match="both create= and update="):
        ModelPages(Population, prefix="p/", create=create)
    with pytest.raises(ValueError, match="no such pages"):
        ModelPages(Population, prefix="p/", actions=("list", "approve"))


class Recorder:
    """Stand-in services that record how the page called them and save as the real ones do."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def create(self, *, actor: Any, **data: Any) -> Population:
        self.calls.append(("create", {"actor": actor, **data}))
        return Population.objects.create(**data)

    def update(self, *, actor: Any, figure: Population, **changes: Any) -> Population:
        self.calls.append(("update", {"actor": actor, "figure": figure, **changes}))
        for name, value in changes.items():
            setattr(figure, name, value)
        figure.save()
        return figure


def post(view: Any, user: Any, data: dict[str, Any], **kwargs: Any) -> Any:
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return view.as_view()(request, **kwargs)


@pytest.mark.django_db
def test_the_edit_page_writes_through_the_declared_services(users: dict[str, Any]) -> None:
    services = Recorder()
    pages = ModelPages(
        Population,
        prefix="populations/",
        form=PopulationForm,
        create=services.create,
        update=services.update,
    )
    view = pages.view("edit")
    admin = users[Role.CITY_ADMIN]
    region = Region.objects.get(code=CICHENG)
    row = {"region": region.pk, "year": 1977, "population": 5, "status": "entered", "note": "甲"}

    response = post(view, admin, row)
    assert response.status_code == 302
    created = Population.objects.get(region=region, year=1977)
    assert services.calls == [("create", {"actor": admin, **row, "region": region})]

    services.calls.clear()
    changed = {**row, "population": 6, VERSION_FIELD: version_token(created)}
    response = post(view, admin, changed, pk=created.pk)
    assert response.status_code == 302
    [(kind, arguments)] = services.calls
    assert kind == "update" and arguments["figure"] == created  # the record by its keyword
    assert arguments["actor"] == admin and arguments["population"] == 6
    assert set(arguments) == {"actor", "figure", "region", "year", "population", "status", "note"}
    created.refresh_from_db()
    assert created.population == 6


def test_a_record_keyword_that_is_also_a_field_is_a_clear_error() -> None:
    def update(*, actor: Any, population: Population, **changes: Any) -> None: ...

    services = EditServices(create=lambda *, actor, **data: None, update=update)
    record = Population(pk=1)
    with pytest.raises(TypeError, match="takes the record as 'population', a field"):
        services.save(record, actor=None, data={"population": 6})  # type: ignore[arg-type]
