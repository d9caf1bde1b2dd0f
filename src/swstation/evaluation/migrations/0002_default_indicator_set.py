"""The default 100-point indicator set of spec/station-evaluation.md §2 ("Default indicator set
(Ningbo v1, 100 points)") as data: version 1, published, read from
``evaluation/data/default_indicator_set_v1.json`` (frozen with this migration: a changed default
is a new file, a new migration and a new version, never an edit of this one). The city copies it
to a new draft to change it.

Reversible: going back removes this version (and its tree) unless a later record holds it."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data" / "default_indicator_set_v1.json"


def _load():
    return json.loads(DATA.read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Dimension = apps.get_model("evaluation", "Dimension")
    Indicator = apps.get_model("evaluation", "Indicator")
    data = _load()
    if IndicatorSet.objects.filter(name=data["name"], version=1).exists():
        return
    total = sum(Decimal(str(dimension["points"])) for dimension in data["dimensions"])
    indicator_set = IndicatorSet.objects.create(
        name=data["name"],
        version=1,
        status="published",
        total_points=total,
        note=data["note"],
        published_on=timezone.localdate(),
    )
    for order, dimension_data in enumerate(data["dimensions"], start=1):
        dimension = Dimension.objects.create(
            indicator_set=indicator_set,
            code=dimension_data["code"],
            order=order,
            name=dimension_data["name"],
            points=Decimal(str(dimension_data["points"])),
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
    sets = IndicatorSet.objects.filter(name=_load()["name"], version=1)
    # Raw deletes by key: during a long reverse the historical models' relations may point at
    # classes of an earlier rendering, which the deletion collector refuses. A row still
    # referenced (a round scored with this version) stops the reverse at its foreign key.
    keys = list(sets.values_list("pk", flat=True))
    alias = schema_editor.connection.alias
    Indicator.objects.filter(dimension__indicator_set_id__in=keys)._raw_delete(alias)
    Dimension.objects.filter(indicator_set_id__in=keys)._raw_delete(alias)
    IndicatorSet.objects.filter(pk__in=keys)._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
