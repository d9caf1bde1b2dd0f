"""Writes on the funds (issue 12, "Funds"; domain.md §1, Guarantees "四个一").

Rules every writer (page, API, demo) shares:

- **Who records which money**: the city's tier only the city bureau, a district's the bureaus,
  a town's and social money the managers as well (``models.TIER_KEEPERS``); always inside the
  writer's jurisdiction (the generic views and viewsets check the record lands there).
- **Shares add up**: the shares split from a donation (美好家园's across 海曙's and 余姚's
  stations) never exceed it; what is left is its remainder. A donation is not cut below what
  was split from it and spent, nor a grant below what was spent of it.
- **Instalments add up**: a contract's instalments never exceed its amount; one final payment
  (尾款) per contract, which alone may be held pending evaluation, and is paid only once
  released.
- **Spending never exceeds what was granted** (the amount less its shares; a contract's amount)
  unless someone at the funder's level — the city bureau for the city's money, the district
  officer for a district's, the station manager for a town's, the level of a social funder's
  registration — allows it, with a reason; their name is kept on the line
  (``Expense.override_by``).

Every function is atomic; every refusal names its field in Chinese.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import SYSTEM, Actor, history_user, require_actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import Action, user_can
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    FunderKind,
    FundType,
    Grant,
    PurchaseContract,
    Tier,
    money,
)
from swstation.funds.selectors import may_keep_tier, may_override, source_balance
from swstation.regions.models import Region
from swstation.stations.models import Station, SubsidyPolicy
from swstation.stations.selectors import BUILT_STATUSES

__all__ = [
    "CONTRACT_FIELDS",
    "EXPENSE_FIELDS",
    "FUNDER_FIELDS",
    "GRANT_FIELDS",
    "INSTALMENT_FIELDS",
    "expense_create",
    "expense_delete",
    "expense_update",
    "funder_create",
    "funder_update",
    "grant_create",
    "grant_delete",
    "grant_mark_paid",
    "grant_update",
    "instalment_create",
    "instalment_hold",
    "instalment_mark_paid",
    "instalment_release",
    "instalment_update",
    "purchase_contract_create",
    "purchase_contract_update",
    "subsidies_generate",
    "subsidy_funder",
]

# What each form (in this order) and the API write.
FUNDER_FIELDS = ("name", "kind", "tier", "region", "contact_name", "note")
GRANT_FIELDS = (
    "funder",
    "fund_type",
    "parent",
    "programme",
    "station",
    "project",
    "region",
    "amount",
    "year",
    "document_number",
    "granted_on",
    "paid_on",
    "purpose",
    "restrictions",
    "policy",
    "note",
)
CONTRACT_FIELDS = (
    "number",
    "title",
    "region",
    "agency",
    "station",
    "project",
    "signed_on",
    "starts_on",
    "ends_on",
    "amount",
    "deliverables",
    "note",
)
INSTALMENT_FIELDS = ("contract", "sequence", "due_on", "amount", "deliverable", "is_final")
EXPENSE_FIELDS = (
    "grant",
    "contract",
    "spent_on",
    "category",
    "amount",
    "voucher_number",
    "description",
    "override_reason",
)


def _require_role(actor: Actor, action: Action, model: type[Any]) -> None:
    require_actor(actor)
    if actor is not SYSTEM and not user_can(actor, action, model):
        raise PermissionDenied(_("Your role may not do this with the funds."))


def _require_tier_keeper(actor: Actor, tier: str, field: str = "funder") -> None:
    if actor is SYSTEM or may_keep_tier(actor, tier):
        return
    raise ValidationError(
        {
            field: _("Money of the tier “%(tier)s” is recorded by %(who)s, not by your role.")
            % {"tier": Tier(tier).label, "who": _tier_keepers_label(tier)}
        }
    )


def _tier_keepers_label(tier: str) -> str:
    return {
        Tier.CITY: _("the city civil-affairs bureau"),
        Tier.COUNTY: _("the district civil-affairs officer"),
    }.get(Tier(tier), _("the station manager or the bureaus"))


def _apply(obj: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        setattr(obj, name, value)


# --- funders -------------------------------------------------------------------------------------


@transaction.atomic
def funder_create(*, actor: Actor, **fields: Any) -> Funder:
    _require_role(actor, "add", Funder)
    funder = Funder()
    _apply(funder, fields, FUNDER_FIELDS)
    if funder.tier:
        _require_tier_keeper(actor, funder.tier, "tier")
    funder.full_clean()
    return save_with_history(funder, actor=actor)


@transaction.atomic
def funder_update(*, actor: Actor, funder: Funder, **changes: Any) -> Funder:
    _require_role(actor, "change", Funder)
    _require_tier_keeper(actor, funder.tier, "tier")
    if "tier" in changes and changes["tier"] != funder.tier and funder.grants.exists():
        raise ValidationError(
            {"tier": _("This funder's grants are counted in its tier: it no longer changes.")}
        )
    _apply(funder, changes, FUNDER_FIELDS)
    _require_tier_keeper(actor, funder.tier, "tier")
    funder.full_clean()
    return save_with_history(funder, actor=actor)


# --- grants --------------------------------------------------------------------------------------


def _check_grant(actor: Actor, grant: Grant) -> None:
    """The rules of a grant as it is about to be saved (after full_clean set its tier and
    region)."""
    if not grant.region_id and not grant.station_id and not grant.project_id:
        raise ValidationError(
            {"region": _("Choose the station or the project, or the region of the programme.")}
        )
    _require_tier_keeper(actor, grant.funder.tier)
    parent = grant.parent
    if parent is not None:
        Grant.objects.select_for_update().filter(pk=parent.pk).first()
        others = (
            Grant.objects.filter(parent=parent).exclude(pk=grant.pk).aggregate(t=Sum("amount"))["t"]
        )
        spent = parent.expenses.aggregate(t=Sum("amount"))["t"]
        left = money(parent.amount) - money(others) - money(spent)
        if money(grant.amount) > left:
            raise ValidationError(
                {
                    "amount": _(
                        "The shares would exceed the donation: %(donation)s yuan, of which "
                        "%(split)s already split and %(spent)s spent; %(left)s yuan remain."
                    )
                    % {
                        "donation": money(parent.amount),
                        "split": money(others),
                        "spent": money(spent),
                        "left": left,
                    }
                }
            )
    if grant.pk:
        balance = source_balance(grant)
        if money(grant.amount) < balance.allocated + balance.spent:
            raise ValidationError(
                {
                    "amount": _(
                        "The grant cannot be less than what was split from it (%(split)s yuan) "
                        "and spent of it (%(spent)s yuan)."
                    )
                    % {"split": balance.allocated, "spent": balance.spent}
                }
            )


def _prepare_grant(grant: Grant) -> None:
    """Set what follows from the other fields before full_clean (a station's region)."""
    if grant.project is not None and not grant.station_id:
        grant.station = grant.project.station
    if grant.station is not None:
        grant.region = grant.station.region
    if not grant.year and grant.granted_on:
        grant.year = grant.granted_on.year


@transaction.atomic
def grant_create(*, actor: Actor, **fields: Any) -> Grant:
    _require_role(actor, "add", Grant)
    grant = Grant()
    _apply(grant, {k: v for k, v in fields.items()}, GRANT_FIELDS)
    _prepare_grant(grant)
    if not grant.region_id:
        _check_grant(actor, grant)  # names the missing region
    grant.full_clean()
    _check_grant(actor, grant)
    return save_with_history(grant, actor=actor)


@transaction.atomic
def grant_update(*, actor: Actor, grant: Grant, **changes: Any) -> Grant:
    _require_role(actor, "change", Grant)
    _require_tier_keeper(actor, grant.tier)
    for fixed in ("funder", "parent", "policy"):
        if fixed in changes and getattr(changes[fixed], "pk", changes[fixed]) != getattr(
            grant, f"{fixed}_id"
        ):
            raise ValidationError({fixed: _("This no longer changes once the grant is recorded.")})
    _apply(grant, changes, GRANT_FIELDS)
    _prepare_grant(grant)
    grant.full_clean()
    _check_grant(actor, grant)
    return save_with_history(grant, actor=actor)


@transaction.atomic
def grant_delete(*, actor: Actor, grant: Grant) -> None:
    _require_role(actor, "delete", Grant)
    _require_tier_keeper(actor, grant.tier)
    if grant.allocations.exists() or grant.expenses.exists():
        raise ValidationError(
            _("Shares were split from this grant or money spent of it: it is kept.")
        )
    record_author(grant, actor)
    grant.delete()


def _grant_changed(grant: Grant) -> str:
    return _(
        "This grant was changed by someone else in the meantime: it is now “%(status)s”. "
        "Reload it and try again."
    ) % {"status": grant.get_status_display()}


@transaction.atomic
def grant_mark_paid(*, actor: Actor, grant: Grant, paid_on: date) -> Grant:
    """Record that a payable grant (a subsidy) was paid out on ``paid_on`` (not ahead). The
    row is locked and must still be payable: of two requests, the second is refused."""
    _require_role(actor, "change", Grant)
    _require_tier_keeper(actor, grant.tier)
    lock_for_transition(grant, "paid_on", conflict=_grant_changed)
    if grant.paid_on is not None:
        raise StateConflict(
            {"paid_on": _("This grant was already paid on %(date)s.") % {"date": grant.paid_on}}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    grant.paid_on = paid_on
    grant.full_clean()
    return save_with_history(grant, actor=actor)


# --- subsidies under a policy (the city's one-time subsidy per built station) ----------------

# The level whose civil-affairs bureau (or government) pays a subsidy of each public tier, by
# the digits of its region code.
SUBSIDY_PAYER_DIGITS = {Tier.CITY: 4, Tier.COUNTY: 6, Tier.TOWNSHIP: 9}


def subsidy_payer_name(region_name: str, tier: str) -> str:
    """市民政局 for the city and a district, the town's government (人民政府) or the street's
    office (办事处) for a town."""
    if tier == Tier.TOWNSHIP:
        return region_name + ("人民政府" if region_name.endswith(("镇", "乡")) else "办事处")
    return f"{region_name}民政局"


def subsidy_funder(*, actor: Actor, policy: SubsidyPolicy, station: Station) -> Funder:
    """Who pays a subsidy under ``policy`` to ``station``: the civil-affairs bureau (or the
    town) of the policy's tier above the station, registered as a funder the first time."""
    digits = SUBSIDY_PAYER_DIGITS.get(Tier(policy.source))
    if digits is None:
        raise ValidationError(
            {"policy": _("A subsidy policy is public money: the city's, a district's or a town's.")}
        )
    code = station.region.code[:digits].ljust(12, "0")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(
            {
                "policy": _("No region %(code)s pays the subsidy to %(station)s.")
                % {"code": code, "station": station}
            }
        )
    funder = (
        Funder.objects.filter(
            region=region,
            tier=policy.source,
            kind__in=(FunderKind.CIVIL_AFFAIRS, FunderKind.TOWNSHIP_GOVERNMENT),
        )
        .order_by("pk")
        .first()
    )
    if funder is not None:
        return funder
    kind = FunderKind.CIVIL_AFFAIRS
    if policy.source == Tier.TOWNSHIP:
        kind = FunderKind.TOWNSHIP_GOVERNMENT
    funder = Funder(
        name=subsidy_payer_name(region.name, policy.source),
        kind=kind,
        tier=policy.source,
        region=region,
    )
    funder.full_clean()
    return save_with_history(funder, actor=actor)


def _policy_valid_in_year(policy: SubsidyPolicy, year: int) -> bool:
    return policy.valid_from <= date(year, 12, 31) and (
        policy.valid_to is None or policy.valid_to >= date(year, 1, 1)
    )


@transaction.atomic
def subsidies_generate(*, actor: Actor, policy: SubsidyPolicy, year: int) -> int:
    """Grant a payable subsidy under ``policy`` to every built station of the policy's kinds
    in the actor's jurisdiction that opened in or before ``year`` and has none under it yet;
    returns how many. The subsidies are grants of the policy's tier (one ledger), paid by the
    civil-affairs bureau of that tier above the station (:func:`subsidy_funder`).

    Never twice: stations that already have a subsidy under the policy are skipped, the policy
    row is locked so that two clicks at once cannot both create, and the database refuses a
    second one per station and policy (``one_grant_per_station_and_subsidy_policy``)."""
    _require_role(actor, "add", Grant)
    if actor is not SYSTEM and not may_keep_tier(actor, policy.source):
        raise PermissionDenied(
            _("Subsidies of the tier “%(tier)s” are granted by %(who)s, not by your role.")
            % {"tier": Tier(policy.source).label, "who": _tier_keepers_label(policy.source)}
        )
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a budget year between 2000 and 2100.")})
    policy = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    if not _policy_valid_in_year(policy, year):
        raise ValidationError(
            {
                "year": _("The policy “%(policy)s” is not valid in %(year)s.")
                % {"policy": policy, "year": year}
            }
        )
    today = timezone.localdate()
    if year > today.year + 1:
        raise ValidationError(
            {
                "year": _("Subsidies are granted for this year or the next, not for %(year)s.")
                % {"year": year}
            }
        )
    stations = (
        Station.objects.visible_to(actor, for_write=True)
        .filter(
            kind__in=policy.station_kinds,
            status__in=BUILT_STATUSES,
            opened_on__year__lte=year,
        )
        .exclude(pk__in=Grant.objects.filter(policy=policy).values("station_id"))
        .select_related("region")
        .order_by("region__code", "pk")
    )
    created = 0
    for station in stations:
        grant = Grant(
            funder=subsidy_funder(actor=actor, policy=policy, station=station),
            fund_type=FundType.FISCAL,
            policy=policy,
            station=station,
            region=station.region,
            amount=money(policy.amount),
            year=year,
            # owed from the start of the year, or from the day a station opened in it
            granted_on=min(today, max(date(year, 1, 1), station.opened_on or date(year, 1, 1))),
            purpose=policy.name[:200],
        )
        grant.full_clean(validate_constraints=False)
        save_with_history(grant, actor=actor)
        created += 1
    return created


# --- purchase contracts --------------------------------------------------------------------------


def _check_contract(actor: Actor, contract: PurchaseContract) -> None:
    _require_tier_keeper(actor, contract.tier, "region")
    if contract.pk:
        balance = source_balance(contract)
        floor = max(balance.scheduled, balance.spent)
        if money(contract.amount) < floor:
            raise ValidationError(
                {
                    "amount": _(
                        "The contract cannot be less than its instalments (%(scheduled)s yuan) "
                        "or the money spent of it (%(spent)s yuan)."
                    )
                    % {"scheduled": balance.scheduled, "spent": balance.spent}
                }
            )


@transaction.atomic
def purchase_contract_create(*, actor: Actor, **fields: Any) -> PurchaseContract:
    _require_role(actor, "add", PurchaseContract)
    contract = PurchaseContract()
    _apply(contract, fields, CONTRACT_FIELDS)
    contract.full_clean()
    _check_contract(actor, contract)
    return save_with_history(contract, actor=actor)


@transaction.atomic
def purchase_contract_update(
    *, actor: Actor, contract: PurchaseContract, **changes: Any
) -> PurchaseContract:
    _require_role(actor, "change", PurchaseContract)
    if "region" in changes and changes["region"] != contract.region:
        raise ValidationError({"region": _("The purchaser no longer changes.")})
    _apply(contract, changes, CONTRACT_FIELDS)
    contract.full_clean()
    _check_contract(actor, contract)
    return save_with_history(contract, actor=actor)


# --- instalments ---------------------------------------------------------------------------------


def _check_instalment(actor: Actor, instalment: ContractInstalment) -> None:
    contract = instalment.contract
    _require_tier_keeper(actor, contract.tier, "contract")
    PurchaseContract.objects.select_for_update().filter(pk=contract.pk).first()
    siblings = ContractInstalment.objects.filter(contract=contract).exclude(pk=instalment.pk)
    others = money(siblings.aggregate(t=Sum("amount"))["t"])
    left = money(contract.amount) - others
    if money(instalment.amount) > left:
        raise ValidationError(
            {
                "amount": _(
                    "The instalments would exceed the contract: %(amount)s yuan, of which "
                    "%(scheduled)s already in other instalments; %(left)s yuan remain."
                )
                % {"amount": money(contract.amount), "scheduled": others, "left": left}
            }
        )
    if instalment.is_final and siblings.filter(is_final=True).exists():
        raise ValidationError({"is_final": _("The contract already has its final payment.")})
    if instalment.paid_on is not None and instalment.pk:
        raise StateConflict(_("A paid instalment is a record: it no longer changes."))


@transaction.atomic
def instalment_create(*, actor: Actor, **fields: Any) -> ContractInstalment:
    _require_role(actor, "add", ContractInstalment)
    instalment = ContractInstalment()
    _apply(instalment, fields, INSTALMENT_FIELDS)
    instalment.full_clean()
    _check_instalment(actor, instalment)
    return save_with_history(instalment, actor=actor)


@transaction.atomic
def instalment_update(
    *, actor: Actor, instalment: ContractInstalment, **changes: Any
) -> ContractInstalment:
    _require_role(actor, "change", ContractInstalment)
    if "contract" in changes and changes["contract"] != instalment.contract:
        raise ValidationError({"contract": _("An instalment stays with its contract.")})
    if instalment.paid_on is not None:
        raise StateConflict(_("A paid instalment is a record: it no longer changes."))
    _apply(instalment, changes, INSTALMENT_FIELDS)
    if instalment.held and not instalment.is_final:
        raise ValidationError({"is_final": _("Release the held payment first.")})
    instalment.full_clean()
    _check_instalment(actor, instalment)
    return save_with_history(instalment, actor=actor)


def _instalment_changed(instalment: ContractInstalment) -> str:
    return _(
        "This instalment was changed by someone else in the meantime. Reload it and try again."
    )


@transaction.atomic
def instalment_mark_paid(
    *, actor: Actor, instalment: ContractInstalment, paid_on: date
) -> ContractInstalment:
    """Pay an instalment; a held final payment is released first."""
    _require_role(actor, "change", ContractInstalment)
    _require_tier_keeper(actor, instalment.contract.tier, "contract")
    lock_for_transition(instalment, "paid_on", "held", conflict=_instalment_changed)
    if instalment.paid_on is not None:
        raise StateConflict(
            {
                "paid_on": _("This instalment was already paid on %(date)s.")
                % {"date": instalment.paid_on}
            }
        )
    if instalment.held:
        raise StateConflict(
            {"paid_on": _("This final payment is held pending evaluation: release it first.")}
        )
    instalment.paid_on = paid_on
    instalment.full_clean()
    return save_with_history(instalment, actor=actor)


@transaction.atomic
def instalment_hold(
    *, actor: Actor, instalment: ContractInstalment, reason: str
) -> ContractInstalment:
    """Hold the final payment (尾款) until the evaluation is passed."""
    _require_role(actor, "change", ContractInstalment)
    _require_tier_keeper(actor, instalment.contract.tier, "contract")
    lock_for_transition(instalment, "paid_on", "held", conflict=_instalment_changed)
    if not instalment.is_final:
        raise ValidationError({"held": _("Only the final payment is held pending evaluation.")})
    if instalment.paid_on is not None or instalment.held:
        raise StateConflict(_("This payment is already paid or held."))
    if not reason.strip():
        raise ValidationError({"hold_reason": _("Say why the payment is held.")})
    instalment.held = True
    instalment.hold_reason = reason.strip()
    instalment.full_clean()
    return save_with_history(instalment, actor=actor, reason=instalment.hold_reason)


@transaction.atomic
def instalment_release(*, actor: Actor, instalment: ContractInstalment) -> ContractInstalment:
    """Release a held final payment (the evaluation was passed): it may then be paid."""
    _require_role(actor, "change", ContractInstalment)
    _require_tier_keeper(actor, instalment.contract.tier, "contract")
    lock_for_transition(instalment, "paid_on", "held", conflict=_instalment_changed)
    if not instalment.held:
        raise StateConflict(_("This payment is not held."))
    instalment.held = False
    instalment.full_clean()
    return save_with_history(instalment, actor=actor)


# --- spending ------------------------------------------------------------------------------------


def _check_spending(actor: Actor, expense: Expense) -> None:
    """Spending stays within the grant (less its shares) or the contract unless someone at the
    funder's level allows more, with a reason."""
    source = expense.source
    assert source is not None  # full_clean refused an expense without one
    type(source)._default_manager.select_for_update().filter(pk=source.pk).first()
    balance = source_balance(source)
    others = money(
        Expense.objects.filter(**{"grant" if isinstance(source, Grant) else "contract": source})
        .exclude(pk=expense.pk)
        .aggregate(t=Sum("amount"))["t"]
    )
    left = balance.available - others
    reason = (expense.override_reason or "").strip()
    if money(expense.amount) <= left:
        expense.override_by = None
        expense.override_reason = ""
        return
    message = _(
        "This line takes the spending beyond what was granted: %(available)s yuan, of which "
        "%(spent)s already spent; %(left)s yuan remain."
    ) % {"available": balance.available, "spent": others, "left": left}
    if not reason:
        raise ValidationError(
            {
                "amount": message
                + " "
                + _("Someone at the funder's level may allow it, with a reason.")
            }
        )
    if actor is not SYSTEM and not may_override(actor, source):
        raise ValidationError(
            {
                "override_reason": message
                + " "
                + _("Only someone at the funder's level may allow spending beyond the grant.")
            }
        )
    expense.override_reason = reason
    expense.override_by = history_user(actor)


def _expense_source_keys(fields: dict[str, Any]) -> None:
    if fields.get("grant") is not None and fields.get("contract") is not None:
        raise ValidationError(
            {"grant": _("Choose the grant or the contract the money came from, one.")}
        )


@transaction.atomic
def expense_create(*, actor: Actor, **fields: Any) -> Expense:
    _require_role(actor, "add", Expense)
    _expense_source_keys(fields)
    expense = Expense()
    _apply(expense, fields, EXPENSE_FIELDS)
    expense.full_clean()
    _check_spending(actor, expense)
    return save_with_history(expense, actor=actor)


@transaction.atomic
def expense_update(*, actor: Actor, expense: Expense, **changes: Any) -> Expense:
    _require_role(actor, "change", Expense)
    for fixed in ("grant", "contract"):
        if fixed in changes and changes[fixed] != getattr(expense, fixed):
            raise ValidationError({fixed: _("A spending line stays with its grant or contract.")})
    _apply(expense, changes, EXPENSE_FIELDS)
    expense.full_clean()
    _check_spending(actor, expense)
    return save_with_history(expense, actor=actor)


@transaction.atomic
def expense_delete(*, actor: Actor, expense: Expense) -> None:
    _require_role(actor, "delete", Expense)
    record_author(expense, actor)
    expense.delete()
