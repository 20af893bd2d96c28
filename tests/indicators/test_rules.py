"""Review rules on stored declarations: errors, warnings and the four-criteria checklist."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations import workflow
from declarations.models import Declaration, User
from indicators.rules import checklist, errors_for, warnings_for

pytestmark = pytest.mark.django_db


def sample(key):
    return Declaration.objects.get(sample_key=key)


def test_samples_can_be_submitted_except_the_narrative_without_indicators():
    blocked = {d.sample_key: errors_for(d) for d in Declaration.objects.all() if errors_for(d)}
    assert blocked == {"004-1": ["请至少填写一项绩效指标。"]}


def test_cost_indicator_that_disagrees_with_the_budget():
    hebei = sample("004-2")
    assert not [w for w in warnings_for(hebei) if "成本指标" in w]  # 3.75 万元 = 37500 元
    hebei.indicators.filter(name="项目总成本").update(target_value=Decimal("3.5"))
    # Named as the Hebei table names its total.
    assert "成本指标“项目总成本”为 3.5万元，与预算数 37500.00 元 不符。" in warnings_for(hebei)


def test_vague_targets_and_missing_kinds_are_warned():
    warnings = warnings_for(sample("001-1"))
    assert "指标“科普公共服务能力”的目标“提升”无法衡量：建议给出数值或基准。" in warnings
    assert "缺少满意度指标。" in warnings  # its 满意度 row is an empty level-2 row
    kunming = warnings_for(sample("003-1"))
    assert (
        "指标“对进社区，进机关宣传有质有量”标为定性指标却填写了数值：建议改为定量指标。" in kunming
    )


def test_weight_total_is_checked_on_stored_data():
    declaration = sample("000-2")
    declaration.indicators.filter(order=1).update(weight=Decimal(25))
    assert errors_for(declaration) == ["指标权重合计为 85，应为 90。"]


def test_checklist_on_the_review_page(client):
    declaration = sample("001-1")
    workflow.perform(declaration, "submit", by=User.objects.get(username="nansha"))
    # The Guangzhou department has no supervising division in its seed; give it one.
    declaration.department.supervising_division = User.objects.get(username="reviewer").division
    declaration.department.save()
    checks = {(c.criterion, c.label): c for c in checklist(declaration)}
    assert set(c for c, _ in checks) == {"完整性", "相关性", "适当性", "可行性"}
    assert not checks[("相关性", "设有产出、效益、满意度指标")].passed
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(reverse("declaration_review", args=[declaration.pk])).content.decode()
    assert 'data-check="fail"' in page and "缺少满意度指标。" in page
    assert "完整性" in page and "可行性" in page


def test_a_cost_indicator_of_a_table_without_a_total_names_the_parts():
    guangzhou = sample("001-1")
    indicator = guangzhou.indicators.exclude(name="").first()
    indicator.name, indicator.unit, indicator.operator = "部门整体支出成本", "万元", "="
    indicator.kind, indicator.target_value, indicator.target_text = "quantitative", 500, ""
    indicator.save()
    # Guangzhou prints no 预算总额: 238.97 + 329.00 = 567.97 万元 is named as what it is.
    assert (
        "成本指标“部门整体支出成本”为 500万元，与基本支出、项目支出之和 567.97 万元 不符。"
        in warnings_for(guangzhou)
    )


def test_the_checklist_names_budget_amounts_as_the_table_does():
    chongqing = sample("000-1")  # 31 万元, all 区级支出
    chongqing.budget.transfers_down = Decimal(10000)
    chongqing.budget.save()
    content = next(c for c in checklist(chongqing) if c.label.startswith("表样要求的内容已填写"))
    assert content.details == ("区级支出、补助街镇之和为 32.00 万元，与预算 31.00 万元 不一致。",)
    assert errors_for(chongqing) == list(content.details)
