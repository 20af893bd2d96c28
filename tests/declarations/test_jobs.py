"""Background jobs (declarations/jobs.py), run by the immediate backend as in every test:
pre-rendering fills the export cache, bulk exports hold the starter's scope only and report
their progress, failed jobs are retried a bounded number of times and then reported in Chinese,
e-mail goes out as a job, finished ZIPs are deleted after their keeping time."""

import smtplib
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from declarations import jobs, services, workflow
from declarations.exports import service
from declarations.models import Declaration, Department, Job, User
from tests.jobs import exported_zip, start_export

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def sample(key: str) -> Declaration:
    return Declaration.objects.get(sample_key=key)


@pytest.fixture
def no_renders_after(monkeypatch):
    """Call it to fail any render from then on: what is served must come from the cache."""

    def refuse(self, grid):
        raise AssertionError("rendered at download time")

    return lambda: monkeypatch.setattr(service.ExportFormat, "render", refuse)


# -- pre-rendering -------------------------------------------------------------------------------


def test_a_submitted_declaration_is_downloaded_from_what_its_submission_rendered(
    client, django_capture_on_commit_callbacks, no_renders_after
):
    caches["exports"].clear()
    declaration = sample("000-1")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(declaration, "submit", by=user("shapingba"))
    job = Job.objects.get(kind=Job.Kind.PRERENDER)
    assert (job.state, job.done, job.total, job.started_by) == ("done", 2, 2, user("shapingba"))
    no_renders_after()
    client.force_login(user("shapingba"))
    for fmt in ("xlsx", "pdf"):
        response = client.get(reverse("declaration_export", args=[declaration.pk, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF" if fmt == "pdf" else b"PK")


def test_an_edit_prerenders_the_new_content(
    client, django_capture_on_commit_callbacks, no_renders_after
):
    """Any write through the services (here an administrator's edit of one part) renders the
    declaration as it now is."""
    caches["exports"].clear()
    declaration = sample("000-2")
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_part_edited(declaration.pk, by=user("admin"), what="测试")
    assert Job.objects.get(kind=Job.Kind.PRERENDER).state == Job.State.DONE
    no_renders_after()
    client.force_login(user("admin"))
    for fmt in ("xlsx", "pdf"):
        url = reverse("declaration_export", args=[declaration.pk, fmt])
        assert client.get(url).status_code == 200


def test_loading_the_samples_queues_no_render():
    """The published samples are rendered when first asked for, not at every load."""
    assert not Job.objects.filter(kind=Job.Kind.PRERENDER).exists()


# -- bulk exports --------------------------------------------------------------------------------


def test_an_export_holds_only_what_its_starter_may_see_when_it_runs(client):
    reviewer = user("reviewer")
    own = list(
        Declaration.objects.filter(department__supervising_division=reviewer.division)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    foreign = sample("004-1")  # Kunming: another division's
    assert foreign.pk not in own
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        label="测试",
        started_by=reviewer,
        params={"source": "declarations", "ids": [*own, foreign.pk], "fmt": "xlsx", "stem": "t"},
        total=len(own) + 1,
    )
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.total == len(own)
    client.force_login(reviewer)
    response = client.get(reverse("job_download", args=[job.pk]))
    names = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == len(own) and not any("昆明" in n or "五华" in n for n in names)


def test_a_reviewer_moved_away_before_the_job_runs_gets_nothing(client):
    reviewer = user("reviewer")
    ids = list(
        Declaration.objects.filter(department__supervising_division=reviewer.division).values_list(
            "pk", flat=True
        )
    )
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        label="测试",
        started_by=reviewer,
        params={"source": "declarations", "ids": ids, "fmt": "xlsx", "stem": "t"},
        total=len(ids),
    )
    reviewer.division = None
    reviewer.save()
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.attempts == 1  # no retry can mend it
    assert job.error == "所选内容已不在您的查看范围内，没有可导出的文件。"
    assert not job.file_path().exists()


def test_another_persons_job_is_not_found(client):
    client.force_login(user("reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    client.force_login(user("admin"))
    for name in ("job_detail", "job_status", "job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.label not in client.get(reverse("job_list")).content.decode()
    client.logout()
    assert client.get(reverse("job_status", args=[job.pk])).status_code == 302  # to log-in


def test_progress_advances_file_by_file_and_the_page_shows_it(client, monkeypatch):
    client.force_login(user("reviewer"))
    seen = []
    real = jobs.export_many

    def observed(declarations, fmt, **kwargs):
        for file in real(declarations, fmt, **kwargs):
            job = Job.objects.latest("pk")
            state = client.get(reverse("job_status", args=[job.pk])).json()
            seen.append((state["state"], state["done"], state["total"]))
            yield file

    monkeypatch.setattr(jobs, "export_many", observed)
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    total = job.total
    assert total >= 3
    assert seen == [("running", done, total) for done in range(total)]
    state = client.get(reverse("job_status", args=[job.pk])).json()
    assert (state["state"], state["done"], state["percent"]) == ("done", total, 100)
    assert state["download"] == reverse("job_download", args=[job.pk])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f"{total} / {total}" in page and "文件保留 24 小时" in page


def test_the_time_left_is_estimated_from_the_pace_so_far():
    now = timezone.now()
    job = Job(state=Job.State.RUNNING, total=10, done=4, started_at=now - timedelta(seconds=8))
    assert job.seconds_left(now) == 12
    assert Job(state=Job.State.RUNNING, total=10, done=0, started_at=now).seconds_left(now) is None


def test_nothing_to_export_says_so_and_starts_nothing(client):
    client.force_login(user("reviewer"))
    response = client.post(
        reverse("review_queue") + "?status=submitted", {"download": "xlsx"}, follow=True
    )
    assert "没有符合条件的内容，未生成导出文件。" in response.content.decode()
    assert not Job.objects.exists()


def test_too_many_files_are_refused_with_a_message(client, monkeypatch):
    from declarations import job_views

    monkeypatch.setattr(job_views, "MAX_EXPORT_FILES", 2)
    client.force_login(user("admin"))
    response = client.post(
        reverse("bulk_export"), {"fiscal_year": 2025, "format": "xlsx"}, follow=True
    )
    assert "一次最多导出 2 份" in response.content.decode()
    assert not Job.objects.exists()


# -- failures ------------------------------------------------------------------------------------


def test_a_failing_export_is_retried_then_reported_in_chinese(client, monkeypatch, settings):
    attempts = []

    def broken(declarations, fmt, **kwargs):
        attempts.append(1)
        raise RuntimeError("disk on fire")
        yield  # a generator, as the real one

    monkeypatch.setattr(jobs, "export_many", broken)
    client.force_login(user("reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    assert len(attempts) == settings.JOB_MAX_ATTEMPTS == job.attempts
    assert job.state == Job.State.FAILED
    assert job.error == "处理时发生内部错误（RuntimeError），已记入服务器日志，请联系管理员。"
    assert not list(settings.JOB_FILES_DIR.glob("*"))  # no ZIP, no half-written one
    home = client.get(reverse("home")).content.decode()
    assert "您有 1 个后台任务失败" in home
    listed = client.get(reverse("job_list")).content.decode()
    assert job.error in listed and "失败" in listed


def test_a_failure_that_passes_is_retried_and_the_export_completes(client, monkeypatch):
    real = jobs.export_many
    failures = [RuntimeError("once")]

    def flaky(declarations, fmt, **kwargs):
        if failures:
            raise failures.pop()
        yield from real(declarations, fmt, **kwargs)

    monkeypatch.setattr(jobs, "export_many", flaky)
    client.force_login(user("reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    assert (job.state, job.attempts, job.error) == (Job.State.DONE, 2, "")
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 200


# -- e-mail --------------------------------------------------------------------------------------


def test_the_mail_of_a_move_is_a_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(sample("000-1"), "submit", by=user("shapingba"))
    job = Job.objects.get(kind=Job.Kind.MAIL)
    assert job.state == Job.State.DONE and job.started_by == user("shapingba")
    assert len(mail.outbox) == 1 and "已提交审核" in mail.outbox[0].subject


def test_a_mail_server_that_refuses_is_reported_to_who_moved(
    django_capture_on_commit_callbacks, monkeypatch, settings
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(jobs, "notify_move", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(sample("000-1"), "submit", by=user("shapingba"))
    job = Job.objects.get(kind=Job.Kind.MAIL)
    assert job.state == Job.State.FAILED and job.attempts == settings.JOB_MAX_ATTEMPTS
    assert job.error == "邮件服务器无法连接或拒绝发送，请稍后再试或联系管理员。"
    # The move itself stands: only the mail failed.
    assert sample("000-1").status == "submitted"


# -- keeping and deleting ------------------------------------------------------------------------


def test_a_zip_is_deleted_after_its_keeping_time(client):
    client.force_login(user("reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    path = job.file_path()
    assert path.is_file()
    later = job.expires_at + timedelta(seconds=1)
    assert jobs.purge_expired(now=later - timedelta(hours=2)) == 0 and path.is_file()
    assert jobs.purge_expired(now=later) == 1
    job.refresh_from_db()
    assert job.state == Job.State.EXPIRED and not path.exists()
    response = client.get(reverse("job_download", args=[job.pk]), follow=True)
    assert "该任务没有可下载的文件。" in response.content.decode()
    assert "已超过保留时间" in client.get(reverse("job_detail", args=[job.pk])).content.decode()


def test_a_department_export_by_an_administrator_is_named_after_it(client):
    client.force_login(user("admin"))
    shunping = Department.objects.get(name="顺平县科学技术协会")
    archive = exported_zip(
        client,
        reverse("bulk_export"),
        data={"fiscal_year": 2021, "department": shunping.pk, "format": "xlsx"},
    )
    assert len(archive.namelist()) == 2
    job = Job.objects.get()
    assert job.file_name == "2021年_顺平县科学技术协会_绩效目标申报表_xlsx.zip"
    assert job.label == "2021年_顺平县科学技术协会_绩效目标申报表（Excel，2 份申报表）"


def test_the_purge_command_deletes_what_has_expired(client):
    from io import StringIO

    from django.core.management import call_command

    client.force_login(user("reviewer"))
    job = start_export(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("purge_jobs", stdout=out)
    assert out.getvalue().startswith("已删除 1 个超过 24 小时的导出文件")
    assert not job.file_path().exists()


def test_a_job_whose_worker_died_is_reported_by_the_purge():
    started = timezone.now() - timedelta(hours=7)
    stalled = Job.objects.create(
        kind=Job.Kind.EXPORT, label="t", state=Job.State.RUNNING, started_at=started
    )
    running = Job.objects.create(
        kind=Job.Kind.EXPORT, label="t", state=Job.State.RUNNING, started_at=timezone.now()
    )
    jobs.purge_expired()
    stalled.refresh_from_db()
    running.refresh_from_db()
    assert stalled.state == Job.State.FAILED and "请重新发起" in stalled.error
    assert running.state == Job.State.RUNNING
