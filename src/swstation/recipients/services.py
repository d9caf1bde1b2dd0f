"""Writes on recipients (domain.md §3; spec/identifiers.md).

Pages, the API and the register importer all call these functions, so that one set of rules
holds for every writer:

- the identity document is checked by its type (GB 11643-1999 for identity cards and the
  18-character permits); a valid 18-character number fills in the sex and date of birth when
  they were not typed, and contradicts them when they were (the message names the field);
- document and phone numbers are stored encrypted (crypto.encrypt), with a keyed hash for
  exact look-up and duplicate detection and a masked form for display — never in clear;
- a new person's data is recorded only with their (or their guardian's) consent, dated;
- one document number is one person: a number already recorded in the author's jurisdiction
  is refused (a database constraint holds it against parallel entries too); the same name,
  date of birth and village is refused until the author confirms that this is another person
  (``allow_duplicates``);
- what the author is told never depends on records outside their jurisdiction (issue 16): a
  number recorded only outside it is saved as any new number, kept apart from the constraint
  (``id_number_shared``), and queued for the officer above both records, who merges, links or
  dismisses (``DuplicateReview``, the log of every such match);
- a merge moves everything that points at the merged record to the one kept and marks the
  merged record, which is never deleted: both histories stay readable;
- a full number is revealed only to the roles that need it, and every reveal is logged.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ForeignObjectRel, ManyToManyRel, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor, history_user
from swstation.core.history import record_author
from swstation.core.masking import mask_phone
from swstation.core.permissions import user_can
from swstation.core.scoping import ensure_visible
from swstation.core.transitions import (
    StateConflict,
    lock_all_for_transition,
    lock_for_transition,
)
from swstation.recipients.crypto import decrypt, encrypt, lookup_hash
from swstation.recipients.identifiers import (
    DocumentType,
    mask_id_number,
    validate_document,
    validate_phone,
)
from swstation.recipients.models import (
    EXIT_STATUS,
    PHONE_FIELDS,
    STATUS_EXIT,
    THIRD_PARTY_NUMBERS,
    AccessKind,
    Category,
    CategoryPeriod,
    DuplicateReview,
    ExitReason,
    IdentityField,
    IdentityView,
    PersonalData,
    Recipient,
    RecipientStatus,
    ReviewStatus,
)
from swstation.recipients.selectors import (
    Duplicates,
    recipient_matches_elsewhere,
    recipient_possible_duplicates,
    user_may_merge,
    user_may_reveal_identity,
    user_reviews_duplicates,
    user_sees_sensitive_data,
)
from swstation.regions.models import Region

logger = logging.getLogger("swstation.recipients")

# The plain fields a caller may set; the numbers, categories and status bookkeeping go
# through their own parameters.
RECIPIENT_FIELDS = frozenset(
    {
        "name",
        "sex",
        "birth_date",
        "document_type",
        "no_document_reason",
        "region",
        "address",
        "household",
        "relation_to_head",
        "station",
        "disability_type",
        "disability_grade",
        "health_notes",
        "guardian_name",
        "guardian_relation",
        "emergency_contact_name",
        "consent_given",
        "consent_on",
        "status",
        "note",
        "registered_on",
        "exited_on",
        "exit_reason",
    }
)
# Filled in on the record kept by a merge when it has no value of its own.
MERGE_FILL_FIELDS = (
    "sex",
    "birth_date",
    "address",
    "household",
    "relation_to_head",
    "station",
    "disability_type",
    "disability_grade",
    "health_notes",
    "guardian_name",
    "guardian_relation",
    "emergency_contact_name",
)
CONFIRM_FIELD = "confirm_duplicates"


class PossibleDuplicates(ValidationError):
    """The record may already exist. ``duplicates`` says which records the author may open
    (never anything of the records they may not see). A record with the same document number
    refuses the number (``document_number``): one number is one person. Otherwise the error
    sits on ``confirm_duplicates``, the box (or API field) that saves anyway."""

    def __init__(self, duplicates: Duplicates) -> None:
        self.duplicates = duplicates
        if duplicates.same_number:
            message = _(
                "A person with this document number is already recorded: %(records)s. One "
                "number is one person: open that record, or correct the number."
            ) % {"records": self.describe(duplicates.same_number)}
            super().__init__({"document_number": [message]})
            return
        message = _(
            "This person may already be recorded: %(records)s (same name, date of birth and "
            "village). Check them; if this is another person, confirm to save anyway."
        ) % {"records": self.describe(duplicates.visible)}
        super().__init__({CONFIRM_FIELD: [message]})

    @staticmethod
    def describe(records: list[Recipient]) -> str:
        return "; ".join(f"{r.name} (#{r.pk}, {r.region.name})" for r in records)


class DuplicateNumber(ValidationError):
    """The database refused a second record of one document number (a parallel entry saved
    since the check) and the record is visible to the author, or cannot be told apart."""

    def __init__(self) -> None:
        super().__init__(
            {
                "document_number": [
                    _(
                        "A person with this document number was recorded a moment ago: "
                        "search for the number, then open that record."
                    )
                ]
            }
        )


# --- identity document and phone ---------------------------------------------------------


def _add(errors: dict[str, list[str]], field: str, messages: Iterable[str]) -> None:
    errors.setdefault(field, []).extend(messages)


def _set_document(
    recipient: Recipient,
    number: str,
    errors: dict[str, list[str]],
    *,
    typed_sex: str,
    typed_birth_date: date | None,
) -> None:
    """Check ``number`` against the record's document type and what was typed; store it
    encrypted, hashed and masked; fill in sex and date of birth from an 18-character number
    when they were left empty."""
    document_type = recipient.document_type
    try:
        normalised, parsed = validate_document(
            document_type, number, no_document_reason=recipient.no_document_reason
        )
    except ValidationError as exc:
        field = (
            "no_document_reason"
            if document_type == DocumentType.NONE and not number.strip()
            else "document_number"
        )
        _add(errors, field, exc.messages)
        return
    if parsed is not None:
        # Checked one by one so that each message lands on the field that disagrees.
        if typed_birth_date is not None:
            try:
                validate_document(document_type, number, birth_date=typed_birth_date)
            except ValidationError as exc:
                _add(errors, "birth_date", exc.messages)
        if typed_sex:
            try:
                validate_document(document_type, number, sex=typed_sex)
            except ValidationError as exc:
                _add(errors, "sex", exc.messages)
        recipient.birth_date = typed_birth_date or parsed.birth_date
        recipient.sex = typed_sex or parsed.sex
    if document_type != DocumentType.NONE:
        recipient.no_document_reason = ""
    digest = lookup_hash(normalised)
    if digest != recipient.id_number_hash:
        # Fernet tokens differ on every call: re-encrypt only a changed number, so that the
        # history does not show a change where there was none.
        recipient.id_number_encrypted = encrypt(normalised)
        recipient.id_number_hash = digest
        recipient.id_number_masked = mask_id_number(normalised) if normalised else ""


def _set_phone(
    recipient: Recipient, phone: str, errors: dict[str, list[str]], field: str = "phone"
) -> None:
    """Store one of the record's phones (``field``: one of PHONE_FIELDS, the person's own or a
    guardian's or emergency contact's) encrypted, hashed and masked; "" removes it."""
    number = ""
    if phone.strip():
        try:
            number = validate_phone(phone)
        except ValidationError as exc:
            _add(errors, field, exc.messages)
            return
    digest = lookup_hash(number)
    if digest != getattr(recipient, f"{field}_hash"):
        # Re-encrypted only when changed: Fernet tokens differ on every call.
        setattr(recipient, f"{field}_encrypted", encrypt(number))
        setattr(recipient, f"{field}_hash", digest)
        setattr(recipient, f"{field}_masked", mask_phone(number))


def _refuse_merged(recipient: Recipient) -> None:
    if recipient.is_merged:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "This record was merged into “%(kept)s” (#%(pk)s); change that record "
                        "instead."
                    )
                    % {"kept": recipient.merged_into, "pk": recipient.merged_into_id}
                ]
            }
        )


def recipient_prepare(
    *,
    recipient: Recipient | None = None,
    document_number: str | None = None,
    phone: str | None = None,
    guardian_phone: str | None = None,
    emergency_contact_phone: str | None = None,
    stored: Recipient | None = None,
    read_relations: Iterable[str] = (),
    **fields: Any,
) -> Recipient:
    """Assign ``fields`` and the numbers to ``recipient`` (a new, unsaved record when None) and
    check every rule of this module and of the model, without saving anything. Raises one
    ValidationError listing every problem by field. The services below and the importer's
    preview share it, so that a row is checked exactly as a form would be.

    ``document_number`` and the phones (``phone``, ``guardian_phone``,
    ``emergency_contact_phone``) None keep an existing record's numbers (forms never show them
    in full) and mean "none" for a new one; "" removes them. ``stored``: the record as
    stored, when the caller has just read it (the import reads a chunk of rows' records at
    once); read here otherwise. ``read_relations``: related records (``region``, ``station``)
    the caller has just read from the database itself, whose existence is not asked again
    (a query per row of an import)."""
    unknown = set(fields) - RECIPIENT_FIELDS
    if unknown:
        raise TypeError(f"recipient_prepare() got unknown fields: {sorted(unknown)}")
    creating = recipient is None or recipient.pk is None
    if recipient is None:
        recipient = Recipient()
    if creating:
        stored = None
    elif stored is None or stored.pk != recipient.pk:
        stored = Recipient.objects.get(pk=recipient.pk)
    if stored is not None:
        _refuse_merged(stored)
    if fields.get("status") == RecipientStatus.MERGED:
        raise ValidationError({"status": _("Only a merge marks a record as merged.")})
    for key, value in fields.items():
        setattr(recipient, key, value)
    _sync_exit(recipient, fields)
    recipient.name = (recipient.name or "").strip()
    if document_number is None:
        keep_stored = stored is not None and recipient.document_type != DocumentType.NONE
        document_number = decrypt(stored.id_number_encrypted) if keep_stored and stored else ""
    errors: dict[str, list[str]] = {}
    _set_document(
        recipient,
        document_number,
        errors,
        typed_sex=recipient.sex,
        typed_birth_date=recipient.birth_date,
    )
    phones = {
        "phone": phone,
        "guardian_phone": guardian_phone,
        "emergency_contact_phone": emergency_contact_phone,
    }
    for field, number in phones.items():
        if number is not None:
            _set_phone(recipient, number, errors, field)
    if creating and not recipient.consent_given:
        _add(
            errors,
            "consent_given",
            [
                _(
                    "A new person's data may be recorded only with their consent (or their "
                    "guardian's): tick it and give the date."
                )
            ],
        )
    try:
        # The one-record-per-number constraint is the services' (_save): checked here, its
        # answer would depend on records outside the author's jurisdiction.
        read = [name for name in read_relations if getattr(recipient, f"{name}_id") is not None]
        recipient.full_clean(exclude=[*errors, *read], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            _add(errors, field, messages)
    if errors:
        raise ValidationError(errors)
    return recipient


def _sync_exit(recipient: Recipient, fields: dict[str, Any]) -> None:
    """Keep the status and the exit fields in step (issue 18). The exit fields decide the
    status; a status written without them (the API's ``status``, an older client) stands for
    an exit today with the reason the status means, or, written "active", a return to
    service."""
    if recipient.is_merged:
        return
    status = fields.get("status")
    exit_given = "exit_reason" in fields or "exited_on" in fields
    if status is not None and not exit_given and status != recipient.expected_status():
        if status == RecipientStatus.ACTIVE:
            recipient.exited_on, recipient.exit_reason = None, ""
        elif status in STATUS_EXIT:
            recipient.exit_reason = STATUS_EXIT[status]
            recipient.exited_on = recipient.exited_on or timezone.localdate()
    if status is None or not exit_given:
        recipient.status = recipient.expected_status()


def _set_categories(
    actor: Actor, recipient: Recipient, categories: Iterable[Category], on: date
) -> None:
    """Make ``categories`` the person's categories from ``on``: a category added opens a
    period on that day (or carries on one that ended the day before), a category removed
    ends its open period the day before (a period that would end before it starts goes)."""
    wanted = {category.pk: category for category in categories}
    recipient.categories.set(list(wanted.values()))
    periods = list(recipient.category_periods.order_by("category_id", "valid_from"))
    open_periods = {p.category_id: p for p in periods if p.valid_to is None}
    day_before = on - timedelta(days=1)
    for category_id, period in open_periods.items():
        if category_id in wanted:
            continue
        if period.valid_from > day_before:
            record_author(period, actor)
            period.delete()
        else:
            period.valid_to = day_before
            _save_period(actor, period)
    for category_id, category in wanted.items():
        if category_id in open_periods:
            continue
        earlier = [p for p in periods if p.category_id == category_id and p.valid_to]
        touching = [p for p in earlier if p.valid_to is not None and p.valid_to >= day_before]
        if touching:
            period = touching[-1]
            period.valid_to = None
        else:
            period = CategoryPeriod(recipient=recipient, category=category, valid_from=on)
        _save_period(actor, period)


def _save_period(actor: Actor, period: CategoryPeriod) -> None:
    try:
        period.full_clean()
    except ValidationError as exc:
        # One field for the caller: the categories (or the day they changed).
        raise ValidationError({"categories": exc.messages}) from exc
    record_author(period, actor)
    period.save()


def _save(
    *,
    actor: Actor,
    recipient: Recipient,
    check_duplicates: bool,
    number_changed: bool,
    allow_duplicates: bool,
    categories: Iterable[Category] | None,
    categories_since: date | None = None,
) -> Recipient:
    """Check for duplicates among the records the author may see, save, and queue a review of
    each record with the same number that they may not see (the answer is the same as for a
    number nobody recorded)."""
    if check_duplicates or number_changed:
        duplicates = recipient_possible_duplicates(
            actor=actor,
            name=recipient.name if check_duplicates else "",
            birth_date=recipient.birth_date,
            region_id=recipient.region_id,
            id_number_hash=recipient.id_number_hash if number_changed else "",
            exclude_pk=recipient.pk,
        )
        if duplicates.same_number or (duplicates and not allow_duplicates):
            raise PossibleDuplicates(duplicates)
    elsewhere: list[Recipient] = []
    if number_changed:
        elsewhere = recipient_matches_elsewhere(
            actor=actor, id_number_hash=recipient.id_number_hash, exclude_pk=recipient.pk
        )
        recipient.id_number_shared = bool(elsewhere)
    record_author(recipient, actor)
    try:
        with transaction.atomic():
            recipient.save()
    except IntegrityError:
        # Another record of this number was saved since the check (a parallel entry): the
        # database constraint refused this one. Answer as the check would have.
        if not number_changed or not recipient.id_number_hash:
            raise
        elsewhere = _after_conflict(actor, recipient)
    if categories is not None:
        _set_categories(actor, recipient, categories, categories_since or timezone.localdate())
    for match in elsewhere:
        _queue_review(actor, recipient, match)
    return recipient


def _after_conflict(actor: Actor, recipient: Recipient) -> list[Recipient]:
    """After the constraint refused ``recipient``'s number: refuse it as the check would if the
    other record is the author's to see; else save it apart and return the matches to queue."""
    adding = recipient._state.adding
    duplicates = recipient_possible_duplicates(
        actor=actor,
        name="",
        birth_date=None,
        region_id=None,
        id_number_hash=recipient.id_number_hash,
        exclude_pk=recipient.pk,
    )
    if duplicates.same_number:
        raise PossibleDuplicates(duplicates)
    elsewhere = recipient_matches_elsewhere(
        actor=actor, id_number_hash=recipient.id_number_hash, exclude_pk=recipient.pk
    )
    if not elsewhere:
        raise DuplicateNumber()
    recipient.id_number_shared = True
    if adding:
        recipient.pk = None
    recipient.save()
    return elsewhere


def _common_region(first: Any, second: Any) -> Region:
    """The jurisdiction that covers both regions: their district when they share one, else the
    city (domain.md §4: a district officer's and the city bureau's scopes)."""
    county = first.code[:6]
    prefix = county if second.code.startswith(county) else first.code[:4]
    return Region.objects.get(code=prefix.ljust(12, "0"))


def _queue_review(actor: Actor, recipient: Recipient, match: Recipient) -> DuplicateReview | None:
    """Log a match across jurisdictions and queue it for the officer above both records (once
    per pair of records, in either order)."""
    pair = Q(recipient=recipient, match=match) | Q(recipient=match, match=recipient)
    if DuplicateReview.objects.filter(pair).exists():
        return None
    review = DuplicateReview(
        region=_common_region(recipient.region, match.region),
        recipient=recipient,
        match=match,
        reported_by=history_user(actor),
    )
    record_author(review, actor)
    review.save()
    # Which records and who, never the number.
    logger.info(
        "Possible duplicate across jurisdictions: recipient #%s (entered by user #%s) has the "
        "document number of recipient #%s; queued as review #%s for %s",
        recipient.pk,
        getattr(actor, "pk", None),
        match.pk,
        review.pk,
        review.region.code,
    )
    return review


@transaction.atomic
def recipient_create(
    *,
    actor: Actor,
    name: str,
    region: Any,
    document_type: str = DocumentType.RESIDENT_ID,
    document_number: str = "",
    no_document_reason: str = "",
    sex: str = "",
    birth_date: date | None = None,
    phone: str = "",
    address: str = "",
    household: Any = None,
    relation_to_head: str = "",
    station: Any = None,
    categories: Iterable[Category] = (),
    disability_type: str = "",
    disability_grade: int | None = None,
    health_notes: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_phone: str = "",
    emergency_contact_name: str = "",
    emergency_contact_phone: str = "",
    consent_given: bool = False,
    consent_on: date | None = None,
    status: str = RecipientStatus.ACTIVE,
    note: str = "",
    registered_on: date | None = None,
    exited_on: date | None = None,
    exit_reason: str = "",
    categories_since: date | None = None,
    allow_duplicates: bool = False,
) -> Recipient:
    """Record a new person (see the module's rules), registered on ``registered_on`` (today by
    default), in ``categories`` from ``categories_since`` (the registration date by default)."""
    exit_fields: dict[str, Any] = (
        {"exited_on": exited_on, "exit_reason": exit_reason} if exited_on or exit_reason else {}
    )
    recipient = recipient_prepare(
        document_number=document_number or "",
        phone=phone or "",
        name=name,
        region=region,
        document_type=document_type,
        no_document_reason=no_document_reason,
        sex=sex,
        birth_date=birth_date,
        address=address,
        household=household,
        relation_to_head=relation_to_head,
        station=station,
        disability_type=disability_type,
        disability_grade=disability_grade,
        health_notes=health_notes,
        guardian_name=guardian_name,
        guardian_relation=guardian_relation,
        guardian_phone=guardian_phone,
        emergency_contact_name=emergency_contact_name,
        emergency_contact_phone=emergency_contact_phone,
        consent_given=consent_given,
        consent_on=consent_on,
        status=status,
        note=note,
        registered_on=registered_on or timezone.localdate(),
        **exit_fields,
    )
    return _save(
        actor=actor,
        recipient=recipient,
        check_duplicates=True,
        number_changed=bool(recipient.id_number_hash),
        allow_duplicates=allow_duplicates,
        categories=categories,
        categories_since=categories_since or recipient.registered_on,
    )


@transaction.atomic
def recipient_update(
    *,
    actor: Actor,
    recipient: Recipient,
    document_number: str | None = None,
    phone: str | None = None,
    guardian_phone: str | None = None,
    emergency_contact_phone: str | None = None,
    categories: Iterable[Category] | None = None,
    categories_since: date | None = None,
    allow_duplicates: bool = False,
    **changes: Any,
) -> Recipient:
    """Change a person's record. ``document_number`` and the phones None keep the stored
    numbers; "" removes them. The stored number is checked again against the (possibly
    changed) type, date of birth and sex. A change of number, name, date of birth or village is
    checked for duplicates again. A change of ``categories`` takes effect on
    ``categories_since`` (today by default): the categories removed end the day before."""
    unknown = set(changes) - RECIPIENT_FIELDS
    if unknown:
        raise TypeError(f"recipient_update() got unknown fields: {sorted(unknown)}")
    stored = Recipient.objects.get(pk=recipient.pk)
    recipient = recipient_prepare(
        recipient=recipient,
        document_number=document_number,
        phone=phone,
        guardian_phone=guardian_phone,
        emergency_contact_phone=emergency_contact_phone,
        **changes,
    )
    number_changed = recipient.id_number_hash != stored.id_number_hash
    identity_changed = (
        recipient.name != stored.name
        or recipient.birth_date != stored.birth_date
        or recipient.region_id != stored.region_id
    )
    saved = _save(
        actor=actor,
        recipient=recipient,
        check_duplicates=identity_changed,
        number_changed=number_changed,
        allow_duplicates=allow_duplicates,
        categories=categories,
        categories_since=categories_since,
    )
    if stored.exited_on is None and saved.exited_on is not None:  # an exit written as an edit
        _follow_exit(actor, saved)
    if saved.region_id != stored.region_id:
        for hook in _MOVE_FOLLOW_UPS:
            hook(recipient=saved)
    return saved


# What follows a person's move to another village in the apps above this one (cases: the
# region code their services carry for the lists' scope), registered by those apps when they
# load; each is called as ``hook(recipient=)`` in the change's transaction.
_MOVE_FOLLOW_UPS: list[Callable[..., object]] = []


def register_move_follow_up(hook: Callable[..., object]) -> None:
    if hook not in _MOVE_FOLLOW_UPS:
        _MOVE_FOLLOW_UPS.append(hook)


# --- exit from service ---------------------------------------------------------------------

# What follows a person's exit in the apps above this one (cases: their open cases are closed),
# registered by those apps when they load; each is called as ``hook(actor=, recipient=)`` in
# the exit's transaction, after the exit is saved: a refusal undoes the exit too.
_EXIT_FOLLOW_UPS: list[Callable[..., object]] = []


def register_exit_follow_up(hook: Callable[..., object]) -> None:
    if hook not in _EXIT_FOLLOW_UPS:
        _EXIT_FOLLOW_UPS.append(hook)


def _follow_exit(actor: Actor, recipient: Recipient) -> None:
    for hook in _EXIT_FOLLOW_UPS:
        hook(actor=actor, recipient=recipient)


def _exit_conflict(recipient: Recipient) -> str:
    return _("%(name)s's record was changed by someone else in the meantime: reload it.") % {
        "name": recipient.name
    }


@transaction.atomic
def recipient_exit(
    *, actor: Actor, recipient: Recipient, exited_on: date, reason: str, note: str = ""
) -> Recipient:
    """Record that ``recipient`` left service on ``exited_on`` (the first day no longer
    served) for ``reason`` (deceased, moved away, no longer eligible, declined): the status
    follows, and the history keeps the reason. A person already exited is a StateConflict.
    What follows an exit in other apps (their open cases closed on that day, cases.services)
    happens in the same transaction (:func:`register_exit_follow_up`)."""
    if not user_can(actor, "change", Recipient):
        raise PermissionDenied(_("Your role may not change recipients."))
    lock_for_transition(recipient, "status", "exited_on", conflict=_exit_conflict)
    ensure_visible(actor, recipient)
    _refuse_merged(recipient)
    if recipient.exited_on is not None:
        raise StateConflict(
            {
                "exited_on": _("%(name)s already left service on %(day)s (%(reason)s).")
                % {
                    "name": recipient.name,
                    "day": recipient.exited_on.isoformat(),
                    "reason": recipient.get_exit_reason_display(),
                }
            }
        )
    errors: dict[str, str] = {}
    if reason not in ExitReason.values:
        errors["reason"] = _("Choose the reason of the exit.")
    if exited_on is None:
        errors["exited_on"] = _("Give the date of the exit.")
    if errors:
        raise ValidationError(errors)
    recipient.exited_on = exited_on
    recipient.exit_reason = reason
    recipient.status = EXIT_STATUS[reason]
    try:
        recipient.full_clean(validate_constraints=False)
    except ValidationError as exc:
        recipient.refresh_from_db()  # the caller's copy stays as stored
        raise ValidationError(
            {("reason" if f == "exit_reason" else f): m for f, m in exc.message_dict.items()}
        ) from exc
    label = str(ExitReason(reason).label)
    record_author(recipient, actor, reason=f"{label}: {note.strip()}" if note.strip() else label)
    recipient.save()
    _follow_exit(actor, recipient)
    return recipient


# --- merge ---------------------------------------------------------------------------------


def _repoint(actor: Actor, relation: ForeignObjectRel, keep: Recipient, merge: Recipient) -> int:
    """Point every row of ``relation`` that points at ``merge`` at ``keep``; return how many.

    Rows are saved one by one (not ``update()``) so that each keeps a history line naming the
    author of the merge. A relation whose rows cannot move (a one-to-one both records hold, a
    uniqueness rule the move would break) stops the whole merge with a message naming it."""
    related_model: Any = relation.related_model
    field = relation.field
    if isinstance(relation, ManyToManyRel):
        through: Any = relation.through
        if not through._meta.auto_created:
            return 0  # its own FK to Recipient is a ManyToOneRel, moved on its own
        source = next(
            f.name for f in through._meta.fields if f.is_relation and f.related_model is Recipient
        )
        other = next(
            f.name
            for f in through._meta.fields
            if f.is_relation and f.related_model is not Recipient
        )
        rows = through._default_manager.filter(**{source: merge})
        already = set(
            through._default_manager.filter(**{source: keep}).values_list(f"{other}_id", flat=True)
        )
        moved = 0
        for row in rows:
            if getattr(row, f"{other}_id") in already:
                row.delete()
            else:
                setattr(row, source, keep)
                row.save()
                moved += 1
        return moved
    if relation.one_to_one and related_model._base_manager.filter(**{field.name: keep}).exists():
        raise ValidationError(
            _("Both records have a %(relation)s; resolve that before merging.")
            % {"relation": related_model._meta.verbose_name}
        )
    moved = 0
    names = [field.name]
    if any(f.name == "updated_at" for f in related_model._meta.concrete_fields):
        names.append("updated_at")
    for item in related_model._base_manager.filter(**{field.name: merge}):
        setattr(item, field.name, keep)
        record_author(item, actor)
        item._change_reason = _("Recipient #%(merged)s merged into #%(kept)s") % {
            "merged": merge.pk,
            "kept": keep.pk,
        }
        try:
            with transaction.atomic():
                item.save(update_fields=names)
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "%(relation)s “%(row)s” cannot be moved to the record kept (it would "
                    "duplicate one of its own); resolve that before merging."
                )
                % {"relation": related_model._meta.verbose_name, "row": item}
            ) from exc
        moved += 1
    return moved


# Relations that stay with the record they describe: the log of full views is an audit trail
# of what was seen on that record; a duplicate review names the two records it was about.
# Category periods are joined by recipient_merge itself (_merge_category_periods).
MERGE_SKIPPED_RELATIONS = frozenset({IdentityView, DuplicateReview, CategoryPeriod})


def merge_relations() -> list[ForeignObjectRel]:
    """Every relation pointing at Recipient that a merge moves: reverse foreign keys and
    one-to-ones of any app (cases, service records, assessments, visit schedules...), other
    models' many-to-many fields, and earlier merges into the merged record."""
    return [
        relation
        for relation in Recipient._meta.related_objects
        if relation.related_model not in MERGE_SKIPPED_RELATIONS
        and not relation.related_model.__name__.startswith("Historical")
    ]


def _merge_category_periods(actor: Actor, keep: Recipient, merge: Recipient) -> None:
    """The record kept holds each category over the union of both records' periods (periods
    that overlap or touch become one); the merged record's periods go."""
    spans: dict[int, list[tuple[date, date | None]]] = {}
    for period in CategoryPeriod.objects.filter(recipient__in=(keep, merge)):
        spans.setdefault(period.category_id, []).append((period.valid_from, period.valid_to))
    for period in CategoryPeriod.objects.filter(recipient__in=(keep, merge)):
        record_author(period, actor)
        period.delete()
    for category_id, pieces in spans.items():
        joined: list[list[date | None]] = []
        for start, end in sorted(pieces, key=lambda piece: piece[0]):
            last = joined[-1] if joined else None
            if last is not None and (last[1] is None or last[1] >= start - timedelta(days=1)):
                last[1] = None if last[1] is None or end is None else max(last[1], end)
            else:
                joined.append([start, end])
        for first, end in joined:
            assert first is not None
            period = CategoryPeriod(
                recipient=keep, category_id=category_id, valid_from=first, valid_to=end
            )
            record_author(period, actor)
            period.save()


@transaction.atomic
def recipient_merge(*, actor: Actor, keep: Recipient, merge: Recipient) -> Recipient:
    """Merge the duplicate ``merge`` into ``keep`` (managers only).

    Everything that points at ``merge`` is moved to ``keep`` (found generically through the
    reverse relations, so relations added by other apps move too); ``keep`` takes the union of
    the categories and fills its empty fields from ``merge``; ``merge`` is marked merged with
    ``merged_into = keep`` and kept, with its own history, never deleted.

    Both rows are locked, in primary-key order (two merges of the same pair in opposite
    directions wait for each other instead of deadlocking), and must still be in the state the
    caller loaded: of two merges sent together, the second is refused with a StateConflict."""
    if not user_may_merge(actor):
        raise PermissionDenied(_("Only station managers and the bureaus may merge records."))
    if keep.pk == merge.pk:
        raise ValidationError({"merge": _("A record cannot be merged into itself.")})
    keep, merge = lock_all_for_transition((keep, merge), "status", "merged_into")
    for record in (keep, merge):
        ensure_visible(actor, record)
    if merge.is_merged:  # a state, not the request's fault: 409 (e.g. the same merge sent twice)
        raise StateConflict(
            {"merge": _("“%(name)s” was already merged into another record.") % {"name": merge}}
        )
    if keep.is_merged:
        raise StateConflict(
            {"keep": _("“%(name)s” was itself merged into another record.") % {"name": keep}}
        )
    if keep.id_number_hash and merge.id_number_hash and keep.id_number_hash != merge.id_number_hash:
        raise ValidationError(
            {"merge": _("The two records have different document numbers: they are two people.")}
        )

    moved = 0
    for relation in merge_relations():
        moved += _repoint(actor, relation, keep, merge)
    keep.categories.add(*merge.categories.all())
    _merge_category_periods(actor, keep, merge)
    keep.registered_on = min(keep.registered_on, merge.registered_on)

    for name in MERGE_FILL_FIELDS:
        if getattr(keep, name) in (None, "") and getattr(merge, name) not in (None, ""):
            setattr(keep, name, getattr(merge, name))
    if not keep.id_number_hash and merge.id_number_hash:
        keep.document_type = merge.document_type
        keep.id_number_encrypted = merge.id_number_encrypted
        keep.id_number_hash = merge.id_number_hash
        keep.id_number_masked = merge.id_number_masked
        keep.id_number_shared = merge.id_number_shared
        keep.no_document_reason = ""
    for phone in PHONE_FIELDS:
        if not getattr(keep, f"{phone}_hash") and getattr(merge, f"{phone}_hash"):
            for part in ("encrypted", "hash", "masked"):
                setattr(keep, f"{phone}_{part}", getattr(merge, f"{phone}_{part}"))
    if not keep.consent_given and merge.consent_given:
        keep.consent_given, keep.consent_on = True, merge.consent_on
    if keep.household is not None and keep.household.region_id != keep.region_id:
        keep.household = None  # a household of another village stays with the merged record

    # The merged record first: the record kept may take its document number, and one number
    # is one active record (Recipient's constraint).
    merge.status = RecipientStatus.MERGED
    merge.merged_into = keep
    record_author(merge, actor)
    merge._change_reason = _("Merged into #%(kept)s") % {"kept": keep.pk}  # type: ignore[attr-defined]
    merge.save(update_fields=["status", "merged_into", "updated_at"])

    keep.full_clean()
    record_author(keep, actor)
    keep._change_reason = _("Merged record #%(merged)s (%(moved)d related records moved)") % {  # type: ignore[attr-defined]
        "merged": merge.pk,
        "moved": moved,
    }
    keep.save()
    return keep


# --- full views of numbers -------------------------------------------------------------------


@transaction.atomic
def recipient_reveal_identity(
    *, actor: Actor, recipient: Recipient, field: str, purpose: str = ""
) -> str:
    """The clear document (``field="id_number"``) or phone number (``"phone"``, or a third
    party's: ``"guardian_phone"``, ``"emergency_contact_phone"``), for the roles that need it in
    full (station managers and social workers), logged with the purpose — which a third party's
    number requires. Everyone else is refused (PermissionDenied) and nothing is logged.

    ``field="health_notes"``: the person's health notes, shown the same way (on request,
    logged) to the roles that may read them (``user_sees_sensitive_data``: not auditors)."""
    if field == PersonalData.HEALTH_NOTES:
        return _reveal_health_notes(actor=actor, recipient=recipient, purpose=purpose)
    if not user_may_reveal_identity(actor):
        raise PermissionDenied(_("Your role sees identity and phone numbers masked only."))
    if field not in IdentityField.values:
        raise ValidationError({"field": _("Choose the number to show.")})
    if not Recipient.objects.visible_to(actor).filter(pk=recipient.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))
    if field in THIRD_PARTY_NUMBERS and not (purpose or "").strip():
        raise ValidationError(
            {
                "purpose": _(
                    "Say why you need the full number of this guardian or emergency contact "
                    "(the purpose is logged)."
                )
            }
        )
    token = getattr(recipient, f"{field}_encrypted")
    if not token:
        raise ValidationError({"field": _("No such number is recorded for this person.")})
    value = decrypt(token)
    personal_data_access_log(actor=actor, field=field, recipient=recipient, purpose=purpose)
    return value


def _reveal_health_notes(*, actor: Actor, recipient: Recipient, purpose: str) -> str:
    if not user_sees_sensitive_data(actor):
        raise PermissionDenied(_("Your role may not read health notes."))
    if not Recipient.objects.visible_to(actor).filter(pk=recipient.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))
    notes = Recipient.objects.values_list("health_notes", flat=True).get(pk=recipient.pk)
    if not notes:
        raise ValidationError({"field": _("No health notes are recorded for this person.")})
    personal_data_access_log(
        actor=actor, field=PersonalData.HEALTH_NOTES, recipient=recipient, purpose=purpose
    )
    return notes


def personal_data_access_log(
    *,
    actor: Actor,
    field: str,
    kind: str = AccessKind.VIEW,
    recipient: Recipient | None = None,
    region: Region | None = None,
    subject: str = "",
    count: int = 1,
    purpose: str = "",
) -> IdentityView:
    """Write a line of the personal-data access log (issue 10, "Auditing"): ``actor`` saw in
    full (``kind="view"``) or exported (``"export"``) the ``field`` (:class:`PersonalData`) of
    ``recipient`` — or, for a line about several people, of ``subject`` (``count`` of them, in
    ``region``). The caller has already checked that the actor may; this only records it, in
    the caller's transaction, so that a refused or failed access leaves no line and a logged
    one cannot be lost. Called by the reveal, the assessments' diagnoses (``cases``) and, through
    ``core.audit.record_personal_data_access``, the apps below recipients (payment rosters)."""
    if field not in PersonalData.values:
        raise ValueError(f"not a kind of personal data: {field!r}")
    if kind not in AccessKind.values:
        raise ValueError(f"not a kind of access: {kind!r}")
    if recipient is None and region is None:
        raise ValueError("a line of the access log needs its recipient or its region")
    return IdentityView.objects.create(
        recipient=recipient,
        region=region if region is not None else recipient.region,  # type: ignore[union-attr]  # one of the two, checked above
        subject=(subject or "")[:200],
        count=max(int(count), 0),
        user=history_user(actor),
        field=field,
        kind=kind,
        purpose=(purpose or "").strip()[:200],
    )


# --- duplicate reviews (matches across jurisdictions) --------------------------------------


def _current(record: Recipient | None) -> Recipient | None:
    """The record as it stands now: a merged record's answer is the record it was merged into."""
    seen: set[int] = set()
    while record is not None and record.is_merged and record.pk not in seen:
        seen.add(record.pk)
        record = record.merged_into
    return record


def _open_review_for(actor: Actor, review: DuplicateReview) -> DuplicateReview:
    """The review, locked, if the actor settles it and it is still open."""
    if not user_reviews_duplicates(actor):
        raise PermissionDenied(
            _("Only the district officers and the city bureau settle duplicate reviews.")
        )
    locked = DuplicateReview.objects.select_for_update().get(pk=review.pk)
    ensure_visible(actor, locked)
    if not locked.is_open:
        raise ValidationError(
            {
                "status": _("This review was already settled: %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _decide(
    actor: Actor, review: DuplicateReview, status: str, note: str, kept: Recipient | None = None
) -> DuplicateReview:
    review.status = status
    review.kept = kept
    review.note = (note or "").strip()
    review.decided_by = history_user(actor)
    review.decided_at = timezone.now()
    record_author(review, actor)
    review.full_clean()
    review.save()
    return review


def _both_records(review: DuplicateReview) -> tuple[Recipient, Recipient]:
    recipient, match = _current(review.recipient), _current(review.match)
    if recipient is None or match is None:
        raise ValidationError(
            {"status": _("One of the two records was deleted: dismiss the review.")}
        )
    return recipient, match


@transaction.atomic
def duplicate_review_merge(
    *, actor: Actor, review: DuplicateReview, keep: str, note: str = ""
) -> DuplicateReview:
    """Settle a review by merging its two records (services.recipient_merge): ``keep`` is
    ``"recipient"`` (the record entered) or ``"match"`` (the record already kept). The record
    kept holds the number for both from now on."""
    review = _open_review_for(actor, review)
    recipient, match = _both_records(review)
    if keep not in ("recipient", "match"):
        raise ValidationError({"keep": _("Choose the record to keep.")})
    kept, merged = (recipient, match) if keep == "recipient" else (match, recipient)
    if kept.pk != merged.pk:  # not merged meanwhile through another review
        kept = recipient_merge(actor=actor, keep=kept, merge=merged)
    if kept.id_number_shared:
        principal = (
            Recipient.objects.filter(id_number_hash=kept.id_number_hash, id_number_shared=False)
            .exclude(status=RecipientStatus.MERGED)
            .exclude(pk=kept.pk)
        )
        if not principal.exists():
            kept.id_number_shared = False
            record_author(kept, actor)
            kept.save(update_fields=["id_number_shared", "updated_at"])
    return _decide(actor, review, ReviewStatus.MERGED, note, kept=kept)


@transaction.atomic
def duplicate_review_link(
    *, actor: Actor, review: DuplicateReview, note: str = ""
) -> DuplicateReview:
    """Settle a review as one person kept in two records (each station goes on serving them in
    its own record; neither is merged)."""
    review = _open_review_for(actor, review)
    _both_records(review)
    return _decide(actor, review, ReviewStatus.LINKED, note)


@transaction.atomic
def duplicate_review_dismiss(
    *, actor: Actor, review: DuplicateReview, note: str = ""
) -> DuplicateReview:
    """Settle a review as two different people, after checking (say what was checked: one of
    the numbers is then wrong and is to be corrected by its station)."""
    review = _open_review_for(actor, review)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what you checked.")})
    return _decide(actor, review, ReviewStatus.DISMISSED, note)
