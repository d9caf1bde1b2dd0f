from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from swstation.core.actors import SYSTEM
from swstation.regions.services import PACKAGED_DATA, region_import_divisions


class Command(BaseCommand):
    help = "Create or update the division tree from a divisions.csv (idempotent, all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=str(PACKAGED_DATA / "divisions.csv"),
            help="divisions.csv: code, name, level, parent_code, is_development_zone "
            "(default: the packaged copy of Ningbo's divisions)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = region_import_divisions(path=path, actor=SYSTEM)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"Regions: {report.summary()}.")
