"""Nebula settings: every knob comes from an environment variable (documented in README.md).

The embedded default needs no pre-installed server: SQLite under NEBULA_STATE_DIR and a private
redis-server on a unix socket that `make run` starts itself.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("NEBULA_STATE_DIR", BASE_DIR / "var")).resolve()
STATE_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key():
    if os.environ.get("NEBULA_SECRET_KEY"):
        return os.environ["NEBULA_SECRET_KEY"]
    # Generated once per state directory so sessions survive restarts without a secret in git.
    key_file = STATE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("NEBULA_DEBUG", False)
ALLOWED_HOSTS = env_list("NEBULA_ALLOWED_HOSTS", "*")
PORT = int(os.environ.get("PORT", "8000"))
# The address clients reach this cloud at; written into the catalog and clouds.yaml.
PUBLIC_URL = os.environ.get("NEBULA_PUBLIC_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
REGION_NAME = os.environ.get("NEBULA_REGION", "RegionOne")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "guardian",
    "django_htmx",
    "core",
    "identity",
    "storage.images",
    "storage.objects",
    "storage.volumes",
    "network",
    "compute",
    "dashboard",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dashboard.middleware.DashboardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# OpenStack clients call paths without trailing slashes; never redirect them.
APPEND_SLASH = False
ROOT_URLCONF = "cloud.urls"
WSGI_APPLICATION = "cloud.wsgi.application"

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
                "dashboard.context_processors.dashboard",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{STATE_DIR / 'nebula.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and workers share one file: wait for locks and let readers run beside the writer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", f"redis+socket://{STATE_DIR / 'run' / 'redis.sock'}"
)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("NEBULA_TASKS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(STATE_DIR / "celerybeat-schedule")

AUTHENTICATION_BACKENDS = [
    "identity.admin_auth.IdentityAdminBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: every caller is an identity user.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "nebula_session"
# Where the dashboard keeps the user's token; the browsable API reads it from there too.
SESSION_TOKEN_KEY = "nebula_token"
LOGIN_URL = "/dashboard/auth/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = STATE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

PASSWORD_HASHERS = env_list(
    "NEBULA_PASSWORD_HASHERS",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.OpenStackJSONParser"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

# --- Identity ---------------------------------------------------------------------------
FERNET_KEY_REPOSITORY = Path(os.environ.get("NEBULA_FERNET_KEYS", STATE_DIR / "fernet-keys"))
FERNET_MAX_ACTIVE_KEYS = int(os.environ.get("NEBULA_FERNET_MAX_ACTIVE_KEYS", "3"))
TOKEN_EXPIRATION = int(os.environ.get("NEBULA_TOKEN_EXPIRATION", "3600"))
# How often (seconds) a process re-reads the revocation generation written by other processes.
# Revocations made by the process itself apply at once.
REVOCATION_CHECK_INTERVAL = float(os.environ.get("NEBULA_REVOCATION_CHECK_INTERVAL", "1.0"))
POLICY_FILE = os.environ.get("NEBULA_POLICY_FILE", "")
LDAP_TIMEOUT = float(os.environ.get("NEBULA_LDAP_TIMEOUT", "5"))

# --- Network (Neutron) -------------------------------------------------------------------
# The data-plane driver (network/drivers/): "logical" (API and IPAM only) or a dotted class path.
NETWORK_DRIVER = os.environ.get("NEBULA_NETWORK_DRIVER", "logical")

# --- Images ------------------------------------------------------------------------------
# The image store driver (storage/images/stores/) and where the filesystem store keeps image data.
IMAGE_STORE = os.environ.get("NEBULA_IMAGE_STORE", "filesystem")
IMAGE_STORE_DIR = Path(os.environ.get("NEBULA_IMAGE_STORE_DIR", STATE_DIR / "images"))
# Built artefacts that outlive one state dir (the bootable image's kernel, initramfs and disk).
BUILD_CACHE_DIR = Path(os.environ.get("NEBULA_BUILD_CACHE", "/var/cache/nebula"))

# --- Compute scheduler (compute/scheduler/, on core/scheduling/) -----------------------------
# Filters and weighers by class name (compute/scheduler/filters/, weighers/) or dotted path, in order.
SCHEDULER_FILTERS = env_list(
    "NEBULA_SCHEDULER_FILTERS",
    "ComputeFilter,AvailabilityZoneFilter,RamFilter,CoreFilter,DiskFilter,ImagePropertiesFilter,"
    "AggregateInstanceExtraSpecsFilter,ServerGroupAffinityFilter,ServerGroupAntiAffinityFilter",
)
SCHEDULER_WEIGHERS = env_list(
    "NEBULA_SCHEDULER_WEIGHERS",
    "RAMWeigher,CPUWeigher,DiskWeigher,IoOpsWeigher,ServerGroupSoftAffinityWeigher,"
    "ServerGroupSoftAntiAffinityWeigher",
)
# Positive multipliers spread (prefer the emptiest host), negative ones stack; 0 turns a weigher off.
SCHEDULER_RAM_WEIGHT_MULTIPLIER = float(os.environ.get("NEBULA_SCHEDULER_RAM_WEIGHT_MULTIPLIER", "1.0"))
SCHEDULER_CPU_WEIGHT_MULTIPLIER = float(os.environ.get("NEBULA_SCHEDULER_CPU_WEIGHT_MULTIPLIER", "1.0"))
SCHEDULER_DISK_WEIGHT_MULTIPLIER = float(os.environ.get("NEBULA_SCHEDULER_DISK_WEIGHT_MULTIPLIER", "1.0"))
SCHEDULER_IO_OPS_WEIGHT_MULTIPLIER = float(os.environ.get("NEBULA_SCHEDULER_IO_OPS_WEIGHT_MULTIPLIER", "-1.0"))
SCHEDULER_SOFT_AFFINITY_WEIGHT_MULTIPLIER = float(
    os.environ.get("NEBULA_SCHEDULER_SOFT_AFFINITY_WEIGHT_MULTIPLIER", "1.0"))
SCHEDULER_SOFT_ANTI_AFFINITY_WEIGHT_MULTIPLIER = float(
    os.environ.get("NEBULA_SCHEDULER_SOFT_ANTI_AFFINITY_WEIGHT_MULTIPLIER", "1.0"))
# The pick is random among this many best-weighed hosts (1: always the best), so that concurrent
# schedulers do not all race for the same host.
SCHEDULER_HOST_SUBSET_SIZE = int(os.environ.get("NEBULA_SCHEDULER_HOST_SUBSET_SIZE", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NEBULA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Every host a scheduler filter rejects is logged with its numbers at DEBUG (at INFO when no host is left).
LOGGING["loggers"]["nebula.scheduler"] = {"level": os.environ.get("NEBULA_SCHEDULER_LOG_LEVEL", "INFO")}
SILENCED_SYSTEM_CHECKS = ["models.W047"]  # SQLite only: uniqueness of assignments then rests on the service layer

# --- Compute (Nova) ---------------------------------------------------------------------
# NEBULA_ROLE=compute: a compute host worker. It needs no database: everything it needs travels in
# the task message and what it learns goes back as conductor tasks, so it gets no credentials at all.
NEBULA_ROLE = os.environ.get("NEBULA_ROLE", "all")
if NEBULA_ROLE == "compute":
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
COMPUTE_HOST = os.environ.get("NEBULA_COMPUTE_HOST", "") or __import__("socket").gethostname()
COMPUTE_AVAILABILITY_ZONE = os.environ.get("NEBULA_COMPUTE_ZONE", "nova")
COMPUTE_DRIVER = os.environ.get("NEBULA_COMPUTE_DRIVER", "fake")
COMPUTE_SERVICE_DOWN_TIME = int(os.environ.get("NEBULA_SERVICE_DOWN_TIME", "60"))
COMPUTE_REPORT_INTERVAL = float(os.environ.get("NEBULA_COMPUTE_REPORT_INTERVAL", "10"))
# The console tail a host sends (reports, refreshes) and how long os-getConsoleOutput waits for a fresh one.
COMPUTE_CONSOLE_TAIL_BYTES = int(os.environ.get("NEBULA_COMPUTE_CONSOLE_TAIL_BYTES", str(64 * 1024)))
COMPUTE_CONSOLE_WAIT = float(os.environ.get("NEBULA_COMPUTE_CONSOLE_WAIT", "3"))
COMPUTE_BUILD_TIMEOUT = int(os.environ.get("NEBULA_COMPUTE_BUILD_TIMEOUT", "300"))
COMPUTE_MAX_ATTEMPTS = int(os.environ.get("NEBULA_COMPUTE_MAX_ATTEMPTS", "3"))
COMPUTE_CPU_ALLOCATION_RATIO = float(os.environ.get("NEBULA_CPU_ALLOCATION_RATIO", "16.0"))
COMPUTE_RAM_ALLOCATION_RATIO = float(os.environ.get("NEBULA_RAM_ALLOCATION_RATIO", "1.5"))
COMPUTE_DISK_ALLOCATION_RATIO = float(os.environ.get("NEBULA_DISK_ALLOCATION_RATIO", "1.0"))
# The fake driver: one machine can pretend to be many hosts of any size, slow or failing.
FAKE_COMPUTE_VCPUS = int(os.environ.get("NEBULA_FAKE_VCPUS", "16"))
FAKE_COMPUTE_MEMORY_MB = int(os.environ.get("NEBULA_FAKE_MEMORY_MB", "32768"))
FAKE_COMPUTE_LOCAL_GB = int(os.environ.get("NEBULA_FAKE_LOCAL_GB", "1000"))
FAKE_COMPUTE_DELAY = float(os.environ.get("NEBULA_FAKE_DELAY", "0"))
FAKE_COMPUTE_FAIL = env_list("NEBULA_FAKE_FAIL", "")  # operations that fail on this host: spawn, reboot, ...
# The libvirt driver (NEBULA_COMPUTE_DRIVER=libvirt): real guests under QEMU (TCG by default; KVM fails on
# these machines), or libvirt's in-memory test driver (test:///default) for fast tests.
LIBVIRT_URI = os.environ.get("NEBULA_LIBVIRT_URI", "qemu:///system")
LIBVIRT_VIRT_TYPE = os.environ.get("NEBULA_LIBVIRT_VIRT_TYPE", "qemu")  # qemu (TCG) | kvm
# QEMU runs as libvirt-qemu: every directory above this one must be world-traversable.
LIBVIRT_INSTANCES_DIR = Path(os.environ.get("NEBULA_LIBVIRT_INSTANCES_DIR", STATE_DIR / "instances"))
LIBVIRT_SHUTDOWN_TIMEOUT = float(os.environ.get("NEBULA_LIBVIRT_SHUTDOWN_TIMEOUT", "5"))  # ACPI grace, then destroy
LIBVIRT_BOOT_WAIT = float(os.environ.get("NEBULA_LIBVIRT_BOOT_WAIT", "60"))  # 0: report as soon as QEMU runs
LIBVIRT_BOOT_MARKER = os.environ.get("NEBULA_LIBVIRT_BOOT_MARKER", r"boot complete|login:")
LIBVIRT_FORCE_CONFIG_DRIVE = env_bool("NEBULA_LIBVIRT_FORCE_CONFIG_DRIVE", True)
LIBVIRT_IMAGE_API_USERNAME = os.environ.get("NEBULA_LIBVIRT_IMAGE_API_USERNAME", "admin")
LIBVIRT_IMAGE_API_PASSWORD = os.environ.get("NEBULA_LIBVIRT_IMAGE_API_PASSWORD", "")
LIBVIRT_IMAGE_API_PROJECT = os.environ.get("NEBULA_LIBVIRT_IMAGE_API_PROJECT", "admin")
LIBVIRT_IMAGE_API_AUTH_URL = os.environ.get("NEBULA_LIBVIRT_IMAGE_API_AUTH_URL", f"{PUBLIC_URL}/identity")
LIBVIRT_IMAGE_API_URL = os.environ.get("NEBULA_LIBVIRT_IMAGE_API_URL", f"{PUBLIC_URL}/image")
# api: over the Image API with the credentials above; file: from the local image store directory.
LIBVIRT_IMAGE_SOURCE = os.environ.get("NEBULA_LIBVIRT_IMAGE_SOURCE",
                                      "api" if LIBVIRT_IMAGE_API_PASSWORD else "file")
LIBVIRT_IMAGE_CACHE_MAX_AGE = float(os.environ.get("NEBULA_LIBVIRT_IMAGE_CACHE_MAX_AGE", "3600"))
LIBVIRT_PERIODIC_INTERVAL = float(os.environ.get("NEBULA_LIBVIRT_PERIODIC_INTERVAL", "60"))
RESERVED_HOST_CPUS = int(os.environ.get("NEBULA_RESERVED_HOST_CPUS", "0"))
RESERVED_HOST_MEMORY_MB = int(os.environ.get("NEBULA_RESERVED_HOST_MEMORY_MB", "512"))
RESERVED_HOST_DISK_MB = int(os.environ.get("NEBULA_RESERVED_HOST_DISK_MB", "0"))
