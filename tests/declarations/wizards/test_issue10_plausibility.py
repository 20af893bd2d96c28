"""Issue 10: plausibility warnings are warnings. A step shows each at its field with a box
“我已核对，确认无误”; unconfirmed, the step is not accepted but its input is kept and nothing
is written; confirmed, the step is accepted and the declaration saves."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.models import Declaration, DeclarationDraft, User
from indicators.rules import checklist, warnings_for
from tests.declarations.wizards.helpers import (
    CQ_BASIC,
    CQ_NARRATIVES,
    Wizard,
    confirmation,
    cq_indicators,
    errors,
    formset,
    row_counts,
    warnings,
)

pytestmark = pytest.mark.django_db

SLIP = (
    "预算填写为 185000 万元，即 18.5 亿元，远超科协项目和部门的常见规模，"
    "可能是按“元”填写的：如按元计，应填 18.5（万元）。"
)


def stored(wizard, step: str) -> dict:
    wizard.draft.refresh_from_db()
    return wizard.draft.data["step_data"][step]


@pytest.fixture
def chongqing(client):
    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    assert wizard.post("basic", CQ_BASIC).status_code == 302
    return wizard


def test_an_amount_typed_in_yuan_is_confirmed_before_the_step_is_accepted(chongqing):
    before = row_counts()
    typed = {"total": "185000", "own_level": "185000"}
    refused = chongqing.post("budget", typed)
    assert refused.status_code == 200
    assert errors(refused) == []  # a warning, not an error
    # One mistake (typed in 元), one message, at the first amount; both outlined.
    assert warnings(refused) == [
        "预算、区级支出填写为 185000、185000 万元，最大的即 18.5 亿元，远超科协项目和部门的"
        "常见规模，可能是按“元”填写的：如按元计，应分别填 18.5、18.5（万元）。"
    ]
    page = refused.content.decode()
    assert "请核对标黄的内容" in page and "我已核对，确认无误" in page
    assert page.count("is-warned") == 2
    # Nothing lost, nothing written.
    assert stored(chongqing, "budget")["budget-total"] == ["185000"]
    assert row_counts() == before
    assert chongqing.get("narratives").status_code == 200  # (the steps stay reachable)

    accepted = chongqing.confirm("budget", typed, refused)
    assert accepted.status_code == 302 and accepted.url.endswith("/narratives/")
    # Only the total typed in 元 this time: confirmed again, for this warning.
    typed = {"total": "185000"}
    refused = chongqing.post("budget", typed)
    assert warnings(refused) == [SLIP]
    assert chongqing.confirm("budget", typed, refused).status_code == 302
    assert chongqing.post("narratives", CQ_NARRATIVES).status_code == 302
    assert chongqing.post("indicators", cq_indicators()).status_code == 302
    assert chongqing.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(project__name=CQ_BASIC["project_name"])
    assert declaration.budget.total == Decimal(185000) * 10000
    # The detail page and the checklist still say it, for the reviewer.
    assert SLIP in warnings_for(declaration)
    check = next(c for c in checklist(declaration) if c.label.startswith("金额与单位相符"))
    assert SLIP in check.details and check.criterion == "适当性"


def test_a_confirmation_holds_only_for_the_warnings_it_confirmed(chongqing):
    refused = chongqing.post("budget", {"total": "185000"})
    box = confirmation(refused)
    assert box
    # Another amount, another warning: the old confirmation does not accept it.
    again = chongqing.post("budget", {"total": "186000", **box})
    assert again.status_code == 200 and "186000 万元，即 18.6 亿元" in warnings(again)[0]
    # Corrected to 万元, there is nothing to confirm.
    assert chongqing.post("budget", {"total": "18.5", "own_level": "18.5"}).status_code == 302


def test_the_last_step_sends_the_clerk_back_to_an_unconfirmed_warning(chongqing):
    # The clerk types a slip and leaves with 暂存 (input kept as typed).
    chongqing.post("budget", {"total": "185000"}, wizard_save_draft="1")
    assert stored(chongqing, "budget")["budget-total"] == ["185000"]
    assert chongqing.post("narratives", CQ_NARRATIVES).status_code == 302
    assert chongqing.post("indicators", cq_indicators()).status_code == 302
    review = chongqing.get("review").content.decode()
    assert "以下步骤有标黄的内容尚待核对确认：预算资金" in review
    before = row_counts()
    response = chongqing.post("review", {})
    assert response.status_code == 302 and response.url.endswith("/budget/")
    assert row_counts() == before
    page = chongqing.client.get(response.url).content.decode()
    assert "“预算资金”中有标黄的内容尚待核对确认。" in page
    assert SLIP in page


def guangzhou(client, tasks):
    wizard = Wizard.start(client, User.objects.get(username="nansha"), kind="department")
    assert (
        wizard.post("basic", {"fiscal_year": "2026", "layout": "gz_department"}).status_code == 302
    )
    budget = {
        "basic_expenditure": "238.97",
        "project_expenditure": "329",
        "fiscal_appropriation": "567.97",
    }
    assert wizard.post("budget", budget).status_code == 302
    data = {"overall_target": "推进科普事业发展。", **formset("targets-tasks", tasks)}
    return wizard, data


def test_key_task_funds_beyond_the_project_expenditure_are_confirmed(client):
    tasks = [
        {"name": "科普综合工作经费", "funds": "300", "ORDER": "1"},
        {"name": "科技创新综合工作经费", "funds": "88.01", "ORDER": "2"},
    ]
    wizard, data = guangzhou(client, tasks)
    before = row_counts()
    refused = wizard.post("targets", data)
    assert refused.status_code == 200 and errors(refused) == []
    message = (
        "重点工作任务拟投入的资金合计 388.01 万元，超过“预算资金”一步填写的项目支出 "
        "329.00 万元：任务资金应从项目支出中安排，请核对各项任务的金额。"
    )
    assert warnings(refused) == [message]
    page = refused.content.decode()
    assert page.count("is-warned") == 2  # both funds fields
    assert stored(wizard, "targets")["targets-tasks-0-funds"] == ["300"]
    assert row_counts() == before

    assert wizard.confirm("targets", data, refused).status_code == 302
    rows = formset(
        "indicators-rows",
        [{"name": "科普活动场次", "kind": "quantitative", "value": "≥45场次", "ORDER": "1"}],
        initial=1,
    )
    # (levels are required in this layout)
    from indicators.models import IndicatorCategory

    rows["indicators-rows-0-level1"] = str(IndicatorCategory.objects.get(code="output").pk)
    rows["indicators-rows-0-level2"] = str(
        IndicatorCategory.objects.get(level=2, name="数量指标").pk
    )
    assert wizard.post("indicators", rows).status_code == 302
    assert wizard.post("review", {}).status_code == 302
    declaration = Declaration.objects.get(
        department__name="广州市南沙区科学技术协会", fiscal_year=2026
    )
    assert [t.funds for t in declaration.key_tasks.all()] == [Decimal(3000000), Decimal(880100)]
    assert (
        "重点工作任务拟投入的资金合计 388.01 万元，超过项目支出 329.00 万元："
        "任务资金应从项目支出中安排，请核对各项任务的金额。"
    ) in warnings_for(declaration)


def test_key_task_funds_within_the_project_expenditure_pass_without_a_box(client):
    tasks = [
        {"name": "科普综合工作经费", "funds": "176.70", "ORDER": "1"},
        {"name": "科技创新综合工作经费", "funds": "88.01", "ORDER": "2"},
    ]
    wizard, data = guangzhou(client, tasks)
    assert wizard.post("targets", data).status_code == 302


def copy_of(client, username: str, key: str) -> Wizard:
    client.force_login(User.objects.get(username=username))
    source = Declaration.objects.get(sample_key=key)
    client.post(reverse("declaration_copy", args=[source.pk]))
    return Wizard(client, DeclarationDraft.objects.get(copied_from=source))


def as_stored(wizard, step: str) -> dict:
    return {k: v[0] if len(v) == 1 else v for k, v in stored(wizard, step).items()}


def test_a_copy_whose_texts_still_name_last_year_is_confirmed(client):
    # Sample 000-4 (2025) cites “关于公布 2025 年重庆市基层科普行动计划…” in its 立项依据.
    wizard = copy_of(client, "shapingba", "000-4")
    for step in ("basic", "budget"):
        assert wizard.post(step, as_stored(wizard, step)).status_code == 302
    data = as_stored(wizard, "narratives")
    refused = wizard.post("narratives", data)
    assert refused.status_code == 200 and errors(refused) == []
    assert warnings(refused) == [
        "立项依据中仍写着“2025 年”：本申报表复制自 2025 年度，预算年度为 2026 年，"
        "请核对是否应改为 2026 年。"
    ]
    assert "is-warned" in refused.content.decode()
    assert wizard.confirm("narratives", data, refused).status_code == 302
    assert wizard.post("indicators", as_stored(wizard, "indicators")).status_code == 302
    assert wizard.post("review", {}).status_code == 302
    source = Declaration.objects.get(sample_key="000-4")
    copy = Declaration.objects.get(project=source.project, fiscal_year=2026)
    assert "2025 年重庆市基层科普" in copy.legal_basis  # kept as confirmed


def test_indicator_texts_of_a_copy_are_checked_row_by_row(client):
    # Sample 001-1 (2024): “合理安排2024年度办公设备及办公家具的购置”.
    wizard = copy_of(client, "nansha", "001-1")
    for step in ("basic", "budget", "targets"):
        response = wizard.post(step, as_stored(wizard, step))
        if response.status_code == 200:
            response = wizard.confirm(step, as_stored(wizard, step), response)
        assert response.status_code == 302, (step, errors(response))
    data = as_stored(wizard, "indicators")
    refused = wizard.post("indicators", data)
    assert refused.status_code == 200 and errors(refused) == []
    found = warnings(refused)
    assert found and all("仍写着“2024年度”" in w for w in found)
    assert any(w.startswith("第 ") and "项指标的指标值中仍写着" in w for w in found)
    assert wizard.confirm("indicators", data, refused).status_code == 302
