"""Django settings for SWStation.

Everything that differs between a laptop and production comes from environment variables
(see docs/operations.md). With DEBUG off the settings are production-safe:
`python -m swstation check --deploy` passes once SECRET_KEY, ALLOWED_HOSTS and the
personal-data keys are set. Nothing here depends on how the code is run (no test switch): the
test suite gives its environment through tests/settings.py.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "swstation-dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see docs/operations.md)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
# Former keys, still accepted for signatures (sessions) while SECRET_KEY is being rotated.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tables2",
    "django_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks_db",
    "swstation.core",
    "swstation.regions",
    "swstation.accounts",
    "swstation.stations",
    "swstation.workforce",
    "swstation.recipients",
    "swstation.projects",
    "swstation.funds",
    "swstation.cases",
    "swstation.linkage",
    "swstation.volunteers",
    "swstation.community",
    "swstation.employment",
    "swstation.evaluation",
    "swstation.dashboard",
    "swstation.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "swstation.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "swstation.core.middleware.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "swstation.accounts.middleware.ExpiredSessionMiddleware",
    "swstation.accounts.middleware.AccountStateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "swstation.urls"
WSGI_APPLICATION = "swstation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "swstation.core.context_processors.navigation",
                "swstation.core.context_processors.demo_instance",
            ],
        },
    },
]

# The embedded default is a SQLite file in the working directory; production and CI use
# PostgreSQL through DATABASE_URL (postgres://user@127.0.0.1:5432/swstation).
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///swstation.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords expire only if this is set: a user whose password is older must choose a new one
# before anything else (0: never).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Background work (django.tasks). "default" runs a task where it is enqueued. "background" is a
# queue in the database, worked by `python -m swstation db_worker --backend background`
# (scripts/start runs one; see docs/operations.md): the cockpit's refresh after each write leaves
# the request there. BACKGROUND_TASKS=immediate runs it inline instead. "imports" is the
# imports' check and import (core/imports/tasks.py), a queue of its own so that a long import
# neither holds a web worker nor delays the cockpit's refresh, worked by
# `db_worker --backend imports`; IMPORT_TASKS=immediate (by default as BACKGROUND_TASKS) runs
# them in the request that starts them, as the test suite does. "exports" writes the large list
# exports (core/export_jobs.py) on a queue of its own too, worked by `db_worker --backend
# exports`, so that a city-wide export never delays the cockpit's refresh; EXPORT_TASKS (by
# default as BACKGROUND_TASKS) likewise.
_IMMEDIATE_TASKS = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
_BACKGROUND_TASKS = env.str("BACKGROUND_TASKS", default="database")
TASKS = {
    "default": _IMMEDIATE_TASKS,
    "background": _IMMEDIATE_TASKS
    if _BACKGROUND_TASKS == "immediate"
    else {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "imports": _IMMEDIATE_TASKS
    if env.str("IMPORT_TASKS", default=_BACKGROUND_TASKS) == "immediate"
    else {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "exports": _IMMEDIATE_TASKS
    if env.str("EXPORT_TASKS", default=_BACKGROUND_TASKS) == "immediate"
    else {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Plausible dates (core/date_ranges.py): records of the stations' work are dated from the day
# the station opened (this floor when it has none) to today plus a small margin; plans start
# at most PLAN_START_AHEAD_DAYS ahead and end at most PLAN_HORIZON_YEARS ahead; dates of birth
# lie within MAX_AGE_YEARS.
RECORD_DATE_FLOOR = date.fromisoformat(env.str("RECORD_DATE_FLOOR", default="2000-01-01"))
RECORD_DATE_AHEAD_DAYS = env.int("RECORD_DATE_AHEAD_DAYS", default=1)
PLAN_START_AHEAD_DAYS = env.int("PLAN_START_AHEAD_DAYS", default=366)
PLAN_HORIZON_YEARS = env.int("PLAN_HORIZON_YEARS", default=10)
MAX_AGE_YEARS = env.int("MAX_AGE_YEARS", default=120)

# Five wrong passwords in a row lock the account (by user name) for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves collected files from STATIC_ROOT (hashed names, compressed); without a
# STATIC_ROOT (the default with DEBUG on; STATIC_ROOT= empty) files are served straight from the
# finders, so that development and tests need no collectstatic.
STATIC_ROOT = env.str("STATIC_ROOT", default="" if DEBUG else str(REPO_DIR / "staticfiles")) or None
NODE_MODULES = Path(env.str("NODE_MODULES", default=str(REPO_DIR / "node_modules")))
# Front-end libraries come from npm (package.json), never from a CDN or a copy in the repo.
_VENDOR_ASSETS = {
    "vendor/bootstrap": "bootstrap/dist",
    "vendor/bootstrap-icons": "bootstrap-icons/font",
    "vendor/htmx": "htmx.org/dist",
    "vendor/echarts": "echarts/dist",
    "vendor/tom-select": "tom-select/dist",
}
STATICFILES_DIRS: list[object] = [PACKAGE_DIR / "static"]
STATICFILES_DIRS += [
    (prefix, str(NODE_MODULES / path))
    for prefix, path in _VENDOR_ASSETS.items()
    if (NODE_MODULES / path).is_dir()
]
# Uploaded files (a project's photos and documents): sent only through the pages that check
# who may see them, never served from a public URL.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(REPO_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Files of background exports (core/export_jobs.py): private, sent only by the download
    # view to the user who asked for them, deleted after EXPORT_JOB_EXPIRY_HOURS.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("EXPORT_ROOT", default=str(REPO_DIR / "var" / "exports")),
            "base_url": None,
        },
    },
}
# Exports of up to this many rows are answered in the request; larger ones run in the
# background with a page that follows them (core/export_jobs.py).
EXPORT_IMMEDIATE_MAX_ROWS = env.int("EXPORT_IMMEDIATE_MAX_ROWS", default=5000)
EXPORT_JOB_EXPIRY_HOURS = env.int("EXPORT_JOB_EXPIRY_HOURS", default=24)
WHITENOISE_USE_FINDERS = not STATIC_ROOT

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated call answers 401 with WWW-Authenticate.
        # Both refuse an account that is deactivated or locked out (accounts/api/authentication).
        "swstation.accounts.api.authentication.AccountTokenAuthentication",
        "swstation.accounts.api.authentication.AccountSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["swstation.core.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "swstation.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "swstation.core.api.openapi.ResponseChoicesSchema",
    "EXCEPTION_HANDLER": "swstation.core.api.exceptions.exception_handler",
    # JSON bounded in size and depth, no NUL characters, errors in Chinese (core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "swstation.core.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SWStation API",
    "DESCRIPTION": "甬社工 — the REST API of a city's network of township social work stations. "
    "Every list is scoped to the caller's jurisdiction.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge image from validator.swagger.io: the page loads nothing from elsewhere (CSP).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or "level" field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "PaymentKindEnum": "swstation.workforce.models.PaymentKind",
        "CertificateLevelEnum": "swstation.workforce.models.CertificateLevel",
        "SupervisorLevelEnum": "swstation.workforce.models.SupervisorLevel",
        "StationKindEnum": "swstation.stations.models.StationKind",
        "RoomKindEnum": "swstation.stations.models.RoomKind",
        "RegionLevelEnum": "swstation.regions.models.RegionLevel",
        "GenderEnum": "swstation.workforce.models.Gender",
        "CaseStageEnum": "swstation.cases.models.CaseStage",
        "ElderlyLevelEnum": "swstation.cases.models.ELDERLY_LEVEL_CHOICES",
        "ProjectStatusEnum": "swstation.projects.models.ProjectStatus",
        "ExitReasonEnum": "swstation.recipients.models.ExitReason",
        # A subsidy's source and a funder's, grant's, contract's tier share one choice set.
        "FundingSourceEnum": "swstation.stations.models.FundingSource",
        "ClassTierEnum": "swstation.workforce.models.ClassTier",
        "GroupStageEnum": "swstation.community.models.GroupStage",
        "ProposalStageEnum": "swstation.community.models.ProposalStage",
        "ProposalOutcomeEnum": "swstation.community.models.ProposalOutcome",
        # A referral's outcome and a proposal's are both "outcome": each its own name.
        "ReferralOutcomeEnum": "swstation.linkage.models.ReferralOutcome",
        # An indicator set's status and an indicator's source: named after their model.
        "IndicatorSetStatusEnum": "swstation.evaluation.models.SetStatus",
        "IndicatorSourceEnum": "swstation.evaluation.models.IndicatorSource",
        # A survey's follow-up by phone or home visit; a course's mode is another "mode".
        "FollowUpModeEnum": "swstation.evaluation.models.surveys.FollowUpMode",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
# A form sent back with errors marks only its wrong fields (core/bootstrap.py).
BOOTSTRAP5 = {"field_renderers": {"default": "swstation.core.bootstrap.FieldRenderer"}}

# Production hardening: on unless DEBUG, each overridable for a TLS-terminating proxy setup.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own ContentSecurityPolicyMiddleware): everything from the
# site itself, since the front-end libraries are served locally (no CDN). Scripts only from
# files, or inline with the request's nonce (nonce="{{ csp_nonce }}": the Swagger page); no
# inline event handlers, no eval. Styles also inline ('unsafe-inline'), on purpose: a few
# templates set a computed width or height, and htmx, Swagger UI and ECharts write style
# attributes; a style cannot run code. Images also as data: URLs (Bootstrap's CSS icons).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# axes.W006: the lockout is per account on purpose. A bureau's whole office sits behind one
# address, so locking by address would lock every colleague out with one careless user.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=["axes.W006"])
CSRF_FAILURE_VIEW = "swstation.core.views.errors.csrf_failure"
# Request sizes (core.middleware.RequestGuardMiddleware answers 413 beyond them): a form or a JSON
# body, and on top of that an import file (.xlsx) uploaded with a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
SWSTATION_IMPORT_MAX_BYTES = env.int("SWSTATION_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# An uploaded import file (kept encrypted while it may be applied) whose job has not ended after
# this many hours is deleted and the job cancelled (core/imports.py, expire_import_jobs).
IMPORT_JOB_EXPIRY_HOURS = env.int("IMPORT_JOB_EXPIRY_HOURS", default=24)

# An instance that serves the demo city (scripts/start): the demo command may create its
# well-known accounts, and every page says that the data is made up. Never on in production.
# Without it the demo is refused unless DEBUG is on.
SWSTATION_DEMO = env.bool("SWSTATION_DEMO", default=False)
SWSTATION_DEMO_PASSWORD = env.str("SWSTATION_DEMO_PASSWORD", default="swstation-demo")
SWSTATION_SITE_NAME = _("SWStation")
# The Django admin is not scoped by jurisdiction: it is routed only when asked for.
ADMIN_ENABLED = env.bool("ADMIN_ENABLED", default=False)
ADMIN_URL = env.str("ADMIN_URL", default="admin/")
# The OpenAPI schema (/api/schema/) and its Swagger page (/api/docs/) need a login unless this
# is on.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
# Keys for personal data (core/crypto.py): Fernet keys, newest first (the first encrypts, every
# one decrypts: rotation with `rotate_personal_data_keys`), and the HMAC key of the lookup
# hashes. Required with DEBUG off (a system check fails without them); empty with DEBUG on,
# both are derived from SECRET_KEY, for development only.
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])
PERSONAL_DATA_HASH_KEY = env.str("PERSONAL_DATA_HASH_KEY", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A 403 or 404 is one line; only a server error (5xx) is logged with its traceback.
    "filters": {
        "client_errors_without_traceback": {
            "()": "swstation.core.log_filters.ClientErrorsWithoutTraceback"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["client_errors_without_traceback"]},
    },
}
