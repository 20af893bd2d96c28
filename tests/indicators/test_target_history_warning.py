"""A numeric target far outside the targets approved earlier for the same indicator: the rule
(``declarations.domain.plausibility``), the warning in the wizard's indicator step that the
clerk confirms, and the line of the review checklist."""

from decimal import Decimal

import pytest

from declarations.domain.plausibility import (
    TargetHistory,
    far_from_history,
    target_history_findings,
)
from declarations.models import Declaration, User
from indicators import history
from indicators.rules import checklist, warnings_for
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_BUDGET,
    CQ_NARRATIVES,
    Wizard,
    cq_indicators,
    errors,
    warnings,
)
from tests.factories import DeclarationFactory, IndicatorFactory

D = Decimal
EARLIER = TargetHistory(count=3, low=D(250), median=D(300), high=D(320), operator="≥", unit="人")
CHECK = "指标值与历年同类指标的目标相近"


@pytest.mark.parametrize(
    "target, far",
    [(D(125), False), (D("124.9"), True), (D(640), False), (D("640.5"), True), (D(3000), True)],
)
def test_far_means_below_half_the_lowest_or_above_twice_the_highest(target, far):
    assert far_from_history(target, EARLIER) is far


def test_too_little_or_signed_history_is_no_yardstick():
    two = TargetHistory(count=2, low=D(250), median=D(250), high=D(320))
    signed = TargetHistory(count=5, low=D(-5), median=D(1), high=D(3))
    assert not far_from_history(D(9000), two) and not far_from_history(D(9000), signed)
    assert target_history_findings(D(9000), None, "指标值") == []
    assert target_history_findings(None, EARLIER, "指标值") == []


def test_the_warning_shows_the_history_in_the_indicators_unit():
    (finding,) = target_history_findings(D(3000), EARLIER, "第 2 项指标的指标值")
    assert finding.field == "value"
    assert finding.message == (
        "第 2 项指标的指标值≥3000人远在历年同类目标之外：此前审核通过的 3 个目标最低 ≥250人、"
        "中位 ≥300人、最高 ≥320人。请核对是否多写或少写了一位数；确有依据的，请在"
        "“指标值设定依据”中说明。"
    )


def approved_targets(*values, unit="人"):
    """Earlier approved declarations of other departments with the Chongqing rows' 参赛学生人数
    (no levels, as the Chongqing tables print none)."""
    for value in values:
        IndicatorFactory(
            declaration=DeclarationFactory(status="approved", fiscal_year=2025),
            name="参赛学生人数",
            level1=None,
            level2=None,
            unit=unit,
            operator="≥",
            target_value=D(value),
        )
    history.refresh(["参赛学生人数"])


def indicators_with(value: str, unit: str = "人") -> dict:
    """The Chongqing rows with 参赛学生人数 (row 2) at ``value`` ``unit``."""
    data = cq_indicators()
    data["indicators-rows-1-value"], data["indicators-rows-1-unit"] = value, unit
    return data


@pytest.fixture
def wizard(client):
    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    for step, data in [("basic", CQ_BASIC), ("budget", CQ_BUDGET), ("narratives", CQ_NARRATIVES)]:
        assert wizard.post(step, data).status_code == 302
    return wizard


@pytest.mark.django_db
def test_the_wizard_warns_of_a_target_far_from_history_and_accepts_it_confirmed(wizard):
    approved_targets(250, 300, 320)
    typed = indicators_with("3000")
    refused = wizard.post("indicators", typed)
    assert refused.status_code == 200 and errors(refused) == []
    (warning,) = warnings(refused)
    assert warning.startswith("第 2 项指标的指标值≥3000人远在历年同类目标之外")
    assert "最低 ≥250人、中位 ≥300人、最高 ≥320人" in warning
    assert "我已核对，确认无误" in refused.content.decode()

    accepted = wizard.confirm("indicators", typed, refused)
    assert accepted.status_code == 302 and accepted.url.endswith("/review/")
    assert wizard.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(project__name=CQ_BASIC["project_name"])
    assert declaration.indicators.get(name="参赛学生人数").target_value == 3000
    # The reviewer reads it too, among the checks and on the detail page.
    check = next(c for c in checklist(declaration) if c.label == CHECK)
    assert check.criterion == "适当性" and not check.passed
    assert check.details[0].startswith("指标“参赛学生人数”：指标值≥3000人远在历年同类目标之外")
    assert check.details[0] in warnings_for(declaration)


@pytest.mark.django_db
def test_a_target_within_history_or_without_like_history_is_not_questioned(wizard):
    approved_targets(250, 300, 320)
    assert wizard.post("indicators", indicators_with("600")).status_code == 302
    # 人次 are not 人: another indicator, without history; two earlier targets are not enough.
    assert wizard.post("indicators", indicators_with("5000", "人次")).status_code == 302
    approved_targets(4, 5, unit="名")
    assert wizard.post("indicators", indicators_with("5000", "名")).status_code == 302
    wizard.post("indicators", indicators_with("300"))
    wizard.post("review", {})
    declaration = Declaration.objects.get(project__name=CQ_BASIC["project_name"])
    assert next(c for c in checklist(declaration) if c.label == CHECK).passed
