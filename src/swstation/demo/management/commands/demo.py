import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from swstation.demo.accounts import DEMO_ACCOUNTS
from swstation.demo.builder import build_demo
from swstation.demo.scale import check_scale
from swstation.demo.seeds import reload_migration_seeds


def scale_argument(value: str) -> int:
    try:
        return check_scale(int(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number >= 1, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Build the demo city (Ningbo) with its demo accounts. Refused unless SWSTATION_DEMO "
        "or DEBUG is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--flush", action="store_true", help="Empty the database first (asks no question)."
        )
        parser.add_argument(
            "--scale",
            type=scale_argument,
            default=1,
            metavar="N",
            help=(
                "Build N times the city-wide recipients and N times the service records "
                "(default 1: the usual demo; the exact places, cases, stations and workforce do "
                "not grow). Applies to an empty database: combine with --flush."
            ),
        )
        parser.add_argument(
            "--full-history",
            action="store_true",
            help=(
                "Build the service records of every year since the stations opened in full "
                "(default: the current and the previous year in full, the years before sampled "
                "at 10 %%). Applies to an empty database: combine with --flush."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.SWSTATION_DEMO):
            raise CommandError(
                "The demo creates accounts with a well-known password and is refused unless "
                "SWSTATION_DEMO=true (a demo instance, as scripts/start runs it) or DEBUG=true."
            )
        try:
            scale = check_scale(options["scale"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        started = time.perf_counter()
        if options["flush"]:
            call_command("flush", interactive=False, verbosity=0)
            reload_migration_seeds()
        build_demo(
            log=lambda line: self.stdout.write(f"  {line}"),
            scale=scale,
            full_history=options["full_history"],
        )
        self.stdout.write(f"Demo city built in {time.perf_counter() - started:.1f} s.")
        self.stdout.write(f"Demo accounts (password: {settings.SWSTATION_DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<22} {account.role:<17} {account.region_code}")
