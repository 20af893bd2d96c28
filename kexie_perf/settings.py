"""Settings of kexie_perf.

Everything that differs between a developer's laptop and a server comes from the environment
(see README.md, "Production"). Production is the default: DEBUG is off unless DEBUG=1, and then
SECRET_KEY must be set; ``make run`` sets DEBUG=1 for local development. Tests use
``kexie_perf.settings_test``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)

# Only a developer's machine (DEBUG=1) may run on the built-in key. Anywhere else a known key
# would let anyone forge sessions and signed links, so the site refuses to start without a
# real one (the same rule as Django's deploy check: 50+ characters, not django-insecure-).
_DEV_SECRET_KEY = "django-insecure-kexie-perf-local-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY 未设置或太弱：DEBUG 关闭（正式环境）时必须在环境变量 SECRET_KEY 中提供至少 "
        "50 个字符的随机密钥，例如 python -c 'import secrets; print(secrets.token_urlsafe(64))' "
        "的输出。本地开发请设置 DEBUG=1（make run 已设置）。"
    )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

# The site's address in e-mail links. In production it defaults to https:// and the first
# host in ALLOWED_HOSTS; set SITE_URL when that is not the address people use.
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h not in {"*", ""}), "localhost")
SITE_URL = os.environ.get(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{_first_host}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "formtools",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "declarations",
    "indicators",
    "security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app servers themselves (compressed, cached forever by their
    # hashed names): no separate file server is needed behind the reverse proxy.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "security.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before any form (the CSRF check reads the form too): control characters out.
    "kexie_perf.middleware.ControlCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP and the other response headers, so that its page gets them too.
    "kexie_perf.middleware.MethodNotAllowedPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kexie_perf.urls"

# A declaration of up to 200 indicator rows is about 3,300 fields; the indicator formset
# refuses more than 200 rows with a message (Django's default of 1,000 fields would answer a
# bare 400 past about 60 rows).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

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
            ],
        },
    },
]

WSGI_APPLICATION = "kexie_perf.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction begins and wait for each other, instead
    # of failing with "database is locked" when two saves meet (a double-click on 保存).
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)

# History records are looked at in the admin, never reverted to: a revert would bypass the
# workflow and the version counter (declarations.admin refuses it too).
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTH_USER_MODEL = "declarations.User"

# 等保 level 3: at least 10 characters from 3 of the 4 kinds (lower, upper, digit, symbol), not a
# common password, not all digits, not like the user's name or e-mail. Django's own messages
# for the last three are translated into Chinese; its length check is not, hence ours.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "security.passwords.PasswordStrengthValidator",
        "OPTIONS": {"min_length": 10, "min_classes": 3},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes counts failed log-ins by user name and by address separately: five failures
# lock that account (from anywhere) and that address (for any account) for 30 minutes; the
# count runs as long as each failure comes within 30 minutes of the last. A success does not
# reset it: axes would then also forget the address's failures against other accounts, and
# anyone with an account could guess another's password four times between two log-ins.
AUTHENTICATION_BACKENDS = [
    "security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
# A try while locked does not restart the 30 minutes the page announces.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "security.views.lockout"
AXES_CLIENT_IP_CALLABLE = "security.addresses.client_address"
# axes' admin pages have no Chinese translation; security.admin shows its counters instead.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Security audit records (security.SecurityEvent) and axes' log-in records are kept this many
# days; `manage.py purge_security_records` deletes older ones and refuses fewer than 180.
SECURITY_RECORD_RETENTION_DAYS = int(os.environ.get("SECURITY_RECORD_RETENTION_DAYS", "180"))

# Where `manage.py backup` writes when no --output is given.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database: wizard drafts outgrow cookies and cookie storage fails silently.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# 等保 level 3 idle time-out: a session ends 30 minutes after the last request (renewed by
# security.middleware.SessionRenewalMiddleware, at most once a minute so that a page view is
# not a database write: it ends 29 to 30 minutes after the last request) or when the browser
# closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
# Our own Chinese ahead of Django's: the full-width colon after form labels (locale/).
LOCALE_PATHS = [BASE_DIR / "kexie_perf" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# A server serves what `manage.py collectstatic` gathered, under names that carry a hash of
# the content (so browsers may cache them forever) and pre-compressed; a developer's runserver
# serves the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The Chinese font of PDF exports: AR PL UMing, a Song face like the printed forms (Debian
# package fonts-arphic-uming). "WenQuanYi Micro Hei" (fonts-wqy-microhei) gives files about
# 45 % smaller, in a sans-serif face.
PDF_FONT_FAMILY = os.environ.get("PDF_FONT_FAMILY", "AR PL UMing CN")
# Bounds of PDF rendering (declarations.exports.pdf), per server process: a render is stopped
# after PDF_RENDER_TIMEOUT seconds; at most PDF_MAX_CONCURRENT render at once, and a render
# waits at most PDF_QUEUE_TIMEOUT seconds for its turn. Users are told to retry, with a 503.
PDF_RENDER_TIMEOUT = float(os.environ.get("PDF_RENDER_TIMEOUT", "60"))
PDF_MAX_CONCURRENT = int(os.environ.get("PDF_MAX_CONCURRENT", "2"))
PDF_QUEUE_TIMEOUT = float(os.environ.get("PDF_QUEUE_TIMEOUT", "10"))

# Rendered Excel and PDF files, keyed by a digest of their content (declarations.exports).
# On disk, so that what a background worker pre-renders is what the web processes serve; several
# app servers share it on a common volume (README), or set EXPORT_CACHE_DIR="" for a per-process
# cache in memory.
_export_cache_dir = os.environ.get("EXPORT_CACHE_DIR", str(BASE_DIR / "var" / "exports"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "exports": (
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _export_cache_dir,
            "TIMEOUT": 7 * 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
        if _export_cache_dir
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "exports",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The list indexes carry extra columns (INCLUDE) for index-only pages on PostgreSQL; SQLite,
# the embedded default, builds them without the extra columns, which is all this warns of.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Background jobs (declarations/jobs.py): django-tasks with its database backend. Jobs are rows
# of the application's own database, taken by `manage.py db_worker` processes (on PostgreSQL any
# number of them, on any number of machines, each job by one of them under a row lock): no
# broker to run. TASKS_BACKEND=immediate runs each job at once in the process that starts it.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A failed job is tried at most this many times, JOB_RETRY_DELAY seconds apart, then reported
# to whoever started it with its error in Chinese.
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
JOB_RETRY_DELAY = float(os.environ.get("JOB_RETRY_DELAY", "30"))
# Where finished bulk exports wait for their download, and for how long (hours).
JOB_FILES_DIR = Path(os.environ.get("JOB_FILES_DIR", BASE_DIR / "var" / "jobs"))
JOB_FILES_KEEP_HOURS = int(os.environ.get("JOB_FILES_KEEP_HOURS", "24"))

# What the jobs do, on the console of the worker (and of the web server, for immediate jobs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"job": {"format": "%(asctime)s [%(process)d] %(levelname)s %(message)s"}},
    "handlers": {"jobs": {"class": "logging.StreamHandler", "formatter": "job"}},
    "loggers": {"declarations.jobs": {"handlers": ["jobs"], "level": "INFO", "propagate": False}},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Content-Security-Policy (django-csp 4): scripts only from our own static files, so that an
# injected <script> or onclick="" does not run; templates use static/js/app.js instead of
# inline handlers. Styles allow 'unsafe-inline' because the official tables' column widths
# are computed per table (<col style="width:…">, declarations/exports/html.py) and the admin
# of django-simple-history has a style attribute; a style cannot run code. Bootstrap's CSS
# draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Behind a reverse proxy (nginx…) that terminates HTTPS, set PROXY_COUNT to the number of
# proxies in front of the site. Each must set X-Forwarded-Proto and append the client to
# X-Forwarded-For; Django then trusts the first to tell HTTPS from HTTP and the second
# (security.addresses) to know the client's address for lockouts and audit records.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    # HTTPS only: redirect HTTP, tell browsers to use HTTPS for a year (HSTS; start lower, e.g.
    # SECURE_HSTS_SECONDS=3600, until HTTPS is known to work), cookies only over HTTPS.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
