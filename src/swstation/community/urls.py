from swstation.core.views.registry import get_model_urls

app_name = "community"
urlpatterns = [
    *get_model_urls("community"),
]
