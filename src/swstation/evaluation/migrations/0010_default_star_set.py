"""The default star version of spec/station-evaluation.md §3 ("Stars: base = the 100-point set
plus bonus indicators up to 15") as data: version 1, published. Its 100-point base is the
default set (``data/default_indicator_set_v1.json``, as migration 0002 ships it) and its bonus
dimensions are those of ``data/default_star_set_v1.json`` (frozen with this migration: a
changed default is a new file, a new migration and a new version). The city copies it to a new
draft to change it.

Reversible: going back removes this version (and its tree) unless a later record holds it."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Dimension = apps.get_model("evaluation", "Dimension")
    Indicator = apps.get_model("evaluation", "Indicator")
    star = _load("default_star_set_v1.json")
    if IndicatorSet.objects.filter(name=star["name"], version=1).exists():
        return
    base = _load("default_indicator_set_v1.json")["dimensions"]
    bonus = star["bonus_dimensions"]
    indicator_set = IndicatorSet.objects.create(
        name=star["name"],
        version=1,
        status="published",
        total_points=sum(Decimal(str(dimension["points"])) for dimension in base),
        bonus_cap=Decimal(str(star["bonus_cap"])),
        bonus_points=sum(Decimal(str(dimension["points"])) for dimension in bonus),
        note=star["note"],
        published_on=timezone.localdate(),
    )
    dimensions = [(item, False) for item in base] + [(item, True) for item in bonus]
    for order, (dimension_data, is_bonus) in enumerate(dimensions, start=1):
        dimension = Dimension.objects.create(
            indicator_set=indicator_set,
            code=dimension_data["code"],
            order=order,
            name=dimension_data["name"],
            points=Decimal(str(dimension_data["points"])),
            is_bonus=is_bonus,
        )
        Indicator.objects.bulk_create(
            Indicator(
                dimension=dimension,
                code=item["code"],
                order=number,
                name=item["name"],
                points=Decimal(str(item["points"])),
                rule_type=item["rule_type"],
                rule_params=item["rule_params"],
                evidence=item["evidence"],
                source=item["source"],
                note=item["note"],
            )
            for number, item in enumerate(dimension_data["indicators"], start=1)
        )


def unseed(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Dimension = apps.get_model("evaluation", "Dimension")
    Indicator = apps.get_model("evaluation", "Indicator")
    sets = IndicatorSet.objects.filter(name=_load("default_star_set_v1.json")["name"], version=1)
    # Raw deletes by key: during a long reverse the historical models' relations may point at
    # classes of an earlier rendering, which the deletion collector refuses. A row still
    # referenced (a round scored with this version) stops the reverse at its foreign key.
    keys = list(sets.values_list("pk", flat=True))
    alias = schema_editor.connection.alias
    Indicator.objects.filter(dimension__indicator_set_id__in=keys)._raw_delete(alias)
    Dimension.objects.filter(indicator_set_id__in=keys)._raw_delete(alias)
    IndicatorSet.objects.filter(pk__in=keys)._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_stars")]

    operations = [migrations.RunPython(seed, unseed)]
