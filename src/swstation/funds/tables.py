"""Tables of the funds lists (and of their .csv/.xlsx exports). Amounts are yuan with two
places; each money list's footer sums the whole filtered list (one aggregate query)."""

from typing import Any

import django_tables2 as tables
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from swstation.core.numbers import MoneyColumn, format_money
from swstation.core.tables import BaseTable
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    PurchaseContract,
    money,
)


def _sum_footer(table: Any) -> str:
    """The sum of the whole filtered list's amounts (not just the page)."""
    total = table.data.data.order_by().aggregate(t=Sum("amount"))["t"]
    return str(_("Total %(amount)s")) % {"amount": format_money(money(total))}


class FunderTable(BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(order_by=("region__code",))

    class Meta(BaseTable.Meta):
        model = Funder
        fields = ("name", "kind", "tier", "region", "contact_name")


class GrantTable(BaseTable):
    funder = tables.Column(linkify=lambda record: record.get_absolute_url())
    target = tables.Column(
        verbose_name=_("granted to"), empty_values=(), order_by=("region__code",)
    )
    amount = MoneyColumn(footer=_sum_footer)
    allocated = MoneyColumn(verbose_name=_("split into shares"))
    spent = MoneyColumn(verbose_name=_("spent"))
    balance = MoneyColumn(verbose_name=_("balance"), empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("status"), empty_values=(), order_by=("paid_on",))

    class Meta(BaseTable.Meta):
        model = Grant
        fields = (
            "funder",
            "tier",
            "fund_type",
            "target",
            "year",
            "document_number",
            "purpose",
            "amount",
            "allocated",
            "spent",
            "balance",
            "status",
        )

    def render_target(self, record: Grant) -> str:
        return str(record.project or record.station or record.programme or record.region)

    def value_target(self, record: Grant) -> str:
        return self.render_target(record)

    def render_balance(self, record: Grant) -> str:
        return format_money(self.value_balance(record))

    def value_balance(self, record: Grant) -> Any:
        allocated, spent = getattr(record, "allocated", 0), getattr(record, "spent", 0)
        return money(record.amount - allocated - spent)

    def render_status(self, record: Grant) -> str:
        return record.get_status_display()

    def value_status(self, record: Grant) -> str:
        return record.get_status_display()


class PurchaseContractTable(BaseTable):
    number = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("purchaser"), order_by=("region__code",))
    agency = tables.Column(linkify=True)
    station = tables.Column(linkify=True)
    amount = MoneyColumn(footer=_sum_footer)
    paid = MoneyColumn(verbose_name=_("paid"))
    spent = MoneyColumn(verbose_name=_("spent"))

    class Meta(BaseTable.Meta):
        model = PurchaseContract
        fields = (
            "number",
            "title",
            "region",
            "agency",
            "station",
            "starts_on",
            "ends_on",
            "amount",
            "paid",
            "spent",
        )


class ContractInstalmentTable(BaseTable):
    contract = tables.Column(linkify=True)
    sequence = tables.Column(linkify=lambda record: record.get_absolute_url())
    amount = MoneyColumn(footer=_sum_footer)

    class Meta(BaseTable.Meta):
        model = ContractInstalment
        fields = (
            "contract",
            "sequence",
            "due_on",
            "amount",
            "deliverable",
            "is_final",
            "held",
            "paid_on",
        )


class ExpenseTable(BaseTable):
    voucher_number = tables.Column(linkify=lambda record: record.get_absolute_url())
    source = tables.Column(verbose_name=_("from"), empty_values=(), orderable=False)
    amount = MoneyColumn(footer=_sum_footer)
    override_by = tables.Column(verbose_name=_("overspending allowed by"))

    class Meta(BaseTable.Meta):
        model = Expense
        fields = (
            "spent_on",
            "voucher_number",
            "source",
            "category",
            "amount",
            "description",
            "override_by",
        )

    def render_source(self, record: Expense) -> str:
        return str(record.source)

    def value_source(self, record: Expense) -> str:
        return str(record.source)
