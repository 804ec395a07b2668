"""Settings for naikkelas. Every value comes from the environment, with safe development defaults."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value not in {"true", "false", "1", "0", "yes", "no"}:
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")
    return value in {"true", "1", "yes"}


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def cache_config(url: str) -> dict:
    """The default cache: local memory when no URL is given (one process), else Redis, which
    every gunicorn worker shares (API rate limits must be counted once, not per worker)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"NAIKKELAS_CACHE_URL must be a redis:// URL, not {url!r}")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "KEY_PREFIX": "naikkelas"}


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("NAIKKELAS_DEBUG", "true")
SECRET_KEY = os.environ.get("NAIKKELAS_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("NAIKKELAS_SECRET_KEY must be set when NAIKKELAS_DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-naikkelas-do-not-use-in-production"
ALLOWED_HOSTS = envlist("NAIKKELAS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("NAIKKELAS_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "template_partials",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "naikkelas.core",
    "naikkelas.accounts",
    "naikkelas.wilayah",
    "naikkelas.kbli",
    "naikkelas.enterprises",
    "naikkelas.sentra",
    "naikkelas.programs",
    "naikkelas.certifications",
    "naikkelas.financing",
    "naikkelas.linkage",
    "naikkelas.indicators",
    "naikkelas.dashboard",
    "naikkelas.imports",
    "naikkelas.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naikkelas.urls"
WSGI_APPLICATION = "naikkelas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "naikkelas.accounts.context_processors.assignment",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PROJECT_DIR / 'var' / 'naikkelas.sqlite3'}",
        conn_max_age=envint("NAIKKELAS_DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (PROJECT_DIR / "var").mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": cache_config(os.environ.get("NAIKKELAS_CACHE_URL", ""))}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_MIN_LENGTH = envint("NAIKKELAS_PASSWORD_MIN_LENGTH", "10")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "naikkelas.accounts.validators.MixedCharacterValidator"},
]
PASSWORD_HASHERS = envlist(
    "NAIKKELAS_PASSWORD_HASHERS", "django.contrib.auth.hashers.PBKDF2PasswordHasher"
)

# Failed logins: lock the username + address pair after a few failures, for a cool-off period.
AXES_FAILURE_LIMIT = envint("NAIKKELAS_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("NAIKKELAS_LOGIN_COOLOFF_MINUTES", "15") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("NAIKKELAS_SESSION_SECONDS", str(8 * 3600))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]  # the interface is Indonesian for everyone
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("NAIKKELAS_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("NAIKKELAS_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "naikkelas.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["naikkelas.accounts.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("NAIKKELAS_API_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "naikkelas.core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "naikkelas API",
    "DESCRIPTION": "Registri IKM bersama: usaha, data tahunan, wilayah, KBLI dan indikator. "
                   "Setiap token bertindak sebagai penggunanya: cakupan wilayah dan penyamaran "
                   "data pribadi yang sama.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "naikkelas.enterprises.models.Status",
        "SentraStatusEnum": "naikkelas.sentra.models.SentraStatus",
        "DuplicateStatusEnum": "naikkelas.linkage.models.CandidateStatus",
    },
}

# How long a process trusts what it read of an API token and its user. Revoking a token or
# changing its user takes effect at once in the process that did it, and in the other server
# processes within these seconds (0: ask the database on every request).
NAIKKELAS_API_TOKEN_CACHE_SECONDS = envint("NAIKKELAS_API_TOKEN_CACHE_SECONDS", "5")

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}
PAGE_SIZE = envint("NAIKKELAS_PAGE_SIZE", "25")

# Spreadsheet imports: the largest file accepted, and the most a zipped file (.xlsx, .ods) may
# unpack to, so that a decompression bomb is refused before it is opened.
NAIKKELAS_IMPORT_MAX_BYTES = envint("NAIKKELAS_IMPORT_MAX_BYTES", str(50 * 1024 * 1024))
NAIKKELAS_IMPORT_MAX_UNPACKED_BYTES = envint("NAIKKELAS_IMPORT_MAX_UNPACKED_BYTES",
                                             str(1024 * 1024 * 1024))
# Uploaded documents (SK sentra, certificates): PDF, JPG or PNG up to this size.
NAIKKELAS_DOCUMENT_MAX_BYTES = envint("NAIKKELAS_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024))

# Background work (imports, refreshes): the database backend, run by `naikkelas db_worker`.
# The test suite sets NAIKKELAS_TASKS_BACKEND=immediate so that tasks run inline.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("NAIKKELAS_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NAIKKELAS_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# Extension points filled by the domain apps (dependencies point one way: enterprises and
# indicators never import the apps that plug in here).
# Each module has `indicator_section(kode: str, tahun: int) -> dict`, whose keys are merged into
# the indicators of a wilayah and year (e.g. {"sentra": {"terbentuk": 3, "ber_sk": 2}}).
NAIKKELAS_INDICATOR_SECTIONS: list[str] = [
    "naikkelas.programs.indicators",
    "naikkelas.sentra.indicators",
    "naikkelas.certifications.indicators",
    "naikkelas.financing.indicators",
]
# Each module has `timeline_entries(enterprise, user) -> list[TimelineEntry]` for the enterprise's
# timeline of programs, aid, certificates and loans (see naikkelas.enterprises.timeline).
NAIKKELAS_TIMELINE_PROVIDERS: list[str] = [
    "naikkelas.programs.timeline",
    "naikkelas.certifications.timeline",
    "naikkelas.financing.timeline",
    "naikkelas.linkage.timeline",
]

# Aid eligibility: "not the same kind of aid within N years, from any organiser". KIND is
# "program_type" (the same program type is the same aid) or "any" (any earlier aid counts).
NAIKKELAS_AID_RULE_YEARS = envint("NAIKKELAS_AID_RULE_YEARS", "2")
NAIKKELAS_AID_RULE_KIND = os.environ.get("NAIKKELAS_AID_RULE_KIND", "program_type")
if NAIKKELAS_AID_RULE_KIND not in ("program_type", "any"):
    raise ImproperlyConfigured("NAIKKELAS_AID_RULE_KIND must be program_type or any")
# The largest handover document (BAST scan) accepted.
NAIKKELAS_AID_DOCUMENT_MAX_BYTES = envint("NAIKKELAS_AID_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NAIKKELAS_LOG_LEVEL", "WARNING")},
}
