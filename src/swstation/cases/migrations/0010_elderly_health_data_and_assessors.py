"""Issue 11: an elderly assessment's health data encrypted at rest, assessor qualifications, and a
change of condition that makes an assessment due at once.

- The conditions that are diagnoses (spec/elderly-assessment-gbt42195.md §4: "the ID number,
  diagnoses and medicines are personal health data: identifiers.md applies") move out of
  ``adjustments`` into ``health_data_encrypted`` (JSON, Fernet-encrypted with core/crypto.py):
  GB/T 42195-2022's ``diagnoses`` and ``by_psychiatrist``, MZ/T 039-2013's ``mental_illness``;
  the ICD-10 codes C.4 read are no longer copied into ``change_reasons`` (the item stays
  ticked). The same is done to every history row, so that no copy stays in clear.
- ``AssessorQualification`` (a social worker's qualification to assess, with its validity) and
  the policy's ``qualified_assessors_only`` (off, as before: the city turns it on once its
  assessors' qualifications are recorded) and ``social_work_certificate_qualifies``.
- ``condition_changed_on`` / ``condition_change_note``: a change of condition reported.

Reversible: the health data goes back into ``adjustments`` (and the F codes into C.4's detail).
"""

import json

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


# The conditions that are health data, by standard, with their "nothing recorded" values.
PRIVATE = {
    "GB/T 42195-2022": {"diagnoses": [], "by_psychiatrist": False},
    "MZ/T 039-2013": {"mental_illness": ""},
}
BATCH = 500


def _f_codes(codes, by_psychiatrist, rules):
    """The codes C.4's second item read (as instruments/gbt42195.gbt42195_f_codes, frozen)."""

    def within(code, ranges):
        return any(first <= code[:3] <= last for first, last in ranges)

    dementia = (rules or {}).get("dementia_codes") or [["F00", "F03"]]
    disorder = (rules or {}).get("disorder_codes") or [["F04", "F99"]]
    return [c for c in codes if within(c, dementia) or (by_psychiatrist and within(c, disorder))]


def _rows(apps):
    for name in ("ElderlyAssessment", "HistoricalElderlyAssessment"):
        model = apps.get_model("cases", name)
        yield model, model.objects.order_by(model._meta.pk.name)


def encrypt_health_data(apps, schema_editor):
    from swstation.core.crypto import encrypt

    fields = ["adjustments", "change_reasons", "health_data_encrypted"]
    for model, rows in _rows(apps):
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            empties = PRIVATE.get(row.standard)
            if not empties:
                continue
            adjustments = dict(row.adjustments or {})
            private = {key: adjustments.pop(key, empty) for key, empty in empties.items()}
            reasons = [
                {**r, "detail": ""} if isinstance(r, dict) and r.get("key") == "f_diagnosis" else r
                for r in row.change_reasons or []
            ]
            if adjustments == (row.adjustments or {}) and reasons == (row.change_reasons or []):
                continue
            row.adjustments = adjustments
            row.change_reasons = reasons
            recorded = any(private[key] != empty for key, empty in empties.items())
            row.health_data_encrypted = (
                encrypt(json.dumps(private, ensure_ascii=False)) if recorded else ""
            )
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, fields)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)


def decrypt_health_data(apps, schema_editor):
    from swstation.core.crypto import decrypt

    fields = ["adjustments", "change_reasons", "health_data_encrypted"]
    for model, rows in _rows(apps):
        batch = []
        for row in rows.exclude(health_data_encrypted="").iterator(chunk_size=BATCH):
            private = json.loads(decrypt(row.health_data_encrypted))
            row.adjustments = {**(row.adjustments or {}), **private}
            codes = _f_codes(
                private.get("diagnoses") or [], private.get("by_psychiatrist"), row.rules
            )
            row.change_reasons = [
                {**r, "detail": ", ".join(codes)}
                if isinstance(r, dict) and r.get("key") == "f_diagnosis"
                else r
                for r in row.change_reasons or []
            ]
            row.health_data_encrypted = ""
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, fields)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_visitschedule_deactivated_on"),
        ("workforce", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="elderlyassessment",
            name="condition_change_note",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="change of condition"
            ),
        ),
        migrations.AddField(
            model_name="elderlyassessment",
            name="condition_changed_on",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="change of condition reported on",
            ),
        ),
        migrations.AddField(
            model_name="elderlyassessment",
            name="health_data_encrypted",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="elderlyassessmentpolicy",
            name="qualified_assessors_only",
            field=models.BooleanField(
                default=False,
                help_text="On: an assessment is refused unless both assessors hold a qualification valid on its date (an assessor qualification recorded for them, or a social worker certificate where that counts).",
                verbose_name="both assessors must be qualified",
            ),
        ),
        migrations.AddField(
            model_name="elderlyassessmentpolicy",
            name="social_work_certificate_qualifies",
            field=models.BooleanField(
                default=True,
                help_text="MZ/T 039-2013 accepted assessors with a social worker certificate.",
                verbose_name="a social worker certificate qualifies",
            ),
        ),
        migrations.AddField(
            model_name="historicalelderlyassessment",
            name="condition_change_note",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="change of condition"
            ),
        ),
        migrations.AddField(
            model_name="historicalelderlyassessment",
            name="condition_changed_on",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="change of condition reported on",
            ),
        ),
        migrations.AddField(
            model_name="historicalelderlyassessment",
            name="health_data_encrypted",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="historicalelderlyassessmentpolicy",
            name="qualified_assessors_only",
            field=models.BooleanField(
                default=False,
                help_text="On: an assessment is refused unless both assessors hold a qualification valid on its date (an assessor qualification recorded for them, or a social worker certificate where that counts).",
                verbose_name="both assessors must be qualified",
            ),
        ),
        migrations.AddField(
            model_name="historicalelderlyassessmentpolicy",
            name="social_work_certificate_qualifies",
            field=models.BooleanField(
                default=True,
                help_text="MZ/T 039-2013 accepted assessors with a social worker certificate.",
                verbose_name="a social worker certificate qualifies",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalAssessorQualification",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="updated at"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assessor", "Elderly capability assessor certificate"),
                            ("training", "Elderly capability assessment training certificate"),
                            ("medical", "Medical, nursing or rehabilitation licence"),
                            ("care_worker", "Senior elder-care worker certificate"),
                        ],
                        max_length=15,
                        verbose_name="kind",
                    ),
                ),
                (
                    "number",
                    models.CharField(blank=True, max_length=40, verbose_name="certificate number"),
                ),
                (
                    "issued_by",
                    models.CharField(blank=True, max_length=100, verbose_name="issued by"),
                ),
                ("valid_from", models.DateField(verbose_name="valid from")),
                (
                    "valid_to",
                    models.DateField(
                        blank=True,
                        help_text="Empty: without end.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "social_worker",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="workforce.socialworker",
                        verbose_name="social worker",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assessor qualification",
                "verbose_name_plural": "historical assessor qualifications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AssessorQualification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("assessor", "Elderly capability assessor certificate"),
                            ("training", "Elderly capability assessment training certificate"),
                            ("medical", "Medical, nursing or rehabilitation licence"),
                            ("care_worker", "Senior elder-care worker certificate"),
                        ],
                        max_length=15,
                        verbose_name="kind",
                    ),
                ),
                (
                    "number",
                    models.CharField(blank=True, max_length=40, verbose_name="certificate number"),
                ),
                (
                    "issued_by",
                    models.CharField(blank=True, max_length=100, verbose_name="issued by"),
                ),
                ("valid_from", models.DateField(verbose_name="valid from")),
                (
                    "valid_to",
                    models.DateField(
                        blank=True,
                        help_text="Empty: without end.",
                        null=True,
                        verbose_name="valid until",
                    ),
                ),
                (
                    "social_worker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessor_qualifications",
                        to="workforce.socialworker",
                        verbose_name="social worker",
                    ),
                ),
            ],
            options={
                "verbose_name": "assessor qualification",
                "verbose_name_plural": "assessor qualifications",
                "ordering": ["social_worker__name", "-valid_from", "pk"],
                "indexes": [
                    models.Index(
                        fields=["social_worker", "valid_from"],
                        name="cases_asses_social__f8f073_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(encrypt_health_data, decrypt_health_data),
    ]
