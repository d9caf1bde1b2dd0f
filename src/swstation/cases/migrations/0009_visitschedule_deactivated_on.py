"""A visit plan carries the day it was deactivated (issue 18), so that the figures of the
periods it ran in still count it. A plan already inactive is dated from its history: the day
of the first change of its last run of being inactive (else the day it was last changed)."""

from django.db import migrations, models
from django.utils import timezone


def date_deactivations(apps, schema_editor):  # type: ignore[no-untyped-def]
    VisitSchedule = apps.get_model("cases", "VisitSchedule")
    Historical = apps.get_model("cases", "HistoricalVisitSchedule")
    inactive = dict(
        VisitSchedule.objects.filter(active=False, deactivated_on__isnull=True).values_list(
            "pk", "updated_at"
        )
    )
    if not inactive:
        return
    went_off: dict[int, object] = {}
    rows = (
        Historical.objects.filter(id__in=list(inactive))
        .order_by("id", "history_date")
        .values_list("id", "active", "history_date")
    )
    for pk, active, when in rows:
        if active:
            went_off.pop(pk, None)
        elif pk not in went_off:
            went_off[pk] = when
    for pk, updated_at in inactive.items():
        when = went_off.get(pk) or updated_at
        VisitSchedule.objects.filter(pk=pk).update(
            deactivated_on=timezone.localtime(when).date() if when else timezone.localdate()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_service_project"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalvisitschedule",
            name="deactivated_on",
            field=models.DateField(blank=True, null=True, verbose_name="deactivated on"),
        ),
        migrations.AddField(
            model_name="visitschedule",
            name="deactivated_on",
            field=models.DateField(blank=True, null=True, verbose_name="deactivated on"),
        ),
        migrations.RunPython(date_deactivations, migrations.RunPython.noop),
    ]
