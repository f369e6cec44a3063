"""Settings come from the environment (12-factor).

In development the secrets are generated once into the ignored file `.env.local`
so that `make run` works on a fresh clone; with FANGKONG_ENV=production every
secret must come from the real environment and nothing is generated.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_ENV_FILE = BASE_DIR / ".env.local"
PRODUCTION = os.environ.get("FANGKONG_ENV", "development") == "production"


def _read_env_file(path):
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith("#"):
                values[key.strip()] = value.strip()
    return values


def _development_secrets():
    """Generate the development secrets once; later runs (and the encrypted data) reuse them."""
    values = _read_env_file(LOCAL_ENV_FILE)
    if not {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_HMAC_KEY"} <= values.keys():
        values = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "FIELD_HMAC_KEY": secrets.token_urlsafe(32),
        }
        tmp = LOCAL_ENV_FILE.with_suffix(f".{os.getpid()}")
        # Readable by the owner only: it holds the key to every encrypted ID number.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(
                "# Development secrets generated on first run. "
                "Never commit; never use in production.\n"
                + "".join(f"{k}={v}\n" for k, v in values.items())
            )
        # Two processes starting at once must agree on one key, so the first file wins.
        try:
            os.link(tmp, LOCAL_ENV_FILE)
        except FileExistsError:
            values = _read_env_file(LOCAL_ENV_FILE)
        finally:
            tmp.unlink()
    return values


ENV = os.environ if PRODUCTION else {**_development_secrets(), **os.environ}


def _required(name):
    """A secret the product cannot start without; its absence is said in a sentence."""
    value = ENV.get(name, "")
    if not value:
        # SystemExit: the operator reads one sentence, not a traceback through Django.
        raise SystemExit(
            f"The environment variable {name} is not set. In production every secret comes "
            f"from the environment: see docs/deployment.md for how to generate {name}."
        )
    return value


SECRET_KEY = _required("SECRET_KEY")
FIELD_ENCRYPTION_KEY = _required("FIELD_ENCRYPTION_KEY")
# Keys replaced by FIELD_ENCRYPTION_KEY that still decrypt until `rotate_field_key` has run.
FIELD_ENCRYPTION_OLD_KEYS = [
    k for k in ENV.get("FIELD_ENCRYPTION_OLD_KEYS", "").split(",") if k.strip()
]
FIELD_HMAC_KEY = _required("FIELD_HMAC_KEY")
DEBUG = not PRODUCTION and ENV.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in ENV.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in ENV.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "fangkong.admin.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "fangkong.libraryapps.AxesConfig",
    "django_tasks",
    "fangkong.libraryapps.TasksDatabaseConfig",
    "fangkong.areas",
    "fangkong.people",
    "fangkong.audit",
    "fangkong.monitoring",
    "fangkong.verification",
    "fangkong.reports",
    "fangkong.response",
    "fangkong.checkpoints",
    "fangkong.tracing",
    "fangkong.quarantine",
    "fangkong.workforce",
    "fangkong.care",
    "fangkong.visits",
    "fangkong.directives",
    "fangkong.notices",
    "fangkong.gatherings",
    "fangkong.elections",
    "fangkong.training",
    "fangkong.vaccination",
    "fangkong.facilities",
    "fangkong.supplies",
    "fangkong.subsidies",
    "fangkong.commendations",
    "fangkong.notifications",
    "fangkong.tokens",
    "fangkong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the two below: they keep whitenoise's caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fangkong.middleware.ContentSecurityPolicyMiddleware",
    "fangkong.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fangkong.middleware.ChosenLanguageMiddleware",
    "fangkong.middleware.NulQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "fangkong.middleware.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "fangkong.urls"
WSGI_APPLICATION = "fangkong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fangkong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fangkong.areas.context_processors.navigation",
                "fangkong.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        ENV.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one request writes; the wait avoids "database is locked".
    # A page cache of up to 128 MiB a connection (taken as used; SQLite's default is 2 MiB):
    # a re-ranking that changes 10⁴ people of a million spilled its dirty pages to the WAL
    # mid-transaction with the default, 0.9–1.1 s against 0.7 s (bench/tracing_graph.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The connection is kept between requests (CONN_MAX_AGE above), as on PostgreSQL: opening
    # one reads the whole schema again, 2.4 ms of a logged-in page's 5.8 (bench/RESULTS.md).
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's cursors bind parameters in the client and are never prepared; the few
    # statements of `fangkong.rows.fetchone/fetchall` are, once per connection, when this is set
    # (psycopg prepares nothing when it is None, Django's default).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (resident imports) runs as tasks in the database, picked up by `manage.py db_worker`
# (`make run` starts one); no broker to install. FANGKONG_TASKS=immediate runs them in the
# request instead, as the tests do.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if ENV.get("FANGKONG_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Health checks: the local time each check of a day is due by, for plans checked once or
# twice a day. A check not recorded by then is missed (漏报).
FANGKONG_CHECK_DUE_TIMES = {1: ("20:00",), 2: ("12:00", "20:00")}
# Missed checks of one plan within the last three days that put it on the community
# worker's list as well as the grid worker's.
FANGKONG_MISSES_TO_ESCALATE = 2
# Minutes a background job may go without a sign of life before it is failed as interrupted
# (its worker died), to be retried or cancelled (`manage.py recover_jobs`).
FANGKONG_JOB_TIMEOUT_MINUTES = int(ENV.get("FANGKONG_JOB_TIMEOUT_MINUTES", "15"))
# Days after a plan's last monitored day before `manage.py purge_monitoring` deletes it.
FANGKONG_MONITORING_RETENTION_DAYS = int(ENV.get("FANGKONG_MONITORING_RETENTION_DAYS", "180"))
# The earliest day the product holds records of (YYYY-MM-DD): report days, checks and the
# audit trail are read and sent from it to today (fangkong/dates.py has every date window).
FANGKONG_FIRST_DAY = ENV.get("FANGKONG_FIRST_DAY", "2020-01-01")

# Risk levels: after how many days without a new case the system proposes a step down
# (high → medium, medium → low; the ninth edition's 7 and 3). A supervisor confirms it.
FANGKONG_STEP_DOWN_HIGH_DAYS = int(ENV.get("FANGKONG_STEP_DOWN_HIGH_DAYS", "7"))
FANGKONG_STEP_DOWN_MEDIUM_DAYS = int(ENV.get("FANGKONG_STEP_DOWN_MEDIUM_DAYS", "3"))

# Checkpoints: the temperature from which a passage raises a gate alert (the ninth edition's
# 37.3 ℃, the monitoring categories' default), and the function that gives a person's
# health-code colour (fangkong/checkpoints/health_codes.py: by default, as the staff attest).
FANGKONG_GATE_FEVER_AT = ENV.get("FANGKONG_GATE_FEVER_AT", "37.3")
FANGKONG_HEALTH_CODE_VERIFIER = ENV.get(
    "FANGKONG_HEALTH_CODE_VERIFIER", "fangkong.checkpoints.health_codes.attested"
)
# Plan documents and task evidence (PDF, Word, images): their size limit, and where uploads
# are kept (served only through the scoped download views, never as public media).
FANGKONG_UPLOAD_MAX_MB = int(ENV.get("FANGKONG_UPLOAD_MAX_MB", "20"))
MEDIA_ROOT = ENV.get("MEDIA_ROOT") or str(BASE_DIR / "media")

# Daily reports: how long before a level's deadline `manage.py send_reminders` tells the
# workers of areas that have not reported, and the channels that carry it beyond the app
# (dotted paths of classes with `send(user, notification)`; see fangkong/notifications).
FANGKONG_REPORT_REMINDER_MINUTES = int(ENV.get("FANGKONG_REPORT_REMINDER_MINUTES", "60"))
FANGKONG_NOTIFICATION_CHANNELS = [
    path
    for path in ENV.get(
        "FANGKONG_NOTIFICATION_CHANNELS", "fangkong.notifications.channels.ConsoleChannel"
    ).split(",")
    if path
]
# Hours an API token works after it is issued (fangkong.tokens).
FANGKONG_TOKEN_HOURS = int(ENV.get("FANGKONG_TOKEN_HOURS", "12"))
# What `manage.py send_reminders` runs: functions of the moment that return how many they told.
FANGKONG_REMINDERS = [
    "fangkong.reports.reminders.send_report_reminders",
    "fangkong.verification.reminders.send_overdue_reminders",
    "fangkong.checkpoints.passes_services.raise_overdue",
    "fangkong.care.services.escalate_overdue",
    "fangkong.visits.reminders.send_visit_reminders",
    "fangkong.directives.reminders.send_directive_reminders",
    "fangkong.notifications.texts.send_due",
]
# Text messages to residents (短信: a voter's slip …): the backend that carries them, as
# Django's EMAIL_BACKEND (fangkong/notifications/sms.py, docs/sms.md): the console's in
# development (masked numbers on the server's output), LocmemBackend in tests,
# HttpGatewayBackend in production, described by FANGKONG_SMS_GATEWAY (JSON: URL,
# credentials, the body's template, what a success answers).
FANGKONG_SMS_BACKEND = ENV.get("FANGKONG_SMS_BACKEND", "fangkong.notifications.sms.ConsoleBackend")
FANGKONG_SMS_GATEWAY = json.loads(ENV.get("FANGKONG_SMS_GATEWAY") or "{}")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fangkong.scope.PasswordBackend",
    "fangkong.scope.RoleBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(ENV.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# The product's catalogue first; then the libraries' messages their own zh_Hans catalogues lack.
LOCALE_PATHS = [
    BASE_DIR / "fangkong" / "locale",
    BASE_DIR / "fangkong" / "locale_libraries",
    # The API schema's descriptions (docstrings), read by fangkong.apibase.translate_descriptions.
    BASE_DIR / "fangkong" / "locale_api",
]
# ISO first among the date input formats, so date inputs show their values (fangkong/formats).
FORMAT_MODULE_PATH = ["fangkong.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production and `make run` collect static files here (`collectstatic`) and serve them with
# hashed names, compressed and cached for a year; `make dev` and the tests serve them from
# their sources.
STATIC_ROOT = ENV.get("STATIC_ROOT") or (BASE_DIR / "staticfiles" if PRODUCTION else None)
WHITENOISE_USE_FINDERS = not STATIC_ROOT
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "fangkong" / "static",
    # Installed by `npm ci` from the committed lockfile; served by the app, never from a CDN.
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_ROOT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its "Token" challenge makes a refused or missing token a 401.
        "fangkong.tokens.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The browsable API is a development aid; production answers JSON only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PAGINATION_CLASS": "fangkong.pagination.CappedPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A record not found answers DRF's own message, in the user's language.
    "EXCEPTION_HANDLER": "fangkong.apibase.exception_handler",
}
FANGKONG_PUBLIC_API_DOCS = ENV.get("FANGKONG_PUBLIC_API_DOCS") == "1"
SPECTACULAR_SETTINGS = {
    # In the user's language on the docs page; `make schema` writes the default (zh-hans).
    "TITLE": _("Fangkong API"),
    "DESCRIPTION": _(
        "Village and community epidemic prevention and control. Every list is limited to the "
        "caller's area scope; records outside it answer 404."
    ),
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page describe a system holding personal data: logged-in users
    # only, unless the installation chooses to publish them.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if FANGKONG_PUBLIC_API_DOCS
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fangkong.apibase.translate_descriptions",
    ],
    "ENUM_NAME_OVERRIDES": {
        "BuildingKindEnum": "fangkong.areas.models.Building.Kind",
        "ServiceChannelEnum": "fangkong.care.models.Channel",
        "SymptomOutcomeEnum": "fangkong.care.models.SymptomReport.Outcome",
        "RoleKindEnum": "fangkong.areas.models.RoleKind",
        "LevelEnum": "fangkong.areas.models.Level",
        "KeyGroupKindEnum": "fangkong.people.models.KeyGroup.Kind",
        "RiskLevelEnum": "fangkong.response.models.RiskLevel",
        "PlanLevelEnum": "fangkong.response.models.PLAN_LEVELS",
        "ResidentStatusEnum": "fangkong.people.models.Resident.Status",
        "CheckpointKindEnum": "fangkong.checkpoints.models.Checkpoint.Kind",
        "GateAlertDispositionEnum": "fangkong.checkpoints.models.GateAlert.Disposition",
        "AlertDispositionEnum": "fangkong.monitoring.models.Alert.Disposition",
        "PassageResultStatusEnum": "fangkong.checkpoints.serializers.BATCH_STATUSES",
        "AreaTraitKindEnum": "fangkong.response.models.AreaTrait.Kind",
        "VisitKindEnum": "fangkong.visits.models.Visit.Kind",
        "CareVisitKindEnum": "fangkong.visits.models.CareVisit.Kind",
        "CareGroupEnum": "fangkong.visits.models.CARE_GROUP_CHOICES",
        "VisitOutcomeEnum": "fangkong.visits.models.Visit.Outcome",
        "PassKindEnum": "fangkong.checkpoints.models.Pass.Kind",
        "TracingCategoryEnum": "fangkong.tracing.models.Category",
        "CaseSourceEnum": "fangkong.tracing.models.Case.Source",
        "ContactStatusEnum": "fangkong.tracing.models.Contact.Status",
        "CaseImportStatusEnum": "fangkong.tracing.models.CaseImport.Status",
        "TracingTaskStateEnum": "fangkong.tracing.filters.TASK_STATES",
        "QuarantineKindEnum": "fangkong.quarantine.quarantines.Quarantine.Kind",
        "RoomStateEnum": "fangkong.quarantine.models.Room.State",
        "QuarantineCategoryEnum": "fangkong.quarantine.models.Category",
        "TestResultEnum": "fangkong.quarantine.quarantines.TestResult.Result",
        "VerificationResultEnum": "fangkong.verification.models.Result",
        "ImportJobStateEnum": "fangkong.people.models.ImportJob.State",
        "NoticeKindEnum": "fangkong.notices.models.Notice.Kind",
        "GatheringKindEnum": "fangkong.gatherings.models.Gathering.Kind",
        "AwardLevelEnum": "fangkong.commendations.models.AwardLevel",
        "SubsidyPeriodEnum": "fangkong.subsidies.models.Period",
        "MeetingKindEnum": "fangkong.gatherings.models.Meeting.Kind",
        "StockMovementKindEnum": "fangkong.supplies.models.StockMovement.Kind",
        "DeclarationDecisionEnum": "fangkong.elections.models.HealthDeclaration.Decision",
        "DeclarationHealthCodeEnum": "fangkong.elections.models.HealthDeclaration.Code",
        "CountingWitnessEnum": "fangkong.elections.models.Election.Witness",
        "SpecialVotingMethodEnum": "fangkong.elections.models.Voter.Method",
        "FacilityKindEnum": "fangkong.facilities.models.Facility.Kind",
        "TrainingKindEnum": "fangkong.training.models.Training.Kind",
        "TrainingCategoryEnum": "fangkong.training.models.Training.Category",
    },
}

# No log line of the product carries a query string (a list's filter may hold a name; an
# old link a whole number): the console handler drops them, and runserver's request lines
# (`django.server`) go through it too. Production's access log is gunicorn's
# (deploy/gunicorn.conf.py), which logs paths only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "fangkong.logfilters.NoQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SESSION_ENGINE = "fangkong.sessions"  # Django's database sessions, read in one statement
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every answer (fangkong.middleware.ContentSecurityPolicyMiddleware;
# the shape of Django 6's SECURE_CSP, so that its middleware can replace ours). Scripts and
# styles come from our own static files only: no inline <script>, no on*= handlers, no
# style= attributes (site.css has the classes); htmx is told not to inject its indicator
# <style> (base.html's htmx-config). data: images are Bootstrap's SVG icons (and QR codes).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = ENV.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
