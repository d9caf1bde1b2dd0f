from swstation.core.views.registry import get_model_urls

app_name = "volunteers"
urlpatterns = [
    *get_model_urls("volunteers"),
]
