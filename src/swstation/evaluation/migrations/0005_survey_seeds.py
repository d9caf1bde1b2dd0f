"""The data of the evaluation's own inputs (issue 15; spec/station-evaluation.md §5), whose
tables migration 0004 makes.

Data: the default questionnaire ships as version 1, published, read from
``evaluation/data/default_questionnaire_v1.json`` (a changed default is a new file, a new
migration and a new version); and H1, H2, H3 and H5 become automatic in every version of the
default set whose indicator of that code has no source yet, as the default set's file now says
(their notes follow). Reversible: going back removes the default questionnaire unless a sample
holds it, and leaves the sources (the old code ignores what it does not compute).
"""

import json
from pathlib import Path

from django.db import migrations


DATA = Path(__file__).resolve().parent.parent / "data"
QUESTIONNAIRE = DATA / "default_questionnaire_v1.json"
INDICATOR_SET = DATA / "default_indicator_set_v1.json"
# The default set's codes that this migration makes automatic (models.standards.DEFAULT_SOURCES).
INPUT_SOURCES = {
    "H1": "satisfaction_index",
    "H2": "awareness_share",
    "H3": "stakeholder_rating",
    "H5": "substantiated_complaints",
}


def seed_questionnaire(apps, schema_editor):
    from django.utils import timezone

    Questionnaire = apps.get_model("evaluation", "Questionnaire")
    data = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    if Questionnaire.objects.filter(name=data["name"], version=1).exists():
        return
    Questionnaire.objects.create(
        name=data["name"],
        version=1,
        status="published",
        items=data["items"],
        note=data["note"],
        published_on=timezone.localdate(),
    )


def unseed_questionnaire(apps, schema_editor):
    Questionnaire = apps.get_model("evaluation", "Questionnaire")
    data = json.loads(QUESTIONNAIRE.read_text(encoding="utf-8"))
    Questionnaire.objects.filter(name=data["name"], version=1, samples__isnull=True).delete()


def inputs_automatic(apps, schema_editor):
    """The indicators H1, H2, H3, H5 scored by hand until now (source "") take their measure,
    with the default set's note (rule types are the default's: band / ratio, never manual)."""
    Indicator = apps.get_model("evaluation", "Indicator")
    notes = {}
    for dimension in json.loads(INDICATOR_SET.read_text(encoding="utf-8"))["dimensions"]:
        for item in dimension["indicators"]:
            if item["code"] in INPUT_SOURCES:
                notes[item["code"]] = item["note"]
    for indicator in Indicator.objects.filter(code__in=list(INPUT_SOURCES), source=""):
        if indicator.rule_type == "manual":
            continue  # a city's version scoring it by hand keeps doing so
        indicator.source = INPUT_SOURCES[indicator.code]
        if not indicator.note or "评估人员评分" in indicator.note:  # the by-hand note
            indicator.note = notes.get(indicator.code, indicator.note)[:300]
        indicator.save(update_fields=["source", "note"])


class Migration(migrations.Migration):
    """The default questionnaire and H1-H3/H5 made automatic, in a migration of their own: rows
    written and the tables dropped in one transaction would leave PostgreSQL pending trigger
    events when the surveys are migrated back."""

    dependencies = [("evaluation", "0004_surveys")]

    operations = [
        migrations.RunPython(seed_questionnaire, unseed_questionnaire),
        migrations.RunPython(inputs_automatic, migrations.RunPython.noop),
    ]
