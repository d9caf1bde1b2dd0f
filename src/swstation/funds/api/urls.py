from rest_framework.routers import SimpleRouter

from swstation.funds.api import views

router = SimpleRouter()
router.register("funders", views.FunderViewSet, basename="funder")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("purchase-contracts", views.PurchaseContractViewSet, basename="purchasecontract")
router.register(
    "contract-instalments", views.ContractInstalmentViewSet, basename="contractinstalment"
)
router.register("expenses", views.ExpenseViewSet, basename="expense")
urlpatterns = router.urls
