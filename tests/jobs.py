"""Bulk exports as the pages start them: a POST of the page's download button, then the job's
progress page, then its ZIP. Tests run jobs with the immediate backend, so the job has run by
the time the POST returns."""

import os
import zipfile
from io import BytesIO
from urllib.parse import urlencode

from django.db import connection
from django.urls import resolve, reverse

from declarations.models import Job


def start_export(client, url: str, query: dict | None = None, data: dict | None = None) -> Job:
    """POST ``data`` to ``url``?``query`` as the page's button does; the job it started."""
    address = f"{url}?{urlencode(query)}" if query else url
    response = client.post(address, data or {})
    assert response.status_code == 302, (response.status_code, response.content[:500])
    match = resolve(response["Location"])
    assert match.url_name == "job_detail", response["Location"]
    return Job.objects.get(pk=match.kwargs["pk"])


def exported_zip(client, url: str, query: dict | None = None, data: dict | None = None):
    """The ZIP the page's download button leads to, opened."""
    job = start_export(client, url, query, data)
    assert job.state == Job.State.DONE, (job.state, job.error)
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))


# The real queue, for the tests that run a db_worker process.
DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def database_url() -> str:
    """The test database, as a worker process must reach it."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def worker_environment(job_files_dir, cache_dir) -> dict:
    """The environment of a ``manage.py db_worker`` on the test database, writing its files
    where the test process reads them."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kexie_perf.settings",
        "DEBUG": "1",
        "SECRET_KEY": "worker-test-" + "x" * 50,
        "DATABASE_URL": database_url(),
        "JOB_FILES_DIR": str(job_files_dir),
        "EXPORT_CACHE_DIR": str(cache_dir),
    }
