"""Settings of the test run (pytest): production settings, with a fixed key and plain HTTP.

The tests run the production configuration (DEBUG off) so that what they check is what a
server runs; only what a test client or the live server on http://localhost cannot use is
changed. Settings as a server builds them from its environment are tested in a subprocess
(tests/security/test_settings.py).
"""

import os

# Set before the base settings read it: they refuse to start without a long key.
os.environ.setdefault("SECRET_KEY", "kexie-perf-tests-only-" + "k3x1e" * 10)

from kexie_perf.settings import *  # noqa: E402, F403

# Tests serve static files as they are: no `collectstatic` before a test run
# (tests/test_production_serving.py runs the production storage with gunicorn).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # and no complaint that STATIC_ROOT was never collected

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not Django's shared-cache in-memory one: there, two threads of
    # the live server (a double-click, a page and its fetch) that meet fail at once with
    # "database table is locked" -- shared-cache locks ignore the busy timeout a server has.
    # WAL lets a reader go on while a writer writes, as on a server; nothing needs to survive
    # a crash, so nothing is synced.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("KEXIE_TEST_SQLITE", f"/tmp/kexie-perf-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )

# Jobs run at once, in the process that starts them, so a test sees their outcome when the
# request returns (tests/declarations/test_jobs_worker.py runs a real db_worker too).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOB_RETRY_DELAY = 0
# Rendered files in memory, per test process: no test sees another run's files.
CACHES = {
    **CACHES,  # noqa: F405
    "exports": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "exports",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
