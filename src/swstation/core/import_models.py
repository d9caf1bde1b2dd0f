"""The record of one bulk import: who uploaded which file, how far its checks have got, and
what they found or did. The machinery that fills it is :mod:`swstation.core.imports`.

An import job is private to the user who uploaded it; it is not a scoped domain record (it
has no region and no ``role_permissions``), so it has no pages of its own beyond the import
views and no history.

The synonyms every import accepts (低保户 → 低保, 同意 → 是) are city-wide data the city
bureau keeps (:class:`ImportSynonym`), with pages of their own and a history.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from swstation.core.crypto import EncryptedField, decrypt_bytes, encrypt_bytes
from swstation.core.permissions import RolePermissions
from swstation.core.roles import Role
from swstation.core.scoping import ScopedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be checked")
    VALIDATING = "validating", _("Checking rows")
    VALID = "valid", _("Ready to import")
    INVALID = "invalid", _("Has errors")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportJob(models.Model):
    """One uploaded file and its way through check → preview → apply."""

    RUNNING: ClassVar[frozenset[str]] = frozenset(
        {ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.APPLYING}
    )

    importer = models.CharField(_("importer"), max_length=200)
    route = models.CharField(
        _("URL name prefix"),
        max_length=100,
        help_text=_("namespace:model_name of the import pages, e.g. stations:station."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    # The sheet the user chose when several hold data (empty: the one with the headers).
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    # The user's reading of columns the import did not know: {"5": "birth_date"} (the column's
    # index in the sheet → the importer's column key).
    column_map = models.JSONField(_("columns as mapped"), default=dict, blank=True)
    # The workbook itself, encrypted with the personal-data keys (core/crypto.py: a Fernet
    # token, never the clear file), kept only while it may still be applied: cleared once the
    # job ends or expires, so that personal data in rosters does not linger in the database.
    # Read and write it through ``file_content()`` and ``store_file()``.
    content = models.BinaryField(_("file content (encrypted)"), blank=True, default=b"")
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # [{"row": 5, "column": "所属区划代码", "message": "..."}], at most MAX_STORED_ERRORS.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    # From the check: {"create": n, "update": n, "unchanged": n, "changes": [...], "notes":
    # [...], "ignored": [...], ...} (core/imports/preview.py, RunOutcome and SheetReader).
    plan = models.JSONField(_("planned changes"), default=dict, blank=True)
    # From the import: {"created": n, "updated": n, "unchanged": n}.
    result = models.JSONField(_("result"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    # Key rotation and restore checks re-encrypt and read the file through this declaration.
    encrypted_fields: ClassVar[tuple[EncryptedField, ...]] = (
        EncryptedField("content", binary=True),
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse(f"{self.route}_import_job", args=[self.pk])

    def store_file(self, content: bytes) -> None:
        """Keep the uploaded file, encrypted (saved with the job)."""
        self.content = encrypt_bytes(content)

    def file_content(self) -> bytes:
        """The uploaded file in clear (b"" once the job has ended)."""
        return decrypt_bytes(bytes(self.content or b""))

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status not in self.RUNNING else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    def errors_by_row(self) -> list[dict[str, Any]]:
        return sorted(self.errors, key=lambda e: (e.get("row") or 0, e.get("column") or ""))


class ImportSynonym(models.Model):
    """A word an office writes for one the import accepts: 低保户 for the category 低保, 同意
    for 是, 助理社工师 for 助理社会工作师. City-wide data: every role reads it (imports use it
    for everyone), the city bureau keeps it; seeded by migration 0004.

    ``vocabulary`` names the list of accepted words the synonym belongs to (the columns that
    use it declare it: :attr:`swstation.core.imports.Column.vocabulary`); ``means`` is one of
    those words, as a template's drop-down or instructions list it.
    """

    vocabulary = models.CharField(_("list"), max_length=40)
    text = models.CharField(_("written as"), max_length=100)
    means = models.CharField(_("read as"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The text as compared (no spaces, full-width forms folded, lower case): unique in a list.
    key = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    scope_path: ClassVar[str | None] = None
    shared_downward: ClassVar[bool] = False
    personal_fields: ClassVar[tuple[str, ...]] = ()
    role_permissions: ClassVar[RolePermissions] = RolePermissions(
        add=frozenset({Role.CITY_ADMIN}),
        change=frozenset({Role.CITY_ADMIN}),
        delete=frozenset({Role.CITY_ADMIN}),
    )

    class Meta:
        verbose_name = _("import synonym")
        verbose_name_plural = _("import synonyms")
        ordering = ["vocabulary", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "key"],
                name="core_importsynonym_unique_text",
                violation_error_message=_("This list already has this word."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.means}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = synonym_key(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:importsynonym", args=[self.pk])

    def clean_fields(self, exclude: Any = None) -> None:
        self.key = synonym_key(self.text or "")
        super().clean_fields(exclude=exclude)

    def get_vocabulary_display(self) -> str:
        from swstation.core.imports.vocabularies import vocabulary_label

        return vocabulary_label(self.vocabulary)

    def clean(self) -> None:
        from swstation.core.imports.vocabularies import check_synonym

        super().clean()
        check_synonym(self)


def synonym_key(text: str) -> str:
    from swstation.core.imports.cells import normalise_word

    return normalise_word(text)
