"""A bulk export in a real browser with a real worker: the reviewer asks for the queue's PDFs,
lands on the job's progress page while the job waits in the database, a ``manage.py
db_worker`` process takes it, the page follows it without a reload, and the ZIP downloads."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        raise
    pytest.skip(
        "browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

from declarations import workflow
from declarations.models import Declaration, Job, User
from tests.jobs import DATABASE_BACKEND, worker_environment

ROOT = Path(__file__).resolve().parents[2]
REVIEWER_PASSWORD = "kexie-review-2025"


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker on the live server's database, started when the test asks for it."""
    settings.TASKS = DATABASE_BACKEND
    processes = []

    def start():
        environment = worker_environment(settings.JOB_FILES_DIR, tmp_path / "cache")
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.e2e
def test_the_queue_export_runs_in_the_background_and_downloads(
    page: Page, login, screenshot, worker, tmp_path
):
    staff = User.objects.get(username="shapingba")
    for key in ("000-1", "000-2"):
        workflow.perform(Declaration.objects.get(sample_key=key), "submit", by=staff)

    login(page, "reviewer", REVIEWER_PASSWORD)
    page.goto("/reviews/")
    page.get_by_role("button", name="下载筛选结果（PDF）").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("#job-state")).to_have_text("排队中")
    expect(page.locator("#job-count")).to_have_text("0 / 2")
    screenshot(page, "queued")

    worker()
    expect(page.locator("#job-state")).to_have_text("已完成", timeout=60_000)
    expect(page.locator("#job-count")).to_have_text("2 / 2")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-leave")).to_have_count(0)
    screenshot(page, "done")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 ZIP").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    assert download.value.suggested_filename == "审核队列_pdf.zip"
    names = zipfile.ZipFile(path).namelist()
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)

    # The job is listed among the reviewer's own, with its outcome.
    page.get_by_role("link", name="后台任务", exact=True).click()
    expect(page.locator("#jobs tbody tr").first).to_contain_text("已完成")
    assert Job.objects.get(kind=Job.Kind.EXPORT).state == Job.State.DONE
