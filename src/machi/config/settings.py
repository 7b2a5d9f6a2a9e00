"""Settings for machi, read from environment variables only.

Every variable is documented in ``deploy/env.example``. The defaults give the embedded
mode used by ``make demo``: SQLite under ``var/``, local-memory cache, tasks run
in-process. Production sets ``MACHI_PRODUCTION=true`` and the real services.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

PRODUCTION = env.bool("MACHI_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)

# An empty key is replaced by a marked development key; the system check machi.E001
# refuses it in production so that a forgotten secret stops start-up.
INSECURE_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production-machi-0000"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or INSECURE_DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The tenant used when the request's host matches no municipality's domain.
MACHI_DEFAULT_MUNICIPALITY_CODE = env.str("MACHI_DEFAULT_MUNICIPALITY_CODE", default="242101")

INSTALLED_APPS = [
    "machi.core",
    "machi.core.admin_apps.MachiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "machi.plan",
    "machi.procedures",
    "machi.casework",
    "machi.assistant",
    "machi.opendata",
    "machi.notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "machi.core.middleware.MunicipalityMiddleware",
    "machi.core.middleware.PrivatePagesMiddleware",
    "machi.core.input_guard.InputGuardMiddleware",
]

ROOT_URLCONF = "machi.config.urls"
WSGI_APPLICATION = "machi.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "machi.core.context_processors.municipality",
            ],
            # {% lang_of %} and |ja mark staff-written Japanese on English pages.
            "builtins": ["machi.core.templatetags.content"],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'machi.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis is an optimisation: when it does not answer within the timeouts, each process
    # serves the cache from its own memory (machi.core.resilient_cache).
    _redis_timeout = env.float("MACHI_CACHE_TIMEOUT_SECONDS", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "machi.core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("MACHI_CACHE_PREFIX", default="machi"),
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
                "retry_seconds": env.float("MACHI_CACHE_RETRY_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:mypage"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: residents sign in with e-mail and password; staff add TOTP.
ACCOUNT_ADAPTER = "machi.core.auth_adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "machi.core.auth_adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("MACHI_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed sign-ins: 20 a minute from one client address across all accounts, and 5 in five
# minutes for one account from one address (the adapter makes "key" account + address, so
# nobody can lock an account they do not hold); a password reset lifts the lock
# (docs/architecture.md, Identity).
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,5/300s/key"}
# Behind nginx, the client address is in X-Forwarded-For; without this every resident
# would share the proxy's address and its rate limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("MACHI_TRUSTED_PROXY_COUNT", default=0)
# machi's own limits (machi.core.ratelimit, django-ratelimit) count the same address. The
# app is not installed: its system check knows no cache that falls back like ours.
RATELIMIT_IP_META_KEY = "machi.core.client_address.client_ip"
# A counter lost between add and incr (a key expiring) lets the request through.
RATELIMIT_FAIL_OPEN = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MACHI_MFA_ISSUER", default="machi")
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
# デジタル認証アプリ shares no e-mail address: residents sign up without one (the adapter
# stores "<sub>@oidc.invalid") and that placeholder is never sent a confirmation.
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"

# A generic OpenID Connect provider for residents (デジタル認証アプリ-compatible).
OIDC_ISSUER = env.str("MACHI_OIDC_ISSUER", default="")
# The demo's sandbox provider (machi.core.sandbox_idp: made-up people, no card); the pages
# then say it is a test. Refused in production (check machi.E004).
OIDC_SANDBOX = env.bool("MACHI_OIDC_SANDBOX", default=False)
OIDC_PROVIDER_ID = env.str("MACHI_OIDC_PROVIDER_ID", default="digital-auth")
OIDC_SCOPES = env.list(
    "MACHI_OIDC_SCOPES", default=["openid", "name", "address", "birthdate", "gender"]
)
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {"openid_connect": {"APPS": []}}
if OIDC_ISSUER:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": env.str("MACHI_OIDC_NAME", default="")
            or (_("Sandbox sign-in (test only)") if OIDC_SANDBOX else "デジタル認証アプリ"),
            "client_id": env.str("MACHI_OIDC_CLIENT_ID", default=""),
            "secret": env.str("MACHI_OIDC_CLIENT_SECRET", default=""),
            "settings": {
                "server_url": OIDC_ISSUER,
                "scope": OIDC_SCOPES,
                "token_auth_method": env.str("MACHI_OIDC_TOKEN_AUTH", default="client_secret_post"),
                "oauth_pkce_enabled": True,
            },
        }
    ]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("MACHI_STATIC_ROOT", default=VAR_DIR / "static")
# Built by `npm run build` from the npm packages (design tokens, htmx); not committed.
STATICFILES_DIRS = [BASE_DIR / "assets" / "build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = env.path("MACHI_MEDIA_ROOT", default=VAR_DIR / "media")

# Open data: the largest file staff may upload, and the map tiles under dataset previews
# (地理院タイル by default; any XYZ template with its attribution works).
MACHI_OPENDATA_MAX_UPLOAD_MB = env.int("MACHI_OPENDATA_MAX_UPLOAD_MB", default=200)
MACHI_OPENDATA_VALIDATE_PER_MINUTE = env.int("MACHI_OPENDATA_VALIDATE_PER_MINUTE", default=20)
# Tables kept in memory per process for datastore_search (count and total size).
MACHI_DATASTORE_CACHE_TABLES = env.int("MACHI_DATASTORE_CACHE_TABLES", default=8)
MACHI_DATASTORE_CACHE_MB = env.int("MACHI_DATASTORE_CACHE_MB", default=1024)
MACHI_MAP_TILE_URL = env.str(
    "MACHI_MAP_TILE_URL", default="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
)
MACHI_MAP_ATTRIBUTION = env.str(
    "MACHI_MAP_ATTRIBUTION",
    default='<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Every mail goes through the outbox (ADR 0019): Django's mail API writes notices.Message
# rows in the caller's transaction, and the delivery engine sends them with the backend
# EMAIL_URL names (SMTP in production; the console in the embedded default).
MACHI_DELIVERY_EMAIL_BACKEND: str = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "machi.notices.mail_backend.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@machi.localhost")

# Security headers. HSTS and secure cookies only in production (behind TLS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_HSTS_SECONDS = env.int("MACHI_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("MACHI_SSL_REDIRECT", default=True)
    # Load balancers probe the processes directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# allauth's "Continue" form redirects to the authorization endpoint and Chrome applies
# form-action to that redirect: list its origin when it differs from the issuer's.
OIDC_FORM_ACTION_EXTRA = env.list("MACHI_OIDC_FORM_ACTION_EXTRA", default=[])
_form_action = [SELF, *([OIDC_ISSUER] if OIDC_ISSUER else []), *OIDC_FORM_ACTION_EXTRA]


def _tile_origin(template: str) -> list[str]:
    """The origin of the map tile template for img-src (``{s}`` subdomains become ``*``)."""
    parts = urlsplit(template.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origin(MACHI_MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": _form_action,
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Celery: Redis broker when REDIS_URL is set; the embedded default runs tasks in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not PRODUCTION)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="machi")
CELERY_BEAT_SCHEDULE = {
    "audit-chain-verify-nightly": {
        "task": "core.audit_chain_verify",
        "schedule": crontab(hour=3, minute=15),
    },
    # Notices whose publication time has come are sent; messages due for a retry (every
    # mail of the platform: receipts, status mails, account mails) go out.
    "notices-sweep": {"task": "notices.sweep", "schedule": 60.0},
    # 効果検証 → the DX plan: measure 1-(6)'s KPI from the delivery figures (once per change).
    "notices-plan-kpis-record-daily": {
        "task": "notices.plan_kpis_record",
        "schedule": crontab(hour=3, minute=45),
    },
    # LINE events whose task was lost are answered; events past retention are deleted.
    "assistant-line-events-sweep": {"task": "assistant.line_events_sweep", "schedule": 60.0},
    # FAQ entries whose encoding task was lost (broker down at the time) are encoded.
    "assistant-faq-vectors-sweep": {"task": "assistant.faq_vectors_sweep", "schedule": 600.0},
    "procedures-drafts-purge-nightly": {
        "task": "procedures.drafts_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # Open data by design: regenerate machi's own datasets (a version only on change).
    "opendata-generated-publish-daily": {
        "task": "opendata.generated_publish",
        "schedule": crontab(hour=4, minute=0),
    },
}
CELERY_TASK_EAGER_PROPAGATES = True
# Enqueueing happens after a resident's data is committed and must never hold their
# request: a broker that does not answer costs about a second, then the task is left to
# the sweeps that re-send what was never tried (notices.sweep sends every waiting mail).
# Tasks keep no results; waiting on a result store was what made a broker outage a
# 20-second request.
_broker_timeout = env.float("MACHI_BROKER_TIMEOUT_SECONDS", default=1.0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = _broker_timeout
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": _broker_timeout,
    "socket_timeout": max(_broker_timeout, 2.0),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("MACHI_LOG_LEVEL", default="INFO")},
    # bm25s reports each index build at INFO; catalog indexes are rebuilt on every edit.
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"bm25s": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}


# --- Public JSON API (Django REST framework, OpenAPI by drf-spectacular) ---------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["machi.core.api.JSONParser"],
    "EXCEPTION_HANDLER": "machi.core.api.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "machi.core.api_schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["machi.core.ratelimit.ClientAnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("MACHI_API_ANON_RATE", default="600/min")},
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "machi API",
    "DESCRIPTION": (
        "The JSON APIs of a municipality served by machi: procedures and a signed-in "
        "resident's applications, the DX plan, the inquiry assistant, notices, and open data "
        "(CKAN Action API, file validator). Errors of /api/v1/ have the ApiError body."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "machi.opendata.openapi.opendata_paths",
    ],
}


# --- Online procedures ------------------------------------------------------------------
# Drafts (with their files) are deleted this many days after they were last saved.
MACHI_DRAFT_RETENTION_DAYS = env.int("MACHI_DRAFT_RETENTION_DAYS", default=30)
# All files of one application together; each form field also has its own limit
# (max_size_mb, default 10). Keep nginx's client_max_body_size above this.
MACHI_UPLOAD_TOTAL_MB = env.int("MACHI_UPLOAD_TOTAL_MB", default=30)
# Called with submission= inside the transaction that stores a new submission (the
# back office registers its case here).
MACHI_SUBMISSION_HANDOFF: list[str] = ["machi.casework.services.case_open"]
# What other apps add to the home page: each is called with municipality= and returns
# a template name and its context (the latest notices, for one), or None to show nothing.
MACHI_HOME_PANELS: list[str] = ["machi.notices.selectors.home_panel"]
# Subscription requests per client address per minute (each mails a confirmation).
MACHI_NOTICE_SUBSCRIBE_PER_MINUTE = env.int("MACHI_NOTICE_SUBSCRIBE_PER_MINUTE", default=5)
# Seconds a worker holds the messages it is sending; if it stops (killed, machine lost),
# another worker sends them once this has passed. Longer than one batch takes to send.
MACHI_DELIVERY_LEASE_SECONDS = env.int("MACHI_DELIVERY_LEASE_SECONDS", default=120)
# Messages per second each channel of the delivery engine may send (0: no limit), e.g.
# what the SMTP relay or LINE allows: MACHI_DELIVERY_RATES=email=50,line=100
MACHI_DELIVERY_RATES: dict[str, float] = {
    channel: float(rate) for channel, rate in env.dict("MACHI_DELIVERY_RATES", default={}).items()
}
# Connections one worker keeps open per channel and sends over at the same time: a relay
# answers each mail after a round trip, and the worker prepares the next meanwhile.
# MACHI_DELIVERY_LANES=email=4 (1: one after another).
MACHI_DELIVERY_LANES: dict[str, int] = {
    "email": 4,
    **{
        channel: int(lanes)
        for channel, lanes in env.dict("MACHI_DELIVERY_LANES", default={}).items()
    },
}
# Web Push (VAPID, RFC 8292): the P-256 private key that signs every push (base64url, raw
# 32 bytes or DER), required in production (check machi.E006; the embedded default keeps
# one in var/), and the contact push services may write to about it (mailto: or https:).
MACHI_WEBPUSH_VAPID_PRIVATE_KEY = env.str("MACHI_WEBPUSH_VAPID_PRIVATE_KEY", default="")
MACHI_WEBPUSH_SUBJECT = env.str("MACHI_WEBPUSH_SUBJECT", default="mailto:webmaster@machi.localhost")
# Host names of the push services browsers use (a name, or ".suffix" for its subdomains):
# a push subscription naming another host is refused, so the platform never posts to an
# address a visitor made up (an internal server, say).
MACHI_WEBPUSH_PUSH_SERVICES = env.list(
    "MACHI_WEBPUSH_PUSH_SERVICES",
    default=[
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        ".notify.windows.com",
        ".push.apple.com",
    ],
)
# The same for the back-office home: each is called with user= and municipality= and
# returns a card's template and its context, or None when the card is not for this user.
MACHI_STAFF_HOME_CARDS: list[str] = ["machi.notices.selectors.staff_home_card"]
# The same for a resident's マイページ: each is called with user= and municipality= and
# returns a section's template and its context, or None to show nothing.
MACHI_MYPAGE_SECTIONS: list[str] = ["machi.notices.selectors.mypage_section"]


# --- Issued documents -------------------------------------------------------------------
# The Ed25519 private key (32 bytes, base64) that signs issued documents. Required in
# production (system check machi.E003); the embedded default keeps one in var/.
MACHI_DOCUMENT_SIGNING_KEY = env.str("MACHI_DOCUMENT_SIGNING_KEY", default="")


# --- Inquiry assistant ------------------------------------------------------------------
# Questions one client address may ask per minute (web chat and API); more get 429.
MACHI_ASSISTANT_QUESTIONS_PER_MINUTE = env.int("MACHI_ASSISTANT_QUESTIONS_PER_MINUTE", default=30)
# Sentence encoders of the semantic channel (docs/assistant.md): "use" (a few ms a
# question), "e5" (about 15 ms); empty for lexical search only, e.g. on a small server.
MACHI_ASSISTANT_ENCODERS = env.list("MACHI_ASSISTANT_ENCODERS", default=["use", "e5"])
# Threads an encoder may use per process (web workers answer one question each).
MACHI_ASSISTANT_ENCODER_THREADS = env.int("MACHI_ASSISTANT_ENCODER_THREADS", default=1)
# LINE Messaging API base URL (replies); tests point it at a local stand-in.
MACHI_LINE_API_BASE = env.str("MACHI_LINE_API_BASE", default="https://api.line.me")
