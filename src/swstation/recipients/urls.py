from swstation.core.views.imports import import_urlpatterns
from swstation.core.views.registry import get_model_urls
from swstation.recipients import views  # noqa: F401  # declares the pages
from swstation.recipients.importers import RecipientImporter

app_name = "recipients"

urlpatterns = [
    *import_urlpatterns("recipient", RecipientImporter, prefix=""),
    *get_model_urls("recipients"),
]
