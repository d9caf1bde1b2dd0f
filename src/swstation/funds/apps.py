from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "swstation.funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import MANAGERS, Role
        from swstation.funds.subsidies import SUBSIDY_SOURCE
        from swstation.stations.subsidies import register_subsidy_source

        # Stations show the subsidies under their policies through this port, without
        # importing funds: a subsidy is a grant (one ledger).
        register_subsidy_source(SUBSIDY_SOURCE)

        from swstation.funds.models import (
            ContractInstalment,
            Expense,
            Funder,
            Grant,
            PurchaseContract,
        )

        # Whose work (core.navigation): the bureaus and the station managers keep the money
        # of the "four ones"; auditors inspect it. 90–99 come after the projects.
        group = _("Funds")
        keepers = MANAGERS | {Role.AUDITOR}
        for label, url, icon, model, order in (
            (_("Funds summary"), "funds:summary", "pie-chart", Grant, 90),
            (_("Grants"), "funds:grant_list", "cash-coin", Grant, 91),
            (
                _("Purchase contracts"),
                "funds:purchasecontract_list",
                "file-earmark-text",
                PurchaseContract,
                92,
            ),
            (
                _("Contract instalments"),
                "funds:contractinstalment_list",
                "calendar-check",
                ContractInstalment,
                93,
            ),
            (_("Spending"), "funds:expense_list", "receipt", Expense, 94),
            (_("Funders"), "funds:funder_list", "bank", Funder, 95),
        ):
            register_menu_item(MenuItem(group, label, url, icon, model, order, roles=keepers))
