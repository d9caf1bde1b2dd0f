from swstation.core.views.imports import import_urlpatterns
from swstation.core.views.registry import get_model_urls
from swstation.employment import views  # noqa: F401  (declares the pages)
from swstation.employment.importers import JobPostImporter, JobSeekerImporter

app_name = "employment"
urlpatterns = [
    *get_model_urls("employment"),
    *import_urlpatterns("jobseeker", JobSeekerImporter, prefix=""),
    *import_urlpatterns("jobpost", JobPostImporter, prefix="posts/"),
]
