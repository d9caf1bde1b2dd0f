"""Re-encrypt every encrypted field under the first of PERSONAL_DATA_KEYS (and, with
``--rehash``, recompute every lookup hash with PERSONAL_DATA_HASH_KEY).

Which fields: those models declare in ``encrypted_fields`` (core/crypto.py), in their history
tables too. Rows are read in primary-key order, in batches, each batch locked and written in its
own transaction with plain UPDATEs: no history records, no ``updated_at`` change, no signals.
A token already under the first key is left as it is, so the command can be run again after an
interruption (or resumed with ``--model`` and ``--after-pk`` from the last line it printed) and
a second run writes nothing. A token no configured key can read stops the command: nothing of
that batch is written. Procedure: docs/operations.md, Personal-data keys.
"""

from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from swstation.core.crypto import (
    EncryptedField,
    decrypt_bytes,
    encrypted_models,
    key_problems,
    lookup_hash,
    reencrypt,
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every model (history included) under the first "
        "of PERSONAL_DATA_KEYS; --rehash also recomputes the lookup hashes with "
        "PERSONAL_DATA_HASH_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Also recompute every lookup hash (after a change of PERSONAL_DATA_HASH_KEY).",
        )
        parser.add_argument(
            "--model",
            action="append",
            default=[],
            metavar="APP_LABEL.MODEL",
            help="Only this model (repeatable), e.g. recipients.Recipient.",
        )
        parser.add_argument(
            "--after-pk",
            type=int,
            default=None,
            help="Resume after this primary key (with a single --model).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        # The same rules as the system check, even with DEBUG on: rotating to made-up keys
        # would be pointless.
        problems = key_problems()
        if problems:
            raise CommandError(" ".join(problems))
        targets = list(encrypted_models())
        if options["model"]:
            wanted = {label.lower() for label in options["model"]}
            known = {model._meta.label_lower for model, _fields in targets}
            unknown = wanted - known
            if unknown:
                raise CommandError(
                    f"No encrypted fields in {', '.join(sorted(unknown))}; "
                    f"models with some: {', '.join(sorted(known))}."
                )
            targets = [item for item in targets if item[0]._meta.label_lower in wanted]
        if options["after_pk"] is not None and len(targets) != 1:
            raise CommandError("--after-pk needs exactly one --model.")

        total_read = total_written = 0
        for model, fields in targets:
            read, written = self._rotate_model(
                model, fields, options["batch_size"], options["after_pk"], options["rehash"]
            )
            total_read += read
            total_written += written
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {total_read} rows read, {total_written} rewritten in {len(targets)} tables."
            )
        )

    def _rotate_model(
        self,
        model: type[models.Model],
        fields: tuple[EncryptedField, ...],
        batch_size: int,
        after_pk: int | None,
        rehash: bool,
    ) -> tuple[int, int]:
        label = model._meta.label
        columns = [field.name for field in fields]
        if rehash:
            columns += [field.hash_field for field in fields if field.hash_field]
        read = written = 0
        last = after_pk
        while True:
            with transaction.atomic():
                rows = model._base_manager.order_by("pk").only("pk", *columns)
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                # Locked until the batch is written: a concurrent edit of a number waits
                # instead of being overwritten with the old number re-encrypted.
                batch = list(rows.select_for_update()[:batch_size])
                if not batch:
                    break
                changed = [row for row in batch if self._rotate_row(row, fields, rehash)]
                if changed:
                    model._base_manager.bulk_update(changed, columns)
            read += len(batch)
            written += len(changed)
            last = batch[-1].pk
            self.stdout.write(
                f"{label}: {read} rows read, {written} rewritten, up to pk {last} "
                f"(resume: --model {label} --after-pk {last})"
            )
        if not read:
            self.stdout.write(f"{label}: no rows.")
        return read, written

    def _rotate_row(
        self, row: models.Model, fields: tuple[EncryptedField, ...], rehash: bool
    ) -> bool:
        changed = False
        for field in fields:
            token = field.token(getattr(row, field.name))
            try:
                new = reencrypt(token)
                clear = decrypt_bytes(token).decode() if rehash and field.hash_field else ""
            except InvalidToken as error:
                raise CommandError(
                    f"{row._meta.label} pk {row.pk}: no key in PERSONAL_DATA_KEYS decrypts "
                    f"{field.name}. Put the key it was encrypted with back in the list. "
                    "Nothing of this batch was written."
                ) from error
            if new is not None:
                setattr(row, field.name, new if field.binary else new.decode())
                changed = True
            if rehash and field.hash_field:
                digest = lookup_hash(clear)
                if getattr(row, field.hash_field) != digest:
                    setattr(row, field.hash_field, digest)
                    changed = True
        return changed
