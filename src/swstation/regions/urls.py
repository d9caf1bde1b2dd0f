from swstation.core.views.registry import get_model_urls
from swstation.regions import views  # noqa: F401  # declares the pages

app_name = "regions"

urlpatterns = get_model_urls("regions")
