from collections.abc import Collection
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from swstation.core.permissions import RolePermissions
from swstation.core.roles import Role
from swstation.core.scoping import ScopedQuerySet

USERNAME_TAKEN = "username_taken"


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who logs in, with one role and one jurisdiction region (domain.md §4)."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    jurisdiction = models.ForeignKey(
        "regions.Region",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The region whose records this user sees and changes."),
    )
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))
        ],
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set by a password reset: the user chooses a new password at the next login."),
    )
    password_changed_at = models.DateTimeField(
        _("password changed"), null=True, blank=True, editable=False
    )

    objects: ClassVar[ScopedUserManager] = ScopedUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    scope_path: ClassVar[str] = "jurisdiction__code"
    role_permissions = RolePermissions(
        view=frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.AUDITOR}),
        add=frozenset({Role.CITY_ADMIN}),
        change=frozenset({Role.CITY_ADMIN}),
        delete=frozenset({Role.CITY_ADMIN}),
        history=frozenset({Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
    )
    personal_fields: ClassVar[tuple[str, ...]] = ("phone", "email")
    # Masked for every role (core.models.ScopedModel.protected_fields): no role's work on an
    # account needs the number in full, so no reveal shows it.
    protected_fields: ClassVar[tuple[str, ...]] = ("phone",)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        indexes = [models.Index(fields=["role"])]
        constraints = [
            # "Zhang" and "zhang" would be two accounts no one could tell apart.
            models.UniqueConstraint(
                Lower("username"),
                name="username_unique_ignoring_case",
                violation_error_code=USERNAME_TAKEN,
                violation_error_message=_("A user with that username already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """The case-insensitive uniqueness of the user name is the user name's error."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for error in general:
                field = "username" if error.code == USERNAME_TAKEN else NON_FIELD_ERRORS
                errors.setdefault(field, []).append(error)
            raise ValidationError(errors) from exc

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", args=[self.pk])

    def set_password(self, raw_password: str | None) -> None:
        """Every new password is dated, for the expiry policy (settings.PASSWORD_MAX_AGE_DAYS)."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def scope_prefix(self) -> str | None:
        """The code prefix of the jurisdiction; None (sees nothing) without one."""
        if self.is_superuser:
            return ""
        if self.jurisdiction is None or not self.role:
            return None
        prefix: str = self.jurisdiction.prefix
        return prefix
