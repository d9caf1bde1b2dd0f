from swstation.core.views.registry import get_model_urls
from swstation.volunteers import views  # noqa: F401  (declares the pages)

app_name = "volunteers"
urlpatterns = [
    *get_model_urls("volunteers"),
]
