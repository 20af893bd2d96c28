"""One job end to end through the real queue: the page queues it in the database, a real
``manage.py db_worker`` process (another process, as in production) takes it and runs it, and
the page then offers the ZIP."""

import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from declarations.models import Job, User
from tests.jobs import DATABASE_BACKEND, start_export, worker_environment

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_takes_the_export_from_the_database(client, settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    call_command("load_samples", "--demo-accounts", verbosity=0)
    client.force_login(User.objects.get(username="reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    assert job.state == Job.State.QUEUED  # queued, not run by the request
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "排队中" in page and "0 / 4" in page

    environment = worker_environment(settings.JOB_FILES_DIR, tmp_path / "cache")
    # --batch: run what is queued, then exit; no reloader in a test.
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (Job.State.DONE, 4, 4, "")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "run_job" in worker.stdout + worker.stderr  # the worker says what it ran

    response = client.get(reverse("job_download", args=[job.pk]))
    names = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 4 and all(name.startswith("2025年_沙区科协_") for name in names)
