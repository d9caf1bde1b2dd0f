from swstation.core.views.registry import get_model_urls
from swstation.employment import views  # noqa: F401  (declares the pages)

app_name = "employment"
urlpatterns = [
    *get_model_urls("employment"),
]
