"""No input produces a 500 (issue 9): bad filters, periods, bodies, NUL bytes and duplicates
are refused with a 4xx naming what is wrong, in Chinese, through the API and the pages."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from rest_framework import validators as drf_validators
from rest_framework.test import APIClient

from swstation.core.filtersets import BaseFilterSet
from swstation.core.roles import Role
from swstation.regions.models import Population, Region
from tests.clients import api_for as _api
from tests.clients import client_for as _page
from tests.concurrency import TIMEOUT, parallel, run_together
from tests.conftest import CICHENG, JIANGBEI

pytestmark = pytest.mark.django_db

# Values a fuzzer or a careless client sends to any query parameter.
BAD_VALUES = [
    "0",
    "0.0",
    "2020.5",
    "99999999999999999999",
    "-99999999999999999999",
    "1e400",
    "abc",
    "0000-01-01",
    "9999-12-31",
    "9999-12",
    "\x00",
    "x" * 100_000,
]


def _list_endpoints() -> list[tuple[str, Any]]:
    from swstation.urls import api_router

    endpoints = []
    for _prefix, viewset, basename in api_router.registry:
        try:
            url = reverse(f"api:{basename}-list")
        except NoReverseMatch:
            continue
        endpoints.append((url, getattr(viewset, "filterset_class", None)))
    return endpoints


@pytest.mark.parametrize(("url", "filterset"), _list_endpoints(), ids=lambda v: str(v))
def test_list_filters_and_pages_never_answer_500(
    url: str, filterset: Any, users: dict[str, Any]
) -> None:
    api = _api(users[Role.CITY_ADMIN])
    names = [*(filterset.base_filters if filterset else ()), "page", "page_size", "ordering"]
    failures = []
    for name in names:
        for value in BAD_VALUES:
            response = api.get(url, {name: value})
            if response.status_code >= 500:
                failures.append((name, value[:20], response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/cases/", "opened_year"),
        ("/api/v1/case-transfers/", "year"),
        ("/api/v1/certificates/", "obtained_year"),
        ("/api/v1/attendance/", "year"),
        ("/api/v1/stations/", "opened_year"),
        ("/api/v1/training-classes/", "year"),
        ("/api/v1/payment-batches/", "period_year"),
        ("/api/v1/populations/", "year"),
    ],
)
def test_a_year_filter_refuses_impossible_years_naming_the_parameter(
    url: str, param: str, users: dict[str, Any]
) -> None:
    api = _api(users[Role.CITY_ADMIN])
    for value in ("0", "0.0", "2020.5", "-1", "99999999999999999999"):
        response = api.get(url, {param: value})
        assert response.status_code == 400, (value, response.content)
        assert param in response.json()
    assert api.get(url, {param: "2024"}).status_code == 200
    assert api.get(url, {param: "2024.0"}).status_code == 200


def test_every_filterset_bounds_its_numbers_dates_and_texts() -> None:
    """The bounds come from the base filter set, so a new filter set cannot forget them."""
    from django import forms

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import swstation.urls  # noqa: F401  # imports every app's filter sets

    checked = 0
    for filterset in subclasses(BaseFilterSet):
        for name, flt in filterset.base_filters.items():
            field = flt.field
            if isinstance(field, forms.DecimalField | forms.FloatField):
                pytest.fail(f"{filterset.__name__}.{name} takes fractions")
            if isinstance(field, forms.IntegerField):
                assert field.min_value is not None and field.max_value is not None, name
                checked += 1
            elif isinstance(field, forms.DateField | forms.DateTimeField):
                assert field.validators, f"{filterset.__name__}.{name} has no date range"
                checked += 1
            elif type(field) is forms.CharField:
                assert field.max_length, f"{filterset.__name__}.{name} has no length limit"
                checked += 1
    assert checked > 50


def test_recipient_age_filters_are_bounded(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    for name in ("age_min", "age_max"):
        response = api.get("/api/v1/recipients/", {name: "99999999999999999999"})
        assert response.status_code == 400 and name in response.json()
        assert api.get("/api/v1/recipients/", {name: "80"}).status_code == 200


def test_list_pages_survive_bad_filters(users: dict[str, Any]) -> None:
    client = _page(users[Role.CITY_ADMIN])
    for url, params in [
        ("/cases/", {"opened_year": "0"}),
        ("/cases/transfers/", {"year": "0.0"}),
        ("/workforce/certificates/", {"obtained_year": "0"}),
        ("/cases/services/", {"month": "9999-12"}),
        ("/recipients/", {"age_min": "99999999999999999999"}),
    ]:
        try:
            response = client.get(url, params)
        except NoReverseMatch:  # pragma: no cover
            continue
        assert response.status_code in (200, 400, 404), (url, response.status_code)


def test_pagination_out_of_range_is_not_a_500(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    for page in ("0", "-1", "abc", "1.5"):
        response = api.get("/api/v1/cases/", {"page": page, "page_size": "0"})
        assert response.status_code == 400 and "page" in response.json(), page
    past_the_end = api.get("/api/v1/cases/", {"page": "99999999999999999999"})
    assert past_the_end.status_code == 404
    for size in ("0", "-1", "abc"):  # the default size
        response = api.get("/api/v1/regions/", {"page_size": size})
        assert response.status_code == 200 and len(response.json()["results"]) == 50
    big = api.get("/api/v1/regions/", {"page_size": "99999999999999999999"})
    assert big.status_code == 200 and len(big.json()["results"]) == 1000  # clamped


# --- the cockpit's period --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"start": "9999-01", "end": "9999-12"},
        {"start": "9999-12", "end": "9999-12"},
        {"start": "0001-01", "end": "0001-02"},
        {"start": "2100-12", "end": "2101-01"},
    ],
)
def test_stats_periods_out_of_range_are_400_naming_the_field(
    params: dict[str, str], users: dict[str, Any]
) -> None:
    api = _api(users[Role.CITY_ADMIN])
    for endpoint in ("overview", "breakdown", "regions", "stations"):
        response = api.get(f"/api/v1/stats/{endpoint}/", params)
        assert response.status_code == 400, (endpoint, response.content)
        assert set(response.json()) & {"start", "end"}
    page = _page(users[Role.CITY_ADMIN]).get("/cockpit/", params)
    assert page.status_code in (200, 400)


def test_stats_region_with_a_nul_byte_is_400(users: dict[str, Any]) -> None:
    response = _api(users[Role.CITY_ADMIN]).get("/api/v1/stats/overview/", {"region": "33\x00"})
    assert response.status_code == 400 and "region" in response.json()


# --- request bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"a":' * 5_000 + "1" + "}" * 5_000],
    ids=["arrays", "objects"],
)
def test_deeply_nested_json_is_refused_with_a_400(body: str, users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    response = api.generic("POST", "/api/v1/regions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_json_nested_up_to_the_limit_is_parsed(users: dict[str, Any]) -> None:
    from swstation.core.api.parsers import MAX_JSON_DEPTH

    api = _api(users[Role.CITY_ADMIN])
    # Brackets inside strings do not count.
    nested = {"name": "[[[{{{" * 100, "note": [[[[1]]]]}
    for _ in range(MAX_JSON_DEPTH - 6):
        nested = {"x": nested}
    response = api.generic(
        "POST", "/api/v1/regions/", json.dumps(nested), content_type="application/json"
    )
    assert response.status_code == 400  # not a valid region, but parsed: field errors
    assert "detail" not in response.json()


def test_a_huge_json_body_is_refused_with_413(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    body = json.dumps({"name": "x" * 30_000_000})
    response = api.generic("POST", "/api/v1/regions/", body, content_type="application/json")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"] and "请求" in response.json()["detail"]


def test_a_huge_form_post_is_refused_with_413(users: dict[str, Any]) -> None:
    client = _page(users[Role.CITY_ADMIN])
    response = client.post("/regions/add/", {"name": "x" * 30_000_000})
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_a_one_megabyte_value_is_refused_not_saved(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    huge = "x" * 1_000_000
    before = Region.objects.count()
    response = api.post(
        "/api/v1/regions/",
        {"code": "330205103999", "name": huge, "level": "village", "parent_code": CICHENG},
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()
    response = api.get("/api/v1/regions/", {"q": huge})
    assert response.status_code == 400 and "q" in response.json()
    station = api.post("/api/v1/service-agencies/", {"name": "机构", "note": huge}, format="json")
    assert station.status_code == 400 and "note" in station.json()
    assert Region.objects.count() == before


def test_api_text_fields_without_a_model_limit_get_one(users: dict[str, Any]) -> None:
    from swstation.core.forms import TEXT_MAX_LENGTH
    from swstation.stations.api.serializers import StationSerializer

    serializer = StationSerializer(context={"request": None})
    assert serializer.fields["note"].max_length == TEXT_MAX_LENGTH


# --- NUL bytes -------------------------------------------------------------------------------


def test_a_nul_byte_in_json_is_refused_naming_the_field(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    before = Region.objects.count()
    response = api.post(
        "/api/v1/regions/",
        {"code": "330205103999", "name": "a\x00b", "level": "village", "parent_code": CICHENG},
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json() and "空字符" in response.json()["name"][0]
    # Inside a JSON field, and in a key: named by the top-level field.
    for payload in (
        {"name": "标准", "station_kinds": ["township\x00"]},
        {"name": "标准", "required_rooms": [{"kind\x00": 1}]},
    ):
        response = api.post("/api/v1/construction-standards/", payload, format="json")
        assert response.status_code == 400
        assert set(response.json()) & {"station_kinds", "required_rooms"}
    assert Region.objects.count() == before


def test_a_nul_byte_in_a_query_or_form_is_400_naming_the_field(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    response = api.get("/api/v1/recipients/", {"q": "张\x00"})
    assert response.status_code == 400 and "q" in response.json()
    client = _page(users[Role.CITY_ADMIN])
    response = client.get("/regions/", {"q": "\x00"})
    assert response.status_code == 400 and "q" in response.content.decode()
    response = client.post("/regions/population/add/", {"region": JIANGBEI, "note": "a\x00"})
    assert response.status_code == 400 and "note" in response.content.decode()
    assert "空字符" in response.content.decode()


def test_add_pages_survive_nul_bytes_and_huge_values(users: dict[str, Any]) -> None:
    """Every add page of the city bureau, sent NUL bytes and long values in every field."""
    from django.urls import get_resolver

    client = _page(users[Role.CITY_ADMIN])
    names = []
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in ("api", "admin"):
            continue
        names += [
            f"{namespace}:{name}" for name in resolver.reverse_dict if str(name).endswith("_add")
        ]
    assert len(names) > 10
    failures = []
    for name in names:
        url = reverse(name)
        form = client.get(url).context
        fields = list(form["form"].fields) if form and "form" in form else ["name"]
        for value in ("\x00", "x" * 200_000, "99999999999999999999", "0000-01-01"):
            response = client.post(url, dict.fromkeys(fields, value))
            if response.status_code >= 500:
                failures.append((name, value[:10], response.status_code))
    assert failures == []


# --- duplicates ------------------------------------------------------------------------------


def test_duplicates_are_400_naming_the_field(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    region = api.post(
        "/api/v1/regions/",
        {"code": CICHENG, "name": "重复", "level": "township", "parent_code": JIANGBEI},
        format="json",
    )
    assert region.status_code == 400 and "code" in region.json()
    existing = Population.objects.filter(region__code=JIANGBEI).first()
    assert existing is not None
    population = api.post(
        "/api/v1/populations/",
        {"region_code": JIANGBEI, "year": existing.year, "population": 5},
        format="json",
    )
    assert population.status_code == 400
    worker = users[Role.SOCIAL_WORKER]
    user = api.post(
        "/api/v1/users/",
        {
            "username": worker.username.upper(),
            "password": "Another-password-2026",
            "role": Role.SOCIAL_WORKER,
            "jurisdiction_code": CICHENG,
        },
        format="json",
    )
    assert user.status_code == 400 and "username" in user.json(), user.content


def _free_year() -> int:
    """Next year: a population may be entered for it, and none is loaded."""
    return timezone.localdate().year + 1


@contextmanager
def _uniqueness_checks_blind() -> Iterator[None]:
    """The state of two requests sent together: each checked that the value was free before
    the other one wrote it. Only the database's unique constraint can still see the clash."""

    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    with (
        mock.patch.object(drf_validators.UniqueValidator, "__call__", nothing),
        mock.patch.object(drf_validators.UniqueTogetherValidator, "__call__", nothing),
        mock.patch.object(models.Model, "validate_unique", nothing),
        mock.patch.object(models.Model, "validate_constraints", nothing),
    ):
        yield


RACES = [
    (
        "/api/v1/regions/",
        "/regions/add/",
        lambda: {"code": "330205103901", "name": "新村", "level": "village"},
        {"parent_code": CICHENG},
        {"parent": "330205103000"},
        "code",
    ),
    (
        "/api/v1/populations/",
        "/regions/population/add/",
        lambda: {"year": _free_year(), "population": 100},
        {"region_code": JIANGBEI},
        {"region": JIANGBEI, "status": "entered"},
        "year",
    ),
    (
        "/api/v1/users/",
        "/accounts/users/add/",
        lambda: {"username": "Racer", "role": Role.SOCIAL_WORKER, "full_name": "赛跑"},
        {"jurisdiction_code": CICHENG, "password": "Racing-password-2026"},
        {
            "jurisdiction": CICHENG,
            "password1": "Racing-password-2026",
            "password2": "Racing-password-2026",
        },
        "username",
    ),
]


@pytest.mark.parametrize(
    ("api_url", "page_url", "common", "api_extra", "page_extra", "field"), RACES
)
def test_a_race_of_two_creates_is_a_400_naming_the_field(
    api_url: str,
    page_url: str,
    common: Any,
    api_extra: dict[str, Any],
    page_extra: dict[str, Any],
    field: str,
    users: dict[str, Any],
) -> None:
    api = _api(users[Role.CITY_ADMIN])
    first = api.post(api_url, {**common(), **api_extra}, format="json")
    assert first.status_code == 201, first.content
    page_data = {**common(), **page_extra}
    if "region" in page_data:
        page_data["region"] = Region.objects.get(code=page_data["region"]).pk
    if "parent" in page_data:
        page_data["parent"] = Region.objects.get(code=page_data["parent"]).pk
    if "jurisdiction" in page_data:
        page_data["jurisdiction"] = Region.objects.get(code=page_data["jurisdiction"]).pk
    with _uniqueness_checks_blind():
        second = api.post(api_url, {**common(), **api_extra}, format="json")
        page = _page(users[Role.CITY_ADMIN]).post(page_url, page_data)
    assert second.status_code == 400, second.content
    assert field in second.json() and "已存在" in second.json()[field][0]
    assert page.status_code == 200  # the form again, with the error
    assert "已存在" in page.content.decode(), page.context["form"].errors


def test_user_names_are_unique_whatever_their_case(users: dict[str, Any]) -> None:
    from swstation.accounts.models import User

    worker = users[Role.SOCIAL_WORKER]
    clash = User(username=worker.username.upper(), role=Role.SOCIAL_WORKER)
    clash.jurisdiction = worker.jurisdiction
    with pytest.raises(Exception) as caught:
        clash.full_clean(exclude=["password"])
    assert "username" in caught.value.message_dict  # type: ignore[attr-defined]
    page = _page(users[Role.CITY_ADMIN]).post(
        "/accounts/users/add/",
        {
            "username": worker.username.upper(),
            "role": Role.SOCIAL_WORKER,
            "jurisdiction": worker.jurisdiction.pk,
            "password1": "Racing-password-2026",
            "password2": "Racing-password-2026",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors.get("username")


# --- API messages in Chinese -----------------------------------------------------------------


def test_api_messages_are_chinese_by_default(users: dict[str, Any]) -> None:
    api = _api(users[Role.CITY_ADMIN])
    malformed = api.generic("POST", "/api/v1/regions/", "{oops", content_type="application/json")
    assert malformed.status_code == 400
    assert "JSON" in malformed.json()["detail"] and "第 1 行" in malformed.json()["detail"]
    not_json = api.generic("POST", "/api/v1/regions/", b"\xff\xfe", content_type="application/json")
    assert not_json.status_code == 400 and "UTF-8" in not_json.json()["detail"]
    past_the_end = api.get("/api/v1/regions/", {"page": "9999"})
    assert past_the_end.status_code == 404 and "无效" in past_the_end.json()["detail"]
    bad_page = api.get("/api/v1/regions/", {"page": "abc"})
    assert bad_page.status_code == 400 and "页码" in bad_page.json()["page"][0]
    anonymous = APIClient().get("/api/v1/regions/")
    assert anonymous.status_code == 401 and "身份" in anonymous.json()["detail"]
    english = api.generic(
        "POST",
        "/api/v1/regions/",
        "{oops",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "line 1" in english.json()["detail"]


# --- answers that match their own schema (found by scripts/fuzz-api) ------------------------


def test_case_answers_match_their_schema(users: dict[str, Any]) -> None:
    """A case without a supervisor and not closed answers ``supervisor_name: null`` and
    ``closing_reason: ""``: the schema allows both, and a PATCH answers every field."""
    from drf_spectacular.generators import SchemaGenerator

    from tests.cases.case_builders import make_case

    schema = SchemaGenerator().get_schema(request=None, public=True)
    case_schema = schema["components"]["schemas"]["Case"]
    assert case_schema["properties"]["supervisor_name"].get("nullable")
    reasons = case_schema["properties"]["closing_reason"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in reasons
    assert schema["components"]["schemas"]["BlankEnum"]["enum"] == [""]

    case = make_case(case_supervisor=None)
    case.supervisor = None
    case.save()
    api = _api(users[Role.CITY_ADMIN])
    shown = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert shown["supervisor_name"] is None and shown["closing_reason"] == ""
    patched = api.patch(f"/api/v1/cases/{case.pk}/", {}, format="json")
    assert patched.status_code == 200, patched.content
    assert set(case_schema["required"]) <= set(patched.json())


# --- real races on PostgreSQL (tests/concurrency.py) ----------------------------------------


@contextmanager
def held_after(cls: type, method: str, barrier: threading.Barrier) -> Iterator[None]:
    """Each call of ``cls.method`` waits, once it has returned, for the other racer's call: the
    two requests have both checked before either writes, as two sent together may."""
    original = getattr(cls, method)

    def held(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        barrier.wait()
        return result

    with mock.patch.object(cls, method, held):
        yield


@parallel
def test_two_population_creates_sent_together_are_a_201_and_a_400(make_user: Any) -> None:
    """Both requests pass the serializer's uniqueness check before either writes: the
    database's constraint refuses the second, and the answer names the field."""
    from swstation.regions.api.serializers import PopulationSerializer

    admin = make_user(Role.CITY_ADMIN)

    def create() -> Any:
        client = _api(admin)
        return lambda: client.post(
            "/api/v1/populations/",
            {"region_code": JIANGBEI, "year": _free_year(), "population": 100},
            format="json",
        )

    with held_after(PopulationSerializer, "is_valid", threading.Barrier(2, timeout=TIMEOUT)):
        answers = run_together(create(), create())
    assert sorted(a.status_code for a in answers) == [201, 400], [a.content for a in answers]
    refused = next(a for a in answers if a.status_code == 400).json()
    assert "year" in refused and "已存在" in refused["year"][0]
    assert Population.objects.filter(region__code=JIANGBEI, year=_free_year()).count() == 1


@parallel
def test_two_user_names_differing_in_case_sent_together_make_one_account(
    make_user: Any,
) -> None:
    from swstation.accounts.models import User

    admin = make_user(Role.CITY_ADMIN)

    def create(username: str) -> Any:
        client = _api(admin)
        return lambda: client.post(
            "/api/v1/users/",
            {
                "username": username,
                "password": "Racing-password-2026",
                "role": Role.SOCIAL_WORKER,
                "jurisdiction_code": CICHENG,
            },
            format="json",
        )

    # Both pass every check (the model's validation included) before either writes.
    with held_after(User, "full_clean", threading.Barrier(2, timeout=TIMEOUT)):
        answers = run_together(create("Racer"), create("racer"))
    assert sorted(a.status_code for a in answers) == [201, 400], [a.content for a in answers]
    refused = next(a for a in answers if a.status_code == 400).json()
    assert "username" in refused and "已存在" in refused["username"][0]
    assert User.objects.filter(username__iexact="racer").count() == 1


@parallel
def test_options_on_a_record_outside_a_test_transaction_is_not_a_500(make_user: Any) -> None:
    """DRF's metadata tries a PUT of the object, which locks its row: outside a transaction
    (a real server, unlike a test wrapped in one) that was a 500 on every detail endpoint."""
    api = _api(make_user(Role.CITY_ADMIN))
    for url in ("/api/v1/rooms/0/", "/api/v1/populations/0/", "/api/v1/regions/1/"):
        assert api.options(url).status_code == 200, url


@parallel
def test_two_openings_of_a_case_sent_together_make_one_case(users: dict[str, Any]) -> None:
    """One open case per person and station: the check runs under the station's lock, so the
    second of two openings sent together sees the first one's case."""
    from django.core.exceptions import ValidationError

    from swstation.cases import services as case_services
    from swstation.cases.models import Case
    from tests.cases import case_builders as build

    worker = build.worker_of(users[Role.SOCIAL_WORKER])
    person = build.recipient(CICHENG)
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    checked = case_services.cases._check_supervisor

    def then_wait(*args: Any, **kwargs: Any) -> None:  # both have checked everything before
        checked(*args, **kwargs)
        barrier.wait()

    def open_case() -> Any:
        return case_services.case_open(
            actor=users[Role.SOCIAL_WORKER],
            recipient=person,
            station=worker.station,
            worker=worker,
            presenting_problem="独居老人，需要生活照料",
        )

    with mock.patch.object(case_services.cases, "_check_supervisor", then_wait):
        results = run_together(open_case, open_case)
    assert sum(isinstance(r, Case) for r in results) == 1, results
    refused = next(r for r in results if isinstance(r, ValidationError))
    assert "recipient" in refused.message_dict
    assert Case.objects.filter(recipient=person).count() == 1


def test_an_import_file_may_be_larger_than_a_form_but_not_without_limit(
    users: dict[str, Any],
) -> None:
    """A 5 MB workbook reaches the import (which says it is damaged: it is not a workbook);
    a body over the import limit plus a form's is refused before it is read."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _page(users[Role.CITY_ADMIN])
    url = reverse("stations:station_import")
    five_mb = SimpleUploadedFile("台账.xlsx", b"x" * 5 * 1024 * 1024)
    response = client.post(url, {"file": five_mb})
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.SWSTATION_IMPORT_MAX_BYTES
    too_big = SimpleUploadedFile("台账.xlsx", b"x" * (limit + 1))
    response = client.post(url, {"file": too_big})
    assert response.status_code == 413
