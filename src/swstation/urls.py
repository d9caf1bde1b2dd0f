from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from swstation import views
from swstation.accounts.api.urls import router as accounts_router
from swstation.cases.api.urls import router as cases_router
from swstation.community.api.urls import router as community_router
from swstation.core.api.docs import schema_view, swagger_view
from swstation.core.api.urls import router as core_router
from swstation.core.views.choices import ChoicesView
from swstation.dashboard.api.urls import router as dashboard_router
from swstation.employment.api.urls import router as employment_router
from swstation.evaluation.api.urls import router as evaluation_router
from swstation.funds.api.urls import router as funds_router
from swstation.linkage.api.urls import router as linkage_router
from swstation.projects.api.urls import router as projects_router
from swstation.recipients.api.urls import router as recipients_router
from swstation.regions.api.urls import router as regions_router
from swstation.stations.api.urls import router as stations_router
from swstation.volunteers.api.urls import router as volunteers_router
from swstation.workforce.api.urls import router as workforce_router

api_router = DefaultRouter()
for app_router in (
    core_router,
    regions_router,
    accounts_router,
    stations_router,
    workforce_router,
    recipients_router,
    projects_router,
    funds_router,
    cases_router,
    linkage_router,
    volunteers_router,
    community_router,
    employment_router,
    evaluation_router,
    dashboard_router,
):
    for prefix, viewset, basename in app_router.registry:
        api_router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("swstation.accounts.urls")),
    path("imports/", include("swstation.core.import_urls")),
    # What a searchable select offers as the user types (core/widgets.py).
    path("choices/<str:app_label>/<str:model_name>/", ChoicesView.as_view(), name="choices"),
    path("exports/", include("swstation.core.export_urls")),
    path("regions/", include("swstation.regions.urls")),
    path("stations/", include("swstation.stations.urls")),
    path("workforce/", include("swstation.workforce.urls")),
    path("recipients/", include("swstation.recipients.urls")),
    path("projects/", include("swstation.projects.urls")),
    path("funds/", include("swstation.funds.urls")),
    path("cases/", include("swstation.cases.urls")),
    path("partners/", include("swstation.linkage.urls")),
    path("volunteers/", include("swstation.volunteers.urls")),
    path("community/", include("swstation.community.urls")),
    path("employment/", include("swstation.employment.urls")),
    path("evaluation/", include("swstation.evaluation.urls")),
    path("cockpit/", include("swstation.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_router.urls, "api"))),
    # Behind a login unless API_DOCS_PUBLIC (core/api/docs.py).
    path("api/schema/", schema_view, name="api-schema"),
    path("api/docs/", swagger_view, name="api-docs"),
    path("api/auth/", include("rest_framework.urls")),
]
# The Django admin is not scoped by jurisdiction: not even routed unless ADMIN_ENABLED.
if settings.ADMIN_ENABLED:
    urlpatterns.append(path(settings.ADMIN_URL, admin.site.urls))

handler400 = "swstation.core.views.errors.bad_request"
handler403 = "swstation.core.views.errors.permission_denied"
handler404 = "swstation.core.views.errors.page_not_found"
handler500 = "swstation.core.views.errors.server_error"
