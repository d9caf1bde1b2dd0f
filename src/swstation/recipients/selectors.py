"""Reads on recipients and households: every function takes the actor and returns only what
they may see (domain.md §3, §4; spec/identifiers.md).

Two rules on top of the jurisdiction (core/scoping.py) live here, so that pages, the API, the
exports and every other app reading recipients through these functions share them:

- **Minors** (under 18) are visible only to the roles in ``SENSITIVE_READERS``: an auditor's
  list, detail, API and export leave them out (a minor's page answers 404, as out of scope).
- **Health notes** are shown only to ``SENSITIVE_READERS``; birth date (as its age band) and
  address are masked for auditors (``Recipient.personal_fields``); identity numbers and every
  phone (the person's, their guardian's and emergency contact's) are always shown masked, in
  full only through services.recipient_reveal_identity.
- **No existence oracle**: what the actor is told about possible duplicates depends only on
  records they may see. Records outside their view that share a document number are found
  by :func:`recipient_matches_elsewhere` for the services alone, which queue them for the
  officer above both records (``DuplicateReview``) and never report them to the actor.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from swstation.core.actors import Actor
from swstation.recipients.crypto import lookup_hash
from swstation.recipients.models import (
    FULL_ID_READERS,
    MANAGERS,
    REVIEWERS,
    SENSITIVE_READERS,
    AccessKind,
    Category,
    CategoryPeriod,
    DuplicateReview,
    Household,
    IdentityView,
    Recipient,
    RecipientStatus,
)

ADULT_AGE = 18


def years_ago(years: int, *, today: date | None = None) -> date:
    """The date ``years`` years before ``today`` (29 February → 28 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def in_service_q(*, day: date) -> Q:
    """People in service on ``day`` (issue 18): registered by then and not exited on or before
    it; merged records never, nor records no longer served whose exit has no date (as a bulk
    writer may leave them)."""
    return (
        Q(registered_on__lte=day)
        & (Q(exited_on__gt=day) | Q(exited_on__isnull=True, status=RecipientStatus.ACTIVE))
        & ~Q(status=RecipientStatus.MERGED)
    )


def held_on_q(*, category: Category, day: date) -> Q:
    """People in ``category`` on ``day``: a period of it covers the day (or, with no period
    recorded, they hold it today)."""
    periods = CategoryPeriod.objects.filter(
        recipient=OuterRef("pk"), category=category, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    undated = Recipient.categories.through.objects.filter(
        recipient_id=OuterRef("pk"), category=category
    ).filter(
        ~Exists(CategoryPeriod.objects.filter(recipient=OuterRef("recipient"), category=category))
    )
    return Q(Exists(periods)) | Q(Exists(undated))


def minors_q(*, today: date | None = None, prefix: str = "") -> Q:
    """Recipients under 18 today: born after the day 18 years ago. Other apps filter their
    records by their recipient with ``prefix="recipient__"``."""
    return Q(**{f"{prefix}birth_date__gt": years_ago(ADULT_AGE, today=today)})


def _has_role(user: Actor, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or getattr(user, "role", None) in roles


def user_sees_sensitive_data(user: Actor) -> bool:
    """Minors' records and health notes: the people who serve and supervise, not auditors."""
    return _has_role(user, SENSITIVE_READERS)


def user_may_reveal_identity(user: Actor) -> bool:
    """Who may see a document or phone number in full (each view logged): the station's
    manager and social workers, who fill in assistance applications. Everyone else reads the
    masked form only."""
    return _has_role(user, FULL_ID_READERS)


def user_may_merge(user: Actor) -> bool:
    return _has_role(user, MANAGERS)


def user_sees_identity_views(user: Actor) -> bool:
    """The log of full views is read by those who answer for the station's data."""
    return _has_role(user, MANAGERS)


def user_reviews_duplicates(user: Actor) -> bool:
    """The district officers and the city bureau settle matches across jurisdictions."""
    return _has_role(user, REVIEWERS)


# --- recipients ------------------------------------------------------------------------------


def recipient_list(*, actor: Actor) -> QuerySet[Recipient]:
    """The recipients the actor may see, with what the list pages and the API show."""
    queryset = Recipient.objects.visible_to(actor)
    if not user_sees_sensitive_data(actor):
        queryset = queryset.exclude(minors_q())
    return queryset.select_related(
        "region", "station", "household", "merged_into"
    ).prefetch_related("categories", "category_periods__category")


def recipient_list_page(*, actor: Actor) -> QuerySet[Recipient]:
    """The recipients list page and its exports: each person's categories, not their category
    periods (the API's): two queries a page fewer (issue 10, "Lists fast at any size")."""
    return recipient_list(actor=actor).prefetch_related(None).prefetch_related("categories")


def recipient_search_q(value: str) -> Q:
    """A name (part of it), or an exact document or phone number (the person's, or their
    guardian's or emergency contact's) found through its keyed hash: the clear numbers are
    never in the database to search."""
    value = value.strip()
    query = Q(name__icontains=value)
    digest = lookup_hash(value)
    if digest:
        query |= (
            Q(id_number_hash=digest)
            | Q(phone_hash=digest)
            | Q(guardian_phone_hash=digest)
            | Q(emergency_contact_phone_hash=digest)
        )
    return query


def recipient_by_document(*, actor: Actor, number: str) -> QuerySet[Recipient]:
    """Exact look-up by document number (through its hash)."""
    digest = lookup_hash(number)
    if not digest:
        return Recipient.objects.none()
    return recipient_list(actor=actor).filter(id_number_hash=digest)


@dataclass
class Duplicates:
    """Possible duplicates of a record being entered, among the records the actor may open:
    all of them (``visible``), and those with the same document number (``same_number``), which
    cannot be confirmed into a second record. Records outside the actor's view are never
    counted here (see :func:`recipient_matches_elsewhere`)."""

    visible: list[Recipient]
    same_number: list[Recipient] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.visible)


def recipient_possible_duplicates(
    *,
    actor: Actor,
    name: str,
    birth_date: date | None,
    region_id: int | None,
    id_number_hash: str,
    exclude_pk: int | None = None,
) -> Duplicates:
    """Records the actor may see that may be the same person: the same document number (by
    hash), or the same name, date of birth and village. Merged records are history, not
    candidates."""
    query = Q()
    if id_number_hash:
        query |= Q(id_number_hash=id_number_hash)
    if name and birth_date and region_id:
        query |= Q(name=name, birth_date=birth_date, region_id=region_id)
    if not query:
        return Duplicates(visible=[])
    candidates = recipient_list(actor=actor).exclude(status=RecipientStatus.MERGED).filter(query)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    visible = list(candidates.order_by("pk"))
    same_number = [r for r in visible if id_number_hash and r.id_number_hash == id_number_hash]
    return Duplicates(visible=visible, same_number=same_number)


def recipient_matches_elsewhere(
    *, actor: Actor, id_number_hash: str, exclude_pk: int | None = None
) -> list[Recipient]:
    """The records (not merged) with this document number that the actor may *not* see.

    For the services only, which queue each match for review by the officer above both
    records: what the actor is told must never depend on this (issue 16)."""
    if not id_number_hash:
        return []
    candidates = Recipient.objects.filter(id_number_hash=id_number_hash).exclude(
        status=RecipientStatus.MERGED
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(
        candidates.exclude(pk__in=recipient_list(actor=actor).values("pk"))
        .select_related("region")
        .order_by("pk")
    )


def recipient_duplicates_of(*, actor: Actor, recipient: Recipient) -> Duplicates:
    """Possible duplicates of a stored record (for its page and the merge form)."""
    if recipient.is_merged:
        return Duplicates(visible=[])
    return recipient_possible_duplicates(
        actor=actor,
        name=recipient.name,
        birth_date=recipient.birth_date,
        region_id=recipient.region_id,
        id_number_hash=recipient.id_number_hash,
        exclude_pk=recipient.pk,
    )


def recipient_merged_records(*, actor: Actor, recipient: Recipient) -> QuerySet[Recipient]:
    """The records merged into this one (their pages keep their own history)."""
    return recipient_list(actor=actor).filter(merged_into=recipient)


def identity_view_list(*, actor: Actor) -> QuerySet[IdentityView]:
    """The personal-data access log (issue 10, "Auditing") the actor may read: auditors, the
    bureaus and station managers, each over their jurisdiction (the line's region). A line
    about a minor stays in the log an auditor reads — the access is what is audited — with
    ``recipient_is_minor`` set, so that the pages name no minor to a role that may not see
    minors' records."""
    return (
        IdentityView.objects.visible_to(actor)
        .select_related("user", "recipient", "recipient__station", "region")
        .annotate(
            recipient_is_minor=Case(
                When(minors_q(prefix="recipient__"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


@dataclass(frozen=True)
class AccessSummary:
    """The personal-data access log of a period, as an auditor's home counts it."""

    since: date
    lines: int
    exports: int
    users: int


def identity_view_summary(*, actor: Actor, since: date) -> AccessSummary:
    """How many lines the actor's access log holds from ``since`` on (the day included), how
    many of them are exports (rosters), and by how many users: the auditor's home links each
    figure to the log (issue 10, "Auditing")."""
    figures = (
        IdentityView.objects.visible_to(actor)
        .filter(viewed_at__date__gte=since)
        .aggregate(
            lines=Count("pk"),
            exports=Count("pk", filter=Q(kind=AccessKind.EXPORT)),
            users=Count("user", distinct=True),
        )
    )
    return AccessSummary(since=since, **figures)


def recipient_identity_views(*, actor: Actor, recipient: Recipient) -> QuerySet[IdentityView]:
    """Who saw the full numbers of this person, when and why (managers only)."""
    if not user_sees_identity_views(actor):
        return IdentityView.objects.none()
    return IdentityView.objects.filter(recipient=recipient).select_related("user")


# --- households ------------------------------------------------------------------------------


def household_list(*, actor: Actor) -> QuerySet[Household]:
    """Households in the actor's jurisdiction, with ``member_count``: the recipients recorded
    in them (merged records left out)."""
    queryset = Household.objects.visible_to(actor)
    # Meta.ordering is not applied to a grouped query: order explicitly (stable pages).
    return (
        queryset.select_related("region")
        .annotate(member_count=Count("members", filter=~Q(members__status=RecipientStatus.MERGED)))
        .order_by("region__code", "address")
    )


def household_members(*, actor: Actor, household: Household) -> QuerySet[Recipient]:
    """The household's recipients the actor may see (an auditor's view leaves minors out)."""
    return (
        recipient_list(actor=actor)
        .filter(household=household)
        .exclude(status=RecipientStatus.MERGED)
        .order_by("birth_date", "name")
    )


# --- category periods ------------------------------------------------------------------------


def category_period_list(*, actor: Actor) -> QuerySet[CategoryPeriod]:
    """The category periods of the people the actor may see (a minor's only for the roles that
    see minors), with their person and category."""
    queryset = CategoryPeriod.objects.visible_to(actor)
    if not user_sees_sensitive_data(actor):
        queryset = queryset.exclude(minors_q(prefix="recipient__"))
    return queryset.select_related("recipient", "recipient__region", "category")


# --- duplicate reviews -----------------------------------------------------------------------


def duplicate_review_list(*, actor: Actor) -> QuerySet[DuplicateReview]:
    """The matches across jurisdictions the actor settles: those whose two records both lie
    in their jurisdiction (a district officer's district, the city bureau's city)."""
    queryset = DuplicateReview.objects.visible_to(actor)
    return queryset.select_related(
        "region",
        "recipient__region",
        "match__region",
        "kept",
        "reported_by",
        "decided_by",
    )


def recipient_open_reviews(*, actor: Actor, recipient: Recipient) -> QuerySet[DuplicateReview]:
    """The open reviews of a person's record that the actor settles (none for the others)."""
    return (
        duplicate_review_list(actor=actor)
        .filter(Q(recipient=recipient) | Q(match=recipient))
        .filter(status="open")
    )


def open_duplicate_reviews(*, actor: Actor) -> QuerySet[DuplicateReview]:
    """The matches still to settle by the actor (the home pages of the bureaus; none for the
    roles that settle none)."""
    if not user_reviews_duplicates(actor):
        return DuplicateReview.objects.none()
    return duplicate_review_list(actor=actor).filter(status="open")
