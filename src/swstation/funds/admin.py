from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.funds.models import ContractInstalment, Expense, Funder, Grant, PurchaseContract


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "tier", "region")
    list_filter = ("tier", "kind")
    search_fields = ("name",)
    raw_id_fields = ("region",)


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ("funder", "tier", "station", "programme", "year", "amount", "paid_on")
    list_filter = ("tier", "fund_type", "year")
    search_fields = ("funder__name", "station__name", "programme", "purpose", "document_number")
    raw_id_fields = ("funder", "parent", "region", "station", "project")
    date_hierarchy = "granted_on"


@admin.register(PurchaseContract)
class PurchaseContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "region", "agency", "station", "amount", "starts_on")
    list_filter = ("tier",)
    search_fields = ("number", "title", "agency__name")
    raw_id_fields = ("region", "agency", "station", "project")


@admin.register(ContractInstalment)
class ContractInstalmentAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "sequence", "due_on", "amount", "is_final", "held", "paid_on")
    list_filter = ("is_final", "held")
    raw_id_fields = ("contract",)


@admin.register(Expense)
class ExpenseAdmin(SimpleHistoryAdmin):
    list_display = ("voucher_number", "spent_on", "category", "amount", "grant", "contract")
    list_filter = ("category",)
    search_fields = ("voucher_number", "description")
    raw_id_fields = ("grant", "contract", "region")
