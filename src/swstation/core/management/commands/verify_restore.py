"""Prove that a restored database holds what the dump was taken from (docs/operations.md,
Backups; scripts/backup-roundtrip runs it in CI).

The restored database is the one DATABASE_URL names; ``--against`` names the original. Checked:
the same tables, the same number of rows in each and, when both are PostgreSQL, the same
contents (a checksum of every row's text); then, in the restored database, every encrypted
field of every row (core/crypto.py: the models' ``encrypted_fields``, history included)
decrypts with the configured keys and matches its lookup hash. Exits with an error listing
what differs.
"""

from typing import Any

import environ
from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from swstation.core.crypto import decrypt_bytes, encrypted_models, lookup_hash

AGAINST = "verify_restore_against"
BATCH = 2000
# At most this many problems are listed.
SHOWN = 20


def table_counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def table_checksum(alias: str, table: str) -> str:
    """PostgreSQL: an MD5 of the sorted MD5s of every row's text form."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
            f"FROM (SELECT md5(t::text) AS h FROM {connection.ops.quote_name(table)} t) rows"
        )
        return str(cursor.fetchone()[0])


def compare_tables(source: str, restored: str) -> tuple[dict[str, int], list[str], bool]:
    """Row counts of the restored tables, the differences found, and whether contents were
    compared (PostgreSQL on both sides)."""
    expected, found = table_counts(source), table_counts(restored)
    problems = [f"table {name} is missing" for name in sorted(expected.keys() - found.keys())]
    problems += [f"table {name} was not in the original" for name in found.keys() - expected]
    problems += [
        f"{name}: {found[name]} rows, the original has {count}"
        for name, count in sorted(expected.items())
        if name in found and found[name] != count
    ]
    compared = all(connections[a].vendor == "postgresql" for a in (source, restored))
    if compared and not problems:
        problems += [
            f"{name}: same number of rows, different contents"
            for name in sorted(found)
            if table_checksum(source, name) != table_checksum(restored, name)
        ]
    return found, problems, compared


def check_encrypted(alias: str) -> tuple[list[str], list[str]]:
    """One line per model with encrypted fields (rows, values decrypted, hashes matched), and
    the problems: a token no key decrypts, or a hash that is not the clear value's."""
    lines: list[str] = []
    problems: list[str] = []
    for model, fields in encrypted_models():
        names = [name for field in fields for name in (field.name, field.hash_field) if name]
        rows = decrypted = hashed = 0
        last = None
        while True:
            query = model._base_manager.using(alias).order_by("pk")
            if last is not None:
                query = query.filter(pk__gt=last)
            batch = list(query.values_list("pk", *names)[:BATCH])
            if not batch:
                break
            for pk, *values in batch:
                row = dict(zip(names, values, strict=True))
                for field in fields:
                    token = field.token(row[field.name])
                    try:
                        clear = decrypt_bytes(token)
                    except InvalidToken:
                        problems.append(f"{model._meta.label} pk {pk}: {field.name} unreadable")
                        continue
                    decrypted += bool(token)
                    if field.hash_field:
                        if row[field.hash_field] == lookup_hash(clear.decode()):
                            hashed += bool(token)
                        else:
                            problems.append(
                                f"{model._meta.label} pk {pk}: {field.hash_field} is not the "
                                f"hash of {field.name}"
                            )
            rows += len(batch)
            last = batch[-1][0]
        lines.append(
            f"{model._meta.label}: {rows} rows, {decrypted} encrypted values decrypted, "
            f"{hashed} lookup hashes match"
        )
    return lines, problems


class Command(BaseCommand):
    help = (
        "Check a restored database (DATABASE_URL) against the original (--against URL): "
        "tables, row counts, contents, and every encrypted field readable with the keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            required=True,
            metavar="DATABASE_URL",
            help="The database the dump was taken from.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        parsed = environ.Env.db_url_config(options["against"])
        connections.settings[AGAINST] = {**connections.settings["default"], **parsed}
        try:
            counts, problems, compared = compare_tables(AGAINST, "default")
        finally:
            connections[AGAINST].close()
        self.stdout.write(
            f"Tables: {len(counts)}, {sum(counts.values())} rows, counts "
            + ("and contents " if compared else "")
            + ("equal to the original." if not problems else "DIFFERENT from the original.")
        )
        lines, encryption_problems = check_encrypted("default")
        for line in lines:
            self.stdout.write(line)
        problems += encryption_problems
        if problems:
            shown = "\n".join(problems[:SHOWN])
            more = f"\n... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
            raise CommandError(f"The restore differs:\n{shown}{more}")
        self.stdout.write(self.style.SUCCESS("Restore verified."))
