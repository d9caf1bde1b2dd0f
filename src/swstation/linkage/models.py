"""五社联动's links (domain.md §1 and §3; issue 13, "Partners, resources and referrals"): the
organisations a station works with, what they offer, and the people a worker refers to them.

- A :class:`Partner` (合作伙伴) is one organisation of one kind: a social organisation
  (社会组织), an enterprise, a charity or foundation, a government department (司法, 退役军人事务,
  妇联, 残联, 人社, 卫健, 教育...), a school, a hospital, a 居家养老服务中心, a residents'
  self-governance station (邻舍家) or another. It is registered at a region (a town's partners
  at the town, a district's 残联 at the district, a city charity at the city) and possibly
  attached to a station; its partners are read below (a district's departments by every town
  of the district) and changed only at their level.

  **The service agencies are one kind of partner, not a second list** (architecture.md):
  ``stations.ServiceAgency`` stays where the purchase contracts and the stations name it, and
  every agency has exactly one partner of kind ``social_org`` linked to it (``agency``, one to
  one). Migration 0002 created one for every agency there was; a signal of this app
  (``signals.py``) creates or renames it when an agency is saved. The partner list is so the
  one list of organisations a worker searches.

  **The contact's phone** (``contact_phone``) is an organisation's business contact, but it is
  most often the mobile phone of the named person. It is kept in the clear (the workers call it)
  and, as ``stations.ServiceAgency.contact_phone``, is a personal field: masked for the roles
  that never see personal data in full (the auditors), in pages, API and history.

- A :class:`Resource` (社会慈善资源) is what a partner offers: services, goods, money, a venue,
  volunteers or jobs, with its capacity and its validity; the resource list is the workers'
  searchable catalogue (by kind, region served, valid today).

- A :class:`Referral` (转介) sends a recipient (and possibly one of their cases) to a partner for a
  resource or a service: ``sent`` → ``accepted`` or ``declined`` (with the reason) → ``in
  progress`` → ``completed`` (outcome and feedback) or ``withdrawn`` (at any open state, with the
  reason). A partner never has an account: the worker records its answer. What a partner is
  told is only ``note_for_partner``; ``reason`` and ``internal_note`` stay inside the station.
  The transitions are in services.py.
"""

from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from swstation.cases.models import FRONT_LINE, READERS
from swstation.core.date_ranges import date_errors, latest_plan_end, latest_record_day, record_floor
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, MANAGERS

# Partners and resources: everyone reads them (the catalogue is the workers'), the front line
# (bureaus, managers, workers) records them, the managers remove them.
PARTNER_PERMISSIONS = RolePermissions(
    view=ALL_ROLES, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
)
# Referrals name a recipient: read as cases are (front line, supervisors, auditors), written by
# the front line, removed by the managers.
REFERRAL_PERMISSIONS = RolePermissions(
    view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
)


class PartnerKind(models.TextChoices):
    SOCIAL_ORG = "social_org", _("Social organisation")
    ENTERPRISE = "enterprise", _("Enterprise")
    CHARITY = "charity", _("Charity or foundation")
    GOVERNMENT = "government", _("Government department")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital or clinic")
    ELDERLY_CARE = "elderly_care", _("Home-based elderly care centre")
    SELF_GOVERNANCE = "self_governance", _("Residents' self-governance station")
    OTHER = "other", _("Other partner")


class Department(models.TextChoices):
    """The government departments a station most often links (issue 13)."""

    JUSTICE = "justice", _("Justice (司法)")
    VETERANS = "veterans", _("Veterans affairs")
    WOMEN = "women", _("Women's federation")
    DISABLED = "disabled", _("Disabled persons' federation")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    HEALTH = "health", _("Health commission")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other department")


class Partner(ScopedModel):
    """An organisation a station works with (see the module's docstring: the service agencies
    are partners of kind ``social_org`` linked by ``agency``; the contact's phone is masked for
    auditors)."""

    name = models.CharField(_("partner name"), max_length=100)
    kind = models.CharField(_("kind of partner"), max_length=20, choices=PartnerKind.choices)
    department = models.CharField(
        _("department"),
        max_length=20,
        choices=Department.choices,
        blank=True,
        help_text=_("For a government department only."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered at"),
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("The town, district or city whose partner it is (the station's town)."),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partners",
        help_text=_("The station that works with it, if one."),
    )
    # The agency's own partner goes with it (it is the same organisation, not a second
    # record); its referrals still protect it, so an agency with referrals is refused.
    agency = models.OneToOneField(
        "stations.ServiceAgency",
        verbose_name=_("service agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner",
        editable=False,
    )
    serves = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("villages and communities served"),
        blank=True,
        related_name="served_by_partners",
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what it does"), blank=True)
    active = models.BooleanField(_("still working with us"), default=True)

    shared_downward: ClassVar[bool] = True
    role_permissions = PARTNER_PERMISSIONS
    personal_fields: ClassVar[tuple[str, ...]] = ("contact_phone",)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="partner_unique_name_in_region",
                violation_error_message=_("A partner of this name is already registered here."),
            )
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("linkage:partner", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind == PartnerKind.GOVERNMENT and not self.department:
            errors["department"] = str(_("Choose the department of a government partner."))
        if self.kind and self.kind != PartnerKind.GOVERNMENT and self.department:
            self.department = ""
        station = self.station if self.station_id else None
        if station is not None:
            self.region = station.region
        region = self.region if self.region_id else None
        if region is not None and region.level == "village":
            errors["region"] = str(
                _("A partner is registered at a town, a district or the city, not a village.")
            )
        if self.agency_id and self.kind != PartnerKind.SOCIAL_ORG:
            errors["kind"] = str(_("A service agency is a social organisation."))
        if errors:
            raise ValidationError(errors)


class ResourceKind(models.TextChoices):
    SERVICES = "services", pgettext_lazy("resource kind", "Services")
    GOODS = "goods", _("Goods")
    MONEY = "money", _("Money")
    VENUE = "venue", _("Venue")
    VOLUNTEERS = "volunteers", _("Volunteers")
    JOBS = "jobs", _("Jobs")


class Resource(ScopedModel):
    """What a partner offers, for how many and until when (the workers' catalogue)."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField(_("kind of resource"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("resource"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("How many people, places, items or yuan; empty: not limited."),
    )
    capacity_unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("e.g. 人次/月, 个岗位, 元.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty: open-ended.")
    )

    scope_path: ClassVar[str | None] = "partner__region__code"
    shared_downward: ClassVar[bool] = True
    role_permissions = PARTNER_PERMISSIONS

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resource catalogue")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["valid_to"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.partner}）" if self.partner_id else self.title

    def get_absolute_url(self) -> str:
        return reverse("linkage:resource", args=[self.pk])

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        super().clean()
        errors = date_errors(
            self,
            {
                "valid_from": (record_floor(), latest_plan_end()),
                "valid_to": (None, latest_plan_end()),
            },
        )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = str(_("The end of validity is before its start."))
        if errors:
            raise ValidationError(errors)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States a referral no longer leaves.
FINAL_STATUSES = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}
)
# States in which the partner has answered.
ANSWERED_STATUSES = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
    }
)


class ReferralOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Need met")
    PARTLY = "partly", _("Need partly met")
    UNRESOLVED = "unresolved", _("Need not met")


class Referral(ScopedModel):
    """A recipient (and possibly a case) referred by a worker of a station to a partner."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The recipient's case the referral belongs to, if any."),
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("referring station"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("referred to"), on_delete=models.PROTECT, related_name="referrals"
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text=_("One of the partner's resources, if the referral asks for one."),
    )
    service = models.CharField(
        _("service asked for"), max_length=100, help_text=_("What the partner is asked to do.")
    )
    reason = models.TextField(
        _("reason (internal)"), blank=True, help_text=_("Why the recipient is referred.")
    )
    note_for_partner = models.TextField(
        _("note for the partner"),
        blank=True,
        help_text=_("The only text the partner is told: write nothing the recipient would not."),
    )
    internal_note = models.TextField(_("internal note"), blank=True)
    sent_on = models.DateField(_("sent on"))
    answer_due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        editable=False,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    decline_reason = models.TextField(_("why declined"), blank=True, editable=False)
    started_on = models.DateField(_("service started on"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=ReferralOutcome.choices, blank=True, editable=False
    )
    feedback = models.TextField(_("partner's feedback"), blank=True, editable=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True, editable=False)
    withdraw_reason = models.TextField(_("why withdrawn"), blank=True, editable=False)

    scope_path: ClassVar[str | None] = "station__region__code"
    role_permissions = REFERRAL_PERMISSIONS

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "answer_due_on"]),
            models.Index(fields=["sent_on"]),
        ]

    def __str__(self) -> str:
        if not self.recipient_id or not self.partner_id:
            return str(_("referral"))
        return f"{self.recipient} → {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("linkage:referral", args=[self.pk])

    def is_overdue(self, on: date) -> bool:
        return self.status == ReferralStatus.SENT and self.answer_due_on < on

    @property
    def days_to_answer(self) -> int | None:
        if self.answered_on is None:
            return None
        return (self.answered_on - self.sent_on).days

    def clean(self) -> None:
        super().clean()
        errors = date_errors(
            self,
            {
                "sent_on": (record_floor(), latest_record_day()),
                "answer_due_on": (None, latest_plan_end()),
            },
        )
        if self.sent_on and self.answer_due_on and self.answer_due_on < self.sent_on:
            errors["answer_due_on"] = str(_("The answer cannot be due before the referral."))
        recipient = self.recipient if self.recipient_id else None
        station = self.station if self.station_id else None
        case = self.case if self.case_id else None
        if case is not None and recipient is not None and case.recipient_id != recipient.pk:
            errors["case"] = str(
                _("Case %(number)s is not %(name)s's case.")
                % {"number": case.number, "name": recipient.name}
            )
        if (
            recipient is not None
            and station is not None
            and not recipient.region.code.startswith(station.region.prefix)
        ):
            errors["recipient"] = str(
                _("%(name)s does not live in the area of %(station)s.")
                % {"name": recipient.name, "station": station.name}
            )
        worker = self.worker if self.worker_id else None
        if worker is not None and station is not None and worker.station_id != station.pk:
            errors["worker"] = str(
                _("%(worker)s does not work at %(station)s.")
                % {"worker": worker.name, "station": station.name}
            )
        resource = self.resource if self.resource_id else None
        if resource is not None and self.partner_id and resource.partner_id != self.partner_id:
            errors["resource"] = str(
                _("“%(resource)s” is not offered by this partner.") % {"resource": resource.title}
            )
        if errors:
            raise ValidationError(errors)
