"""People and talent (domain.md §2): social workers, certificates, exam rewards and job
allowances as policy data with their payments, training, supervision and talent lists."""

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from swstation.core.crypto import EncryptedField
from swstation.core.date_ranges import (
    Limit,
    check_dates,
    date_errors,
    earliest_birth_date,
    history_floor,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    record_floor,
)
from swstation.core.models import PolicyModel, ScopedModel
from swstation.core.numbers import format_money
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS, SUPERVISION, Role

# The national social worker qualification examination was first held in 2008: no certificate
# is older.
FIRST_EXAM_YEAR_START = date(2008, 1, 1)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school or below")
    ASSOCIATE = "associate", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


class Post(models.TextChoices):
    STATION_DIRECTOR = "station_director", _("Station director")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    ASSISTANT = "assistant", _("Assistant")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    OTHER = "other", _("Other")


class CertificateLevel(models.TextChoices):
    """National social worker qualification levels; their values sort by rank."""

    ASSISTANT = "assistant", _("Assistant social worker")
    INTERMEDIATE = "intermediate", _("Social worker (intermediate)")
    SENIOR = "senior", _("Senior social worker")


class CertificateMethod(models.TextChoices):
    EXAM = "exam", _("Examination")
    REVIEW = "review", _("Examination and review")


class SocialWorker(ScopedModel):
    """A person working in social work in the city: at a station, an agency, or both."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))
        ],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("works in"),
        on_delete=models.PROTECT,
        related_name="social_workers",
        help_text=_("Set from the station when there is one."),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    agency = models.ForeignKey(
        "stations.ServiceAgency",
        verbose_name=_("service agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    post = models.CharField(
        _("post"), max_length=20, choices=Post.choices, default=Post.SOCIAL_WORKER
    )
    is_fulltime = models.BooleanField(_("full-time"), default=True)
    is_community_worker = models.BooleanField(
        _("full-time community worker"),
        default=False,
        help_text=_("专职社区工作者: eligible for the job allowance once certified."),
    )
    is_civil_servant = models.BooleanField(_("civil servant"), default=False)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=12, choices=Education.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="social_worker",
    )
    note = models.TextField(_("note"), blank=True)
    # What finance pays rewards and allowances to (issue 10: a payment roster finance can pay
    # from): the identity and bank account numbers, encrypted (core/crypto.py) with a masked
    # copy for display; in full only in the payment roster of the bureaus, each export logged
    # (workforce/export.py). Written through the services (id_number=, bank_account=).
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=20, blank=True, editable=False)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_encrypted = models.TextField(
        _("bank account (encrypted)"), blank=True, editable=False
    )
    bank_account_masked = models.CharField(
        _("bank account"), max_length=40, blank=True, editable=False
    )

    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )
    personal_fields: ClassVar[tuple[str, ...]] = ("phone", "birth_date")
    # Read in full only through the logged reveal (services.social_worker_reveal_phone).
    protected_fields: ClassVar[tuple[str, ...]] = ("phone",)
    encrypted_fields: ClassVar[tuple[EncryptedField, ...]] = (
        EncryptedField("id_number_encrypted"),
        EncryptedField("bank_account_encrypted"),
    )

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["region__code", "name"]
        indexes = [
            models.Index(fields=["is_fulltime", "left_on"]),
            models.Index(fields=["name"]),
            models.Index(fields=["post"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workforce:socialworker", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.hired_on and self.left_on and self.left_on < self.hired_on:
            errors["left_on"] = _("Leaving date is before the hiring date.")
        today = timezone.localdate()
        if self.hired_on and self.hired_on > today:
            errors["hired_on"] = _("The hiring date is in the future.")
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("The date of birth is in the future.")
        if self.station is not None and self.region_id and self.station.region_id != self.region_id:
            errors["region"] = _("A station's staff work in the station's region.")
        dates = date_errors(
            self,
            {
                "birth_date": (earliest_birth_date(), None),
                "hired_on": (history_floor(), None),
                "left_on": (None, latest_plan_start()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


class Certificate(ScopedModel):
    """A national social worker qualification certificate held by a person."""

    social_worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("social worker"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    level = models.CharField(_("level"), max_length=12, choices=CertificateLevel.choices)
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    obtained_on = models.DateField(_("obtained on"))
    method = models.CharField(
        _("obtained by"),
        max_length=10,
        choices=CertificateMethod.choices,
        default=CertificateMethod.EXAM,
    )
    exam_in_city = models.BooleanField(_("sat the exam in the city"), default=True)
    registered_in_city = models.BooleanField(_("registered in the city"), default=True)

    scope_path: ClassVar[str | None] = "social_worker__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-obtained_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["social_worker", "level"], name="one_certificate_per_level"
            )
        ]
        indexes = [
            models.Index(fields=["level", "obtained_on"]),
            models.Index(fields=["obtained_on"]),
            # A person's first certificate (newly certified per year) and highest level.
            models.Index(fields=["social_worker", "obtained_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:certificate", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.obtained_on and self.obtained_on > timezone.localdate():
            raise ValidationError({"obtained_on": _("The date obtained is in the future.")})
        first_exam = Limit(FIRST_EXAM_YEAR_START, _("the national examination began in 2008"))
        check_dates(self, {"obtained_on": (first_exam, None)})


class PaymentKind(models.TextChoices):
    EXAM_REWARD = "exam_reward", _("Exam reward (one-time)")
    JOB_ALLOWANCE = "job_allowance", _("Job allowance (monthly)")


class RewardPolicy(PolicyModel):
    """An amount per certificate level, with its eligibility conditions (domain.md §2)."""

    kind = models.CharField(_("kind"), max_length=15, choices=PaymentKind.choices)
    level = models.CharField(
        _("certificate level"), max_length=12, choices=CertificateLevel.choices
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("One-time for an exam reward; per month for a job allowance."),
    )
    excludes_civil_servants = models.BooleanField(_("not for civil servants"), default=True)
    requires_exam_in_city = models.BooleanField(_("exam sat in the city"), default=True)
    requires_registration_in_city = models.BooleanField(
        _("certificate registered in the city"), default=True
    )
    requires_community_worker = models.BooleanField(
        _("full-time community workers only"), default=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reward or allowance rule")
        verbose_name_plural = _("reward and allowance rules")
        ordering = ["kind", "level", "-valid_from"]

    def __str__(self) -> str:
        amount = format_money(self.amount)
        return f"{self.get_kind_display()} · {self.get_level_display()} · {amount}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:rewardpolicy", args=[self.pk])


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (under review)")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class PaymentBatch(ScopedModel):
    """A reviewable list of rewards or allowances due for a period, approved then paid."""

    kind = models.CharField(_("kind"), max_length=15, choices=PaymentKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("paying region"),
        on_delete=models.PROTECT,
        related_name="payment_batches",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    role_permissions = RolePermissions(
        view=BUREAUS | {Role.AUDITOR}, add=BUREAUS, change=BUREAUS, delete=BUREAUS
    )

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-period_end", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:paymentbatch", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        more: dict[str, str] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            more["period_end"] = str(_("The period ends before it starts."))
        check_dates(
            self,
            {
                "period_start": (record_floor(), latest_plan_start()),
                "period_end": (None, latest_plan_end()),
                "paid_on": (record_floor(), latest_record_day()),
            },
            **more,
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Only a draft goes: deleting an approved or paid batch would free its lines to be
        paid a second time (services.payments.payment_batch_delete_draft)."""
        if self.status != BatchStatus.DRAFT:
            raise ProtectedError(
                str(_("Only a draft batch can be deleted; this one is “%(status)s”."))
                % {"status": self.get_status_display()},
                {self},
            )
        return super().delete(*args, **kwargs)


class Payment(ScopedModel):
    """One person's reward or allowance in a batch. An exam reward is paid once per
    certificate; an allowance once per person and month (database constraints)."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="payments"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=PaymentKind.choices)
    social_worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("social worker"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    policy = models.ForeignKey(
        RewardPolicy, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="payments"
    )
    month = models.DateField(
        _("month"), null=True, blank=True, help_text=_("For allowances: the month paid.")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)

    scope_path: ClassVar[str | None] = "social_worker__region__code"
    role_permissions = RolePermissions(
        view=BUREAUS | {Role.AUDITOR}, add=frozenset(), change=frozenset(), delete=frozenset()
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["batch", "social_worker__name"]
        indexes = [
            # The payments list's order (selectors.payments.PAYMENT_LIST_ORDER): a page is
            # read from here, not sorted (issue 10, "Lists fast at any size").
            models.Index(fields=["-batch", "id"], name="payment_newest_batch"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(kind="exam_reward"),
                name="one_exam_reward_per_certificate",
            ),
            models.UniqueConstraint(
                fields=["social_worker", "month"],
                condition=Q(kind="job_allowance"),
                name="one_allowance_per_person_and_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.social_worker} · {self.get_kind_display()} · {format_money(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:payment", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(self, {"month": (record_floor(), latest_plan_start())})


class ClassTier(models.TextChoices):
    JINDING = "jinding", _("Jinding class (community leaders)")
    YINDING = "yinding", _("Yinding class (reserve cadres)")
    WENDING = "wending", _("Wending class (social workers)")
    OTHER = "other", _("Other class")


class TrainingClass(ScopedModel):
    """A tiered training class (金鼎班/银鼎班/文鼎班...) run by a region."""

    name = models.CharField(_("name"), max_length=100)
    tier = models.CharField(_("tier"), max_length=10, choices=ClassTier.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    starts_on = models.DateField(pgettext_lazy("training class", "starts on"))
    ends_on = models.DateField(pgettext_lazy("training class", "ends on"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)

    shared_downward: ClassVar[bool] = True
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workforce:trainingclass", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        more: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            more["ends_on"] = str(_("The class ends before it starts."))
        check_dates(
            self,
            {
                "starts_on": (record_floor(), latest_plan_start()),
                "ends_on": (None, latest_plan_end()),
            },
            **more,
        )


class CourseMode(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")


class Course(ScopedModel):
    """A course or workshop session, possibly part of a class, with its hours."""

    title = models.CharField(_("title"), max_length=150)
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=CourseMode.choices)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    teacher = models.CharField(_("teacher"), max_length=50, blank=True)

    shared_downward: ClassVar[bool] = True
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workforce:course", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(self, {"held_on": (record_floor(), latest_plan_start())})


class Attendance(ScopedModel):
    """A person's attendance of a course, with the hours credited."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="attendances"
    )
    social_worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("social worker"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )

    scope_path: ClassVar[str | None] = "social_worker__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-course__held_on", "social_worker__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "social_worker"], name="one_attendance_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.social_worker} · {self.course}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:attendance", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.course_id and self.hours is not None and self.hours > self.course.hours:
            raise ValidationError({"hours": _("More hours than the course lasted.")})


class SupervisorLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial supervisor")
    CITY = "city", _("City supervisor")
    DOMAIN_EXPERT = "domain_expert", _("Domain expert")


class Supervisor(ScopedModel):
    """A member of the expert support team (省督导 + 市督导 + 领域专家)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    level = models.CharField(_("level"), max_length=15, choices=SupervisorLevel.choices)
    field = models.CharField(_("field of expertise"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        blank=True,
        validators=[
            RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))
        ],
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("serves region"),
        on_delete=models.PROTECT,
        related_name="supervisors",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisor_profile",
    )

    shared_downward: ClassVar[bool] = True
    role_permissions = RolePermissions(view=ALL_ROLES, add=BUREAUS, change=BUREAUS, delete=BUREAUS)
    personal_fields: ClassVar[tuple[str, ...]] = ("phone",)
    # Read in full only through the logged reveal (services.supervisor_reveal_phone).
    protected_fields: ClassVar[tuple[str, ...]] = ("phone",)

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workforce:supervisor", args=[self.pk])


class SupervisionSession(ScopedModel):
    """A supervision session with a station and some of its social workers."""

    supervisor = models.ForeignKey(
        Supervisor, verbose_name=_("supervisor"), on_delete=models.PROTECT, related_name="sessions"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
    )
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.ManyToManyField(
        SocialWorker,
        verbose_name=_("participants"),
        blank=True,
        related_name="supervision_sessions",
    )
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    follow_up_due = models.DateField(_("follow-ups due"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-ups done"), default=False)

    scope_path: ClassVar[str | None] = "station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=SUPERVISION, change=SUPERVISION, delete=BUREAUS
    )

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-held_on"]
        indexes = [
            models.Index(fields=["held_on"]),
            models.Index(fields=["follow_up_done", "follow_up_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.station} · {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:supervisionsession", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(
            self,
            {
                "held_on": (record_floor(), latest_plan_start()),
                "follow_up_due": (None, latest_plan_end()),
            },
        )


class TalentCatalogue(models.TextChoices):
    HIGH_LEVEL = "high_level", _("High-level talent")
    LEADING = "leading", _("Leading talent")
    TOP_NOTCH = "top_notch", _("Top-notch talent")


class TalentEntry(ScopedModel):
    """A listing of a social worker in one of the city's talent catalogues."""

    social_worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("social worker"),
        on_delete=models.CASCADE,
        related_name="talent_entries",
    )
    catalogue = models.CharField(_("catalogue"), max_length=12, choices=TalentCatalogue.choices)
    listed_on = models.DateField(_("listed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path: ClassVar[str | None] = "social_worker__region__code"
    role_permissions = RolePermissions(view=ALL_ROLES, add=BUREAUS, change=BUREAUS, delete=BUREAUS)

    class Meta:
        verbose_name = _("talent catalogue entry")
        verbose_name_plural = _("talent catalogue entries")
        ordering = ["-listed_on"]

    def __str__(self) -> str:
        return f"{self.social_worker} · {self.get_catalogue_display()}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:talententry", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        more: dict[str, str] = {}
        if self.listed_on and self.valid_until and self.valid_until < self.listed_on:
            more["valid_until"] = str(_("Validity ends before the listing date."))
        check_dates(
            self,
            {
                "listed_on": (record_floor(), latest_record_day()),
                "valid_until": (None, latest_plan_end()),
            },
            **more,
        )
