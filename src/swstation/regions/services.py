"""Writes on regions and population figures."""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from swstation.core.actors import Actor, history_user
from swstation.core.history import save_with_history
from swstation.regions.codes import LEVEL_ORDER, is_valid_code
from swstation.regions.models import (
    Population,
    PopulationStatus,
    Region,
    region_placement_problems,
)

PACKAGED_DATA = Path(__file__).resolve().parent / "data"
DIVISIONS_COLUMNS = ("code", "name", "level", "parent_code", "is_development_zone")
POPULATION_COLUMNS = ("code", "year", "population", "status")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                _("%(file)s lacks the columns: %(columns)s")
                % {"file": path.name, "columns": ", ".join(missing)}
            )
        return list(reader)


@transaction.atomic
def region_import_divisions(*, path: Path, actor: Actor) -> ImportReport:
    """Create or update the division tree from a ``divisions.csv`` (shared/data/ningbo/README.md).

    Idempotent: a second run of the same file changes nothing. All or nothing: one bad row
    (line number given) and no row is saved. Rows are applied level by level so that every
    parent exists before its children.
    """
    rows = _read_csv(path, DIVISIONS_COLUMNS)
    report = ImportReport()
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        code = row["code"].strip()
        level = row["level"].strip()
        name = row["name"].strip()
        problems = []
        if not is_valid_code(code):
            problems.append(_("code “%(code)s” is not 12 digits") % {"code": code})
        if level not in LEVEL_ORDER:
            problems.append(
                _("level “%(level)s” is not one of city, county, township, village")
                % {"level": level}
            )
        if not name:
            problems.append(_("name is empty"))
        if code in seen:
            problems.append(_("code %(code)s appears twice") % {"code": code})
        seen.add(code)
        if problems:
            report.errors.append(
                _("Line %(line)d: %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        parsed.append(
            (
                line,
                {
                    "code": code,
                    "name": name,
                    "level": level,
                    "parent_code": row["parent_code"].strip(),
                    "is_development_zone": row["is_development_zone"].strip()
                    in ("1", "true", "True"),
                },
            )
        )
    if report.errors:
        raise ValidationError(report.errors)

    existing = {r.code: r for r in Region.objects.all()}
    for level in LEVEL_ORDER:
        to_create: list[Region] = []
        to_update: list[Region] = []
        for line, data in parsed:
            if data["level"] != level:
                continue
            parent = existing.get(data["parent_code"]) if level != "city" else None
            if level != "city" and parent is None:
                report.errors.append(
                    _(
                        "Line %(line)d: parent %(parent)s of %(code)s is in neither the file "
                        "nor the database"
                    )
                    % {"line": line, "parent": data["parent_code"], "code": data["code"]}
                )
                continue
            placement = region_placement_problems(data["code"], level, parent)
            if placement:
                messages = [message for field in placement.values() for message in field]
                report.errors.append(
                    _("Line %(line)d: %(problems)s")
                    % {"line": line, "problems": "; ".join(messages)}
                )
                continue
            values = {
                "name": data["name"],
                "level": level,
                "parent": parent,
                "is_development_zone": data["is_development_zone"],
            }
            region = existing.get(data["code"])
            if region is None:
                to_create.append(Region(code=data["code"], **values))
            elif any(getattr(region, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(region, key, value)
                to_update.append(region)
            else:
                report.unchanged += 1
        # Bulk writes keep the history (one "created"/"changed" record per region) and make
        # loading 3,000 villages take a second, not a minute.
        for region in bulk_create_with_history(
            to_create, Region, batch_size=500, default_user=history_user(actor)
        ):
            existing[region.code] = region
        if to_update:
            bulk_update_with_history(
                to_update,
                Region,
                ["name", "level", "parent", "is_development_zone"],
                batch_size=500,
                default_user=history_user(actor),
            )
        report.created += len(to_create)
        report.updated += len(to_update)
    if report.errors:
        raise ValidationError(report.errors)
    return report


@transaction.atomic
def population_import(*, path: Path, actor: Actor) -> ImportReport:
    """Create or update population figures from a ``population.csv``.

    Columns: code, year, population, status. All or nothing, like the divisions.
    """
    rows = _read_csv(path, POPULATION_COLUMNS)
    regions = {r.code: r for r in Region.objects.filter(code__in={row["code"] for row in rows})}
    statuses = set(PopulationStatus.values)
    report = ImportReport()
    for line, row in enumerate(rows, start=2):
        region = regions.get(row["code"].strip())
        try:
            year, population = int(row["year"]), int(row["population"])
        except ValueError:
            report.errors.append(
                _("Line %(line)d: year and population must be whole numbers") % {"line": line}
            )
            continue
        status = row["status"].strip() or PopulationStatus.ENTERED
        if region is None or status not in statuses:
            report.errors.append(
                _("Line %(line)d: unknown region %(code)s or source “%(status)s”")
                % {"line": line, "code": row["code"], "status": status}
            )
            continue
        figure = Population.objects.filter(region=region, year=year).first()
        if figure is None:
            figure = Population(region=region, year=year, population=population, status=status)
            figure.full_clean()
            save_with_history(figure, actor=actor)
            report.created += 1
        elif (figure.population, figure.status) != (population, status):
            figure.population, figure.status = population, status
            figure.full_clean()
            save_with_history(figure, actor=actor)
            report.updated += 1
        else:
            report.unchanged += 1
    if report.errors:
        raise ValidationError(report.errors)
    return report
