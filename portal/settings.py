"""Settings for the citizen portal: one module, every choice read from the environment.

With no environment at all the portal runs on its embedded defaults: SQLite in var/, Celery on
kombu's filesystem transport, and a SQLite-backed channel layer. DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis without any other change. See README.md, "Configuration".
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by bin/setup with a generated SECRET_KEY) fills in what the shell did not set.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production settings (DJANGO_DEBUG=0) refuse to start without "
            "one: export SECRET_KEY=<a long random string>, or run bin/setup to write it to .env."
        )
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails, texts and the bot's replies; by default the address `make run` serves on.
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{env.int('WEB_PORT', default=8000)}")
WAGTAILADMIN_BASE_URL = SITE_URL
# Proxies (nginx, a load balancer) in front of the portal that append to X-Forwarded-For: the client
# is that many entries from the right (apps/common/client.py). 0: the socket's own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "daphne",
    "portal",
    "apps.municipalities",
    "apps.complaints",
    "apps.chat",
    "apps.opendata",
    "apps.places",
    "apps.trails",
    "apps.stamps",
    "apps.mobility",
    "apps.rivers",
    "apps.transit",
    "apps.archive",
    "content",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "channels_lite",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PageLocaleMiddleware",
    "portal.middleware.RememberLanguageMiddleware",
    "portal.middleware.MalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session, authentication and messages it asks about; the rest answers cached pages too.
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "content.context_processors.site_chrome",
                "content.context_processors.map_tiles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# The channel layer keeps its own SQLite file so its churn never touches the main database.
try:
    DEFAULT_DATABASE = env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
except (ImproperlyConfigured, ValueError) as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address ({error})") from error
if not DEFAULT_DATABASE.get("ENGINE"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not a database address: use postgres://user:password@host:5432/name or sqlite:////path"
    )
DATABASES = {
    "default": DEFAULT_DATABASE,
    "channels": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "channels.sqlite3",
        "OPTIONS": {"init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")},
    },
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing. A
    # transaction takes the write lock when it begins (IMMEDIATE), so one that read first and writes
    # later queues behind another writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    # Under ASGI each request runs in a thread of its own, so persistent connections would pile up,
    # one per thread, until PostgreSQL refuses more: each process takes them from a pool instead.
    POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=10)
    if POOL_SIZE:
        # A request waits at most `timeout` s for a connection; a connection the server dropped (a
        # PostgreSQL restart) is checked and replaced before it is handed out, not failed on.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": POOL_SIZE,
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Without it a connection attempt to a host that is down waits for the operating system's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
DATABASE_ROUTERS = ["portal.routers.ChannelLayerRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache and channel layer when REDIS_URL is set -----------------------------
REDIS_URL = env.str("REDIS_URL", default="")

# Redis holds nothing a resident needs to read a page, file a case or chat: when it is down the
# cache answers "miss", limiters let requests through and tasks wait for the sweep, each within
# REDIS_TIMEOUT seconds rather than the client library's retries.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
# Public pages for anonymous visitors (portal/page_cache.py): kept at most PAGE_CACHE_SECONDS, made
# stale at once by whatever they show changing; 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages", "TIMEOUT": PAGE_CACHE_SECONDS}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # A socket's consumer waits on Redis with BZPOPMIN, which the server answers after 5 s when no
    # message came. redis-py's own default socket timeout is also 5 s: the read timed out first and
    # ended the consumer, so every quiet socket was closed every 5 s and missed what was sent while
    # its page reconnected. Reads may take twice that; connecting still fails fast.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 10, "socket_connect_timeout": REDIS_TIMEOUT}]
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    # A folder of its own: the file cache culls a third of its entries, at random, when it is full.
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": VAR_DIR / "page-cache",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_lite.layers.core.SQLiteChannelLayer",
            "CONFIG": {"database": "channels"},
        }
    }
if not PAGE_CACHE_SECONDS:
    del CACHES["pages"]

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery"
# The host part keeps kombu from warning "No hostname was supplied" on every message.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
else:
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a worker took and never acknowledged (it was killed) comes back after this long.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": env.float("CELERY_SOCKET_TIMEOUT", default=5.0),
        # A publisher tries once more at once, not three times over two seconds (the worker keeps
        # reconnecting by its own broker_connection_retry).
        "max_retries": 1,
        "interval_start": 0,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT}
# Callers never wait for a result: sending a task must not touch the result backend, and when the
# broker is down it fails at once (the row that needs the task is already stored; beat's sweeps
# pick it up once the broker is back).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT * 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ACKS_LATE = True  # a task a crashed worker held is delivered again, not lost
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What tasks print (the console email backend's messages) is logged at INFO, not Celery's WARNING.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "portal.tasks.record_worker_heartbeat", "schedule": 30.0},
    # A scheduled alert (or a trail closure's) reaches open pages within 30 s of its window turning.
    "push-alert-windows": {"task": "content.tasks.push_alert_windows", "schedule": 30.0},
    # Notifications whose first sending failed or never reached the broker.
    "send-pending-notifications": {"task": "apps.complaints.tasks.send_pending_notifications", "schedule": 60.0},
    # Idempotent (one reminder per stage and deadline): hourly, so a worker that was down catches up.
    "send-deadline-reminders": {
        "task": "apps.complaints.tasks.send_deadline_reminders",
        "schedule": crontab(minute=5, hour="8-18"),
    },
    "export-complaints": {"task": "apps.complaints.tasks.export_complaints", "schedule": crontab(minute=30, hour=3)},
    # After the export is written; the same file again publishes nothing.
    "publish-complaints-export": {
        "task": "apps.opendata.tasks.publish_complaints_export",
        "schedule": crontab(minute=45, hour=3),
    },
    "delete-unattached-photos": {"task": "apps.complaints.tasks.delete_unattached_photos", "schedule": 3600.0},
    "delete-expired-chats": {"task": "apps.chat.tasks.delete_expired_chats", "schedule": crontab(minute=45, hour=4)},
    # Free spaces from the KOTSA realtime API (does nothing until MOBILITY_KOTSA_REALTIME_URL is set).
    "pull-kotsa-realtime": {"task": "apps.mobility.tasks.pull_kotsa_realtime", "schedule": 60.0},
    # A closure scheduled ahead closes (or, ended, reopens) its car park within a minute.
    "sync-car-park-closures": {"task": "apps.mobility.tasks.sync_car_park_closures", "schedule": 60.0},
    # Resident-priority sharing: drivers' personal data kept 30 days after the booked time.
    "purge-sharing-personal-data": {
        "task": "apps.mobility.tasks.purge_sharing_personal_data",
        "schedule": crontab(minute=50, hour=4),
    },
    # Archive contributions: the contributor's name and email kept a year after the decision.
    "purge-contribution-contacts": {
        "task": "apps.archive.tasks.purge_contribution_contacts",
        "schedule": crontab(minute=55, hour=4),
    },
    # River water levels from HRFCO every 10 minutes, its stations' alert levels daily (both do
    # nothing until RIVERS_HRFCO_KEY is set).
    "pull-hrfco-levels": {"task": "apps.rivers.tasks.pull_hrfco_levels", "schedule": 600.0},
    # Fine dust at the station nearest each river (AirKorea publishes each hour at about :15; does
    # nothing until RIVERS_AIRKOREA_KEY is set).
    "pull-airkorea-fine-dust": {
        "task": "apps.rivers.tasks.pull_airkorea_fine_dust",
        "schedule": crontab(minute="20,50"),
    },
    "pull-hrfco-station-info": {
        "task": "apps.rivers.tasks.pull_hrfco_station_info",
        "schedule": crontab(minute=10, hour=5),
    },
    # The day before's river readings, alerts and gate changes as the next version of their dataset.
    "publish-river-history": {
        "task": "apps.opendata.tasks.publish_river_history",
        "schedule": crontab(minute=25, hour=0),
    },
    # The day before's car park readings as the next version of the occupancy open dataset.
    "publish-car-park-occupancy": {
        "task": "apps.opendata.tasks.publish_car_park_occupancy",
        "schedule": crontab(minute=20, hour=0),
    },
}

# --- Notifications to residents and staff -------------------------------------------------------
# Email goes to the console until EMAIL_URL (e.g. smtp+tls://user:pass@smtp.example.kr:587) is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)  # EMAIL_BACKEND, EMAIL_HOST, ... as django-environ documents
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="의정부시 민원 <minwon@localhost>")
# SMS/알림톡: a class with send(phone, text); the default writes to the log. A provider's sender
# is configuration, e.g. SMS_SENDER=mycity.sms.KakaoAlimtalkSender.
SMS_SENDER = env.str("SMS_SENDER", default="apps.complaints.notifications.LogSmsSender")
# A notification a worker claimed and did not finish within this time (it died mid-send) is sent again.
NOTIFICATION_SEND_LEASE_SECONDS = env.int("NOTIFICATION_SEND_LEASE_SECONDS", default=600)

# --- Maps -----------------------------------------------------------------------------------
# Any XYZ tile server; OpenStreetMap's by default. Empty: maps show pins on a plain background
# (the tests, and machines without internet access).
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION", default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# --- The chatbot ----------------------------------------------------------------------------
RASA_URL = env.str("RASA_URL", default="http://127.0.0.1:5005")
RASA_ACTIONS_URL = env.str("RASA_ACTIONS_URL", default="http://127.0.0.1:5055")
# Rasa refuses its API and REST channel without it (`?token=`); bin/setup writes one to .env and
# chatbot/scripts/serve.sh starts Rasa with the same.
RASA_AUTH_TOKEN = env.str("RASA_AUTH_TOKEN", default="")
# Chat transcripts are personal data (개인정보 보호법): deleted this many days after each message.
CHAT_RETENTION_DAYS = env.int("CHAT_RETENTION_DAYS", default=30)
# The API client (manage.py create_api_client) the chatbot files cases as; chat photos belong to it.
CHATBOT_API_CLIENT_NAME = env.str("CHATBOT_API_CLIENT_NAME", default="민원 챗봇")
# The key the action server sends (bin/setup writes a random one to .env); `manage.py prepare` keeps
# that client's stored hash in step with it. Unset: prepare leaves the client alone.
CHATBOT_API_KEY = env.str("CHATBOT_API_KEY", default="")
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [
    ("ko", "한국어"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ja", "日本語"),
]
# Residents' pages are Korean and English; Chinese and Japanese are prepared for tourist pages.
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Complaint photos, contributions and the archive's files live outside MEDIA_ROOT: a view checks
# who may have each one.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# An nginx `internal` location whose alias is PRIVATE_MEDIA_ROOT (e.g. /private-files/): the portal
# checks who may have a file and nginx sends it (X-Accel-Redirect). Empty: the portal sends it.
NGINX_PRIVATE_FILES_LOCATION = env.str("NGINX_PRIVATE_FILES_LOCATION", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "portal.storage.PrivateFileSystemStorage"},
    # The archive's images, recordings, films and PDFs: beside the private files, handed out at
    # /files/ by a view that checks the item is public (apps/archive/views.py).
    "archive": {"BACKEND": "portal.storage.PrivateFileSystemStorage", "OPTIONS": {"base_url": "/files/"}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Requests one web process runs at once (portal/http_handler.py); more wait their turn. Leave room
# in DATABASE_POOL_SIZE for them and for the websocket consumers.
WEB_THREADS = env.int("WEB_THREADS", default=6)

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "의정부시 시민 포털"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# mp3 and m4a: the guides' audio; glb and usdz: river guide points' 3D models
# (apps/common/guide_media.py checks their content).
WAGTAILDOCS_EXTENSIONS = [
    *("csv", "docx", "glb", "hwp", "hwpx", "m4a", "mp3", "odt", "pdf", "pptx", "txt", "usdz", "xlsx", "zip")
]
# Opened where they are, not saved as downloads: the phone's AR viewer (Quick Look on an iPhone)
# takes a USDZ only when it is served inline with its own type.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "text/plain", "model/gltf-binary", "model/vnd.usdz+zip"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ko", "한국어"), ("en", "English")]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Request bodies: a report with five 10 MB photos fits the first; signed-in editors upload data
# files. Enforced in front of Django, as the body streams in (portal/request_size.py).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=60 * 1024 * 1024)
MAX_ADMIN_REQUEST_BYTES = env.int("MAX_ADMIN_REQUEST_BYTES", default=1024 * 1024 * 1024)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    # DRF's throttles find the client the way apps.common.client.client_address does.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "의정부시 시민 포털 API",
    "DESCRIPTION": "Uijeongbu citizen portal API: reference data, complaints and open data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["portal.api_schema.only_public_api"],
    # The complaints' status keeps its name beside the other "status" fields (a trail's).
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "apps.complaints.models.Complaint.Status",
        # A live number (free spaces, a water level) or none; a pushed reading's outcome.
        "LiveStatusEnum": ["live", "unknown"],
        "ReadingOutcomeEnum": ["applied", "older", "duplicate"],
    },
}

# --- Security -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview shows the site's own pages in a frame
if env.bool("DJANGO_SECURE_COOKIES", default=SITE_URL.startswith("https://")):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers that saw the site once over https never try plain http again (a year, as the
    # deployment checklist asks; SECURE_HSTS_SECONDS=0 while first trying https out).
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Machines call these over loopback without TLS: health probes, and the bot's action server
    # filing through the API (PORTAL_URL). Browsers reach them through nginx, which redirects.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^api/", r"^open311/"]
SILENCED_SYSTEM_CHECKS = [
    # Preloading is a promise for the whole registrable domain (the city's, not this host's), made
    # by submitting it to the browsers' list; SECURE_HSTS_PRELOAD=1 once the city has done so.
    "security.W021",
    # X_FRAME_OPTIONS is SAMEORIGIN on purpose (above); other sites are still kept out.
    "security.W019",
]

# Content-Security-Policy (django-csp): scripts, styles and fonts only from the site itself, no
# inline script anywhere on the public pages (data travels in data-* attributes and json_script).
MAP_TILE_SOURCE = ""
if MAP_TILE_URL:
    _tiles = urlsplit(MAP_TILE_URL)
    # "https://{s}.tile.example.org/..." serves from every subdomain: "https://*.tile.example.org".
    MAP_TILE_SOURCE = f"{_tiles.scheme}://" + re.sub(r"^\{[^}]*\}\.", "*.", _tiles.netloc)
_site = urlsplit(SITE_URL)
_MAP_IMAGES = [MAP_TILE_SOURCE] if MAP_TILE_SOURCE else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The one inline style: templates/500.html, which must render without static files.
        "style-src": ["'self'", "'sha256-tloj06yzKcfd44V33kwPfZ/9MXXxhsb/j+rxPgNFUxo='"],
        # blob: the report form's photo previews; data: Leaflet's blank tile.
        "img-src": ["'self'", "data:", "blob:", *_MAP_IMAGES],
        # 'self' covers ws(s) of the own origin in current browsers; the explicit one for older ones.
        "connect-src": ["'self'", f"{'wss' if _site.scheme == 'https' else 'ws'}://{_site.netloc}"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY_BY_PATH = {
    # Wagtail's admin runs inline scripts and styles of its own; it still loads nothing from elsewhere
    # except images (previews, map tiles, embeds' thumbnails) and frames for embedded media.
    "/admin/": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'", "https:"],
        "connect-src": ["'self'", "https://releases.wagtail.io"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
    # The API's documentation is ReDoc from its CDN, which injects its styles and runs a blob: worker.
    "/api/docs/": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "https://cdn.jsdelivr.net"],
        "style-src": ["'self'", "'unsafe-inline'", "https://fonts.googleapis.com"],
        "font-src": ["'self'", "https://fonts.gstatic.com"],
        "img-src": ["'self'", "data:", "https:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# Two viewers write their styles at run time, so their pages alone allow inline styles (by path, so
# that a page the page cache kept gets the same policy): Mirador on the archive's viewer pages, and
# <model-viewer> on the river guide's points, which also compiles WebAssembly (its decoders; not eval).
_SITE = CONTENT_SECURITY_POLICY["DIRECTIVES"]
for _code, _name in LANGUAGES:
    CONTENT_SECURITY_POLICY_BY_PATH[f"/{_code}/archive/viewer/"] = {**_SITE, "style-src": ["'self'", "'unsafe-inline'"]}
    CONTENT_SECURITY_POLICY_BY_PATH[f"/{_code}/river-guide/"] = {
        **_SITE,
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Wagtail logs every page edit and background task at INFO; warnings are what operators need.
    "loggers": {name: {"level": "WARNING"} for name in ("daphne", "django_tasks", "wagtail")},
}

# The municipality that owns records created without an explicit one (one install, many cities).
DEFAULT_MUNICIPALITY = env.str("DEFAULT_MUNICIPALITY", default="uijeongbu")

# --- Open data ------------------------------------------------------------------------------
# The largest data file an editor may upload; the admin refuses a bigger request before reading it.
OPENDATA_MAX_UPLOAD_MB = env.int("OPENDATA_MAX_UPLOAD_MB", default=200)

# --- Parking (apps.mobility) ------------------------------------------------------------------
# A count of free spaces older than this is shown as "unknown", never as live.
MOBILITY_LIVE_SECONDS = env.int("MOBILITY_LIVE_SECONDS", default=15 * 60)
# The most cars a car park's gates pass in a minute, in and out together (a barrier lane takes one
# car every 3-4 s, so 15-20 a minute; four lanes at most): a larger jump in the count is refused.
MOBILITY_MAX_CARS_PER_MINUTE = env.int("MOBILITY_MAX_CARS_PER_MINUTE", default=60)
# Pushes one sensor device may make in a minute (a gate system counting every car at a busy exit
# sends about one every 3 s); more is a device gone wrong, answered 429.
MOBILITY_SENSOR_PUSHES_PER_MINUTE = env.int("MOBILITY_SENSOR_PUSHES_PER_MINUTE", default=60)
# The KOTSA PrkRealtimeInfo address with its serviceKey, e.g.
# https://apis.data.go.kr/B553881/Parking/PrkRealtimeInfo?serviceKey=...&format=2&numOfRows=1000
# Empty: the pull task does nothing (and says so).
MOBILITY_KOTSA_REALTIME_URL = env.str("MOBILITY_KOTSA_REALTIME_URL", default="")

# --- Rivers (apps.rivers) ---------------------------------------------------------------------
# A water level older than this is shown as "unknown", never as live (three missed 10-minute readings).
RIVERS_LIVE_SECONDS = env.int("RIVERS_LIVE_SECONDS", default=30 * 60)
# What a gauge on the city's rivers can read, in metres: a level outside is a broken sensor, refused.
RIVERS_PLAUSIBLE_LEVEL_M = (
    env.float("RIVERS_LOWEST_LEVEL_M", default=-5.0),
    env.float("RIVERS_HIGHEST_LEVEL_M", default=30.0),
)
# Pushes one level sensor or gate system may make in a minute; more is a device gone wrong (429).
RIVERS_DEVICE_PUSHES_PER_MINUTE = env.int("RIVERS_DEVICE_PUSHES_PER_MINUTE", default=30)
# The HRFCO open API (한강홍수통제소) and its key (hrfco.go.kr/web/openapiPage/certifyKey.do).
# Without a key the pull tasks do nothing and the stations show their last reading, then "unknown".
RIVERS_HRFCO_URL = env.str("RIVERS_HRFCO_URL", default="https://api.hrfco.go.kr")
RIVERS_HRFCO_KEY = env.str("RIVERS_HRFCO_KEY", default="")
# Trail markers this close to an entrance of a river hear its walkway closing (a "take care"
# notice on the marker's page, lifted when staff reopen the walkway).
RIVERS_NEARBY_MARKERS_M = env.float("RIVERS_NEARBY_MARKERS_M", default=150.0)
# Fine dust from AirKorea (에어코리아, apis.data.go.kr: getMsrstnAcctoRltmMesureDnsty) at the station
# nearest each river, from the station list in the getMsrstnList format at RIVERS_AIRKOREA_STATIONS.
# Without a key the pull task does nothing (and says so); a value is shown for RIVERS_AIR_KEEP_SECONDS.
RIVERS_AIRKOREA_URL = env.str("RIVERS_AIRKOREA_URL", default="https://apis.data.go.kr")
RIVERS_AIRKOREA_KEY = env.str("RIVERS_AIRKOREA_KEY", default="")
RIVERS_AIRKOREA_STATIONS = env.str(
    "RIVERS_AIRKOREA_STATIONS", default=str(BASE_DIR / "data" / "rivers" / "airkorea-stations-illustrative.json")
)
RIVERS_AIR_KEEP_SECONDS = env.int("RIVERS_AIR_KEEP_SECONDS", default=3 * 3600)

# --- Transit (apps.transit) -------------------------------------------------------------------
# 경기도 GBIS bus arrivals v2, e.g. https://apis.data.go.kr/6410000/busarrivalservice/v2/getBusArrivalListv2
# with its serviceKey. Empty: stops show their timetable, labelled "scheduled".
TRANSIT_GBIS_URL = env.str("TRANSIT_GBIS_URL", default="")
TRANSIT_GBIS_KEY = env.str("TRANSIT_GBIS_KEY", default="")
TRANSIT_GBIS_TIMEOUT = env.float("TRANSIT_GBIS_TIMEOUT", default=3.0)
# One provider call per stop per this many seconds, however many visitors ask (the quota is per day).
TRANSIT_ARRIVALS_CACHE_SECONDS = env.int("TRANSIT_ARRIVALS_CACHE_SECONDS", default=25)
# Without TRANSIT_GBIS_URL, the illustrative feed's bus stops show arrivals made from its timetable,
# labelled "demo" (a real feed's stops never do).
TRANSIT_DEMO_ARRIVALS = env.bool("TRANSIT_DEMO_ARRIVALS", default=True)

# --- Archive (apps.archive) -------------------------------------------------------------------
# The OAI-PMH repository identifier: a domain name of the city's, the middle of every record's
# identifier (oai:<it>:archive/<id>); it must never change once harvested.
ARCHIVE_OAI_REPOSITORY_IDENTIFIER = env.str("ARCHIVE_OAI_REPOSITORY_IDENTIFIER", default="archive.uijeongbu.go.kr")
ARCHIVE_OAI_ADMIN_EMAIL = env.str("ARCHIVE_OAI_ADMIN_EMAIL", default="archive@uijeongbu.go.kr")
# Images the IIIF Image API made, kept on disk up to this size (the oldest used go first).
ARCHIVE_IIIF_CACHE_DIR = Path(env.str("ARCHIVE_IIIF_CACHE_DIR", default=str(VAR_DIR / "iiif-cache")))
ARCHIVE_IIIF_CACHE_MAX_MB = env.int("ARCHIVE_IIIF_CACHE_MAX_MB", default=1024)
