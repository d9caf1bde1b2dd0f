from rest_framework.routers import SimpleRouter

from swstation.core.api import views

router = SimpleRouter()
router.register("import-synonyms", views.ImportSynonymViewSet, basename="importsynonym")
urlpatterns = router.urls
