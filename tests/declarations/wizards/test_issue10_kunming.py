"""Issue 10: the Kunming table's 项目实施单位 block (组织机构代码, 地址, 电话, 法人代表, 经费来源,
单位概况) is asked in the wizard, pre-filled from the department, printed as typed, and kept
as the declaration's own: no later save replaces it with the department's particulars."""

import re

import pytest
from django.urls import reverse

from declarations.exports.html import render_html
from declarations.exports.layouts import build_grid
from declarations.exports.service import with_export_data
from declarations.models import Declaration, DeclarationDraft, Department, User
from indicators.models import IndicatorCategory
from tests.declarations.wizards.helpers import Wizard, errors, formset, row_counts

pytestmark = pytest.mark.django_db

BASIC = {"project_name": "社区科普大讲堂", "fiscal_year": "2026", "layout": "km_project"}
NARRATIVES = {
    "legal_basis": "《全民科学素质行动规划纲要》。",
    "overview": "在辖区社区开展科普讲座。",
    "content": "每月一场科普讲座。",
    "overall_target": "三年内覆盖全区社区。",
    "annual_target": "举办讲座 12 场。",
}
TYPED = {
    "organisation_code": "91530114MA6NEW0001",
    "address": "呈贡区新址路 8 号",
    "phone": "0871-67490000",
    "head": "新任法人",
    "funding_source": "区级财政",
    "functions": "开展学术交流，普及科学知识。",
}


def indicators() -> dict:
    output = IndicatorCategory.objects.get(code="output")
    quantity = IndicatorCategory.objects.get(level=2, name="数量指标")
    row = {
        "level1": str(output.pk),
        "level2": str(quantity.pk),
        "name": "举办科普讲座场次",
        "kind": "quantitative",
        "operator": "≥",
        "value": "12",
        "unit": "场",
        "ORDER": "1",
    }
    return formset("indicators-rows", [row], initial=1)


def printed(declaration: Declaration) -> str:
    declaration = with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()
    return render_html(build_grid(declaration))


def field_value(page: str, name: str) -> str:
    tag = re.search(rf'<(input|textarea)\b[^>]*\bname="{name}"[^>]*>', page)
    assert tag, name
    if tag.group(1) == "textarea":
        return re.search(rf'name="{name}"[^>]*>\s*([^<]*)</textarea>', page).group(1).strip()
    value = re.search(r'value="([^"]*)"', tag.group())
    return value.group(1) if value else ""


@pytest.fixture
def clerk():
    return User.objects.get(username="chenggong")


def test_the_unit_particulars_are_asked_prefilled_and_printed_as_typed(client, clerk):
    department = Department.objects.get(pk=clerk.department_id)
    before = {name: getattr(department, name) for name in TYPED if name != "funding_source"}
    wizard = Wizard.start(client, clerk)
    assert wizard.post("basic", BASIC).status_code == 302
    assert wizard.post("budget", {"total": "2"}).status_code == 302

    page = wizard.get("narratives").content.decode()
    assert "项目实施单位（昆明市呈贡区科学技术协会）" in page
    for name, label in (("organisation_code", "组织机构代码"), ("head", "法人代表")):
        assert re.search(rf">\s*{label}\s*<", page), label
        assert field_value(page, f"narratives-{name}") == getattr(department, name)

    # Emptied, the table could not print it: the layout asks for it.
    rows_before = row_counts()
    refused = wizard.post("narratives", {**NARRATIVES, **TYPED, "organisation_code": ""})
    assert "所选表样需要填写组织机构代码。" in errors(refused)
    assert row_counts() == rows_before

    assert wizard.post("narratives", {**NARRATIVES, **TYPED}).status_code == 302
    assert wizard.post("indicators", indicators()).status_code == 302
    assert wizard.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(project__name=BASIC["project_name"])
    for name, value in TYPED.items():
        assert getattr(declaration, name) == value, name
    table = printed(declaration)
    for line in (
        "组织机构代码：91530114MA6NEW0001",
        "地址：呈贡区新址路 8 号",
        "联系电话：0871-67490000",
        "法人代表：新任法人",
        "经费来源：区级财政",
        "开展学术交流，普及科学知识。",
    ):
        assert line in table, line
    # The department row stays the administrators'.
    department.refresh_from_db()
    assert {name: getattr(department, name) for name in before} == before

    # Edited again (a draft: each save takes the department's particulars again), the
    # wizard shows and saves the declaration's own, so nothing is replaced.
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    edit = Wizard(client, DeclarationDraft.objects.get(declaration=declaration))
    page = edit.get("narratives").content.decode()
    assert field_value(page, "narratives-head") == "新任法人"
    assert field_value(page, "narratives-organisation_code") == "91530114MA6NEW0001"
    assert edit.post("budget", {"total": "3"}).status_code == 302
    assert edit.post("review", {}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.version == 2 and declaration.budget.total == 30000
    assert (declaration.head, declaration.organisation_code) == ("新任法人", "91530114MA6NEW0001")
    assert "法人代表：新任法人" in printed(declaration)


def test_another_layout_in_between_keeps_the_typed_particulars(client, clerk):
    wizard = Wizard.start(client, clerk)
    for step, data in (
        ("basic", BASIC),
        ("budget", {"total": "2"}),
        ("narratives", {**NARRATIVES, **TYPED}),
        ("indicators", indicators()),
        ("review", {}),
    ):
        assert wizard.post(step, data).status_code == 302, (step, errors(wizard.get(step)))
    declaration = Declaration.objects.get(project__name=BASIC["project_name"])

    # Saved once in the Hebei layout (which prints no unit block) ...
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    edit = Wizard(client, DeclarationDraft.objects.get(declaration=declaration))
    assert (
        edit.post(
            "basic", {**BASIC, "project": str(declaration.project_id), "layout": "hb_county"}
        ).status_code
        == 302
    )
    assert edit.post("budget", {"total": "20000"}).status_code == 302
    assert edit.post("narratives", {"annual_target": "举办讲座 12 场。"}).status_code == 302
    assert edit.post("review", {}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.layout == "hb_county" and declaration.head == "新任法人"

    # ... and back in Kunming, the block is pre-filled with what was typed.
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    edit = Wizard(client, DeclarationDraft.objects.get(declaration=declaration))
    assert edit.post("basic", {**BASIC, "project": str(declaration.project_id)}).status_code == 302
    page = edit.get("narratives").content.decode()
    assert field_value(page, "narratives-head") == "新任法人"
    assert field_value(page, "narratives-address") == "呈贡区新址路 8 号"


def test_a_draft_started_in_another_layout_is_prefilled_when_kunming_is_chosen(client, clerk):
    wizard = Wizard.start(client, clerk)
    assert wizard.post("basic", {**BASIC, "layout": "hb_county"}).status_code == 302
    assert wizard.post("narratives", {"annual_target": "举办讲座。"}).status_code == 302
    assert wizard.post("basic", BASIC).status_code == 302
    page = wizard.get("narratives").content.decode()
    department = Department.objects.get(pk=clerk.department_id)
    assert field_value(page, "narratives-organisation_code") == department.organisation_code
    assert "所选表样需要填写组织机构代码" not in page


def test_a_department_without_particulars_is_asked_for_them(client):
    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    assert wizard.post("basic", BASIC).status_code == 302
    response = wizard.post("narratives", NARRATIVES)
    found = errors(response)
    for label in ("组织机构代码", "地址", "联系电话", "法人代表", "单位概况"):
        assert f"所选表样需要填写{label}。" in found, label
