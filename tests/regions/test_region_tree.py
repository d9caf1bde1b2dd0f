"""The division tree: codes, loading (idempotent, all or nothing), pages and API."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.regions.codes import significant_prefix, township_kind, village_kind
from swstation.regions.models import Population, Region
from swstation.regions.services import PACKAGED_DATA, region_import_divisions
from tests.conftest import CICHENG, CICHENG_VILLAGE, JIANGBEI

HEADER = "code,name,level,parent_code,is_development_zone\n"


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("330200000000", "city", "3302"),
        ("330205000000", "county", "330205"),
        ("330205103000", "township", "330205103"),
        ("330205103201", "village", "330205103201"),
    ],
)
def test_significant_prefix(code: str, level: str, prefix: str) -> None:
    assert significant_prefix(code, level) == prefix


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("330203004000", "street"),
        ("330205103000", "town"),
        ("330226200000", "township"),
        ("330282400000", "other"),
    ],
)
def test_township_kind(code: str, kind: str) -> None:
    assert township_kind(code) == kind


def test_village_kind() -> None:
    assert village_kind("330205103001") == "community"
    assert village_kind("330205103201") == "village"
    assert village_kind("330205103401") == "other"


@pytest.mark.django_db
def test_ningbo_tree_has_the_published_counts() -> None:
    """shared/data/ningbo/README.md: 1 city, 10 counties, 162 township units, 3,042 villages."""
    assert Region.objects.filter(level="city").count() == 1
    assert Region.objects.filter(level="county").count() == 10
    townships = Region.objects.filter(level="township")
    assert townships.count() == 162
    assert townships.filter(is_development_zone=True).count() == 6
    assert townships.filter(is_development_zone=False).count() == 156
    assert Region.objects.filter(level="village").count() == 3042
    village = Region.objects.get(code=CICHENG_VILLAGE)
    assert village.parent is not None and village.parent.code == CICHENG
    assert village.parent.parent is not None and village.parent.parent.code == JIANGBEI


@pytest.mark.django_db
def test_import_is_idempotent_and_reports_updates(tmp_path: Path) -> None:
    again = region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3215)

    changed = tmp_path / "divisions.csv"
    changed.write_text(
        HEADER
        + "330205103000,慈城镇（改）,township,330205000000,0\n"
        + "330205103599,新设社区,village,330205103000,0\n",
        encoding="utf-8",
    )
    report = region_import_divisions(path=changed, actor=SYSTEM)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert Region.objects.get(code=CICHENG).name == "慈城镇（改）"
    new = Region.objects.get(code="330205103599")
    assert new.parent is not None and new.parent.code == CICHENG
    assert new.history.count() == 1


@pytest.mark.django_db
def test_import_saves_nothing_when_one_row_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "divisions.csv"
    bad.write_text(
        HEADER
        + "330205103598,好社区,village,330205103000,0\n"
        + "33020510359,坏编码,village,330205103000,0\n"
        + "330205103597,孤儿村,village,330299999000,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        region_import_divisions(path=bad, actor=SYSTEM)
    assert any("3" in m and "12" in m for m in caught.value.messages)  # line 3: not 12 digits
    assert not Region.objects.filter(code="330205103598").exists()


@pytest.mark.django_db
def test_import_rejects_an_unknown_parent_and_rolls_back(tmp_path: Path) -> None:
    bad = tmp_path / "divisions.csv"
    bad.write_text(
        HEADER
        + "330205103598,好社区,village,330205103000,0\n"
        + "330205103597,孤儿村,village,330299999000,0\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        region_import_divisions(path=bad, actor=SYSTEM)
    assert "330299999000" in " ".join(caught.value.messages)
    assert not Region.objects.filter(code="330205103598").exists()


@pytest.mark.django_db
def test_load_regions_command_reports(capsys: Any) -> None:
    call_command("load_regions", str(PACKAGED_DATA / "divisions.csv"))
    assert "0 created, 0 updated, 3215 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_region_page_shows_children_breadcrumbs_and_population(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    jiangbei = Region.objects.get(code=JIANGBEI)
    body = client.get(jiangbei.get_absolute_url()).content.decode()
    assert "慈城镇" in body  # a child
    assert "宁波市" in body  # the breadcrumb, not linked: outside the officer's scope
    assert f'href="/regions/{Region.objects.get(level="city").pk}/"' not in body
    assert "488,885" in body or "488885" in body  # 2020 census population of 江北区

    village = Region.objects.get(code=CICHENG_VILLAGE)
    body = client.get(village.get_absolute_url()).content.decode()
    assert f'href="{jiangbei.get_absolute_url()}"' in body
    assert f'href="{village.parent.get_absolute_url()}"' in body  # type: ignore[union-attr]


@pytest.mark.django_db
def test_population_edit_changes_the_region_page(users: dict[str, Any]) -> None:
    admin = Client()
    admin.force_login(users[Role.CITY_ADMIN])
    figure = Population.objects.get(region__code=JIANGBEI, year=2020)
    response = admin.post(
        f"/regions/population/{figure.pk}/edit/",
        {
            "region": figure.region_id,
            "year": 2020,
            "population": 500001,
            "status": "entered",
            "note": "复核",
        },
    )
    assert response.status_code == 302
    body = admin.get(figure.region.get_absolute_url()).content.decode()
    assert "500,001" in body or "500001" in body


@pytest.mark.django_db
def test_regions_api_contract(users: dict[str, Any], api_client: Any) -> None:
    api_client.force_authenticate(users[Role.CITY_ADMIN])
    data = api_client.get("/api/v1/regions/", {"level": "county"}).json()
    assert data["count"] == 10
    row = data["results"][0]
    assert {"code", "name", "level", "parent_code", "is_development_zone"} <= row.keys()
    assert row["parent_code"] == "330200000000"
    towns = api_client.get("/api/v1/regions/", {"parent_code": JIANGBEI, "page_size": 100}).json()
    assert towns["count"] == Region.objects.filter(parent__code=JIANGBEI).count()
    zones = api_client.get(
        "/api/v1/regions/", {"level": "township", "is_development_zone": "true"}
    ).json()
    assert zones["count"] == 6


@pytest.mark.django_db
def test_district_officer_api_sees_only_the_district(
    users: dict[str, Any], api_client: Any
) -> None:
    api_client.force_authenticate(users[Role.DISTRICT_OFFICER])
    data = api_client.get("/api/v1/regions/", {"page_size": 1000}).json()
    assert data["count"] == Region.objects.filter(code__startswith="330205").count()
    assert all(row["code"].startswith("330205") for row in data["results"])


@pytest.mark.django_db
def test_region_list_is_in_code_order(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    table = client.get("/regions/", {"per_page": 100}).context["table"]
    codes = [row.record.code for row in table.page.object_list]
    assert codes == sorted(codes) and codes[0] == JIANGBEI


@pytest.mark.django_db
def test_region_placement_rules_hold_in_the_api_too(users: dict[str, Any], api_client: Any) -> None:
    """A rule is written once (Region.clean) and the page, the API and the importer share it."""
    api_client.force_authenticate(users[Role.CITY_ADMIN])
    wrong_prefix = api_client.post(
        "/api/v1/regions/",
        {
            "code": "330205103999",
            "name": "错位村",
            "level": "village",
            "parent_code": "330203004000",
        },
        format="json",
    )
    assert wrong_prefix.status_code == 400 and "code" in wrong_prefix.json()
    orphan = api_client.post(
        "/api/v1/regions/",
        {"code": "330205199000", "name": "无上级镇", "level": "township"},
        format="json",
    )
    assert orphan.status_code == 400 and "parent_code" in orphan.json()
    assert not Region.objects.filter(code__in=["330205103999", "330205199000"]).exists()


@pytest.mark.django_db
def test_import_refuses_a_child_outside_its_parent_prefix(tmp_path: Path) -> None:
    bad = tmp_path / "divisions.csv"
    bad.write_text(HEADER + "330205103999,错位村,village,330203004000,0\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        region_import_divisions(path=bad, actor=SYSTEM)
    assert not Region.objects.filter(code="330205103999").exists()
