from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def note_published_stars(apps, schema_editor):
    """The revisions published before the note was frozen take the evaluation's note (the
    reason a star round gave no star has not changed since: it reads the round's vetoes and
    the annual result up to the round's snapshot)."""
    Revision = apps.get_model("evaluation", "StationEvaluationRevision")
    Evaluation = apps.get_model("evaluation", "StationEvaluation")
    note = Evaluation.objects.filter(pk=OuterRef("evaluation_id")).values("star_note")[:1]
    Revision.objects.filter(
        star__isnull=True, evaluation__round__kind="star", star_note=""
    ).update(star_note=Subquery(note))


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0010_default_star_set'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalstationevaluationrevision',
            name='star_note',
            field=models.CharField(blank=True, max_length=300, verbose_name='why no star'),
        ),
        migrations.AddField(
            model_name='stationevaluationrevision',
            name='star_note',
            field=models.CharField(blank=True, max_length=300, verbose_name='why no star'),
        ),
        migrations.RunPython(note_published_stars, migrations.RunPython.noop),
    ]
