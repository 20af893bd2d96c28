"""gunicorn's settings for kexie_perf: `gunicorn -c kexie_perf/gunicorn.conf.py`.

Everything a deployment changes comes from the environment:
- BIND (default 127.0.0.1:8000): the address the reverse proxy forwards to;
- WEB_CONCURRENCY: worker processes, by default two per core plus one, at most 12. Each worker
  serves one request at a time; a PDF export waits on the shared renderer pool
  (PDF_MAX_CONCURRENT per worker), so a slow export never blocks the other workers;
- GUNICORN_TIMEOUT (default 120 s): longer than the PDF renderer's own limit
  (PDF_RENDER_TIMEOUT, 60 s), which answers with a Chinese 503 page first;
- FORWARDED_ALLOW_IPS (default 127.0.0.1): the proxies whose X-Forwarded-* headers count.
"""

import multiprocessing
import os

wsgi_app = "kexie_perf.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after a while: WeasyPrint and openpyxl leave memory behind.
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Request lines only: a query string may hold a search keyword, never a password, but the
# bodies (forms) are never logged.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
