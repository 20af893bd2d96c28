"""Where users get the exports: detail page, downloads, bulk ZIP, management command, cache."""

import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.urls import reverse

from declarations.exports import service
from declarations.models import Declaration, Department, Job, User
from tests.declarations.exports.readers import pdf_text, read_xlsx
from tests.factories import DeclarationFactory, staff_user
from tests.jobs import exported_zip, start_export

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(User.objects.get(username=username))


def sample(key):
    return Declaration.objects.get(sample_key=key)


def test_detail_page_shows_the_official_table_and_download_buttons(client):
    login(client, "shapingba")
    declaration = sample("000-2")
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert "重庆市沙坪坝区科学技术协会专项绩效目标申报表" in page
    assert '<td class="s-text">“科创中国”科技精准服务对接</td>' in page
    assert reverse("declaration_export", args=[declaration.pk, "xlsx"]) in page
    assert reverse("declaration_export", args=[declaration.pk, "pdf"]) in page


def test_detail_page_escapes_what_users_typed(client):
    department = Department.objects.get(name="重庆市沙坪坝区科学技术协会")
    declaration = DeclarationFactory(
        department=department, annual_target="<script>alert(1)</script>"
    )
    login(client, "shapingba")
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_download_is_the_declaration_in_its_layout(client, fmt):
    login(client, "chenggong")
    response = client.get(reverse("declaration_export", args=[sample("003-1").pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''2023" in response["Content-Disposition"]
    if fmt == "xlsx":
        assert "人均科普经费" in read_xlsx(response.content).texts()
    else:
        assert "人均科普经费" in pdf_text(response.content)


def test_another_departments_declaration_is_404_everywhere(client):
    login(client, "nansha")
    other = sample("000-1").pk
    for url in [
        reverse("declaration_detail", args=[other]),
        reverse("declaration_export", args=[other, "xlsx"]),
        reverse("declaration_export", args=[other, "pdf"]),
    ]:
        assert client.get(url).status_code == 404


def test_unknown_format_is_404(client):
    login(client, "shapingba")
    assert (
        client.get(reverse("declaration_export", args=[sample("000-1").pk, "docx"])).status_code
        == 404
    )


def test_staff_may_not_bulk_export(client):
    login(client, "shapingba")
    for response in (
        client.get(reverse("bulk_export")),
        client.post(reverse("bulk_export"), {"fiscal_year": 2025, "format": "xlsx"}),
    ):
        assert response.status_code == 403
        assert "只有财政审核人员和管理员可以批量导出" in response.content.decode()
    assert not Job.objects.exists()


def zip_names(archive) -> list[str]:
    with archive:
        assert archive.testzip() is None
        return sorted(archive.namelist())


def test_reviewer_bulk_export_holds_only_supervised_declarations(client):
    login(client, "reviewer")
    names = zip_names(
        exported_zip(client, reverse("bulk_export"), data={"fiscal_year": 2025, "format": "xlsx"})
    )
    assert len(names) == 4 and all(n.startswith("2025年_沙区科协_") for n in names)
    # A year of a department the reviewer does not supervise is refused with a message.
    response = client.post(reverse("bulk_export"), {"fiscal_year": 2024, "format": "xlsx"})
    assert "没有该年度的可导出申报表" in response.content.decode()
    assert Job.objects.count() == 1


def test_a_get_with_the_form_filled_in_starts_nothing(client):
    """Only the posted form starts an export: a link or a prefetch of the page does not."""
    login(client, "reviewer")
    response = client.get(reverse("bulk_export"), {"fiscal_year": 2025, "format": "xlsx"})
    assert response.status_code == 200 and "开始导出" in response.content.decode()
    assert not Job.objects.exists()


def test_administrator_bulk_export_by_year_and_department(client):
    login(client, "admin")
    shunping = Department.objects.get(name="顺平县科学技术协会")
    job = start_export(
        client,
        reverse("bulk_export"),
        data={"fiscal_year": 2021, "department": shunping.pk, "format": "pdf"},
    )
    response = client.get(reverse("job_download", args=[job.pk]))
    names = zip_names(zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))))
    assert names == [
        "2021年_顺平县科学技术协会_科普专项_绩效目标申报表.pdf",
        "2021年_顺平县科学技术协会_部门整体_绩效目标申报表.pdf",
    ]
    assert "filename*=utf-8''2021" in response["Content-Disposition"]
    assert (job.done, job.total) == (2, 2)


def test_bulk_form_shows_years_and_departments(client):
    login(client, "admin")
    page = client.get(reverse("bulk_export")).content.decode()
    assert "2025年" in page and "2021年" in page and "顺平县科学技术协会" in page


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_export_command_writes_one_file_per_declaration(tmp_path, fmt):
    out = StringIO()
    call_command(
        "export_declarations",
        "--format",
        fmt,
        "--out",
        str(tmp_path),
        "--year",
        "2025",
        "--department",
        "沙区科协",
        stdout=out,
        stderr=StringIO(),
    )
    printed = out.getvalue().split()
    files = sorted(tmp_path.iterdir())
    assert len(files) == 4 and sorted(printed) == sorted(str(f) for f in files)
    for file in files:
        data = file.read_bytes()
        if fmt == "xlsx":
            assert "重庆市沙坪坝区科学技术协会专项绩效目标申报表" in read_xlsx(data).texts()
        else:
            assert "专项绩效目标申报表" in pdf_text(data)


def test_export_command_by_department_code_and_errors(tmp_path):
    call_command(
        "export_declarations",
        "--format",
        "xlsx",
        "--out",
        str(tmp_path),
        "--department",
        "731001",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert len(list(tmp_path.iterdir())) == 2
    with pytest.raises(CommandError, match="找不到单位"):
        call_command(
            "export_declarations",
            "--format",
            "xlsx",
            "--out",
            str(tmp_path),
            "--department",
            "不存在的科协",
        )
    with pytest.raises(CommandError, match="没有符合条件的申报表"):
        call_command(
            "export_declarations", "--format", "xlsx", "--out", str(tmp_path), "--year", "1999"
        )


def test_unchanged_declaration_is_served_from_the_cache(monkeypatch):
    caches["exports"].clear()
    renders = []
    real = service.ExportFormat.render
    monkeypatch.setattr(
        service.ExportFormat,
        "render",
        lambda self, grid: renders.append(grid.title) or real(self, grid),
    )
    declaration = service.with_export_data(Declaration.objects.filter(sample_key="004-2")).get()
    first = service.export_declaration(declaration, "pdf").data
    second = service.export_declaration(declaration, "pdf").data
    assert first == second and len(renders) == 1
    declaration.annual_target += "（已调整）"
    declaration.save()
    changed = service.export_declaration(declaration, "pdf").data
    assert changed != first and "（已调整）" in pdf_text(changed)


def test_staff_of_a_new_department_see_nothing_to_export(client):
    department = Department.objects.create(name="测试县科学技术协会")
    user = staff_user(department)
    client.force_login(user)
    assert client.get(reverse("declaration_detail", args=[sample("001-1").pk])).status_code == 404


def test_a_declaration_prints_in_another_layout(client):
    login(client, "nansha")
    declaration = sample("001-1")
    page = client.get(
        reverse("declaration_detail", args=[declaration.pk]), {"layout": "hb_county"}
    ).content.decode()
    assert "绩效指标描述" in page and ">部门整体预算绩效目标申报表</td>" not in page
    assert "export/xlsx/?layout=hb_county" in page
    response = client.get(
        reverse("declaration_export", args=[declaration.pk, "xlsx"]), {"layout": "hb_county"}
    )
    assert "举办全国科普日活动场次" in read_xlsx(response.content).texts()
    assert "%E8%A1%A8%E6%A0%B7" in response["Content-Disposition"]  # "表样" in the file name
    assert (
        client.get(
            reverse("declaration_detail", args=[declaration.pk]), {"layout": "nope"}
        ).status_code
        == 404
    )
