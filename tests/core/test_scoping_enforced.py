"""Scoping that cannot be bypassed (issue 9): whatever queryset a view or viewset subclass
returns is narrowed to the caller's jurisdiction for the action, and every write re-checks its
object inside the transaction — the CRUD actions and custom actions alike."""

from typing import Any

import pytest
from django.db.models import QuerySet
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from swstation.core.actors import SYSTEM, require_actor
from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.core.roles import Role
from swstation.regions.models import Region
from swstation.stations.api.serializers import ServiceAgencySerializer
from swstation.stations.filtersets import ServiceAgencyFilterSet
from swstation.stations.models import ServiceAgency
from tests.conftest import CITY, HAISHU, JIANGBEI

pytestmark = pytest.mark.django_db


def _agency(name: str, code: str) -> ServiceAgency:
    return ServiceAgency.objects.create(
        name=name,
        credit_code=f"52330200MJ{abs(hash(name)) % 10**8:08d}",
        region=Region.objects.get(code=code),
    )


@pytest.fixture
def agencies() -> dict[str, ServiceAgency]:
    return {
        "city": _agency("宁波市级社工机构", CITY),
        "jiangbei": _agency("江北区社工机构", JIANGBEI),
        "haishu": _agency("海曙区社工机构", HAISHU),
    }


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_district_officer_cannot_delete_or_change_a_city_agency_through_the_api(
    users: dict[str, Any], agencies: dict[str, ServiceAgency]
) -> None:
    """The agency viewset reads through a selector; the write scope still holds."""
    api = _api(users[Role.DISTRICT_OFFICER])
    city = agencies["city"]
    assert api.get(f"/api/v1/service-agencies/{city.pk}/").status_code == 200
    assert (
        api.patch(
            f"/api/v1/service-agencies/{city.pk}/", {"name": "改名"}, format="json"
        ).status_code
        == 404
    )
    assert api.delete(f"/api/v1/service-agencies/{city.pk}/").status_code == 404
    city.refresh_from_db()
    assert city.name == "宁波市级社工机构"
    # Their own district's agency is theirs to change.
    own = agencies["jiangbei"]
    assert api.delete(f"/api/v1/service-agencies/{own.pk}/").status_code == 204


class _LeakyAgencyViewSet(ScopedModelViewSet):
    """A subclass that forgets the jurisdiction in its queryset and in a custom action."""

    model = ServiceAgency
    serializer_class = ServiceAgencySerializer
    filterset_class = ServiceAgencyFilterSet

    def get_queryset(self) -> QuerySet[ServiceAgency]:
        return ServiceAgency.objects.all()

    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: str | None = None) -> Response:
        agency = self.get_object()
        agency.name = "被改名"
        agency.save()
        return Response({"ok": True})

    @action(detail=False)
    def names(self, request: Request) -> Response:
        return Response(sorted(a.name for a in self.get_queryset()))


def _call(user: Any, method: str, actions: dict[str, str], path: str = "/", **kwargs: Any) -> Any:
    factory = APIRequestFactory()
    request = getattr(factory, method)(path, format="json")
    force_authenticate(request, user=user)
    return _LeakyAgencyViewSet.as_view(actions)(request, **kwargs)


def test_a_subclass_queryset_is_narrowed_to_the_jurisdiction(
    users: dict[str, Any], agencies: dict[str, ServiceAgency]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    listed = _call(officer, "get", {"get": "list"})
    names = {row["name"] for row in listed.data["results"]}
    assert "江北区社工机构" in names and "宁波市级社工机构" in names  # shared downward
    assert "海曙区社工机构" not in names
    assert _call(officer, "get", {"get": "names"}).data == ["宁波市级社工机构", "江北区社工机构"]
    assert _call(officer, "get", {"get": "retrieve"}, pk=agencies["haishu"].pk).status_code == 404


def test_a_custom_action_writes_only_in_the_write_scope(
    users: dict[str, Any], agencies: dict[str, ServiceAgency]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    for key in ("city", "haishu"):
        response = _call(officer, "post", {"post": "rename"}, pk=agencies[key].pk)
        assert response.status_code == 404
        agencies[key].refresh_from_db()
        assert agencies[key].name != "被改名"
    response = _call(officer, "post", {"post": "rename"}, pk=agencies["jiangbei"].pk)
    assert response.status_code == 200


def test_a_subclass_may_not_override_where_scoping_lives() -> None:
    with pytest.raises(TypeError, match="get_object"):

        class _Bypass(ScopedModelViewSet):
            model = ServiceAgency

            def get_object(self) -> Any:
                return ServiceAgency.objects.first()


def test_a_plain_queryset_is_refused_not_leaked(users: dict[str, Any]) -> None:
    class _Plain(ScopedModelViewSet):
        model = ServiceAgency
        serializer_class = ServiceAgencySerializer

        def get_queryset(self) -> QuerySet[ServiceAgency]:
            return QuerySet(model=ServiceAgency)

    request = APIRequestFactory().get("/")
    force_authenticate(request, user=users[Role.CITY_ADMIN])
    response = _Plain.as_view({"get": "list"})(request)
    assert response.status_code == 500  # a programming error, logged; no rows sent
    assert "results" not in response.data


def test_the_system_actor_is_explicit() -> None:
    with pytest.raises(TypeError, match="actor is required"):
        require_actor(None)
    assert require_actor(SYSTEM) is SYSTEM
    assert ServiceAgency.objects.visible_to(SYSTEM, for_write=True).query is not None


def test_a_service_refuses_a_missing_actor_instead_of_skipping_the_checks() -> None:
    """``actor=None`` used to mean "the system: no jurisdiction check"; now the platform's own
    writes name :data:`SYSTEM` and a forgotten actor is an error."""
    from datetime import date

    from swstation.cases.services.records import visit_schedule_create
    from swstation.regions.services import PACKAGED_DATA, population_import
    from tests.cases import case_builders as build

    recipient, worker = build.recipient(), build.worker()
    with pytest.raises(TypeError, match="actor is required"):
        visit_schedule_create(
            actor=None,
            recipient=recipient,
            worker=worker,
            service_type="health_visit",
            times_per_month=2,
            starts_on=date(2026, 1, 1),
        )
    with pytest.raises(TypeError):
        population_import(path=PACKAGED_DATA / "population.csv")  # type: ignore[call-arg]
    schedule = visit_schedule_create(
        actor=SYSTEM,
        recipient=recipient,
        worker=worker,
        service_type="health_visit",
        times_per_month=2,
        starts_on=date(2026, 1, 1),
    )
    assert schedule.history.first().history_user is None  # the platform, not a person


def test_the_platform_registers_a_person_as_no_person_in_the_history() -> None:
    """Every service that records an author takes SYSTEM (the recipients' too)."""
    from datetime import date

    from swstation.recipients.services import recipient_create
    from tests.recipients.helpers import CICHENG_VILLAGE, id_number, region

    person = recipient_create(
        actor=SYSTEM,
        name="系统登记",
        region=region(CICHENG_VILLAGE),
        document_number=id_number(date(1950, 5, 5), serial=31),
        consent_given=True,
        consent_on=date(2026, 1, 5),
    )
    assert person.history.first().history_user is None
    with pytest.raises(TypeError, match="actor is required"):
        recipient_create(
            actor=None,
            name="无人登记",
            region=region(CICHENG_VILLAGE),
            document_number=id_number(date(1950, 5, 6), serial=33),
            consent_given=True,
            consent_on=date(2026, 1, 5),
        )
