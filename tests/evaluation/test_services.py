"""The rules of the indicator sets (spec/station-evaluation.md §7; issue 15): publishing needs
the points to add up, each refusal naming the dimension and by how much; a published version
never changes, through any service; a copy is an equal draft, the next version."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.evaluation import services
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet, SetStatus
from tests.evaluation.helpers import make_dimension, make_indicator, make_set, make_tree

pytestmark = pytest.mark.django_db


def tree_of(indicator_set: IndicatorSet) -> list[tuple[Any, ...]]:
    """Everything a version says, without its keys."""
    return [
        (
            d.code,
            d.order,
            d.name,
            d.points,
            [
                (
                    i.code,
                    i.order,
                    i.name,
                    i.points,
                    i.rule_type,
                    i.rule_params,
                    i.evidence,
                    i.source,
                    i.note,
                )
                for i in d.indicators.order_by("order", "code")
            ],
        )
        for d in indicator_set.dimensions.order_by("order", "code")
    ]


def publish_errors(indicator_set: IndicatorSet, user: Any) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_set_publish(actor=user, indicator_set=indicator_set)
    return refused.value.messages


# --- publishing --------------------------------------------------------------------------------


def test_a_set_whose_points_add_up_is_published(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (40, [25, 15]), "B": (60, [60])})
    published = services.indicator_set_publish(actor=users[Role.CITY_ADMIN], indicator_set=draft)
    published.refresh_from_db()
    assert published.status == SetStatus.PUBLISHED
    assert published.published_on == timezone.localdate()
    assert published.total_points == Decimal(100)
    latest = published.history.first()
    assert latest.history_user == users[Role.CITY_ADMIN]
    assert latest.history_change_reason


def test_publish_names_the_dimension_whose_indicators_do_not_add_up(
    users: dict[str, Any],
) -> None:
    draft = make_set()
    make_tree(draft, {"A": (40, [25, 14]), "B": (60, [61])})
    errors = publish_errors(draft, users[Role.CITY_ADMIN])
    assert any("A 维度A" in e and "40" in e and "39" in e and "少 1 分" in e for e in errors), (
        errors
    )
    assert any("B 维度B" in e and "61" in e and "多 1 分" in e for e in errors), errors
    draft.refresh_from_db()
    assert draft.status == SetStatus.DRAFT and draft.published_on is None


def test_publish_refuses_a_total_other_than_100(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (40, [40]), "B": (59.5, [59.5])})  # type: ignore[dict-item]
    errors = publish_errors(draft, users[Role.CITY_ADMIN])
    assert errors == ["各一级指标合计 99.5 分，应为 100 分：少 0.5 分。"]
    make_dimension(draft, "C", "1.5", name="维度C")
    make_indicator(Dimension.objects.get(indicator_set=draft, code="C"), "C1", "1.5")
    errors = publish_errors(draft, users[Role.CITY_ADMIN])
    assert errors == ["各一级指标合计 101 分，应为 100 分：多 1 分。"]


def test_publish_refuses_an_empty_set_and_an_empty_dimension(users: dict[str, Any]) -> None:
    draft = make_set()
    assert publish_errors(draft, users[Role.CITY_ADMIN]) == ["这一版本还没有一级指标。"]
    make_tree(draft, {"A": (100, [])})
    assert publish_errors(draft, users[Role.CITY_ADMIN]) == ["一级指标“A 维度A”还没有二级指标。"]


def test_publish_rechecks_every_rule(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (100, [100])})
    Indicator.objects.filter(code="A1", dimension__indicator_set=draft).update(
        rule_type="ratio", rule_params={"floor": 3}
    )
    errors = publish_errors(draft, users[Role.CITY_ADMIN])
    assert (
        len(errors) == 1 and errors[0].startswith("二级指标“A1 指标A1”：") and "target" in errors[0]
    )


def test_only_a_draft_is_published(users: dict[str, Any]) -> None:
    published = make_set(status=SetStatus.PUBLISHED)
    with pytest.raises(StateConflict):
        services.indicator_set_publish(actor=users[Role.CITY_ADMIN], indicator_set=published)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.CITY_ADMIN])
def test_only_the_city_bureau_publishes_and_copies(role: str, users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (100, [100])})
    with pytest.raises(PermissionDenied):
        services.indicator_set_publish(actor=users[role], indicator_set=draft)
    with pytest.raises(PermissionDenied):
        services.indicator_set_copy(actor=users[role], source=draft)
    with pytest.raises(PermissionDenied):
        services.indicator_create(
            actor=users[role],
            dimension=draft.dimensions.get(),
            code="A9",
            name="x",
            points=Decimal(1),
            rule_type="manual",
        )


# --- a published version never changes ----------------------------------------------------------


@pytest.fixture
def published(users: dict[str, Any]) -> IndicatorSet:
    draft = make_set(note="原说明")
    make_tree(draft, {"A": (40, [25, 15]), "B": (60, [60])})
    return services.indicator_set_publish(actor=users[Role.CITY_ADMIN], indicator_set=draft)


def test_a_published_version_and_its_tree_never_change(
    published: IndicatorSet, users: dict[str, Any]
) -> None:
    admin = users[Role.CITY_ADMIN]
    before = tree_of(published)
    dimension = published.dimensions.get(code="A")
    indicator = Indicator.objects.get(dimension=dimension, code="A1")
    attempts = [
        lambda: services.indicator_set_update(actor=admin, indicator_set=published, note="改"),
        lambda: services.indicator_set_delete(actor=admin, indicator_set=published),
        lambda: services.dimension_create(
            actor=admin, indicator_set=published, code="C", name="新", points=Decimal(1)
        ),
        lambda: services.dimension_update(actor=admin, dimension=dimension, points=Decimal(41)),
        lambda: services.dimension_delete(actor=admin, dimension=dimension),
        lambda: services.indicator_create(
            actor=admin,
            dimension=dimension,
            code="A3",
            name="新",
            points=Decimal(1),
            rule_type="manual",
        ),
        lambda: services.indicator_update(actor=admin, indicator=indicator, points=Decimal(26)),
        lambda: services.indicator_delete(actor=admin, indicator=indicator),
    ]
    for attempt in attempts:
        with translation.override("zh-hans"), pytest.raises(StateConflict) as refused:
            attempt()
        assert "已发布" in refused.value.messages[0] and "复制" in refused.value.messages[0]
    published.refresh_from_db()
    assert published.note == "原说明" and published.status == SetStatus.PUBLISHED
    assert tree_of(published) == before


def test_a_stale_draft_copy_of_a_published_version_is_refused(
    published: IndicatorSet, users: dict[str, Any]
) -> None:
    """A page opened while the version was a draft, saved after its publication: the service
    reads the locked row, not the caller's copy."""
    stale = IndicatorSet.objects.get(pk=published.pk)
    stale.status = SetStatus.DRAFT
    with pytest.raises(StateConflict):
        services.indicator_set_update(actor=users[Role.CITY_ADMIN], indicator_set=stale, note="改")


# --- copying -----------------------------------------------------------------------------------


def test_a_copy_is_an_equal_draft_the_next_version(
    published: IndicatorSet, users: dict[str, Any]
) -> None:
    admin = users[Role.CITY_ADMIN]
    copy = services.indicator_set_copy(actor=admin, source=published)
    assert (copy.name, copy.version, copy.status) == (published.name, 2, SetStatus.DRAFT)
    assert copy.copied_from == published and copy.published_on is None
    assert copy.total_points == Decimal(100) and copy.note == published.note
    assert tree_of(copy) == tree_of(published)
    assert not set(copy.dimensions.values_list("pk", flat=True)) & set(
        published.dimensions.values_list("pk", flat=True)
    )
    assert copy.history.get().history_user == admin
    assert all(d.history.get().history_user == admin for d in copy.dimensions.all())
    # the next copy, of either, is version 3; a copy under a new name starts a standard
    assert services.indicator_set_copy(actor=admin, source=copy).version == 3
    renamed = services.indicator_set_copy(actor=admin, source=published, name="星级评定标准")
    assert (renamed.name, renamed.version) == ("星级评定标准", 1)


def test_a_copy_is_edited_then_published_beside_the_original(
    published: IndicatorSet, users: dict[str, Any]
) -> None:
    admin = users[Role.CITY_ADMIN]
    copy = services.indicator_set_copy(actor=admin, source=published)
    a = copy.dimensions.get(code="A")
    b = copy.dimensions.get(code="B")
    services.dimension_update(actor=admin, dimension=a, points=Decimal(45))
    copy.refresh_from_db()
    assert copy.total_points == Decimal(105)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_set_publish(actor=admin, indicator_set=copy)
    assert "一级指标“A 维度A”为 45 分，其二级指标合计 40 分：少 5 分。" in refused.value.messages
    services.dimension_update(actor=admin, dimension=b, points=Decimal(55))
    services.indicator_update(
        actor=admin, indicator=Indicator.objects.get(dimension=a, code="A1"), points=Decimal(30)
    )
    services.indicator_update(
        actor=admin, indicator=Indicator.objects.get(dimension=b, code="B1"), points=Decimal(55)
    )
    copy = services.indicator_set_publish(actor=admin, indicator_set=copy)
    assert copy.status == SetStatus.PUBLISHED
    published.refresh_from_db()
    assert published.dimensions.get(code="A").points == Decimal(40)  # the original kept


# --- drafts ------------------------------------------------------------------------------------


def test_a_new_standard_is_numbered_within_its_name(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    first = services.indicator_set_create(actor=admin, name="测试标准甲")
    second = services.indicator_set_create(actor=admin, name="测试标准甲", note="第二版")
    other = services.indicator_set_create(actor=admin, name="测试标准乙")
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.status == SetStatus.DRAFT
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_set_update(actor=admin, indicator_set=first, name="测试标准丙")
    assert "name" in refused.value.message_dict


def test_codes_are_unique_in_a_version(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    draft = make_set()
    make_tree(draft, {"A": (40, [40]), "B": (60, [60])})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.dimension_create(
            actor=admin, indicator_set=draft, code="a", name="重复", points=Decimal(1)
        )
    assert refused.value.message_dict["code"] == ["这一版本已有一级指标 a。"]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=admin,
            dimension=draft.dimensions.get(code="B"),
            code="A1",
            name="重复",
            points=Decimal(1),
            rule_type="manual",
        )
    assert refused.value.message_dict["code"] == ["这一版本已有二级指标 A1。"]


def test_a_rule_of_the_wrong_shape_is_refused_naming_the_field(users: dict[str, Any]) -> None:
    draft = make_set()
    make_tree(draft, {"A": (100, [])})
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=users[Role.CITY_ADMIN],
            dimension=draft.dimensions.get(),
            code="A1",
            name="开案数",
            points=Decimal(4),
            rule_type="ratio",
            rule_params={"target": 30, "floor": 40},
            source="",
        )
    assert "floor" in refused.value.message_dict["rule_params"][0]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.indicator_create(
            actor=users[Role.CITY_ADMIN],
            dimension=draft.dimensions.get(),
            code="A1",
            name="实地查看",
            points=Decimal(2),
            rule_type="manual",
            source="rooms_present",
        )
    assert list(refused.value.message_dict) == ["source"]


def test_an_indicator_moves_only_within_its_version(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    draft, other = make_set(), make_set(name="另一标准")
    make_tree(draft, {"A": (40, [40]), "B": (60, [60])})
    make_tree(other, {"A": (100, [100])})
    indicator = Indicator.objects.get(dimension__indicator_set=draft, code="A1")
    services.indicator_update(
        actor=admin, indicator=indicator, dimension=draft.dimensions.get(code="B")
    )
    assert indicator.dimension.code == "B"
    with pytest.raises(ValidationError) as refused:
        services.indicator_update(
            actor=admin, indicator=indicator, dimension=other.dimensions.get()
        )
    assert "dimension" in refused.value.message_dict


def test_deleting_a_draft_removes_its_tree_with_history(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    draft = make_set()
    make_tree(draft, {"A": (100, [60, 40])})
    dimension_pk = draft.dimensions.get().pk
    services.indicator_set_delete(actor=admin, indicator_set=draft)
    assert not IndicatorSet.objects.filter(pk=draft.pk).exists()
    assert not Dimension.objects.filter(pk=dimension_pk).exists()
    deleted = Indicator.history.filter(history_type="-", dimension_id=dimension_pk)
    assert deleted.count() == 2 and {h.history_user for h in deleted} == {admin}


def test_the_total_follows_the_dimensions(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    draft = services.indicator_set_create(actor=admin, name="测试合计")
    a = services.dimension_create(
        actor=admin, indicator_set=draft, code="A", name="阵地", points=Decimal("8")
    )
    services.dimension_create(
        actor=SYSTEM, indicator_set=draft, code="B", name="队伍", points=Decimal("15.5")
    )
    draft.refresh_from_db()
    assert draft.total_points == Decimal("23.5")
    services.dimension_delete(actor=admin, dimension=a)
    draft.refresh_from_db()
    assert draft.total_points == Decimal("15.5")
