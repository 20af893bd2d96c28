"""Background jobs: bulk exports, pre-rendering of a declaration's files, e-mail.

Each job is a ``Job`` row (what its starter sees) run by one django-tasks task, ``run_job``, on
the database backend (``manage.py db_worker``; tests use the immediate backend). The task:

- claims the row (queued -> running) with one UPDATE, so a job enqueued twice runs once;
- runs the handler of its kind, which reports progress on the row as it goes;
- on an error, puts the row back to wait and enqueues itself again, at most
  ``JOB_MAX_ATTEMPTS`` times in all, ``JOB_RETRY_DELAY`` seconds apart; then, or at once for an
  error that a retry cannot mend (``JobRefused``, a table too long to print), marks it failed
  with the reason in Chinese.

Nothing a job writes is half-done: an export is written under a temporary name and renamed
when whole; a rendered file enters the cache whole or not at all.

What an export holds is checked against its starter's scope when it runs, not only when it was
asked for: a reviewer moved to another division the next minute gets none of the old
division's tables.
"""

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from declarations.exports.filenames import unique_names
from declarations.exports.pdf import PdfTooLong, PdfUnavailable, render_capacity
from declarations.exports.performance_tables import export_report, report_filename
from declarations.exports.service import (
    ExportFile,
    export_declaration,
    export_filename,
    export_many,
    with_export_data,
    write_files_zip,
)
from declarations.models import Declaration, Job, StatusChange
from declarations.notifications import notify_move
from declarations.roles import (
    declarations_visible_to,
    evaluations_visible_to,
    monitoring_reports_visible_to,
)

try:  # Django 6 has the tasks framework built in; 5.2 takes the django-tasks backport.
    from django.tasks import default_task_backend, task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

# Declarations fetched and rendered together: few queries per file, bounded memory.
CHUNK = 50


class JobRefused(Exception):
    """A job that cannot succeed, whatever the number of attempts; ``message`` says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# -- starting ------------------------------------------------------------------------------------

EXPORT_SOURCES = {
    "declarations": "申报表",
    "monitoring": "监控表",
    "evaluation": "自评表",
}


def start_export(*, by, source: str, ids: list[int], fmt: str, stem: str, label: str) -> Job:
    """Queue a ZIP of the official tables of ``ids`` (declarations, monitoring reports or
    self-evaluations, in that order) for ``by``, who downloads it from the job's page."""
    if source not in EXPORT_SOURCES:
        raise ValueError(source)
    purge_expired()
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        label=label[:200],
        started_by=by,
        params={"source": source, "ids": list(ids), "fmt": fmt, "stem": stem},
        total=len(ids),
    )
    run_job.enqueue(job.pk)
    return job


def prerender_later(declaration: Declaration, *, by) -> None:
    """Render the declaration's PDF and Excel into the export cache once the current
    transaction commits, so that the next download is served from the cache."""
    declaration_id, label = declaration.pk, f"{declaration.fiscal_year}年 {declaration.subject}"
    transaction.on_commit(
        lambda: _start(Job.Kind.PRERENDER, by, label, {"declaration": declaration_id}, total=2)
    )


def mail_later(change: StatusChange) -> None:
    """Send the e-mail about a move once the move is committed."""
    label = f"{change.declaration.fiscal_year}年 {change.declaration.subject}：通知邮件"
    transaction.on_commit(
        lambda: _start(Job.Kind.MAIL, change.by, label, {"change": change.pk}, total=1)
    )


def _start(kind: str, by, label: str, params: dict, total: int) -> Job:
    job = Job.objects.create(
        kind=kind, label=label[:200], started_by=by, params=params, total=total
    )
    run_job.enqueue(job.pk)
    return job


# -- running ---------------------------------------------------------------------------------------


@task()
def run_job(job_id: int) -> None:
    claimed = Job.objects.filter(
        pk=job_id, state__in=(Job.State.QUEUED, Job.State.RETRYING)
    ).update(state=Job.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return  # finished already, or taken by another worker
    job = Job.objects.select_related("started_by").get(pk=job_id)
    logger.info("job %s started (attempt %s): %s", job.pk, job.attempts, job)
    try:
        HANDLERS[job.kind](job)
    except Exception as exc:  # noqa: BLE001 - every failure is reported on the job's row
        _failed(job, exc)
    else:
        logger.info("job %s done: %s", job.pk, job)


def _failed(job: Job, exc: Exception) -> None:
    message = describe(exc)
    final = isinstance(exc, JobRefused | PdfTooLong) or job.attempts >= settings.JOB_MAX_ATTEMPTS
    if isinstance(exc, JobRefused):
        logger.warning("job %s refused: %s", job.pk, message)
    else:
        logger.exception("job %s failed (attempt %s)", job.pk, job.attempts)
    if final:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=message, finished_at=timezone.now()
        )
        return
    delay = settings.JOB_RETRY_DELAY
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RETRYING,
        error=f"第 {job.attempts} 次尝试失败：{message}（{delay:g} 秒后自动重试）",
    )
    runner = run_job
    if delay and default_task_backend.supports_defer:
        runner = run_job.using(run_after=timezone.now() + timedelta(seconds=delay))
    runner.enqueue(job.pk)


def describe(exc: Exception) -> str:
    """What went wrong, in words for the person who started the job."""
    if isinstance(exc, JobRefused):
        return exc.message
    if isinstance(exc, PdfUnavailable):
        return exc.message
    if isinstance(exc, ConnectionError | TimeoutError) or type(exc).__module__ == "smtplib":
        return "邮件服务器无法连接或拒绝发送，请稍后再试或联系管理员。"
    if isinstance(exc, OSError):
        return "服务器写文件失败（磁盘空间不足或无权限），请联系管理员。"
    return f"处理时发生内部错误（{type(exc).__name__}），已记入服务器日志，请联系管理员。"


# -- the handlers ------------------------------------------------------------------------------


def _progress(job: Job, files: Iterable[ExportFile]) -> Iterator[ExportFile]:
    """Pass ``files`` on, recording on the job's row how many have been made."""
    for done, file in enumerate(files, start=1):
        yield file
        Job.objects.filter(pk=job.pk).update(done=done)


def _declaration_files(job: Job, ids: list[int], fmt: str) -> tuple[int, Iterable[ExportFile]]:
    scope = declarations_visible_to(job.started_by).filter(pk__in=ids)
    allowed = set(scope.values_list("pk", flat=True))
    ordered = [pk for pk in ids if pk in allowed]
    names = {
        d.pk: export_filename(d, fmt)
        for d in Declaration.objects.filter(pk__in=ordered).select_related("department", "project")
    }
    unique = dict(zip(ordered, unique_names([names[pk] for pk in ordered]), strict=True))

    def files() -> Iterator[ExportFile]:
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            fetched = {d.pk: d for d in with_export_data(Declaration.objects.filter(pk__in=chunk))}
            rendered = export_many([fetched[pk] for pk in chunk], fmt, jobs=render_capacity())
            for pk, file in zip(chunk, rendered, strict=True):
                yield ExportFile(unique[pk], file.content_type, file.data)

    return len(ordered), files()


def _report_files(job: Job, ids: list[int], fmt: str) -> tuple[int, Iterable[ExportFile]]:
    visible = (
        monitoring_reports_visible_to
        if job.params["source"] == "monitoring"
        else evaluations_visible_to
    )(job.started_by)
    subjects = {s.pk: s for s in visible.filter(pk__in=ids).select_related("declaration")}
    ordered = [subjects[pk] for pk in ids if pk in subjects]
    names = unique_names([report_filename(s, fmt) for s in ordered])

    def files() -> Iterator[ExportFile]:
        for subject, name in zip(ordered, names, strict=True):
            file = export_report(subject, fmt)
            yield ExportFile(name, file.content_type, file.data)

    return len(ordered), files()


def _export(job: Job) -> None:
    if job.started_by is None or not job.started_by.is_active:
        raise JobRefused("发起导出的账号已停用，未生成文件。")
    source, ids, fmt = job.params["source"], job.params["ids"], job.params["fmt"]
    select = _declaration_files if source == "declarations" else _report_files
    total, files = select(job, ids, fmt)
    if not total:
        raise JobRefused("所选内容已不在您的查看范围内，没有可导出的文件。")
    Job.objects.filter(pk=job.pk).update(total=total, done=0)
    final = job.file_path()
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_suffix(f".{os.getpid()}.part")
    try:
        with open(partial, "wb") as archive:
            write_files_zip(_progress(job, files), archive)
        os.replace(partial, final)  # the ZIP appears whole, or not at all
    finally:
        partial.unlink(missing_ok=True)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        error="",
        done=total,
        file_name=f"{job.params['stem']}.zip",
        file_size=final.stat().st_size,
        finished_at=now,
        expires_at=now + Job.keep_for(),
    )


def _prerender(job: Job) -> None:
    declaration = with_export_data(Declaration.objects.filter(pk=job.params["declaration"])).first()
    if declaration is not None:  # deleted since (a discarded draft): nothing to render
        for done, fmt in enumerate(("xlsx", "pdf"), start=1):
            export_declaration(declaration, fmt)
            Job.objects.filter(pk=job.pk).update(done=done)
    _finish(job)


def _mail(job: Job) -> None:
    change = (
        StatusChange.objects.select_related("declaration__department", "by")
        .filter(pk=job.params["change"])
        .first()
    )
    if change is not None:
        notify_move(change)
    _finish(job)


def _finish(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, error="", done=F("total"), finished_at=timezone.now()
    )


HANDLERS: dict[str, Callable[[Job], None]] = {
    Job.Kind.EXPORT: _export,
    Job.Kind.PRERENDER: _prerender,
    Job.Kind.MAIL: _mail,
}


# -- housekeeping ----------------------------------------------------------------------------------

# Finished pre-render and e-mail jobs are kept this long for their starters to look at.
KEEP_SMALL_JOBS_DAYS = 7
# No job of ours runs this long (a province's PDFs at ~0.1 s each take minutes, not hours).
STALLED_AFTER = timedelta(hours=6)


def purge_expired(now=None) -> int:
    """Delete the files of exports past their keeping time and forget old small jobs;
    return how many files were deleted."""
    now = now or timezone.now()
    expired = Job.objects.filter(state=Job.State.DONE, kind=Job.Kind.EXPORT, expires_at__lt=now)
    deleted = 0
    for job in expired:
        job.file_path().unlink(missing_ok=True)
        deleted += 1
    expired.update(state=Job.State.EXPIRED)
    # A worker killed in the middle of a job (a machine restarted) leaves it running for ever:
    # past STALLED_AFTER its starter is told, rather than left watching a bar that never moves.
    Job.objects.filter(state=Job.State.RUNNING, started_at__lt=now - STALLED_AFTER).update(
        state=Job.State.FAILED,
        error="后台处理进程在任务进行中停止（服务器重启或进程被终止），请重新发起。",
        finished_at=now,
    )
    Job.objects.filter(
        kind__in=(Job.Kind.PRERENDER, Job.Kind.MAIL),
        state__in=Job.FINISHED,
        finished_at__lt=now - timedelta(days=KEEP_SMALL_JOBS_DAYS),
    ).delete()
    return deleted
