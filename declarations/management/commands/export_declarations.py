"""``manage.py export_declarations``: write declarations to files in their official layouts."""

import os
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from declarations.exports.pdf import PdfUnavailable, render_workers
from declarations.exports.service import FORMATS, export_many, with_export_data
from declarations.models import Declaration, Department


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "按官方表样把申报表导出为 Excel 或 PDF 文件，每张申报表一个文件，并打印文件路径。"
    # The checks of what an export needs (the PDF font, declarations/checks.py). All of them
    # (URLs, admin, models: `manage.py check`) took a quarter of the command's start-up.
    requires_system_checks = ["kexie"]

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), required=True, help="导出格式")
        parser.add_argument("--out", required=True, type=Path, help="输出目录（不存在则创建）")
        parser.add_argument("--year", type=int, help="只导出该预算年度")
        parser.add_argument("--department", help="只导出该单位（单位编码、全称或简称）")
        parser.add_argument(
            "--jobs",
            type=positive,
            default=os.cpu_count() or 1,
            help="同时生成的 PDF 数（默认：CPU 核数）",
        )

    def execute(self, *args, **options):
        if options["format"] != "pdf":
            return super().execute(*args, **options)
        # The PDF workers start first, side by side, and load WeasyPrint while Django runs the
        # system checks and the declarations are fetched and laid out.
        with render_workers(options["jobs"]):
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        declarations = Declaration.objects.all()
        if options["year"] is not None:
            declarations = declarations.filter(fiscal_year=options["year"])
        if options["department"]:
            key = options["department"]
            departments = Department.objects.filter(Q(code=key) | Q(name=key) | Q(short_name=key))
            if not departments.exists():
                raise CommandError(f"找不到单位“{key}”：请使用单位编码、全称或简称。")
            declarations = declarations.filter(department__in=departments)
        declarations = with_export_data(declarations).order_by("department__name", "pk")
        if not declarations.exists():
            raise CommandError("没有符合条件的申报表。")
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        # Closed however the loop ends, so that no render goes on for a file not written.
        files = closing(export_many(declarations, options["format"], jobs=options["jobs"]))
        try:
            with files as exported:
                for file in exported:
                    path = out / file.filename
                    path.write_bytes(file.data)
                    self.stdout.write(str(path))
                    count += 1
        except PdfUnavailable as exc:  # its message names the file
            raise CommandError(f"{exc.message}（此前的 {count} 个文件已写出）") from exc
        self.stderr.write(self.style.SUCCESS(f"已导出 {count} 个文件到 {out}"))
