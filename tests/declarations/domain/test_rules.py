"""Each rule is written once (``declarations.domain.rules``): the wizard's forms,
``Model.full_clean`` and the review checklist / ``errors_for`` say the same thing about the
same mistake."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import IndicatorKind
from declarations.domain.profiles import profile_of
from declarations.domain.rules import (
    BASIS_TARGETS,
    not_a_number_template,
    value_findings,
)
from declarations.models import Declaration, Department, User
from declarations.samples import SEEDS_DIR, load_sample_files
from declarations.wizards.forms.basic import ProjectBasicForm
from declarations.wizards.forms.indicators import IndicatorForm, IndicatorFormSet
from indicators.models import PerformanceIndicator
from indicators.rules import checklist, errors_for
from tests.declarations.wizards.helpers import CQ_BASIC, Wizard, formset
from tests.factories import DeclarationFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

CHONGQING = profile_of("cq_special")
NOT_A_NUMBER = "定量指标的指标值必须是数字，“五百”不是数字；文字目标请将指标属性改为定性。"
PERIOD_NOT_A_NUMBER = (
    "定量指标的实施周期指标值必须是数字，“五百”不是数字；文字目标请将指标属性改为定性。"
)
COVERAGE = ("相关性", "设有产出、效益、满意度指标")


def sample(key: str) -> Declaration:
    return Declaration.objects.get(sample_key=key)


def model_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def check(declaration: Declaration, criterion: str, label: str):
    return next(c for c in checklist(declaration) if (c.criterion, c.label) == (criterion, label))


def indicator_form(**data) -> IndicatorForm:
    row = {"name": "讲解比赛场次", "kind": "quantitative", "weight": "90", **data}
    form = IndicatorForm(data=row, profile=CHONGQING)
    form.is_valid()
    return form


# -- weights ----------------------------------------------------------------------------------


def test_a_weight_total_off_reads_the_same_in_the_wizard_and_in_the_checklist():
    message = "指标权重合计为 100，应为 90。"
    rows = [
        {"name": name, "kind": "quantitative", "value": "1", "weight": weight, "ORDER": order}
        for name, weight, order in (("甲", "40", "1"), ("乙", "30", "2"), ("丙", "30", "3"))
    ]
    wizard = IndicatorFormSet(data=formset("rows", rows), prefix="rows", profile=CHONGQING)
    assert not wizard.is_valid()
    assert wizard.non_form_errors() == [message]

    stored = sample("000-2")  # 30 + 20 + 20 + 20 = 90
    stored.indicators.filter(order=1).update(weight=Decimal(40))
    assert errors_for(stored) == [message]
    weights = check(stored, "完整性", "指标权重合计为 90")
    assert weights.details == (message,)
    assert not weights.passed


# -- quantitative values ----------------------------------------------------------------------


def test_five_hundred_in_words_reads_the_same_in_the_wizard_and_the_model():
    form = indicator_form(value="五百")
    assert form.errors["value"] == [NOT_A_NUMBER]  # one message, at the value
    assert [field for field, errors in form.errors.items() if errors] == ["value"]

    indicator = IndicatorFactory.build(
        declaration=DeclarationFactory(), target_value=None, target_text="五百"
    )
    assert model_errors(indicator)["target_value"] == [NOT_A_NUMBER]

    # The database refuses to store it at all, so the checklist can only meet the period value.
    stored = sample("000-1").indicators.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceIndicator.objects.filter(pk=stored.pk).update(
            target_value=None, target_text="五百"
        )


def test_five_hundred_in_words_as_the_period_value_reads_the_same_everywhere():
    form = indicator_form(value="500", period_value="五百")
    assert form.errors["period_value"] == [PERIOD_NOT_A_NUMBER]
    assert list(form.errors) == ["period_value"]

    indicator = IndicatorFactory.build(
        declaration=DeclarationFactory(), period_value=None, period_text="五百"
    )
    assert model_errors(indicator)["period_value"] == [PERIOD_NOT_A_NUMBER]

    declaration = sample("000-1")
    assert errors_for(declaration) == []
    declaration.indicators.filter(name="全国科普日系列活动").update(period_text="五百")
    expected = f"指标“全国科普日系列活动”：{PERIOD_NOT_A_NUMBER}"
    assert errors_for(declaration) == [expected]
    content = check(declaration, "完整性", "表样要求的内容已填写，预算各分项与总额一致")
    assert content.details == (expected,)
    assert content.findings[0].basis == BASIS_TARGETS


def test_an_empty_quantitative_value_reads_like_the_database_constraint():
    message = "定量指标必须填写数字指标值。"
    assert indicator_form(value="").errors["value"] == [message]
    indicator = IndicatorFactory.build(declaration=DeclarationFactory(), target_value=None)
    assert model_errors(indicator)["target_value"] == [message]
    constraint = next(
        c
        for c in PerformanceIndicator._meta.constraints
        if c.name == "indicator_quantitative_has_number"
    )
    assert constraint.violation_error_message == message


def test_the_browser_is_given_the_servers_words():
    finding = value_findings(IndicatorKind.QUANTITATIVE, None, "五百", field="value")[0]
    assert not_a_number_template().replace("{text}", "五百") == finding.message


# -- project period ---------------------------------------------------------------------------


def test_a_period_ending_before_it_starts_reads_the_same_in_the_wizard_and_the_model():
    message = "实施周期的结束年度不能早于起始年度。"
    department = Department.objects.get(short_name="沙区科协")
    form = ProjectBasicForm(
        data={**CQ_BASIC, "period_start": "2027", "period_end": "2026"},
        department=department,
        kind="project",
        profile=None,
    )
    assert not form.is_valid()
    assert form.errors["period_end"] == [message]

    declaration = DeclarationFactory.build(
        department=department,
        project=sample("000-1").project,
        period_start=2027,
        period_end=2026,
    )
    assert model_errors(declaration)["period_end"] == [message]


# -- levels -----------------------------------------------------------------------------------


def test_the_chongqing_samples_are_asked_to_be_classified_not_told_they_lack_benefits(client):
    report = load_sample_files([SEEDS_DIR / "000_shapingba_2025.json"])
    keys = [*report.keys, *report.skipped]
    assert keys == ["000-1", "000-2", "000-3", "000-4"]
    for key in keys:
        declaration = sample(key)
        coverage = check(declaration, *COVERAGE)
        names = [i.name for i in declaration.indicators.all()]
        assert coverage.details == tuple(f"指标“{n}”未分类：请选择一级和二级指标。" for n in names)
        assert {finding.basis for finding in coverage.findings} == {BASIS_TARGETS}
        assert not any("缺少" in detail for detail in coverage.details)
        assert errors_for(declaration) == []  # the levels stay optional in this layout

    declaration = sample("000-1")
    workflow.perform(declaration, "submit", by=User.objects.get(username="shapingba"))
    declaration.department.supervising_division = User.objects.get(username="reviewer").division
    declaration.department.save()
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(reverse("declaration_review", args=[declaration.pk])).content.decode()
    assert "指标“全国科技工作者日系列活动”未分类：请选择一级和二级指标。" in page
    assert "依据：财预〔2021〕101号" in page
    assert "缺少效益指标" not in page


def test_once_classified_the_coverage_is_judged_by_level_1():
    declaration = sample("000-1")
    output = IndicatorFactory.build().level1  # 产出指标
    declaration.indicators.update(level1=output)
    assert check(declaration, *COVERAGE).details == ("缺少效益指标。", "缺少满意度指标。")


def test_the_levels_are_asked_in_every_layout_and_required_where_they_are_printed(client):
    chongqing = indicator_form(value="1")
    assert chongqing.is_valid()  # optional here
    assert 'name="level1"' in str(chongqing["level1"]) and "未分类" in str(chongqing["level1"])

    kunming = IndicatorForm(
        data={"name": "活动场次", "kind": "quantitative", "value": "1"},
        profile=profile_of("km_project"),
    )
    assert kunming.errors["level1"] == ["所选表样需要选择一级和二级指标。"]

    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    assert wizard.post("basic", CQ_BASIC).status_code == 302
    page = wizard.get("indicators").content.decode()
    assert '<select name="indicators-rows-0-level1"' in page
    assert '<select name="indicators-rows-0-level2"' in page
    assert 'id="value-grammar"' in page
