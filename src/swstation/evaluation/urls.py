from swstation.core.views.registry import get_model_urls
from swstation.evaluation import (
    district_views,  # noqa: F401  (the district assessment)
    survey_views,  # noqa: F401  (the survey's entry pages, added to views' pages)
    views,  # noqa: F401  (declares the pages)
)

app_name = "evaluation"
urlpatterns = get_model_urls("evaluation")
