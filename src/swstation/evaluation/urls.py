from swstation.core.views.registry import get_model_urls
from swstation.evaluation import views  # noqa: F401  (declares the pages)

app_name = "evaluation"
urlpatterns = get_model_urls("evaluation")
