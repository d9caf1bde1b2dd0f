"""Tables of the recipient and household lists (and of their .csv/.xlsx exports).

Document and phone numbers appear only in their masked form (the clear numbers are never
read for a list); birth date and address are masked for auditors; health notes are not a
column at all."""

from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.core.tables import BaseTable
from swstation.recipients.models import Household, Recipient


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

    def render_birth_date(self, value: date | None) -> str:
        return self.personal(value)

    def value_birth_date(self, value: date | None) -> str:
        return self.personal(value)

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
