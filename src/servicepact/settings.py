"""The one settings module, configured from environment variables (see README, Configuration)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from servicepact import environment as env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.get_data_dir("SERVICEPACT_DATA_DIR", "./var")

SECRET_KEY = env.get_secret_key("SERVICEPACT_SECRET_KEY", DATA_DIR)
# The provider's Ed25519 key that signs checkpoints of the event logs (docs/checkpoints.md).
SERVICEPACT_CHECKPOINT_KEY_FILE = env.get_signing_key_file("SERVICEPACT_CHECKPOINT_KEY_FILE", DATA_DIR)
DEBUG = env.get_bool("SERVICEPACT_DEBUG", False)
ALLOWED_HOSTS = env.get_list("SERVICEPACT_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("SERVICEPACT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "servicepact.accounts",
    "servicepact.contracts",
    "servicepact.desk",
    "servicepact.slm",
    "servicepact.imports",
    "servicepact.capacity",
    "servicepact.dashboards",
    "servicepact.billing",
    "servicepact.history",
    "servicepact.cmdb",
    "servicepact.changes",
    "servicepact.mailin",
    "servicepact.surveys",
    "servicepact.knowledge",
    "servicepact.catalog",
    "servicepact.problems",
    "servicepact.major_incidents",
    "servicepact.availability",
    "servicepact.continuity",
    "servicepact.notify",
    "servicepact.rosters",
    "servicepact.oncall",
    "servicepact.webhooks",
    "servicepact.evidence",
    "servicepact.idempotency",
    "servicepact.runtime",
    "servicepact.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicepact.accounts.middleware.SingleSignOnLogoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "servicepact.accounts.middleware.TwoFactorMiddleware",
    "servicepact.accounts.middleware.PersonalPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicepact.urls"
WSGI_APPLICATION = "servicepact.wsgi.application"
ASGI_APPLICATION = "servicepact.asgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

_database_url = env.get_database_url("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "servicepact.sqlite3",
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Requests one web process serves at once (granian's blocking threads; docs/operations.md, Sizing). SQLite
# writes one at a time, so more threads there only wait for its lock and lengthen the slowest answers.
SERVICEPACT_WEB_THREADS = env.get_int(
    "SERVICEPACT_WEB_THREADS", 1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 4, minimum=1
)

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "servicepact.accounts.sso.IdentityProviderBackend",
    "servicepact.accounts.directory.DirectoryBindBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling and lockout (servicepact/accounts/lockout.py): per account and per client address.
AXES_FAILURE_LIMIT = env.get_int("SERVICEPACT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("SERVICEPACT_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# The order matters to servicepact.accounts.lockout.LockoutHandler: the account, then the address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "servicepact.accounts.lockout.LockoutHandler"
SERVICEPACT_LOGIN_ADDRESS_FAILURE_LIMIT = env.get_int("SERVICEPACT_LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
# The login form's field is "username" (holding the e-mail address), whatever the user model calls it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "servicepact.accounts.lockout.login_username"
AXES_CLIENT_IP_CALLABLE = "servicepact.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "servicepact.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# No start-up banner on every command's standard error; failed logins are still logged.
AXES_VERBOSE = False
# How many reverse proxies of one's own add to X-Forwarded-For in front of the service (0: none).
SERVICEPACT_TRUSTED_PROXIES = env.get_int("SERVICEPACT_TRUSTED_PROXIES", 0, minimum=0)
# Requests a minute that one API token may send (servicepact/accounts/throttling.py).
SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE = env.get_int("SERVICEPACT_API_TOKEN_REQUESTS_PER_MINUTE", 600, minimum=1)
# Two-factor authentication (servicepact/accounts/two_factor.py): the name authenticator apps show, and
# what an identity provider's ID token must say (amr or acr) for its session to count as verified.
OTP_TOTP_ISSUER = env.get_str("SERVICEPACT_TOTP_ISSUER", "servicepact")
SERVICEPACT_OIDC_SECOND_FACTOR_AMR = env.get_list("SERVICEPACT_OIDC_SECOND_FACTOR_AMR", ["mfa", "otp", "hwk", "swk"])
SERVICEPACT_OIDC_SECOND_FACTOR_ACR = env.get_list("SERVICEPACT_OIDC_SECOND_FACTOR_ACR", [])
# Passkeys (servicepact/accounts/passkeys.py): a second factor only; the relying party is the service's host
# name and the accepted origins the request's own, unless these say otherwise (behind a proxy, several names).
SERVICEPACT_WEBAUTHN_RP_ID = env.get_str("SERVICEPACT_WEBAUTHN_RP_ID", "")
SERVICEPACT_WEBAUTHN_ORIGINS = env.get_list("SERVICEPACT_WEBAUTHN_ORIGINS", [])
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_RP_ID_CALLABLE = "servicepact.accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "servicepact.accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# What django-otp-webauthn's start-up check reads; the helper above decides per request.
OTP_WEBAUTHN_ALLOWED_ORIGINS = SERVICEPACT_WEBAUTHN_ORIGINS or [
    "{0.scheme}://{0.netloc}".format(urlsplit(env.get_str("SERVICEPACT_BASE_URL", "http://localhost:8000")))
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Background tasks (docs/operations.md, Several workers): the database queue by default, where a task is
# written in the transaction of the change that caused it; RQ on Redis for large sites.
SERVICEPACT_REDIS_URL = env.get_redis_url("SERVICEPACT_REDIS_URL")
TASKS = {
    "default": {
        "BACKEND": env.get_choice(
            "SERVICEPACT_TASKS_BACKEND",
            "database",
            {
                "database": "django_tasks_db.DatabaseBackend",
                "django_tasks_db.databasebackend": "django_tasks_db.DatabaseBackend",
                "rq": "servicepact.runtime.rq_backend.RQBackend",
            },
        ),
    }
}
if TASKS["default"]["BACKEND"].endswith("RQBackend") and not SERVICEPACT_REDIS_URL:
    raise env.ConfigurationError("SERVICEPACT_TASKS_BACKEND=rq needs SERVICEPACT_REDIS_URL")
if SERVICEPACT_REDIS_URL:
    # Shared by every web process and worker: the cache, sessions (read from Redis, kept in the database)
    # and RQ's queues.
    INSTALLED_APPS += ["django_rq"]
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SERVICEPACT_REDIS_URL,
            "KEY_PREFIX": "servicepact",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    RQ_QUEUES = {"default": {"URL": SERVICEPACT_REDIS_URL}}
# Sweeps of the live clocks are split into this many tasks, which several workers run at once.
SERVICEPACT_SWEEP_SHARDS = env.get_int("SERVICEPACT_SWEEP_SHARDS", 1, minimum=1)

EMAIL_HOST = env.get_str("SERVICEPACT_SMTP_HOST", "localhost")
EMAIL_PORT = env.get_int("SERVICEPACT_SMTP_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env.get_str("SERVICEPACT_MAIL_FROM", "servicepact@localhost")
# The address people reach the service at, for links in mail (a page's answer link).
SERVICEPACT_BASE_URL = env.get_str("SERVICEPACT_BASE_URL", "http://localhost:8000")

# HTTPS (docs/operations.md, Production configuration). SERVICEPACT_HTTPS says the service is reached
# over HTTPS, directly or through a TLS proxy; secure cookies, the redirect to HTTPS and HSTS follow from it
# unless set one by one.
SERVICEPACT_HTTPS = env.get_bool("SERVICEPACT_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.get_bool("SERVICEPACT_SECURE_COOKIES", SERVICEPACT_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.get_bool("SERVICEPACT_SSL_REDIRECT", SERVICEPACT_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe it over plain HTTP
SECURE_HSTS_SECONDS = env.get_int("SERVICEPACT_HSTS_SECONDS", 365 * 24 * 3600 if SERVICEPACT_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SERVICEPACT_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.get_bool("SERVICEPACT_HSTS_PRELOAD", False)
# The header a TLS proxy sets to "https" (X-Forwarded-Proto): only when the proxy always sets or replaces it.
SECURE_PROXY_SSL_HEADER = env.get_proxy_ssl_header("SERVICEPACT_PROXY_SSL_HEADER")
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts, styles and everything else from this origin only; no
# inline script, inline style or eval (tests/test_content_security.py checks every template).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The API's documentation (/api/docs, /api/openapi.json) without signing in; by default it needs a session
# or an API token, like the API itself.
SERVICEPACT_API_DOCS_PUBLIC = env.get_bool("SERVICEPACT_API_DOCS_PUBLIC", False)

# Attachments: the largest accepted file and the content types accepted.
SERVICEPACT_ATTACHMENT_MAX_BYTES = env.get_int("SERVICEPACT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
SERVICEPACT_ATTACHMENT_TYPES = env.get_list(
    "SERVICEPACT_ATTACHMENT_TYPES",
    [
        "text/plain",
        "text/csv",
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "application/zip",
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
)
# How long after resolution a requester may reopen a ticket, in hours.
SERVICEPACT_REOPEN_WINDOW_HOURS = env.get_int("SERVICEPACT_REOPEN_WINDOW_HOURS", 120, minimum=0)
# How often the worker's sweep looks at time-driven clock changes, in seconds.
SERVICEPACT_SWEEP_SECONDS = env.get_int("SERVICEPACT_SWEEP_SECONDS", 60, minimum=1)
# How often the heads of all event logs are signed into a checkpoint, in hours (also with every stored report).
SERVICEPACT_CHECKPOINT_HOURS = env.get_int("SERVICEPACT_CHECKPOINT_HOURS", 24, minimum=1)
# How long a running task stays its worker's without a heartbeat before another worker runs it again.
SERVICEPACT_TASK_LEASE_SECONDS = env.get_int("SERVICEPACT_TASK_LEASE_SECONDS", 120, minimum=1)
# How long a worker told to stop (SIGTERM) lets its task finish before putting it back in the queue.
SERVICEPACT_WORKER_STOP_SECONDS = env.get_int("SERVICEPACT_WORKER_STOP_SECONDS", 5, minimum=0)
# How much lower than the web's the worker's processor priority is (nice); 0 keeps it equal.
SERVICEPACT_WORKER_NICE = env.get_int("SERVICEPACT_WORKER_NICE", 10, minimum=0)
# How long a message being sent stays its sender's before another may send it (its sender died meanwhile).
SERVICEPACT_MAIL_LEASE_SECONDS = env.get_int("SERVICEPACT_MAIL_LEASE_SECONDS", 600, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "servicepact.runtime.logs.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": env.get_str("SERVICEPACT_LOG_LEVEL", "INFO")},
    # PDF rendering logs every step at INFO, the task queue every task, the scheduler every turn and
    # django-axes every login; only their problems (a failed task, a lockout) are worth a line.
    "loggers": {
        name: {"level": "WARNING"}
        for name in (
            "weasyprint",
            "fontTools",
            "django_tasks",
            "django_tasks_db",
            "servicepact.runtime.scheduler",
            "axes",
        )
    },
}
