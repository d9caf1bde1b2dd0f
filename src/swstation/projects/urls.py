from swstation.core.views.registry import get_model_urls
from swstation.projects import views  # noqa: F401  # declares the pages

app_name = "projects"
urlpatterns = get_model_urls("projects")
