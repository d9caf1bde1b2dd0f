from swstation.core.views.registry import get_model_urls

app_name = "linkage"
urlpatterns = [
    *get_model_urls("linkage"),
]
