"""Each wizard step refuses bad input with its message, and nothing is written until the
last step saves the whole declaration."""

from decimal import Decimal

import pytest

from declarations.models import Declaration, DeclarationDraft, Department, User
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_BUDGET,
    CQ_NARRATIVES,
    Wizard,
    cq_indicators,
    errors,
    formset,
    row_counts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return User.objects.get(username="shapingba")


@pytest.fixture
def wizard(client, staff):
    return Wizard.start(client, staff)


def fill_until(wizard, step):
    steps = [
        ("basic", CQ_BASIC),
        ("budget", CQ_BUDGET),
        ("narratives", CQ_NARRATIVES),
        ("indicators", cq_indicators()),
    ]
    for name, data in steps:
        if name == step:
            return
        response = wizard.post(name, data)
        assert response.status_code == 302, errors(response)


def test_a_whole_project_declaration_is_saved_at_the_last_step(wizard):
    before = row_counts()
    fill_until(wizard, "review")
    assert row_counts() == before  # four steps passed, nothing written yet
    response = wizard.post("review", {})
    assert response.status_code == 302
    declaration = Declaration.objects.get(project__name="青少年科技创新大赛")
    assert declaration.budget.total == Decimal("125000")
    assert declaration.money_unit == "wan_yuan"
    assert [
        (i.name, i.weight, i.operator, i.target_value, i.target_text)
        for i in declaration.indicators.all()
    ] == [
        ("举办大赛场次", Decimal(40), "=", Decimal(1), ""),
        ("参赛学生人数", Decimal(30), "≥", Decimal(300), ""),
        ("服务对象满意度", Decimal(20), "", None, "及时"),
    ]
    assert not DeclarationDraft.objects.filter(pk=wizard.draft.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**CQ_BASIC, "project_name": ""}, "请选择已有项目，或填写新项目名称。"),
        ({**CQ_BASIC, "fiscal_year": "二〇二六"}, "请填写四位数的年份。"),
        ({**CQ_BASIC, "fiscal_year": "1999"}, "预算年度不能早于 2000 年。"),
        ({**CQ_BASIC, "layout": "gz_department"}, "该表样不适用于此类申报。"),
        ({**CQ_BASIC, "period_start": "2026"}, "实施周期需同时填写起始年度和结束年度。"),
        (
            {**CQ_BASIC, "project_name": "科普工作", "fiscal_year": "2025"},
            "项目“科普工作”已有 2025 年度的申报表。",
        ),
    ],
)
def test_basic_step_rejects(wizard, data, message):
    before = row_counts()
    response = wizard.post("basic", data)
    assert response.status_code == 200
    assert message in errors(response)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"total": "12.5", "own_level": "10"},
            "区级支出为 10.00 万元，与预算 12.50 万元 不一致。",
        ),
        ({"total": "-1"}, "金额不能为负数。"),
        ({"total": "十二万"}, "请填写金额数字（单位：万元）。"),
        ({"total": "1.0000001"}, "金额最多精确到分（万元小数点后 6 位）。"),
        ({"total": "12345678901"}, "金额过大，请核对单位（万元）。"),
        ({"own_level": "3"}, "所选表样需要填写预算。"),
    ],
)
def test_budget_step_rejects(wizard, data, message):
    fill_until(wizard, "budget")
    before = row_counts()
    response = wizard.post("budget", data)
    assert response.status_code == 200
    assert message in errors(response)
    assert row_counts() == before


def test_narrative_step_requires_the_layouts_texts(wizard):
    fill_until(wizard, "narratives")
    response = wizard.post("narratives", {**CQ_NARRATIVES, "legal_basis": ""})
    assert "所选表样需要填写立项依据。" in errors(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"indicators-rows-0-weight": "50"}, "指标权重合计为 100，应为 90。"),
        ({"indicators-rows-0-weight": ""}, "所选表样要求每项指标都填写权重。"),
        ({"indicators-rows-0-weight": "120"}, "指标权重应在 0 至 100 之间。"),
        (
            {"indicators-rows-1-value": "显著提升"},
            "定量指标的指标值必须是数字，“显著提升”不是数字；文字目标请将指标属性改为定性。",
        ),
        ({"indicators-rows-2-operator": "≥"}, "定性指标不填指标性质（≥、≤ 等）。"),
        ({"indicators-rows-1-name": ""}, "请填写指标名称。"),
        (
            {
                "indicators-rows-0-DELETE": "on",
                "indicators-rows-1-DELETE": "on",
                "indicators-rows-2-DELETE": "on",
            },
            "请至少填写一项绩效指标。",
        ),
        (
            {"indicators-rows-1-value": "300人", "indicators-rows-1-unit": "人次"},
            "计量单位与指标值中的单位不一致。",
        ),
    ],
)
def test_indicator_step_rejects(wizard, change, message):
    fill_until(wizard, "indicators")
    before = row_counts()
    response = wizard.post("indicators", {**cq_indicators(), **change})
    assert response.status_code == 200
    assert message in errors(response)
    assert row_counts() == before


def test_indicator_value_written_with_operator_and_unit_is_split(wizard):
    fill_until(wizard, "indicators")
    data = {
        **cq_indicators(),
        "indicators-rows-1-operator": "",
        "indicators-rows-1-unit": "",
        "indicators-rows-1-value": "≥300 人",
    }
    assert wizard.post("indicators", data).status_code == 302
    wizard.post("review", {})
    indicator = Declaration.objects.get(project__name="青少年科技创新大赛").indicators.get(order=2)
    assert (indicator.operator, indicator.target_value, indicator.unit) == ("≥", 300, "人")


def test_rows_are_saved_in_the_order_the_clerk_put_them(wizard):
    fill_until(wizard, "indicators")
    data = {**cq_indicators(), "indicators-rows-0-ORDER": "3", "indicators-rows-2-ORDER": "1"}
    wizard.post("indicators", data)
    wizard.post("review", {})
    names = list(
        Declaration.objects.get(project__name="青少年科技创新大赛").indicators.values_list(
            "name", flat=True
        )
    )
    assert names == ["服务对象满意度", "参赛学生人数", "举办大赛场次"]


def test_levels_must_match_for_layouts_with_a_taxonomy(client):
    from indicators.models import IndicatorCategory

    user = User.objects.get(username="chenggong")
    wizard = Wizard.start(client, user)
    basic = {"project_name": "科普大篷车", "fiscal_year": "2026", "layout": "km_project"}
    assert wizard.post("basic", basic).status_code == 302
    output = IndicatorCategory.objects.get(code="output")
    social = IndicatorCategory.objects.get(code="benefit-social")
    rows = formset(
        "indicators-rows",
        [
            {
                "level1": str(output.pk),
                "level2": str(social.pk),
                "name": "活动场次",
                "kind": "quantitative",
                "value": "10",
                "unit": "场",
                "ORDER": "1",
            },
            {"name": "没有分类的指标", "kind": "quantitative", "value": "1", "ORDER": "2"},
        ],
        initial=1,
    )
    response = wizard.post("indicators", rows)
    assert "二级指标“社会效益指标”不属于一级指标“产出指标”。" in errors(response)
    assert "所选表样需要选择一级和二级指标。" in errors(response)


def test_a_reload_or_back_button_keeps_the_input(wizard):
    fill_until(wizard, "narratives")
    page = wizard.get("budget").content.decode()  # the browser's back button
    assert 'value="12.5"' in page
    page = wizard.get("basic").content.decode()
    assert 'value="青少年科技创新大赛"' in page
    assert wizard.get("narratives").status_code == 200  # and forward again


def test_later_steps_need_the_basic_step_first(wizard):
    response = wizard.get("indicators")
    assert response.status_code == 302 and response.url.endswith("/basic/")


def test_the_done_url_never_saves_on_get(wizard):
    fill_until(wizard, "review")
    before = row_counts()
    response = wizard.get("done")
    assert response.status_code == 302 and response.url.endswith("/review/")
    assert row_counts() == before


def test_department_wizard_steps(client):
    user = User.objects.get(username="xicheng")
    wizard = Wizard.start(client, user, kind="department")
    response = wizard.post(
        "basic",
        {
            "fiscal_year": "2021",
            "layout": "bj_department",
            "head": "张玮",
            "phone": "1",
            "functions": "x",
        },
    )
    assert "本单位已有 2021 年度的部门整体申报表。" in errors(response)
    response = wizard.post("basic", {"fiscal_year": "2022", "layout": "bj_department"})
    assert "所选表样需要填写部门（单位）负责人。" in errors(response)
    assert (
        wizard.post(
            "basic",
            {
                "fiscal_year": "2022",
                "layout": "bj_department",
                "head": "张玮",
                "phone": "83976271",
                "functions": "开展学术交流。",
            },
        ).status_code
        == 302
    )
    response = wizard.post(
        "budget", {"total": "100", "basic_expenditure": "60", "project_expenditure": "30"}
    )
    assert "基本支出、项目支出之和为 90.00 万元，与资金总额 100.00 万元 不一致。" in errors(
        response
    )
    assert (
        wizard.post(
            "budget", {"total": "100", "basic_expenditure": "60", "project_expenditure": "40"}
        ).status_code
        == 302
    )
    assert wizard.post("targets", {"annual_target": "开展科普活动。"}).status_code == 302
    response = wizard.post(
        "indicators",
        formset(
            "indicators-rows",
            [
                {
                    "level1": "",
                    "name": "科普活动",
                    "kind": "qualitative",
                    "value": "举办 10 场",
                    "ORDER": "1",
                },
            ],
            initial=1,
        ),
    )
    assert "所选表样需要选择一级和二级指标。" in errors(response)


def test_key_tasks_need_a_name(client):
    user = User.objects.get(username="nansha")
    wizard = Wizard.start(client, user, kind="department")
    assert (
        wizard.post("basic", {"fiscal_year": "2025", "layout": "gz_department"}).status_code == 302
    )
    assert (
        wizard.post(
            "budget",
            {"basic_expenditure": "1", "project_expenditure": "2", "fiscal_appropriation": "3"},
        ).status_code
        == 302
    )
    data = {
        "overall_target": "目标",
        **formset("targets-tasks", [{"name": "", "content": "内容", "funds": "1", "ORDER": "1"}]),
    }
    response = wizard.post("targets", data)
    assert "请填写任务名称。" in errors(response)


def test_budget_total_of_guangzhou_is_the_sum_of_its_parts(client):
    user = User.objects.get(username="nansha")
    wizard = Wizard.start(client, user, kind="department")
    wizard.post("basic", {"fiscal_year": "2025", "layout": "gz_department"})
    response = wizard.post(
        "budget",
        {
            "basic_expenditure": "238.97",
            "project_expenditure": "329",
            "fiscal_appropriation": "500",
        },
    )
    # Guangzhou prints no total: the message names the parts the clerk typed, not a 预算总额.
    assert "财政拨款为 500.00 万元，与基本支出、项目支出之和 567.97 万元 不一致。" in errors(
        response
    )


def test_reviewers_cannot_start_a_wizard(client):
    client.force_login(User.objects.get(username="reviewer"))
    assert client.post("/declarations/new/project/").status_code == 403
    department = Department.objects.first()
    assert not DeclarationDraft.objects.filter(department=department).exists()


def test_spending_plan_must_not_fall_and_end_at_100(client):
    user = User.objects.get(username="shunping")
    wizard = Wizard.start(client, user)
    assert (
        wizard.post(
            "basic", {"project_name": "科普培训", "fiscal_year": "2026", "layout": "hb_county"}
        ).status_code
        == 302
    )
    plan = formset(
        "budget-plan",
        [
            {"month": "3", "percent": "30"},
            {"month": "6", "percent": "20"},
            {"month": "10", "percent": "80"},
            {"month": "12", "percent": "90"},
        ],
        initial=4,
    )
    before = row_counts()
    response = wizard.post("budget", {"total": "37500", "fiscal_appropriation": "37500", **plan})
    assert "累计支出比例不能下降：3月底为 30%，6月底却为 20%。" in errors(response)
    assert "支出计划最后一个节点（12月底）应达到 100%，目前为 90%。" in errors(response)
    assert row_counts() == before
    plan.update({"budget-plan-1-percent": "50", "budget-plan-3-percent": "100"})
    assert (
        wizard.post(
            "budget", {"total": "37500", "fiscal_appropriation": "37500", **plan}
        ).status_code
        == 302
    )
