"""Ways into the wizard, drafts, editing and copying, the indicator library, and who may do
what: another department's declaration or another clerk's draft is a 404 on every URL."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import Status
from declarations.models import Declaration, DeclarationDraft, User
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_BUDGET,
    Wizard,
    errors,
    row_counts,
    warnings,
)

pytestmark = pytest.mark.django_db


def sample(key):
    return Declaration.objects.get(sample_key=key)


def login(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def test_another_departments_declaration_is_404_on_every_url(client):
    login(client, "nansha")
    other = sample("000-1").pk
    gets = [
        reverse("declaration_detail", args=[other]),
        reverse("declaration_export", args=[other, "xlsx"]),
        reverse("declaration_export", args=[other, "pdf"]),
    ]
    posts = [reverse("declaration_edit", args=[other]), reverse("declaration_copy", args=[other])]
    for url in gets:
        assert client.get(url).status_code == 404, url
    before = row_counts()
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert row_counts() == before
    assert not DeclarationDraft.objects.exists()


def test_another_clerks_draft_is_404_on_every_url(client):
    owner = User.objects.get(username="shapingba")
    wizard = Wizard.start(client, owner)
    wizard.post("basic", CQ_BASIC)
    login(client, "nansha")
    draft = wizard.draft.pk
    for url in [
        reverse("wizard_resume", args=[draft]),
        wizard.url("basic"),
        wizard.url("budget"),
        wizard.url("review"),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(wizard.url("basic"), {"basic-fiscal_year": "2030"}).status_code == 404
    assert client.post(reverse("wizard_discard", args=[draft])).status_code == 404
    assert DeclarationDraft.objects.filter(pk=draft).exists()
    assert DeclarationDraft.objects.get(pk=draft).data["step_data"]["basic"][
        "basic-fiscal_year"
    ] == ["2026"]


def test_a_posted_project_of_another_department_is_refused(client):
    user = login(client, "shapingba")
    wizard = Wizard.start(client, user)
    foreign = sample("003-1").project
    response = wizard.post("basic", {**CQ_BASIC, "project": str(foreign.pk)})
    assert "请选择本单位的项目。" in errors(response)


def test_leaving_and_resuming_a_draft(client):
    user = login(client, "shapingba")
    wizard = Wizard.start(client, user)
    wizard.post("basic", CQ_BASIC)
    response = wizard.post("budget", {"total": "12.5"}, wizard_save_draft="1")
    assert response.status_code == 302 and response.url == reverse("home")
    client.logout()
    login(client, "shapingba")
    home = client.get(reverse("home")).content.decode()
    assert "2026年 青少年科技创新大赛" in home and "停在“预算资金”" in home
    response = client.get(reverse("wizard_resume", args=[wizard.draft.pk]))
    assert response.status_code == 302 and response.url.endswith("/budget/")
    assert 'value="12.5"' in client.get(response.url).content.decode()


def test_two_drafts_do_not_share_data(client):
    user = login(client, "shapingba")
    first, second = Wizard.start(client, user), Wizard.start(client, user)
    first.post("basic", CQ_BASIC)
    second.post("basic", {**CQ_BASIC, "project_name": "另一个项目"})
    assert 'value="青少年科技创新大赛"' in first.get("basic").content.decode()
    assert 'value="另一个项目"' in second.get("basic").content.decode()


def test_editing_opens_the_declaration_prefilled_and_saves_it_in_place(client):
    login(client, "shapingba")
    declaration = sample("000-2")
    response = client.post(reverse("declaration_edit", args=[declaration.pk]))
    draft = DeclarationDraft.objects.get(declaration=declaration)
    wizard = Wizard(client, draft)
    assert response.url == wizard.url("basic")
    page = wizard.get("indicators").content.decode()
    assert "“科创中国”科技精准服务对接" in page and 'value="30"' in page
    budget_page = wizard.get("budget").content.decode()
    assert 'value="11"' in budget_page
    response = wizard.post("budget", {"total": "12", "own_level": "12"})
    assert response.status_code == 302
    before = Declaration.objects.count()
    wizard.post("review", {})
    declaration.refresh_from_db()
    assert Declaration.objects.count() == before
    assert declaration.budget.total == Decimal("120000") and declaration.version == 2
    assert declaration.indicators.count() == 4
    assert declaration.overview.startswith("本项目是区科协履行")
    assert declaration.project.overview == declaration.overview  # pre-fills the next one


def test_a_concurrent_save_is_refused_and_the_input_kept(client):
    login(client, "shapingba")
    declaration = sample("000-3")
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    wizard = Wizard(client, DeclarationDraft.objects.get(declaration=declaration))
    wizard.post("budget", {"total": "29", "own_level": "29"})
    # Meanwhile someone else saves the same declaration.
    Declaration.objects.filter(pk=declaration.pk).update(version=5)
    before = row_counts()
    response = wizard.post("review", {})
    assert response.status_code == 200
    assert any("已被他人修改并保存" in e for e in errors(response))
    assert row_counts() == before
    draft = DeclarationDraft.objects.get(pk=wizard.draft.pk)
    assert draft.data["step_data"]["budget"]["budget-total"] == ["29"]


def test_a_submitted_declaration_cannot_be_edited(client):
    login(client, "shapingba")
    declaration = sample("000-4")
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.SUBMITTED)
    response = client.post(reverse("declaration_edit", args=[declaration.pk]))
    assert response.status_code == 403
    assert "不能再修改" in response.content.decode()
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert ">修改</button>" not in page


def test_copy_from_last_year(client):
    login(client, "shapingba")
    source = sample("000-1")
    response = client.post(reverse("declaration_copy", args=[source.pk]))
    draft = DeclarationDraft.objects.get(copied_from=source)
    assert draft.declaration is None
    wizard = Wizard(client, draft)
    assert response.url == wizard.url("basic")
    assert 'value="2026"' in wizard.get("basic").content.decode()
    for step in ("basic", "budget", "narratives", "indicators"):
        data = {k: v[0] if len(v) == 1 else v for k, v in draft.data["step_data"][step].items()}
        assert wizard.post(step, data).status_code == 302, errors(wizard.post(step, data))
    response = wizard.post("review", {})
    copy = Declaration.objects.get(project=source.project, fiscal_year=2026)
    assert response.url == reverse("declaration_detail", args=[copy.pk])
    assert list(copy.indicators.values_list("name", "weight")) == list(
        source.indicators.values_list("name", "weight")
    )
    assert copy.budget.total == source.budget.total and copy.pk != source.pk
    source.refresh_from_db()
    assert source.fiscal_year == 2025 and source.version == 1


def test_the_indicator_library_matches_a_typed_prefix(client):
    login(client, "chenggong")
    results = client.get(reverse("indicator_library"), {"q": "科普活动"}).json()["results"]
    names = [r["name"] for r in results]
    assert names[0].startswith("科普活动")  # prefix matches first
    assert "科普活动参与者满意度（%）" in names
    match = next(r for r in results if r["name"] == "科普活动参与者满意度（%）")
    assert (match["level1_name"], match["level2_name"], match["unit"], match["operator"]) == (
        "效益指标",
        "社会效益指标",
        "百分比",
        "≥",
    )
    assert client.get(reverse("indicator_library"), {"q": ""}).json() == {"results": []}


def test_the_library_does_not_leak_other_departments_own_declarations(client):
    user = login(client, "shapingba")
    wizard = Wizard.start(client, user)
    from tests.declarations.wizards.helpers import CQ_NARRATIVES, cq_indicators

    for step, data in [
        ("basic", CQ_BASIC),
        ("budget", CQ_BUDGET),
        ("narratives", CQ_NARRATIVES),
        ("indicators", cq_indicators()),
        ("review", {}),
    ]:
        wizard.post(step, data)
    assert client.get(reverse("indicator_library"), {"q": "参赛学生"}).json()["results"]
    # Another department's clerk, the reviewer and the administrator do not see a draft.
    for other in ("nansha", "reviewer", "admin"):
        login(client, other)
        assert client.get(reverse("indicator_library"), {"q": "参赛学生"}).json()["results"] == []
    # Once approved it is public.
    declaration = Declaration.objects.get(project__name=CQ_BASIC["project_name"])
    workflow.perform(declaration, "submit", by=user)
    login(client, "nansha")
    assert client.get(reverse("indicator_library"), {"q": "参赛学生"}).json()["results"] == []
    workflow.perform(declaration, "approve", by=User.objects.get(username="reviewer"))
    assert client.get(reverse("indicator_library"), {"q": "参赛学生"}).json()["results"]


def test_declaration_list_filters_sorts_and_paginates(client):
    login(client, "admin")
    url = reverse("declaration_list")
    page = client.get(url, {"kind": "department"})
    assert {d.kind for d in page.context["page"].object_list} == {"department"}
    page = client.get(url, {"fiscal_year": "2021", "sort": "department"})
    assert [d.sample_key for d in page.context["page"].object_list] == ["002-1", "004-1", "004-2"]
    page = client.get(url, {"fiscal_year": "abc"})
    assert "年度请填写四位数字。" in page.content.decode()
    assert page.context["page"].paginator.count == 9


def test_detail_page_shows_warnings_and_the_edit_button(client):
    login(client, "shapingba")
    page = client.get(reverse("declaration_detail", args=[sample("000-1").pk])).content.decode()
    # The Chongqing sample has no levels: it is asked to classify, not told it lacks benefits.
    assert "未分类：请选择一级和二级指标" in page and "缺少效益指标" not in page
    assert ">修改</button>" in page and "复制为 2026 年度申报" in page


def _pass_all_steps(wizard, draft, overrides=None):
    """Post every step as the draft holds it. A copy whose texts still name last year is
    warned (not refused) at that step: the clerk confirms and goes on."""
    overrides = overrides or {}
    from declarations.wizards.steps import steps_for

    for step, _ in steps_for(draft.kind)[:-1]:
        data = {k: v[0] if len(v) == 1 else v for k, v in draft.data["step_data"][step].items()}
        data.update(overrides.get(step, {}))
        response = wizard.post(step, data)
        if response.status_code == 200 and not errors(response) and warnings(response):
            assert draft.copied_from_id and all("仍写着" in w for w in warnings(response))
            response = wizard.confirm(step, data, response)
        assert response.status_code == 302, (step, errors(response), warnings(response))
    return wizard.post("review", {})


def test_a_department_wide_declaration_with_key_tasks_is_saved(client):
    from tests.declarations.wizards.helpers import formset

    user = login(client, "nansha")
    wizard = Wizard.start(client, user, kind="department")
    assert (
        wizard.post(
            "basic",
            {"fiscal_year": "2025", "layout": "gz_department", "head": "李四", "phone": "020-1"},
        ).status_code
        == 302
    )
    assert (
        wizard.post(
            "budget",
            {
                "basic_expenditure": "238.97",
                "project_expenditure": "329",
                "fiscal_appropriation": "567.97",
                "other_funds": "0",
            },
        ).status_code
        == 302
    )
    tasks = formset(
        "targets-tasks",
        [
            {"name": "科普综合工作经费", "content": "科普活动", "funds": "176.7", "ORDER": "2"},
            {"name": "科技创新综合工作经费", "content": "科创活动", "funds": "88.01", "ORDER": "1"},
        ],
    )
    assert (
        wizard.post("targets", {"overall_target": "推进科普事业发展。", **tasks}).status_code == 302
    )
    from indicators.models import IndicatorCategory

    output = IndicatorCategory.objects.get(code="output")
    quantity = IndicatorCategory.objects.get(code="output-quantity")
    rows = formset(
        "indicators-rows",
        [
            {
                "level1": str(output.pk),
                "level2": str(quantity.pk),
                "name": "举办科普活动场次",
                "kind": "quantitative",
                "operator": "≥",
                "value": "45",
                "unit": "场次",
                "period_value": "≥45场次",
                "ORDER": "1",
            },
        ],
        initial=1,
    )
    assert wizard.post("indicators", rows).status_code == 302
    response = wizard.post("review", {})
    declaration = Declaration.objects.get(department=user.department, fiscal_year=2025)
    assert response.url == reverse("declaration_detail", args=[declaration.pk])
    assert declaration.budget.total == Decimal("5679700")
    assert list(declaration.key_tasks.values_list("order", "name", "funds")) == [
        (1, "科技创新综合工作经费", Decimal("880100.00")),
        (2, "科普综合工作经费", Decimal("1767000.00")),
    ]
    indicator = declaration.indicators.get()
    assert (indicator.period_value, indicator.target_value) == (Decimal(45), Decimal(45))
    # The particulars as declared belong to the declaration; the department row, which
    # administrators keep, is not changed by a clerk's declaration.
    assert (declaration.head, declaration.phone) == ("李四", "020-1")
    user.department.refresh_from_db()
    assert (user.department.head, user.department.phone) != ("李四", "020-1")
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert "科技创新综合工作经费" in page and "88.01" in page and "≥45场次" in page


def test_copying_a_department_wide_declaration(client):
    login(client, "xicheng")
    source = sample("002-1")
    client.post(reverse("declaration_copy", args=[source.pk]))
    draft = DeclarationDraft.objects.get(copied_from=source)
    _pass_all_steps(Wizard(client, draft), draft)
    copy = Declaration.objects.get(department=source.department, fiscal_year=2022)
    assert copy.indicators.count() == 40
    assert copy.budget.total == source.budget.total
    assert copy.annual_target == source.annual_target


def test_editing_the_kunming_sample_asks_to_fix_qualitative_operators(client):
    login(client, "chenggong")
    declaration = sample("003-1")
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    draft = DeclarationDraft.objects.get(declaration=declaration)
    wizard = Wizard(client, draft)
    data = {k: v[0] if len(v) == 1 else v for k, v in draft.data["step_data"]["indicators"].items()}
    response = wizard.post("indicators", data)
    assert "定性指标不填指标性质（≥、≤ 等）。" in errors(response)


@pytest.mark.parametrize(
    ("key", "username"),
    [("000-1", "shapingba"), ("001-1", "nansha"), ("002-1", "xicheng"), ("004-2", "shunping")],
)
def test_every_sample_passes_the_wizard_unchanged(client, key, username):
    """A clerk who copies last year's table and changes nothing gets an equal table."""
    login(client, username)
    source = sample(key)
    client.post(reverse("declaration_copy", args=[source.pk]))
    draft = DeclarationDraft.objects.get(copied_from=source)
    _pass_all_steps(Wizard(client, draft), draft)
    copy = Declaration.objects.get(
        department=source.department,
        kind=source.kind,
        fiscal_year=source.fiscal_year + 1,
        project=source.project,
    )
    fields = [
        "level1",
        "level2",
        "name",
        "weight",
        "unit",
        "operator",
        "kind",
        "target_value",
        "target_text",
        "period_value",
        "period_text",
        "description",
        "basis",
        "scoring_rule",
    ]
    real = source.indicators.exclude(name="", target_text="", target_value=None)
    assert list(copy.indicators.values_list(*fields)) == list(real.values_list(*fields))
    for name in (
        "total",
        "fiscal_appropriation",
        "other_funds",
        "basic_expenditure",
        "project_expenditure",
        "own_level",
        "transfers_down",
    ):
        assert getattr(copy.budget, name) == getattr(source.budget, name), name


def test_drafts_keep_saying_what_they_are_for(client):
    login(client, "shapingba")
    declaration = sample("000-2")
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    client.post(reverse("declaration_copy", args=[sample("000-3").pk]))
    edit = DeclarationDraft.objects.get(declaration=declaration)
    client.get(reverse("wizard_step", args=[edit.pk, "budget"]))  # a visit rewrites the title
    home = client.get(reverse("home")).content.decode()
    assert "修改：2025年 科创工作" in home
    assert "2026年 老科协承接科普职能专项（复制）" in home
