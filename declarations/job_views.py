"""Pages of background jobs: a person's jobs, one job's progress, its ZIP.

Only the person who started a job sees it (another's job is a 404, whoever asks). Bulk
exports are started by the pages that list what is exported (``export_in_background``): the
year's declarations, the reviewer's queue, a monitoring round, a year's self-evaluations.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from declarations.exports.filenames import safe_filename
from declarations.jobs import EXPORT_SOURCES, start_export
from declarations.models import Job

JOBS_PAGE_SIZE = 20
# More files than this in one ZIP is refused: a ZIP of every PDF of a province is no one's
# reading, and the worker would be busy for hours. Filter first.
MAX_EXPORT_FILES = 5000


def export_in_background(request, *, source: str, ids: list[int], fmt: str, stem: str, back: str):
    """Queue a ZIP of ``ids`` for the requesting user and show its progress page; or, when
    there is nothing to export or too much, say so on the page the user came from."""
    if not ids:
        messages.warning(request, "没有符合条件的内容，未生成导出文件。")
        return redirect(back)
    if len(ids) > MAX_EXPORT_FILES:
        messages.error(
            request,
            f"一次最多导出 {MAX_EXPORT_FILES} 份（当前筛选结果 {len(ids)} 份），请先按年度、单位或状态筛选。",
        )
        return redirect(back)
    label = f"{stem}（{fmt.upper() if fmt == 'pdf' else 'Excel'}，{len(ids)} 份{EXPORT_SOURCES[source]}）"
    job = start_export(
        by=request.user,
        source=source,
        ids=ids,
        fmt=fmt,
        stem=safe_filename(f"{stem}_{fmt}", "zip").removesuffix(".zip"),
        label=label,
    )
    return redirect("job_detail", pk=job.pk)


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.filter(started_by=request.user), pk=pk)


def job_state(job: Job) -> dict:
    """What the progress page shows, as data: the page renders it and polls it."""
    seconds = job.seconds_left()
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "seconds_left": seconds,
        "eta": _duration(seconds) if seconds is not None else "",
        "error": job.error,
        "download": (
            reverse("job_download", args=[job.pk])
            if job.state == Job.State.DONE and job.kind == Job.Kind.EXPORT
            else ""
        ),
        "expires_at": (
            timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M") if job.expires_at else ""
        ),
    }


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"约 {seconds} 秒"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"约 {minutes} 分 {seconds} 秒"
    hours, minutes = divmod(minutes, 60)
    return f"约 {hours} 小时 {minutes} 分"


@login_required
@require_GET
def job_list(request):
    jobs = Job.objects.filter(started_by=request.user)
    page = Paginator(jobs, JOBS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "declarations/jobs/list.html",
        {"page": page, "keep_hours": Job.keep_for().total_seconds() // 3600},
    )


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(
        request,
        "declarations/jobs/detail.html",
        {
            "job": job,
            "state": job_state(job),
            "keep_hours": int(Job.keep_for().total_seconds() // 3600),
        },
    )


@login_required
@require_GET
def job_status(request, pk: int):
    return JsonResponse(job_state(_own_job(request, pk)))


@login_required
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    path = job.file_path()
    if job.kind != Job.Kind.EXPORT or job.state != Job.State.DONE:
        messages.warning(request, "该任务没有可下载的文件。")
        return redirect("job_detail", pk=job.pk)
    if job.expires_at <= timezone.now() or not path.is_file():
        messages.warning(request, "该导出文件已超过保留时间并已删除，请重新导出。")
        return redirect("job_detail", pk=job.pk)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type="application/zip"
    )
