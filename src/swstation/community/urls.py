from swstation.community import views  # noqa: F401  (declares the pages)
from swstation.community.importers import ActivitySignInImporter, SessionSignInImporter
from swstation.core.views.imports import import_urlpatterns
from swstation.core.views.registry import get_model_urls

app_name = "community"
urlpatterns = [
    *get_model_urls("community"),
    *import_urlpatterns("sessionattendance", SessionSignInImporter, prefix="attendance/"),
    *import_urlpatterns("activityparticipant", ActivitySignInImporter, prefix="participants/"),
]
