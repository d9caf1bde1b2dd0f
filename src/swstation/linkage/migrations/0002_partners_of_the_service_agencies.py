"""The service agencies are one kind of partner, not a second list (models.py): a partner of
kind ``social_org`` for every agency there is, linked to it one to one. From now on the
signal of this app keeps them together (signals.py)."""

from django.db import migrations


def partners_for_agencies(apps, schema_editor):  # type: ignore[no-untyped-def]
    ServiceAgency = apps.get_model("stations", "ServiceAgency")
    Partner = apps.get_model("linkage", "Partner")
    taken = set(Partner.objects.values_list("region_id", "name"))
    made = []
    for agency in ServiceAgency.objects.filter(partner__isnull=True).order_by("pk"):
        if (agency.region_id, agency.name) in taken:
            continue
        made.append(
            Partner(
                agency=agency,
                kind="social_org",
                name=agency.name,
                region_id=agency.region_id,
                contact_name=agency.contact_name,
                contact_phone=agency.contact_phone,
                address=agency.address,
                description=agency.note,
            )
        )
    Partner.objects.bulk_create(made, batch_size=500)


def unlink(apps, schema_editor):  # type: ignore[no-untyped-def]
    Partner = apps.get_model("linkage", "Partner")
    Partner.objects.filter(agency__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("linkage", "0001_initial")]

    operations = [migrations.RunPython(partners_for_agencies, unlink)]
