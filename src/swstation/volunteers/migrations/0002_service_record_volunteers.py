"""The free text of ``cases.ServiceRecord.volunteers`` becomes volunteers and
``ServiceVolunteer`` rows (issue 13: "service records name their volunteers (today a free-text
field: migrate it)").

Each text is split at 、 , ， ; ； / and spaces. Each piece is:

- a head count ("3人", "2名", "4"): dropped (it names nobody);
- a team's name (ending in 队, 团, 协会, 小组, 服务社): a ``VolunteerTeam`` of the record's
  station is found or made under that name; no hours are given (a team is not a person: whose
  hours they were is not known), so the text is kept on the record;
- a person's name: matched by name among the volunteers of the record's station —
  one match: that volunteer; none: a volunteer of that name is made at the station (home
  region: the station's town, registered on the first day a record names them, noted as
  migrated); **several volunteers of the station with that name: ambiguous, nobody is
  guessed**: no row is made and the text is kept on the record for a person to resolve (the
  record's page shows it as written, and the volunteers can be named there).

Each volunteer named gets the whole service as hours (its duration, in hours with two places,
rounded down). A text fully turned into rows is cleared; any other text stays as it was. The
rows are made without history lines (a migration, not a person's write). Going back does not
restore the texts (the rows stay; the column was never dropped).
"""

import re
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.db import migrations

SEPARATORS = re.compile(r"[、,，;；/\s]+")
HEAD_COUNT = re.compile(r"^\d+\s*[人名位个]?$")
TEAM = re.compile(r"(队|团|协会|小组|服务社)$")
NOTE = "由服务记录中的志愿者文字迁移而来。"


def _hours(minutes):
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return min(max(hours, Decimal("0.01")), Decimal("24.00"))


def forward(apps, schema_editor):
    ServiceRecord = apps.get_model("cases", "ServiceRecord")
    Station = apps.get_model("stations", "Station")
    Volunteer = apps.get_model("volunteers", "Volunteer")
    VolunteerTeam = apps.get_model("volunteers", "VolunteerTeam")
    ServiceVolunteer = apps.get_model("volunteers", "ServiceVolunteer")

    records = []
    first_named = {}
    team_names = set()
    for pk, station_id, text, served_on, minutes in (
        ServiceRecord.objects.exclude(volunteers="")
        .order_by("pk")
        .values_list("pk", "station_id", "volunteers", "served_on", "duration_minutes")
        .iterator(chunk_size=5000)
    ):
        people, teams = [], []
        for piece in SEPARATORS.split(text.strip()):
            if not piece or HEAD_COUNT.match(piece):
                continue
            if TEAM.search(piece):
                teams.append(piece[:100])
            else:
                people.append(piece[:50])
        for name in people:
            key = (station_id, name)
            if key not in first_named or served_on < first_named[key]:
                first_named[key] = served_on
        team_names.update((station_id, name) for name in teams)
        records.append((pk, station_id, people, bool(teams), minutes))
    if not records:
        return

    stations = dict(Station.objects.values_list("pk", "region_id"))
    by_name = defaultdict(list)
    for pk, station_id, name in Volunteer.objects.values_list("pk", "station_id", "name"):
        by_name[(station_id, name)].append(pk)
    new = [
        Volunteer(
            name=name,
            station_id=station_id,
            region_id=stations[station_id],
            registered_on=first_named[(station_id, name)],
            note=NOTE,
        )
        for (station_id, name) in sorted(first_named)
        if (station_id, name) not in by_name
    ]
    for volunteer in Volunteer.objects.bulk_create(new, batch_size=2000):
        by_name[(volunteer.station_id, volunteer.name)].append(volunteer.pk)
    if new and new[0].pk is None:  # a database that does not return ids: read them back
        by_name = defaultdict(list)
        for pk, station_id, name in Volunteer.objects.values_list("pk", "station_id", "name"):
            by_name[(station_id, name)].append(pk)

    existing_teams = set(VolunteerTeam.objects.values_list("station_id", "name"))
    VolunteerTeam.objects.bulk_create(
        [
            VolunteerTeam(
                name=name, station_id=station_id, region_id=stations[station_id], note=NOTE
            )
            for station_id, name in sorted(team_names - existing_teams)
        ],
        batch_size=2000,
    )

    rows, cleared = [], []
    for pk, station_id, people, has_team, minutes in records:
        resolved = True
        named = set()
        for name in people:
            found = by_name.get((station_id, name), [])
            if len(found) != 1:
                resolved = False  # ambiguous: several volunteers of the station so named
                continue
            if found[0] not in named:
                named.add(found[0])
                rows.append(
                    ServiceVolunteer(record_id=pk, volunteer_id=found[0], hours=_hours(minutes))
                )
        if resolved and not has_team:
            cleared.append(pk)
        if len(rows) >= 5000:
            ServiceVolunteer.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
            rows = []
    ServiceVolunteer.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    for start in range(0, len(cleared), 5000):
        ServiceRecord.objects.filter(pk__in=cleared[start : start + 5000]).update(volunteers="")


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("cases", "0012_project_relations_without_reverse_names"),
        ("stations", "0003_portfolio_minimums"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
