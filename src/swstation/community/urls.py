from swstation.community import views  # noqa: F401  (declares the pages)
from swstation.core.views.registry import get_model_urls

app_name = "community"
urlpatterns = [
    *get_model_urls("community"),
]
