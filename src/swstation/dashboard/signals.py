"""Which records feed which tallies, and the signal handlers that mark them dirty.

Each source names the lookup from the record to the region code that places it (the same path
as its ``scope_path`` where it has one) and the families it feeds. A save marks the partition
the record was in before and the one it is in after (a recipient who moves takes their services
along); a delete marks where it was. Writers that bypass signals (``bulk_create``,
``QuerySet.update``) call :func:`swstation.dashboard.services.tally_mark_dirty` themselves.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from swstation.cases.models import (
    Case,
    CaseStageChange,
    CaseTransfer,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.community.models import (
    ActivityVolunteer,
    CommunityActivity,
    Group,
    GroupSession,
    SessionAttendance,
)
from swstation.dashboard.services import tally_mark_dirty
from swstation.funds.models import ContractInstalment, Expense, Grant, PurchaseContract
from swstation.linkage.models import Partner, Referral
from swstation.recipients.models import CategoryPeriod, Recipient
from swstation.stations.models import Station
from swstation.volunteers.models import ServiceVolunteer, Volunteer
from swstation.workforce.models import Certificate, Payment, PaymentBatch, SocialWorker


@dataclass(frozen=True)
class TallySource:
    model: type[models.Model]
    path: str
    families: tuple[str, ...]
    # Further places the record counts in: a case ever transferred counts, on the days before
    # its transfer, at the station it came from.
    also: tuple[str, ...] = ()


TALLY_SOURCES: tuple[TallySource, ...] = (
    TallySource(ServiceRecord, "recipient__region__code", ("services", "visits")),
    TallySource(Recipient, "region__code", ("recipients", "services", "visits", "assessments")),
    TallySource(VisitSchedule, "recipient__region__code", ("visits",)),
    TallySource(
        Case, "station__region__code", ("cases",), ("transfers__from_station__region__code",)
    ),
    TallySource(
        CaseStageChange,
        "case__station__region__code",
        ("cases",),
        ("case__transfers__from_station__region__code",),
    ),
    TallySource(
        CaseTransfer,
        "from_station__region__code",
        ("cases",),
        ("to_station__region__code", "case__station__region__code"),
    ),
    TallySource(CategoryPeriod, "recipient__region__code", ("recipients",)),
    TallySource(Station, "region__code", ("cases", "funds", "linkage")),
    TallySource(SocialWorker, "region__code", ("workforce", "funds")),
    TallySource(Certificate, "social_worker__region__code", ("workforce",)),
    TallySource(Payment, "social_worker__region__code", ("funds",)),
    TallySource(PaymentBatch, "payments__social_worker__region__code", ("funds",)),
    # The "four ones" (issue 12): a share marks its donation's partition too (the donation
    # keeps its amount less its shares); an instalment counts where its station is (due) and
    # where its purchaser is (open); a contract's change moves its instalments.
    TallySource(Grant, "region__code", ("funds",), ("parent__region__code",)),
    TallySource(Expense, "region__code", ("funds",)),
    TallySource(PurchaseContract, "station__region__code", ("funds",), ("region__code",)),
    TallySource(
        ContractInstalment,
        "contract__station__region__code",
        ("funds",),
        ("contract__region__code",),
    ),
    TallySource(ElderlyAssessment, "recipient__region__code", ("assessments",)),
    # 五社联动 (issue 13): hours count where the volunteer's station is, so an occasion's
    # change (its day) marks its volunteers' partitions too, and a volunteer who changes
    # station takes their hours along.
    TallySource(ServiceVolunteer, "volunteer__station__region__code", ("linkage",)),
    TallySource(ActivityVolunteer, "volunteer__station__region__code", ("linkage",)),
    TallySource(Volunteer, "station__region__code", ("linkage",)),
    TallySource(
        CommunityActivity,
        "region__code",
        ("linkage",),
        ("volunteers__volunteer__station__region__code",),
    ),
    TallySource(
        GroupSession,
        "group__station__region__code",
        ("linkage",),
        ("volunteers__volunteer__station__region__code",),
    ),
    TallySource(SessionAttendance, "session__group__station__region__code", ("linkage",)),
    TallySource(Group, "station__region__code", ("linkage",)),
    TallySource(Referral, "station__region__code", ("linkage",)),
)
_SOURCE_OF: dict[type[models.Model], TallySource] = {s.model: s for s in TALLY_SOURCES}


@dataclass(frozen=True)
class LinkedSource:
    """A record that places tallies through relations without a reverse accessor (the
    apps hide them with ``related_name="+"``), so its codes are read by a function of the
    changed primary keys. Handled beside its ``TallySource`` if it has one."""

    model: type[models.Model]
    families: tuple[str, ...]
    codes: Callable[[Collection[Any]], set[str]]


def _record_volunteer_codes(pks: Collection[Any]) -> set[str]:
    """A service record's day moves the hours of the volunteers it names."""
    return set(
        ServiceVolunteer.objects.filter(record_id__in=pks).values_list(
            "volunteer__station__region__code", flat=True
        )
    )


def _partner_codes(pks: Collection[Any]) -> set[str]:
    """A partner's kind counts where it was referred to and where its activities were."""
    activities = CommunityActivity.partners.through.objects.filter(partner_id__in=pks)
    return set(
        Referral.objects.filter(partner_id__in=pks).values_list("station__region__code", flat=True)
    ) | set(activities.values_list("communityactivity__region__code", flat=True))


LINKED_SOURCES: tuple[LinkedSource, ...] = (
    LinkedSource(ServiceRecord, ("linkage",), _record_volunteer_codes),
    LinkedSource(Partner, ("linkage",), _partner_codes),
)
_LINKED_OF: dict[type[models.Model], LinkedSource] = {s.model: s for s in LINKED_SOURCES}
_OLD_LINKED = "_tally_old_linked_codes"
_OLD_CODES = "_tally_old_codes"


def _codes(source: TallySource, pks: Any) -> set[str]:
    manager = source.model._default_manager
    found: set[str] = set()
    for path in (source.path, *source.also):
        found |= set(manager.filter(pk__in=pks).values_list(path, flat=True).distinct())
    return {code for code in found if code}


def _before_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is not None and not instance._state.adding and not kwargs.get("raw"):
        setattr(instance, _OLD_CODES, _codes(_SOURCE_OF[sender], [instance.pk]))


def _after_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    source = _SOURCE_OF[sender]
    codes = _codes(source, [instance.pk]) | getattr(instance, _OLD_CODES, set())
    tally_mark_dirty(families=source.families, codes=codes)


def _before_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    setattr(instance, _OLD_CODES, _codes(_SOURCE_OF[sender], [instance.pk]))


def _after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    source = _SOURCE_OF[sender]
    tally_mark_dirty(families=source.families, codes=getattr(instance, _OLD_CODES, set()))


def _linked_before(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if instance.pk is not None and not instance._state.adding and not kwargs.get("raw"):
        setattr(instance, _OLD_LINKED, _LINKED_OF[sender].codes([instance.pk]))


def _linked_after_save(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    source = _LINKED_OF[sender]
    codes = source.codes([instance.pk]) | getattr(instance, _OLD_LINKED, set())
    tally_mark_dirty(families=source.families, codes=codes)


def _linked_after_delete(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    source = _LINKED_OF[sender]
    tally_mark_dirty(families=source.families, codes=getattr(instance, _OLD_LINKED, set()))


def _activity_partners_changed(
    instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any
) -> None:
    """An activity's partners changed (or a partner's activities, seen from the other end)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:
        codes = (
            _partner_codes([instance.pk])
            if pk_set is None
            else set(
                CommunityActivity.objects.filter(pk__in=pk_set).values_list(
                    "region__code", flat=True
                )
            )
        )
    else:
        codes = {instance.region.code}
    tally_mark_dirty(families=("linkage",), codes=codes)


def _categories_changed(instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any) -> None:
    """A recipient's categories changed (or a category's recipients, seen from the other end)."""
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:
        pks = pk_set if pk_set is not None else instance.recipients.values("pk")
    else:
        pks = [instance.pk]
    codes = set(Recipient.objects.filter(pk__in=pks).values_list("region__code", flat=True))
    tally_mark_dirty(families=("recipients",), codes=codes)


def connect_tally_sources() -> None:
    for source in TALLY_SOURCES:
        uid = f"tally:{source.model._meta.label}"
        pre_save.connect(_before_save, sender=source.model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(_after_save, sender=source.model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(_before_delete, sender=source.model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(_after_delete, sender=source.model, dispatch_uid=f"{uid}:post_delete")
    for linked in LINKED_SOURCES:
        uid = f"tally-linked:{linked.model._meta.label}"
        pre_save.connect(_linked_before, sender=linked.model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(_linked_after_save, sender=linked.model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(_linked_before, sender=linked.model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(
            _linked_after_delete, sender=linked.model, dispatch_uid=f"{uid}:post_delete"
        )
    m2m_changed.connect(
        _activity_partners_changed,
        sender=CommunityActivity.partners.through,
        dispatch_uid="tally:activity-partners",
    )
    m2m_changed.connect(
        _categories_changed,
        sender=Recipient.categories.through,
        dispatch_uid="tally:recipient-categories",
    )
