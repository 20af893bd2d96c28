"""The history on the detail page (修改与审核记录) reads as Chinese: labels of choices, values
as the clerk typed them, names of related rows, and one entry per status move."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import models
from django.urls import reverse

from declarations import workflow
from declarations.history import _Shower, timeline
from declarations.models import Declaration, User
from indicators.models import IndicatorCategory, IndicatorKind

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def history_text(client, declaration: Declaration) -> str:
    """The text of the detail page's history block."""
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    start = page.index('id="history"')
    return page[start : page.index("</details>", start)]


def test_each_move_is_one_entry_with_its_status_labels_and_comment(client):
    declaration = Declaration.objects.get(sample_key="000-1")
    staff, reviewer = user("shapingba"), user("reviewer")
    client.force_login(staff)
    client.post(reverse("declaration_move", args=[declaration.pk, "submit"]))
    workflow.perform(declaration, "return", by=reviewer, comment="请补充满意度指标。")
    workflow.perform(declaration, "submit", by=staff)
    workflow.perform(declaration, "approve", by=reviewer, grade="good")

    entries = timeline(declaration)
    moves = [e for e in entries if e.what in {"提交审核", "退回修改", "审核通过"}]
    assert [e.what for e in moves] == ["审核通过", "提交审核", "退回修改", "提交审核"]
    assert moves[-1].changes == [("状态", "草稿", "已提交")]
    assert moves[-2].who == str(reviewer)
    assert moves[-2].changes == [("状态", "已提交", "已退回"), ("意见", "", "请补充满意度指标。")]
    assert moves[0].changes == [("状态", "已提交", "已通过")]
    # The declaration's own records of those saves are not a second entry per move.
    assert sum(label == "状态" for e in entries for label, *_ in e.changes) == 4
    assert not [e for e in entries if e.what == "修改申报表"]

    text = history_text(client, declaration)
    assert "状态：草稿 → 已提交" in text
    assert "状态：已提交 → 已退回" in text
    assert "意见：请补充满意度指标。" in text
    assert text.count("状态：") == 4
    for code in ("draft", "submitted", "returned", "approved"):
        assert code not in text


def test_an_indicator_edit_shows_labels_values_as_typed_and_names():
    declaration = Declaration.objects.get(sample_key="003-1")  # Kunming: 定性 with numbers
    indicator = declaration.indicators.get(order=2)
    assert (indicator.kind, indicator.target_value) == (IndicatorKind.QUALITATIVE, Decimal(85))
    indicator.kind = IndicatorKind.QUANTITATIVE
    indicator.operator = "≥"
    indicator.target_value = Decimal("90")
    indicator.weight = Decimal("12.50")
    indicator.level2 = IndicatorCategory.objects.get(
        level=2, name="数量指标", parent__name="产出指标"
    )
    indicator._history_user = user("chenggong")
    indicator.save()

    entry = next(e for e in timeline(declaration) if e.what.startswith("修改指标 2"))
    assert entry.who == str(user("chenggong"))
    assert sorted(entry.changes) == sorted(
        [
            ("指标属性", "定性", "定量"),
            ("年度指标值", "=85%", "≥90%"),
            ("指标权重", "（空）", "12.5"),
            ("二级指标", "质量指标", "数量指标"),
        ]
    )


def test_the_page_shows_no_codes_nor_stored_precision(client):
    declaration = Declaration.objects.get(sample_key="003-1")
    indicator = declaration.indicators.get(order=2)
    indicator.kind = IndicatorKind.QUANTITATIVE
    indicator.save()
    client.force_login(user("chenggong"))
    text = history_text(client, declaration)
    assert "指标属性：定性 → 定量" in text
    assert "qualitative" not in text and "quantitative" not in text
    assert "85.0000" not in text


def test_a_text_value_and_a_period_value_are_shown_whole():
    declaration = Declaration.objects.get(sample_key="001-1")  # Guangzhou: text values
    indicator = declaration.indicators.get(order=7)
    old = indicator.target_text
    indicator.target_text = "覆盖5大重点人群"
    indicator.save()
    quantitative = declaration.indicators.get(order=1)
    quantitative.period_value = Decimal("50")
    quantitative.save()

    entries = {e.what[:6]: e for e in timeline(declaration) if e.what.startswith("修改指标")}
    assert entries["修改指标 7"].changes == [("年度指标值", old, "覆盖5大重点人群")]
    assert entries["修改指标 1"].changes == [("实施周期指标值", "≥45场次", "≥50场次")]


def test_amounts_are_shown_in_the_unit_of_the_table(client):
    in_wan = Declaration.objects.get(sample_key="000-1")
    in_wan.budget.total = Decimal("320000")
    in_wan.budget.save()
    in_yuan = Declaration.objects.get(sample_key="004-2")
    in_yuan.budget.total = Decimal("40000")
    in_yuan.budget.save()

    def budget_changes(declaration):
        return next(e for e in timeline(declaration) if e.what == "修改预算资金").changes

    assert budget_changes(in_wan) == [("预算总额", "31.00 万元", "32.00 万元")]
    assert budget_changes(in_yuan) == [("预算总额", "37500.00 元", "40000.00 元")]
    client.force_login(user("shapingba"))
    assert "预算总额：31.00 万元 → 32.00 万元" in history_text(client, in_wan)


def test_other_kinds_of_values():
    shower = _Shower(Declaration.objects.get(sample_key="000-1"))
    assert shower.value(models.BooleanField("启用"), True) == "是"
    assert shower.value(models.BooleanField("启用"), False) == "否"
    assert shower.value(models.DateField("日期"), date(2025, 3, 1)) == "2025-03-01"
    # Times in the site's time zone (Asia/Shanghai), not UTC.
    at = datetime(2025, 3, 1, 16, 30, tzinfo=UTC)
    assert shower.value(models.DateTimeField("时间"), at) == "2025-03-02 00:30"
    assert shower.value(models.CharField("名称"), "") == "（空）"
    fk = Declaration._meta.get_field("project")
    assert shower.value(fk, 10**9) == "（已删除）"
