"""The default district assessment scheme (市对区县考核, spec/station-evaluation.md §6), in force
from 2020, read from ``evaluation/data/default_district_scheme_v1.json`` (a changed default is a
new file and a new migration; the city writes a scheme for a later year, never edits this
file). Reversible: going back removes the default scheme unless an assessment was scored
with it."""

import json
from pathlib import Path

from django.db import migrations

SCHEME = Path(__file__).resolve().parent.parent / "data" / "default_district_scheme_v1.json"


def seed_scheme(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "DistrictAssessmentScheme")
    data = json.loads(SCHEME.read_text(encoding="utf-8"))
    if Scheme.objects.filter(year=data["year"]).exists():
        return
    Scheme.objects.create(
        name=data["name"], year=data["year"], items=data["items"], note=data["note"]
    )


def unseed_scheme(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "DistrictAssessmentScheme")
    data = json.loads(SCHEME.read_text(encoding="utf-8"))
    Scheme.objects.filter(year=data["year"], assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_district_assessment")]

    operations = [migrations.RunPython(seed_scheme, unseed_scheme)]
