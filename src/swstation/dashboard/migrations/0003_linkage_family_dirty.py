"""The 五社联动 tallies (family ``linkage``, issue 13) are new: mark every township partition of
that family dirty, so that an existing database computes them at its next refresh instead of
showing zeros until someone runs ``rebuild_tallies``. A new database has no regions yet, and
nothing to mark."""

from django.db import migrations

FAMILY = "linkage"
PARTITION_DIGITS = 9


def mark_dirty(apps, schema_editor):  # type: ignore[no-untyped-def]
    Region = apps.get_model("regions", "Region")
    TallyDirty = apps.get_model("dashboard", "TallyDirty")
    partitions = {
        code[:PARTITION_DIGITS]
        for code in Region.objects.filter(level="township").values_list("code", flat=True)
    }
    TallyDirty.objects.bulk_create(
        [TallyDirty(family=FAMILY, partition=partition) for partition in sorted(partitions)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_prefix_indexes"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_dirty, migrations.RunPython.noop)]
