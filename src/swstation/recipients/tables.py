"""Tables of the recipient and household lists (and of their .csv/.xlsx exports).

Document and phone numbers appear only in their masked form (the clear numbers are never
read for a list); birth date and address are masked for auditors; health notes are not a
column at all."""

from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.core.tables import BaseTable
from swstation.recipients.models import (
    CategoryPeriod,
    DuplicateReview,
    Household,
    IdentityView,
    Recipient,
)
from swstation.recipients.selectors import user_sees_sensitive_data


class PersonalDataMixin:
    user: Any

    def personal(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text if user_sees_personal_data(self.user) else mask_value(text)


class RecipientTable(PersonalDataMixin, BaseTable):
    name = tables.Column(linkify=True)
    id_number_masked = tables.Column(verbose_name=_("document number"))
    phone_masked = tables.Column(verbose_name=_("phone"))
    age = tables.Column(verbose_name=_("age"), accessor="age", orderable=False, default="")
    region = tables.Column(linkify=True)
    station = tables.Column()
    categories = tables.ManyToManyColumn(verbose_name=_("categories"), separator="、")

    class Meta(BaseTable.Meta):
        model = Recipient
        fields = (
            "name",
            "sex",
            "birth_date",
            "age",
            "id_number_masked",
            "phone_masked",
            "region",
            "address",
            "station",
            "categories",
            "status",
        )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        masked = not user_sees_personal_data(user)
        if masked:  # the age column would be empty: the date of birth is shown as an age band
            kwargs["exclude"] = (*(kwargs.get("exclude") or ()), "age")
        super().__init__(*args, user=user, **kwargs)
        if masked:
            self.columns["birth_date"].column.verbose_name = _("age")

    def render_birth_date(self, value: date | None) -> str:
        return self.personal(value)

    def value_birth_date(self, value: date | None) -> str:
        return self.personal(value)

    def render_age(self, value: int | None) -> str:
        # The exact age beside a masked date of birth (its age band) would give the date away.
        if value is None or not user_sees_personal_data(self.user):
            return ""
        return str(value)

    def value_age(self, value: int | None) -> int | str:
        return value if value is not None and user_sees_personal_data(self.user) else ""

    def render_address(self, value: str) -> str:
        return self.personal(value)

    def value_address(self, value: str) -> str:
        return self.personal(value)

    def value_categories(self, record: Recipient) -> str:
        return "、".join(c.name for c in record.categories.all())


class HouseholdTable(PersonalDataMixin, BaseTable):
    head_name = tables.Column(linkify=True)
    region = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_("recipients"), default=0)

    class Meta(BaseTable.Meta):
        model = Household
        fields = ("head_name", "region", "address", "size", "member_count")

    def render_address(self, value: str) -> str:
        return self.personal(value)

    def value_address(self, value: str) -> str:
        return self.personal(value)


class DuplicateReviewTable(BaseTable):
    review = tables.Column(
        verbose_name=_("review"), accessor="pk", linkify=True, orderable=True, order_by=("pk",)
    )
    created_at = tables.DateTimeColumn(verbose_name=_("found at"), format="Y-m-d H:i")
    recipient = tables.Column(linkify=True)
    recipient_region = tables.Column(
        verbose_name=_("village / community"), accessor="recipient__region", default=""
    )
    match = tables.Column(linkify=True)
    match_region = tables.Column(
        verbose_name=_("village / community"), accessor="match__region", default=""
    )
    region = tables.Column()
    reported_by = tables.Column()
    decided_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = DuplicateReview
        fields = (
            "review",
            "created_at",
            "recipient",
            "recipient_region",
            "match",
            "match_region",
            "region",
            "reported_by",
            "status",
            "decided_by",
            "decided_at",
        )

    def render_review(self, value: int) -> str:
        return f"#{value}"

    def value_review(self, value: int) -> str:
        return f"#{value}"


class CategoryPeriodTable(BaseTable):
    period = tables.Column(
        verbose_name=_("category period"),
        accessor="pk",
        linkify=True,
        orderable=True,
        order_by=("valid_from", "pk"),
    )
    recipient = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("village / community"), accessor="recipient__region")
    category = tables.Column()
    valid_from = tables.DateColumn(format="Y-m-d")
    valid_to = tables.DateColumn(format="Y-m-d", default="")

    class Meta(BaseTable.Meta):
        model = CategoryPeriod
        fields = ("period", "recipient", "region", "category", "valid_from", "valid_to")

    def render_period(self, value: int) -> str:
        return f"#{value}"

    def value_period(self, value: int) -> str:
        return f"#{value}"


class IdentityViewTable(BaseTable):
    """The personal-data access log (issue 10): who saw or exported whose data, when, what
    and why. A line about a minor names no one to a role that may not see minors' records."""

    viewed_at = tables.DateTimeColumn(format="Y-m-d H:i", linkify=True)
    user = tables.Column(verbose_name=_("by"), order_by=("user__username",))
    role = tables.Column(verbose_name=_("role"), accessor="user__role", orderable=False)
    whose = tables.Column(
        verbose_name=_("whose data"), accessor="pk", order_by=("recipient__name", "subject")
    )
    station = tables.Column(
        verbose_name=_("station"), accessor="recipient__station", default="", orderable=False
    )
    region = tables.Column(default="", order_by=("region__code",))
    field = tables.Column()
    kind = tables.Column()
    purpose = tables.Column(default="")

    class Meta(BaseTable.Meta):
        model = IdentityView
        fields = (
            "viewed_at",
            "user",
            "role",
            "whose",
            "station",
            "region",
            "field",
            "kind",
            "purpose",
        )

    def _hidden_minor(self, record: IdentityView) -> bool:
        return bool(getattr(record, "recipient_is_minor", False)) and not (
            user_sees_sensitive_data(self.user)
        )

    def value_whose(self, record: IdentityView) -> str:
        if record.recipient_id is None:  # a roster: whose, and how many people
            return str(_("%(subject)s (%(count)d people)")) % {
                "subject": record.subject,
                "count": record.count,
            }
        if self._hidden_minor(record):
            return str(_("A minor (not shown to your role)"))
        return str(record.recipient)

    def render_whose(self, record: IdentityView) -> Any:
        text = self.value_whose(record)
        if record.recipient is None or self._hidden_minor(record):
            return text
        return format_html('<a href="{}">{}</a>', record.recipient.get_absolute_url(), text)

    def value_station(self, record: IdentityView) -> str:
        if record.recipient is None or self._hidden_minor(record):
            return ""
        return str(record.recipient.station or "")

    def render_station(self, record: IdentityView) -> str:
        return self.value_station(record) or "—"

    def render_user(self, record: IdentityView) -> str:
        return _user_label(record.user)

    def value_user(self, record: IdentityView) -> str:
        return _user_label(record.user)

    def render_role(self, record: IdentityView) -> str:
        return str(record.user.get_role_display())

    def value_role(self, record: IdentityView) -> str:
        return self.render_role(record)

    def render_field(self, record: IdentityView) -> str:
        return record.get_field_display()

    def value_field(self, record: IdentityView) -> str:
        return record.get_field_display()

    def render_kind(self, record: IdentityView) -> str:
        return record.get_kind_display()

    def value_kind(self, record: IdentityView) -> str:
        return record.get_kind_display()


def _user_label(user: Any) -> str:
    """A user as a person reads them: their full name with the login name."""
    full = getattr(user, "full_name", "")
    return f"{full}（{user.username}）" if full else str(user.username)
