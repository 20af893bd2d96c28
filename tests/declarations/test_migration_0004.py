"""Migration 0004 on data entered under the old schema: each declaration takes its own copy of
the department's particulars and the project's name and narratives, 补助街镇 is folded into
transfers down, a missing total is filled from its parts, adjustments are numbered, and the
Excel export prints what the old layouts printed from the shared rows.

0004 cannot be unapplied (its reverse re-adds the ``district_level`` check constraint after the
field is renamed back), so the test cannot migrate the test database backwards. It drops the
schema, migrates a fresh one to the state before 0004, enters data with the historical models,
and migrates forward to the latest state. The database is left at the latest state, even when
the test fails; pytest-django then flushes it as after any transactional test.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declarations.exports.service import export_declaration
from declarations.models import Budget, Declaration

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_0004 = [("declarations", "0003_review_history"), ("indicators", "0002_review_history")]


def _drop_all_tables():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    # The schema editor turns SQLite's foreign key checks off while the tables are dropped.
    with connection.schema_editor() as editor:
        for table in tables:
            editor.execute(f"DROP TABLE IF EXISTS {editor.quote_name(table)}{cascade}")


def _migrate(targets=None):
    """Migrate to ``targets`` (default: the latest state); return the historical apps."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    try:
        _migrate()
    except Exception:
        # Half-migrated data the forward migration refuses: start from an empty schema.
        _drop_all_tables()
        _migrate()


@pytest.fixture
def old_apps(transactional_db):
    """The models as they were before 0004, on an empty database at that state."""
    _drop_all_tables()
    try:
        yield _migrate(BEFORE_0004)
    finally:
        _migrate_to_latest()


def _enter_old_data(apps) -> dict[str, int]:
    Division = apps.get_model("declarations", "SupervisingDivision")
    Department = apps.get_model("declarations", "Department")
    Project = apps.get_model("declarations", "Project")
    OldDeclaration = apps.get_model("declarations", "Declaration")
    OldBudget = apps.get_model("declarations", "Budget")

    division = Division.objects.create(name="教科文科")
    department = Department.objects.create(
        name="测试区科学技术协会",
        short_name="测试区科协",
        code="T-001",
        organisation_code="91500000TEST0001X",
        head="张三",
        phone="023-12345678",
        address="测试区科学路 1 号",
        functions="服务科技工作者，提高全民科学素质。",
        supervising_division=division,
    )
    project = Project.objects.create(
        department=department,
        name="科普日活动",
        code="P-2025-01",
        period_start=2025,
        period_end=2026,
        overview="举办全国科普日测试区主场活动。",
        legal_basis="科协工作考核指标的通知。",
        funding_source="区级财政",
    )
    special = OldDeclaration.objects.create(
        department=department,
        project=project,
        kind="project",
        layout="cq_special",
        money_unit="wan_yuan",
        fiscal_year=2025,
        annual_target="全区公民具备科学素质比例超过 21.6%。",
    )
    # 20 万元 = 15 区级 + 2 对下转移支付 + 3 补助街镇.
    OldBudget.objects.create(
        declaration=special,
        total=Decimal("200000"),
        district_level=Decimal("150000"),
        transfers_down=Decimal("20000"),
        subsidies_to_subdistricts=Decimal("30000"),
    )
    adjustment = OldDeclaration.objects.create(
        department=department,
        project=project,
        kind="project",
        layout="cq_special",
        money_unit="wan_yuan",
        fiscal_year=2025,
        annual_target="调整后的年度目标。",
        adjusts=special,
    )
    # Only 补助街镇, no transfers down before.
    OldBudget.objects.create(
        declaration=adjustment,
        total=Decimal("40000"),
        subsidies_to_subdistricts=Decimal("40000"),
    )
    whole = OldDeclaration.objects.create(
        department=department,
        kind="department",
        layout="gz_department",
        money_unit="wan_yuan",
        fiscal_year=2025,
        overall_target="部门整体目标。",
    )
    # No total: the migration fills it from the uses (30 + 20 万元).
    OldBudget.objects.create(
        declaration=whole,
        basic_expenditure=Decimal("300000"),
        project_expenditure=Decimal("200000"),
        district_level=Decimal("500000"),
    )
    return {"special": special.pk, "adjustment": adjustment.pk, "whole": whole.pk}


def _cell_values(declaration: Declaration) -> list:
    data = export_declaration(declaration, "xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_0004_copies_what_declarations_print_and_the_export_prints_it(old_apps):
    pks = _enter_old_data(old_apps)

    _migrate()

    special = Declaration.objects.get(pk=pks["special"])
    assert special.department_name == "测试区科学技术协会"
    assert special.department_short_name == "测试区科协"
    assert special.department_code == "T-001"
    assert special.organisation_code == "91500000TEST0001X"
    assert (special.head, special.phone, special.address) == (
        "张三",
        "023-12345678",
        "测试区科学路 1 号",
    )
    assert special.functions == "服务科技工作者，提高全民科学素质。"
    assert special.division_name == "教科文科"
    assert special.project_name == "科普日活动"
    assert special.project_code == "P-2025-01"
    assert (special.period_start, special.period_end) == (2025, 2026)
    assert special.overview == "举办全国科普日测试区主场活动。"
    assert special.legal_basis == "科协工作考核指标的通知。"
    assert special.funding_source == "区级财政"
    assert special.adjustment_no == 0
    assert special.adjustment_reason == ""

    budget = Budget.objects.get(declaration=special)
    assert budget.total == Decimal("200000")
    assert budget.own_level == Decimal("150000")
    # 补助街镇 (30000) folded into transfers down (20000).
    assert budget.transfers_down == Decimal("50000")

    adjustment = Declaration.objects.get(pk=pks["adjustment"])
    assert adjustment.adjustment_no == 1
    assert adjustment.adjustment_reason  # a placeholder reason for an old adjustment
    assert adjustment.project_name == "科普日活动"
    adjusted = Budget.objects.get(declaration=adjustment)
    assert (adjusted.own_level, adjusted.transfers_down) == (None, Decimal("40000"))

    whole = Declaration.objects.get(pk=pks["whole"])
    assert whole.department_name == "测试区科学技术协会"
    assert whole.project_name == ""
    assert whole.adjustment_no == 0
    parts = Budget.objects.get(declaration=whole)
    assert parts.total == Decimal("500000")
    assert parts.own_level == Decimal("500000")
    assert parts.transfers_down is None

    # The exports print the copies and the amounts, in 万元.
    cells = _cell_values(special)
    assert "测试区科学技术协会专项绩效目标申报表" in cells
    assert "编制单位：测试区科协" in cells
    assert "科普日活动" in cells
    assert "教科文科" in cells
    assert "举办全国科普日测试区主场活动。" in cells
    assert "科协工作考核指标的通知。" in cells
    amounts = [value for value in cells if isinstance(value, int | float)]
    assert amounts[:3] == [20, 15, 5]  # 预算, 区级支出, 补助街镇

    cells = _cell_values(whole)
    assert "测试区科学技术协会" in cells
    amounts = [value for value in cells if isinstance(value, int | float)]
    assert amounts[:3] == [30, 20, 50]  # 基本支出, 项目支出, 区本级使用资金
