"""The pages of core's own model (the synonyms imports accept), under the namespace "core"."""

from swstation.core.views import imports  # noqa: F401  # declares the pages
from swstation.core.views.registry import get_model_urls

app_name = "core"
urlpatterns = get_model_urls("core")
