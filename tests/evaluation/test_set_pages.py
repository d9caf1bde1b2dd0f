"""A version's page (its tree, readable on a phone; the city bureau's buttons "copy as a new
version" and "publish") and the API's nested detail, copy and publish (issue 15)."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from swstation.core.roles import Role
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet, SetStatus
from tests.clients import api_for as api_client
from tests.clients import client_for as page_client
from tests.evaluation.helpers import (
    DEFAULT_NAME,
    make_dimension,
    make_indicator,
    make_set,
    make_tree,
)

pytestmark = pytest.mark.django_db


def default_set() -> IndicatorSet:
    return IndicatorSet.objects.get(name=DEFAULT_NAME, version=1)


def tree_html(body: str) -> str:
    return body[body.index('id="indicator-tree"') :]


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_reads_the_default_tree(role: str, users: dict[str, Any]) -> None:
    response = page_client(users[role]).get(default_set().get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    tree = tree_html(body)
    for code in ("A", "H"):
        assert f'id="dimension-{code}"' in tree
    for code in ("A1", "B1", "D7", "H5"):
        assert f'id="indicator-{code}"' in tree
    assert "阵地建设" in tree and "8 分" in tree
    assert "≥ 3人 → 3；[2, 3)人 → 1.5；其他 0" in tree  # B1's bands
    assert "目标 24小时，按期折算" in tree  # B3
    assert "照片、平面图、场地使用协议" in tree  # A1's evidence
    assert "自动计算" in tree and "人工评分" in tree
    assert "<table" not in tree  # cards and lists: readable on a 390-px phone
    assert 'id="publish-button"' not in body  # published
    assert ('id="copy-button"' in body) == (role == Role.CITY_ADMIN)
    assert 'id="add-dimension"' not in body
    edit_url = reverse("evaluation:indicatorset_edit", args=[default_set().pk])
    assert edit_url not in body  # a published version offers no Edit


def test_a_draft_offers_publish_and_its_tree_to_edit(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (40, [25, 14]), "B": (60, [60])})
    body = page_client(users[Role.CITY_ADMIN]).get(draft.get_absolute_url()).content.decode()
    for marker in ('id="publish-button"', 'id="copy-button"', 'id="add-dimension"'):
        assert marker in body
    assert (
        reverse("evaluation:indicator_add") + f"?dimension={draft.dimensions.get(code='A').pk}"
        in body
    )
    # what stands in the way, before the button is pressed
    assert "一级指标“A 维度A”为 40 分，其二级指标合计 39 分：少 1 分。" in body
    assert "二级指标合计 39" in body
    officer = page_client(users[Role.DISTRICT_OFFICER]).get(draft.get_absolute_url())
    assert 'id="publish-button"' not in officer.content.decode()


def test_the_page_query_count_is_flat(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (50, [50]), "B": (50, [50])})
    client = page_client(users[Role.CITY_ADMIN])
    with CaptureQueriesContext(connection) as few:
        assert client.get(draft.get_absolute_url()).status_code == 200
    make_tree(draft, {"C": (1, [1, 1, 1]), "D": (1, [1, 1]), "E": (1, [1])})
    with CaptureQueriesContext(connection) as many:
        assert client.get(draft.get_absolute_url()).status_code == 200
    assert len(many) == len(few)


def test_copy_from_the_page_opens_the_new_draft(users: dict[str, Any]) -> None:
    client = page_client(users[Role.CITY_ADMIN])
    response = client.post(reverse("evaluation:indicatorset_copy", args=[default_set().pk]))
    copy = IndicatorSet.objects.get(name=DEFAULT_NAME, version=2)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert copy.status == SetStatus.DRAFT
    assert Indicator.objects.filter(dimension__indicator_set=copy).count() == 37
    body = client.get(copy.get_absolute_url()).content.decode()
    assert "已复制为" in body and 'id="publish-button"' in body


def test_publish_from_the_page_says_what_is_off(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (40, [40]), "B": (50, [50])})
    client = page_client(users[Role.CITY_ADMIN])
    response = client.post(reverse("evaluation:indicatorset_publish", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert "各一级指标合计 90 分，应为 100 分：少 10 分。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SetStatus.DRAFT
    make_tree(draft, {"C": (10, [10])})
    response = client.post(reverse("evaluation:indicatorset_publish", args=[draft.pk]), follow=True)
    assert "已发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SetStatus.PUBLISHED


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.CITY_ADMIN])
def test_the_buttons_refuse_other_roles(role: str, users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (100, [100])})
    client = page_client(users[role])
    assert client.post(reverse("evaluation:indicatorset_copy", args=[draft.pk])).status_code == 403
    publish = client.post(reverse("evaluation:indicatorset_publish", args=[draft.pk]))
    assert publish.status_code == 403
    assert IndicatorSet.objects.filter(name=draft.name).count() == 1
    draft.refresh_from_db()
    assert draft.status == SetStatus.DRAFT


def test_a_published_dimension_is_not_edited_from_its_pages(users: dict[str, Any]) -> None:
    dimension = default_set().dimensions.get(code="A")
    client = page_client(users[Role.CITY_ADMIN])
    body = client.get(dimension.get_absolute_url()).content.decode()
    assert reverse("evaluation:dimension_edit", args=[dimension.pk]) not in body
    response = client.post(
        reverse("evaluation:dimension_edit", args=[dimension.pk]),
        {"code": "A", "order": 1, "name": "改名", "points": "9"},
    )
    assert response.status_code == 200
    assert "已发布" in response.content.decode()
    dimension.refresh_from_db()
    assert dimension.name == "阵地建设" and dimension.points == Decimal(8)
    indicator = Indicator.objects.get(dimension=dimension, code="A1")
    response = client.post(reverse("evaluation:indicator_delete", args=[indicator.pk]), follow=True)
    assert "已发布" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_add_forms_offer_only_drafts(users: dict[str, Any]) -> None:
    draft = make_set(name="测试草稿")
    make_dimension(draft, "A", 100)
    client = page_client(users[Role.CITY_ADMIN])
    form = client.get(reverse("evaluation:dimension_add")).context["form"]
    assert list(form.fields["indicator_set"].queryset) == [draft]
    form = client.get(reverse("evaluation:indicator_add")).context["form"]
    assert [d.indicator_set for d in form.fields["dimension"].queryset] == [draft]


def test_a_wrong_rule_is_shown_on_its_field(users: dict[str, Any]) -> None:
    draft = make_set()
    dimension = make_dimension(draft, "A", 10)
    response = page_client(users[Role.CITY_ADMIN]).post(
        reverse("evaluation:indicator_add"),
        {
            "dimension": dimension.pk,
            "code": "A1",
            "order": 1,
            "name": "开案数",
            "points": "4",
            "rule_type": "band",
            "rule_params": '{"bands": [{"min": 3, "points": 5}]}',
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["rule_params"]
    assert any("points" in e and "4" in e for e in errors), errors
    assert not Indicator.objects.filter(dimension=dimension).exists()


# --- the API -------------------------------------------------------------------------------------


def test_the_detail_nests_the_tree_and_the_list_does_not(users: dict[str, Any]) -> None:
    client = api_client(users[Role.SOCIAL_WORKER])
    listed = client.get(reverse("api:indicatorset-list"), {"status": "published"}).json()
    row = next(r for r in listed["results"] if r["name"] == DEFAULT_NAME)
    assert row["total_points"] == "100.00" and row["status"] == "published"
    assert "dimensions" not in row
    detail = client.get(reverse("api:indicatorset-detail", args=[row["id"]])).json()
    assert [d["code"] for d in detail["dimensions"]] == list("ABCDEFGH")
    a1 = detail["dimensions"][0]["indicators"][0]
    assert a1["code"] == "A1" and a1["points"] == "5.00" and a1["rule_type"] == "each"
    assert a1["rule_params"]["per_item"] == 1 and a1["source"] == "rooms_present"
    assert sum(len(d["indicators"]) for d in detail["dimensions"]) == 37


def test_the_detail_query_count_is_flat(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (50, [50])})
    client = api_client(users[Role.AUDITOR])
    url = reverse("api:indicatorset-detail", args=[draft.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_tree(draft, {"B": (25, [5, 20]), "C": (25, [25])})
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_copy_and_publish_through_the_api(users: dict[str, Any]) -> None:
    client = api_client(users[Role.CITY_ADMIN])
    copied = client.post(
        reverse("api:indicatorset-copy", args=[default_set().pk]), {}, format="json"
    )
    assert copied.status_code == 201, copied.json()
    copy = copied.json()
    assert (copy["version"], copy["status"], len(copy["dimensions"])) == (2, "draft", 8)
    a = copy["dimensions"][0]
    changed = client.patch(
        reverse("api:dimension-detail", args=[a["id"]]), {"points": "9.00"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    refused = client.post(reverse("api:indicatorset-publish", args=[copy["id"]]), format="json")
    assert refused.status_code == 400
    text = str(refused.json())
    assert "阵地建设" in text and "多 1 分" in text and "101" in text
    client.patch(reverse("api:dimension-detail", args=[a["id"]]), {"points": "8"}, format="json")
    published = client.post(reverse("api:indicatorset-publish", args=[copy["id"]]), format="json")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    again = client.post(reverse("api:indicatorset-publish", args=[copy["id"]]), format="json")
    assert again.status_code == 409 and "已发布" in again.json()["detail"]


def test_a_published_version_answers_409_to_every_change(users: dict[str, Any]) -> None:
    client = api_client(users[Role.CITY_ADMIN])
    default = default_set()
    dimension = default.dimensions.get(code="A")
    indicator = Indicator.objects.get(dimension=dimension, code="A1")
    answers = [
        client.patch(reverse("api:indicatorset-detail", args=[default.pk]), {"note": "改"}),
        client.delete(reverse("api:indicatorset-detail", args=[default.pk])),
        client.patch(reverse("api:dimension-detail", args=[dimension.pk]), {"points": "9"}),
        client.delete(reverse("api:dimension-detail", args=[dimension.pk])),
        client.post(
            reverse("api:dimension-list"),
            {"indicator_set": default.pk, "code": "Z", "name": "新", "points": "1"},
        ),
        client.patch(reverse("api:indicator-detail", args=[indicator.pk]), {"points": "6"}),
        client.delete(reverse("api:indicator-detail", args=[indicator.pk])),
        client.post(
            reverse("api:indicator-list"),
            {"dimension": dimension.pk, "code": "A9", "name": "新", "points": "1",
             "rule_type": "manual"},
            format="json",
        ),
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [409] * len(answers)
    assert Dimension.objects.get(pk=dimension.pk).points == Decimal(8)
    assert Indicator.objects.filter(dimension__indicator_set=default).count() == 37


def test_a_wrong_rule_is_400_naming_the_field(users: dict[str, Any]) -> None:
    draft = make_set()
    dimension = make_dimension(draft, "A", 10)
    response = api_client(users[Role.CITY_ADMIN]).post(
        reverse("api:indicator-list"),
        {
            "dimension": dimension.pk,
            "code": "A1",
            "name": "开案数",
            "points": "4",
            "rule_type": "ratio",
            "rule_params": {"floor": 10},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "target" in response.json()["rule_params"][0]
    make_indicator(dimension, "A2", 5)
    duplicate = api_client(users[Role.CITY_ADMIN]).post(
        reverse("api:indicator-list"),
        {"dimension": dimension.pk, "code": "a2", "name": "重复", "points": "1",
         "rule_type": "manual"},
        format="json",
    )  # fmt: skip
    assert duplicate.status_code == 400 and "code" in duplicate.json()


@pytest.mark.parametrize("role", list(Role.values))
def test_the_menu_offers_the_standards_to_the_bureaus(role: str, users: dict[str, Any]) -> None:
    """社工站 → 评估标准: the city bureau's and the districts' work; other roles read a
    version from a link."""
    body = page_client(users[role]).get("/").content.decode()
    offered = f'href="{reverse("evaluation:indicatorset_list")}"' in body
    assert offered == (role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER))
    assert ("评估标准" in body) == offered
