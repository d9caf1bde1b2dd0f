"""A service record carries its person's region code (issue 10, lists flat in data size).

The jurisdiction of the service records list was read through the person (``recipient__region
__code LIKE '330205%'``): a district officer's first page walked the city's services newest
first, joining each to its person, until 51 were the district's (1,542 rows at demo scale 1,
7,298 at scale 10). The code is now a column of the record, copied from the person on every
save and moved with them (cases.services.records.service_records_follow_move), and two indexes
give a district's and a town's services in the list's order: ``LEFT(region_code, 6)`` and
``LEFT(region_code, 9)`` with ``(-served_on, -id)`` (core.scoping.prefix_condition).

The existing rows (and their history, so that a history shows no change of it) are filled in
one statement each: a join on PostgreSQL, a correlated subquery elsewhere.
"""

from typing import Any

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

TABLES = ("cases_servicerecord", "cases_historicalservicerecord")


def fill_region_codes(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        quote = schema_editor.quote_name
        for table in TABLES:
            schema_editor.execute(
                f"UPDATE {quote(table)} AS s SET region_code = r.code "
                f"FROM {quote('recipients_recipient')} AS p "
                f"JOIN {quote('regions_region')} AS r ON r.id = p.region_id "
                f"WHERE p.id = s.recipient_id"
            )
        return
    recipients = apps.get_model("recipients", "Recipient")._base_manager
    code = Subquery(recipients.filter(pk=OuterRef("recipient_id")).values("region__code")[:1])
    for name in ("ServiceRecord", "HistoricalServiceRecord"):
        apps.get_model("cases", name)._base_manager.update(region_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_project_relations_without_reverse_names"),
        ("recipients", "0008_name_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalservicerecord",
            name="region_code",
            field=models.CharField(default="", editable=False, max_length=12),
        ),
        migrations.AddField(
            model_name="servicerecord",
            name="region_code",
            field=models.CharField(default="", editable=False, max_length=12),
        ),
        migrations.RunPython(fill_region_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="servicerecord",
            index=models.Index(
                django.db.models.functions.text.Left("region_code", 6),
                models.OrderBy(models.F("served_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="servicerecord_county_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerecord",
            index=models.Index(
                django.db.models.functions.text.Left("region_code", 9),
                models.OrderBy(models.F("served_on"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="servicerecord_town_newest",
            ),
        ),
    ]
