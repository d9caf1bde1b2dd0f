"""The service agencies are partners (models.py): when an agency is saved, its partner of kind
``social_org`` is created, or renamed and moved with it. ``stations`` sits below this app and
never imports it; this receiver, connected in ``LinkageConfig.ready()``, keeps the one list.

An agency made with ``bulk_create`` (the demo) sends no signal: :func:`partners_for_agencies`
creates the missing partners in bulk (the demo step calls it)."""

from typing import Any

from simple_history.utils import bulk_create_with_history

from swstation.linkage.models import Partner, PartnerKind
from swstation.stations.models import ServiceAgency


def _fields(agency: ServiceAgency) -> dict[str, Any]:
    return {
        "name": agency.name,
        "region_id": agency.region_id,
        "contact_name": agency.contact_name,
        "contact_phone": agency.contact_phone,
        "address": agency.address,
    }


def partner_of_agency(
    sender: Any, instance: ServiceAgency, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of ServiceAgency: its partner follows its name, region and contact."""
    if raw:
        return
    partner = Partner.objects.filter(agency=instance).first()
    if partner is None:
        partner = Partner(agency=instance, kind=PartnerKind.SOCIAL_ORG, description=instance.note)
    changed = False
    for name, value in _fields(instance).items():
        if getattr(partner, name) != value:
            setattr(partner, name, value)
            changed = True
    if changed or partner.pk is None:
        # A partner of the same name already registered there is the agency itself.
        if partner.pk is None:
            same = Partner.objects.filter(
                region_id=instance.region_id, name=instance.name, agency__isnull=True
            ).first()
            if same is not None:
                same.agency = instance
                same.kind = PartnerKind.SOCIAL_ORG
                same.save()
                return
        partner.save()


def partners_for_agencies() -> int:
    """A partner for every agency without one (in bulk, with history); how many were made."""
    missing = ServiceAgency.objects.filter(partner__isnull=True).order_by("pk")
    taken = set(Partner.objects.values_list("region_id", "name"))
    made = [
        Partner(
            agency=agency, kind=PartnerKind.SOCIAL_ORG, description=agency.note, **_fields(agency)
        )
        for agency in missing
        if (agency.region_id, agency.name) not in taken
    ]
    bulk_create_with_history(made, Partner, batch_size=500)
    return len(made)
