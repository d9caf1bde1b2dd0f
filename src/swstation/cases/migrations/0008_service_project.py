"""Service records and visit schedules point to a project (issue 12).

A visit schedule named its project in free text; the text moves to ``project_text`` and, where it
is the name of a project of the station serving the person (the person's township, or the
district of a hub), the schedule points to that project instead and the text is cleared. Where
several projects of that name serve the person, the one running on the schedule's start (else the
latest started) is chosen. Text that matches no project is kept as it was written.
"""

import django.db.models.deletion
from django.db import migrations, models

from swstation.regions.codes import significant_prefix


def link_schedules(apps, schema_editor):  # type: ignore[no-untyped-def]
    VisitSchedule = apps.get_model("cases", "VisitSchedule")
    Project = apps.get_model("projects", "Project")
    schedules = list(
        VisitSchedule.objects.exclude(project_text="").select_related("recipient__region")
    )
    if not schedules:
        return
    by_name: dict[str, list[tuple[str, object, object, int]]] = {}
    for pk, name, code, level, starts, ends in Project.objects.filter(
        name__in={s.project_text.strip() for s in schedules}
    ).values_list(
        "pk", "name", "station__region__code", "station__region__level", "starts_on", "ends_on"
    ):
        by_name.setdefault(name, []).append((significant_prefix(code, level), starts, ends, pk))
    for schedule in schedules:
        code = schedule.recipient.region.code
        candidates = [
            c for c in by_name.get(schedule.project_text.strip(), []) if code.startswith(c[0])
        ]
        if not candidates:
            continue
        running = [c for c in candidates if c[1] <= schedule.starts_on <= c[2]]
        chosen = max(running or candidates, key=lambda c: (c[1], c[3]))
        VisitSchedule.objects.filter(pk=schedule.pk).update(project_id=chosen[3], project_text="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_service_types"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("visitschedule", "project", "project_text"),
        migrations.RenameField("historicalvisitschedule", "project", "project_text"),
        migrations.AlterField(
            model_name="visitschedule",
            name="project_text",
            field=models.CharField(blank=True, max_length=100, verbose_name="project (as written)"),
        ),
        migrations.AlterField(
            model_name="historicalvisitschedule",
            name="project_text",
            field=models.CharField(blank=True, max_length=100, verbose_name="project (as written)"),
        ),
        migrations.AddField(
            model_name="historicalservicerecord",
            name="project",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddField(
            model_name="servicerecord",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="services",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddField(
            model_name="historicalvisitschedule",
            name="project",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddField(
            model_name="visitschedule",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="visit_schedules",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.RunPython(link_schedules, migrations.RunPython.noop),
    ]
