"""WSGI entry point of kexie_perf."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie_perf.settings")

application = get_wsgi_application()
