"""Data the benchmarks build: a declaration of 60 indicators and copies of the samples.

Import after ``django.setup()``; the benchmark scripts set up their own throw-away database.
"""

from decimal import Decimal

from django.db import transaction

from declarations.domain.choices import Kind, Layout
from declarations.exports.service import with_export_data
from declarations.models import Budget, Declaration, Department, Project
from indicators.models import IndicatorCategory, PerformanceIndicator


@transaction.atomic
def synthetic_declaration(indicator_count: int = 60) -> Declaration:
    department = Department.objects.get(name="重庆市沙坪坝区科学技术协会")
    project, _ = Project.objects.get_or_create(
        department=department,
        name="基准测试项目",
        defaults={"overview": "用于基准测试的合成项目。" * 8, "legal_basis": "基准测试。"},
    )
    declaration = Declaration.objects.create(
        department=department,
        project=project,
        fiscal_year=2026,
        kind=Kind.PROJECT,
        layout=Layout.CHONGQING_SPECIAL,
        annual_target="合成的六十项指标申报表。",
    )
    Budget.objects.create(
        declaration=declaration, total=Decimal("1234567.89"), own_level=Decimal("1234567.89")
    )
    output = IndicatorCategory.objects.get(code="output")
    quantity = IndicatorCategory.objects.get(code="output-quantity")
    PerformanceIndicator.objects.bulk_create(
        PerformanceIndicator(
            declaration=declaration,
            order=n,
            level1=output,
            level2=quantity,
            name=f"举办全国科普日系列活动第{n}项（线上线下）",
            weight=Decimal("1.5"),
            unit="场次",
            operator="≥",
            target_value=Decimal(n),
            kind="quantitative",
        )
        for n in range(1, indicator_count + 1)
    )
    return declaration


@transaction.atomic
def bulk_copies(count: int) -> list[int]:
    """``count`` declarations cloned from the samples, with their budgets and indicators."""
    samples = list(with_export_data(Declaration.objects.exclude(sample_key=None)))
    new_ids = []
    clones: dict[tuple[int, int], Department] = {}
    for index in range(count):
        source = samples[index % len(samples)]
        department, project, round_ = source.department, source.project, index // len(samples)
        if round_:  # one declaration per project (or department) and year: copies of their own
            key = (department.pk, round_)
            if key not in clones:
                clones[key] = Department.objects.create(
                    name=f"{department.name}（副本{round_}）", short_name=department.short_name
                )
            department = clones[key]
            if project is not None:
                project = Project.objects.create(department=department, name=project.name)
        copy = Declaration.objects.create(
            department=department,
            project=project,
            fiscal_year=3000,
            kind=source.kind,
            layout=source.layout,
            money_unit=source.money_unit,
            # Each copy differs, so that every one is rendered rather than served from the cache.
            overall_target=source.overall_target,
            annual_target=f"{source.annual_target}（{index}）",
            sub_targets=source.sub_targets,
            safeguards=source.safeguards,
        )
        budget = getattr(source, "budget", None)
        if budget is not None:
            budget.pk, budget.declaration = None, copy
            budget.save()
        indicators = list(source.indicators.all())
        for indicator in indicators:
            indicator.pk, indicator.declaration = None, copy
        PerformanceIndicator.objects.bulk_create(indicators)
        new_ids.append(copy.pk)
    return new_ids
