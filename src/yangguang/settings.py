"""Yangguang settings: one file, configured only by environment variables.

Every variable is listed in the README's configuration table. Bad values raise
ImproperlyConfigured at start-up rather than misbehaving later.
"""

import datetime
import importlib.util
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent

# The key used when SECRET_KEY is unset. Good enough for tests and a local look;
# ``yangguang serve`` and the WSGI/ASGI applications refuse to run with it.
DEMO_SECRET_KEY = "yangguang-demo-insecure-key-never-use-in-production"  # noqa: S105


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true/false (1/0), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def evidence_storage() -> dict:
    """Evidence files: the data directory by default, S3-compatible object storage
    (django-storages, ``pip install -e '.[s3]'``) when YANGGUANG_EVIDENCE_STORAGE=s3."""
    kind = env_str("YANGGUANG_EVIDENCE_STORAGE", "filesystem")
    if kind == "filesystem":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(DATA_DIR / "evidence"), "base_url": None},
        }
    if kind == "s3":
        from boto3.s3.transfer import TransferConfig

        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("YANGGUANG_S3_BUCKET", ""),
                "endpoint_url": env_str("YANGGUANG_S3_ENDPOINT", "") or None,
                "region_name": env_str("YANGGUANG_S3_REGION", "") or None,
                "access_key": env_str("YANGGUANG_S3_ACCESS_KEY", ""),
                "secret_key": env_str("YANGGUANG_S3_SECRET_KEY", ""),
                "location": env_str("YANGGUANG_S3_PREFIX", "evidence"),
                "file_overwrite": False,
                "querystring_auth": True,
                # Two 8 MB parts in flight at most, so a 4 GB video upload stays small
                # in memory (boto3's default allows ten).
                "transfer_config": TransferConfig(
                    max_concurrency=2, multipart_chunksize=8 * 1024 * 1024
                ),
            },
        }
    raise ImproperlyConfigured(f"YANGGUANG_EVIDENCE_STORAGE must be filesystem or s3, got {kind!r}")


def evidence_limits() -> dict[str, int]:
    """Largest evidence file per kind, from YANGGUANG_EVIDENCE_MAX_MB
    ("photo=50,audio=500,video=4096,document=100"; unnamed kinds keep their default)."""
    limits_mb = {"photo": 50, "audio": 500, "video": 4096, "document": 100}
    raw = env_str("YANGGUANG_EVIDENCE_MAX_MB", "")
    for item in filter(None, (part.strip() for part in raw.split(","))):
        kind, _sep, value = item.partition("=")
        if kind.strip() not in limits_mb or not value.strip().isdigit():
            raise ImproperlyConfigured(
                f"YANGGUANG_EVIDENCE_MAX_MB: expected kind=megabytes with kinds "
                f"{', '.join(limits_mb)}, got {item!r}"
            )
        limits_mb[kind.strip()] = int(value)
    return {kind: megabytes * 1024 * 1024 for kind, megabytes in limits_mb.items()}


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATA_DIR = Path(env_str("YANGGUANG_DATA_DIR", "var")).resolve()

# HTTPS is assumed in production (secure cookies, HSTS, redirect). The demo on
# 127.0.0.1 runs over plain HTTP and turns it off.
HTTPS = env_bool("YANGGUANG_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    # org first: its commands replace contrib.auth's (changepassword through the password
    # policy, no createsuperuser); the first app to define a command wins.
    "yangguang.org",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Sign-in: the second factor (TOTP) and the lockout after failed sign-ins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "yangguang.core",
    "yangguang.grids",
    "yangguang.categories",
    "yangguang.worktime",
    "yangguang.records",
    "yangguang.reports",
    "yangguang.cases",
    "yangguang.disclosure",
    "yangguang.merchants",
    "yangguang.credit",
    "yangguang.analytics",
    "yangguang.patrol",
    "yangguang.notify",
    "yangguang.api",
    "yangguang.portal",
    "yangguang.backoffice",
    # After our apps, so that our templates override the admin's.
    "yangguang.core.apps.YangguangAdminConfig",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the public sitemap's templates (portal/opendata_views.py)
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yangguang.core.middleware.DefaultLanguageMiddleware",
    # After the language (its errors are in the request's language), before any view.
    "yangguang.bad_input.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yangguang.records.context.ClientMiddleware",
    # After the client middleware: an idle sign-out is recorded with its address.
    "yangguang.core.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "yangguang.urls"
WSGI_APPLICATION = "yangguang.wsgi.application"

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
                "yangguang.backoffice.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'yangguang.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and the single writer proceed together; IMMEDIATE makes a
    # writing transaction take its lock at BEGIN instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # FULL: an acknowledged record survives a power cut, not only a process crash.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yangguang",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "org.User"
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords (等保2.0 GB/T 22239-2019 8.1.4.1 a: 口令复杂度 and 定期更换). Every path that
# sets a password (sign-in, the password page, the admin, create-staff, changepassword)
# runs these validators and org.passwords.password_set.
PASSWORD_MIN_LENGTH = env_int("YANGGUANG_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MAX_AGE_DAYS = env_int("YANGGUANG_PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_HISTORY = env_int("YANGGUANG_PASSWORD_HISTORY", 5)
if PASSWORD_MIN_LENGTH < 8:
    raise ImproperlyConfigured("YANGGUANG_PASSWORD_MIN_LENGTH must be at least 8")
if PASSWORD_MAX_AGE_DAYS < 0 or PASSWORD_HISTORY < 0:
    raise ImproperlyConfigured(
        "YANGGUANG_PASSWORD_MAX_AGE_DAYS and YANGGUANG_PASSWORD_HISTORY must not be negative"
    )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yangguang.org.passwords.CharacterClassesValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "yangguang.org.passwords.PasswordHistoryValidator"},
]

# Sign-in lockout (等保2.0 8.1.4.1 b: 登录失败处理). An account is locked after
# YANGGUANG_LOGIN_FAILURES failed sign-ins, an address after YANGGUANG_ADDRESS_FAILURES
# (higher: a whole office may share one address), each for YANGGUANG_LOCKOUT_MINUTES
# or until the security administrator unlocks it.
LOGIN_FAILURES_PER_ACCOUNT = env_int("YANGGUANG_LOGIN_FAILURES", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("YANGGUANG_ADDRESS_FAILURES", 20)
LOCKOUT_MINUTES = env_int("YANGGUANG_LOCKOUT_MINUTES", 30)
if min(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, LOCKOUT_MINUTES) < 1:
    raise ImproperlyConfigured(
        "YANGGUANG_LOGIN_FAILURES, YANGGUANG_ADDRESS_FAILURES and YANGGUANG_LOCKOUT_MINUTES "
        "must be at least 1"
    )
AXES_HANDLER = "yangguang.org.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOCKOUT_MINUTES)
AXES_CLIENT_IP_CALLABLE = "yangguang.org.lockout.client_address"
# Sign-ins are recorded in the record chain; axes keeps only the failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# A completed sign-in clears the account's failures, not its address's (org/lockout.py).
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# The sign-in view asks axes before checking a password and answers a lockout itself
# (org/signin.py), so axes' middleware, which rewrites responses, is not installed.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]

# Second factor (TOTP, django-otp) for the three administrators and the bureau leaders
# (等保2.0 8.1.4.1 d: 两种或两种以上组合的鉴别技术).
OTP_TOTP_ISSUER = env_str("YANGGUANG_OTP_ISSUER", "阳光执法")
# Staff sessions: absolute lifetime and idle timeout (等保2.0 8.1.4.1 b: 登录连接超时自动退出).
IDLE_TIMEOUT_MINUTES = env_int("YANGGUANG_IDLE_TIMEOUT_MINUTES", 30)
if IDLE_TIMEOUT_MINUTES < 1:
    raise ImproperlyConfigured("YANGGUANG_IDLE_TIMEOUT_MINUTES must be at least 1")
# Staff API tokens expire after this many days (the owner may choose fewer).
STAFF_TOKEN_DAYS = env_int("YANGGUANG_STAFF_TOKEN_DAYS", 90)
if STAFF_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("YANGGUANG_STAFF_TOKEN_DAYS must be at least 1")
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "backoffice:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Leaflet's files come from the django-leaflet package. Its Django app is not installed:
# its admin widgets need GDAL, which we do not (geometry is handled by shapely).
STATICFILES_DIRS = [
    (
        "leaflet",
        Path(importlib.util.find_spec("leaflet").submodule_search_locations[0])
        / "static"
        / "leaflet",
    )
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "evidence": evidence_storage(),
}
# Security. `yangguang check --deploy` passes with the defaults below in production.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("YANGGUANG_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("YANGGUANG_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("YANGGUANG_BEHIND_PROXY", False) else None
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("YANGGUANG_SESSION_SECONDS", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env_list("YANGGUANG_MAP_TILE_HOSTS", [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "yangguang.api.authentication.StaffTokenAuthentication",
    ],
    # Signed in and holding a working post: the administrators get 403 (api/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": ["yangguang.api.permissions.IsWorkingStaff"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "yangguang.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yangguang API",
    "DESCRIPTION": "阳光执法: reports and their loop. Every workflow verb is a POST action.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Map tiles come from the bureau's own tile server (government intranets have no
# internet). Without one, maps draw the grid polygons on a plain background.
MAP_TILE_URL = env_str("YANGGUANG_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("YANGGUANG_MAP_TILE_ATTRIBUTION", "")
# 天地图 (or any server whose template has {s} and {tk}): e.g. on the 政务外网
#   YANGGUANG_MAP_TILE_URL=https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile
#     &VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}
#     &TILEROW={y}&TILECOL={x}&tk={tk}      (one line)
#   YANGGUANG_MAP_LABEL_TILE_URL=the same with vec_w → cva_w and LAYER=vec → LAYER=cva
#   YANGGUANG_MAP_TILE_SUBDOMAINS=01234567, YANGGUANG_MAP_TILE_KEY=<the bureau's 天地图 key>
#   YANGGUANG_MAP_TILE_HOSTS=https://*.tianditu.gov.cn (the page's img-src)
# 天地图 is CGCS2000, which matches the WGS84 coordinates the reports carry.
MAP_TILE_SUBDOMAINS = env_str("YANGGUANG_MAP_TILE_SUBDOMAINS", "abc")
MAP_TILE_KEY = env_str("YANGGUANG_MAP_TILE_KEY", "")
MAP_LABEL_TILE_URL = env_str("YANGGUANG_MAP_LABEL_TILE_URL", "")
# Without a tile server the command-centre map draws this GeoJSON base layer (streets as
# lines with a "name", areas with a "label"): a static path or a URL on the same site;
# the default is the demo district's (core/demo_base_layer.py). Empty: none.
MAP_BASE_LAYER = env_str("YANGGUANG_MAP_BASE_LAYER", "yangguang/demo-base-layer.geojson")
# Most report points the command-centre map loads at once (the newest first).
MAP_POINTS_MAX = env_int("YANGGUANG_MAP_POINTS_MAX", 20_000)

# The command centre's 大屏 and its pages ask the server for fresh figures this often.
SCREEN_REFRESH_SECONDS = env_int("YANGGUANG_SCREEN_REFRESH_SECONDS", 5)
if SCREEN_REFRESH_SECONDS < 1:
    raise ImproperlyConfigured("YANGGUANG_SCREEN_REFRESH_SECONDS must be at least 1")

EVIDENCE_MAX_BYTES = evidence_limits()
# Uploads larger than this go to a temporary file, not memory; keep it beside the
# evidence directory so storing an upload is a rename, not a copy.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)

# The TrueType fonts embedded in printed documents (core/printing.py): the body text
# (e.g. the bureau's licensed 仿宋_GB2312) and the titles (e.g. 方正小标宋); empty: the
# packaged Noto Serif CJK SC Regular and Bold (SIL OFL 1.1, core/fonts/).
PDF_FONT = env_str("YANGGUANG_PDF_FONT", "")
PDF_FONT_INDEX = env_int("YANGGUANG_PDF_FONT_INDEX", 0)
PDF_TITLE_FONT = env_str("YANGGUANG_PDF_TITLE_FONT", "")
PDF_TITLE_FONT_INDEX = env_int("YANGGUANG_PDF_TITLE_FONT_INDEX", 0)

# Text messages (replies to reporters, deadline warnings). "logging" writes them to the
# log; "http" posts them to the bureau's SMS platform (see notify/gateways.py).

SMS_GATEWAY = env_str("YANGGUANG_SMS_GATEWAY", "logging")
if SMS_GATEWAY not in {"logging", "http"}:
    raise ImproperlyConfigured(
        f"YANGGUANG_SMS_GATEWAY must be logging or http, got {SMS_GATEWAY!r}"
    )
SMS_URL = env_str("YANGGUANG_SMS_URL", "")
if SMS_GATEWAY == "http" and not SMS_URL:
    raise ImproperlyConfigured("YANGGUANG_SMS_GATEWAY=http needs YANGGUANG_SMS_URL")
SMS_TOKEN = env_str("YANGGUANG_SMS_TOKEN", "")
SMS_SIGNATURE = env_str("YANGGUANG_SMS_SIGNATURE", "【阳光执法】")
SMS_TIMEOUT = env_int("YANGGUANG_SMS_TIMEOUT", 5)
SMS_MAX_ATTEMPTS = env_int("YANGGUANG_SMS_MAX_ATTEMPTS", 8)
# The shared token the SMS platform sends with its delivery receipts (POST /sms/receipts/,
# notify/views.py); empty: no receipt endpoint.
SMS_RECEIPT_TOKEN = env_str("YANGGUANG_SMS_RECEIPT_TOKEN", "")

# Reports: duplicates are the same category within this distance and time.
DUPLICATE_RADIUS_M = env_int("YANGGUANG_DUPLICATE_RADIUS_M", 50)
DUPLICATE_WINDOW_HOURS = env_int("YANGGUANG_DUPLICATE_WINDOW_HOURS", 72)
# Public web reports accepted per client address per hour (spam guard).
PUBLIC_REPORTS_PER_HOUR = env_int("YANGGUANG_PUBLIC_REPORTS_PER_HOUR", 10)
# The public site's address, for links in text messages (tracking links).
PUBLIC_BASE_URL = env_str("YANGGUANG_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# The province's certificate check (its own QR code's verifier), with {number} for the
# certificate number; officers' identity pages link to it. Empty: no link.
CERTIFICATE_VERIFIER_URL = env_str("YANGGUANG_CERTIFICATE_VERIFIER_URL", "").strip()
if CERTIFICATE_VERIFIER_URL and (
    "{number}" not in CERTIFICATE_VERIFIER_URL
    or not CERTIFICATE_VERIFIER_URL.startswith(("https://", "http://"))
):
    raise ImproperlyConfigured(
        "YANGGUANG_CERTIFICATE_VERIFIER_URL must be an http(s) address with {number}, "
        f"got {CERTIFICATE_VERIFIER_URL!r}"
    )

# Working days a merchant has to correct a failed 门前三包 inspection item (整改).
RECTIFICATION_WORKING_DAYS = env_int("YANGGUANG_RECTIFICATION_WORKING_DAYS", 3)

# Posts that may see on-duty patrol staff's positions and tracks (personal data).
POSITION_VIEWER_POSTS = env_list(
    "YANGGUANG_POSITION_VIEWER_POSTS", ["shift_lead", "squad_leader", "leader"]
)
# Patrol duty (巡查在岗, docs/patrol.md): a shift still open after this many hours is ended
# by the worker; positions are kept this many days (个人信息保护法 art 19); a phone's
# fixes closer together than the interval are ignored, at most a batch's size a post;
# 巡查覆盖率 and 在岗率 count the patrol hours [from, to) of working days.
DUTY_MAX_HOURS = env_int("YANGGUANG_DUTY_MAX_HOURS", 12)
POSITION_RETENTION_DAYS = env_int("YANGGUANG_POSITION_RETENTION_DAYS", 90)
POSITION_MIN_INTERVAL_SECONDS = env_int("YANGGUANG_POSITION_MIN_INTERVAL_SECONDS", 30)
POSITION_BATCH_MAX = env_int("YANGGUANG_POSITION_BATCH_MAX", 50)
PATROL_HOUR_FROM = env_int("YANGGUANG_PATROL_HOUR_FROM", 8)
PATROL_HOUR_TO = env_int("YANGGUANG_PATROL_HOUR_TO", 18)
if not 0 <= PATROL_HOUR_FROM < PATROL_HOUR_TO <= 24:
    raise ImproperlyConfigured(
        "YANGGUANG_PATROL_HOUR_FROM and _TO must satisfy 0 <= from < to <= 24, "
        f"got {PATROL_HOUR_FROM} and {PATROL_HOUR_TO}"
    )
if DUTY_MAX_HOURS < 1 or POSITION_RETENTION_DAYS < 1 or POSITION_BATCH_MAX < 1:
    raise ImproperlyConfigured(
        "YANGGUANG_DUTY_MAX_HOURS, _POSITION_RETENTION_DAYS and _POSITION_BATCH_MAX "
        "must be at least 1"
    )

# Upper bound on uploaded import files (grids, categories, calendars).
IMPORT_MAX_BYTES = env_int("YANGGUANG_IMPORT_MAX_BYTES", 200 * 1024 * 1024)

# The record chain's anchor (records/anchor.py): the latest closed day's chain head,
# signed, in a file outside the database. close-digests and the worker write it there;
# verify-records checks the chain against it. The key is never stored in the database:
# YANGGUANG_ANCHOR_KEY, or without it one derived from SECRET_KEY.
RECORD_ANCHOR_FILE = (
    Path(env_str("YANGGUANG_ANCHOR_FILE", "")).resolve()
    if env_str("YANGGUANG_ANCHOR_FILE", "")
    else None
)
RECORD_ANCHOR_KEY = env_str("YANGGUANG_ANCHOR_KEY", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("YANGGUANG_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in attempt at INFO; the record chain has them already.
    "loggers": {"axes": {"level": "WARNING"}},
}
