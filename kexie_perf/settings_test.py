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

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
