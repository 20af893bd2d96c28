"""Bulk PDF exports render several files at once (``export_many(..., jobs=N)``, the command's
``--jobs``) and still give the files of one at a time: same bytes, same order, same names."""

import threading
import time
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command

from declarations.exports import pdf as pdf_module
from declarations.exports import service
from declarations.exports.pdf import PdfTooLong
from declarations.exports.service import export_many, grid_digest, with_export_data
from declarations.models import Declaration
from tests.factories import BudgetFactory, DeclarationFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_export_cache():
    caches["exports"].clear()


def samples() -> list[Declaration]:
    return list(
        with_export_data(Declaration.objects.exclude(sample_key=None)).order_by("sample_key")
    )


class FakeRenders:
    """Stands in for WeasyPrint: a "PDF" that names its grid, each render taking longer the
    earlier its table comes, so that later files are ready first; counts what overlaps."""

    def __init__(self, fail_at: int | None = None):
        self.fail_at = fail_at
        self.started = 0
        self.running = 0
        self.most_at_once = 0
        self.finished: list[int] = []  # the renders' numbers, in the order they finished
        self.lock = threading.Lock()

    def __call__(self, grid) -> bytes:
        with self.lock:
            index = self.started
            self.started += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(max(0.06 - 0.01 * index, 0.005))
            if index == self.fail_at:
                raise PdfTooLong()
            return f"%PDF {grid_digest(grid)}".encode()
        finally:
            with self.lock:
                self.running -= 1
                self.finished.append(index)


def test_files_come_in_order_when_later_ones_are_ready_first(monkeypatch):
    declarations = samples()
    monkeypatch.setattr(service, "render_pdf", FakeRenders())
    one_at_a_time = [(f.filename, f.data) for f in export_many(declarations, "pdf")]
    caches["exports"].clear()
    renders = FakeRenders()
    monkeypatch.setattr(service, "render_pdf", renders)
    side_by_side = [(f.filename, f.data) for f in export_many(declarations, "pdf", jobs=2)]
    assert side_by_side == one_at_a_time
    assert len(side_by_side) == 9 and renders.most_at_once == 2
    assert renders.finished != sorted(renders.finished)  # later files were ready first


def test_a_failing_render_stops_the_export_after_the_files_before_it(monkeypatch):
    declarations = samples()
    names = [f.filename for f in export_many(declarations, "xlsx")]
    monkeypatch.setattr(service, "render_pdf", FakeRenders(fail_at=2))
    files = export_many(declarations, "pdf", jobs=2)
    assert [next(files).filename, next(files).filename] == [
        n.replace(".xlsx", ".pdf") for n in names[:2]
    ]
    with pytest.raises(PdfTooLong) as failed:
        next(files)
    assert failed.value.message.startswith(names[2].replace(".xlsx", ".pdf") + "：")
    assert "表格文字过长" in failed.value.message


def test_only_a_few_files_are_rendered_ahead_of_the_one_taken(monkeypatch):
    renders = FakeRenders()
    monkeypatch.setattr(service, "render_pdf", renders)
    files = export_many(samples(), "pdf", jobs=2)
    next(files)
    files.close()  # the rest are not rendered
    assert renders.started <= 5 < 9


def test_no_more_renders_at_once_than_the_process_may_run(monkeypatch, settings):
    """Asked for 8 at once where PDF_MAX_CONCURRENT is 2, the export runs 2: the others would
    wait for a turn and, past PDF_QUEUE_TIMEOUT, fail as busy."""
    settings.PDF_MAX_CONCURRENT = 2
    settings.PDF_QUEUE_TIMEOUT = 0.01
    renders = FakeRenders()
    monkeypatch.setattr(pdf_module._Pool, "_render", lambda pool, job: renders(job[0]))
    files = list(export_many(samples(), "pdf", jobs=8))
    assert len(files) == 9 and renders.most_at_once == 2


def test_render_workers_starts_them_all_at_once_and_stops_them(settings):
    settings.PDF_MAX_CONCURRENT = 1
    with pdf_module.render_workers(3) as at_once:
        pool = pdf_module._pool()
        assert at_once == 3 and pool.size == 3 and pdf_module.render_capacity() == 3
        workers = list(pool.idle)
        assert len(workers) == 3 and all(w.is_alive() for w in workers)
    assert not any(w.is_alive() for w in workers)
    assert pdf_module._pool().size == 1  # back to what a server process may run


def export_command(out, jobs: int, department: str = "沙区科协") -> list[str]:
    stdout = StringIO()
    call_command(
        "export_declarations",
        *("--format", "pdf", "--out", str(out), "--department", department),
        *("--jobs", str(jobs)),
        stdout=stdout,
        stderr=StringIO(),
    )
    return [line.rsplit("/", 1)[1] for line in stdout.getvalue().splitlines()]


def test_the_command_with_jobs_writes_the_files_of_one_job(tmp_path):
    """Real renders: three tables, two of them of projects of the same name."""
    department = DepartmentFactory()
    for name in ["科普活动", "科普活动", "学术交流"]:
        BudgetFactory(declaration=DeclarationFactory(department=department, project_name=name))
    one = export_command(tmp_path / "one", 1, department.name)
    caches["exports"].clear()
    two = export_command(tmp_path / "two", 2, department.name)
    assert two == one and len(set(one)) == 3 and any("(2)" in name for name in one)
    for name in one:
        data = (tmp_path / "two" / name).read_bytes()
        assert data.startswith(b"%PDF") and data == (tmp_path / "one" / name).read_bytes()


def test_the_command_reports_a_failed_render_with_the_files_name(tmp_path, settings):
    settings.PDF_RENDER_TIMEOUT = 0.001
    with pytest.raises(CommandError) as failed:
        export_command(tmp_path, jobs=2)
    message = str(failed.value)
    assert "PDF 生成超时" in message and "_绩效目标申报表.pdf：" in message
    assert "此前的 0 个文件已写出" in message and list(tmp_path.iterdir()) == []
