"""Each project's monthly work (``services`` family: ``project_services`` and
``project_first_served``, issue 18) is new: mark every township partition of that family dirty,
so that an existing database computes it at its next refresh instead of counting no project
work until someone runs ``rebuild_tallies``. A new database has no regions yet, and nothing to
mark."""

from django.db import migrations

FAMILY = "services"
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
        ("dashboard", "0003_linkage_family_dirty"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_dirty, migrations.RunPython.noop)]
