from swstation.core.views.registry import get_model_urls
from swstation.linkage import views  # noqa: F401  (declares the pages)

app_name = "linkage"
urlpatterns = [
    *get_model_urls("linkage"),
]
