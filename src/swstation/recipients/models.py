"""People in need (服务对象, domain.md §3) with their households, categories, guardians and
consent. Identity and phone numbers are encrypted at rest, found by keyed hash, shown masked
(spec/identifiers.md); every full view is logged."""

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from swstation.core.crypto import EncryptedField
from swstation.core.date_ranges import (
    date_errors,
    earliest_birth_date,
    history_floor,
    latest_plan_end,
    latest_record_day,
    not_before,
    record_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS, Role
from swstation.core.scoping import ScopedManager
from swstation.recipients.identifiers import DocumentType, Sex

FRONT_LINE = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STATION_MANAGER, Role.SOCIAL_WORKER}
)
# Who may see minors' records and health data at all (domain.md §3: "visible only to roles that
# need them"): the people who serve and supervise them, not auditors.
SENSITIVE_READERS = frozenset(
    {
        Role.CITY_ADMIN,
        Role.DISTRICT_OFFICER,
        Role.STATION_MANAGER,
        Role.SOCIAL_WORKER,
        Role.SUPERVISOR,
    }
)
# Who may see an identity number in full (each view logged).
FULL_ID_READERS = frozenset({Role.STATION_MANAGER, Role.SOCIAL_WORKER})


class CategoryGroup(models.TextChoices):
    FAMILY = "family", _("Families")
    ELDERLY = "elderly", _("Elderly people")
    CHILD = "child", _("Children and youth")
    DISABILITY = "disability", _("People with disabilities")
    OTHER = "other", _("Other groups")


class Category(models.Model):
    """A vulnerable-group category (困难家庭, 特困, 低保, 独居老人, 困境儿童...): reference data,
    seeded by migration 0002 (domain.md §1, "1+X+1": the special groups a station serves)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    group = models.CharField(
        _("group"), max_length=20, choices=CategoryGroup.choices, default=CategoryGroup.OTHER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Household(ScopedModel):
    """A household (户) in a village or community."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50)
    size = models.PositiveSmallIntegerField(
        _("registered members"),
        default=1,
        help_text=_("Members of the registered household, served or not."),
    )
    note = models.TextField(_("note"), blank=True)

    role_permissions = RolePermissions(
        view=ALL_ROLES, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )
    personal_fields: ClassVar[tuple[str, ...]] = ("address",)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["region__code", "address"]

    def __str__(self) -> str:
        # The head's name, not the address: titles are shown unmasked to every role.
        return str(_("%(name)s's household") % {"name": self.head_name})

    def get_absolute_url(self) -> str:
        return reverse("recipients:household", args=[self.pk])

    @property
    def name(self) -> str:
        """What lists of people show for a household (the agenda's income checks)."""
        return str(self)

    def clean(self) -> None:
        super().clean()
        problem = village_problem(self)
        if problem:
            raise ValidationError({"region": problem})


def village_problem(obj: models.Model) -> str:
    """Households and recipients live in a village or community (domain.md §3: "address down
    to village/community"), so that village coverage (§5) can be counted from them."""
    region = getattr(obj, "region", None) if getattr(obj, "region_id", None) else None
    if region is not None and region.level != "village":
        return str(
            _("Choose a village or community, not “%(region)s” (%(level)s).")
            % {"region": region.name, "level": region.get_level_display()}
        )
    return ""


class RecipientStatus(models.TextChoices):
    ACTIVE = "active", _("Being served")
    INACTIVE = "inactive", _("No longer served")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    MERGED = "merged", _("Merged into another record")


class ExitReason(models.TextChoices):
    """Why a person left service (issue 18); an exit is recorded with its date."""

    DECEASED = "deceased", _("Deceased")
    MOVED_AWAY = "moved_away", _("Moved away")
    INELIGIBLE = "ineligible", _("No longer eligible")
    DECLINED = "declined", _("Declined further service")


# The status an exit leaves the record in, and the exit a status written directly stands for.
EXIT_STATUS: dict[str, str] = {
    ExitReason.DECEASED: RecipientStatus.DECEASED,
    ExitReason.MOVED_AWAY: RecipientStatus.MOVED,
    ExitReason.INELIGIBLE: RecipientStatus.INACTIVE,
    ExitReason.DECLINED: RecipientStatus.INACTIVE,
}
STATUS_EXIT: dict[str, str] = {
    RecipientStatus.DECEASED: ExitReason.DECEASED,
    RecipientStatus.MOVED: ExitReason.MOVED_AWAY,
    RecipientStatus.INACTIVE: ExitReason.INELIGIBLE,
}


class DisabilityType(models.TextChoices):
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "multiple", _("Multiple")


class Recipient(ScopedModel):
    """A person the stations serve."""

    name = models.CharField(_("full name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    id_number_encrypted = models.TextField(
        _("document number (encrypted)"), blank=True, editable=False
    )
    id_number_hash = models.CharField(
        _("document number hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(
        _("document number"), max_length=40, blank=True, editable=False
    )
    # One record per document number (a database constraint, below), except records entered
    # while the number was already recorded outside the author's jurisdiction: those are kept
    # apart for an officer's review (DuplicateReview) and never shown as such to the author.
    id_number_shared = models.BooleanField(
        _("document number also on a record under review"),
        default=False,
        editable=False,
        help_text=_(
            "Entered while the number was recorded outside the author's jurisdiction; see the "
            "duplicate reviews."
        ),
    )
    no_document_reason = models.CharField(_("reason for no document"), max_length=200, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(
        _("phone hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        related_name="recipients",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation_to_head = models.CharField(
        _("relation to the head of household"), max_length=20, blank=True
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("serving station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recipients",
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="recipients"
    )
    disability_type = models.CharField(
        _("disability type"), max_length=15, choices=DisabilityType.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=[(g, str(g)) for g in (1, 2, 3, 4)]
    )
    health_notes = models.TextField(_("health notes"), blank=True)
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
    # Third parties' phones are kept as the person's own is (issue 16): encrypted, found by
    # keyed hash, shown masked; in full only through the logged reveal (with its purpose).
    guardian_phone_encrypted = models.TextField(
        _("guardian's phone (encrypted)"), blank=True, editable=False
    )
    guardian_phone_hash = models.CharField(
        _("guardian's phone hash"), max_length=64, blank=True, db_index=True, editable=False
    )
    guardian_phone_masked = models.CharField(
        _("guardian's phone"), max_length=20, blank=True, editable=False
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_contact_phone_encrypted = models.TextField(
        _("emergency contact's phone (encrypted)"), blank=True, editable=False
    )
    emergency_contact_phone_hash = models.CharField(
        _("emergency contact's phone hash"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
    )
    emergency_contact_phone_masked = models.CharField(
        _("emergency contact's phone"), max_length=20, blank=True, editable=False
    )
    consent_given = models.BooleanField(_("consent to data processing"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecipientStatus.choices, default=RecipientStatus.ACTIVE
    )
    # In service on a day D: registered on or before D and not exited on or before D (issue 18:
    # every figure of a period counts the people in service at its end).
    registered_on = models.DateField(
        _("registration date"),
        default=timezone.localdate,
        help_text=_("The day the person was registered for the stations' services."),
    )
    exited_on = models.DateField(
        _("exit date"),
        null=True,
        blank=True,
        help_text=_("The first day the person was no longer served."),
    )
    exit_reason = models.CharField(
        _("exit reason"), max_length=12, choices=ExitReason.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    note = models.TextField(_("note"), blank=True)

    role_permissions = RolePermissions(
        view=ALL_ROLES, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )
    personal_fields: ClassVar[tuple[str, ...]] = (
        "birth_date",
        "address",
        "health_notes",
    )
    # Tokens of core/crypto.py with their lookup hashes: key rotation and restore checks find
    # them here (and in the history table).
    encrypted_fields: ClassVar[tuple[EncryptedField, ...]] = (
        EncryptedField("id_number_encrypted", hash_field="id_number_hash"),
        EncryptedField("phone_encrypted", hash_field="phone_hash"),
        EncryptedField("guardian_phone_encrypted", hash_field="guardian_phone_hash"),
        EncryptedField(
            "emergency_contact_phone_encrypted", hash_field="emergency_contact_phone_hash"
        ),
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["region__code", "name"]
        indexes = [
            models.Index(fields=["name", "birth_date"]),
            models.Index(fields=["status"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["registered_on"]),
        ]
        constraints = [
            # One person, one record (issue 9): parallel entries of one number cannot both
            # succeed. Merged records are history; records under review are the exception.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash="")
                & ~models.Q(status="merged")
                & models.Q(id_number_shared=False),
                name="recipient_unique_id_number_hash",
                violation_error_message=_("A person with this document number is recorded."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recipients:recipient", args=[self.pk])

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < 18

    @property
    def is_merged(self) -> bool:
        return self.status == RecipientStatus.MERGED

    def in_service_on(self, day: date) -> bool:
        """Registered by ``day`` and not exited on or before it (merged records never)."""
        return (
            not self.is_merged
            and self.registered_on <= day
            and (self.exited_on is None or self.exited_on > day)
        )

    def expected_status(self) -> str:
        """The status the exit fields give (a merged record stays merged)."""
        if self.is_merged:
            return RecipientStatus.MERGED
        return EXIT_STATUS.get(self.exit_reason, RecipientStatus.ACTIVE)

    def clean(self) -> None:
        """Rules on the record itself, shared by forms, the API and the importer. The rules on
        the identity document and consent need the clear number and the author, so they live
        in services.recipient_create/recipient_update."""
        super().clean()
        errors: dict[str, str] = {}
        problem = village_problem(self)
        if problem:
            errors["region"] = problem
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = str(_("The date of birth is in the future."))
        if self.consent_given and not self.consent_on:
            errors["consent_on"] = str(_("Give the date on which consent was given."))
        if self.consent_on and not self.consent_given:
            errors["consent_given"] = str(_("A consent date is given but consent is not ticked."))
        if self.consent_on and self.consent_on > today:
            errors["consent_on"] = str(_("The consent date is in the future."))
        if self.disability_grade and not self.disability_type:
            errors["disability_type"] = str(_("Give the disability type of the grade."))
        if (
            self.household_id
            and self.region_id
            and self.household is not None
            and self.household.region_id != self.region_id
        ):
            errors["household"] = str(
                _("The household is registered in %(region)s, not in this village.")
                % {"region": self.household.region.name}
            )
        if (
            self.station_id
            and self.region_id
            and self.station is not None
            and not self.region.code.startswith(self.station.region.prefix)
        ):
            errors["station"] = str(
                _("%(station)s does not serve %(region)s.")
                % {"station": self.station.name, "region": self.region.name}
            )
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = str(_("A record cannot be merged into itself."))
        if (self.status == RecipientStatus.MERGED) != bool(self.merged_into_id):
            errors["status"] = str(
                _("Only a merge marks a record as merged (and names the record kept).")
            )
        if bool(self.exited_on) != bool(self.exit_reason):
            if self.exited_on:
                errors["exit_reason"] = str(_("Give the reason of the exit."))
            else:
                errors["exited_on"] = str(_("Give the date of the exit."))
        elif not self.is_merged and self.status != self.expected_status():
            errors["status"] = str(
                _("The status “%(status)s” does not match the exit recorded (%(exit)s).")
                % {
                    "status": self.get_status_display(),
                    "exit": self.get_exit_reason_display() if self.exit_reason else _("none"),
                }
            )
        # Plausible dates (core/date_ranges.py): a human life span, consent and registration on
        # this platform, an exit after the registration.
        dates = date_errors(
            self,
            {
                "birth_date": (earliest_birth_date(), None),
                "consent_on": (record_floor(), None),
                "registered_on": (record_floor(), latest_record_day()),
                "exited_on": (
                    not_before(self.registered_on, _("the registration date")),
                    latest_record_day(),
                ),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class CategoryPeriod(ScopedModel):
    """A time a person belonged to a category (issue 18: a person enters and leaves 低保):
    from ``valid_from`` to ``valid_to`` (both included; empty: still). ``Recipient.categories``
    is the person's categories today; the services keep one open period per category held, and
    the figures of a past period read these."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="category_periods",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty: still in this category.")
    )

    scope_path: ClassVar[str | None] = "recipient__region__code"
    # Read as the person is; written only by the recipients services, as a change of the person.
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=frozenset(), change=frozenset(), delete=frozenset()
    )

    class Meta:
        verbose_name = _("category period")
        verbose_name_plural = _("category periods")
        ordering = ["recipient", "category__order", "valid_from"]
        indexes = [models.Index(fields=["category", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="category_period_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["recipient", "category"],
                condition=models.Q(valid_to__isnull=True),
                name="category_period_one_open",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.category} {self.valid_from:%Y-%m-%d} – {end}"

    def get_absolute_url(self) -> str:
        return reverse("recipients:categoryperiod", args=[self.pk])

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = str(_("The end of validity is before its start."))
        if self.recipient_id and self.category_id and self.valid_from:
            others = CategoryPeriod.objects.filter(
                recipient_id=self.recipient_id, category_id=self.category_id
            ).exclude(pk=self.pk)
            if self.valid_to:
                others = others.filter(valid_from__lte=self.valid_to)
            overlapping = others.filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
            ).first()
            if overlapping is not None:
                errors["valid_from"] = str(
                    _("%(name)s is already in %(category)s over these dates (%(period)s).")
                    % {
                        "name": self.recipient.name,
                        "category": self.category.name,
                        "period": overlapping,
                    }
                )
        dates = date_errors(
            self,
            {
                "valid_from": (history_floor(), latest_record_day()),
                "valid_to": (None, latest_plan_end()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class IdentityField(models.TextChoices):
    """The numbers a full view (``recipient_reveal_identity``) may show; each has its ciphertext
    in ``<value>_encrypted``, hash in ``<value>_hash`` and masked copy in ``<value>_masked`` (the
    document number's are ``id_number_*``)."""

    ID_NUMBER = "id_number", _("document number")
    PHONE = "phone", _("phone")
    GUARDIAN_PHONE = "guardian_phone", _("guardian's phone")
    EMERGENCY_CONTACT_PHONE = "emergency_contact_phone", _("emergency contact's phone")


# The phones a record keeps (encrypted, hashed, masked), by the prefix of their fields.
PHONE_FIELDS = ("phone", "guardian_phone", "emergency_contact_phone")
# Numbers of third parties: a full view of one needs a purpose.
THIRD_PARTY_NUMBERS = frozenset(
    {IdentityField.GUARDIAN_PHONE, IdentityField.EMERGENCY_CONTACT_PHONE}
)


class PersonalData(models.TextChoices):
    """What a line of the access log says was seen in full or exported: the numbers of
    :class:`IdentityField`, a diagnosis (ICD-10) and the payees' identity and bank account
    numbers of a payment roster (issue 10, "Auditing"), a person's health notes, a social
    worker's or a supervisor's phone and a survey respondent's address."""

    ID_NUMBER = "id_number", _("document number")
    PHONE = "phone", _("phone")
    GUARDIAN_PHONE = "guardian_phone", _("guardian's phone")
    EMERGENCY_CONTACT_PHONE = "emergency_contact_phone", _("emergency contact's phone")
    DIAGNOSIS = "diagnosis", _("diagnosis (ICD-10)")
    PAYMENT_DETAILS = "payment_details", _("payees' ID and bank account numbers")
    HEALTH_NOTES = "health_notes", _("health notes")
    STAFF_PHONE = "staff_phone", _("social worker's phone")
    SUPERVISOR_PHONE = "supervisor_phone", _("supervisor's phone")
    # A sampled survey respondent's address, revealed for a home visit (evaluation, issue 15).
    ADDRESS = "address", _("address")


# What the person's page shows in full on request (``recipient_reveal_identity``), each view
# logged: the numbers, and the health notes, which are not a number but are read the same way.
REVEALABLE_FIELDS: list[tuple[str, Any]] = [
    *IdentityField.choices,
    (PersonalData.HEALTH_NOTES.value, PersonalData.HEALTH_NOTES.label),
]


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewed in full")
    EXPORT = "export", _("Exported")


# Who reads the access log: those who answer for the data of their jurisdiction (the bureaus
# and the station managers) and the auditors (domain.md §4), each in their own jurisdiction.
ACCESS_LOG_READERS = MANAGERS | {Role.AUDITOR}


class IdentityView(models.Model):
    """The personal-data access log (issue 10, "Auditing"): a line for every full view of a
    recipient's identity or phone number (spec), and for every other access to protected
    personal data — a diagnosis read, a payment roster exported with its payees' numbers —
    written by ``services.personal_data_access_log`` (or, from an app below recipients,
    ``core.audit.record_personal_data_access``). Who, whose (``recipient``, or ``subject`` for
    a line about several people, with their ``count``), when, what (``field``, ``kind``) and
    why (``purpose``). The log outlives nothing it records: a recipient whose number was viewed
    cannot be deleted (PROTECT), and a merge leaves the lines on the record that was viewed.
    Scoped by ``region``: the person's region when it was written (a move keeps the log where
    the view happened), or the roster's."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="identity_views",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("data"), max_length=30, choices=PersonalData.choices)
    kind = models.CharField(
        _("access"), max_length=10, choices=AccessKind.choices, default=AccessKind.VIEW
    )
    viewed_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    subject = models.CharField(
        _("whose data"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Whose data, when the line is about several people (a roster)."),
    )
    count = models.PositiveIntegerField(_("people"), default=1)

    # Every record has its history (architecture.md); a line is written once and never
    # changed, so its history is its creation — and would show any change made behind the
    # services' back.
    history = HistoricalRecords()
    objects = ScopedManager()
    scope_path: ClassVar[str | None] = "region__code"
    shared_downward: ClassVar[bool] = False
    # The history names the person: for those who may see minors' records.
    role_permissions: ClassVar[RolePermissions] = RolePermissions(
        view=ACCESS_LOG_READERS, history=MANAGERS
    )

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["field", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.whose} · {self.get_field_display()}"

    def get_absolute_url(self) -> str:
        return reverse("recipients:identityview", args=[self.pk])

    @property
    def whose(self) -> str:
        return str(self.recipient) if self.recipient_id else self.subject


# Who settles a possible duplicate across jurisdictions: the officer whose jurisdiction covers
# both records (the district's officer, or the city bureau when the records are in two
# districts).
REVIEWERS = BUREAUS


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    LINKED = "linked", _("Same person, both records kept")
    DISMISSED = "dismissed", _("Not the same person")


class DuplicateReview(ScopedModel):
    """A record entered (or changed) with a document number that was already recorded outside
    its author's jurisdiction (issue 16: no existence oracle).

    The author's answer does not depend on records they may not see: their record is saved as
    for a number nobody recorded (``Recipient.id_number_shared`` keeps it apart from the
    one-record-per-number rule). This row is the log of the match — who entered it, when, which
    two records — and the queue in which the officer whose jurisdiction covers both records
    (``region``: the district, or the city) merges them, links them as the same person kept in
    two records, or dismisses the match after checking. Deleting a record leaves the row (its
    history keeps the record's number)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("reviewed by the jurisdiction of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("record entered"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_reviews",
    )
    match = models.ForeignKey(
        Recipient,
        verbose_name=_("record already kept"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="duplicate_matches",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    kept = models.ForeignKey(
        Recipient,
        verbose_name=_("record kept"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    role_permissions = RolePermissions(view=REVIEWERS, change=REVIEWERS)

    class Meta:
        verbose_name = _("duplicate review")
        verbose_name_plural = _("duplicate reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "match"], name="duplicate_review_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(recipient=models.F("match")),
                name="duplicate_review_two_records",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Possible duplicate #%(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("recipients:duplicatereview", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN
